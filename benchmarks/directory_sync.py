"""The local directory at scale: sync time, loop holds, file size and query times by kind.

The demo PBX (``companion simulator``) runs as a separate process, loaded with its demo
data plus generated global phonebook entries (the same as search_latency.py's), so every
figure measured here is the client's own: the real client syncs over a real socket into a
fresh index while a ticker task on the same asyncio loop (sleeping 5 ms at a time)
records how long the loop was held at a time, as a GUI on that loop would feel it.

Floors in the same run: fetching every page without indexing (the sync's share that is
the PBX and the wire), and the same ticker while only fetching.

    uv run python benchmarks/directory_sync.py [--entries 100000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _harness import big_phonebook  # noqa: E402

from companion.directory import Directory, sync  # noqa: E402
from companion.directory.syncing import _pages  # noqa: E402
from companion.pbx.pascom import PascomPbx  # noqa: E402

TICK = 0.005

# What users type, by kind; every query is timed `rounds` times.
QUERIES: dict[str, list[str]] = {
    "1 letter": ["m", "n", "v", "f", "s", "a"],
    "2 letters": ["mu", "na", "vo", "fi", "sc", "hu"],
    "surname": ["Müller", "mueller", "Schmidt", "Huber", "Nachname777", "weiss"],
    "3-digit run": ["089", "123", "777", "100", "456"],
    "7-digit run": ["1234567", "8910123", "1042424", "0891012"],
    "full number": ["+49 89 1012345", "089 1012345", "0049891077777", "+49891234"],
    "two words": ["Vorname42 Firma", "müller 089", "nachname7 vorname1", "firma 12"],
}
REMOTE_QUERIES = ["Müller", "Schmidt", "Firma 12", "Nachname777", "Vorname4242", "0891234"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_pbx(data: Path) -> tuple[subprocess.Popen[Any], str]:
    """``companion simulator`` in its own process; (the process, its base URL)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "simulator", "--port", str(port), "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}/demo"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the demo PBX did not start")
        try:
            httpx.get(f"{base_url}/services/identity", auth=("moby", "demo-secret"), timeout=1)
            return process, base_url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise TimeoutError("the demo PBX did not answer")


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(ordered) * 1000:6.2f} ms, p95 {p95 * 1000:6.2f} ms,"
        f" max {ordered[-1] * 1000:6.2f} ms"
    )


async def held(work: Callable[[], Awaitable[Any]]) -> tuple[Any, float, list[float]]:
    """Run ``work`` with a ticker on the loop: (its result, seconds taken, the loop holds)."""
    holds: list[float] = []

    async def tick() -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            holds.append(max(0.0, time.perf_counter() - start - TICK))

    ticker = asyncio.ensure_future(tick())
    await asyncio.sleep(0)
    start = time.perf_counter()
    try:
        result = await work()
    finally:
        took = time.perf_counter() - start
        ticker.cancel()
    return result, took, holds


def _where_the_bytes_go(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        try:
            tables = db.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
            ).fetchall()
        except sqlite3.Error:  # a SQLite without the dbstat table
            return "no dbstat"
        (free,) = db.execute("PRAGMA freelist_count").fetchone()
        (page,) = db.execute("PRAGMA page_size").fetchone()
    parts = [f"{name} {size / 1_000_000:.1f}" for name, size in tables]
    return ", ".join([*parts, f"free {free * page / 1_000_000:.1f}"])


def _holds(holds: list[float]) -> str:
    over = sum(1 for h in holds if h > 0.050)
    return f"longest {max(holds) * 1000:.1f} ms, {over} over 50 ms, {len(holds)} ticks"


async def run(base_url: str, folder: Path, rounds: int) -> None:
    pbx = PascomPbx(base_url, "moby", "demo-secret", "mmuster")

    async def fetch_all() -> int:
        count = 0
        async for page in _pages(pbx):
            count += len(page.contacts)
        return count

    await pbx.directory_page(0, 1)  # connected and warm, as a running app is
    fetched, fetch_took, fetch_holds = await held(fetch_all)
    print(f"floor, fetching all pages only: {fetched} entries in {fetch_took:.1f} s")
    print(f"  loop holds while only fetching: {_holds(fetch_holds)}")

    directory = Directory(folder / "directory", base_url, "mmuster", "DE")
    status, took, holds = await held(lambda: sync(directory, pbx))
    print(f"sync: {status.entries} entries in {took:.1f} s ({took / fetch_took:.2f} x the fetch)")
    print(f"  loop holds during the sync: {_holds(holds)}")
    print(f"index file: {status.size / 1_000_000:.1f} MB ({_where_the_bytes_go(status.path)})")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the builder, if it was one
    mine = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"  CPU so far: this process {mine.ru_utime + mine.ru_stime:.1f} s,"
        f" its ended children {children.ru_utime + children.ru_stime:.1f} s"
    )

    every: list[float] = []
    for kind, queries in QUERIES.items():
        samples: list[float] = []
        for _ in range(rounds):
            for query in queries:
                t = time.perf_counter()
                directory.search(query, limit=20)
                samples.append(time.perf_counter() - t)
        every += samples
        print(f"index query, {kind:12} ({len(samples):4} samples): {_ms(samples)}")
    print(f"index query, every kind   ({len(every):4} samples): {_ms(every)}")

    lookups: list[float] = []
    for i in range(200):
        t = time.perf_counter()
        directory.lookup(f"+49 89 {1000000 + i * 37}")
        lookups.append(time.perf_counter() - t)
    print(f"number lookup              ({len(lookups):4} samples): {_ms(lookups)}")

    remote: list[float] = []
    for _ in range(3):
        for query in REMOTE_QUERIES:
            t = time.perf_counter()
            await pbx.search(query, limit=20)
            remote.append(time.perf_counter() - t)
    print(f"PBX search for comparison  ({len(remote):4} samples): {_ms(remote)}")
    await pbx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        process, base_url = start_pbx(big_phonebook(args.entries, folder))
        try:
            asyncio.run(run(base_url, folder, args.rounds))
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()

"""The local directory at scale: sync time, file size and query times, beside the PBX's search.

The demo PBX is loaded with its demo data plus generated global phonebook entries (as in
search_latency.py); the real client syncs them over a real socket into a fresh index.

    uv run python benchmarks/directory_sync.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.search_latency import QUERIES, big_phonebook  # noqa: E402
from companion.directory import Directory, sync  # noqa: E402
from companion.pbx.pascom import PascomPbx  # noqa: E402
from companion.simulator import Simulator  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


async def run(sim: Simulator, folder: Path, rounds: int) -> None:
    pbx = PascomPbx(sim.base_url, "moby", "demo-secret", "mmuster")
    directory = Directory(folder / "directory", sim.base_url, "mmuster", "DE")
    longest_stall = 0.0

    async def watch_loop() -> None:  # how long the loop is held at a time
        nonlocal longest_stall
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            longest_stall = max(longest_stall, time.perf_counter() - start - 0.005)

    watcher = asyncio.ensure_future(watch_loop())
    start = time.perf_counter()
    status = await sync(directory, pbx)
    took = time.perf_counter() - start
    watcher.cancel()
    print(f"sync: {status.entries} entries in {took:.1f} s")
    print(f"longest hold of the asyncio loop during the sync: {longest_stall * 1000:.1f} ms")
    print(f"index file: {status.size / 1_000_000:.1f} MB")
    local: list[float] = []
    for _ in range(rounds):
        for query in [*QUERIES, "mueller", "muller", "weiss", "+49891234", "a", "vor"]:
            t = time.perf_counter()
            directory.search(query, limit=20)
            local.append(time.perf_counter() - t)
    print(f"index query ({len(local)} samples): {_ms(local)}")
    lookups: list[float] = []
    for i in range(200):
        t = time.perf_counter()
        directory.lookup(f"+49 89 {1000000 + i * 37}")
        lookups.append(time.perf_counter() - t)
    print(f"number lookup ({len(lookups)} samples): {_ms(lookups)}")
    remote: list[float] = []
    for query in QUERIES:
        t = time.perf_counter()
        await pbx.search(query, limit=20)
        remote.append(time.perf_counter() - t)
    print(f"PBX search for comparison ({len(remote)} samples): {_ms(remote)}")
    await pbx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        data = big_phonebook(args.entries, folder)
        with Simulator.start(data=data) as sim:
            asyncio.run(run(sim, folder, args.rounds))


if __name__ == "__main__":
    main()

"""The relay under load: one relay in front of the demo PBX and N desktops on its event stream.

For each N (default 10, 100, 1000) a fresh relay runs as its own process
(`companion relay serve`, plain HTTP on loopback) in front of the demo PBX (in this
process); N desktops, spread over the PBX's users, enrol with one-time codes and follow
the event stream with the desktop backend's own stream code
(`companion.pbx.relay.stream.pushed`). Then, over rounds of calls ringing for every user:

- requests per second reaching the PBX (the simulator's request counter): over an idle
  window (--idle, no calls) and over the rounds of calls (`cdr/live` apart); it must not
  grow with N beyond the per-user slow state;
- the PBX starting to ring -> the call in a `calls` event at each of that user's desktops,
  p50/p95 (target: p95 at most 1.5 s at N = 1000), and as a ratio to the floor measured in
  the same run: the relay's poll interval plus one `cdr/live` read;
- the relay process's CPU (% of one core over the window) and memory (RSS at the end);
- beside it the direct mode's PBX load for the same N, COMPUTED from the direct session's
  poll schedule (each desktop reads `cdr/live` every 2 s and, as the safety net, every
  5 minutes one full read, whose requests are counted in this run against the same PBX).

    uv run python benchmarks/relay_load.py [--desktops 10 100 1000] [--rounds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _harness import PASSWORD, REPO, Simulator, cpu_seconds, rss_kib, stop

from companion.pbx.pascom import PascomPbx
from companion.pbx.relay.stream import pushed
from companion.relay.store import Store
from companion.session import Session
from companion.session.session import SAFETY_NET

DIRECT_LIVE_INTERVAL = 2.0  # the desktop's default calls.live_interval
RELAY_LIVE_INTERVAL = 1.0  # the relay's one poller (companion/relay/hub.py)
TARGET_P95 = 1.5  # seconds, at N = 1000
RING_S = 4.0  # each call rings this long, then the caller hangs up
PAUSE_S = 2.0  # between rounds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_relay(sim: Simulator, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    password_file = data_dir.parent / "pbx-password"
    password_file.write_text(PASSWORD, encoding="utf-8")
    password_file.chmod(0o600)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "companion", "relay", "serve",
            "--pbx-url", sim.base_url, "--rest-user", "moby",
            "--password-file", str(password_file), "--data-dir", str(data_dir),
            "--listen", f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("the relay did not start")


async def enrol_all(
    url: str, data_dir: Path, logins: list[str], count: int
) -> list[tuple[str, str]]:
    """`count` desktops, round robin over the users: (login, token) each."""
    store = Store(data_dir)
    try:
        codes = [
            (logins[i % len(logins)], store.add_code(logins[i % len(logins)]), i)
            for i in range(count)
        ]
    finally:
        store.close()
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=f"{url}/v1", timeout=30) as client:

        async def one(login: str, code: str, index: int) -> tuple[str, str]:
            async with limit:
                answer = await client.post("/enrol", json={"code": code, "device": f"desk-{index}"})
            answer.raise_for_status()
            return login, str(answer.json()["token"])

        return await asyncio.gather(*(one(*c) for c in codes))


class Desktops:
    """N desktops following the stream; when each first saw each call."""

    def __init__(self, url: str, enrolled: list[tuple[str, str]]) -> None:
        self.url = url
        self.enrolled = enrolled
        self.seen: dict[str, list[float]] = collections.defaultdict(list)  # call id -> times
        self.connected = 0
        self.failures: collections.Counter[str] = collections.Counter()
        self.tasks: list[asyncio.Task[None]] = []

    async def _follow(self, token: str) -> None:
        known: set[str] = set()
        first = True
        try:
            async for item in pushed(self.url, token, "127.0.0.1", None):
                if first:
                    self.connected += 1
                    first = False
                for call in item.calls or []:
                    if call.id not in known:
                        known.add(call.id)
                        self.seen[call.id].append(time.monotonic())
        except Exception as exc:  # a lost stream is a figure, not a crash of the benchmark
            self.failures[type(exc).__name__] += 1

    def start(self) -> None:
        self.tasks = [asyncio.ensure_future(self._follow(token)) for _, token in self.enrolled]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def floor_read(sim: Simulator) -> float:
    """The median time of one `cdr/live` read from the PBX (what the relay does each second)."""
    pbx = PascomPbx(sim.base_url, "moby", PASSWORD, "mmuster")
    try:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            await pbx.live_calls()
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        await pbx.close()


async def direct_full_read(sim: Simulator) -> int:
    """Requests one full read of a direct desktop's session makes (its safety net)."""
    pbx = PascomPbx(sim.base_url, "moby", PASSWORD, "mmuster")
    session = Session(pbx, poll_interval=3600, live_interval=3600, region="DE")
    try:
        await session.refresh()  # the first: it also reads what later rounds keep
        before = len(sim.state.requests)
        await session.refresh()
        return len(sim.state.requests) - before
    finally:
        await session.stop()
        await pbx.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_one(
    sim: Simulator, count: int, rounds: int, logins: list[str], idle: float
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="companion-relay-bench-"))
    data_dir = work / "relay"
    process, url = start_relay(sim, data_dir)
    desktops: Desktops | None = None
    try:
        enrolled = await enrol_all(url, data_dir, logins, count)
        desktops = Desktops(url, enrolled)
        desktops.start()
        deadline = time.monotonic() + 60
        while desktops.connected < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(3.0)  # settle: every user's slow session has read its state
        idle_before = len(sim.state.requests)
        await asyncio.sleep(idle)  # no calls: what following N desktops costs the PBX
        idle_rps = (len(sim.state.requests) - idle_before) / idle
        requests_before = len(sim.state.requests)
        cpu_before, started = cpu_seconds(process.pid), time.monotonic()
        rung: dict[str, tuple[float, str]] = {}  # call id -> (rang at, login)
        for round_ in range(rounds):
            for index, login in enumerate(logins):
                # Each call at a random moment of the relay's poll cycle (a fixed rhythm
                # would meet the poll at the same phase every time).
                await asyncio.sleep(random.uniform(0, RELAY_LIVE_INTERVAL))
                at = time.monotonic()
                call_id = await asyncio.to_thread(
                    sim.ring, f"+4930{round_:02d}{index:04d}", login, ring_s=None
                )
                rung[str(call_id)] = (at, login)
            await asyncio.sleep(RING_S)
            for call_id in list(rung)[-len(logins) :]:
                await asyncio.to_thread(sim.hang_up, int(call_id))
            await asyncio.sleep(PAUSE_S)
        elapsed = time.monotonic() - started
        cpu = cpu_seconds(process.pid) - cpu_before
        rss = rss_kib(process.pid)
        window = sim.state.requests[requests_before:]
        per_user = collections.Counter(login for login, _ in enrolled)
        latencies: list[float] = []
        missing = 0
        for call_id, (at, login) in rung.items():
            times = desktops.seen.get(call_id, [])
            latencies += [t - at for t in times]
            missing += per_user[login] - len(times)
        failures = dict(desktops.failures)
    finally:
        if desktops is not None:
            await desktops.stop()
        stop(process)
    kinds = collections.Counter(r.path.split("/services/")[-1].split("/")[0] for r in window)
    live = sum(1 for r in window if "cdr/live" in r.path)
    return {
        "n": count,
        "connected": desktops.connected if desktops else 0,
        "seconds": elapsed,
        "idle_rps": idle_rps,
        "rps": len(window) / elapsed,
        "live_rps": live / elapsed,
        "kinds": kinds,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "samples": len(latencies),
        "missing": missing,
        "cpu": 100 * cpu / elapsed,
        "rss_mib": rss / 1024,
        "failures": failures,
    }


async def main_async(args: argparse.Namespace) -> None:
    with Simulator.start(rest_password=PASSWORD) as sim:
        logins = sorted(sim.state.users)
        floor = await floor_read(sim)
        full_read = await direct_full_read(sim)
        print(
            f"PBX: the demo ({len(logins)} users). Floor, measured now: one cdr/live read"
            f" {1000 * floor:.1f} ms; the relay polls every {RELAY_LIVE_INTERVAL:.0f} s, so a"
            f" call waits {1000 * (RELAY_LIVE_INTERVAL / 2 + floor):.0f} ms on average"
            f" (floor) and at most {1000 * (RELAY_LIVE_INTERVAL + floor):.0f} ms before the"
            " relay sees it."
        )
        print(
            f"Direct mode, computed from the session's schedule: cdr/live every"
            f" {DIRECT_LIVE_INTERVAL:.0f} s plus one full read ({full_read} requests, counted"
            f" now) every {SAFETY_NET / 60:.0f} min per desktop, idle."
        )
        print()
        header = (
            f"{'N':>5} {'conn':>5} {'idle: relay':>11} {'direct':>7} {'calls: relay':>12}"
            f" {'(cdr/live)':>10}"
            f" {'p50 ms':>7} {'p95 ms':>7} {'p95/floor':>9} {'samples':>8} {'lost':>5}"
            f" {'relay CPU %':>11} {'relay RSS MiB':>13}"
        )
        print("PBX requests per second: idle (no calls) through the relay and direct (computed),")
        print("and through the relay while calls ring for every user (the reads after a call are")
        print("per user: the voicemail counts each second for a minute after a missed call).")
        print(header)
        floor_mean = RELAY_LIVE_INTERVAL / 2 + floor
        for count in args.desktops:
            result = await run_one(sim, count, args.rounds, logins, args.idle)
            direct = count * (1 / DIRECT_LIVE_INTERVAL + full_read / SAFETY_NET)
            verdict = ""
            if count >= 1000:
                verdict = "  PASS" if result["p95"] <= TARGET_P95 else "  FAIL"
            print(
                f"{result['n']:>5} {result['connected']:>5} {result['idle_rps']:>11.2f}"
                f" {direct:>7.1f} {result['rps']:>12.2f} {result['live_rps']:>10.2f}"
                f" {1000 * result['p50']:>7.0f} {1000 * result['p95']:>7.0f}"
                f" {result['p95'] / floor_mean:>9.2f} {result['samples']:>8} {result['missing']:>5}"
                f" {result['cpu']:>11.1f} {result['rss_mib']:>13.0f}{verdict}",
                flush=True,
            )
            if result["failures"]:
                print(f"      streams that ended: {result['failures']}")
            if args.verbose:
                print(f"      PBX requests by part: {dict(result['kinds'].most_common())}")
    print()
    print(
        f"Target: p95 at most {TARGET_P95} s at N = 1000; relay PBX load flat in N (the slow"
        " state is per user, not per desktop). Latency ratios are against the floor: half"
        " the relay's poll interval plus one cdr/live read."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of the idle window")
    parser.add_argument("--verbose", action="store_true", help="PBX requests by API part")
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()

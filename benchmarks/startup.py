"""Companion's start: time from process start to the first PBX request, and memory idle.

Beside it the floor: a minimal PySide6 tray app that makes one httpx request
(floor_tray_app.py). Both run offscreen against the demo PBX on loopback. Prints the
median time to first request over N starts, the resident memory after 10 s idle, and
the ratios to the floor.

    uv run python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

from _harness import REPO, Simulator, logged_in_home, rss_kib, stop, wait_for_requests

IDLE_SECONDS = 10.0


def measure(
    sim: Simulator, command: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], int]:
    firsts, rss = [], 0
    for run in range(runs + 1):  # the first start warms the caches and is not counted
        count = len(sim.state.requests)
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            first = wait_for_requests(sim, count) - started
            if run == runs:
                time.sleep(IDLE_SECONDS)
                rss = rss_kib(process.pid)
        finally:
            stop(process)
        if run:
            firsts.append(first)
    return firsts, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with Simulator.start() as sim:
        home, env = logged_in_home(sim)
        ours, our_rss = measure(sim, [sys.executable, "-m", "companion"], env, runs)
        url = f"{sim.base_url}/services/identity/mmuster"
        floor_cmd = [
            sys.executable,
            str(REPO / "benchmarks" / "floor_tray_app.py"),
            url,
            "moby",
            "demo-secret",
        ]
        floor, floor_rss = measure(sim, floor_cmd, env, runs)
    shutil.rmtree(home, ignore_errors=True)
    o, f = statistics.median(ours) * 1000, statistics.median(floor) * 1000
    print(
        f"companion : first request after {o:.0f} ms (median of {runs}), "
        f"{our_rss / 1024:.1f} MiB resident after {IDLE_SECONDS:.0f} s idle"
    )
    print(
        f"floor     : first request after {f:.0f} ms (median of {runs}), "
        f"{floor_rss / 1024:.1f} MiB resident after {IDLE_SECONDS:.0f} s idle"
    )
    print(f"ratios    : start {o / f:.2f}x, memory {our_rss / floor_rss:.2f}x")


if __name__ == "__main__":
    main()

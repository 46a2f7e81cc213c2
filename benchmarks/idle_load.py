"""What Companion costs while idle: requests per minute to the PBX and CPU use.

Starts the app (offscreen) against the demo PBX on loopback with the default poll
interval, lets it settle, then counts the requests that reach the PBX and the CPU time
the app uses over a window.

    uv run python benchmarks/idle_load.py [--seconds 120] [--settle 15]
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import time

from _harness import Simulator, cpu_seconds, logged_in_home, stop, wait_for_requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--settle", type=float, default=15.0)
    args = parser.parse_args()
    with Simulator.start() as sim:
        home, env = logged_in_home(sim)
        process = subprocess.Popen(
            [sys.executable, "-m", "companion"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_requests(sim, len(sim.state.requests))
            time.sleep(args.settle)
            start_count, start_cpu = len(sim.state.requests), cpu_seconds(process.pid)
            started = time.monotonic()
            time.sleep(args.seconds)
            elapsed = time.monotonic() - started
            window = sim.state.requests[start_count:]
            cpu = cpu_seconds(process.pid) - start_cpu
        finally:
            stop(process)
    shutil.rmtree(home, ignore_errors=True)
    per_minute = len(window) * 60 / elapsed
    kinds = collections.Counter(f"{r.method} {r.path.split('/services/')[-1]}" for r in window)
    print(
        f"idle: {per_minute:.1f} requests/minute to the PBX over {elapsed:.0f} s, "
        f"CPU {100 * cpu / elapsed:.2f} % of one core ({cpu:.2f} s)"
    )
    for kind, count in kinds.most_common():
        print(f"  {count:4d}  {kind}")


if __name__ == "__main__":
    main()

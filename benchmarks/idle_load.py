"""What Companion costs while idle: requests per minute to the PBX and CPU use.

Starts the app (offscreen) against the demo PBX on loopback with the default poll
intervals, lets it settle, then counts the requests that reach the PBX and the CPU time
the app uses over a window. The live poll (`cdr/live`, every 2 s) and everything else
(read when there is a reason, and by the safety net every 5 minutes) are counted apart;
a window shorter than 5 minutes may hold no safety-net read.

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
    minutes = elapsed / 60
    kinds = collections.Counter(f"{r.method} {r.path.split('/services/')[-1]}" for r in window)
    live = kinds.pop("GET cdr/live", 0)
    print(
        f"idle over {elapsed:.0f} s: {live / minutes:.1f} live requests/minute (cdr/live), "
        f"{sum(kinds.values()) / minutes:.1f} other requests/minute, "
        f"CPU {100 * cpu / elapsed:.2f} % of one core ({cpu:.2f} s)"
    )
    for kind, count in kinds.most_common():
        print(f"  {count:4d}  {kind}")


if __name__ == "__main__":
    main()

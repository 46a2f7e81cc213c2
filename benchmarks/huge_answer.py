"""Companion's memory around one huge answer: resident memory before, during, after.

Starts the app (offscreen) against the demo PBX on loopback, lets it settle, then makes
the PBX answer one request with a 200 MB JSON list (streamed without Content-Length, so
only counting the bytes can stop it; --announced sends its Content-Length). By default
the live poll (`cdr/live`, every 2 s) gets it; --times N: the next N requests do.
Prints the resident memory before, the peak while the answers are sent and read, and
after, each as a ratio to before.

    uv run python benchmarks/huge_answer.py [--mb 200] [--path cdr/live] [--announced]
                                            [--times 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from _harness import Simulator, logged_in_home, rss_kib, stop, wait_for_requests

SETTLE_SECONDS = 10.0  # the first poll is done and the app is idle
WATCH_SECONDS = 15.0  # per huge answer: asked for (within 2 s), sent and given up on
AFTER_SECONDS = 10.0  # what the app keeps once it is over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--path", default="cdr/live")
    parser.add_argument("--announced", action="store_true")
    parser.add_argument("--times", type=int, default=1, help="how many requests get one")
    args = parser.parse_args()
    kind = "huge_announced" if args.announced else "huge"
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
            time.sleep(SETTLE_SECONDS)
            before = rss_kib(process.pid)
            sent = len(sim.state.requests)
            sim.misbehave(kind, path=args.path, times=args.times, size=args.mb * 1024 * 1024)
            peak, watched = before, time.monotonic() + WATCH_SECONDS * args.times
            while time.monotonic() < watched:
                peak = max(peak, rss_kib(process.pid))
                time.sleep(0.02)
            asked = [r.path for r in sim.state.requests[sent:] if args.path in r.path]
            time.sleep(AFTER_SECONDS)
            after = rss_kib(process.pid)
            alive = process.poll() is None
        finally:
            stop(process)
    shutil.rmtree(home, ignore_errors=True)
    if not asked:
        print(f"the app did not ask for {args.path} while watched: nothing measured")
        return
    mib = 1024
    print(
        f"{args.times} answer(s) of {args.mb} MB to {args.path} ({kind}); "
        f"the app {'ran on' if alive else 'DIED'}"
    )
    print(f"  before : {before / mib:7.1f} MiB resident")
    print(f"  during : {peak / mib:7.1f} MiB at most ({peak / before:.2f}x before)")
    print(f"  after  : {after / mib:7.1f} MiB ({after / before:.2f}x before)")


if __name__ == "__main__":
    main()

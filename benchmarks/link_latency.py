"""Time from `companion open tel:...` being started to the dial arriving at the PBX.

The app is already running (offscreen) against the demo PBX on loopback, with link
confirmation off, so the measured path is: a new process validates the link, hands it
over the single-instance socket, the running app dials through the REST API. Beside it,
curl sending the same dial request. Medians of N runs, and the ratio.

    uv run python benchmarks/link_latency.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _harness import (
    Simulator,
    curl_dial,
    logged_in_home,
    stop,
    wait_for_action,
    wait_for_requests,
)


def time_runs(sim: Simulator, command: list[str], env: dict[str, str], runs: int) -> list[float]:
    results = []
    for _ in range(runs):
        count = len(sim.state.actions)
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode())
        results.append(wait_for_action(sim, count) - started)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with Simulator.start() as sim:
        home, env = logged_in_home(sim)
        runtime = Path(env["XDG_RUNTIME_DIR"])
        companion = [sys.executable, "-m", "companion"]
        subprocess.run(
            [*companion, "config", "dialing.confirm_links", "false"], env=env, check=True
        )
        app = subprocess.Popen(
            companion, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for_requests(sim, len(sim.state.requests))
            socket_file = runtime / "companion" / "instance.sock"
            while not socket_file.exists():
                time.sleep(0.01)
            time.sleep(2)  # let the first poll finish
            open_link = [*companion, "open", "tel:221"]
            time_runs(sim, open_link, env, 2)  # warm the caches
            ours = time_runs(sim, open_link, env, runs)
            curl = curl_dial(sim)
            floor = time_runs(sim, curl, env, runs) if curl else []
        finally:
            stop(app)
    shutil.rmtree(home, ignore_errors=True)
    o = statistics.median(ours) * 1000
    print(
        f"companion open tel: median {o:.1f} ms over {runs} runs "
        f"(min {min(ours) * 1000:.1f}, max {max(ours) * 1000:.1f})"
    )
    if floor:
        f = statistics.median(floor) * 1000
        print(f"curl              : median {f:.1f} ms over {runs} runs")
        print(f"ratio companion/curl: {o / f:.1f}x")


if __name__ == "__main__":
    main()

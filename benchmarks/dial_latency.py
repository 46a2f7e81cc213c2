"""How long `companion dial` takes from process start to the request arriving at the PBX.

Twice: cold (no app runs: the CLI sends the request itself) and with the app running
(the CLI hands the dial to it over the single-instance socket). Beside them, curl
sending the same request, the floor for "a process that sends one HTTP request", and a
bare Python `httpx.post`, the floor for a cold Python CLI. All are timed from just
before the process is spawned to the moment the demo PBX (in this process, on loopback)
receives the dial. Prints medians of N runs and the ratio.

    python benchmarks/dial_latency.py [--runs 20]

Run it with the project's interpreter (`uv run python benchmarks/dial_latency.py`) so the
imports are those of a real install. Bytecode caching is on, as in an installed package
(PYTHONDONTWRITEBYTECODE is dropped), and two warm-up runs fill the caches. The REST
password comes from a file-backed test keyring; a desktop Secret Service lookup adds its
own D-Bus round trip on top.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from _harness import (
    PASSWORD,
    Simulator,
    curl_dial,
    logged_in_home,
    stop,
    wait_for_action,
    wait_for_requests,
)

T = TypeVar("T")


def time_runs(sim: Simulator, command: list[str], env: dict[str, str], runs: int) -> list[float]:
    results = []
    for _ in range(runs):
        count = len(sim.state.actions)
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        arrived = wait_for_action(sim, count)
        _, err = process.communicate(timeout=30)
        if process.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {err.decode()}")
        results.append(arrived - started)
    return results


def with_app_running(sim: Simulator, env: dict[str, str], work: Callable[[], T]) -> T:
    """Run `work` while the tray app runs (offscreen), connected and listening."""
    socket_path = Path(env["XDG_RUNTIME_DIR"]) / "companion" / "instance.sock"
    count = len(sim.state.requests)
    app = subprocess.Popen(
        [sys.executable, "-m", "companion"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_requests(sim, count)  # connected
        deadline = time.monotonic() + 30
        while not socket_path.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the app does not listen")
            time.sleep(0.05)
        time.sleep(1.0)  # its first poll done
        return work()
    finally:
        stop(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with Simulator.start(rest_password=PASSWORD) as sim:
        home, env = logged_in_home(sim)
        companion = [sys.executable, "-m", "companion"]
        url = f"{sim.base_url}/services/identity/mmuster/defaultdevice/action"
        python_floor = [
            sys.executable,
            "-c",
            "import httpx, sys; httpx.post(sys.argv[1], json={'action': 'dial', "
            "'destination': '221', 'prefix': 'auto'}, auth=('moby', sys.argv[2]))",
            url,
            PASSWORD,
        ]
        time_runs(sim, [*companion, "dial", "221"], env, 2)  # warm the page cache
        ours = time_runs(sim, [*companion, "dial", "221"], env, runs)
        bare = time_runs(sim, python_floor, env, runs)
        curl = curl_dial(sim)
        floor = time_runs(sim, curl, env, runs) if curl else []
        # What a user or a CRM hook types: the installed console script (no runpy), beside
        # `python -m companion`, which the other figures use.
        script = Path(sys.executable).with_name("companion")
        installed = [str(script)] if script.exists() else []

        def handed_over() -> tuple[list[float], list[float]]:
            by_module = time_runs(sim, [*companion, "dial", "221"], env, runs)
            by_script = time_runs(sim, [*installed, "dial", "221"], env, runs) if installed else []
            return by_module, by_script

        warm, warm_script = with_app_running(sim, env, handed_over)
    shutil.rmtree(home, ignore_errors=True)
    median_ours = statistics.median(ours) * 1000
    print(
        f"companion dial: median {median_ours:.1f} ms over {runs} runs "
        f"(min {min(ours) * 1000:.1f}, max {max(ours) * 1000:.1f})"
    )
    if floor:
        median_floor = statistics.median(floor) * 1000
        print(
            f"curl          : median {median_floor:.1f} ms over {runs} runs "
            f"(min {min(floor) * 1000:.1f}, max {max(floor) * 1000:.1f})"
        )
        print(f"ratio companion/curl: {median_ours / median_floor:.1f}x")
    else:
        print("curl not found: no floor to compare with")
    median_bare = statistics.median(bare) * 1000
    print(f"python+httpx  : median {median_bare:.1f} ms over {runs} runs (a bare httpx.post)")
    print(f"ratio companion/python+httpx: {median_ours / median_bare:.2f}x (target 1.1x)")
    median_warm = statistics.median(warm) * 1000
    print(
        f"companion dial, app running: median {median_warm:.1f} ms over {runs} runs "
        f"(min {min(warm) * 1000:.1f}, max {max(warm) * 1000:.1f})"
    )
    if floor:
        print(f"ratio app-running/curl: {median_warm / median_floor:.1f}x (target 3x)")
    if warm_script:
        median_script = statistics.median(warm_script) * 1000
        print(
            f"the installed `companion` command, app running: median {median_script:.1f} ms "
            f"over {runs} runs (min {min(warm_script) * 1000:.1f}, "
            f"max {max(warm_script) * 1000:.1f})"
        )
        if floor:
            print(f"ratio installed-command/curl: {median_script / median_floor:.1f}x (target 3x)")


if __name__ == "__main__":
    main()

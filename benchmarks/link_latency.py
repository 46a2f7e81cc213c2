"""Time from a link being handed over to the dial arriving at the PBX.

The app is already running (offscreen) against the demo PBX on loopback, with link
confirmation off, on a session bus of its own (dbus-run-session) with the desktop entry
and service file install-url-handler writes. Two paths: `companion open tel:...` (a new
process hands the link over the single-instance socket) and `gio open tel:...` (GLib
sends it as org.freedesktop.Application.Open over D-Bus; no Python process starts).
Beside them, curl sending the same dial request. Medians of N runs, ratios to curl in
the same run (targets, issue 13: gio open at most 2x curl, companion open at most 4x).

    uv run python benchmarks/link_latency.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
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


def session_bus(env: dict[str, str], home: Path) -> subprocess.Popen[str]:
    """A session bus (dbus-run-session) alive while its child reads stdin; its address
    goes into `env`."""
    address_file = home / "bus-address"
    script = f'echo "$DBUS_SESSION_BUS_ADDRESS" > "{address_file}"; read _'
    bus = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    while not (address_file.is_file() and address_file.read_text().strip()):
        time.sleep(0.01)
    env["DBUS_SESSION_BUS_ADDRESS"] = address_file.read_text().strip()
    return bus


def name_owned(env: dict[str, str]) -> bool:
    done = subprocess.run(
        ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
         "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner",
         "net.companion.Companion"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip() == "(true,)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with Simulator.start() as sim:
        home, env = logged_in_home(sim)
        runtime = Path(env["XDG_RUNTIME_DIR"])
        for name in ("data", "xdg-config", "sysdata"):
            (home / name).mkdir()
        env.update(
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "xdg-config"),
            XDG_DATA_DIRS=str(home / "sysdata"),
        )
        env.pop("XDG_CURRENT_DESKTOP", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        companion = [sys.executable, "-m", "companion"]
        subprocess.run(
            [*companion, "config", "dialing.confirm_links", "false"], env=env, check=True
        )
        subprocess.run(
            [*companion, "install-url-handler"], env=env, check=True, capture_output=True
        )
        bus = session_bus(env, home)
        app = subprocess.Popen(
            companion, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for_requests(sim, len(sim.state.requests))
            socket_file = runtime / "companion" / "instance.sock"
            while not socket_file.exists():
                time.sleep(0.01)
            while not name_owned(env):
                time.sleep(0.01)
            time.sleep(2)  # let the first poll finish
            open_link = [*companion, "open", "tel:221"]
            gio_open = ["gio", "open", "tel:221"]
            time_runs(sim, open_link, env, 2)  # warm the caches
            time_runs(sim, gio_open, env, 2)
            ours = time_runs(sim, open_link, env, runs)
            dbus = time_runs(sim, gio_open, env, runs)
            curl = curl_dial(sim)
            floor = time_runs(sim, curl, env, runs) if curl else []
        finally:
            stop(app)
            assert bus.stdin is not None
            bus.stdin.close()
            bus.wait(timeout=15)
    shutil.rmtree(home, ignore_errors=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine is shared)")
    f = statistics.median(floor) * 1000 if floor else 0.0
    for label, results in (("companion open tel:", ours), ("gio open tel: (D-Bus)", dbus)):
        m = statistics.median(results) * 1000
        ratio = f" = {m / f:.1f}x curl" if f else ""
        print(
            f"{label:<22}: median {m:.1f} ms over {runs} runs "
            f"(min {min(results) * 1000:.1f}, max {max(results) * 1000:.1f}){ratio}"
        )
    if floor:
        print(f"{'curl':<22}: median {f:.1f} ms over {runs} runs")


if __name__ == "__main__":
    main()

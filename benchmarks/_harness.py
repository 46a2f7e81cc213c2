"""Shared by the benchmarks: a demo PBX in this process and a logged-in Companion home.

The app runs as a real subprocess against the demo PBX on loopback, with its own config
directory and a file-backed test keyring, offscreen (QT_QPA_PLATFORM=offscreen), with
bytecode caching on as in an installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from companion.simulator import Simulator, default_data_path  # noqa: E402

PASSWORD = "demo-secret"


def big_phonebook(entries: int, folder: Path) -> Path:
    """The demo data plus ``entries`` generated global contacts, as a data file in ``folder``."""
    data = json.loads(default_data_path().read_text(encoding="utf-8"))
    generated = [
        {
            "028pho_firstname": f"Vorname{i}",
            "028pho_lastname": f"Nachname{i % 977}",
            "028pho_organisation": f"Firma {i % 313} GmbH",
            "028pho_phone": f"+49 89 {1000000 + i}",
        }
        for i in range(entries)
    ]
    data.setdefault("phonebook", []).extend(generated)
    target = folder / "big-demo-pbx.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def app_env(home: Path) -> dict[str, str]:
    runtime = home / "runtime"  # its own single-instance socket: no other Companion takes over
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "COMPANION_CONFIG_DIR": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "COMPANION_TEST_KEYRING_FILE": str(home / "keyring.json"),
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def logged_in_home(sim: Simulator) -> tuple[Path, dict[str, str]]:
    home = Path(tempfile.mkdtemp(prefix="companion-bench-"))
    env = app_env(home)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "login",
            "--url",
            sim.base_url,
            "--user",
            "mmuster",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    return home, env


def wait_for_requests(sim: Simulator, count: int, timeout: float = 60.0) -> float:
    """Wait until the PBX has seen more than `count` requests; the arrival of the next one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(sim.state.requests) > count:
            arrived: float = sim.state.requests[count].arrived
            return arrived
        time.sleep(0.001)
    raise TimeoutError("no request reached the PBX")


def wait_for_action(sim: Simulator, count: int, timeout: float = 30.0) -> float:
    """Wait until the PBX has accepted more than `count` device actions; when the next came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(sim.state.actions) > count:
            arrived: float = sim.state.actions[count].arrived
            return arrived
        time.sleep(0.0005)
    raise TimeoutError("the dial never arrived")


def curl_dial(sim: Simulator, destination: str = "221") -> list[str] | None:
    """curl sending the dial the app sends, for the floor; None without curl."""
    curl = shutil.which("curl")
    if curl is None:
        return None
    body = json.dumps({"action": "dial", "destination": destination, "prefix": "auto"})
    url = f"{sim.base_url}/services/identity/mmuster/defaultdevice/action"
    return [
        curl,
        "-s",
        "-o",
        "/dev/null",
        "-u",
        f"moby:{PASSWORD}",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        url,
    ]


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

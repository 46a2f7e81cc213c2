"""The PyInstaller bundle dist/companion/, built by scripts/build_linux_bundle.sh.

Run with ``PACKAGING=1`` (``scripts/build_linux_bundle.sh --test`` builds, then runs
these): the bundled binary prints its version, runs ``--demo`` on a real X server (Xvfb,
started here) for a few seconds and stops cleanly on SIGTERM, finds its translations,
keeps a password in a real Secret Service through the bundled keyring backends, and the
desktop entry and the metainfo pass the real validators. Without ``PACKAGING=1`` they
are skipped: the build takes a minute or two.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from companion import __version__
from tests.desktop.x11_session import xvfb
from tests.packaging.support import ROOT, validate_desktop_file, validate_metainfo

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        os.environ.get("PACKAGING") != "1",
        reason="PACKAGING=1 runs the bundle tests (scripts/build_linux_bundle.sh --test)",
    ),
]

BUNDLE = ROOT / "dist" / "companion"
BINARY = BUNDLE / "companion"
DEMO_SECONDS = 5.0


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed (apt-get install {package})")
    return path


@pytest.fixture(scope="module")
def binary() -> Path:
    if not BINARY.is_file():
        pytest.fail(f"{BINARY} is missing: build it with scripts/build_linux_bundle.sh")
    return BINARY


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment whose config, cache, data and runtime dirs are empty temp dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "COMPANION_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
        path = tmp_path / name.lower()
        path.mkdir(mode=0o700)
        env[name] = str(path)
    env["HOME"] = str(tmp_path)
    env["LANG"] = "C.UTF-8"
    env.pop("LC_ALL", None)
    env.pop("LANGUAGE", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def windows_named(display: str, name: str) -> list[str]:
    xdotool = shutil.which("xdotool")
    if xdotool is None:
        return []
    done = subprocess.run(
        [xdotool, "search", "--onlyvisible", "--name", name],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return done.stdout.split()


def test_version(binary: Path, home: dict[str, str]) -> None:
    done = subprocess.run(
        [str(binary), "--version"], env=home, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"companion {__version__}"
    assert done.stderr == ""


def test_demo_runs_on_a_real_x_server(binary: Path, home: dict[str, str]) -> None:
    """--demo starts the GUI against the embedded demo PBX (bundled resources), shows
    its window, stays up, and ends cleanly on SIGTERM."""
    with xvfb("1280x800x24", required=True) as display:
        env = {**home, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        if (ROOT / "resources" / "translations" / "companion_de.ts").is_file():
            env["LANGUAGE"] = "de"  # the bundle's lrelease compiles the .ts at start
        process = subprocess.Popen(
            [str(binary), "--demo"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + DEMO_SECONDS
            while time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.25)
            alive = process.poll() is None
            windows = windows_named(display, "Companion") if alive else []
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert alive, f"companion --demo exited early ({process.returncode}):\n{err}"
    assert "Traceback" not in err, err
    assert process.returncode == 0, f"exit {process.returncode} after SIGTERM:\n{err}"
    if shutil.which("xdotool"):
        assert windows, f"no Companion window was shown:\n{err}"
    if "LANGUAGE" in env:
        compiled = Path(home["XDG_CACHE_HOME"]) / "companion" / "translations"
        assert (compiled / "companion_de.qm").is_file(), f"no German .qm compiled:\n{err}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_keyring_and_http_in_the_bundle(binary: Path, home: dict[str, str]) -> None:
    """The bundled simulator (uvicorn), httpx client and keyring's SecretService backend
    (found through entry points) work: login stores the password in a real
    gnome-keyring, presence reads it back, logout removes it."""
    dbus_run_session = require("dbus-run-session", "dbus")
    require("gnome-keyring-daemon", "gnome-keyring")
    port = free_port()
    simulator = subprocess.Popen(
        [str(binary), "simulator", "--port", str(port)],
        env=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert simulator.stdout is not None
        first = simulator.stdout.readline()
        assert f"127.0.0.1:{port}/demo" in first, first + simulator.stderr.read()  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/demo"
        script = (
            "echo -n ci-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
            f' && echo -n demo-secret | "$BIN" login --url {url} --user mmuster --password-stdin'
            ' && "$BIN" presence --list && "$BIN" logout'
        )
        env = {**home, "BIN": str(binary), "COMPANION_CONFIG_DIR": home["XDG_CONFIG_HOME"]}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        done = subprocess.run(
            [dbus_run_session, "--", "sh", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        simulator.terminate()
        simulator.communicate(timeout=15)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Logged in" in done.stdout
    assert "Removed the REST password" in done.stdout
    assert "Traceback" not in done.stderr


def test_bundle_holds_the_resources() -> None:
    resources = BUNDLE / "_internal" / "companion" / "_resources"
    assert (resources / "demo-pbx.json").is_file()
    assert (resources / "demo-extras.json").is_file()
    assert (resources / "icons" / "companion.svg").is_file()
    assert sorted(p.name for p in (resources / "demo" / "voicemail").glob("*.wav"))
    assert not (resources / "demo" / "make_demo_data.py").exists()
    for source in (ROOT / "resources" / "translations").glob("*.ts"):
        assert (resources / "translations" / source.name).is_file()


def test_bundle_carries_no_debug_information() -> None:
    """The build script strips debug information (~17 MB in a pyenv-built libpython)."""
    readelf = require("readelf", "binutils")
    libraries = sorted((BUNDLE / "_internal").glob("libpython3*.so*"))
    assert libraries, "no libpython in the bundle"
    for library in libraries:
        done = subprocess.run(
            [readelf, "-S", str(library)], capture_output=True, text=True, timeout=60
        )
        assert ".debug_info" not in done.stdout, f"{library.name} still has debug information"


def test_desktop_file_validates() -> None:
    validate_desktop_file(required=True)


def test_metainfo_validates() -> None:
    validate_metainfo(required=True)

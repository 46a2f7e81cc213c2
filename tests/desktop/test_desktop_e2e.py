"""Desktop integration end to end, as a user meets it: the real app on a real X server.

The app runs as a subprocess on Xvfb against the demo PBX (in this process, on
loopback), with its own XDG dirs, config dir and test keyring. Links go through the
real xdg-mime/xdg-open, the hotkey through a real key press (xdotool) with the number
in the PRIMARY selection (xclip). Link confirmation is off here (the prompt has its own
tests); the PBX receiving the dial is the proof.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, USER
from tests.desktop.x11_session import own_selection, require_tool, xvfb

REPO = Path(__file__).resolve().parents[2]


class Desktop:
    """One user's desktop session: X display, XDG dirs, config, keyring, runtime dir."""

    def __init__(self, home: Path, display: str) -> None:
        for name in ("data", "config", "cache", "runtime", "companion"):
            (home / name).mkdir(mode=0o700)
        self.env = {
            **os.environ,
            "DISPLAY": display,
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
            "COMPANION_CONFIG_DIR": str(home / "companion"),
            "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
            "COMPANION_TEST_KEYRING_FILE": str(home / "keyring.json"),
            "PYTHONPATH": str(REPO),
        }
        self.env.pop("QT_QPA_PLATFORM", None)  # the real X server, not offscreen
        self.app: subprocess.Popen[bytes] | None = None

    def companion(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "companion", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    def start_app(self, sim: Simulator) -> subprocess.Popen[bytes]:
        count = len(sim.state.requests)
        self.app = subprocess.Popen(
            [sys.executable, "-m", "companion"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait(lambda: len(sim.state.requests) > count, "the app never talked to the PBX")
        socket_file = Path(self.env["XDG_RUNTIME_DIR"]) / "companion" / "instance.sock"
        _wait(socket_file.exists, "the app never opened its instance socket")
        return self.app

    def stop_app(self) -> None:
        if self.app is not None and self.app.poll() is None:
            self.app.terminate()
            try:
                self.app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()


def _wait(condition: object, failure: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(0.05)


@pytest.fixture
def desktop(tmp_path: Path, sim: Simulator) -> Iterator[Desktop]:
    with xvfb() as display:
        session = Desktop(tmp_path, display)
        session.companion(
            "login",
            "--url",
            sim.base_url,
            "--user",
            USER,
            "--password-stdin",
            stdin=REST_PASSWORD + "\n",
        )
        session.companion("config", "dialing.region", "DE")
        session.companion("config", "dialing.confirm_links", "false")
        try:
            yield session
        finally:
            session.stop_app()


def test_xdg_open_of_a_tel_link_dials(desktop: Desktop, sim: Simulator) -> None:
    require_tool("xdg-mime")
    xdg_open = require_tool("xdg-open")
    desktop.companion("install-url-handler")
    owner = subprocess.run(
        ["xdg-mime", "query", "default", "x-scheme-handler/tel"],
        capture_output=True,
        text=True,
        env=desktop.env,
        check=True,
    ).stdout.strip()
    assert owner == "net.companion.Companion.desktop"
    desktop.start_app(sim)
    subprocess.run([xdg_open, "tel:+49-89-123456"], env=desktop.env, check=True, timeout=60)
    _wait(
        lambda: any(a.destination == "+4989123456" for a in sim.state.actions),
        "the link's dial never reached the PBX",
    )


def test_hotkey_dials_the_selected_number(desktop: Desktop, sim: Simulator) -> None:
    xdotool = require_tool("xdotool")
    desktop.start_app(sim)
    time.sleep(1.0)  # the grab is made once the app has started
    with own_selection(desktop.env["DISPLAY"], "primary", "Ruf mich an: +49 (0)89 1234-56"):
        subprocess.run([xdotool, "key", "ctrl+alt+d"], env=desktop.env, check=True)
        _wait(
            lambda: any(a.destination == "+498912345" + "6" for a in sim.state.actions),
            "the hotkey's dial never reached the PBX",
        )


def test_second_start_hands_over_and_ends(desktop: Desktop, sim: Simulator) -> None:
    xdotool = require_tool("xdotool")
    app = desktop.start_app(sim)

    def dial_window_shown() -> bool:
        search = [xdotool, "search", "--onlyvisible", "--name", "^Dial"]
        return subprocess.run(search, env=desktop.env, capture_output=True).returncode == 0

    time.sleep(0.5)
    assert not dial_window_shown()  # the start shows the tray (here: its window) only
    started = time.monotonic()
    # A plain second start shows the running app's dial window, without loading Qt, the
    # PBX client or the keyring (-X importtime lists every module it imports).
    second = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "companion"],
        capture_output=True,
        text=True,
        env=desktop.env,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert (second.returncode, second.stdout) == (0, ""), second.stderr
    imported = {line.split("|")[-1].strip() for line in second.stderr.splitlines()}
    assert "companion.entry" in imported
    assert not {"PySide6", "httpx", "keyring"} & imported
    _wait(dial_window_shown, "the running app did not show its dial window")
    desktop.companion("open", "tel:221")
    _wait(
        lambda: any(a.destination == "221" for a in sim.state.actions),
        "the handed-over link never reached the PBX",
    )
    assert app.poll() is None  # the first app still runs


def test_a_socket_left_by_a_crash_does_not_block_the_next_start(
    desktop: Desktop, sim: Simulator
) -> None:
    app = desktop.start_app(sim)
    app.kill()  # a crash: the socket file stays behind
    app.wait()
    socket_file = Path(desktop.env["XDG_RUNTIME_DIR"]) / "companion" / "instance.sock"
    assert socket_file.exists()
    desktop.start_app(sim)
    desktop.companion("open", "tel:222")
    _wait(
        lambda: any(a.destination == "222" for a in sim.state.actions),
        "the restarted app did not take the link",
    )


def test_malformed_link_is_refused_in_one_line(desktop: Desktop) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "companion", "tel:hello"],
        capture_output=True,
        text=True,
        env=desktop.env,
        timeout=60,
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_link_with_no_app_running_starts_it_and_dials(desktop: Desktop, sim: Simulator) -> None:
    desktop.companion("open", "tel:223")  # returns once the app is started, detached
    try:
        _wait(
            lambda: any(a.destination == "223" for a in sim.state.actions),
            "the started app never dialled the link",
        )
    finally:
        desktop.companion("open", "tel:224")  # the started app answers: it is running
        _wait(
            lambda: any(a.destination == "224" for a in sim.state.actions),
            "the started app did not take a second link",
        )
        _stop_started_app(desktop)


def _stop_started_app(desktop: Desktop) -> None:
    """End the app `companion open` started (found by its own environment, not by name)."""
    runtime = desktop.env["XDG_RUNTIME_DIR"]
    for status in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"XDG_RUNTIME_DIR={runtime}".encode() in status.read_bytes().split(b"\0"):
                os.kill(int(status.parent.name), 15)
        except (OSError, ValueError):
            continue

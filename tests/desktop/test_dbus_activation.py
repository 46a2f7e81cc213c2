"""Links over D-Bus activation, for real: a session bus from ``dbus-run-session``, the
desktop entry and service file that ``companion install-url-handler`` writes into a
temporary ``XDG_DATA_HOME``, GLib's own ``gio open`` and the real app (offscreen, as a
subprocess) against the demo PBX in this process. The PBX receiving the dial is the
proof; link confirmation is off (the prompt has its own tests).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from companion.desktop.dbus_application import APP_ID, OBJECT_PATH
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, USER

REPO = Path(__file__).resolve().parents[2]
NEEDS_TOOLS = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("dbus-run-session", "gio", "gdbus", "xdg-mime")),
    reason="needs dbus-run-session (dbus-daemon), gio and gdbus (libglib2.0-bin), xdg-utils",
)
pytestmark = NEEDS_TOOLS


def _wait(condition: Callable[[], object], failure: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(0.05)


class Session:
    """One user's session: XDG dirs, config, keyring and a session bus of its own."""

    def __init__(self, home: Path) -> None:
        for name in ("data", "config", "cache", "runtime", "companion", "sysdata", "sysconfig"):
            (home / name).mkdir(mode=0o700)
        self.home = home
        self.env = {
            **os.environ,
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_DIRS": str(home / "sysdata"),
            "XDG_CONFIG_DIRS": str(home / "sysconfig"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
            "COMPANION_CONFIG_DIR": str(home / "companion"),
            "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
            "COMPANION_TEST_KEYRING_FILE": str(home / "keyring.json"),
            "PYTHONPATH": str(REPO),
            "QT_QPA_PLATFORM": "offscreen",
        }
        for variable in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "DBUS_SESSION_BUS_ADDRESS"):
            self.env.pop(variable, None)
        self.bus: subprocess.Popen[str] | None = None
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
        return done

    def start_bus(self, start_timeout_ms: int | None = None) -> None:
        """A session bus by dbus-run-session, alive while its child reads stdin. The
        daemon (and so every service it starts) has this session's environment.
        `start_timeout_ms`: how long the daemon waits for a service it starts to own its
        name (the standard session bus waits 25 s)."""
        address_file = self.home / "bus-address"
        options = []
        if start_timeout_ms is not None:
            config = self.home / "session.conf"
            config.write_text(
                "<busconfig><include>/usr/share/dbus-1/session.conf</include>"
                f'<limit name="service_start_timeout">{start_timeout_ms}</limit></busconfig>'
            )
            options.append(f"--config-file={config}")
        self.bus = subprocess.Popen(
            [
                "dbus-run-session",
                *options,
                "--",
                "sh",
                "-c",
                f'echo "$DBUS_SESSION_BUS_ADDRESS" > "{address_file}"; read _',
            ],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        _wait(lambda: address_file.is_file() and address_file.read_text().strip(), "no bus")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address_file.read_text().strip()

    def gdbus(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["gdbus", *args], capture_output=True, text=True, env=self.env, timeout=30
        )

    def name_owned(self) -> bool:
        done = self.gdbus(
            "call", "--session", "--dest", "org.freedesktop.DBus",
            "--object-path", "/org/freedesktop/DBus",
            "--method", "org.freedesktop.DBus.NameHasOwner", APP_ID,
        )  # fmt: skip
        return done.stdout.strip() == "(true,)"

    def call(self, method: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.gdbus(
            "call", "--session", "--dest", APP_ID, "--object-path", OBJECT_PATH,
            "--method", f"org.freedesktop.Application.{method}", *args,
        )  # fmt: skip

    def gio_open(self, uri: str) -> None:
        done = subprocess.run(
            ["gio", "open", uri], capture_output=True, text=True, env=self.env, timeout=60
        )
        assert done.returncode == 0, done.stderr

    def companions(self) -> list[int]:
        """The Companion processes of this session (found by its runtime dir)."""
        mark = f"XDG_RUNTIME_DIR={self.env['XDG_RUNTIME_DIR']}".encode()
        found = []
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                if mark in environ.read_bytes().split(b"\0"):
                    cmdline = (environ.parent / "cmdline").read_bytes().split(b"\0")
                    if b"companion" in cmdline and b"-m" in cmdline:
                        found.append(int(environ.parent.name))
            except (OSError, ValueError):
                continue
        return found

    def close(self) -> None:
        if self.app is not None and self.app.poll() is None:
            self.app.terminate()
            self.app.wait(timeout=15)
        for pid in self.companions():  # one the bus started
            os.kill(pid, 15)
        if self.bus is not None:
            assert self.bus.stdin is not None
            self.bus.stdin.close()  # `read` ends, so does the session and its daemon
            self.bus.wait(timeout=15)


@pytest.fixture
def session(tmp_path: Path, sim: Simulator, request: pytest.FixtureRequest) -> Iterator[Session]:
    s = Session(tmp_path)
    s.companion(
        "login", "--url", sim.base_url, "--user", USER, "--password-stdin",
        stdin=REST_PASSWORD + "\n",
    )  # fmt: skip
    s.companion("config", "dialing.region", "DE")
    s.companion("config", "dialing.confirm_links", "false")
    s.companion("install-url-handler")
    bus = getattr(request, "param", {})  # a test's own bus: its timeout, the keyring's delay
    if "keyring_delay" in bus:
        s.env["COMPANION_TEST_KEYRING_DELAY"] = bus["keyring_delay"]
    s.start_bus(bus.get("start_timeout_ms"))
    try:
        yield s
    finally:
        s.close()


def _dialled(sim: Simulator, destination: str) -> Callable[[], bool]:
    return lambda: any(a.destination == destination for a in sim.state.actions)


def test_gio_open_hands_the_link_to_the_running_app(session: Session, sim: Simulator) -> None:
    session.app = subprocess.Popen(
        [sys.executable, "-m", "companion"], env=session.env, stderr=subprocess.DEVNULL
    )
    _wait(session.name_owned, f"the app never owned {APP_ID} on the session bus")
    assert session.companions() == [session.app.pid]

    session.gio_open("tel:+49-89-123456")

    _wait(_dialled(sim, "+4989123456"), "the link never reached the PBX")
    assert session.companions() == [session.app.pid]  # no second process was started
    assert session.app.poll() is None


def test_gio_open_with_no_app_running_starts_it_with_the_link(
    session: Session, sim: Simulator
) -> None:
    assert session.companions() == [] and not session.name_owned()

    session.gio_open("tel:223")  # D-Bus runs the service file's Exec, then delivers Open

    _wait(_dialled(sim, "223"), "the app D-Bus started never dialled the link", timeout=60)
    assert session.name_owned()
    started = session.companions()
    assert len(started) == 1
    # the quit action ends it, as the desktop's "Quit" would
    assert session.call("ActivateAction", "quit", "[]", "{}").returncode == 0
    _wait(lambda: not session.name_owned(), "the quit action did not end the app")
    _wait(lambda: session.companions() == [], "the app did not exit")


def test_a_later_link_and_activate_reach_the_same_app(session: Session, sim: Simulator) -> None:
    session.app = subprocess.Popen(
        [sys.executable, "-m", "companion"], env=session.env, stderr=subprocess.DEVNULL
    )
    _wait(session.name_owned, "the app never owned its name")
    assert session.call("Activate", "{}").returncode == 0
    done = session.call("Open", "['sip:224@pbx.example']", "{}")
    assert done.returncode == 0, done.stderr
    _wait(_dialled(sim, "224"), "Open over D-Bus never reached the PBX")
    assert session.companions() == [session.app.pid]


# The bus waits 4 s for a service it starts; the keyring answers after 6 s, as an unlock
# prompt does: the app must take its name before it has the password.
@pytest.mark.parametrize(
    "session", [{"start_timeout_ms": 4000, "keyring_delay": "6"}], indirect=True
)
def test_a_start_waiting_for_the_keyring_still_takes_the_link_that_started_it(
    session: Session, sim: Simulator
) -> None:
    session.gio_open("tel:225")  # fails if D-Bus gave up waiting for the name
    _wait(_dialled(sim, "225"), "the link never reached the PBX", timeout=60)
    assert len(session.companions()) == 1

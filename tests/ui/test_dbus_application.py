"""org.freedesktop.Application in the running app (in this process), called over a real
bus: a dbus-daemon of the test's own, QtDBus on the app's side, gdbus on the caller's."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtDBus import QDBusConnection

from companion.app import Companion
from companion.desktop.dbus_application import APP_ID, OBJECT_PATH
from companion.desktop.integration import DesktopIntegration
from companion.simulator import Simulator
from tests.ui.conftest import until
from tests.ui.test_app import logged_in

pytestmark = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None or shutil.which("gdbus") is None,
    reason="needs dbus-daemon and gdbus (libglib2.0-bin)",
)


@pytest.fixture
def bus() -> Iterator[str]:
    """The address of a private session-type bus, for this test only."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    yield address
    QDBusConnection.disconnectFromBus("companion-test")
    daemon.terminate()
    daemon.wait(timeout=10)


def _call(address: str, method: str, *args: str) -> subprocess.Popen[str]:
    """Call a method without waiting (the app answers only while the loop runs)."""
    return subprocess.Popen(
        ["gdbus", "call", "--address", address, "--dest", APP_ID, "--object-path",
         OBJECT_PATH, "--method", f"org.freedesktop.Application.{method}", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _connected(companion: Companion) -> bool:
    return companion.controller is not None and companion.controller.reachable is True


def test_open_activate_and_actions_over_the_bus(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
    bus: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COMPANION_INSTANCE", raising=False)
    logged_in(sim)
    desktop = DesktopIntegration(app)
    assert desktop.own_bus_name(QDBusConnection.connectToBus(bus, "companion-test"))
    app.launch()
    until(loop, lambda: _connected(app))

    # a malformed link is explained in words, nothing is dialled, the call succeeds
    call = _call(bus, "Open", "['tel:call-me-maybe']", "{}")
    until(loop, lambda: call.poll() is not None and app.shell.notices)
    assert call.returncode == 0, call.communicate()[1]
    notice = app.shell.notices[-1]
    assert notice.error and "call-me-maybe" in notice.text
    assert sim.state.actions == []

    # Activate (a start from the menu) brings the dial window forward
    assert app.shell.dial_window is None
    call = _call(bus, "Activate", "{'desktop-startup-id': <'x'>}")
    until(loop, lambda: app.shell.dial_window is not None and app.shell.dial_window.isVisible())
    until(loop, lambda: call.poll() is not None)
    assert call.returncode == 0

    # the inbox action opens the fax tab; an unknown action changes nothing
    call = _call(bus, "ActivateAction", "inbox", "[<'fax'>]", "{}")
    until(loop, lambda: app.shell.inbox_window is not None and app.shell.inbox_window.isVisible())
    until(loop, lambda: call.poll() is not None)
    unknown = _call(bus, "ActivateAction", "make-coffee", "[]", "{}")
    until(loop, lambda: unknown.poll() is not None)
    assert unknown.returncode == 0 and not app.quitting

    desktop.close()  # gives the name back
    call = _call(bus, "Activate", "{}")
    until(loop, lambda: call.poll() is not None)
    assert call.returncode != 0  # nobody owns the name any more


def test_a_name_owned_by_another_program_leaves_the_app_as_it_was(
    loop: qasync.QEventLoop,
    app: Companion,
    bus: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COMPANION_INSTANCE", raising=False)
    other = QDBusConnection.connectToBus(bus, "companion-other")
    try:
        assert other.registerService(APP_ID)
        desktop = DesktopIntegration(app)
        assert not desktop.own_bus_name(QDBusConnection.connectToBus(bus, "companion-test"))
        assert desktop.bus_service is None
        desktop.close()
    finally:
        QDBusConnection.disconnectFromBus("companion-other")

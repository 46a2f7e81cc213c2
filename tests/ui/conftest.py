"""UI tests: real widgets (offscreen) on a qasync loop, against the demo PBX over a socket.

Drive widgets with QTest/qtbot synchronously, then let the loop run until the PBX (or
the widget) shows the effect: `until(loop, lambda: ...)`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keyring
import pytest
import qasync
import shiboken6
from PySide6.QtWidgets import QApplication

from companion import credentials
from companion.app import Companion
from companion.controller import Controller
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from companion.ui.dial_window import DialWindow


@pytest.fixture(scope="session")
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """One qasync loop for the session, as in the app: loops made and closed per test on
    one QApplication leave socket notifiers behind that crash qasync later."""
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a window must not stop the loop
    event_loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


def run(loop: qasync.QEventLoop, work: Coroutine[Any, Any, Any]) -> Any:
    """Run `work` to its end on the loop, by run_forever.

    Not run_until_complete: qasync 0.28's processes Qt events once more after it has
    unset the running loop, and a request's task step that lands there fails in anyio
    ("no running event loop"). The app itself only ever uses run_forever.
    """
    task = loop.create_task(work)
    task.add_done_callback(lambda _task: loop.stop())
    loop.run_forever()
    if not task.done():
        task.cancel()
        raise AssertionError("the loop stopped before the work was done")
    return task.result()


def until(loop: qasync.QEventLoop, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Run the loop (Qt events and asyncio) until `condition()` is true, or fail."""

    async def wait() -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.005)

    run(loop, wait())


@pytest.fixture
def controller(loop: qasync.QEventLoop, sim: Simulator) -> Iterator[Controller]:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    ctl = Controller(pbx, region="DE", poll_interval=3600)
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "config"
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(directory))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # autostart lives here
    return directory


@pytest.fixture
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    credentials.use_memory_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def app(
    qapp: QApplication, loop: qasync.QEventLoop, config_dir: Path, memory_keyring: None
) -> Iterator[Companion]:
    companion = Companion(qapp, tray_available=lambda: False)
    yield companion
    run(loop, companion.shutdown())
    shell = companion.shell
    for thing in (shell.window, shell.menu, shell, companion):  # here, not on another thread
        if thing is not None and shiboken6.isValid(thing):
            shiboken6.delete(thing)


@pytest.fixture
def window(loop: qasync.QEventLoop, controller: Controller, qtbot: QtBot) -> DialWindow:
    """The dial window on the demo PBX, shown and with its first results."""
    from companion.ui.dial_window import DialWindow
    from tests.ui.dialing import settled

    dial = DialWindow(controller)
    qtbot.addWidget(dial)
    dial.show_and_focus()
    until(loop, lambda: settled(dial) and dial.model.rowCount() > 0)
    return dial


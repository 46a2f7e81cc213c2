"""UI tests: real widgets (offscreen) on a qasync loop, against the demo PBX over a socket.

Drive widgets with QTest/qtbot synchronously, then let the loop run until the PBX (or
the widget) shows the effect: `until(loop, lambda: ...)`.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from companion.controller import Controller  # noqa: E402
from companion.pbx.pascom import PascomPbx  # noqa: E402
from companion.simulator import Simulator  # noqa: E402
from tests.conftest import REST_PASSWORD, REST_USER, USER  # noqa: E402


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


def until(loop: qasync.QEventLoop, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Run the loop (Qt events and asyncio) until `condition()` is true, or fail."""

    async def wait() -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.01)

    loop.run_until_complete(wait())


def run(loop: qasync.QEventLoop, work: object) -> object:
    """Run one coroutine to its end on the test loop."""
    return loop.run_until_complete(work)  # type: ignore[arg-type]


@pytest.fixture
def controller(loop: qasync.QEventLoop, sim: Simulator) -> Iterator[Controller]:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    ctl = Controller(pbx, region="DE", poll_interval=3600)
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())

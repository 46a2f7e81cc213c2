"""Companion's GUI as `companion` runs it, telling incoming_call.py what it shows and when.

    python benchmarks/_live_probe.py

It starts the app exactly as `companion.gui_process.run` does (QApplication, qasync loop,
Companion, desktop integration) and adds nothing until SIGUSR1 arrives, so the idle
figures are those of the app itself. On SIGUSR1 it starts to watch and prints one line
per thing seen, with `time.monotonic()` (CLOCK_MONOTONIC: the same clock in every
process on Linux, so the benchmark can compare it with the simulator's ring):

    watching popups=<yes|no>       whether the app holds a CallPopups
    ringing <call id> <t>          the controller's call_event RINGING
    popup <call id> <t>            a CallPopup widget got its Show event
    voicemail <new> <total> <t>    the controller's voicemail_changed (the badge's count)

SIGTERM quits like the app does.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtCore import QEvent, QObject

from companion.app import Companion, application
from companion.desktop.integration import DesktopIntegration
from companion.session.calls import CallEvent, CallEventKind
from companion.ui.call_popup import CallPopup, CallPopups


def say(*words: object) -> None:
    print(*words, flush=True)


def has_popups(companion: Companion) -> bool:
    """Whether the running app holds a CallPopups (as an attribute or a Qt child)."""
    for owner in (companion, companion.shell):
        if any(isinstance(value, CallPopups) for value in vars(owner).values()):
            return True
        if owner.findChildren(CallPopups):
            return True
    return False


class ShowWatcher(QObject):
    """Reports each CallPopup's Show event (installed on the application)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, CallPopup):
            say("popup", watched.call_id, time.monotonic())
        return False


def watch(companion: Companion, keep: list[Any]) -> None:
    controller = companion.controller
    if controller is None:
        say("error the app has no controller (not logged in?)")
        return

    def on_call(event: CallEvent) -> None:
        if event.kind is CallEventKind.RINGING:
            say("ringing", event.call.id, time.monotonic())

    def on_voicemail(counts: Any, _messages: list[Any]) -> None:
        if counts is not None:
            say("voicemail", counts.new, counts.total, time.monotonic())

    controller.call_event.connect(on_call)
    controller.voicemail_changed.connect(on_voicemail)
    watcher = ShowWatcher()
    companion.app.installEventFilter(watcher)
    keep.extend([on_call, on_voicemail, watcher])
    say("watching", f"popups={'yes' if has_popups(companion) else 'no'}")


def main() -> int:
    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    keep: list[Any] = []
    companion = Companion(app)
    desktop = DesktopIntegration(companion)
    if not desktop.listen():
        say("error another Companion runs with this runtime dir")
        return 1
    loop.add_signal_handler(signal.SIGTERM, companion.quit)
    loop.add_signal_handler(signal.SIGUSR1, lambda: watch(companion, keep))
    started = companion.launch()
    started.add_done_callback(lambda _done: desktop.register_hotkeys())
    started.add_done_callback(lambda _done: say("started"))
    try:
        loop.run_forever()
        desktop.close()
        loop.run_until_complete(companion.shutdown())
    finally:
        with contextlib.suppress(Exception):
            loop.remove_signal_handler(signal.SIGTERM)
            loop.remove_signal_handler(signal.SIGUSR1)
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

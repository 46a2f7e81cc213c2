"""The GUI process: one Companion per user session, on Qt's loop with asyncio on it.

:func:`run` is what ``companion`` (and ``companion --demo``) runs without a subcommand:
it hands a link (or "show") to a Companion that runs already, else makes the
QApplication and a qasync loop, starts a :class:`~companion.app.Companion` with its
desktop integration and runs until the user quits (or SIGTERM/SIGINT arrives), then
stops the controller, closing its connection to the PBX, before the loop closes. The
D-Bus name, the global hotkeys and :func:`settle_memory` come after the start, so that
its first PBX request does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import linecache
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import qasync

from companion.app import Companion, application
from companion.output import UserError

if TYPE_CHECKING:
    from companion.early_start import EarlyStart

# A start that waits longer than this (an unlock prompt) offers its D-Bus name meanwhile.
OFFER_LINKS_AFTER = 1.0


def _once(action: Callable[[], object]) -> Callable[[], None]:
    """`action`, carried out on the first call only."""
    done = False

    def first_time() -> None:
        nonlocal done
        if not done:
            done = True
            action()

    return first_time


def check_display() -> None:
    """Fail in words, not with Qt's abort, where Linux has no display to show windows on."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UserError(
            "there is no display to show Companion on (neither DISPLAY nor WAYLAND_DISPLAY"
            " is set); the subcommands work without one: companion --help"
        )


def settle_memory() -> None:
    """Once the app has started: leave what exists now out of the garbage collector's walks.

    The windows, the Qt wrappers and the modules live as long as the app. Without this
    each full collection walks them all: while a directory sync makes 100,000 contacts
    such collections held the GUI for 80-110 ms; frozen, about 20 ms (gc.freeze, once).

    The source lines PySide6 read (and linecache kept) for its check of every module
    imported after it go too: a traceback reads them again when it needs them.
    """
    linecache.clearcache()
    gc.collect()
    gc.freeze()


def run(demo: bool = False, open_uri: str | None = None, early: EarlyStart | None = None) -> int:
    """Run the GUI until the user quits; the process's exit code.

    One Companion per user session: if one runs already, this start hands it the link
    (or asks it to show the dial window) and ends. `early`: what the start read before Qt.
    """
    from companion.desktop.single_instance import InstanceError, Refused, forward

    message = f"open {open_uri}" if open_uri else "show"
    try:
        if forward(message):
            return 0
    except (InstanceError, Refused) as exc:
        raise UserError(str(exc)) from None
    check_display()
    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        from companion.desktop.integration import DesktopIntegration

        companion = Companion(app, demo=demo)
        desktop = DesktopIntegration(companion)
        try:
            listening = desktop.listen()
        except InstanceError as exc:  # e.g. the socket's directory is another user's
            raise UserError(str(exc)) from None
        if not listening:  # another start won the race since forward() above
            return 0 if forward(message) else 1
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, companion.quit)
        # Started inside run_forever, not by run_until_complete: qasync runs pending
        # callbacks once more after run_until_complete, outside any running loop, and
        # the poller started by start() must never run there.
        started = companion.launch(early)
        # The D-Bus name after the start, whose first request does not wait for it (and
        # after the socket: D-Bus may hand over a link at once); a start still waiting
        # after a second (an unlock prompt) takes it then, before D-Bus gives up on the
        # link that started it.
        offer_links = _once(desktop.own_bus_name)
        started.add_done_callback(lambda _done: offer_links())
        loop.call_later(OFFER_LINKS_AFTER, offer_links)
        started.add_done_callback(lambda _done: desktop.register_hotkeys())
        started.add_done_callback(lambda _done: settle_memory())
        if open_uri:
            desktop.open_link(open_uri)  # waits for the PBX connection
        if not companion.quitting:
            loop.run_forever()
        desktop.close()
        loop.run_until_complete(companion.shutdown())
    finally:
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)
        loop.close()
        asyncio.set_event_loop(None)
    return 0

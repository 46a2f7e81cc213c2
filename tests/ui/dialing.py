"""Driving the dial window from the keyboard in tests: typing, keys, waiting for results."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import qasync
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from companion.ui.dial_window import DialWindow, ResultRow
from tests.ui.conftest import run, until


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard does, also letters QTest.keyClicks cannot (ü, ß)."""
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def key(window: DialWindow, sequence: str) -> None:
    """Press a key combination in the search field (where the focus is)."""
    keys = sequence.split("+")
    modifiers = Qt.KeyboardModifier.NoModifier
    names = {
        "Ctrl": Qt.KeyboardModifier.ControlModifier,
        "Alt": Qt.KeyboardModifier.AltModifier,
        "Shift": Qt.KeyboardModifier.ShiftModifier,
    }
    for name in keys[:-1]:
        modifiers |= names[name]
    special = {
        "Esc": Qt.Key.Key_Escape,
        "Enter": Qt.Key.Key_Return,
        "Up": Qt.Key.Key_Up,
        "Down": Qt.Key.Key_Down,
        "Del": Qt.Key.Key_Delete,
    }
    last = keys[-1]
    code = special.get(last) or Qt.Key(ord(last.upper()))
    QTest.keyClick(window.focusWidget() or window.search, code, modifiers)


def follow(loop: qasync.QEventLoop, window: DialWindow, condition: Callable[[], object]) -> None:
    """Look at the PBX's live calls (the session's live poll, one step at a time) until
    `condition()`: the background poll would run task steps where qasync has no loop."""

    async def wait() -> None:
        deadline = time.monotonic() + 10.0
        while True:
            await window.controller.session.live.poll_once()
            if condition():
                return
            if time.monotonic() > deadline:
                raise AssertionError("condition not met within 10 s")
            await asyncio.sleep(0.02)

    run(loop, wait())


def confirm(loop: qasync.QEventLoop, window: DialWindow) -> None:
    """Press Enter on the transfer question once it is there."""
    until(
        loop,
        lambda: window.dialer.transfer_box is not None and window.dialer.transfer_box.isVisible(),
    )
    assert window.dialer.transfer_box is not None
    QTest.keyClick(window.dialer.transfer_box, Qt.Key.Key_Return)


def settled(window: DialWindow) -> bool:
    """The results shown answer the text in the search field, and no search is running."""
    return not window.search_pending and window.shown_query == window.search.text().strip()


def search(loop: qasync.QEventLoop, window: DialWindow, text: str) -> list[ResultRow]:
    window.search.selectAll()
    type_text(window.search, text)
    assert window.search.text() == text
    until(loop, lambda: settled(window))
    return window.model.rows


def titles(window: DialWindow) -> list[str]:
    return [row.title for row in window.model.rows]

"""The dial window's keys: the shortcuts, and Up/Down/PgUp/PgDn (Ctrl+Up/Down: move a
favourite) handed from the search field to the results, so typing never leaves it.

The keys are listed in :mod:`companion.ui.dial_window`'s docstring and its tooltips.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow


class SearchField(QLineEdit):
    """The search field; hands Up/Down/PgUp/PgDn and the menu key to the window."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)
        self._window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if navigate(self._window, event):
            return
        super().keyPressEvent(event)


def add_shortcuts(window: DialWindow) -> None:
    """The window's shortcuts, for the window and everything in it."""

    def add(keys: str | QKeySequence.StandardKey, slot: Any) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    add("Esc", window.hide)
    add("Ctrl+H", window.hang_up)
    add("Ctrl+Shift+H", window.hold)
    add("Ctrl+T", window.dialer.transfer)
    add("Ctrl+D", window.focus_dtmf)
    add("Ctrl+P", window.favourites.toggle)
    add("Ctrl+S", window.contacts.save)
    add("Ctrl+E", window.contacts.edit)
    add("Ctrl+Shift+Del", window.contacts.delete)
    add("Ctrl+L", window.focus_search)
    add("Shift+F10", window.menu.for_current)
    add("Menu", window.menu.for_current)
    for n in range(1, 10):
        add(f"Alt+{n}", lambda n=n: window.dialer.dial_number(n))


def navigate(window: DialWindow, event: QKeyEvent) -> bool:
    """Up/Down/PgUp/PgDn move the selection while the search field has focus."""
    key = Qt.Key(event.key())
    model, results = window.model, window.results
    count = model.rowCount()
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers == Qt.KeyboardModifier.ControlModifier and key in (
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
    ):
        window.favourites.move(-1 if key == Qt.Key.Key_Up else 1)
        return True
    if modifiers:
        return False
    page = max(results.viewport().height() // 60, 1)
    steps = {
        Qt.Key.Key_Up: -1,
        Qt.Key.Key_Down: 1,
        Qt.Key.Key_PageUp: -page,
        Qt.Key.Key_PageDown: page,
    }
    if key not in steps:
        return False
    if count == 0:
        return True
    current = results.currentIndex().row()
    target = min(max(current + steps[key], 0), count - 1) if current >= 0 else 0
    index = model.index(target, 0)
    results.setCurrentIndex(index)
    results.scrollTo(index)
    window.finder.moved_since_typing = True
    return True

"""Where a window opens and how wide a dialog must be for its title.

Without help a new top-level window opens where the window manager puts it, which for
the no-tray window's dial and inbox windows was the screen's top-left corner, far from
where the user clicked. `place_near` puts a window beside the fallback window or next
to the tray icon instead, inside the screen's free area.

On Wayland no client may choose where its windows open (the compositor places them and
Qt ignores `move()`), and a StatusNotifierItem tray icon has no geometry either: there
`place_near` does nothing and says so once in the log, instead of pretending.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

GAP = 8  # pixels between the window and what it opens beside
TITLE_EXTRA = 140  # the title bar's buttons and icon, besides the title's text

CANNOT_PLACE = (
    "This desktop (Wayland) decides where windows open: Companion cannot open its windows"
    " next to the tray icon or stack call pop-ups in a corner"
)
_log = logging.getLogger(__name__)
_said: set[str] = set()


def windows_can_be_placed() -> bool:
    """False where the platform ignores a window's position (Wayland)."""
    return not QGuiApplication.platformName().startswith("wayland")


def say_cannot_place() -> None:
    """Log :data:`CANNOT_PLACE` once per process (it is no error: windows still open)."""
    if CANNOT_PLACE not in _said:
        _said.add(CANNOT_PLACE)
        _log.info(CANNOT_PLACE)


def place_near(window: QWidget, anchor: QRect) -> bool:
    """Move `window` beside `anchor` (a window's or the tray icon's frame, global
    coordinates): to its right, else to its left; above or below a tray icon.

    False where it could not: no anchor (a tray icon without a geometry), no screen, or
    a platform that places windows itself (see :func:`windows_can_be_placed`).
    """
    if not windows_can_be_placed():
        say_cannot_place()
        return False
    if not anchor.isValid():
        return False
    screen = QGuiApplication.screenAt(anchor.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return False
    free = screen.availableGeometry()
    size = window.frameGeometry().size().expandedTo(window.sizeHint())
    if anchor.width() > size.width() // 2 or anchor.height() > size.height() // 2:
        # a window: beside it, tops aligned; where neither side has room, the side with
        # more (the screen's edge then keeps it on the screen, overlapping a little)
        right = anchor.right() + GAP
        left = anchor.left() - GAP - size.width()
        fits_right = right + size.width() <= free.right()
        room_right = free.right() - anchor.right()
        room_left = anchor.left() - free.left()
        x = right if fits_right or (left < free.left() and room_right >= room_left) else left
        y = anchor.top()
    else:  # a tray icon: above it on a bottom panel, below it on a top panel
        x = anchor.center().x() - size.width() // 2
        below = anchor.center().y() < free.center().y()
        y = anchor.bottom() + GAP if below else anchor.top() - GAP - size.height()
    x = max(free.left(), min(x, free.right() - size.width()))
    y = max(free.top(), min(y, free.bottom() - size.height()))
    window.move(QPoint(x, y))
    return True


def fit_title(dialog: QWidget) -> None:
    """Make `dialog` at least wide enough that the window manager shows its whole title."""
    title = dialog.windowTitle()
    app_name = QGuiApplication.applicationDisplayName()
    if app_name and not title.endswith(app_name):  # what Qt appends on Linux and Windows
        title = f"{title} — {app_name}"
    needed = dialog.fontMetrics().horizontalAdvance(title) + TITLE_EXTRA
    if dialog.minimumWidth() < needed:
        dialog.setMinimumWidth(needed)

"""Where a window opens and how wide a dialog must be for its title.

Without help a new top-level window opens where the window manager puts it, which for
the no-tray window's dial and inbox windows was the screen's top-left corner, far from
where the user clicked. `place_near` puts a window beside the fallback window or next
to the tray icon instead, inside the screen's free area.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

GAP = 8  # pixels between the window and what it opens beside
TITLE_EXTRA = 140  # the title bar's buttons and icon, besides the title's text


def place_near(window: QWidget, anchor: QRect) -> None:
    """Move `window` beside `anchor` (a window's or the tray icon's frame, global
    coordinates): to its right, else to its left; above or below a tray icon."""
    if not anchor.isValid():
        return
    screen = QGuiApplication.screenAt(anchor.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
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


def fit_title(dialog: QWidget) -> None:
    """Make `dialog` at least wide enough that the window manager shows its whole title."""
    title = dialog.windowTitle()
    app_name = QGuiApplication.applicationDisplayName()
    if app_name and not title.endswith(app_name):  # what Qt appends on Linux and Windows
        title = f"{title} — {app_name}"
    needed = dialog.fontMetrics().horizontalAdvance(title) + TITLE_EXTRA
    if dialog.minimumWidth() < needed:
        dialog.setMinimumWidth(needed)

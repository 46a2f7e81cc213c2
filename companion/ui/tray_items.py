"""What the tray menu's submenus share: a name from the PBX made safe for menu text, a
call's time in the user's words, and one action per entry of a list kept in step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

WHY = " — "  # between an item's name and why it does not work now


def escape(text: str) -> str:
    """Menu text shows '&' as a shortcut marker: double it in names from the PBX."""
    return text.replace("&", "&&")


def when(value: datetime | None) -> str:
    """A call's time in the user's locale: the time alone for today's calls."""
    if value is None:
        return ""
    local = value.astimezone()
    locale = QLocale()
    time_text = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
    if local.date() == datetime.now().astimezone().date():
        return time_text
    day = QDate(local.year, local.month, local.day)
    return f"{locale.toString(day, 'd MMM')} {time_text}"  # recent: no year needed


def sync_actions(
    menu: QMenu,
    actions: dict[str, QAction],
    keys: list[str],
    before: QAction | None,
    make: Callable[[str], QAction],
) -> None:
    """Make `actions` hold one action per key, in order, in `menu` before `before`."""
    if list(actions) == keys:
        return
    for action in actions.values():
        menu.removeAction(action)
        action.deleteLater()
    actions.clear()
    for key in keys:
        action = make(key)
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)
        actions[key] = action

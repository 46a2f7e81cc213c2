"""The favourites in the tray menu: up to nine entries under Dial, each calling its main
number, a colleague's with a presence dot. The fallback window shows the same actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu

from companion.controller import Controller
from companion.favourites import Favourite
from companion.pbx.models import Presence
from companion.ui.dial_results import PRESENCE_COLOURS, presence_word

MENU_FAVOURITES = 9


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)


def presence_icon(presence: Presence | None) -> QIcon:
    """A dot in the presence's colour; an empty icon (same width) for no presence."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    if presence is not None:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("white"))
        painter.setBrush(PRESENCE_COLOURS.get(presence, PRESENCE_COLOURS[Presence.UNKNOWN]))
        painter.drawEllipse(QRectF(3, 3, 10, 10))
        painter.end()
    return QIcon(pixmap)


class FavouriteEntries:
    """Keeps the favourites' actions in `menu`, just before `before`."""

    def __init__(self, menu: QMenu, before: QAction, on_error: Callable[[str], None]) -> None:
        self.menu = menu
        self.before = before
        self.on_error = on_error
        self.actions: list[QAction] = []
        self.rendered: list[Callable[[], None]] = []  # told after the actions are made anew

    def render(self, controller: Controller | None) -> None:
        for action in self.actions:
            self.menu.removeAction(action)
            action.deleteLater()
        self.actions = []
        if controller is not None:
            for n, favourite in enumerate(controller.favourites[:MENU_FAVOURITES], start=1):
                self.actions.append(self._action(controller, favourite, n))
        for listener in self.rendered:
            listener()

    def _action(self, controller: Controller, favourite: Favourite, n: int) -> QAction:
        action = QAction(self.menu)
        action.setText(self._text(controller, favourite, n))
        state = controller.favourites.presence.get(favourite.user_name)
        if favourite.user_name and state is None:
            state = Presence.UNKNOWN
        action.setIcon(presence_icon(state))
        action.setEnabled(bool(favourite.number))
        action.triggered.connect(lambda _=False, f=favourite: self._dial(controller, f))
        self.menu.insertAction(self.before, action)
        return action

    @staticmethod
    def _text(controller: Controller, favourite: Favourite, n: int) -> str:
        shown = controller.display(favourite.number) if favourite.number else ""
        name = (favourite.name or shown).replace("&", "&&")
        label = f"{name}  ·  {shown}" if shown and shown != favourite.name else name
        presence = controller.favourites.presence.get(favourite.user_name)
        if presence is not None:
            label += "  ·  " + presence_word(presence)
        return f"&{n}  {label}"

    def _dial(self, controller: Controller, favourite: Favourite) -> None:
        controller.spawn(controller.dial(favourite.number), on_error=self.on_error)

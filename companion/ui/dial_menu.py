"""The dial window's context menu for the chosen row (right click, Menu, Shift+F10):
call each number, transfer, copy, pin or move a favourite, and the private-contact
actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from companion.ui.painted_icons import CALL_GREEN, painted_icon

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)  # the window's texts, one context


class DialMenu(QObject):
    """The context menu of one dial window's results."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)  # a child of the window: it goes with it
        self.window = window

    def at(self, pos: QPoint) -> None:
        """The menu for the row under `pos` (in the results' viewport), chosen first."""
        results = self.window.results
        index = results.indexAt(pos)
        if index.isValid():
            results.setCurrentIndex(index)
            self.window.finder.moved_since_typing = True
        self._popup(results.viewport().mapToGlobal(pos))

    def for_current(self) -> None:
        """The menu for the chosen row, at that row (from the keyboard)."""
        results = self.window.results
        rect = results.visualRect(results.currentIndex())
        point = rect.center() if rect.isValid() else QPoint(20, 20)
        self._popup(results.viewport().mapToGlobal(point))

    def build(self) -> QMenu:
        """The menu for the chosen row (also what tests look at)."""
        window = self.window
        menu = QMenu(window)
        row = window.current_row()
        if row is not None:
            for n, target in enumerate(row.targets, start=1):
                text = _tr("Call {0}").format(f"{target.kind} {target.display}".strip())
                action = menu.addAction(painted_icon("call", CALL_GREEN), text)
                if n <= 9:
                    action.setShortcut(QKeySequence(f"Alt+{n}"))
                action.triggered.connect(
                    lambda _=False, i=n - 1, r=row: window.dialer.dial_row(r, i)
                )
            if window.call_active and row.targets:
                menu.addAction(_tr("Transfer the call here"), window.dialer.transfer)
            if row.targets:
                number = row.targets[0].display

                def copy(number: str = number) -> None:
                    QGuiApplication.clipboard().setText(number)

                menu.addAction(_tr("Copy number"), copy)
            favourites = window.favourites
            if row.favourite is not None:
                pin = menu.addAction(_tr("Unpin from favourites"), favourites.toggle)
                pin.setShortcut(QKeySequence("Ctrl+P"))
                if not window.shown_query:
                    up = menu.addAction(_tr("Move up"), lambda: favourites.move(-1))
                    up.setShortcut(QKeySequence("Ctrl+Up"))
                    down = menu.addAction(_tr("Move down"), lambda: favourites.move(1))
                    down.setShortcut(QKeySequence("Ctrl+Down"))
            elif favourites.favourite_of(row) is not None:
                pin = menu.addAction(_tr("Pin to favourites"), favourites.toggle)
                pin.setShortcut(QKeySequence("Ctrl+P"))
            menu.addSeparator()
        contacts = window.contacts
        if contacts.savable(row) is not None:
            menu.addAction(_tr("Save as contact…"), contacts.save)
        if row is not None and row.editable:
            menu.addAction(_tr("Edit…"), contacts.edit)
            menu.addAction(_tr("Delete…"), contacts.delete)
        return menu

    def _popup(self, where: QPoint) -> None:
        menu = self.build()
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

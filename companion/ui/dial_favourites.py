"""The dial window's favourites: pin or unpin the chosen row (Ctrl+P), move a favourite
(Ctrl+Up/Down), and show the new marks and order when the favourites change.

What a favourite keeps lives in :mod:`companion.favourites`; the controller saves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from companion import favourites as favourite_list
from companion.config import ConfigError
from companion.favourites import Favourite
from companion.ui.dial_results import ResultRow

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)  # the window's texts, one context


class DialFavourites(QObject):
    """Pinning, unpinning and moving favourites from one dial window."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)  # a child of the window: it goes with it
        self.window = window
        self.controller = window.controller

    def favourite_of(self, row: ResultRow | None) -> Favourite | None:
        """What pinning `row` would keep: its contact, else its number."""
        if row is None or (not row.targets and row.contact is None):
            return None
        if row.favourite is not None:
            return row.favourite
        if row.contact is not None:
            return favourite_list.of_contact(row.contact)
        known = self.controller.known_contact(row.targets[0].number)
        if known is not None:
            return favourite_list.of_contact(known)
        return favourite_list.of_number(row.targets[0].number, row.name)

    def toggle(self) -> None:
        """Ctrl+P: pin the chosen row to the favourites, or unpin it."""
        window = self.window
        row = window.current_row()
        favourite = self.favourite_of(row)
        if row is None or favourite is None:
            window.show_error(_tr("Choose a contact or a recent call to pin it."))
            return
        pinned = row.favourite is not None
        name = favourite.name or window.finder.rows.display(favourite.number)
        try:
            if pinned:
                self.controller.favourites.unpin(favourite)
            else:
                self.controller.favourites.pin(favourite)
        except ConfigError as exc:  # kept for this session
            window.show_error(str(exc))
            return
        if pinned:
            window.show_info(_tr("Removed {0} from your favourites.").format(name))
        else:
            window.show_info(_tr("Pinned {0} to your favourites.").format(name))

    def move(self, step: int) -> None:
        """Ctrl+Up/Down: move the chosen favourite in the list of favourites."""
        window = self.window
        row = window.current_row()
        if window.shown_query or row is None or row.favourite is None:
            window.show_error(_tr("Clear the search field and choose a favourite to move it."))
            return
        try:
            self.controller.favourites.move(row.favourite, step)
        except ConfigError as exc:
            window.show_error(str(exc))

    def changed(self) -> None:
        """Show the new pin marks and order; the chosen row stays chosen."""
        window, finder = self.window, self.window.finder
        key = key_of(window.current_row())
        finder.rebuild_rows()
        finder.show_rows(finder.shown_query or "", answered=finder.shown_query is not None)
        if key is None:
            return
        for n, row in enumerate(window.model.rows):
            if key_of(row) == key:
                window.results.setCurrentIndex(window.model.index(n, 0))
                window.results.scrollTo(window.model.index(n, 0))
                break


def key_of(row: ResultRow | None) -> tuple[str, str] | None:
    """What identifies `row`'s contact or favourite across a rebuild of the rows."""
    if row is None:
        return None
    if row.favourite is not None:
        return row.favourite.key
    if row.contact is not None:
        return favourite_list.of_contact(row.contact).key
    return ("", row.targets[0].number) if row.targets else None

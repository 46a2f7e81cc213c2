"""The dial window's search: what is typed, looked up (local index or PBX), and shown.

With the search field empty it shows the favourites and the recent calls; otherwise the
typed number (if it reads as one) above the contacts found. A search that a newer
keystroke made stale is cancelled; one that failed runs again once the PBX is back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from companion import numbers
from companion.numbers import NumberError
from companion.pbx import errors
from companion.pbx.models import CallRecord, Contact, Presence
from companion.ui.dial_results import ResultRow
from companion.ui.dial_rows import RowMaker

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow

DEBOUNCE_MS = 150
SEARCH_LIMIT = 50
HISTORY_LIMIT = 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)  # the window's texts, one context


class DialSearch(QObject):
    """The search of one dial window and the rows it shows."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)  # a child: the controller's signals to it end with the window
        self.window = window
        self.controller = window.controller
        self.rows = RowMaker(window.controller)
        self.search_task: asyncio.Task[Any] | None = None  # the search on its way
        self.shown_query: str | None = None  # the text the shown results answer
        self.number_row: ResultRow | None = None
        self.result_rows: list[ResultRow] = []
        self.total = 0  # matches on the PBX (may be more than shown)
        self.history_rows: list[ResultRow] = []
        self.history: list[CallRecord] = []  # the recent calls the rows were made from
        self.when_ready: Callable[[], None] | None = None  # Enter/Ctrl+T before results
        # The text whose search failed and why: Enter then says why, not "no number";
        # once the PBX is back, that search runs again.
        self.failed_search: tuple[str, str] | None = None
        self.moved_since_typing = False
        self._searching = False
        self.presence: dict[str, Presence] = {}  # last known, for rows from the local index

        self.debounce = QTimer(window)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.start)

    @property
    def text(self) -> str:
        return self.window.search.text().strip()

    def text_changed(self, text: str) -> None:
        window = self.window
        self.cancel()
        self.moved_since_typing = False
        self.when_ready = None  # Enter was for the text before this keystroke
        if window.message_kind == "error":  # it was about what was typed before
            window.hide_message()
        self.number_row = self.rows.typed_row(text)
        self.schedule()
        # The typed number shows at once, above the rows shown so far; the search
        # replaces those when it answers.
        if self.number_row is not None:
            self.show_rows(self.shown_query or "", answered=False)
        window.update_buttons()

    def schedule(self, immediately: bool = False) -> None:
        self.cancel()
        if immediately or self._search_here(self.text):
            self.debounce.stop()
            self.start()
        else:  # the PBX is asked: wait for a pause in the typing
            self.debounce.start()

    def _search_here(self, text: str) -> bool:
        """Whether the local index answers `text` at once (else the PBX is asked)."""
        directory = self.controller.directory
        return bool(text) and not is_link(text) and directory is not None and directory.searchable

    def cancel(self) -> None:
        """Cancel the search on its way (if any): its answer would be stale."""
        if self.search_task is not None and not self.search_task.done():
            self.search_task.cancel()
        self._searching = False

    def stop(self) -> None:
        """The window hides: nothing is searched, nothing waits for results."""
        self.debounce.stop()
        self.cancel()
        self.when_ready = None

    @property
    def pending(self) -> bool:
        """A search for the current text is still to start or still on its way."""
        return self.debounce.isActive() or self._searching

    def start(self) -> None:
        text = self.text
        self.cancel()
        self.update_directory_note()
        self.failed_search = None
        if self._search_here(text) and self._show_local(text):
            return
        if not text:  # the favourites at once; the recent calls follow
            self.show_rows("", answered=False)
        self._searching = True
        self.search_task = self.controller.spawn(self._search(text), on_error=self._failed)

    async def _search(self, text: str) -> None:
        rows: list[ResultRow] = []
        total = 0
        history_failed = ""
        if not text:
            try:
                records = await self.controller.load_history(HISTORY_LIMIT)
            except errors.PbxError as exc:  # the favourites still show
                records, history_failed = self.history, str(exc)
            await self._load_presence(records)
        elif not is_link(text):  # a tel: link is a number, not a name to look up
            result, presence = await self.controller.search(text, limit=SEARCH_LIMIT)
            self.presence.update(presence)
            rows = [self.rows.contact_row(c, presence) for c in result.contacts]
            total = result.total
        if self.text != text:  # made stale without being cancelled
            return
        if not text:
            self.history = [r for r in records if r.number]
            self.history_rows = [self.rows.history_row(r, self.presence) for r in self.history]
        self.result_rows, self.total = rows, total
        self._searching = False  # answered: what is shown is current
        self.show_rows(text)
        if history_failed:
            self.window.show_error(history_failed)
        self._run_when_ready()

    def _run_when_ready(self) -> None:
        action, self.when_ready = self.when_ready, None
        if action is not None:
            action()

    async def _load_presence(self, records: list[CallRecord]) -> None:
        """The presence of the colleagues among the favourites and recent callers (a
        failure: none shown, the rows are still worth showing)."""
        contacts = [self.controller.favourites.contact(f) for f in self.controller.favourites]
        contacts += [c for r in records if (c := self.controller.known_contact(r.number))]
        try:
            presence = await self.controller.presence_of(tuple(contacts))
        except errors.PbxError:
            return
        self.presence.update(presence)

    def _show_local(self, text: str) -> bool:
        """Show the local index's results for `text` now; False when it can't answer."""
        result = self.controller.search_local(text, SEARCH_LIMIT)
        if result is None:
            return False
        self.result_rows = [self.rows.contact_row(c, self.presence) for c in result.contacts]
        self.total = result.total
        self.show_rows(text)
        self._run_when_ready()
        if any(c.user_name for c in result.contacts):  # presence follows (a request)
            self.search_task = self.controller.spawn(
                self._follow_presence(text, result.contacts), on_error=lambda _text: None
            )
        return True

    async def _follow_presence(self, text: str, contacts: tuple[Contact, ...]) -> None:
        """The colleagues' presence for rows shown from the local index (a failure: none)."""
        presence = await self.controller.presence_of(contacts)
        changed = any(self.presence.get(name) is not state for name, state in presence.items())
        self.presence.update(presence)
        if not changed or self.text != text or self.shown_query != text:
            return
        results = self.window.results
        current = results.currentIndex().row()
        self.result_rows = [self.rows.contact_row(c, self.presence) for c in contacts]
        self.show_rows(text)
        if current > 0:  # keep the row the user chose
            results.setCurrentIndex(self.window.model.index(current, 0))

    def update_directory_note(self) -> None:
        directory = self.controller.directory
        note = directory.note() if directory is not None else ""
        self.window.directory_note.setText(note)
        self.window.directory_note.setVisible(bool(note))

    def _failed(self, text: str) -> None:
        self._searching = False
        self.when_ready = None
        self.failed_search = (self.text, text)
        self.window.show_error(text)

    def connection_changed(self, reachable: bool, why: str = "") -> None:
        """Back in touch with the PBX: run the search that failed, for the text typed now."""
        window = self.window
        if not reachable or self.failed_search is None or not window.isVisible():
            return
        if window.message_kind == "error" and self.failed_search[1] in window.message:
            window.hide_message()  # it said the PBX was away
        self.failed_search = None
        self.schedule(immediately=True)

    def rebuild_rows(self) -> None:
        """Make the rows anew from what was found (the favourites changed)."""
        self.result_rows = [
            self.rows.contact_row(r.contact, self.presence) if r.contact else r
            for r in self.result_rows
        ]
        self.history_rows = [self.rows.history_row(r, self.presence) for r in self.history]

    def show_rows(self, query: str, answered: bool = True) -> None:
        """Show the typed number (if any) and the rows for `query`.

        `answered` is False when only the typed number is new: the rows below it are
        still those of the text searched before.
        """
        window = self.window
        query = query.strip()
        rows: list[ResultRow] = []
        if self.number_row is not None:
            rows.append(self.number_row)
        if not query:
            favourites = [
                self.rows.favourite_row(f, self.presence) for f in self.controller.favourites
            ]
            rows += favourites
            rows += self._not_favourites(self.history_rows, favourites)
        else:
            rows += self.result_rows
        window.model.set_rows(rows)
        if rows:
            window.results.setCurrentIndex(window.model.index(0, 0))
            window.results.scrollToTop()
        if answered:
            self.shown_query = query
            self._update_caption(query)
        window.update_buttons()

    def _not_favourites(
        self, rows: list[ResultRow], favourites: list[ResultRow]
    ) -> list[ResultRow]:
        """`rows` without those that call a number of a favourite (shown above)."""
        pinned = {self._comparable(t.number) for row in favourites for t in row.targets}
        return [r for r in rows if not any(self._comparable(t.number) in pinned for t in r.targets)]

    def _comparable(self, number: str) -> str:
        try:
            return numbers.comparable(number, self.controller.region)
        except NumberError:
            return number

    def _update_caption(self, query: str) -> None:
        if not query:
            if self.controller.favourites:
                text = (
                    _tr("Favourites and recent calls") if self.history_rows else _tr("Favourites")
                )
            else:
                text = _tr("Recent calls") if self.history_rows else _tr("No recent calls")
        else:
            found = len(self.result_rows)
            total = max(self.total, found)
            if found == 0:
                text = "" if self.number_row is not None else _tr("No contact found")
            elif total > found:
                text = _tr("{0} of {1} contacts, type more to narrow it down").format(found, total)
            elif found == 1:
                text = _tr("1 contact")
            else:
                text = _tr("{0} contacts").format(found)
        self.window.caption.setText(text)


def is_link(text: str) -> bool:
    """Whether `text` is a tel:, callto: or sip: link (a number, not a name)."""
    return text.split(":", 1)[0].lower() in ("tel", "callto", "sip", "sips") and ":" in text

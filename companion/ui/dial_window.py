"""The dial window: search the phonebook as you type, call from the keyboard.

Everything goes through the :class:`~companion.controller.Controller`: searches and call
actions run as tasks on the loop (`controller.spawn`), a search that a newer keystroke
made stale is cancelled, failures arrive in words in the window's message bar.

With the search field empty the window shows the user's favourites first (in the
user's order, each with a star), then the recent calls (those of a favourite left out),
colleagues with their presence; the first row is chosen, so opening the window and
pressing Enter calls the top favourite. Any contact, recent caller or typed number can be
pinned (Ctrl+P or the context menu). A favourite is kept in settings.toml as the
phonebook entry's source and id plus its name and main number, so a renamed contact
shows its new name after the next directory sync and a favourite still dials when the
local directory does not know it (see :mod:`companion.favourites`). Presence of a recent
caller shows when the local directory knows the number to be a colleague's.

Keyboard (also in the tooltips):

=================  ==========================================================
Typing             goes to the search field (name, organisation or number)
Up/Down, PgUp/Dn   choose a result, also while the search field has focus
Enter              call the chosen result's first number (or the typed number)
Alt+1 … Alt+9      call the chosen contact's first … ninth number
Ctrl+H             hang up               Ctrl+Shift+H  hold / resume
Ctrl+T             transfer the call to the chosen result or typed number
Ctrl+D             type DTMF digits (Enter sends them)
Ctrl+P             pin the chosen row to the favourites, or unpin it
Ctrl+Up/Down       move the chosen favourite up or down (search field empty)
Ctrl+S             save the typed number (or the caller) as a private contact
Ctrl+E             edit the chosen private contact
Ctrl+Shift+Del     delete the chosen private contact (asks first)
Menu, Shift+F10    the chosen result's context menu
Esc                close the window
=================  ==========================================================
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QPoint,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion import favourites as favourite_list
from companion import numbers
from companion.config import ConfigError
from companion.controller import Controller
from companion.favourites import Favourite
from companion.numbers import NumberError
from companion.pbx import errors
from companion.pbx.models import (
    Call,
    CallRecord,
    CallState,
    Contact,
    ContactDetails,
    ContactSource,
    NumberKind,
    Presence,
)
from companion.ui.call_panel import CallPanel
from companion.ui.contact_dialog import ContactDialog, details_from_contact
from companion.ui.dial_results import (
    SOURCE_COLOURS,
    DialTarget,
    ResultDelegate,
    ResultRow,
    ResultsModel,
    RowKind,
    initials_of,
)
from companion.ui.painted_icons import CALL_GREEN, MISSED_RED, painted_icon

DEBOUNCE_MS = 150
SEARCH_LIMIT = 50
HISTORY_LIMIT = 10
DISPLAY_CACHE_SIZE = 5_000
INFO_MS = 8_000  # a status line disappears after this long
ERROR_MS = 20_000  # an error stays longer: it has to be read

MESSAGE_STYLES = {
    "error": "QFrame#messageBar { background: #fde7e9; border: 1px solid #eba3aa;"
    " border-radius: 5px; } QLabel { color: #5c1a14; }",
    "info": "QFrame#messageBar { background: #e6f2e8; border: 1px solid #a6d2ae;"
    " border-radius: 5px; } QLabel { color: #173d1e; }",
}


# -- the window -------------------------------------------------------------------------


class SearchField(QLineEdit):
    """The search field; hands Up/Down/PgUp/PgDn and the menu key to the window."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)
        self._window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._window.handle_navigation_key(event):
            return
        super().keyPressEvent(event)


class DialWindow(QWidget):
    """Search and call, keyboard first. See the module docstring for the keys."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.controller = controller
        self.search_task: asyncio.Task[Any] | None = None  # the search on its way
        self.dial_task: asyncio.Task[Any] | None = None
        self.contact_dialog: ContactDialog | None = None
        self.delete_box: QMessageBox | None = None
        self.dial_box: QMessageBox | None = None  # "You are in a call with ..."
        self.transfer_box: QMessageBox | None = None  # "Transfer ... to ...?"
        self.shown_query: str | None = None  # the text the shown results answer
        self._number_row: ResultRow | None = None
        self._result_rows: list[ResultRow] = []
        self._total = 0  # matches on the PBX (may be more than shown)
        self._display_cache: dict[str, str] = {}
        self._history_rows: list[ResultRow] = []
        self._history: list[CallRecord] = []  # the recent calls the rows were made from
        self._when_ready: Callable[[], None] | None = None  # Enter/Ctrl+T before results
        # The text whose search failed and why: Enter then says why, not "no number";
        # once the PBX is back, that search runs again.
        self._failed_search: tuple[str, str] | None = None
        self._moved_since_typing = False
        self._searching = False
        self._presence: dict[str, Presence] = {}  # last known, for rows from the local index

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._start_search)
        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.timeout.connect(self.hide_message)

        self._build()
        self._shortcuts()
        self._retranslate()
        self.resize(460, 520)
        self.setMinimumSize(360, 360)
        self._update_buttons()

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.search = SearchField(self)
        self.search.setClearButtonEnabled(True)
        font = self.search.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        self.search.setFont(font)
        self.search.setMinimumHeight(34)
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self.dial_selected)

        # the message bar: errors and short status lines, in words
        self.message_bar = QFrame(self)
        self.message_bar.setObjectName("messageBar")
        self.message_label = QLabel(self.message_bar)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_close = QToolButton(self.message_bar)
        self.message_close.setText("\u00d7")  # a multiplication sign: close
        self.message_close.setAutoRaise(True)
        self.message_close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message_close.clicked.connect(self.hide_message)
        bar = QHBoxLayout(self.message_bar)
        bar.setContentsMargins(10, 6, 4, 6)
        bar.addWidget(self.message_label, 1)
        bar.addWidget(self.message_close, 0, Qt.AlignmentFlag.AlignTop)
        self.message_bar.hide()
        self.message_kind = ""

        # the call panel: every live call of the user, shown while there is one
        self.call_panel = CallPanel(self.controller, self)
        self.call_panel.failed.connect(self.show_error)
        self.call_panel.done.connect(self.show_info)
        self.call_panel.transfer_requested.connect(self.transfer)
        # the panel's parts, by their old names
        self.call_title = self.call_panel.call_title
        self.hangup_button = self.call_panel.hangup_button
        self.hold_button = self.call_panel.hold_button
        self.transfer_button = self.call_panel.transfer_button
        self.dtmf = self.call_panel.dtmf

        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        caption_palette = self.caption.palette()
        caption_palette.setColor(
            QPalette.ColorRole.WindowText,
            self.palette().color(QPalette.ColorRole.PlaceholderText),
        )
        self.caption.setPalette(caption_palette)
        self.key_hint = QLabel(self)
        self.key_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.key_hint.setPalette(caption_palette)
        self.key_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        small = self.caption.font()
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.92)
        self.caption.setFont(small)
        self.key_hint.setFont(small)
        # why search asks the PBX (local directory being built, refused, out of date)
        self.directory_note = QLabel(self)
        self.directory_note.setObjectName("directoryNote")
        self.directory_note.setTextFormat(Qt.TextFormat.PlainText)
        self.directory_note.setWordWrap(True)
        self.directory_note.setPalette(caption_palette)
        self.directory_note.setFont(small)
        self.directory_note.hide()
        self.controller.directory_changed.connect(self._update_directory_note)
        self.controller.favourites_changed.connect(self._favourites_changed)
        self.controller.connection_changed.connect(self._connection_changed)
        caption_row = QHBoxLayout()
        caption_row.setContentsMargins(2, 0, 2, 0)
        caption_row.addWidget(self.caption, 1)
        caption_row.addWidget(self.key_hint)

        self.model = ResultsModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.delegate = ResultDelegate(self.results, self.model)
        self.results.setItemDelegate(self.delegate)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the search
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setUniformItemSizes(False)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results.customContextMenuRequested.connect(self._context_menu_at)
        self.results.doubleClicked.connect(self._double_clicked)
        self.results.pressed.connect(self._chosen_by_hand)
        self.results.selectionModel().currentChanged.connect(self._update_buttons)

        self.save_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.call_button = QPushButton(painted_icon("call", CALL_GREEN), "", self)
        self.call_button.setDefault(False)
        self.save_button.clicked.connect(self.save_as_contact)
        self.edit_button.clicked.connect(self.edit_contact)
        self.delete_button.clicked.connect(self.delete_contact)
        self.call_button.clicked.connect(self.dial_selected)
        bottom = QHBoxLayout()
        for button in (self.save_button, self.edit_button, self.delete_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bottom.addWidget(button)
        bottom.addStretch(1)
        self.call_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bottom.addWidget(self.call_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.call_panel)
        layout.addWidget(self.directory_note)
        layout.addLayout(caption_row)
        layout.addWidget(self.results, 1)
        layout.addLayout(bottom)
        self.search.setFocus()

    def _shortcuts(self) -> None:
        def add(keys: str | QKeySequence.StandardKey, slot: Any) -> QShortcut:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            return shortcut

        add("Esc", self.hide)
        add("Ctrl+H", self.hang_up)
        add("Ctrl+Shift+H", self.hold)
        add("Ctrl+T", self.transfer)
        add("Ctrl+D", self.focus_dtmf)
        add("Ctrl+P", self.toggle_favourite)
        add("Ctrl+S", self.save_as_contact)
        add("Ctrl+E", self.edit_contact)
        add("Ctrl+Shift+Del", self.delete_contact)
        add("Ctrl+L", self.focus_search)
        add("Shift+F10", self._context_menu_for_current)
        add("Menu", self._context_menu_for_current)
        for n in range(1, 10):
            add(f"Alt+{n}", lambda n=n: self.dial_number(n))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Dial"))  # the desktop adds " — Companion"
        self.search.setPlaceholderText(self.tr("Name or number"))
        self.search.setToolTip(
            self.tr(
                "Type a name, organisation or number.\n"
                "Up/Down: choose a result · Enter: call it · Alt+1…9: call its 1st…9th number\n"
                "Ctrl+H: hang up · Ctrl+Shift+H: hold · Ctrl+T: transfer · Ctrl+D: DTMF\n"
                "Ctrl+P: pin or unpin a favourite · Ctrl+Up/Down: move it\n"
                "Ctrl+S: save as contact · Ctrl+E: edit · Ctrl+Shift+Del: delete · Esc: close"
            )
        )
        self.results.setToolTip("")
        self.message_close.setToolTip(self.tr("Dismiss"))
        self.save_button.setText(self.tr("Save as contact…"))
        self.save_button.setToolTip(
            self.tr("Save the typed number or the chosen caller as a private contact (Ctrl+S)")
        )
        self.edit_button.setText(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr("Edit the chosen private contact (Ctrl+E)"))
        self.delete_button.setText(self.tr("Delete…"))
        self.delete_button.setToolTip(self.tr("Delete the chosen private contact (Ctrl+Shift+Del)"))
        self.call_button.setText(self.tr("Call"))
        self.call_button.setToolTip(
            self.tr("Call the chosen result (Enter); Alt+1…9 call its other numbers")
        )
        if self.shown_query is not None:  # rows carry translated words: build them anew
            self._number_row = self._row_for_typed(self.search.text())
            self._schedule(immediately=True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- showing --------------------------------------------------------------------------

    def show_and_focus(self, text: str = "") -> None:
        """Show the window in front with `text` in the search field, selected."""
        self.search.setText(text)
        self.search.selectAll()
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        # at once, not after the debounce (and also for the same text: history and
        # presence move on)
        self._schedule(immediately=True)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_dtmf(self) -> None:
        self.call_panel.focus_dtmf()

    def hideEvent(self, event: Any) -> None:
        self.debounce.stop()
        self._cancel_search()
        self._when_ready = None
        super().hideEvent(event)

    # -- searching ------------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        self._cancel_search()
        self._moved_since_typing = False
        self._when_ready = None  # Enter was for the text before this keystroke
        if self.message_kind == "error":  # it was about what was typed before
            self.hide_message()
        self._number_row = self._row_for_typed(text)
        self._schedule()
        # The typed number shows at once, above the rows shown so far; the search
        # replaces those when it answers.
        if self._number_row is not None:
            self._show_rows(self.shown_query or "", answered=False)
        self._update_buttons()

    def _schedule(self, immediately: bool = False) -> None:
        self._cancel_search()
        if immediately or self._search_here(self.search.text().strip()):
            self.debounce.stop()
            self._start_search()
        else:  # the PBX is asked: wait for a pause in the typing
            self.debounce.start()

    def _search_here(self, text: str) -> bool:
        """Whether the local index answers `text` at once (else the PBX is asked)."""
        directory = self.controller.directory
        return (
            bool(text)
            and not self._is_link(text)
            and directory is not None
            and directory.searchable
        )

    def _cancel_search(self) -> None:
        """Cancel the search on its way (if any): its answer would be stale."""
        if self.search_task is not None and not self.search_task.done():
            self.search_task.cancel()
        self._searching = False

    @property
    def search_pending(self) -> bool:
        """A search for the current text is still to start or still on its way."""
        return self.debounce.isActive() or self._searching

    def _start_search(self) -> None:
        text = self.search.text().strip()
        self._cancel_search()
        self._update_directory_note()
        self._failed_search = None
        if self._search_here(text) and self._show_local(text):
            return
        if not text:  # the favourites at once; the recent calls follow
            self._show_rows("", answered=False)
        self._searching = True
        self.search_task = self.controller.spawn(self._search(text), on_error=self._search_failed)

    async def _search(self, text: str) -> None:
        rows: list[ResultRow] = []
        total = 0
        history_failed = ""
        if not text:
            try:
                records = await self.controller.load_history(HISTORY_LIMIT)
            except errors.PbxError as exc:  # the favourites still show
                records, history_failed = self._history, str(exc)
            await self._load_presence(records)
        elif not self._is_link(text):  # a tel: link is a number, not a name to look up
            result, presence = await self.controller.search(text, limit=SEARCH_LIMIT)
            self._presence.update(presence)
            rows = [self._contact_row(c, presence) for c in result.contacts]
            total = result.total
        if self.search.text().strip() != text:  # made stale without being cancelled
            return
        if not text:
            self._history = [r for r in records if r.number]
            self._history_rows = [self._history_row(r) for r in self._history]
        self._result_rows, self._total = rows, total
        self._searching = False  # answered: what is shown is current
        self._show_rows(text)
        if history_failed:
            self.show_error(history_failed)
        action, self._when_ready = self._when_ready, None
        if action is not None:
            action()

    async def _load_presence(self, records: list[CallRecord]) -> None:
        """The presence of the colleagues among the favourites and recent callers (a
        failure: none shown, the rows are still worth showing)."""
        contacts = [self.controller.favourite_contact(f) for f in self.controller.favourites]
        contacts += [c for r in records if (c := self.controller.known_contact(r.number))]
        try:
            presence = await self.controller.presence_of(tuple(contacts))
        except errors.PbxError:
            return
        self._presence.update(presence)

    def _show_local(self, text: str) -> bool:
        """Show the local index's results for `text` now; False when it can't answer."""
        result = self.controller.search_local(text, SEARCH_LIMIT)
        if result is None:
            return False
        self._result_rows = [self._contact_row(c, self._presence) for c in result.contacts]
        self._total = result.total
        self._show_rows(text)
        action, self._when_ready = self._when_ready, None
        if action is not None:
            action()
        if any(c.user_name for c in result.contacts):  # presence follows (a request)
            self.search_task = self.controller.spawn(
                self._follow_presence(text, result.contacts), on_error=lambda _text: None
            )
        return True

    async def _follow_presence(self, text: str, contacts: tuple[Contact, ...]) -> None:
        """The colleagues' presence for rows shown from the local index (a failure: none)."""
        presence = await self.controller.presence_of(contacts)
        changed = any(self._presence.get(name) is not state for name, state in presence.items())
        self._presence.update(presence)
        if not changed or self.search.text().strip() != text or self.shown_query != text:
            return
        current = self.results.currentIndex().row()
        self._result_rows = [self._contact_row(c, self._presence) for c in contacts]
        self._show_rows(text)
        if current > 0:  # keep the row the user chose
            self.results.setCurrentIndex(self.model.index(current, 0))

    def _update_directory_note(self) -> None:
        directory = self.controller.directory
        note = directory.note() if directory is not None else ""
        self.directory_note.setText(note)
        self.directory_note.setVisible(bool(note))

    def _search_failed(self, text: str) -> None:
        self._searching = False
        self._when_ready = None
        self._failed_search = (self.search.text().strip(), text)
        self.show_error(text)

    def _connection_changed(self, reachable: bool, why: str = "") -> None:
        """Back in touch with the PBX: run the search that failed, for the text typed now."""
        if not reachable or self._failed_search is None or not self.isVisible():
            return
        if self.message_kind == "error" and self._failed_search[1] in self.message:
            self.hide_message()  # it said the PBX was away
        self._failed_search = None
        self._schedule(immediately=True)

    @staticmethod
    def _is_link(text: str) -> bool:
        return text.split(":", 1)[0].lower() in ("tel", "callto", "sip", "sips") and ":" in text

    def _show_rows(self, query: str, answered: bool = True) -> None:
        """Show the typed number (if any) and the rows for `query`.

        `answered` is False when only the typed number is new: the rows below it are
        still those of the text searched before.
        """
        query = query.strip()
        rows: list[ResultRow] = []
        if self._number_row is not None:
            rows.append(self._number_row)
        if not query:
            favourites = [self._favourite_row(f) for f in self.controller.favourites]
            rows += favourites
            rows += self._not_favourites(self._history_rows, favourites)
        else:
            rows += self._result_rows
        self.model.set_rows(rows)
        if rows:
            self.results.setCurrentIndex(self.model.index(0, 0))
            self.results.scrollToTop()
        if answered:
            self.shown_query = query
            self._update_caption(query)
        self._update_buttons()

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
                    self.tr("Favourites and recent calls")
                    if self._history_rows
                    else self.tr("Favourites")
                )
            else:
                text = self.tr("Recent calls") if self._history_rows else self.tr("No recent calls")
        else:
            found = len(self._result_rows)
            total = max(self._total, found)
            if found == 0:
                text = "" if self._number_row is not None else self.tr("No contact found")
            elif total > found:
                text = self.tr("{0} of {1} contacts, type more to narrow it down").format(
                    found, total
                )
            elif found == 1:
                text = self.tr("1 contact")
            else:
                text = self.tr("{0} contacts").format(found)
        self.caption.setText(text)

    # -- rows ---------------------------------------------------------------------------

    def _kind_word(self, kind: NumberKind) -> str:
        return {
            NumberKind.PHONE: self.tr("phone"),
            NumberKind.MOBILE: self.tr("mobile"),
            NumberKind.HOME: self.tr("home"),
            NumberKind.FAX: self.tr("fax"),
        }.get(kind, str(kind))

    def _presence_word(self, presence: Presence) -> str:
        return {
            Presence.AVAILABLE: self.tr("available"),
            Presence.BUSY: self.tr("busy"),
            Presence.RINGING: self.tr("ringing"),
            Presence.ON_HOLD: self.tr("on hold"),
            Presence.AWAY: self.tr("away"),
            Presence.OFFLINE: self.tr("offline"),
            Presence.UNKNOWN: self.tr("unknown"),
        }.get(presence, str(presence))

    def _source_word(self, source: ContactSource) -> str:
        return {
            ContactSource.PRIVATE: self.tr("private"),
            # "global" read as English in German too; the shared phonebook is the company's
            ContactSource.GLOBAL: self.tr("company", "contact tag: from the company phonebook"),
            ContactSource.USER: self.tr("colleague"),
        }.get(source, str(source))

    def _display(self, number: str) -> str:
        """A phonebook number as shown.

        Remembered: parsing numbers is the slow part of building 50 rows (tens of ms),
        and the same numbers come back search after search.
        """
        shown = self._display_cache.get(number)
        if shown is None:
            if len(self._display_cache) > DISPLAY_CACHE_SIZE:
                self._display_cache.clear()
            shown = self._display_cache[number] = self.controller.display(number)
        return shown

    def _row_for_typed(self, text: str) -> ResultRow | None:
        text = text.strip()
        if not text or not any(ch.isdigit() for ch in text):
            return None
        try:
            number = self.controller.parse(text)
        except NumberError:
            return None
        shown = self.controller.display(number.destination)
        if number.is_internal:
            detail = self.tr("internal number")
        elif shown != text:
            detail = shown
        else:
            detail = self.tr("phone number")
        if number.extension:
            detail += " " + self.tr("(extension {0})").format(number.extension)
        label = text if len(text) <= 40 else shown
        return ResultRow(
            kind=RowKind.NUMBER,
            title=self.tr("Call {0}").format(label),
            detail=detail,
            targets=(DialTarget("", text, shown),),
        )

    def _contact_row(self, contact: Contact, presence: dict[str, Presence]) -> ResultRow:
        state = presence.get(contact.user_name) if contact.user_name else None
        if state is None and contact.source is ContactSource.USER and contact.user_name:
            state = Presence.UNKNOWN
        targets = tuple(
            DialTarget(self._kind_word(n.kind), n.number, self._display(n.number))
            for n in contact.dialable
        )
        return ResultRow(
            kind=RowKind.CONTACT,
            favourite=self.controller.favourite_for(contact),
            title=contact.name or contact.organisation or self.tr("(no name)"),
            # "Müller & Söhne KG - Björn Müller" needs no second "Müller & Söhne KG" line
            detail=contact.organisation if contact.organisation not in contact.name else "",
            source=self._source_word(contact.source),
            source_colour=SOURCE_COLOURS.get(contact.source),
            initials=initials_of(contact),
            presence=state,
            presence_text=self._presence_word(state) if state is not None else "",
            targets=targets,
            contact=contact,
        )

    def _favourite_row(self, favourite: Favourite) -> ResultRow:
        presence = {**self._presence, **self.controller.favourite_presence}
        if favourite.source:
            row = self._contact_row(self.controller.favourite_contact(favourite), presence)
            return dataclasses.replace(row, favourite=favourite)
        shown = self._display(favourite.number)  # a pinned number that is no contact
        return ResultRow(
            kind=RowKind.CONTACT,
            title=favourite.name or shown,
            detail=shown if favourite.name else "",
            initials="#",
            targets=(DialTarget("", favourite.number, shown),),
            favourite=favourite,
        )

    def _history_row(self, record: CallRecord) -> ResultRow:
        shown = self._display(record.number)
        known = self.controller.known_contact(record.number)
        name = record.name or (known.name if known is not None else "")
        state = self._presence.get(known.user_name) if known and known.user_name else None
        if record.missed:
            direction, colour = self.tr("missed"), MISSED_RED
        elif record.outgoing:
            direction = self.tr("outgoing") if record.connected else self.tr("not answered")
            colour = None
        else:
            direction, colour = self.tr("incoming"), None
        if record.connected:
            minutes, seconds = divmod(record.connected, 60)
            direction += f", {minutes}:{seconds:02d}"
        detail = f"{shown}  ·  {direction}" if name else direction
        return ResultRow(
            kind=RowKind.HISTORY,
            title=name or shown,
            detail=detail,
            detail_colour=colour,
            targets=(DialTarget("", record.number, shown),),
            record=record,
            when=self._when(record.time),
            presence=state,
            presence_text=self._presence_word(state) if state is not None else "",
            favourite=self.controller.favourite_for(known, record.number),
        )

    def _when(self, time: datetime | None) -> str:
        if time is None:
            return ""
        local = time.astimezone() if time.tzinfo is not None else time
        today = datetime.now(local.tzinfo).date()
        locale = QLocale()
        clock = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
        if local.date() == today:
            return clock
        if local.date() == today - timedelta(days=1):
            return self.tr("yesterday {0}").format(clock)
        date = QDate(local.year, local.month, local.day)
        if 0 < (today - local.date()).days < 7:
            return f"{locale.toString(date, 'ddd')} {clock}"
        if local.year == today.year:
            return f"{locale.toString(date, 'd MMM')} {clock}"
        return f"{locale.toString(date, 'd MMM yyyy')} {clock}"

    # -- selection and keys -------------------------------------------------------------------

    def current_row(self) -> ResultRow | None:
        return self.model.row_at(self.results.currentIndex())

    def handle_navigation_key(self, event: QKeyEvent) -> bool:
        """Up/Down/PgUp/PgDn move the selection while the search field has focus."""
        key = Qt.Key(event.key())
        count = self.model.rowCount()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.move_favourite(-1 if key == Qt.Key.Key_Up else 1)
            return True
        if modifiers:
            return False
        page = max(self.results.viewport().height() // 60, 1)
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
        current = self.results.currentIndex().row()
        target = min(max(current + steps[key], 0), count - 1) if current >= 0 else 0
        index = self.model.index(target, 0)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)
        self._moved_since_typing = True
        return True

    def _chosen_by_hand(self, _index: QModelIndex) -> None:
        self._moved_since_typing = True

    def _double_clicked(self, index: QModelIndex) -> None:
        self.results.setCurrentIndex(index)
        self._moved_since_typing = True
        self.dial_selected()

    def _update_buttons(self, *args: Any) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None and row.editable)
        self.delete_button.setEnabled(row is not None and row.editable)
        self.save_button.setEnabled(self._savable(row) is not None)
        self.call_button.setEnabled(bool(self.search.text().strip()) or row is not None)
        count = min(len(row.targets), 9) if row is not None else 0
        self.key_hint.setText(
            self.tr("Enter: call · Alt+1…{0}: call that number").format(count) if count > 1 else ""
        )

    # -- calling --------------------------------------------------------------------------

    def dial_selected(self) -> None:
        """Enter: the chosen row's first number; the typed text when nothing matches."""
        typed = self.search.text().strip()
        row = self.current_row()
        if row is not None and row.kind is RowKind.NUMBER:
            self._dial_row(row, 0)
            return
        if self._wait_for_results(self.dial_selected):
            return
        failed = self._failed_search
        if failed is not None and failed[0] == typed and typed and not self._is_number(typed):
            # The rows shown are for an older text, and the name could not be looked up:
            # say why, neither "no phone number" nor a call to an older row.
            self.show_error(
                self.tr("“{0}” could not be looked up: {1}").format(typed, failed[1])
            )
            return
        if row is not None:
            self._dial_row(row, 0)
        else:
            self.dial(typed)  # nothing matches: the controller says why it is no number

    def _is_number(self, text: str) -> bool:
        try:
            self.controller.parse(text)
        except NumberError:
            return False
        return True

    def _wait_for_results(self, action: Callable[[], None]) -> bool:
        """True when `action` has to wait for the results of what was just typed.

        Enter right after typing must call the first result for that text (what the
        user sees a moment later), never a row left from an older text. Once the user
        has chosen a row with the arrows or the mouse, that row is what they meant.
        """
        if not self.search_pending or self._moved_since_typing:
            return False
        self._when_ready = action
        if self.debounce.isActive():
            self._schedule(immediately=True)
        return True

    def dial_number(self, n: int) -> None:
        """Alt+n: the n-th number of the chosen contact."""
        if self._wait_for_results(lambda: self.dial_number(n)):
            return
        row = self.current_row()
        if row is None:
            self.show_error(self.tr("Choose a contact first, then press Alt+{0}.").format(n))
            return
        self._dial_row(row, n - 1)

    def _dial_row(self, row: ResultRow, index: int) -> None:
        if not row.targets:
            self.show_error(self.tr("{0} has no number to call.").format(row.title))
            return
        if index >= len(row.targets):
            only = self.tr("{0} has only %n number(s) to call.", "", len(row.targets))
            self.show_error(only.format(row.title))
            return
        self.dial(row.targets[index].number, row.name)

    @property
    def call_active(self) -> bool:
        """The user has a live call (however it was started)."""
        return bool(self.call_panel.calls)

    @property
    def on_hold(self) -> bool:
        """The call the panel's buttons act on is on hold."""
        call = self.call_panel.selected
        return call is not None and call.state is CallState.ON_HOLD

    def dial(self, text: str, name: str = "") -> None:
        """Call `text` (a number as typed or stored); `name` is shown in the status.

        While a call is up, ask first: the PBX puts that call on hold to dial.
        """
        if self.dial_task is not None and not self.dial_task.done():
            return  # one dial at a time: a second Enter must not call twice
        current = self._current_call()
        if current is None:
            self._start_dial(text, name)
            return
        try:
            shown = self.controller.display(self.controller.parse(text).destination)
        except NumberError as exc:
            self.show_error(str(exc))
            return
        label = self.tr("{0} ({1})").format(name, shown) if name else shown
        box = self._question(
            self.tr(
                "You are in a call with {0}. Dial {1} anyway? (your call is put on hold)"
            ).format(self.call_panel.who(current), label),
            self.tr("Dial"),
        )

        def answered(accepted: bool) -> None:
            self.dial_box = None
            if accepted:
                self._start_dial(text, name)

        self.dial_box = box
        self._ask(box, answered)

    def _current_call(self) -> Call | None:
        """The call the user is in: a connected one first, else any live one."""
        calls = self.call_panel.calls
        return next((c for c in calls if c.state is CallState.CONNECTED), None) or (
            calls[-1] if calls else None
        )

    def _start_dial(self, text: str, name: str) -> None:
        self.dial_task = self.controller.spawn(self._dial(text, name), on_error=self.show_error)

    async def _dial(self, text: str, name: str) -> None:
        shown = await self.controller.dial(text)
        label = self.tr("{0} ({1})").format(name, shown) if name else shown
        self.show_info(self.tr("Calling {0}…").format(label))

    def hang_up(self) -> None:
        self.call_panel.hang_up()

    def hold(self) -> None:
        self.call_panel.hold()

    def send_dtmf(self) -> None:
        self.call_panel.send_dtmf()

    def transfer(self) -> None:
        """Transfer the chosen call to the chosen result or typed number, asking first."""
        row = self.current_row()
        if (row is None or row.kind is not RowKind.NUMBER) and self._wait_for_results(
            self.transfer
        ):
            return
        if row is not None and row.targets:
            target, name = row.targets[0].number, row.name
        else:
            target, name = self.search.text().strip(), ""
        if not target:
            self.show_error(self.tr("Type a number or choose a contact to transfer the call to."))
            return
        call = self.call_panel.selected
        try:  # a number that is none, or the party on the line: said before asking
            destination = self.controller.transfer_target(target, call)
        except NumberError as exc:
            self.show_error(str(exc))
            return
        if call is None:
            self.show_error(self.tr("No call in progress: there is nothing to transfer."))
            return
        self.controller.spawn(
            self._ask_transfer(call, target, name, destination), on_error=self.show_error
        )

    async def _ask_transfer(self, call: Call, target: str, name: str, destination: str) -> None:
        if not name:  # a typed number: the phonebook may know whose it is
            contact = await self.controller.contact_for(destination)
            name = contact.name if contact is not None else ""
        shown = self.controller.display(destination)
        label = self.tr("{0} ({1})").format(name, shown) if name else shown
        box = self._question(
            self.tr("Transfer {0} to {1}?").format(self.call_panel.who(call), label),
            self.tr("Transfer"),
        )

        def answered(accepted: bool) -> None:
            self.transfer_box = None
            if accepted:
                self.call_panel.transfer(call, target, label)

        self.transfer_box = box
        self._ask(box, answered)

    def _question(self, text: str, confirm: str) -> QMessageBox:
        """A question with `confirm` (Enter) and Cancel (Esc)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Companion"))
        box.setText(text)
        yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    def _ask(self, box: QMessageBox, answered: Callable[[bool], None]) -> None:
        confirm = box.defaultButton()

        def finished() -> None:
            answered(box.clickedButton() is confirm)
            self.activateWindow()  # the keys (Ctrl+T, Ctrl+H...) work in the active window
            self.search.setFocus()

        box.finished.connect(finished)
        box.open()

    # -- messages ------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        """A failure in words, in the window; it goes on the next success or after a while."""
        self._show_message("error", text, ERROR_MS)

    def show_info(self, text: str) -> None:
        self._show_message("info", text, INFO_MS)

    def _show_message(self, kind: str, text: str, timeout: int) -> None:
        self.message_kind = kind
        self.message_bar.setStyleSheet(MESSAGE_STYLES[kind])
        self.message_label.setText(text)
        self.message_bar.show()
        self.message_timer.start(timeout)

    def hide_message(self) -> None:
        self.message_timer.stop()
        self.message_bar.hide()
        self.message_kind = ""

    @property
    def message(self) -> str:
        """The text the message bar shows ("" when hidden)."""
        return self.message_label.text() if not self.message_bar.isHidden() else ""

    # -- favourites ---------------------------------------------------------------------------

    def _favourite_of(self, row: ResultRow | None) -> Favourite | None:
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

    def toggle_favourite(self) -> None:
        """Ctrl+P: pin the chosen row to the favourites, or unpin it."""
        row = self.current_row()
        favourite = self._favourite_of(row)
        if row is None or favourite is None:
            self.show_error(self.tr("Choose a contact or a recent call to pin it."))
            return
        pinned = row.favourite is not None
        name = favourite.name or self._display(favourite.number)
        try:
            if pinned:
                self.controller.unpin(favourite)
            else:
                self.controller.pin(favourite)
        except ConfigError as exc:  # kept for this session
            self.show_error(str(exc))
            return
        if pinned:
            self.show_info(self.tr("Removed {0} from your favourites.").format(name))
        else:
            self.show_info(self.tr("Pinned {0} to your favourites.").format(name))

    def move_favourite(self, step: int) -> None:
        """Ctrl+Up/Down: move the chosen favourite in the list of favourites."""
        row = self.current_row()
        if self.shown_query or row is None or row.favourite is None:
            self.show_error(self.tr("Clear the search field and choose a favourite to move it."))
            return
        try:
            self.controller.move_favourite(row.favourite, step)
        except ConfigError as exc:
            self.show_error(str(exc))

    def _favourites_changed(self) -> None:
        """Show the new pin marks and order; the chosen row stays chosen."""
        key = self._key_of(self.current_row())
        self._result_rows = [
            self._contact_row(r.contact, self._presence) if r.contact else r
            for r in self._result_rows
        ]
        self._history_rows = [self._history_row(r) for r in self._history]
        self._show_rows(self.shown_query or "", answered=self.shown_query is not None)
        if key is None:
            return
        for n, row in enumerate(self.model.rows):
            if self._key_of(row) == key:
                self.results.setCurrentIndex(self.model.index(n, 0))
                self.results.scrollTo(self.model.index(n, 0))
                break

    @staticmethod
    def _key_of(row: ResultRow | None) -> tuple[str, str] | None:
        """What identifies `row`'s contact or favourite across a rebuild of the rows."""
        if row is None:
            return None
        if row.favourite is not None:
            return row.favourite.key
        if row.contact is not None:
            return favourite_list.of_contact(row.contact).key
        return ("", row.targets[0].number) if row.targets else None

    # -- private contacts --------------------------------------------------------------------

    def _savable(self, row: ResultRow | None) -> ContactDetails | None:
        """What "Save as contact" would prefill, or None when there is nothing to save."""
        if row is not None and row.kind is RowKind.HISTORY and row.record is not None:
            return ContactDetails(name=row.record.name, phone=row.record.number)
        if row is not None and row.kind is RowKind.NUMBER:
            return ContactDetails(phone=row.targets[0].number)
        if self._number_row is not None:
            return ContactDetails(phone=self._number_row.targets[0].number)
        return None

    def save_as_contact(self) -> None:
        details = self._savable(self.current_row())
        if details is None:
            self.show_error(self.tr("Type a number first, or choose a recent call, to save it."))
            return
        self._open_dialog(details, None)

    def edit_contact(self) -> None:
        row = self.current_row()
        if row is None or row.contact is None or not row.editable:
            self.show_error(self.tr("Only your private contacts can be edited."))
            return
        self._open_dialog(details_from_contact(row.contact), row.contact.id)

    def _open_dialog(self, details: ContactDetails, contact_id: str | None) -> None:
        if self.contact_dialog is not None:
            self.contact_dialog.close()
        dialog = ContactDialog(self.controller, details, contact_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._contact_saved)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.contact_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: ContactDialog) -> None:
        if self.contact_dialog is dialog:
            self.contact_dialog = None
        self.search.setFocus()

    def _contact_saved(self, contact: Contact) -> None:
        self.show_info(self.tr("Saved {0} in your private contacts.").format(contact.name))
        self._schedule(immediately=True)

    def delete_contact(self) -> None:
        row = self.current_row()
        if row is None or row.contact is None or not row.editable:
            self.show_error(self.tr("Only your private contacts can be deleted."))
            return
        contact = row.contact
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete contact"))
        box.setText(self.tr("Delete {0} from your private contacts?").format(contact.name))
        box.setInformativeText(self.tr("This cannot be undone."))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.delete_box = None
            if box.clickedButton() is delete:
                self.controller.spawn(self._delete(contact), on_error=self.show_error)
            self.search.setFocus()

        box.finished.connect(answered)
        self.delete_box = box
        box.open()

    async def _delete(self, contact: Contact) -> None:
        await self.controller.delete_contact(contact.id)
        self.show_info(self.tr("Deleted {0}.").format(contact.name))
        self._schedule(immediately=True)

    # -- context menu ------------------------------------------------------------------------

    def _context_menu_at(self, pos: QPoint) -> None:
        index = self.results.indexAt(pos)
        if index.isValid():
            self.results.setCurrentIndex(index)
            self._moved_since_typing = True
        self._context_menu(self.results.viewport().mapToGlobal(pos))

    def _context_menu_for_current(self) -> None:
        rect = self.results.visualRect(self.results.currentIndex())
        point = rect.center() if rect.isValid() else QPoint(20, 20)
        self._context_menu(self.results.viewport().mapToGlobal(point))

    def build_context_menu(self) -> QMenu:
        """The menu for the chosen row (also what tests look at)."""
        menu = QMenu(self)
        row = self.current_row()
        if row is not None:
            for n, target in enumerate(row.targets, start=1):
                text = self.tr("Call {0}").format(f"{target.kind} {target.display}".strip())
                action = menu.addAction(painted_icon("call", CALL_GREEN), text)
                if n <= 9:
                    action.setShortcut(QKeySequence(f"Alt+{n}"))
                action.triggered.connect(lambda _=False, i=n - 1, r=row: self._dial_row(r, i))
            if self.call_active and row.targets:
                menu.addAction(self.tr("Transfer the call here"), self.transfer)
            if row.targets:
                number = row.targets[0].display

                def copy(number: str = number) -> None:
                    QGuiApplication.clipboard().setText(number)

                menu.addAction(self.tr("Copy number"), copy)
            if row.favourite is not None:
                pin = menu.addAction(self.tr("Unpin from favourites"), self.toggle_favourite)
                pin.setShortcut(QKeySequence("Ctrl+P"))
                if not self.shown_query:
                    up = menu.addAction(self.tr("Move up"), lambda: self.move_favourite(-1))
                    up.setShortcut(QKeySequence("Ctrl+Up"))
                    down = menu.addAction(self.tr("Move down"), lambda: self.move_favourite(1))
                    down.setShortcut(QKeySequence("Ctrl+Down"))
            elif self._favourite_of(row) is not None:
                pin = menu.addAction(self.tr("Pin to favourites"), self.toggle_favourite)
                pin.setShortcut(QKeySequence("Ctrl+P"))
            menu.addSeparator()
        if self._savable(row) is not None:
            menu.addAction(self.tr("Save as contact…"), self.save_as_contact)
        if row is not None and row.editable:
            menu.addAction(self.tr("Edit…"), self.edit_contact)
            menu.addAction(self.tr("Delete…"), self.delete_contact)
        return menu

    def _context_menu(self, where: QPoint) -> None:
        menu = self.build_context_menu()
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)


__all__ = ["DialTarget", "DialWindow", "ResultRow", "RowKind"]

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

The window's parts, one module each: :mod:`~companion.ui.dial_search` (what is looked
up and shown), :mod:`~companion.ui.dial_rows` (the rows), :mod:`~companion.ui.dial_calls`
(dial and transfer), :mod:`~companion.ui.dial_keys`, :mod:`~companion.ui.dial_menu`,
:mod:`~companion.ui.dial_favourites` and :mod:`~companion.ui.dial_contacts`; the list
itself is :mod:`~companion.ui.dial_results`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.pbx.models import CallState
from companion.ui.call_panel import CallPanel
from companion.ui.dial_calls import DialCalls
from companion.ui.dial_contacts import DialContacts
from companion.ui.dial_favourites import DialFavourites
from companion.ui.dial_keys import SearchField, add_shortcuts
from companion.ui.dial_menu import DialMenu
from companion.ui.dial_results import (
    DialTarget,
    ResultDelegate,
    ResultRow,
    ResultsModel,
    RowKind,
)
from companion.ui.dial_search import DEBOUNCE_MS, DialSearch
from companion.ui.painted_icons import CALL_GREEN, painted_icon

INFO_MS = 8_000  # a status line disappears after this long
ERROR_MS = 20_000  # an error stays longer: it has to be read

MESSAGE_STYLES = {
    "error": "QFrame#messageBar { background: #fde7e9; border: 1px solid #eba3aa;"
    " border-radius: 5px; } QLabel { color: #5c1a14; }",
    "info": "QFrame#messageBar { background: #e6f2e8; border: 1px solid #a6d2ae;"
    " border-radius: 5px; } QLabel { color: #173d1e; }",
}


class DialWindow(QWidget):
    """Search and call, keyboard first. See the module docstring for the keys."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.controller = controller
        self.finder = DialSearch(self)  # what is looked up and shown
        self.dialer = DialCalls(self)
        self.favourites = DialFavourites(self)
        self.contacts = DialContacts(self)
        self.menu = DialMenu(self)

        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.timeout.connect(self.hide_message)

        self._build()
        add_shortcuts(self)
        self._retranslate()
        self.resize(460, 520)
        self.setMinimumSize(360, 360)
        self.update_buttons()

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.search = SearchField(self)
        self.search.setClearButtonEnabled(True)
        font = self.search.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        self.search.setFont(font)
        self.search.setMinimumHeight(34)
        self.search.textChanged.connect(self.finder.text_changed)
        self.search.returnPressed.connect(self.dialer.dial_selected)

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
        self.call_panel.transfer_requested.connect(self.dialer.transfer)
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
        self.controller.directory_changed.connect(self.finder.update_directory_note)
        self.controller.favourites_changed.connect(self.favourites.changed)
        self.controller.connection_changed.connect(self.finder.connection_changed)
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
        self.results.customContextMenuRequested.connect(self.menu.at)
        self.results.doubleClicked.connect(self._double_clicked)
        self.results.pressed.connect(self._chosen_by_hand)
        self.results.selectionModel().currentChanged.connect(self.update_buttons)

        self.save_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.call_button = QPushButton(painted_icon("call", CALL_GREEN), "", self)
        self.call_button.setDefault(False)
        self.save_button.clicked.connect(self.contacts.save)
        self.edit_button.clicked.connect(self.contacts.edit)
        self.delete_button.clicked.connect(self.contacts.delete)
        self.call_button.clicked.connect(self.dialer.dial_selected)
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
            self.finder.number_row = self.finder.rows.typed_row(self.search.text())
            self.finder.schedule(immediately=True)

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
        self.finder.schedule(immediately=True)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_dtmf(self) -> None:
        self.call_panel.focus_dtmf()

    # -- calls ----------------------------------------------------------------------------

    def dial(self, text: str, name: str = "") -> None:
        """Call `text`; while a call is up, ask first (see :class:`DialCalls`)."""
        self.dialer.dial(text, name)

    def hang_up(self) -> None:
        self.call_panel.hang_up()

    def hold(self) -> None:
        self.call_panel.hold()

    def send_dtmf(self) -> None:
        self.call_panel.send_dtmf()

    @property
    def call_active(self) -> bool:
        """The user has a live call (however it was started)."""
        return bool(self.call_panel.calls)

    @property
    def on_hold(self) -> bool:
        """The call the panel's buttons act on is on hold."""
        call = self.call_panel.selected
        return call is not None and call.state is CallState.ON_HOLD

    def hideEvent(self, event: Any) -> None:
        self.finder.stop()
        super().hideEvent(event)

    # -- selection ----------------------------------------------------------------------

    def current_row(self) -> ResultRow | None:
        return self.model.row_at(self.results.currentIndex())

    def _chosen_by_hand(self, _index: QModelIndex) -> None:
        self.finder.moved_since_typing = True

    def _double_clicked(self, index: QModelIndex) -> None:
        self.results.setCurrentIndex(index)
        self.finder.moved_since_typing = True
        self.dialer.dial_selected()

    @property
    def search_pending(self) -> bool:
        """A search for the current text is still to start or still on its way."""
        return self.finder.pending

    @property
    def shown_query(self) -> str | None:
        """The text the shown results answer (None before the first answer)."""
        return self.finder.shown_query

    def build_context_menu(self) -> QMenu:
        """The menu for the chosen row (also what tests look at)."""
        return self.menu.build()

    def update_buttons(self, *args: Any) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None and row.editable)
        self.delete_button.setEnabled(row is not None and row.editable)
        self.save_button.setEnabled(self.contacts.savable(row) is not None)
        self.call_button.setEnabled(bool(self.search.text().strip()) or row is not None)
        count = min(len(row.targets), 9) if row is not None else 0
        self.key_hint.setText(
            self.tr("Enter: call · Alt+1…{0}: call that number").format(count) if count > 1 else ""
        )

    def only_numbers_text(self, count: int) -> str:
        """The plural "{0} has only %n number(s) to call." for `count` numbers.

        Here, not in dial_calls: lupdate takes a text for a plural only from a tr() of
        the class whose context it is, and the text keeps the window's context.
        """
        return self.tr("{0} has only %n number(s) to call.", "", count)

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


__all__ = ["DEBOUNCE_MS", "DialTarget", "DialWindow", "ResultRow", "RowKind"]

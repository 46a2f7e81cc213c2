"""The inbox window: voicemail and fax, in two tabs.

It talks only to the `Controller`: it shows the controller's state (which the controller
reads back from the PBX), follows `voicemail_changed` and `faxes_changed`, and runs the
controller's coroutines with `controller.spawn`. Failures appear in the window's message
bar in words; nothing the user typed or chose is dropped when something fails.

Voicemail
    Playing a message does not mark it heard by itself. A message that was played to its
    end is marked heard (moved to Old) automatically, as a phone's voicemail menu does;
    not when the computer has no sound output, because then nobody heard it.
    Playback uses QtMultimedia, which is imported only when the user first plays
    something (`companion.ui.player`). Where it cannot load, or there is no sound output,
    the window says so, and "Save as WAV..." still works.

Fax
    "Send fax..." takes a PDF from a file dialog or dropped on the window, asks for the
    number in a small form under the sent list, and shows progress and then the result.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSlider,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion import fax_document, numbers
from companion.controller import Controller
from companion.desktop import viewers
from companion.files import UnusableFile, file_name, save_target, write_atomically
from companion.pbx.features import Feature
from companion.pbx.models import (
    Contact,
    ContactDetails,
    NumberKind,
    ReceivedFax,
    SearchResult,
    SentFax,
    Voicemail,
    VoicemailCounts,
)
from companion.ui.inbox_message_bar import MessageBar
from companion.ui.inbox_models import (
    ReceivedFaxModel,
    SentFaxModel,
    VoicemailModel,
    format_duration,
    format_time,
)
from companion.ui.inbox_widgets import (
    action_button,
    add_action,
    bold_label,
    reason_label,
    run,
    table,
)

if TYPE_CHECKING:
    from companion.ui.player import Player

log = logging.getLogger(__name__)

T = TypeVar("T")
TABS = ("voicemail", "fax")
_FAX_NUMBER = Qt.ItemDataRole.UserRole + 1


# ---------------------------------------------------------------------------------- window


class InboxWindow(QWidget):
    """Voicemail and fax. `show_tab("voicemail")` or `show_tab("fax")` brings it up."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._player: Player | None = None
        self._playback_unavailable = ""  # why playback cannot work here, once known
        self._audio: dict[str, bytes] = {}  # voicemail id -> WAV, fetched once
        self._wanted: str | None = None  # the message the user last asked to play
        self._loading_audio = False
        self._names_asked: set[str] = set()  # numbers looked up in the phonebook
        self._fax_names_asked: set[str] = set()  # fax sender numbers looked up there
        self._files = tempfile.TemporaryDirectory(prefix="companion-inbox-")
        self._fax_pdf: Path | None = None  # the PDF waiting for a number
        self._fax_pages = 0  # its page count, shown in the send form
        self._sending: asyncio.Task[Any] | None = None
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self._last_dir = Path(documents) if documents else Path.home()

        self.resize(660, 460)
        self.setAcceptDrops(True)
        self._build()
        self._retranslate()

        controller.voicemail_changed.connect(self._voicemail_changed)
        controller.faxes_changed.connect(self._faxes_changed)
        controller.features_changed.connect(self._features_changed)
        self._voicemail_changed(controller.voicemail_counts, controller.voicemails)
        self._faxes_changed(controller.received_faxes, controller.sent_faxes)
        self._features_changed()
        for index, feature in enumerate((Feature.VOICEMAIL, Feature.FAX)):
            self.tabs.setTabVisible(index, controller.offers(feature))  # hide what the PBX lacks
        self._attribution_read = False
        self._waiting_for_account = controller.account is None
        if self._waiting_for_account:
            controller.account_changed.connect(self._read_fax_attribution)
        else:
            self._read_fax_attribution()

    # -- public ---------------------------------------------------------------------------

    def show_tab(self, name: str) -> None:
        """Show the "voicemail" or "fax" tab, and bring the window to the front."""
        if name not in TABS:
            raise ValueError(f"no inbox tab {name!r}; one of {', '.join(TABS)}")
        self.tabs.setCurrentIndex(TABS.index(name))
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        (self.voicemail_view if name == "voicemail" else self.received_view).setFocus()

    def start_fax(self, pdf: Path) -> bool:
        """Take `pdf` for sending: check it is a PDF, then ask for the number."""
        if self._sending is not None:
            self.bar.show_error(
                self.tr("A fax is being sent. Wait until it is scheduled, then send the next.")
            )
            return False
        if pdf.suffix.lower() != ".pdf":
            self.bar.show_error(
                self.tr("{file} is not a PDF file. Only PDF files can be sent as a fax.").format(
                    file=pdf.name
                )
            )
            return False
        try:  # the CLI's check: opens as a PDF, has pages, no password, not too big
            document = fax_document.check(pdf)
        except fax_document.FaxDocumentError as exc:
            self.bar.show_error(str(exc))
            return False
        self._fax_pdf = pdf
        self._fax_pages = document.pages
        self._last_dir = pdf.parent
        self.tabs.setCurrentIndex(TABS.index("fax"))
        self.send_error.hide()
        self._update_send_form()
        self.send_form.show()
        self.number_edit.setFocus()
        self.number_edit.selectAll()
        return True

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.bar = MessageBar(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_voicemail(), "")
        self.tabs.addTab(self._build_fax(), "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, index: int) -> None:
        """A message about one tab (voicemail's "no sound output") leaves with it."""
        if self.bar.tab and self.bar.tab != TABS[index]:
            self.bar.clear()

    def _build_voicemail(self) -> QWidget:
        page = QWidget()
        self.voicemail_model = VoicemailModel(self.controller)
        self.voicemail_view = table(self.voicemail_model, VoicemailModel.CALLER)
        self.voicemail_view.doubleClicked.connect(lambda _index: self._play_pause())
        self.voicemail_view.customContextMenuRequested.connect(self._voicemail_menu)
        self.voicemail_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._voicemail_selected()
        )
        self.voicemail_empty = QLabel()
        self.voicemail_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.voicemail_empty.setEnabled(False)
        self.voicemail_unavailable = reason_label()
        self.voicemail_stack = QStackedWidget()
        self.voicemail_stack.addWidget(self.voicemail_view)
        self.voicemail_stack.addWidget(self.voicemail_empty)
        self.voicemail_stack.addWidget(self.voicemail_unavailable)

        sp = QStyle.StandardPixmap
        self.play_action = add_action(page, self._play_pause, sp.SP_MediaPlay, "Space")
        # Space plays from the list; on a focused button it must still press the button.
        self.play_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        page.removeAction(self.play_action)
        self.voicemail_view.addAction(self.play_action)
        self.call_back_action = add_action(page, self._call_back, None, "Ctrl+Return")
        self.save_contact_action = add_action(page, self._save_caller)
        self.mark_heard_action = add_action(page, self._mark_heard, None, "Ctrl+M")
        self.save_wav_action = add_action(
            page, self._save_wav, sp.SP_DialogSaveButton, QKeySequence.StandardKey.Save
        )
        self.delete_action = add_action(
            page, self._delete, sp.SP_TrashIcon, QKeySequence.StandardKey.Delete
        )

        self.play_button = action_button(self.play_action)
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance("M") * 7)
        self.position_slider = QSlider(Qt.Orientation.Horizontal)
        self.position_slider.setEnabled(False)
        self.position_slider.sliderMoved.connect(self._seek)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setMinimumWidth(
            self.time_label.fontMetrics().horizontalAdvance("00:00 / 00:00")
        )
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        transport = QHBoxLayout()
        transport.addWidget(self.play_button)
        transport.addWidget(self.position_slider, 1)
        transport.addWidget(self.time_label)

        buttons = QHBoxLayout()
        for action in (self.call_back_action, self.save_contact_action):
            buttons.addWidget(action_button(action))
        buttons.addStretch(1)
        for action in (self.mark_heard_action, self.save_wav_action, self.delete_action):
            buttons.addWidget(action_button(action))

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.voicemail_stack, 1)
        layout.addLayout(transport)
        layout.addLayout(buttons)
        return page

    def _build_fax(self) -> QWidget:
        page = QWidget()
        self.received_model = ReceivedFaxModel(self.controller)
        self.received_view = table(self.received_model, ReceivedFaxModel.SENDER)
        self.received_view.doubleClicked.connect(lambda _index: self._open_fax())
        self.received_view.customContextMenuRequested.connect(self._received_menu)
        self.received_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_fax_actions()
        )
        self.sent_model = SentFaxModel(self.controller)
        self.sent_view = table(self.sent_model, SentFaxModel.TITLE)

        sp = QStyle.StandardPixmap
        self.open_fax_action = add_action(page, self._open_fax, sp.SP_FileIcon, "Return")
        self.save_pdf_action = add_action(
            page, self._save_pdf, sp.SP_DialogSaveButton, QKeySequence.StandardKey.Save
        )
        self.send_fax_action = add_action(page, self._choose_fax, None, "Ctrl+N")
        # Return opens only from the received list, not while typing a number.
        self.open_fax_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        page.removeAction(self.open_fax_action)
        self.received_view.addAction(self.open_fax_action)

        self.received_label = bold_label()
        self.sent_label = bold_label()
        # Where the PBX gives no e-mail for the user, only faxes sent from here are known.
        self.sent_note = QLabel()
        self.sent_note.setWordWrap(True)
        self.sent_note.setTextFormat(Qt.TextFormat.PlainText)
        self.sent_note.setEnabled(False)  # a quiet note under the heading
        self.sent_note.hide()
        received_buttons = QHBoxLayout()
        received_buttons.addWidget(action_button(self.open_fax_action))
        received_buttons.addWidget(action_button(self.save_pdf_action))
        received_buttons.addStretch(1)

        # The send form: shown once a PDF is chosen or dropped.
        self.send_form = QFrame()
        self.send_form.setObjectName("sendForm")
        self.send_form.setFrameShape(QFrame.Shape.StyledPanel)
        self.send_file_label = QLabel()
        self.send_file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.send_error = QLabel()
        self.send_error.setWordWrap(True)
        self.send_error.setStyleSheet("color: #b3261e;")
        self.send_error.hide()
        self.number_edit = QLineEdit()
        self.number_edit.setClearButtonEnabled(True)
        self.number_edit.returnPressed.connect(self._send_fax)
        self.number_edit.textEdited.connect(self._number_edited)
        # Typing a name offers the fax numbers of matching phonebook contacts.
        self.fax_contacts = QStandardItemModel(self)
        self.fax_completer = QCompleter(self.fax_contacts, self)
        self.fax_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.fax_completer.setCompletionRole(_FAX_NUMBER)
        self.fax_completer.setWidget(self.number_edit)
        self.fax_completer.activated.connect(self._fax_contact_chosen)
        self._fax_search: asyncio.Task[Any] | None = None
        self._fax_search_timer = QTimer(self)
        self._fax_search_timer.setSingleShot(True)
        self._fax_search_timer.setInterval(250)
        self._fax_search_timer.timeout.connect(self._search_fax_contacts)
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._send_fax)
        self.cancel_send_button = QPushButton()
        self.cancel_send_button.clicked.connect(self._cancel_fax)
        self.send_busy = QProgressBar()
        self.send_busy.setRange(0, 0)
        self.send_busy.setMaximumWidth(120)
        self.send_busy.setTextVisible(False)
        self.send_busy_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.number_edit, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.cancel_send_button)
        busy = QHBoxLayout()
        busy.addWidget(self.send_busy)
        busy.addWidget(self.send_busy_label, 1)
        self._busy_widgets = (self.send_busy, self.send_busy_label)
        for widget in self._busy_widgets:
            widget.hide()
        form = QVBoxLayout(self.send_form)
        form.addWidget(self.send_file_label)
        form.addLayout(row)
        form.addWidget(self.send_error)
        form.addLayout(busy)
        self.send_form.hide()

        self.drop_hint = QLabel()
        self.drop_hint.setEnabled(False)
        send_row = QHBoxLayout()
        send_row.addWidget(self.drop_hint, 1)
        send_row.addWidget(action_button(self.send_fax_action))

        # The lists, or in their place why the PBX does not give them.
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.addWidget(self.received_label)
        lists_layout.addWidget(self.received_view, 1)
        lists_layout.addLayout(received_buttons)
        lists_layout.addSpacing(6)
        lists_layout.addWidget(self.sent_label)
        lists_layout.addWidget(self.sent_note)
        lists_layout.addWidget(self.sent_view, 1)
        self.fax_lists = lists
        self.fax_unavailable = reason_label()
        self.fax_stack = QStackedWidget()
        self.fax_stack.addWidget(lists)
        self.fax_stack.addWidget(self.fax_unavailable)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.fax_stack, 1)
        layout.addWidget(self.send_form)
        layout.addLayout(send_row)
        return page

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Inbox"))  # the desktop adds " — Companion"
        self._update_tab_titles()
        self.bar.retranslate()
        self.voicemail_empty.setText(self.tr("No voicemail."))
        self.call_back_action.setText(self.tr("&Call back"))
        self.save_contact_action.setText(self.tr("Save caller as &contact…"))
        self.mark_heard_action.setText(self.tr("Mark &heard"))
        self.mark_heard_action.setToolTip(self.tr("Move the message to Old (Ctrl+M)"))
        self.save_wav_action.setText(self.tr("&Save as WAV…"))
        self.delete_action.setText(self.tr("&Delete"))
        self.delete_action.setToolTip(self.tr("Delete the message (Del)"))
        self.position_slider.setAccessibleName(self.tr("Position in the message"))
        self.received_label.setText(self.tr("Received"))
        self.sent_label.setText(self.tr("Sent"))
        self.open_fax_action.setText(self.tr("&Open"))
        self.open_fax_action.setToolTip(self.tr("Open the fax in your PDF viewer"))
        self.save_pdf_action.setText(self.tr("&Save as PDF…"))
        self.send_fax_action.setText(self.tr("Send &fax…"))
        self.drop_hint.setText(self.tr("Drop a PDF on this window to send it as a fax."))
        self.number_edit.setPlaceholderText(
            self.tr("Fax number, e.g. 030 123456, or a name from the phonebook")
        )
        self.number_edit.setAccessibleName(self.tr("Fax number"))
        self.send_button.setText(self.tr("Send"))
        self.cancel_send_button.setText(self.tr("Cancel"))
        self.send_busy_label.setText(self.tr("Sending…"))
        for model in (self.voicemail_model, self.received_model, self.sent_model):
            model.retranslate()
        self._update_send_form()
        self._update_transport()
        self._update_voicemail_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc puts away the send form if it is open, else closes the window."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            if self.send_form.isVisible() and self.tabs.currentIndex() == TABS.index("fax"):
                self._cancel_fax()
            else:
                self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._wanted = None  # audio still on its way must not start playing
        if self._player is not None:
            self._player.unload()  # no sound from a closed window; the WAV file goes
            self._update_transport()
        super().closeEvent(event)

    # -- running controller work -----------------------------------------------------------

    def _run(
        self,
        work: Coroutine[Any, Any, T],
        done: Callable[[T], object] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> asyncio.Task[T]:
        return run(self.controller, work, on_error or self.bar.show_error, done)

    # -- state from the controller ----------------------------------------------------------

    def _features_changed(self, *args: object) -> None:
        """Show why voicemail or faxes cannot be read, in place of their list."""
        self._show_voicemail_list()
        fax = self.controller.feature_state(Feature.FAX)
        if fax.available:
            self.fax_stack.setCurrentWidget(self.fax_lists)
        else:
            self.fax_unavailable.setText(
                self.tr("Faxes cannot be shown.") + "\n\n" + fax.reason
            )  # fmt: skip
            self.fax_stack.setCurrentWidget(self.fax_unavailable)
        self._update_fax_actions()

    def _show_voicemail_list(self) -> None:
        voicemail = self.controller.feature_state(Feature.VOICEMAIL)
        if not voicemail.available:
            self.voicemail_unavailable.setText(
                self.tr("Voicemail cannot be shown.") + "\n\n" + voicemail.reason
            )
            self.voicemail_stack.setCurrentWidget(self.voicemail_unavailable)
        elif self.voicemail_model._rows:
            self.voicemail_stack.setCurrentWidget(self.voicemail_view)
        else:
            self.voicemail_stack.setCurrentWidget(self.voicemail_empty)

    def _voicemail_changed(self, counts: VoicemailCounts | None, messages: list[Voicemail]) -> None:
        selected = self._selected_voicemail()
        self.voicemail_model.set_rows(messages)
        self._show_voicemail_list()
        ids = {m.id for m in messages}
        for gone in set(self._audio) - ids:
            del self._audio[gone]
        if (
            self._player is not None
            and self._player.key is not None
            and self._player.key not in ids
        ):
            self._player.unload()
        row = self.voicemail_model.row_of(selected.id) if selected is not None else None
        if row is None and messages:
            row = 0
        if row is not None:
            self.voicemail_view.selectRow(row)
        self._update_tab_titles()
        self._voicemail_selected()
        self._look_up_callers(messages)

    def _read_fax_attribution(self, *args: object) -> None:
        """Once the account is known: say when only faxes sent from here can be shown."""
        if self._attribution_read:
            return
        self._attribution_read = True
        if self._waiting_for_account:
            self._waiting_for_account = False
            self.controller.account_changed.disconnect(self._read_fax_attribution)

        async def read() -> None:
            note = await self.controller.fax_attribution()
            self.sent_note.setText(note)
            self.sent_note.setVisible(bool(note))

        self.controller.spawn(read(), on_error=lambda text: log.info("fax note: %s", text))

    def _faxes_changed(self, received: list[ReceivedFax], sent: list[SentFax]) -> None:
        selected = self._selected_fax()
        self.received_model.set_rows(received)
        self.sent_model.set_rows(sent)
        row = self.received_model.row_of(selected.id) if selected is not None else None
        if row is None and received:
            row = 0
        if row is not None:
            self.received_view.selectRow(row)
        self._update_fax_actions()
        self._look_up_fax_senders(received)

    def _update_tab_titles(self) -> None:
        new = sum(1 for m in self.voicemail_model._rows if not m.heard)
        self.tabs.setTabText(
            0,
            self.tr("&Voicemail ({count} new)").format(count=new) if new else self.tr("&Voicemail"),
        )
        self.tabs.setTabText(1, self.tr("&Fax"))

    # -- caller names from the phonebook -------------------------------------------------------

    def _look_up_callers(self, messages: list[Voicemail]) -> None:
        """When the PBX gave a number but no name, find the number in the phonebook."""
        for message in messages:
            number = message.caller_number
            if message.caller_name or not number or number in self._names_asked:
                continue
            self._names_asked.add(number)
            self._run(
                self.controller.contact_for(number),
                done=functools.partial(self._caller_found, number),
                # Only a nicety: on failure the number stays shown; ask again next time.
                on_error=functools.partial(self._lookup_failed, number),
            )

    def _look_up_fax_senders(self, faxes: list[ReceivedFax]) -> None:
        """A fax with a remote number but no usable caller-ID name: ask the phonebook."""
        for fax in faxes:
            number = fax.sender_number
            if fax.sender or not number or number in self._fax_names_asked:
                continue
            self._fax_names_asked.add(number)
            self._run(
                self.controller.contact_for(number),
                done=functools.partial(self._fax_sender_found, number),
                # Only a nicety: on failure the number stays shown; ask again next time.
                on_error=functools.partial(self._fax_lookup_failed, number),
            )

    def _fax_lookup_failed(self, number: str, _text: str) -> None:
        self._fax_names_asked.discard(number)

    def _fax_sender_found(self, number: str, contact: Contact | None) -> None:
        if contact is not None and contact.name:
            self.received_model.set_name(number, contact.name)

    def _lookup_failed(self, number: str, _text: str) -> None:
        self._names_asked.discard(number)

    def _caller_found(self, number: str, contact: Contact | None) -> None:
        if contact is not None and contact.name:
            self.voicemail_model.set_name(number, contact.name)
            self._update_voicemail_actions()

    # -- voicemail ----------------------------------------------------------------------------

    def _selected_voicemail(self) -> Voicemail | None:
        message: Voicemail | None = self.voicemail_model.row_object(
            self.voicemail_view.currentIndex().row()
        )
        return message

    def _voicemail_selected(self) -> None:
        message = self._selected_voicemail()
        player = self._player
        if (
            player is not None
            and player.key is not None
            and (message is None or player.key != message.id)
            and player.playing
        ):
            player.pause()  # the transport is about the selected message
        self._update_transport()
        self._update_voicemail_actions()

    def _update_voicemail_actions(self) -> None:
        message = self._selected_voicemail()
        has = message is not None
        self.play_action.setEnabled(has and not self._playback_unavailable)
        self.call_back_action.setEnabled(has and bool(message and message.caller_number))
        self.save_contact_action.setEnabled(has and bool(message and message.caller_number))
        self.mark_heard_action.setEnabled(has and not (message and message.heard))
        self.save_wav_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        if message is not None and message.caller_number:
            self.call_back_action.setToolTip(
                self.tr("Call {number} from your phone (Ctrl+Enter)").format(
                    number=self.controller.display(message.caller_number)
                )
            )

    def _update_transport(self) -> None:
        message = self._selected_voicemail()
        player = self._player
        loaded = player is not None and message is not None and player.key == message.id
        playing = bool(loaded and player is not None and player.playing)
        self.play_action.setText(self.tr("&Pause") if playing else self.tr("&Play"))
        self.play_action.setToolTip(
            self.tr("Pause (Space)")
            if playing
            else self.tr("Play the message (Space). Played to its end, it is marked heard.")
        )
        self.play_action.setIcon(
            self.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaPause
                if playing
                else QStyle.StandardPixmap.SP_MediaPlay
            )
        )
        if loaded and player is not None:
            duration = player.duration or (message.duration * 1000 if message else 0)
            position = player.position
        else:
            duration = message.duration * 1000 if message else 0
            position = 0
        self.position_slider.setEnabled(loaded)
        self.position_slider.setMaximum(max(0, duration))
        if not self.position_slider.isSliderDown():
            self.position_slider.setValue(position)
        if self._loading_audio and not loaded:
            self.time_label.setText(self.tr("Loading…"))
        else:
            elapsed, total = round(position / 1000), round(duration / 1000)
            self.time_label.setText(f"{format_duration(elapsed)} / {format_duration(total)}")

    def _ensure_player(self) -> Player | None:
        """The player, created (and QtMultimedia imported) on first use; None if it cannot."""
        if self._player is not None:
            return self._player
        if self._playback_unavailable:
            self.bar.show_error(self._playback_unavailable)
            return None
        try:
            from companion.ui.player import Player

            player = Player(self)
        except Exception as exc:  # ImportError, or OSError for a missing libpulse/libatomic
            log.warning("QtMultimedia cannot be used: %s", exc)
            self._playback_unavailable = self.tr(
                "Voicemail cannot be played on this computer: Qt Multimedia could not be "
                "loaded ({reason}). You can still save a message as WAV and play it with "
                "another program."
            ).format(reason=str(exc) or type(exc).__name__)
            self.bar.show_error(self._playback_unavailable)
            self._update_voicemail_actions()
            return None
        player.position_changed.connect(lambda _ms: self._update_transport())
        player.duration_changed.connect(lambda _ms: self._update_transport())
        player.playing_changed.connect(lambda _playing: self._update_transport())
        player.finished.connect(self._played_to_end)
        player.failed.connect(self.bar.show_error)
        player.audible_changed.connect(lambda audible: self._say_if_silent(player))
        self._player = player
        return player

    def _play_pause(self) -> None:
        message = self._selected_voicemail()
        if message is None:
            return
        player = self._ensure_player()
        if player is None:
            return
        if player.key == message.id:
            if player.playing:
                player.pause()
            else:
                player.play()
            return
        self._wanted = message.id
        audio = self._audio.get(message.id)
        if audio is not None:
            self._start(player, message.id, audio)
            return
        self._loading_audio = True
        self._update_transport()

        def failed(text: str) -> None:
            self._loading_audio = False
            self._update_transport()
            self.bar.show_error(text)

        self._run(
            self.controller.voicemail_audio(message.id),
            done=functools.partial(self._audio_arrived, message.id),
            on_error=failed,
        )

    def _audio_arrived(self, key: str, audio: bytes) -> None:
        self._loading_audio = False
        self._audio[key] = audio
        player = self._player
        selected = self._selected_voicemail()
        if (
            player is None
            or self._wanted != key
            or selected is None
            or selected.id != key
            or not self.isVisible()
        ):
            self._update_transport()  # the user moved on to another message, or closed us
            return
        self._start(player, key, audio)

    def _start(self, player: Player, key: str, audio: bytes) -> None:
        try:
            player.load(key, audio)
        except OSError as exc:
            self.bar.show_error(
                self.tr("The message cannot be played: {reason}").format(reason=exc.strerror or exc)
            )
            return
        player.play()
        self._say_if_silent(player)
        self._update_transport()

    def _say_if_silent(self, player: Player) -> None:
        silent_text = self.tr(
            "This computer has no sound output, so the message plays silently and is not "
            "marked as heard. Use Save as WAV… to listen to it elsewhere."
        )
        if not player.audible:
            self.bar.show_warning(silent_text, "voicemail")
        elif self.bar.text() == silent_text:
            self.bar.clear()

    def _seek(self, position: int) -> None:
        message = self._selected_voicemail()
        if self._player is not None and message is not None and self._player.key == message.id:
            self._player.seek(position)

    def _played_to_end(self, key: str) -> None:
        """Played to its end: heard, as on a phone (not if nobody could hear it)."""
        self._update_transport()
        player = self._player
        row = self.voicemail_model.row_of(key)
        message: Voicemail | None = (
            self.voicemail_model.row_object(row) if row is not None else None
        )
        if player is None or not player.audible or message is None or message.heard:
            return
        self._run(self.controller.mark_heard(key))

    def _mark_heard(self) -> None:
        message = self._selected_voicemail()
        if message is None or message.heard:
            return
        self.mark_heard_action.setEnabled(False)  # until the list comes back

        def failed(text: str) -> None:
            self._update_voicemail_actions()
            self.bar.show_error(text)

        self._run(self.controller.mark_heard(message.id), on_error=failed)

    def _confirm_delete(self, message: Voicemail) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete voicemail"))
        box.setText(
            self.tr("Delete the message from {caller} ({time})?").format(
                caller=self.voicemail_model.caller(message), time=format_time(message.received)
            )
        )
        box.setInformativeText(self.tr("It is removed from the PBX and cannot be restored."))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def _delete(self) -> None:
        message = self._selected_voicemail()
        if message is None or not self._confirm_delete(message):
            return
        if self._player is not None and self._player.key == message.id:
            self._player.unload()
        self.delete_action.setEnabled(False)

        def failed(text: str) -> None:
            self._update_voicemail_actions()
            self.bar.show_error(text)

        self._run(self.controller.delete_voicemail(message.id), on_error=failed)

    def _call_back(self) -> None:
        message = self._selected_voicemail()
        if message is None or not message.caller_number:
            return
        self._run(
            self.controller.dial(message.caller_number),
            done=lambda shown: self.bar.show_info(
                self.tr("Calling {number}…").format(number=shown)
            ),
        )

    def _save_caller(self) -> None:
        message = self._selected_voicemail()
        if message is None or not message.caller_number:
            return
        try:
            from companion.ui.contact_dialog import ContactDialog
        except ImportError as exc:
            log.warning("no contact dialog: %s", exc)
            self.bar.show_error(self.tr("Contacts cannot be edited in this version of Companion."))
            return
        name = message.caller_name or self.voicemail_model.names.get(message.caller_number, "")
        details = ContactDetails(name=name, phone=message.caller_number)
        dialog = ContactDialog(self.controller, details, parent=self)
        if dialog.exec():
            # The caller may now be in the phonebook: look the number up again.
            self._names_asked.discard(message.caller_number)
            self._look_up_callers(self.voicemail_model._rows)

    def _save_wav(self) -> None:
        message = self._selected_voicemail()
        if message is None:
            return
        when = message.received.astimezone() if message.received else None
        suggested = (
            file_name(
                self.tr("Voicemail {caller} {time}").format(
                    caller=self.voicemail_model.caller(message),
                    time=f"{when:%Y-%m-%d %H%M}" if when else "",
                )
            )
            + ".wav"
        )
        path = self._ask_save_path(
            self.tr("Save voicemail as WAV"), suggested, self.tr("WAV audio (*.wav)")
        )
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".wav")
        audio = self._audio.get(message.id)
        if audio is not None:
            self._write_file(path, audio)
            return

        def arrived(audio: bytes, key: str = message.id) -> None:
            self._audio[key] = audio
            self._write_file(path, audio)

        self._run(self.controller.voicemail_audio(message.id), done=arrived)

    def _voicemail_menu(self, position: QPoint) -> None:
        if self._selected_voicemail() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.play_action)
        menu.addSeparator()
        menu.addAction(self.call_back_action)
        menu.addAction(self.save_contact_action)
        menu.addSeparator()
        menu.addAction(self.mark_heard_action)
        menu.addAction(self.save_wav_action)
        menu.addAction(self.delete_action)
        menu.popup(self.voicemail_view.viewport().mapToGlobal(position))

    # -- files ----------------------------------------------------------------------------------

    def _ask_save_path(self, caption: str, suggested: str, filters: str) -> Path | None:
        """Ask where to save (tests replace this); None when the user cancels."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self, caption, str(self._last_dir / suggested), filters
        )
        return Path(chosen) if chosen else None

    def _ask_pdf_path(self) -> Path | None:
        """Ask for a PDF to fax (tests replace this); None when the user cancels."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a PDF to send as a fax"),
            str(self._last_dir),
            self.tr("PDF documents (*.pdf *.PDF)"),
        )
        return Path(chosen) if chosen else None

    def _open_in_viewer(self, path: Path) -> bool:
        """Open `path` with the desktop's program for it; False where there is none."""
        if viewers.has_viewer("application/pdf") is False:
            return False  # openUrl would report success and show nothing
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _write_file(self, path: Path, data: bytes) -> bool:
        try:
            write_atomically(path, data)
        except OSError as exc:
            self.bar.show_error(
                self.tr("{file} could not be saved: {reason}").format(
                    file=str(path), reason=exc.strerror or exc
                )
            )
            return False
        self._last_dir = path.parent
        self.bar.show_info(self.tr("Saved {file}").format(file=str(path)))
        return True

    # -- fax --------------------------------------------------------------------------------------

    def _selected_fax(self) -> ReceivedFax | None:
        fax: ReceivedFax | None = self.received_model.row_object(
            self.received_view.currentIndex().row()
        )
        return fax

    def _update_fax_actions(self) -> None:
        has = self._selected_fax() is not None
        self.open_fax_action.setEnabled(has)
        self.save_pdf_action.setEnabled(has)

    def _faxfile_name(self, fax: ReceivedFax) -> str:
        when = fax.received.astimezone() if fax.received else None
        model = self.received_model
        # Who sent it as the list shows it, with the number rather than "Unknown sender".
        known = fax.sender or model.names.get(fax.sender_number, "") or fax.sender_number
        return (
            file_name(
                self.tr("Fax from {sender} {time}").format(
                    sender=known or model.sender_name(fax),
                    time=f"{when:%Y-%m-%d %H%M}" if when else fax.id,
                )
            )
            + ".pdf"
        )

    def _open_fax(self) -> None:
        fax = self._selected_fax()
        if fax is None:
            return

        def arrived(pdf: bytes) -> None:
            folder = Path(self._files.name) / file_name(fax.id)  # one folder per fax
            path = folder / self._faxfile_name(fax)
            try:
                folder.mkdir(exist_ok=True)
                path.write_bytes(pdf)
            except OSError as exc:
                self.bar.show_error(
                    self.tr("The fax cannot be opened: {reason}").format(reason=exc.strerror or exc)
                )
                return
            if not self._open_in_viewer(path):
                self.bar.show_error(
                    self.tr(
                        "No program to show PDF files was found. "
                        "Save the fax as a PDF file and open it yourself."
                    ),
                    self.save_pdf_action,
                )

        self._run(self.controller.fax_pdf(fax), done=arrived)

    def _save_pdf(self) -> None:
        fax = self._selected_fax()
        if fax is None:
            return
        path = self._ask_save_path(
            self.tr("Save fax as PDF"), self._faxfile_name(fax), self.tr("PDF documents (*.pdf)")
        )
        if path is None:
            return
        if not path.suffix and not path.is_dir():
            path = path.with_suffix(".pdf")
        try:  # the CLI's rule: a directory gets the fax under its own name
            path = save_target(path, self._faxfile_name(fax))
        except UnusableFile as exc:
            self.bar.show_error(str(exc))
            return
        self._run(self.controller.fax_pdf(fax), done=lambda pdf: self._write_file(path, pdf))

    def _received_menu(self, position: QPoint) -> None:
        if self._selected_fax() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.open_fax_action)
        menu.addAction(self.save_pdf_action)
        menu.popup(self.received_view.viewport().mapToGlobal(position))

    def _choose_fax(self) -> None:
        path = self._ask_pdf_path()
        if path is not None:
            self.start_fax(path)

    def _update_send_form(self) -> None:
        if self._fax_pdf is not None:
            self.send_file_label.setText(
                self.tr("Send “{file}” (%n page(s)) as a fax to:", "", self._fax_pages).format(
                    file=self._fax_pdf.name
                )
            )

    def _number_edited(self, text: str) -> None:
        self.send_error.hide()
        self._fax_search_timer.stop()
        if self._fax_search is not None:
            self._fax_search.cancel()  # stale: a newer keystroke
            self._fax_search = None
        if sum(c.isalpha() for c in text) >= 2:  # a name, not a number
            self._fax_search_timer.start()
        else:
            self.fax_contacts.clear()
            self._hide_fax_contacts()

    def _search_fax_contacts(self) -> None:
        text = self.number_edit.text().strip()
        # A failed search only means no suggestions; typing a number still works.
        self._fax_search = self._run(
            self.controller.search(text, limit=20),
            done=functools.partial(self._fax_contacts_found, text),
            on_error=lambda _text: None,
        )

    def _fax_contacts_found(self, text: str, found: tuple[SearchResult, object]) -> None:
        self._fax_search = None
        result = found[0]
        if text != self.number_edit.text().strip() or not self.number_edit.hasFocus():
            return
        self.fax_contacts.clear()
        for contact in result.contacts:
            for entry in contact.numbers:
                if entry.kind is NumberKind.FAX:
                    item = QStandardItem(
                        self.tr("{name} (fax {number})").format(
                            name=contact.name, number=entry.number
                        )
                    )
                    item.setData(entry.number, _FAX_NUMBER)
                    self.fax_contacts.appendRow(item)
        if self.fax_contacts.rowCount():
            self.fax_completer.complete()
        else:
            self._hide_fax_contacts()

    def _fax_contact_chosen(self, number: str) -> None:
        """A contact picked from the suggestions: its fax number (the completion role)."""
        self.number_edit.setText(number)
        self.send_error.hide()

    def _hide_fax_contacts(self) -> None:
        popup = self.fax_completer.popup()
        if popup is not None:
            popup.hide()

    def _set_sending(self, sending: bool) -> None:
        for widget in self._busy_widgets:
            widget.setVisible(sending)
        self.number_edit.setReadOnly(sending)
        self.send_button.setEnabled(not sending)
        self.cancel_send_button.setEnabled(not sending)
        self.send_fax_action.setEnabled(not sending)

    def _send_fax(self) -> None:
        if self._fax_pdf is None or self._sending is not None:
            return
        text = self.number_edit.text()
        try:
            shown = self.controller.display(self.controller.parse(text).destination)
        except numbers.NumberError as exc:
            self._send_failed(str(exc))
            return
        self.send_error.hide()
        self._set_sending(True)
        pdf = self._fax_pdf
        self._sending = self._run(
            self.controller.send_fax(pdf, text),
            done=lambda _job: self._fax_sent(shown),
            on_error=self._send_failed,
        )
        self._sending.add_done_callback(lambda _task: self._sending_over())

    def _sending_over(self) -> None:
        self._sending = None
        self._set_sending(False)

    def _send_failed(self, text: str) -> None:
        """Say why inline; the PDF and the typed number stay for another try."""
        self.send_error.setText(text)
        self.send_error.show()
        self.number_edit.setFocus()

    def _fax_sent(self, shown: str) -> None:
        self._fax_pdf = None
        self.send_form.hide()
        self.number_edit.clear()
        self.bar.show_info(self.tr("Fax to {number} scheduled.").format(number=shown))

    def _cancel_fax(self) -> None:
        if self._sending is not None:
            return
        self._fax_pdf = None
        self.send_error.hide()
        self.send_form.hide()

    # -- drag and drop --------------------------------------------------------------------------

    def _dropped_pdf(self, mime: QMimeData) -> tuple[Path | None, str]:
        """The one local PDF file in a drag, or why the drag cannot be taken."""
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if len(files) != 1 or len(mime.urls()) != 1:
            return None, self.tr("Drop one PDF file to send it as a fax.")
        if files[0].suffix.lower() != ".pdf":
            return None, self.tr(
                "{file} is not a PDF file. Only PDF files can be sent as a fax."
            ).format(file=files[0].name)
        return files[0], ""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        pdf, why = self._dropped_pdf(event.mimeData())
        if pdf is not None and self._sending is None:
            event.acceptProposedAction()
            return
        event.ignore()
        if event.mimeData().hasUrls():  # files: say why they are refused
            self.bar.show_error(why or self.tr("A fax is being sent. Wait until it is scheduled."))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        pdf, _why = self._dropped_pdf(event.mimeData())
        if pdf is not None and self._sending is None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        pdf, why = self._dropped_pdf(event.mimeData())
        if pdf is None:
            event.ignore()
            self.bar.show_error(why)
            return
        event.acceptProposedAction()
        if self.bar.kind == "error":
            self.bar.clear()
        self.start_fax(pdf)

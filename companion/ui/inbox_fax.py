"""The inbox's fax tab: the received and the sent faxes, opening or saving a received one
as PDF, and the send-fax form with the "Send fax…" button under them."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.files import UnusableFile, file_name, save_target
from companion.pbx.features import Feature
from companion.pbx.models import ReceivedFax, SentFax
from companion.ui.inbox_files import InboxFiles
from companion.ui.inbox_message_bar import MessageBar
from companion.ui.inbox_models import ReceivedFaxModel, SentFaxModel
from companion.ui.inbox_send_fax import SendFaxForm
from companion.ui.inbox_widgets import (
    action_button,
    add_action,
    bold_label,
    reason_label,
    run,
    table,
)
from companion.ui.phonebook_names import PhonebookNames

log = logging.getLogger(__name__)

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("InboxWindow", text)  # the inbox's texts, one context


class FaxTab(QWidget):
    """Received and sent faxes; follows `faxes_changed`."""

    pdf_chosen = Signal(object)  # the user picked a PDF to send from the file dialog

    def __init__(
        self,
        controller: Controller,
        bar: MessageBar,
        files: InboxFiles,
        send_question: Callable[[str, int], str],
        parent: QWidget,
    ) -> None:
        """`send_question` words the send form's question (see `SendFaxForm`)."""
        super().__init__(parent)
        self.controller = controller
        self.bar = bar
        self.files = files
        self._send_question = send_question
        # Opened faxes go here, one folder per fax, for the PDF viewer to read.
        self._opened = tempfile.TemporaryDirectory(prefix="companion-inbox-")
        self._attribution_read = False
        self._waiting_for_account = False
        self._build()

    def follow(self) -> None:
        """Show the controller's faxes now and follow their changes."""
        self.controller.faxes_changed.connect(self._faxes_changed)
        self.controller.features_changed.connect(self._features_changed)
        self._faxes_changed(self.controller.received_faxes, self.controller.sent_faxes)
        self._features_changed()
        self._waiting_for_account = self.controller.account is None
        if self._waiting_for_account:
            self.controller.account_changed.connect(self._read_fax_attribution)
        else:
            self._read_fax_attribution()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.received_model = ReceivedFaxModel(self.controller)
        self._sender_names = PhonebookNames(self.controller, self.received_model.set_name)
        self.received_view = table(self.received_model, ReceivedFaxModel.SENDER)
        self.received_view.doubleClicked.connect(lambda _index: self._open_fax())
        self.received_view.customContextMenuRequested.connect(self._received_menu)
        self.received_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_fax_actions()
        )
        self.sent_model = SentFaxModel(self.controller)
        self.sent_view = table(self.sent_model, SentFaxModel.TITLE)

        sp = QStyle.StandardPixmap
        self.open_fax_action = add_action(self, self._open_fax, sp.SP_FileIcon, "Return")
        self.save_pdf_action = add_action(
            self, self._save_pdf, sp.SP_DialogSaveButton, QKeySequence.StandardKey.Save
        )
        self.send_fax_action = add_action(self, self._choose_fax, None, "Ctrl+N")
        # Return opens only from the received list, not while typing a number.
        self.open_fax_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(self.open_fax_action)
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

        self.send_form = SendFaxForm(self.controller, self.bar, self._send_question, self)
        self.send_form.busy_changed.connect(lambda busy: self.send_fax_action.setEnabled(not busy))

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.fax_stack, 1)
        layout.addWidget(self.send_form)
        layout.addLayout(send_row)

    def retranslate(self) -> None:
        self.received_label.setText(_tr("Received"))
        self.sent_label.setText(_tr("Sent"))
        self.open_fax_action.setText(_tr("&Open"))
        self.open_fax_action.setToolTip(_tr("Open the fax in your PDF viewer"))
        self.save_pdf_action.setText(_tr("&Save as PDF…"))
        self.send_fax_action.setText(_tr("Send &fax…"))
        self.drop_hint.setText(_tr("Drop a PDF on this window to send it as a fax."))
        self.send_form.retranslate()
        for model in (self.received_model, self.sent_model):
            model.retranslate()

    def _run(
        self,
        work: Coroutine[Any, Any, T],
        done: Callable[[T], object] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> asyncio.Task[T]:
        return run(self.controller, work, on_error or self.bar.show_error, done)

    # -- state from the controller ----------------------------------------------------------

    def _features_changed(self, *args: object) -> None:
        """Show why faxes cannot be read, in place of their lists."""
        fax = self.controller.feature_state(Feature.FAX)
        if fax.available:
            self.fax_stack.setCurrentWidget(self.fax_lists)
        else:
            self.fax_unavailable.setText(
                _tr("Faxes cannot be shown.") + "\n\n" + fax.reason
            )  # fmt: skip
            self.fax_stack.setCurrentWidget(self.fax_unavailable)
        self._update_fax_actions()

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
        self._sender_names.look_up(f.sender_number for f in received if not f.sender)

    # -- received faxes ---------------------------------------------------------------------

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
                _tr("Fax from {sender} {time}").format(
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
            folder = Path(self._opened.name) / file_name(fax.id)  # one folder per fax
            path = folder / self._faxfile_name(fax)
            try:
                folder.mkdir(exist_ok=True)
                path.write_bytes(pdf)
            except OSError as exc:
                self.bar.show_error(
                    _tr("The fax cannot be opened: {reason}").format(reason=exc.strerror or exc)
                )
                return
            if not self.files.open_in_viewer(path):
                self.bar.show_error(
                    _tr(
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
        path = self.files.ask_save_path(
            _tr("Save fax as PDF"), self._faxfile_name(fax), _tr("PDF documents (*.pdf)")
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
        self._run(self.controller.fax_pdf(fax), done=lambda pdf: self.files.write_file(path, pdf))

    def _received_menu(self, position: QPoint) -> None:
        if self._selected_fax() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.open_fax_action)
        menu.addAction(self.save_pdf_action)
        menu.popup(self.received_view.viewport().mapToGlobal(position))

    def _choose_fax(self) -> None:
        path = self.files.ask_pdf_path()
        if path is not None:
            self.pdf_chosen.emit(path)

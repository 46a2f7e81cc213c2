"""The send-fax form under the sent list: the chosen PDF, the number (or a phonebook name
that offers its contacts' fax numbers), sending, and the result.

Nothing the user typed or chose is dropped when sending fails: the PDF and the number
stay for another try, and the form says why inline.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion import fax_document, numbers
from companion.controller import Controller
from companion.pbx.models import NumberKind, SearchResult
from companion.ui.inbox_message_bar import MessageBar
from companion.ui.inbox_widgets import run

T = TypeVar("T")
_FAX_NUMBER = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("InboxWindow", text)  # the inbox's texts, one context


class SendFaxForm(QFrame):
    """Shown once a PDF is chosen or dropped; hidden when it is sent or put away."""

    busy_changed = Signal(bool)  # a fax is being sent (no other can be started meanwhile)

    def __init__(
        self,
        controller: Controller,
        bar: MessageBar,
        question: Callable[[str, int], str],
        parent: QWidget,
    ) -> None:
        """`question(file name, pages)` words what the form asks above the number."""
        super().__init__(parent)
        self.controller = controller
        self.bar = bar
        self._question = question
        self._fax_pdf: Path | None = None  # the PDF waiting for a number
        self._fax_pages = 0  # its page count, shown in the form
        self._sending: asyncio.Task[Any] | None = None
        self._build()

    @property
    def sending(self) -> bool:
        return self._sending is not None

    def check(self, pdf: Path) -> int | None:
        """The page count of `pdf` if it can be sent now; else None, said in the bar."""
        if self._sending is not None:
            self.bar.show_error(
                _tr("A fax is being sent. Wait until it is scheduled, then send the next.")
            )
            return None
        if pdf.suffix.lower() != ".pdf":
            self.bar.show_error(
                _tr("{file} is not a PDF file. Only PDF files can be sent as a fax.").format(
                    file=pdf.name
                )
            )
            return None
        try:  # the CLI's check: opens as a PDF, has pages, no password, not too big
            document = fax_document.check(pdf)
        except fax_document.FaxDocumentError as exc:
            self.bar.show_error(str(exc))
            return None
        return document.pages

    def open(self, pdf: Path, pages: int) -> None:
        """Ask for the number to send the checked `pdf` to."""
        self._fax_pdf = pdf
        self._fax_pages = pages
        self.send_error.hide()
        self._update_file_label()
        self.show()
        self.number_edit.setFocus()
        self.number_edit.selectAll()

    def cancel(self) -> None:
        """Put the form away (not while sending); the PDF is forgotten."""
        if self._sending is not None:
            return
        self._fax_pdf = None
        self.send_error.hide()
        self.hide()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.setObjectName("sendForm")
        self.setFrameShape(QFrame.Shape.StyledPanel)
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
        self.cancel_send_button.clicked.connect(self.cancel)
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
        form = QVBoxLayout(self)
        form.addWidget(self.send_file_label)
        form.addLayout(row)
        form.addWidget(self.send_error)
        form.addLayout(busy)
        self.hide()

    def retranslate(self) -> None:
        self.number_edit.setPlaceholderText(
            _tr("Fax number, e.g. 030 123456, or a name from the phonebook")
        )
        self.number_edit.setAccessibleName(_tr("Fax number"))
        self.send_button.setText(_tr("Send"))
        self.cancel_send_button.setText(_tr("Cancel"))
        self.send_busy_label.setText(_tr("Sending…"))
        self._update_file_label()

    def _update_file_label(self) -> None:
        if self._fax_pdf is not None:
            self.send_file_label.setText(self._question(self._fax_pdf.name, self._fax_pages))

    def _run(
        self,
        work: Coroutine[Any, Any, T],
        done: Callable[[T], object] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> asyncio.Task[T]:
        return run(self.controller, work, on_error or self.bar.show_error, done)

    # -- fax numbers from the phonebook -----------------------------------------------------

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
                        _tr("{name} (fax {number})").format(name=contact.name, number=entry.number)
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

    # -- sending ------------------------------------------------------------------------------

    def _set_sending(self, sending: bool) -> None:
        for widget in self._busy_widgets:
            widget.setVisible(sending)
        self.number_edit.setReadOnly(sending)
        self.send_button.setEnabled(not sending)
        self.cancel_send_button.setEnabled(not sending)
        self.busy_changed.emit(sending)

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
        self.hide()
        self.number_edit.clear()
        self.bar.show_info(_tr("Fax to {number} scheduled.").format(number=shown))

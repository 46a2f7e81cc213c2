"""The small window that asks before a tel:/callto:/sip: link or the hotkey dials.

Links arrive from web pages and selections from anywhere, so nothing is dialled that the
user did not see: the window shows the number exactly as it will be dialled (and whose
it is, when the phonebook knows), and Dial is enabled only after a short moment, so a
key press already on its way to another window cannot dial.

One prompt at a time: links that arrive while a prompt is open queue behind it (they do
not replace it: the number under the user's finger never changes), and the prompt says
how many wait ("3 more links waiting"). Cancel (or Esc) closes this one and shows the
next; Dismiss all closes it and drops the waiting ones. Each next number is armed anew.
A link's extension or post-dial digits (``;ext=``, ``;postd=``) are shown with what
happens to them: sent as tones once the call is answered, or, where live calls do not
work, not dialled at all (the user keys them in). The queue itself is kept by
:class:`companion.desktop.integration.DesktopIntegration`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.numbers import DialNumber
from companion.pbx.models import Contact
from companion.session.tones import shown as shown_tones
from companion.ui.placement import fit_title

ARM_DELAY_MS = 400  # Dial stays disabled this long after the window appears


class LinkPrompt(QWidget):
    """Dial or Cancel one number; Enter dials (once armed), Esc cancels."""

    dialled = Signal(str)  # the number as shown, after the PBX accepted the dial
    finished = Signal()
    dismissed_all = Signal()  # the user dropped this link and every waiting one

    def __init__(self, controller: Controller, number: DialNumber, source: str = "") -> None:
        super().__init__(None, Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.controller = controller
        self.number = number
        self.setWindowTitle(self.tr("Call?"))  # the desktop adds " — Companion"
        fit_title(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        shown = controller.display(number.destination)
        self.number_label = QLabel(shown)
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who_label = QLabel(self.tr("Looking up the phonebook…"))
        self.who_label.setWordWrap(True)
        self.source_label = QLabel(source)
        self.source_label.setWordWrap(True)
        self.source_label.setVisible(bool(source))
        self.source_label.setStyleSheet("color: palette(mid);")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.waiting_label = QLabel()
        self.waiting_label.hide()

        buttons = QDialogButtonBox()
        self.dial_button = QPushButton(self.tr("Dial"))
        self.dial_button.setDefault(True)
        self.dial_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        buttons.addButton(self.dial_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.dismiss_all_button = QPushButton(self.tr("Dismiss all"))
        self.dismiss_all_button.hide()
        buttons.addButton(self.dismiss_all_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.dismiss_all_button.clicked.connect(self.dismiss_all)
        self.dial_button.clicked.connect(self.dial)
        self.cancel_button.clicked.connect(self.cancel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self.dial)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Call this number?")))
        layout.addWidget(self.number_label)
        layout.addWidget(self.who_label)
        self.tones_label = QLabel(self._tones_text())
        self.tones_label.setWordWrap(True)
        self.tones_label.setVisible(bool(number.tones))
        layout.addWidget(self.tones_label)
        layout.addWidget(self.source_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.waiting_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(340)

        self._lookup = controller.spawn(
            controller.contact_for(number.destination),
            on_error=lambda _text: self._show_contact(None),
        )
        self._lookup.add_done_callback(
            lambda task: (
                None if task.cancelled() or task.exception() else self._show_contact(task.result())
            )
        )
        QTimer.singleShot(ARM_DELAY_MS, self._arm)

    def _tones_text(self) -> str:
        """The link's extension / post-dial digits: sent after the answer, or not at all."""
        if not self.number.tones:
            return ""
        tones = shown_tones(self.number.tones)
        if self.controller.sends_tones():
            return self.tr("Then sends %1 once the call is answered.").replace("%1", tones)
        return self.tr(
            "%1 will not be dialled: Companion cannot tell when this call is answered."
            " Key it in on your phone."
        ).replace("%1", tones)

    def _arm(self) -> None:
        self.dial_button.setEnabled(True)
        self.dial_button.setFocus()

    def _show_contact(self, contact: Contact | None) -> None:
        if contact is None:
            self.who_label.setText(self.tr("Not in the phonebook."))
            return
        text = contact.name
        if contact.organisation and contact.organisation not in text:
            text += f" – {contact.organisation}"
        self.who_label.setText(text)

    def set_waiting(self, count: int) -> None:
        """Show how many links wait behind this one (none: the line and button hide)."""
        if count == 1:
            text = self.tr("1 more link waiting: Cancel shows it.")
        else:
            text = self.tr("%1 more links waiting: Cancel shows the next.").replace(
                "%1", str(count)
            )
        self.waiting_label.setText(text)
        self.waiting_label.setVisible(count > 0)
        self.dismiss_all_button.setVisible(count > 0)

    def dismiss_all(self) -> None:
        self.dismissed_all.emit()
        self.cancel()

    def cancel(self) -> None:
        # A slot returning None: QWidget.close returns a bool, which PySide mis-counts.
        self.close()

    def dial(self) -> None:
        if not self.dial_button.isEnabled():
            return  # not armed yet, or a dial is already on its way
        self.dial_button.setEnabled(False)
        self.error_label.hide()
        task = self.controller.spawn(
            self.controller.dial_number(self.number, asked=True), on_error=self._failed
        )
        task.add_done_callback(
            lambda done: (
                self._succeeded(done.result())
                if not done.cancelled() and done.exception() is None
                else None
            )
        )

    def _succeeded(self, shown: str) -> None:
        self.dialled.emit(shown)
        self.cancel()

    def _failed(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.dial_button.setEnabled(True)

    def closeEvent(self, event: object) -> None:
        if not self._lookup.done():
            self._lookup.cancel()
        self.finished.emit()
        super().closeEvent(event)  # type: ignore[arg-type]

"""The question a ``companion://enrol?...`` link asks before it connects to a relay.

Anyone can put such a link on a web page, and a relay sees every call the desktop makes:
so a link never connects by itself. The prompt names the relay's address (as checked by
`companion.pbx.relay.links`) and what it replaces, and connects only on "Connect".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from companion.pbx.relay.links import EnrolLink
from companion.ui import icons


def _tr(text: str) -> str:
    return QCoreApplication.translate("EnrolPrompt", text)


class EnrolPrompt(QMessageBox):
    connect_requested = Signal(object)  # the EnrolLink, once the user said "Connect"

    def __init__(self, link: EnrolLink, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(_tr("Connect to a Companion relay"))
        self.setWindowIcon(icons.app_icon())
        self.setText(_tr("Connect this desktop to the Companion relay at {relay}?").format(
            relay=link.relay
        ))  # fmt: skip
        instead = (
            _tr("Companion will then work through this relay instead of {current}.").format(
                current=current
            )
            if current and current != link.relay
            else _tr("Companion will then work through this relay.")
        )
        self.setInformativeText(
            instead
            + " "
            + _tr("Connect only with a link from your administrator: the relay sees your calls.")
        )
        self.connect_button = self.addButton(_tr("Connect"), QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)
        self.setModal(False)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.connect_button:
            self.connect_requested.emit(self.link)

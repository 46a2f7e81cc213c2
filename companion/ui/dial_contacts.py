"""The dial window's private contacts: save the typed number or a recent caller as one
(Ctrl+S), edit (Ctrl+E) or delete (Ctrl+Shift+Del, asking first) the chosen one.

The form itself is :class:`~companion.ui.contact_dialog.ContactDialog`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMessageBox

from companion.pbx.models import Contact, ContactDetails
from companion.ui.contact_dialog import ContactDialog, details_from_contact
from companion.ui.dial_results import ResultRow, RowKind

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)  # the window's texts, one context


class DialContacts(QObject):
    """Saving, editing and deleting private contacts from one dial window."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)  # a child of the window: it goes with it
        self.window = window
        self.controller = window.controller
        self.contact_dialog: ContactDialog | None = None
        self.delete_box: QMessageBox | None = None

    def savable(self, row: ResultRow | None) -> ContactDetails | None:
        """What "Save as contact" would prefill, or None when there is nothing to save."""
        if row is not None and row.kind is RowKind.HISTORY and row.record is not None:
            return ContactDetails(name=row.record.name, phone=row.record.number)
        if row is not None and row.kind is RowKind.NUMBER:
            return ContactDetails(phone=row.targets[0].number)
        number_row = self.window.finder.number_row
        if number_row is not None:
            return ContactDetails(phone=number_row.targets[0].number)
        return None

    def save(self) -> None:
        details = self.savable(self.window.current_row())
        if details is None:
            self.window.show_error(_tr("Type a number first, or choose a recent call, to save it."))
            return
        self._open_dialog(details, None)

    def edit(self) -> None:
        row = self.window.current_row()
        if row is None or row.contact is None or not row.editable:
            self.window.show_error(_tr("Only your private contacts can be edited."))
            return
        self._open_dialog(details_from_contact(row.contact), row.contact.id)

    def _open_dialog(self, details: ContactDetails, contact_id: str | None) -> None:
        if self.contact_dialog is not None:
            self.contact_dialog.close()
        dialog = ContactDialog(self.controller, details, contact_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.contact_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: ContactDialog) -> None:
        if self.contact_dialog is dialog:
            self.contact_dialog = None
        self.window.search.setFocus()

    def _saved(self, contact: Contact) -> None:
        self.window.show_info(_tr("Saved {0} in your private contacts.").format(contact.name))
        self.window.finder.schedule(immediately=True)

    def delete(self) -> None:
        window = self.window
        row = window.current_row()
        if row is None or row.contact is None or not row.editable:
            window.show_error(_tr("Only your private contacts can be deleted."))
            return
        contact = row.contact
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_tr("Delete contact"))
        box.setText(_tr("Delete {0} from your private contacts?").format(contact.name))
        box.setInformativeText(_tr("This cannot be undone."))
        delete = box.addButton(_tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.delete_box = None
            if box.clickedButton() is delete:
                self.controller.spawn(self._delete(contact), on_error=window.show_error)
            window.search.setFocus()

        box.finished.connect(answered)
        self.delete_box = box
        box.open()

    async def _delete(self, contact: Contact) -> None:
        await self.controller.delete_contact(contact.id)
        self.window.show_info(_tr("Deleted {0}.").format(contact.name))
        self.window.finder.schedule(immediately=True)

"""Create or edit a private phonebook entry.

`ContactDialog(controller, details, contact_id)`: with `contact_id` it edits that entry,
without it creates a new one (prefilled from `details`, e.g. a typed number or a
voicemail caller). Save runs `controller.save_contact` on the loop; on success the
dialog emits `saved(Contact)` and closes, on failure it shows the PBX's words and stays
open with everything the user typed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion import numbers
from companion.controller import Controller
from companion.numbers import NumberError
from companion.pbx.models import Contact, ContactDetails, NumberKind
from companion.ui.placement import fit_title

ERROR_STYLE = (
    "color: #5c1a14; background: #fde7e9; border: 1px solid #e8a0a8;"
    " border-radius: 4px; padding: 6px 8px;"
)
FIELD_ERROR_STYLE = "color: #c42b1c;"


def details_from_contact(contact: Contact) -> ContactDetails:
    """The editable details of a phonebook entry (one number per kind, as pascom stores)."""
    by_kind: dict[NumberKind, str] = {}
    for number in contact.numbers:
        by_kind.setdefault(number.kind, number.number)
    return ContactDetails(
        name=contact.name,
        first_name=contact.first_name,
        last_name=contact.last_name,
        organisation=contact.organisation,
        phone=by_kind.get(NumberKind.PHONE, ""),
        mobile=by_kind.get(NumberKind.MOBILE, ""),
        home=by_kind.get(NumberKind.HOME, ""),
        fax=by_kind.get(NumberKind.FAX, ""),
        email=contact.email,
        notes=contact.notes,
    )


def propose_kind(details: ContactDetails, region: str | None) -> ContactDetails:
    """A new number that is a mobile number goes in the Mobile field, not Phone."""
    if details.phone and not details.mobile and numbers.is_mobile(details.phone, region):
        return dataclasses.replace(details, phone="", mobile=details.phone)
    return details


def _automatic_name(first: str, last: str, organisation: str) -> str:
    return " ".join(p for p in (first, last) if p) or organisation


class ContactDialog(QDialog):
    """A form for one private phonebook entry."""

    saved = Signal(object)  # Contact, as the PBX stored it

    NUMBER_FIELDS = ("phone", "mobile", "home", "fax")

    def __init__(
        self,
        controller: Controller,
        details: ContactDetails | None = None,
        contact_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.contact_id = contact_id
        self.save_task: asyncio.Task[Any] | None = None
        details = details or ContactDetails()
        if contact_id is None:  # a new entry: put its number where it belongs
            details = propose_kind(details, controller.region)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.first_name = QLineEdit(details.first_name)
        self.last_name = QLineEdit(details.last_name)
        self.organisation = QLineEdit(details.organisation)
        self.shown_as = QLineEdit()
        automatic = _automatic_name(details.first_name, details.last_name, details.organisation)
        if details.name and details.name != automatic:
            self.shown_as.setText(details.name)
        self.phone = QLineEdit(details.phone)
        self.mobile = QLineEdit(details.mobile)
        self.home = QLineEdit(details.home)
        self.fax = QLineEdit(details.fax)
        self.email = QLineEdit(details.email)
        self.notes = QPlainTextEdit(details.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.email.setValidator(QRegularExpressionValidator(r"[^\s]*", self.email))

        self.number_errors: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._labels: dict[str, QLabel] = {}
        for key, widget in (
            ("first_name", self.first_name),
            ("last_name", self.last_name),
            ("organisation", self.organisation),
            ("shown_as", self.shown_as),
        ):
            self._add_row(key, widget)
        for key in self.NUMBER_FIELDS:
            field: QLineEdit = getattr(self, key)
            error = QLabel()
            error.setWordWrap(True)
            error.setTextFormat(Qt.TextFormat.PlainText)
            error.setStyleSheet(FIELD_ERROR_STYLE)
            error.hide()
            self.number_errors[key] = error
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(field)
            column.addWidget(error)
            self._add_row(key, box, field)
            field.editingFinished.connect(lambda key=key: self._check_number(key))
            field.textChanged.connect(lambda _text, key=key: self._clear_number_error(key))
        self._add_row("email", self.email)
        self._add_row("notes", self.notes)
        for field in (self.first_name, self.last_name, self.organisation):
            field.textChanged.connect(self._update_shown_as_placeholder)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

        self.setMinimumWidth(380)
        self._retranslate()
        self.first_name.setFocus()

    # -- text -----------------------------------------------------------------------------

    def _add_row(self, key: str, widget: QWidget, buddy: QWidget | None = None) -> None:
        label = QLabel()
        label.setBuddy(buddy or widget)
        self._labels[key] = label
        self.form.addRow(label, widget)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit contact") if self.contact_id else self.tr("New contact"))
        fit_title(self)
        texts = {
            "first_name": self.tr("&First name:"),
            "last_name": self.tr("&Last name:"),
            "organisation": self.tr("&Organisation:"),
            "shown_as": self.tr("&Shown as:"),
            "phone": self.tr("&Phone:"),
            "mobile": self.tr("&Mobile:"),
            "home": self.tr("&Home:"),
            "fax": self.tr("Fa&x:"),
            "email": self.tr("&Email:"),
            "notes": self.tr("&Notes:"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        self.shown_as.setToolTip(
            self.tr("The name the phonebook shows. Leave it empty to use first and last name.")
        )
        for key in self.NUMBER_FIELDS:
            field: QLineEdit = getattr(self, key)
            field.setPlaceholderText(self.tr("e.g. 089 123456 or +49 89 123456"))
        self._update_shown_as_placeholder()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.tr("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_shown_as_placeholder(self) -> None:
        automatic = _automatic_name(
            self.first_name.text().strip(),
            self.last_name.text().strip(),
            self.organisation.text().strip(),
        )
        self.shown_as.setPlaceholderText(automatic or self.tr("first and last name"))

    # -- validation -----------------------------------------------------------------------

    def details(self) -> ContactDetails:
        """What the form holds now (stripped), as the PBX will store it."""
        first = self.first_name.text().strip()
        last = self.last_name.text().strip()
        organisation = self.organisation.text().strip()
        name = self.shown_as.text().strip() or _automatic_name(first, last, organisation)
        return ContactDetails(
            name=name,
            first_name=first,
            last_name=last,
            organisation=organisation,
            phone=self.phone.text().strip(),
            mobile=self.mobile.text().strip(),
            home=self.home.text().strip(),
            fax=self.fax.text().strip(),
            email=self.email.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )

    def _check_number(self, key: str) -> bool:
        field: QLineEdit = getattr(self, key)
        text = field.text().strip()
        if not text:
            self._clear_number_error(key)
            return True
        try:
            self.controller.parse(text)
        except NumberError as exc:
            error = self.number_errors[key]
            error.setText(str(exc))
            error.show()
            self._fit()
            field.setStyleSheet("border: 1px solid #c42b1c; border-radius: 3px; padding: 2px;")
            return False
        self._clear_number_error(key)
        return True

    def _fit(self) -> None:
        """Grow to show a message that just appeared (never shrink what the user sized)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        if layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
        else:
            needed = layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def _clear_number_error(self, key: str) -> None:
        if self.number_errors[key].isVisible() or self.number_errors[key].text():
            self.number_errors[key].hide()
            self.number_errors[key].clear()
            field: QLineEdit = getattr(self, key)
            field.setStyleSheet("")

    def validate(self) -> bool:
        """Check the form; show what is wrong next to the field. True when it can be saved."""
        problems: list[str] = []
        details = self.details()
        first_bad: QWidget | None = None
        if not (details.name or details.organisation):
            problems.append(self.tr("Enter a name or an organisation."))
            first_bad = self.first_name
        if not any(getattr(details, key) for key in self.NUMBER_FIELDS):
            problems.append(self.tr("Enter at least one number."))
            first_bad = first_bad or self.phone
        for key in self.NUMBER_FIELDS:
            if not self._check_number(key):
                first_bad = first_bad or getattr(self, key)
                if not problems:
                    problems.append(self.tr("Correct the number marked below."))
        if problems:
            self.show_error(" ".join(problems))
            if first_bad is not None:
                first_bad.setFocus()
            return False
        self.message.hide()
        return True

    # -- saving ---------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._fit()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not busy)
        save.setText(self.tr("Saving…") if busy else self.tr("&Save"))

    def save(self) -> None:
        if self.save_task is not None and not self.save_task.done():
            return  # one save at a time: a second click must not store it twice
        if not self.validate():
            return
        self._set_busy(True)
        self.save_task = self.controller.spawn(self._save(self.details()), on_error=self.show_error)

    async def _save(self, details: ContactDetails) -> None:
        contact = await self.controller.save_contact(details, self.contact_id)
        self.contact_id = contact.id
        self._set_busy(False)
        self.saved.emit(contact)
        self.accept()

    def reject(self) -> None:
        if self.save_task is not None and not self.save_task.done():
            self.save_task.cancel()
        super().reject()

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

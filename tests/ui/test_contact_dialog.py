"""Private contacts: create, edit and delete through the dialogs, read back by a search."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from companion.controller import Controller
from companion.pbx.models import (
    Contact,
    ContactDetails,
    ContactNumber,
    ContactSource,
    NumberKind,
)
from companion.simulator import Simulator
from companion.ui.contact_dialog import ContactDialog, details_from_contact
from companion.ui.dial_window import DialWindow, RowKind
from tests.ui.conftest import run, until
from tests.ui.dialing import key, search, titles, type_text


def private_entries(sim: Simulator) -> dict[str, dict[str, str | None]]:
    """The user's private phonebook as the PBX holds it: display name -> fields."""
    return {
        str(e.data.get("displayname")): e.data
        for e in sim.state.phonebook.values()
        if e.owner == "mmuster"
    }


def choose(window: DialWindow, title: str) -> None:
    """Move the selection to the row titled `title` with the arrow keys."""
    for _ in range(titles(window).index(title)):
        key(window, "Down")
    row = window.current_row()
    assert row is not None and row.title == title


def open_dialog(loop: qasync.QEventLoop, window: DialWindow, keys: str) -> ContactDialog:
    key(window, keys)
    dialog = window.contacts.contact_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_save_a_typed_number_as_a_new_contact(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    rows = search(loop, window, "089 5550123")
    assert rows[0].kind is RowKind.NUMBER and window.save_button.isEnabled()
    dialog = open_dialog(loop, window, "Ctrl+S")
    assert dialog.windowTitle() == "New contact"
    assert dialog.phone.text() == "089 5550123"  # prefilled with what was typed
    assert dialog.focusWidget() is dialog.first_name
    type_text(dialog.first_name, "Jörg")
    type_text(dialog.last_name, "Weißbach")
    type_text(dialog.organisation, "Brauerei Weißbach")
    QTest.keyClicks(dialog.email, "joerg@brauerei.example")
    saved: list[Contact] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: saved and window.contacts.contact_dialog is None)  # closed on success
    assert saved[0].name == "Jörg Weißbach" and saved[0].source is ContactSource.PRIVATE
    entry = private_entries(sim)["Jörg Weißbach"]
    assert entry["phone"] == "089 5550123" and entry["organisation"] == "Brauerei Weißbach"
    assert window.message == "Saved Jörg Weißbach in your private contacts."
    # read back by a search, as a private contact one can edit
    rows = search(loop, window, "Weißbach")
    [row] = [r for r in rows if r.kind is RowKind.CONTACT]
    assert row.title == "Jörg Weißbach" and row.source == "private" and row.editable
    assert [(t.kind, t.number) for t in row.targets] == [("phone", "089 5550123")]


@pytest.mark.parametrize("typed", ["0171 5550123", "+49 152 55501234", "0160 5550123"])
def test_a_german_mobile_number_is_proposed_as_mobile(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator, typed: str
) -> None:
    search(loop, window, typed)
    dialog = open_dialog(loop, window, "Ctrl+S")
    assert dialog.mobile.text() == typed and dialog.phone.text() == ""
    type_text(dialog.first_name, "Mia")
    type_text(dialog.last_name, "Mobil")
    dialog.save_button.click()
    until(loop, lambda: window.contacts.contact_dialog is None)
    entry = private_entries(sim)["Mia Mobil"]
    assert entry["mobile"] == typed and not entry["phone"]
    rows = search(loop, window, "Mia Mobil")
    [row] = [r for r in rows if r.kind is RowKind.CONTACT]
    assert [t.kind for t in row.targets] == ["mobile"]


def test_save_a_caller_from_recent_calls(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    choose(window, "Bäckerei Schäfer GmbH")  # the window opened on the recent calls
    dialog = open_dialog(loop, window, "Ctrl+S")
    assert dialog.phone.text() == "+4922112345"
    assert dialog.shown_as.text() == "Bäckerei Schäfer GmbH"
    dialog.save_button.click()
    until(loop, lambda: window.contacts.contact_dialog is None)
    assert private_entries(sim)["Bäckerei Schäfer GmbH"]["phone"] == "+4922112345"


def test_edit_a_private_contact(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "Mustermann")
    choose(window, "Mama")
    assert window.edit_button.isEnabled() and window.delete_button.isEnabled()
    dialog = open_dialog(loop, window, "Ctrl+E")
    assert dialog.windowTitle() == "Edit contact"
    # the entry as it is: "Mama" is kept as the shown name, not replaced by first+last
    assert (dialog.first_name.text(), dialog.last_name.text()) == ("Erika", "Mustermann")
    assert dialog.shown_as.text() == "Mama"
    assert (dialog.mobile.text(), dialog.home.text()) == ("0170 9876543", "08031 123456")
    dialog.mobile.selectAll()
    QTest.keyClicks(dialog.mobile, "0170 1112223")
    QTest.keyClicks(dialog.notes, "Geburtstag 3. Mai")
    dialog.save_button.click()
    until(loop, lambda: window.contacts.contact_dialog is None)
    entry = private_entries(sim)["Mama"]
    assert entry["mobile"] == "0170 1112223" and entry["homephone"] == "08031 123456"
    assert entry["notes"] == "Geburtstag 3. Mai"
    rows = search(loop, window, "Mama")
    [mama] = [r for r in rows if r.title == "Mama"]
    assert [t.number for t in mama.targets] == ["0170 1112223", "08031 123456"]


def test_delete_asks_first_and_cancel_keeps_the_contact(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "Tobias")
    key(window, "Ctrl+Shift+Del")
    box = window.contacts.delete_box
    assert box is not None and box.isVisible()
    assert box.text() == "Delete Tobias Mustermann from your private contacts?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()
    run(loop, asyncio.sleep(0.1))
    assert "Tobias Mustermann" in private_entries(sim)
    assert "Tobias Mustermann" in titles(window)
    assert window.contacts.delete_box is None

    window.delete_button.click()  # the button asks the same question
    box = window.contacts.delete_box
    assert box is not None
    [delete] = [b for b in box.buttons() if b.text() == "Delete"]
    delete.click()
    until(loop, lambda: "Tobias Mustermann" not in private_entries(sim))
    until(loop, lambda: window.message == "Deleted Tobias Mustermann.")
    until(loop, lambda: "Tobias Mustermann" not in titles(window))
    assert search(loop, window, "Tobias") == []


def test_global_and_colleague_entries_are_read_only(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "Müller & Söhne")
    row = window.current_row()
    assert row is not None and row.source == "company" and not row.editable
    assert not window.edit_button.isEnabled() and not window.delete_button.isEnabled()
    key(window, "Ctrl+Shift+Del")
    assert window.contacts.delete_box is None
    assert window.message == "Only your private contacts can be deleted."
    count = len(sim.state.phonebook)
    assert search(loop, window, "Müller & Söhne")
    assert len(sim.state.phonebook) == count


def test_validation_flags_what_is_missing_and_bad_numbers_inline(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    dialog = ContactDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    before = dict(private_entries(sim))
    dialog.save_button.click()
    assert dialog.message.text() == "Enter a name or an organisation. Enter at least one number."
    QTest.keyClicks(dialog.organisation, "Pizzeria Da Toni")
    QTest.keyClicks(dialog.phone, "0800-PIZZA")
    QTest.keyClicks(dialog.mobile, "+49 89 12+34")
    dialog.save_button.click()
    phone_error = dialog.number_errors["phone"]
    assert phone_error.isVisible() and "letters" in phone_error.text()
    assert '"0800-PIZZA"' in phone_error.text()
    assert 'at most one "+"' in dialog.number_errors["mobile"].text()
    assert dialog.message.text() == "Correct the number marked below."
    assert dialog.focusWidget() is dialog.phone  # the first field to correct
    run(loop, asyncio.sleep(0.05))
    assert private_entries(sim) == before  # nothing was sent
    dialog.phone.selectAll()
    QTest.keyClicks(dialog.phone, "089 4711")
    assert not phone_error.isVisible()  # correcting the field clears its flag
    dialog.mobile.clear()
    dialog.save_button.click()
    until(loop, lambda: not dialog.isVisible())
    assert private_entries(sim)["Pizzeria Da Toni"]["phone"] == "089 4711"


def test_a_refused_save_keeps_the_dialog_and_what_was_typed(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    details = ContactDetails(name="Ümit Yılmaz", phone="+49 151 2345678")  # noqa: RUF001
    dialog = ContactDialog(controller, details)  # as the inbox opens it for a caller
    qtbot.addWidget(dialog)
    dialog.show()
    sim.misbehave("error500", times=1, path="/phonebook/")
    dialog.save_button.click()
    assert not dialog.save_button.isEnabled()  # no second save while one is on its way
    until(loop, lambda: dialog.message.isVisible())
    assert "PBX" in dialog.message.text() and "Traceback" not in dialog.message.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.shown_as.text() == "Ümit Yılmaz" and dialog.phone.text() == "+49 151 2345678"  # noqa: RUF001
    saved: list[Contact] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: saved)
    assert saved[0].name == "Ümit Yılmaz" and not dialog.isVisible()  # noqa: RUF001
    entries = [e for e in private_entries(sim) if e == "Ümit Yılmaz"]  # noqa: RUF001
    assert len(entries) == 1  # the refused save stored nothing, the second stored it once


def test_cancel_discards(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    dialog = ContactDialog(controller, ContactDetails(phone="221"))
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.first_name, "Nobody")
    before = dict(private_entries(sim))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    run(loop, asyncio.sleep(0.05))
    assert private_entries(sim) == before


def test_details_from_contact_keeps_one_number_per_kind() -> None:
    contact = Contact(
        id="9",
        name="Tina Sander",
        source=ContactSource.USER,
        numbers=(),
        first_name="Tina",
    )
    assert details_from_contact(contact) == ContactDetails(name="Tina Sander", first_name="Tina")
    contact = Contact(
        id="9",
        name="X",
        source=ContactSource.PRIVATE,
        numbers=(
            ContactNumber(NumberKind.MOBILE, "0170 1"),
            ContactNumber(NumberKind.FAX, "089 2"),
        ),
    )
    details = details_from_contact(contact)
    assert (details.mobile, details.fax, details.phone) == ("0170 1", "089 2", "")

"""The incoming-call pop-up: real widgets (offscreen); the known caller comes from the demo
PBX's phonebook over a real socket, as the integrator looks it up."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QObject, QPoint, QRect, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.config import Settings
from companion.controller import Controller
from companion.pbx.models import (
    Call,
    CallDirection,
    CallState,
    Contact,
    ContactNumber,
    ContactSource,
    NumberKind,
)
from companion.ui.call_popup import MARGIN, CallPopup, CallPopups, panel_at_top, wants_popup
from tests.ui.conftest import run

TINA = Contact(
    "7",
    "Tina Sander",
    ContactSource.GLOBAL,
    (ContactNumber(NumberKind.PHONE, "+49 89 1234567"),),
    organisation="Sander & Söhne GmbH",
)


def ringing(call_id: str = "c1", number: str = "+49891234567", **fields: object) -> Call:
    return Call(call_id, CallDirection.INCOMING, CallState.RINGING, number, **fields)  # type: ignore[arg-type]


@pytest.fixture
def popups(qapp: QApplication) -> Iterator[CallPopups]:
    stack = CallPopups()
    yield stack
    stack.close_all()
    QApplication.processEvents()


def make(qtbot: QtBot, call: Call, contact: Contact | None = None, **options: object) -> CallPopup:
    popup = CallPopup(call, contact, region="DE", **options)  # type: ignore[arg-type]
    qtbot.addWidget(popup)
    popup.show()
    return popup


# -- what it shows --------------------------------------------------------------------------


def test_a_known_caller_from_the_phonebook(
    loop: qasync.QEventLoop, controller: Controller, qtbot: QtBot
) -> None:
    result, _ = run(loop, controller.search("Schreinerei Huber"))  # type: ignore[misc]
    number = result.contacts[0].numbers[0].number
    contact = run(loop, controller.contact_for(controller.parse(number).destination))
    assert contact is not None
    popup = make(qtbot, ringing(number=number, remote_name="HUBER"), contact)
    texts = popup.texts()
    assert texts[0] == "Incoming call"
    assert texts[1] == contact.name  # the phonebook's name, not the PBX's "HUBER"
    # "Schreinerei Huber - Josef Huber" already names the organisation: no second line
    assert contact.organisation and contact.organisation in contact.name
    assert contact.organisation not in texts[2:]
    assert any(ch.isdigit() for ch in texts[-1])  # the number, formatted
    assert popup.save_button.isHidden()  # already a contact


def test_name_organisation_and_number(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(remote_name="Sander"), TINA)
    assert popup.texts() == [
        "Incoming call",
        "Tina Sander",
        "Sander & Söhne GmbH",
        "+49 89 1234567",
    ]
    assert popup.windowTitle() == "Incoming call: Tina Sander"


def test_an_unknown_caller_with_the_pbx_name(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(number="01715556667", remote_name="M. Weber"))
    assert popup.texts() == ["Incoming call", "M. Weber", "+49 171 5556667"]
    assert popup.save_button.isVisible() and popup.save_button.isEnabled()


def test_an_unknown_caller_without_a_name_is_the_number_alone(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(number="01715556667"))
    assert popup.texts() == ["Incoming call", "+49 171 5556667"]


def test_a_withheld_number(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(number=""), crm_template="https://crm.example.com/?q={number}")
    assert popup.texts() == ["Incoming call", "Unknown number"]
    assert not popup.copy_button.isEnabled()
    assert not popup.save_button.isEnabled()
    assert not popup.crm_button.isEnabled()


def test_a_colleague(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(number="120", remote_name="Empfang", remote_internal=True))
    assert popup.texts() == ["Call from a colleague", "Empfang", "120"]


def test_names_are_plain_text(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(remote_name="<b>Evil</b><img src=x>"))
    assert popup.name_label.textFormat() is Qt.TextFormat.PlainText
    assert popup.texts()[1] == "<b>Evil</b><img src=x>"


def test_via_queue(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(via="queue", via_details="Support"), TINA)
    assert "via queue Support" in popup.texts()
    unnamed = make(qtbot, ringing(via="QUEUE"), TINA)
    assert "via a queue" in unnamed.texts()
    transferred = make(qtbot, ringing(via="transfer", via_details="agent"), TINA)
    assert not any(text.startswith("via") for text in transferred.texts())


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, None),
        (1, "Called once in the last 7 days"),
        (3, "Called 3 times in the last 7 days"),
    ],
)
def test_how_often_the_number_called(qtbot: QtBot, count: int, text: str | None) -> None:
    popup = make(qtbot, ringing(), TINA, recent_calls=count)
    lines = popup.texts()
    if text is None:
        assert not any(line.startswith("Called") for line in lines)
        assert popup.recent_label.isHidden()
    else:
        assert lines[-1] == text


def test_update_call_and_set_contact_refresh_it(qtbot: QtBot) -> None:
    call = ringing(remote_name="Sander")
    popup = make(qtbot, call)
    assert popup.texts()[1] == "Sander"
    popup.update_call(dataclasses.replace(call, via="queue", via_details="Sales"))
    assert "via queue Sales" in popup.texts()
    popup.set_contact(TINA)
    assert popup.texts()[1] == "Tina Sander"
    popup.update_call(ringing("other", remote_name="Someone else"))  # not this pop-up's call
    assert popup.texts()[1] == "Tina Sander"


# -- focus ------------------------------------------------------------------------------------


def test_window_flags_keep_the_focus_where_it_was(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing(), TINA)
    flags = popup.windowFlags()
    for flag in (
        Qt.WindowType.Tool,
        Qt.WindowType.FramelessWindowHint,
        Qt.WindowType.WindowStaysOnTopHint,
        Qt.WindowType.WindowDoesNotAcceptFocus,
    ):
        assert flags & flag == flag, flag
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    buttons = (popup.answer_button, popup.decline_button, popup.copy_button, popup.save_button)
    assert all(button.focusPolicy() is Qt.FocusPolicy.NoFocus for button in buttons)


# That the focus stays in another window while the pop-up shows is tested on a real X
# server (test_call_popup_x11.py): the offscreen platform activates every window it shows.


def test_esc_closes_it_once_clicked_into(qtbot: QtBot, popups: CallPopups) -> None:
    popup = popups.show_call(ringing(), TINA)
    assert popup is not None
    qtbot.waitExposed(popup)
    QTest.mouseClick(popup, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert popup.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus == 0
    with qtbot.waitSignal(popup.closed) as closed:
        QTest.keyClick(popup, Qt.Key.Key_Escape)
    assert closed.args == ["c1"]
    assert popups.popups() == []


# -- the buttons --------------------------------------------------------------------------------


def test_answer_and_decline_emit_the_call_id_and_show_busy(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing("call-42"), TINA)
    with qtbot.waitSignal(popup.answer_clicked) as answered:
        popup.answer_button.click()
    assert answered.args == ["call-42"]
    assert popup.busy == "answer"
    assert popup.answer_button.text() == "Answering…"
    assert not popup.answer_button.isEnabled() and not popup.decline_button.isEnabled()
    popup.show_error("Your phone cannot answer remotely: pick it up on the phone.")
    assert popup.busy == ""
    assert popup.answer_button.text() == "Answer" and popup.answer_button.isEnabled()
    assert popup.texts()[-1] == "Your phone cannot answer remotely: pick it up on the phone."
    assert popup.error_label.isVisible()

    with qtbot.waitSignal(popup.decline_clicked) as declined:
        popup.decline_button.click()
    assert declined.args == ["call-42"]
    assert popup.decline_button.text() == "Declining…"
    assert popup.error_label.isHidden()  # the old error is gone with the new attempt
    popup.set_busy("")
    assert popup.decline_button.text() == "Decline" and popup.decline_button.isEnabled()


def test_copy_number_fills_the_clipboard(qtbot: QtBot) -> None:
    QGuiApplication.clipboard().setText("something else")
    popup = make(qtbot, ringing("c7", number="01715556667"))
    with qtbot.waitSignal(popup.number_copied) as copied:
        popup.copy_button.click()
    assert copied.args == ["c7"]
    assert QGuiApplication.clipboard().text() == "01715556667"
    assert popup.copy_button.text() == "Copied"


def test_save_as_contact_emits_the_call_id(qtbot: QtBot) -> None:
    popup = make(qtbot, ringing("c8", number="01715556667"))
    with qtbot.waitSignal(popup.save_contact_clicked) as saved:
        popup.save_button.click()
    assert saved.args == ["c8"]


class Browser(QObject):
    """Stands in for the system's browser: Qt hands it the https links it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


@pytest.fixture
def browser() -> Iterator[Browser]:
    handler = Browser()
    QDesktopServices.setUrlHandler("https", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("https")


def test_open_in_crm_only_with_a_template(qtbot: QtBot) -> None:
    assert make(qtbot, ringing(), TINA).crm_button.isHidden()
    shown = make(qtbot, ringing(), TINA, crm_template="https://crm.example.com/?q={e164}")
    assert shown.crm_button.isVisible()


def test_open_in_crm_opens_the_filled_in_link(qtbot: QtBot, browser: Browser) -> None:
    template = "https://crm.example.com/search?phone={e164}&name={name}&as={number}"
    popup = make(qtbot, ringing("c9", number="089 1234567"), TINA, crm_template=template)
    with qtbot.waitSignal(popup.crm_opened) as opened:
        popup.crm_button.click()
    assert opened.args == ["c9"]
    assert browser.opened == [
        "https://crm.example.com/search?phone=%2B49891234567&name=Tina%20Sander&as=089%201234567"
    ]


def test_a_crm_link_that_cannot_be_made_is_said_in_words(qtbot: QtBot, browser: Browser) -> None:
    popup = make(qtbot, ringing(), TINA, crm_template="https://crm.example.com/?q={phone}")
    popup.crm_button.click()
    assert "unknown placeholder {phone}" in popup.error_label.text()
    assert browser.opened == []


# -- closing and stacking -------------------------------------------------------------------------


def test_close_for_closes_only_that_call(qtbot: QtBot, popups: CallPopups) -> None:
    first = popups.show_call(ringing("a"), TINA)
    second = popups.show_call(ringing("b", number="01715556667"))
    assert first is not None and second is not None
    assert not first.close_for("b")
    popups.close_for("b")
    assert not second.isVisible() and first.isVisible()
    assert [p.call_id for p in popups.popups()] == ["a"]
    assert first.close_for("a")
    assert popups.popups() == []


def test_it_closes_when_the_call_is_answered_anywhere_or_ends(
    qtbot: QtBot, popups: CallPopups
) -> None:
    call = ringing("a")
    popup = popups.show_call(call, TINA)
    assert popup is not None
    popups.update_call(dataclasses.replace(call, state=CallState.CONNECTED))
    assert not popup.isVisible() and popups.popups() == []
    ended = popups.show_call(ringing("b"))
    assert ended is not None
    popups.update_call(dataclasses.replace(ringing("b"), state=CallState.ENDED))
    assert popups.popups() == []


def test_only_ringing_incoming_calls_pop_up(popups: CallPopups) -> None:
    outgoing = Call("o", CallDirection.OUTGOING, CallState.RINGING, "120")
    assert popups.show_call(outgoing) is None
    assert popups.show_call(dataclasses.replace(ringing(), state=CallState.CONNECTED)) is None
    assert popups.popups() == []


def test_the_same_call_twice_is_one_pop_up(popups: CallPopups) -> None:
    first = popups.show_call(ringing("a"), TINA)
    again = popups.show_call(ringing("a", via="queue", via_details="Support"), TINA)
    assert again is first and len(popups.popups()) == 1
    assert first is not None and "via queue Support" in first.texts()


def test_two_calls_stack_near_the_tray(qtbot: QtBot, popups: CallPopups) -> None:
    free = QGuiApplication.primaryScreen().availableGeometry()
    first = popups.show_call(ringing("a"), TINA, recent_calls=2)
    second = popups.show_call(ringing("b", number="01715556667"))
    assert first is not None and second is not None
    one, two = first.frameGeometry(), second.frameGeometry()
    assert first.isVisible() and second.isVisible()
    assert one.right() == two.right() == free.right() - MARGIN  # both at the right edge
    assert one.bottom() == free.bottom() - MARGIN  # the first in the corner
    assert two.bottom() < one.top()  # the second above it, not on it
    assert free.contains(one) and free.contains(two)
    # forwarding: a click in the upper pop-up names its own call
    with qtbot.waitSignal(popups.answer_clicked) as answered:
        second.answer_button.click()
    assert answered.args == ["b"]
    # the first goes: the second moves down into the corner
    popups.close_for("a")
    assert second.frameGeometry().bottom() == free.bottom() - MARGIN


def test_an_error_line_moves_the_stack(qtbot: QtBot, popups: CallPopups) -> None:
    first = popups.show_call(ringing("a"), TINA)
    second = popups.show_call(ringing("b"))
    assert first is not None and second is not None
    before = second.frameGeometry().bottom()
    first.show_error("Your phone cannot answer remotely: pick it up on the phone.")
    QApplication.processEvents()
    assert second.frameGeometry().bottom() < before
    assert second.frameGeometry().bottom() < first.frameGeometry().top()


def test_the_panel_side_decides_the_corner() -> None:
    whole = QRect(0, 0, 1920, 1080)
    assert not panel_at_top(QRect(0, 0, 1920, 1040), whole)  # panel at the bottom
    assert panel_at_top(QRect(0, 32, 1920, 1048), whole)  # panel at the top
    assert not panel_at_top(whole, whole)  # no panel: bottom right
    assert not panel_at_top(QRect(0, 32, 1920, 1000), whole)  # panels at both: the bottom


@pytest.mark.parametrize(
    ("settings", "call", "wanted"),
    [
        (Settings(), ringing(), True),
        (Settings(call_popups=False), ringing(), False),
        (Settings(call_popups_external_only=True), ringing(), True),
        (Settings(call_popups_external_only=True), ringing(remote_internal=True), False),
        (Settings(), ringing(remote_internal=True), True),
        (Settings(), dataclasses.replace(ringing(), state=CallState.CONNECTED), False),
        (Settings(), Call("o", CallDirection.OUTGOING, CallState.RINGING, "120"), False),
    ],
)
def test_wants_popup_follows_the_settings(settings: Settings, call: Call, wanted: bool) -> None:
    assert wants_popup(call, settings) is wanted

"""The dial window driven from the keyboard against the demo PBX over a real socket."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import qasync
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.controller import Controller
from companion.pbx.models import ContactSource, Presence
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui.dial_window import DialWindow, RowKind
from tests.conftest import REST_PASSWORD, REST_USER
from tests.ui.conftest import run, until
from tests.ui.dialing import confirm, follow, key, search, settled, titles, type_text

NO_DEVICE = "You are not logged in to the pascom client, so the PBX has no default device"


@pytest.fixture
def tsander(loop: qasync.QEventLoop, sim: Simulator) -> Iterator[Controller]:
    """A controller for Tina Sander, who is not logged in to the pascom client."""
    ctl = Controller(PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, "tsander"), region="DE")
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())


def test_empty_search_shows_recent_calls_to_call_back(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    rows = window.model.rows
    assert rows and all(row.kind is RowKind.HISTORY for row in rows)
    assert rows[0].title == "Ümit Yılmaz" and rows[0].when  # noqa: RUF001
    assert "incoming" in rows[0].detail
    assert any("not answered" in row.detail for row in rows)
    assert window.caption.text() == "Recent calls"
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == "109"


def test_typing_a_name_finds_the_colleague_with_presence(
    loop: qasync.QEventLoop, window: DialWindow
) -> None:
    rows = search(loop, window, "Tina")
    [tina] = [row for row in rows if row.title == "Tina Sander"]
    assert tina.source == "colleague" and tina.contact is not None
    assert tina.contact.source is ContactSource.USER
    assert tina.presence is Presence.OFFLINE and tina.presence_text == "offline"
    assert tina.detail == "Demo GmbH"
    # each dialable number with its kind; the fax number is not offered for calling
    assert [(t.kind, t.display) for t in tina.targets] == [
        ("phone", "221"),
        ("mobile", "+49 160 5550221"),
    ]
    shown = window.model.data(window.model.index(0, 0))
    assert "Tina Sander" in shown and "offline" in shown and "mobile +49 160 5550221" in shown


def test_presence_follows_the_pbx(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    rows = search(loop, window, "Demo")
    presence = {row.title: row.presence for row in rows if row.presence is not None}
    assert presence["Jenny Geissler"] is Presence.ON_HOLD
    assert presence["Andreas Grassl"] is Presence.BUSY
    assert presence["Anna Meyer"] is Presence.AVAILABLE


def test_arrows_and_enter_dial_the_chosen_contact(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "Demo")
    names = titles(window)
    target = names.index("Tina Sander")
    assert target > 0 and window.results.currentIndex().row() == 0
    for _ in range(target + 1):
        key(window, "Down")
    key(window, "Up")
    assert window.current_row() is not None and window.current_row().title == "Tina Sander"  # type: ignore[union-attr]
    assert window.focusWidget() is window.search  # the arrows moved the list, not the focus
    before = len(sim.state.actions)
    key(window, "Enter")
    follow(loop, window, lambda: len(sim.state.actions) > before and window.call_active)
    action = sim.state.actions[-1]
    assert (action.user, action.action, action.destination) == ("mmuster", "dial", "221")
    assert window.message == "Calling Tina Sander (221)…"
    assert window.message_kind == "info"
    assert window.call_panel.isVisible() and "Tina Sander (221)" in window.call_title.text()


def test_double_click_dials(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator, qtbot: QtBot
) -> None:
    search(loop, window, "Kita")
    rect = window.results.visualRect(window.model.index(0, 0))
    viewport = window.results.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == "+49892233445"


def test_typed_number_is_the_first_row_and_enter_dials_it(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    window.search.selectAll()
    QTest.keyClicks(window.search, "089 123456")
    # offered at once, before any search has answered
    first = window.model.rows[0]
    assert first.kind is RowKind.NUMBER and first.title == "Call 089 123456"
    assert first.detail == "+49 89 123456"
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == "+4989123456"
    assert window.message == "Calling +49 89 123456…"


@pytest.mark.parametrize(
    ("typed", "destination"),
    [("221", "221"), ("*101", "*101"), ("tel:+49-89-7654321", "+49897654321")],
)
def test_extensions_star_codes_and_links_are_numbers_too(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator, typed: str, destination: str
) -> None:
    rows = search(loop, window, typed)
    assert rows[0].kind is RowKind.NUMBER and rows[0].title == f"Call {typed}"
    if typed == "221":  # and the phonebook entries with that number follow it
        assert "Tina Sander" in titles(window)
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == destination


def test_enter_before_the_results_arrive_calls_the_first_result(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    window.search.selectAll()
    QTest.keyClicks(window.search, "Sander")
    key(window, "Enter")  # faster than the debounce: nothing is lost, nothing stale dialled
    assert window.search_pending
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == "221"


def test_alt_number_dials_that_number_of_the_contact(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "Tina")
    assert window.key_hint.text() == "Enter: call · Alt+1…2: call that number"
    key(window, "Alt+2")
    follow(loop, window, lambda: window.call_active)
    assert sim.state.actions[-1].destination == "+491605550221"
    assert window.message == "Calling Tina Sander (+49 160 5550221)…"
    before = len(sim.state.actions)
    key(window, "Alt+3")  # Tina has two numbers to call (the third is her fax)
    assert window.message == "Tina Sander has only 2 number(s) to call."
    assert window.message_kind == "error"
    run(loop, asyncio.sleep(0.05))
    assert len(sim.state.actions) == before


def test_a_stale_search_is_cancelled_not_awaited(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    sim.misbehave("slow", delay=0.4, path="/phonebook/")
    history = window.finder.search_task  # the search that showed the recent calls
    tasks: list[asyncio.Task[Any]] = []
    window.search.selectAll()
    for char in "Müll":
        type_text(window.search, char)
        # the debounce fires and the search goes out; the PBX takes its time to answer
        until(loop, lambda: window.finder.search_task not in (history, *tasks))
        tasks.append(window.finder.search_task)  # type: ignore[arg-type]
    type_text(window.search, "er")  # two fast keystrokes: one search for both
    until(loop, lambda: settled(window), timeout=5)
    assert len(tasks) == 4 and all(task.cancelled() for task in tasks)
    final = window.finder.search_task
    assert final is not None and final not in tasks
    assert final.done() and not final.cancelled() and final.exception() is None
    assert window.shown_query == "Müller"
    contacts = [row.contact for row in window.model.rows]
    assert contacts and all(
        c is not None and "müller" in f"{c.name} {c.organisation}".lower() for c in contacts
    )
    assert len(contacts) == 7


def test_escape_hides_the_window(loop: qasync.QEventLoop, window: DialWindow) -> None:
    assert window.isVisible()
    key(window, "Esc")
    assert not window.isVisible()
    window.show_and_focus("Tina")
    assert window.isVisible() and window.search.selectedText() == "Tina"
    until(loop, lambda: settled(window))
    assert titles(window) == ["Tina Sander"]


def test_no_default_device_is_said_in_words_in_the_window(
    loop: qasync.QEventLoop, tsander: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    window = DialWindow(tsander)
    qtbot.addWidget(window)
    window.show_and_focus("101")
    key(window, "Enter")
    until(loop, lambda: window.message)
    assert window.message.startswith(NO_DEVICE)
    assert window.message_kind == "error" and window.message_bar.isVisible()
    assert QApplication.activeModalWidget() is None  # no popup to click away
    assert not window.call_active and not window.call_panel.isVisible()
    assert not [a for a in sim.state.actions if a.user == "tsander"]


def test_bad_input_is_explained_and_the_bar_goes_on_success(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    assert search(loop, window, "xyzzy") == []
    assert window.caption.text() == "No contact found"
    key(window, "Enter")
    until(loop, lambda: window.message)
    assert "not a phone number" in window.message and '"xyzzy"' in window.message
    assert window.message_kind == "error"
    type_text(window.search, "!")  # typing again: the error was about the old text
    assert window.message == "" and not window.message_bar.isVisible()
    search(loop, window, "0800-FLOWERS")
    key(window, "Enter")
    until(loop, lambda: "letters" in window.message)
    assert sim.state.actions == []
    search(loop, window, "221")
    key(window, "Enter")
    until(loop, lambda: window.message_kind == "info")
    assert window.message == "Calling 221…"


def test_call_controls_reach_the_pbx(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    assert not window.call_panel.isVisible()
    search(loop, window, "Tina")
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    assert window.call_panel.isVisible()

    key(window, "Ctrl+Shift+H")
    until(loop, lambda: sim.state.actions[-1].action == "hold")
    follow(loop, window, lambda: window.on_hold)
    assert window.hold_button.text() == "Resume" and "On hold" in window.call_title.text()
    window.hold_button.click()
    follow(loop, window, lambda: not window.on_hold)
    assert [a.action for a in sim.state.actions[-2:]] == ["hold", "hold"]

    key(window, "Ctrl+D")
    assert window.focusWidget() is window.dtmf
    QTest.keyClicks(window.dtmf, "12a#")  # the field takes only what DTMF can send
    QTest.keyClick(window.dtmf, Qt.Key.Key_Return)
    until(loop, lambda: sim.state.actions[-1].action == "dtmf")
    assert sim.state.actions[-1].destination == "12#"
    until(loop, lambda: window.dtmf.text() == "")
    assert window.message == "Sent 12#."

    window.search.setFocus()
    search(loop, window, "Grassl")  # not 101: that is the user, the call would come back
    for _ in range(titles(window).index("Andreas Grassl")):
        key(window, "Down")
    key(window, "Ctrl+T")  # asks first (see test_call_panel.py); Enter confirms
    confirm(loop, window)
    until(loop, lambda: sim.state.actions[-1].action == "transfer")
    assert sim.state.actions[-1].destination == "103"
    follow(loop, window, lambda: not window.call_active)
    assert window.call_panel.calls == [] and window.call_title.text().startswith("Call ended")
    assert window.message == "Call transferred to Andreas Grassl (103)."

    search(loop, window, "089 123456")
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    window.search.selectAll()
    QTest.keyClicks(window.search, "0711 998877")
    key(window, "Ctrl+T")  # the typed number is the transfer target
    confirm(loop, window)
    until(loop, lambda: sim.state.actions[-1].action == "transfer")
    assert sim.state.actions[-1].destination == "+49711998877"
    follow(loop, window, lambda: not window.call_active)  # else dialling asks first

    search(loop, window, "221")
    key(window, "Enter")
    follow(loop, window, lambda: window.call_active)
    key(window, "Ctrl+H")
    until(loop, lambda: sim.state.actions[-1].action == "hangup")
    follow(loop, window, lambda: not window.call_active)
    assert window.message == "Call ended."


def test_transfer_to_nothing_or_no_number_says_so(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    assert search(loop, window, "xyzzy") == []
    key(window, "Ctrl+T")
    until(loop, lambda: window.message)
    assert "not a phone number" in window.message
    window.search.clear()
    until(loop, lambda: settled(window))
    window.model.set_rows([])  # no recent calls and nothing typed: nothing to transfer to
    key(window, "Ctrl+T")
    assert window.message == "Type a number or choose a contact to transfer the call to."
    assert sim.state.actions == []


def test_context_menu_offers_each_number_and_private_actions(
    loop: qasync.QEventLoop, window: DialWindow
) -> None:
    search(loop, window, "Mama")
    texts = [a.text() for a in window.build_context_menu().actions() if a.text()]
    assert texts[:2] == ["Call mobile +49 170 9876543", "Call home +49 8031 123456"]
    assert "Edit…" in texts and "Delete…" in texts
    search(loop, window, "Tina")
    texts = [a.text() for a in window.build_context_menu().actions() if a.text()]
    assert "Edit…" not in texts and "Delete…" not in texts
    assert not window.edit_button.isEnabled() and not window.delete_button.isEnabled()
    key(window, "Ctrl+E")
    assert window.message == "Only your private contacts can be edited."
    assert window.contacts.contact_dialog is None


class German(QTranslator):
    """A few words of German, enough to see the window switch language while open."""

    WORDS: ClassVar[dict[str, str]] = {
        "Dial": "Wählen",
        "Name or number": "Name oder Nummer",
        "phone": "Telefon",
        "mobile": "Handy",
        "colleague": "Kollege",
        "Hang up": "Auflegen",
    }

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return self.WORDS.get(source, "") if context in ("DialWindow", "CallPanel") else ""

    def isEmpty(self) -> bool:
        return False


def test_language_switch_while_open(
    loop: qasync.QEventLoop, window: DialWindow, qapp: QApplication
) -> None:
    search(loop, window, "Tina")
    german = German()
    qapp.installTranslator(german)
    try:
        until(loop, lambda: window.windowTitle() == "Wählen")  # Qt posts the change
        assert window.search.placeholderText() == "Name oder Nummer"
        assert window.hangup_button.text() == "Auflegen"
        until(loop, lambda: settled(window) and window.model.rows[0].source == "Kollege")
        assert [t.kind for t in window.model.rows[0].targets] == ["Telefon", "Handy"]
    finally:
        qapp.removeTranslator(german)
    until(loop, lambda: window.windowTitle() == "Dial")


def test_enter_on_a_name_while_the_pbx_is_away_says_why_and_the_search_returns(
    loop: qasync.QEventLoop, window: DialWindow, controller: Controller, sim: Simulator
) -> None:
    sim.misbehave("drop")  # the PBX is unreachable
    window.search.selectAll()
    type_text(window.search, "Tina")
    until(loop, lambda: window.message_kind == "error" and not window.search_pending)
    reason = window.message
    assert reason and controller.reachable is False
    key(window, "Enter")
    assert window.message == f"“Tina” could not be looked up: {reason}"
    assert "not a phone number" not in window.message
    assert window.dialer.dial_task is None  # nothing was dialled
    # The PBX is back (the next poll says so): the typed search runs again by itself.
    sim.behave()
    run(loop, controller.refresh())
    assert controller.reachable is True
    until(loop, lambda: settled(window) and "Tina Sander" in titles(window))
    assert window.message == ""  # the message that the PBX was away is gone
    assert window.search.text() == "Tina"

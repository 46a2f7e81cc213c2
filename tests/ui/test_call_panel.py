"""The call panel in the dial window: every live call of the user, against the demo PBX."""

from __future__ import annotations

import os
from pathlib import Path

import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from companion.pbx.models import CallState
from companion.simulator import Simulator
from companion.ui.dial_window import DialWindow
from tests.ui.conftest import run, until
from tests.ui.dialing import confirm, follow, key, search


def shot(widget: QWidget, name: str) -> None:
    """Save what the widget shows, to look at, where COMPANION_SHOTS says (else nowhere)."""
    where = os.environ.get("COMPANION_SHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(where) / f"{name}.png"))


def states(window: DialWindow) -> list[CallState]:
    return [c.state for c in window.call_panel.calls]


def test_a_call_from_a_link_shows_with_its_timer_and_hang_up_ends_it(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    panel = window.call_panel
    assert panel.isHidden()
    run(loop, window.controller.dial("tel:221"))  # as a tel: link does, not the window
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    assert panel.isVisible() and panel.tick.isActive()
    assert window.call_title.text().startswith("Call with Tina Sander (221) · 0:0")
    until(loop, lambda: "0:01" in window.call_title.text(), timeout=4)  # it runs
    shot(window, "during-a-call")
    key(window, "Ctrl+H")
    until(loop, lambda: sim.state.actions[-1].action == "hangup")
    follow(loop, window, lambda: window.call_panel.calls == [])
    assert window.call_title.text() == "Call ended: Tina Sander (221)"
    assert not panel.tick.isActive()
    until(loop, lambda: panel.isHidden(), timeout=5)  # the "Call ended" line goes


def test_an_incoming_call_answered_on_the_phone_shows_connected_then_hold_and_resume(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    call_id = sim.ring("+49891234567", "mmuster", ring_s=30)
    follow(loop, window, lambda: states(window) == [CallState.RINGING])
    assert window.call_title.text().startswith("Ringing: ")
    assert not window.hold_button.isEnabled()  # a ringing call cannot be held
    sim.answer(call_id)
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    window.hold_button.click()
    until(loop, lambda: [a.action for a in sim.state.actions] == ["hold"])
    follow(loop, window, lambda: states(window) == [CallState.ON_HOLD])
    assert window.hold_button.text() == "Resume" and window.call_title.text().startswith("On hold")
    assert not window.call_panel.tick.isActive()  # nothing to count while on hold
    shot(window, "on-hold")
    key(window, "Ctrl+Shift+H")
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    assert window.message == "Call resumed."


def test_dialling_while_in_a_call_asks_first_and_two_calls_are_listed(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "221")
    key(window, "Enter")
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    search(loop, window, "120")
    dials = sum(a.action == "dial" for a in sim.state.actions)
    key(window, "Enter")
    until(loop, lambda: window.dialer.dial_box is not None and window.dialer.dial_box.isVisible())
    assert window.dialer.dial_box is not None
    assert window.dialer.dial_box.text() == (
        "You are in a call with Tina Sander. Dial 120 anyway? (your call is put on hold)"
    )
    QTest.keyClick(window.dialer.dial_box, Qt.Key.Key_Escape)  # cancel: nothing is dialled
    until(loop, lambda: window.dialer.dial_box is None)
    assert sum(a.action == "dial" for a in sim.state.actions) == dials
    key(window, "Enter")
    until(loop, lambda: window.dialer.dial_box is not None and window.dialer.dial_box.isVisible())
    assert window.dialer.dial_box is not None
    QTest.keyClick(window.dialer.dial_box, Qt.Key.Key_Return)
    follow(loop, window, lambda: states(window) == [CallState.ON_HOLD, CallState.CONNECTED])
    panel = window.call_panel
    assert panel.list.isVisible() and panel.list.count() == 2
    assert panel.selected is not None and panel.selected.remote_number == "120"
    shot(window, "two-calls")

    held = panel.calls[0]
    panel.choose(held.id)  # the phone acts on the connected call: the panel says so
    assert not window.hangup_button.isEnabled() and panel.note.isVisible()
    panel.list.setCurrentRow(1)  # the connected call, chosen in the list
    assert panel.selected is not None and panel.selected.remote_number == "120"
    assert window.hangup_button.isEnabled()
    key(window, "Ctrl+H")
    follow(loop, window, lambda: [c.id for c in panel.calls] == [held.id])
    assert panel.selected is not None and panel.selected.id == held.id
    window.hold_button.click()  # resume the call that is left
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])


def test_transfer_asks_first_enter_confirms_esc_cancels(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "221")
    key(window, "Enter")
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    window.search.selectAll()
    QTest.keyClicks(window.search, "120")
    key(window, "Ctrl+T")
    until(
        loop,
        lambda: window.dialer.transfer_box is not None and window.dialer.transfer_box.isVisible(),
    )
    assert window.dialer.transfer_box is not None
    assert window.dialer.transfer_box.text() == "Transfer Tina Sander to Empfang (120)?"
    shot(window, "transfer-asked")
    shot(window.dialer.transfer_box, "transfer-confirmation")
    QTest.keyClick(window.dialer.transfer_box, Qt.Key.Key_Escape)
    until(loop, lambda: window.dialer.transfer_box is None)
    assert not [a for a in sim.state.actions if a.action == "transfer"]
    assert states(window) == [CallState.CONNECTED]
    key(window, "Ctrl+T")
    confirm(loop, window)
    until(loop, lambda: sim.state.actions[-1].action == "transfer")
    assert sim.state.actions[-1].destination == "120"
    follow(loop, window, lambda: window.call_panel.calls == [])
    assert window.message == "Call transferred to Empfang (120)."


def test_transfer_to_the_party_on_the_line_is_refused(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "221")
    key(window, "Enter")
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    window.search.selectAll()
    QTest.keyClicks(window.search, "221")
    key(window, "Ctrl+T")
    assert window.message == "Tina Sander is already on the line: choose someone else."
    assert window.dialer.transfer_box is None
    assert not [a for a in sim.state.actions if a.action == "transfer"]


def test_record_toggles_and_shows_recording(
    loop: qasync.QEventLoop, window: DialWindow, sim: Simulator
) -> None:
    search(loop, window, "221")
    key(window, "Enter")
    follow(loop, window, lambda: states(window) == [CallState.CONNECTED])
    panel = window.call_panel
    panel.record_button.click()
    until(loop, lambda: panel.recording_label.text() == "Recording")
    assert sim.state.user_actions[-1][:2] == ("mmuster", "ToggleRecording")
    assert panel.record_button.isChecked() and panel.record_button.toolTip() == "Stop recording"
    panel.record_button.click()
    until(loop, lambda: panel.recording_label.text() == "")
    assert len(sim.state.user_actions) == 2 and not panel.record_button.isChecked()
    assert window.message == "Recording stopped."

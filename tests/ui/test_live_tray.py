"""Live calls in the shell: the pop-up of a real incoming call, its buttons, notifications,
the tray's call states, missed calls and the talk timer, against the demo PBX that rings.

The controller polls live calls every 0.2 s here; the demo PBX rings over a real socket
(`sim.ring`), answers on the phone (`sim.answer`) and takes unanswered calls to voicemail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from companion import config, credentials
from companion.app import Companion
from companion.config import Settings
from companion.controller import Controller
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui import icons
from companion.ui.call_popup import CallPopup
from companion.ui.icons import TrayState
from companion.ui.inbox_window import InboxWindow
from companion.ui.tray import Shell
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until
from tests.ui.test_tray import Messages, dispose_shell, plain, screenshot

CALLER = "+49895554321"  # Josef Huber in the demo phonebook (089/5554321); the PBX gives no name
UNKNOWN = "+4930987654"  # in no phonebook
JOSEF = "Schreinerei Huber - Josef Huber"  # his entry's name


def make_shell(
    loop: qasync.QEventLoop, sim: Simulator, settings: Settings, *, tray: bool = True
) -> tuple[Shell, Messages]:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    controller = Controller(pbx, region="DE", poll_interval=3600, live_interval=0.2)
    shell = Shell(tray_available=lambda: tray)
    messages = Messages()
    if shell.tray is not None:
        shell.tray.showMessage = messages  # type: ignore[method-assign]
    shell.set_controller(controller, settings)
    controller.start()
    until(loop, lambda: controller.reachable is True and controller.voicemail_counts is not None)
    return shell, messages


def close_shell(loop: qasync.QEventLoop, shell: Shell) -> None:
    controller = shell.controller
    dispose_shell(shell)
    if controller is not None:
        run(loop, controller.stop())


@pytest.fixture
def live(loop: qasync.QEventLoop, sim: Simulator) -> Iterator[tuple[Shell, Messages]]:
    shell, messages = make_shell(loop, sim, Settings())
    yield shell, messages
    close_shell(loop, shell)


def the_popup(shell: Shell) -> CallPopup | None:
    popups = shell.calls.popups.popups()
    return popups[0] if popups else None


def controller_of(shell: Shell) -> Controller:
    assert shell.controller is not None
    return shell.controller


def shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("COMPANION_SHOTS", tmp_path))


# -- the pop-up ------------------------------------------------------------------------------


def test_an_incoming_call_from_a_contact_opens_the_popup_with_the_name(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator, tmp_path: Path
) -> None:
    shell, messages = live
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None, timeout=2.5)  # within a poll or two
    popup = the_popup(shell)
    assert popup is not None and popup.isVisible()
    assert popup.call_id == str(call_id)
    # The PBX gives no name: the phonebook's entry is filled in when the lookup is back.
    until(loop, lambda: popup.name_label.text() == JOSEF)
    assert popup.organisation_label.text() == ""  # the name says it already
    assert popup.number_label.text() == "+49 89 5554321"
    assert shell.status.state == TrayState(True, new_voicemails=3, ringing=True)
    assert shell.tray is not None
    assert shell.tray.toolTip().startswith(f"Companion – {JOSEF} is calling; connected as")
    assert messages.shown == []  # the pop-up, not a notification
    screenshot(popup, tmp_path, "live-popup.png")


def test_answer_sends_offhook_and_the_popup_closes_when_the_call_is_answered(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    popup = the_popup(shell)
    assert popup is not None
    count = len(sim.state.actions)
    popup.answer_button.click()
    assert popup.busy == "answer"
    until(loop, lambda: len(sim.state.actions) > count)
    answered = sim.state.actions[-1]
    assert (answered.action, answered.user) == ("offhook", USER)
    assert answered.device == "pascom Softphone [Max Mustermann]"  # the phone it rings at
    until(loop, lambda: the_popup(shell) is None)  # the call is connected: no pop-up
    assert shell.status.state.in_call and not shell.status.state.ringing


def test_the_popup_closes_when_the_call_is_answered_on_the_phone(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    sim.answer(call_id)
    until(loop, lambda: the_popup(shell) is None)
    assert not any(a.action == "offhook" for a in sim.state.actions)  # nobody clicked


def test_the_popup_closes_when_the_caller_hangs_up(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    sim.hang_up(call_id)
    until(loop, lambda: the_popup(shell) is None)


def test_decline_hangs_up_the_ringing_call(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    popup = the_popup(shell)
    assert popup is not None
    popup.decline_button.click()
    until(loop, lambda: any(a.action == "hangup" for a in sim.state.actions))
    until(loop, lambda: the_popup(shell) is None)


def test_an_answer_the_pbx_refuses_is_said_in_the_popup(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    popup = the_popup(shell)
    assert popup is not None
    sim.misbehave("forbidden", path="/action")
    popup.answer_button.click()
    until(loop, lambda: popup.error_label.isVisibleTo(popup))
    assert popup.error_label.text()  # in words, in the pop-up that was clicked
    assert "Traceback" not in popup.error_label.text()
    assert popup.busy == "" and popup.answer_button.isEnabled()  # the user may try again
    assert the_popup(shell) is popup  # still ringing
    sim.behave()


def test_save_as_contact_opens_the_dialog_with_the_number(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = live
    sim.ring(UNKNOWN, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    popup = the_popup(shell)
    assert popup is not None and popup.save_button.isVisibleTo(popup)
    popup.save_button.click()
    dialog = shell.calls.contact_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.phone.text() == UNKNOWN


class Browser(QObject):
    """Stands in for the system's browser: Qt hands it the https links it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


def test_the_crm_opens_when_the_user_answers_a_call_that_rang(
    loop: qasync.QEventLoop, sim: Simulator
) -> None:
    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    settings = Settings(
        crm_url="https://crm.example.com/?q={e164}&n={name}", crm_open_on_answer=True
    )
    shell, _ = make_shell(loop, sim, settings)
    try:
        call_id = sim.ring(CALLER, USER, ring_s=30)
        until(loop, lambda: JOSEF in shell.calls.names.values())
        assert browser.opened == []  # not while it rings
        sim.answer(call_id)
        until(loop, lambda: bool(browser.opened))
        assert browser.opened == ["https://crm.example.com/?q=%2B49895554321&n=Schreinerei%20Huber%20-%20Josef%20Huber"]
    finally:
        QDesktopServices.unsetUrlHandler("https")
        close_shell(loop, shell)


# -- notifications -----------------------------------------------------------------------------


def test_with_popups_off_a_notification_says_who_is_calling(
    loop: qasync.QEventLoop, sim: Simulator
) -> None:
    shell, messages = make_shell(loop, sim, Settings(call_popups=False))
    try:
        sim.ring(CALLER, USER, ring_s=30)
        until(loop, lambda: bool(messages.shown))
        assert messages.shown == [("Incoming call", f"{JOSEF} is calling")]
        assert the_popup(shell) is None
    finally:
        close_shell(loop, shell)


def test_only_external_callers_get_a_popup_when_set_so(
    loop: qasync.QEventLoop, sim: Simulator
) -> None:
    shell, messages = make_shell(loop, sim, Settings(call_popups_external_only=True))
    try:
        sim.ring("tsander", USER, ring_s=30)  # a colleague
        until(loop, lambda: bool(messages.shown))
        assert messages.shown == [("Incoming call", "Tina Sander is calling")]
        assert the_popup(shell) is None
    finally:
        close_shell(loop, shell)


def test_a_missed_call_notifies_badges_and_is_marked_in_recent_calls(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator, tmp_path: Path
) -> None:
    shell, messages = live
    controller = controller_of(shell)
    counts = controller.voicemail_counts
    assert counts is not None
    sim.ring(CALLER, USER, ring_s=0.6, message_s=0.5)
    until(loop, lambda: ("Missed call", f"Missed call from {JOSEF}") in messages.shown)
    until(loop, lambda: shell.status.state.missed_calls == 1)
    assert shell.tray is not None
    assert "; 1 missed call" in shell.tray.toolTip()  # in words too, not only the badge
    icons.state_icon(shell.status.state).pixmap(64).save(str(shots(tmp_path) / "tray-missed.png"))
    # The caller left a message: the tray's count shows it without waiting for a slow poll.
    until(loop, lambda: shell.status.state.new_voicemails == counts.new + 1)

    menu = shell.menu
    menu.recent_menu.aboutToShow.emit()  # the user opens Recent calls
    assert shell.status.state.missed_calls == 0  # the badge is cleared at once
    assert controller.missed_calls == 0
    assert "missed call" not in shell.tray.toolTip()

    def newest() -> str:
        items = list(menu.recent.actions().values())
        return plain(items[0]) if items else ""

    until(loop, lambda: "5554321" in newest())
    assert newest().startswith("✕")
    assert newest().endswith("missed")

    # The next call of that number says how often it called.
    sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: the_popup(shell) is not None)
    popup = the_popup(shell)
    assert popup is not None
    until(loop, lambda: "Called once in the last 7 days" in popup.texts())


def test_recent_calls_show_talk_time_and_unanswered_outgoing_calls(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages]
) -> None:
    shell, _ = live
    menu, controller = shell.menu, controller_of(shell)
    menu.recent_menu.aboutToShow.emit()
    until(loop, lambda: bool(menu.recent.actions()))
    texts = {key: plain(action) for key, action in menu.recent.actions().items()}
    for call in controller.history[: len(texts)]:
        text = texts[call.id]
        if call.outgoing and not call.connected:
            assert text.endswith("not answered"), text
        elif call.missed:
            assert text.endswith("missed"), text
        else:
            minutes, seconds = divmod(call.connected, 60)
            assert text.endswith(f"{minutes}:{seconds:02d}"), text
    kinds = {t.rsplit("  ·  ", 1)[-1] for t in texts.values()}
    assert any(re.fullmatch(r"\d+:\d\d", k) for k in kinds)  # talk time, not ring time


# -- the tray icon, tooltip and window during a call ---------------------------------------------


def test_the_tooltip_counts_the_talk_time_while_in_a_call(
    loop: qasync.QEventLoop, live: tuple[Shell, Messages], sim: Simulator, tmp_path: Path
) -> None:
    shell, _ = live
    assert shell.tray is not None
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: shell.status.state.ringing)
    icons.state_icon(shell.status.state).pixmap(64).save(str(shots(tmp_path) / "tray-ringing.png"))
    sim.answer(call_id)
    until(loop, lambda: f"in a call with {JOSEF} (0:0" in shell.tray.toolTip())
    assert shell.status.state.in_call and not shell.status.state.ringing
    # The timer runs on without a change of the call (the live poll announces none).
    until(loop, lambda: f"in a call with {JOSEF} (0:02)" in shell.tray.toolTip(), timeout=5)
    assert shell._call_timer.isActive()
    sim.hang_up(call_id)
    until(loop, lambda: not shell.status.state.in_call)
    assert "in a call" not in shell.tray.toolTip()
    assert not shell._call_timer.isActive()  # no timer while no call is up


def test_the_window_without_a_tray_shows_the_call(
    loop: qasync.QEventLoop, sim: Simulator, tmp_path: Path
) -> None:
    shell, _ = make_shell(loop, sim, Settings(), tray=False)
    try:
        window = shell.window
        assert window is not None
        shell.show()
        call_id = sim.ring(CALLER, USER, ring_s=30)
        until(loop, lambda: window.status_label.text().startswith(f"{JOSEF} is calling"))
        sim.answer(call_id)
        until(loop, lambda: window.status_label.text().startswith(f"In a call with {JOSEF}"))
        assert "Connected as Max Mustermann (101)" in window.status_label.text()
        screenshot(window, tmp_path, "fallback-in-call.png")
    finally:
        close_shell(loop, shell)


# -- the running app ---------------------------------------------------------------------------


def start_app(loop: qasync.QEventLoop, app: Companion, sim: Simulator, **calls: Any) -> Controller:
    config.save(
        Settings(pbx_url=sim.base_url, rest_user=REST_USER, user=USER, region="DE", **calls)
    )
    credentials.store_password(sim.base_url, REST_USER, REST_PASSWORD)
    app.launch()
    until(loop, lambda: app.controller is not None and app.controller.reachable is True)
    assert app.controller is not None
    return app.controller


def test_the_running_app_pops_up_a_real_incoming_call(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator, tmp_path: Path
) -> None:
    controller = start_app(loop, app, sim, live_interval=1)
    assert controller.live_interval == 1  # pop-ups on: the fast pace
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: bool(app.shell.calls.popups.popups()), timeout=2.5)
    popup = app.shell.calls.popups.popups()[0]
    until(loop, lambda: popup.name_label.text() == JOSEF)
    screenshot(popup, tmp_path, "app-popup.png")
    sim.answer(call_id)
    until(loop, lambda: not app.shell.calls.popups.popups())


def test_without_popups_the_app_looks_at_live_calls_at_the_slow_pace(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    controller = start_app(loop, app, sim, call_popups=False)
    assert controller.live_interval == 30 == controller.poll_interval


# -- the fax note --------------------------------------------------------------------------------


def test_the_sent_fax_list_says_when_only_faxes_sent_here_are_shown(
    loop: qasync.QEventLoop, qtbot: QtBot, sim: Simulator
) -> None:
    sim.state.users[USER].email = None  # the PBX gives no e-mail address for the user
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    controller = Controller(pbx, region="DE", poll_interval=3600)
    window = InboxWindow(controller)  # opened before the account is known
    qtbot.addWidget(window)
    try:
        window.show_tab("fax")
        assert window.fax.sent_note.isHidden()
        run(loop, controller.refresh())
        until(loop, lambda: window.fax.sent_note.isVisibleTo(window))
        assert "only the faxes sent from this computer" in window.fax.sent_note.text()
    finally:
        window.close()
        run(loop, controller.stop())


def test_no_fax_note_where_the_pbx_knows_the_users_address(
    loop: qasync.QEventLoop, qtbot: QtBot, controller: Controller
) -> None:
    assert run(loop, controller.fax_attribution()) == ""
    window = InboxWindow(controller)
    qtbot.addWidget(window)
    window.show_tab("fax")
    until(loop, lambda: not controller._tasks)  # the note has been read
    assert window.fax.sent_note.isHidden()
    window.close()

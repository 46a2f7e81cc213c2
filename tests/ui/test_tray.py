"""The tray menu, icon state, notifications and the no-tray window, against the demo PBX.

The menu is driven as a QMenu (the tray icon itself cannot be clicked offscreen); every
change is read back from the PBX (the simulator's state), and every item must follow
what the PBX reports, not what was clicked.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from companion.config import Settings
from companion.controller import Controller
from companion.numbers import parse_dial_input
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui.icons import TrayState, state_image
from companion.ui.redirect_dialog import RedirectDialog
from companion.ui.tray import Shell
from companion.ui.tray_menu import TrayMenu
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until

NO_TRAY = "Your desktop shows no system tray, so Companion runs in this window."


def plain(action: QAction) -> str:
    """An item's text without its shortcut marker."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def dispose(*objects: QObject | None) -> None:
    """Delete Qt objects now, on this thread.

    Left to Python's cycle collector, they could be deleted on the demo PBX's thread,
    which Qt does not survive (a timer of the deleted object fires later).
    """
    for thing in objects:
        if thing is not None and shiboken6.isValid(thing):
            shiboken6.delete(thing)


def screenshot(widget: QWidget, directory: Path, name: str) -> Path:
    """Save what the widget shows (offscreen too), to look at; COMPANION_SHOTS picks the place."""
    import os

    target = Path(os.environ.get("COMPANION_SHOTS", directory)) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(target))
    return target


def dispose_shell(shell: Shell) -> None:
    shell.set_controller(None)
    shell.hide()
    dispose(shell.window, shell.menu, shell)


@pytest.fixture
def menu(controller: Controller) -> Iterator[TrayMenu]:
    tray_menu = TrayMenu()
    tray_menu.set_controller(controller)
    yield tray_menu
    tray_menu.set_controller(None)
    dispose(tray_menu)


class Messages:
    """Records the tray messages the shell shows (offscreen shows none)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str, *args: object) -> None:
        self.shown.append((title, text))


@pytest.fixture
def tray_shell(controller: Controller) -> Iterator[tuple[Shell, Messages]]:
    shell = Shell(tray_available=lambda: True)
    assert shell.tray is not None
    messages = Messages()
    shell.tray.showMessage = messages  # type: ignore[method-assign]
    shell.set_controller(controller)
    yield shell, messages
    dispose_shell(shell)


def checked_profiles(menu: TrayMenu) -> set[str]:
    return {pid for pid, action in menu.presence.actions().items() if action.isChecked()}


# -- presence ---------------------------------------------------------------------------


def test_presence_is_a_radio_group_that_changes_the_pbx(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    actions = menu.presence.actions()
    assert [plain(a) for a in actions.values()] and len(actions) == 5
    assert checked_profiles(menu) == {"11"}  # "Im Büro", as the PBX says
    assert {a.actionGroup() for a in actions.values()} == {actions["11"].actionGroup()}
    assert actions["11"].actionGroup().isExclusive()

    actions["14"].trigger()  # Meeting
    # Until the PBX has answered, the check mark stays where the PBX had it.
    assert checked_profiles(menu) == {"11"}
    assert not any(a.isEnabled() for a in actions.values())

    until(loop, lambda: checked_profiles(menu) == {"14"})
    assert sim.state.users[USER].active_profile == 14
    assert all(a.isEnabled() for a in menu.presence.actions().values())


def test_a_fresh_client_reads_the_same_profile(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    menu.presence.actions()["13"].trigger()  # Homeoffice
    until(loop, lambda: checked_profiles(menu) == {"13"})
    fresh = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    try:
        profiles = run(loop, fresh.profiles())
    finally:
        run(loop, fresh.close())
    assert [p.id for p in profiles if p.active] == ["13"]  # type: ignore[attr-defined]


# -- queues ------------------------------------------------------------------------------


def test_queue_pause_unpause_logout_login_are_read_back(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    def mine() -> list[tuple[bool, bool]]:
        return [
            (m.loggedin, m.paused)
            for q in sim.state.queues.values()
            for m in q.members
            if m.agent == USER
        ]

    assert menu.queues.status_action.isVisible()
    assert "Zentrale (logged in)" in plain(menu.queues.status_action)
    assert not menu.queues.unpause_action.isEnabled()

    menu.queues.pause_action.trigger()
    assert not menu.queues.unpause_action.isEnabled() and not menu.queues.logout_action.isEnabled()
    until(loop, lambda: menu.queues.unpause_action.isEnabled())
    assert mine() == [(True, True), (True, True)]
    assert "paused" in plain(menu.queues.status_action)
    assert not menu.queues.pause_menu.menuAction().isEnabled()

    menu.queues.unpause_action.trigger()
    until(loop, lambda: menu.queues.pause_menu.menuAction().isEnabled())
    assert mine() == [(True, False), (True, False)]

    menu.queues.logout_action.trigger()
    until(loop, lambda: menu.queues.login_action.isEnabled())
    assert mine() == [(False, False), (False, False)]
    assert "logged out" in plain(menu.queues.status_action)

    menu.queues.login_action.trigger()
    until(loop, lambda: not menu.is_busy("queue"))
    assert not menu.queues.login_action.isEnabled()
    assert mine() == [(True, False), (True, False)]


def test_queue_changes_from_the_tray_are_confirmed(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages]
) -> None:
    shell, messages = tray_shell
    menu = shell.menu
    menu.queues.logout_action.trigger()
    until(loop, lambda: not menu.is_busy("queue") and messages.shown)
    assert messages.shown[-1][1] == "You are logged out of the queues."
    menu.queues.login_action.trigger()
    until(loop, lambda: not menu.is_busy("queue") and len(messages.shown) == 2)
    assert messages.shown[-1][1] == "You are logged in to the queues."


def pause_items(menu: TrayMenu) -> list[str]:
    actions = menu.queues.pause_menu.actions()
    return [plain(a) for a in actions if a.isVisible() and not a.isSeparator()]


def test_pause_menu_offers_the_queues_pause_reasons(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    assert pause_items(menu) == ["Pause", "lunch", "meeting"]  # no free text
    [lunch] = [a for a in menu.queues.pause_menu.actions() if plain(a) == "lunch"]
    lunch.trigger()
    until(loop, lambda: menu.queues.unpause_action.isEnabled())
    reasons = [(m.paused, m.pausereason) for q in sim.state.queues.values() for m in q.members
               if m.agent == USER]  # fmt: skip
    assert reasons == [(True, "lunch"), (True, "lunch")]
    assert "Zentrale (paused: lunch)" in plain(menu.queues.status_action)


def test_a_pause_the_pbx_refuses_at_http_200_is_reported(
    loop: qasync.QEventLoop, reference_sim: Simulator
) -> None:
    pbx = PascomPbx(reference_sim.base_url, REST_USER, REST_PASSWORD, USER)
    controller = Controller(pbx, region="DE", poll_interval=3600)
    tray_menu = TrayMenu()
    failures: list[str] = []
    tray_menu.action_failed.connect(failures.append)
    try:
        run(loop, controller.refresh())
        tray_menu.set_controller(controller)
        assert pause_items(tray_menu) == ["Pause", "lunch", "meeting"]
        for queue in reference_sim.state.queues.values():  # the PBX dropped "lunch" since
            queue.pausereasons = [r for r in queue.pausereasons if r["reason"] != "lunch"]
        [lunch] = [a for a in tray_menu.queues.pause_menu.actions() if plain(a) == "lunch"]
        lunch.trigger()
        until(loop, lambda: bool(failures) and not tray_menu.is_busy("queue"))
        assert failures == ["The PBX refused to pause you (lunch): unknown pause reason 'lunch'"]
        assert not any(q.paused for q in controller.queues)
        assert not any(m.paused for q in reference_sim.state.queues.values() for m in q.members
                       if m.agent == USER)  # fmt: skip
    finally:
        tray_menu.set_controller(None)
        run(loop, controller.stop())
        dispose(tray_menu)


# -- redirect ------------------------------------------------------------------------------


def test_redirect_on_and_off_follow_the_pbx(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    toggle = menu.redirect.toggle
    assert plain(toggle) == "Redirect to +49 89 998877"  # the target to switch back on
    assert not toggle.isChecked()

    toggle.trigger()
    assert not toggle.isChecked() and not toggle.isEnabled()  # no guess while in flight
    until(loop, lambda: toggle.isChecked())
    assert sim.state.redirects["101"].target == "+4989998877"
    assert toggle.isEnabled()

    toggle.trigger()
    until(loop, lambda: not toggle.isChecked() and toggle.isEnabled())
    assert sim.state.redirects["101"].target == ""


def open_redirect_dialog(menu: TrayMenu) -> RedirectDialog:
    menu.redirect.to_action.trigger()
    dialog = menu.redirect.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def submit(dialog: RedirectDialog, text: str) -> None:
    dialog.target_edit.setText(text)
    dialog.target_edit.textEdited.emit(text)  # as when the user types it
    dialog.ok_button.click()


def test_redirect_to_asks_again_until_it_is_a_number_or_a_name(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    dialog = open_redirect_dialog(menu)
    assert dialog.target_edit.text() == "+49 89 998877"  # offered: the last target
    submit(dialog, "hello")
    until(loop, lambda: dialog.problem_label.isVisible())
    assert dialog.problem_label.text() == 'No contact with a phone number matches "hello".'
    assert dialog.isVisible() and dialog.target_edit.text() == "hello"
    assert sim.state.redirects["101"].target == ""

    submit(dialog, "0221 9876543")
    until(loop, lambda: menu.redirect.toggle.isChecked())
    assert menu.redirect.dialog is None
    assert sim.state.redirects["101"].target == "+492219876543"
    assert plain(menu.redirect.toggle) == "Redirect to +49 221 9876543"


def test_redirect_to_a_colleagues_name_shows_the_name(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, _ = tray_shell
    menu = shell.menu
    submit(open_redirect_dialog(menu), "Tina")
    until(loop, lambda: menu.redirect.toggle.isChecked())
    assert sim.state.redirects["101"].target == "221"  # her extension
    assert plain(menu.redirect.toggle) == "Redirect to Tina Sander (221)"
    assert shell.tray is not None
    assert "; redirect to Tina Sander (221);" in shell.tray.toolTip()


def test_a_target_set_elsewhere_is_shown_with_its_name(
    loop: qasync.QEventLoop, sim: Simulator
) -> None:
    sim.state.redirects["101"].target = "120"  # e.g. set on the desk phone
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    controller = Controller(pbx, region="DE", poll_interval=3600)
    run(loop, controller.refresh())
    tray_menu = TrayMenu()
    tray_menu.set_controller(controller)
    try:
        assert plain(tray_menu.redirect.toggle) == "Redirect to Empfang (120)"
        assert tray_menu.redirect.toggle.isChecked()
    finally:
        tray_menu.set_controller(None)
        dispose(tray_menu)
        run(loop, controller.stop())


def test_an_ambiguous_name_lets_the_user_pick(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator, tmp_path: Path
) -> None:
    dialog = open_redirect_dialog(menu)
    submit(dialog, "Käthe Schmidt")
    until(loop, lambda: dialog.candidates_list.isVisible())
    shown = [dialog.candidates_list.item(i).text() for i in range(dialog.candidates_list.count())]
    assert shown == [
        "Käthe Schmidt (+49 89 158176) – phone",
        "Käthe Schmidt (+49 179 53027281) – mobile",
    ]
    assert sim.state.redirects["101"].target == ""  # nothing until the user picks
    screenshot(dialog, tmp_path, "redirect-dialog-candidates.png")

    dialog.candidates_list.setCurrentRow(1)
    dialog.ok_button.click()
    until(loop, lambda: menu.redirect.toggle.isChecked())
    assert sim.state.redirects["101"].target == "+4917953027281"
    assert plain(menu.redirect.toggle) == "Redirect to Käthe Schmidt (+49 179 53027281)"
    menu.redirect_menu.popup(menu.redirect_menu.pos())
    screenshot(menu.redirect_menu, tmp_path, "redirect-menu-with-name.png")
    menu.redirect_menu.hide()


def test_typing_again_drops_the_list(loop: qasync.QEventLoop, menu: TrayMenu) -> None:
    dialog = open_redirect_dialog(menu)
    submit(dialog, "Müller")
    until(loop, lambda: dialog.candidates_list.isVisible())
    dialog.target_edit.textEdited.emit("Müller & Söhne")
    assert not dialog.candidates_list.isVisible()
    dialog.close()
    assert menu.redirect.dialog is None


def test_redirect_to_cancelled_changes_nothing(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    dialog = open_redirect_dialog(menu)
    dialog.buttons.rejected.emit()
    assert menu.redirect.dialog is None
    assert not menu.is_busy("redirect")
    assert sim.state.redirects["101"].target == ""


# -- switches -------------------------------------------------------------------------------


def answer_switch_question(loop: qasync.QEventLoop, menu: TrayMenu, button: str) -> str:
    """Click `button` ("Turn on", "Turn off", "Cancel") in the company-wide question."""
    until(loop, lambda: menu.switches.question is not None and menu.switches.question.isVisible())
    question = menu.switches.question
    assert question is not None
    text = question.text()
    chosen = [b for b in question.buttons() if b.text().replace("&", "") == button]
    assert len(chosen) == 1, [b.text() for b in question.buttons()]
    chosen[0].click()
    until(loop, lambda: menu.switches.question is None)
    return text


def test_each_company_wide_switch_asks_then_toggles_on_the_pbx(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator
) -> None:
    actions = menu.switches.actions()
    assert {plain(a) for a in actions.values()} == {
        "AfterHours", "Holiday", "Lunch break", "Nightmode",
    }  # fmt: skip
    for extension in ("503", "504", "505"):
        action = actions[extension]
        before = sim.state.switches[extension].state
        assert action.isChecked() is before
        action.trigger()
        verb = "Turn off" if before else "Turn on"
        text = answer_switch_question(loop, menu, verb)
        assert "company-wide" in text and sim.state.switches[extension].bez in text
        until(loop, lambda a=action, b=before: a.isChecked() is not b and a.isEnabled())
        assert sim.state.switches[extension].state is not before


def test_a_company_wide_switch_stays_when_the_user_cancels(
    loop: qasync.QEventLoop, menu: TrayMenu, sim: Simulator, tmp_path: Path
) -> None:
    holiday = menu.switches.actions()["504"]
    assert holiday.isChecked() and sim.state.switches["504"].state is True
    holiday.trigger()
    until(loop, lambda: menu.switches.question is not None and menu.switches.question.isVisible())
    assert menu.switches.question is not None
    screenshot(menu.switches.question, tmp_path, "switch-question-holiday.png")
    text = answer_switch_question(loop, menu, "Cancel")
    assert text.startswith("'Holiday' is a company-wide switch: turning it off")
    assert holiday.isChecked() and holiday.isEnabled() and not menu.is_busy("switch:504")
    assert sim.state.switches["504"].state is True


def test_the_users_own_switch_toggles_at_once_and_is_confirmed(
    loop: qasync.QEventLoop, sim: Simulator, controller: Controller
) -> None:
    from companion.simulator.pascom.records import Switch as SimSwitch

    # A switch whose name names the user (login or name) is theirs: no question.
    sim.state.switches["507"] = SimSwitch(48, "Homeoffice Max Mustermann", False, "507", None)
    run(loop, controller.refresh())
    shell = Shell(tray_available=lambda: True)
    assert shell.tray is not None
    messages = Messages()
    shell.tray.showMessage = messages  # type: ignore[method-assign]
    shell.set_controller(controller)
    try:
        own = shell.menu.switches.actions()["507"]
        own.trigger()
        assert shell.menu.switches.question is None
        until(loop, lambda: own.isChecked() and not shell.menu.is_busy("switch:507"))
        assert sim.state.switches["507"].state is True
        assert messages.shown[-1][1] == "The switch 'Homeoffice Max Mustermann' is now on."
    finally:
        dispose_shell(shell)


def test_a_failed_switch_names_the_switch(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, messages = tray_shell
    sim.misbehave("error500", path="condition/switch")  # the PBX fails the change
    shell.menu.switches.actions()["503"].trigger()
    answer_switch_question(loop, shell.menu, "Turn on")
    until(loop, lambda: messages.shown and not shell.menu.is_busy("switch:503"), timeout=30)
    assert messages.shown[-1][1].startswith("Could not change the switch 'AfterHours': ")
    assert not shell.menu.switches.actions()["503"].isChecked()


def test_a_failed_presence_change_names_the_profile(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, messages = tray_shell
    name = plain(shell.menu.presence.actions()["14"])
    sim.misbehave("error500", path="/activate")  # the PBX fails the change
    shell.menu.presence.actions()["14"].trigger()
    until(loop, lambda: messages.shown and not shell.menu.is_busy("presence"))
    assert messages.shown[-1][1].startswith(f"Could not change your presence to '{name}': ")
    assert checked_profiles(shell.menu) == {"11"}  # where the PBX still has it


def test_a_presence_change_from_the_tray_is_confirmed(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator
) -> None:
    shell, messages = tray_shell
    shell.menu.presence.actions()["14"].trigger()  # Meeting
    until(loop, lambda: checked_profiles(shell.menu) == {"14"} and messages.shown)
    name = plain(shell.menu.presence.actions()["14"])
    assert messages.shown[-1][1] == f"Your presence is now '{name}'."


def test_refused_switch_shows_why_and_stays_disabled(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator, tmp_path: Path
) -> None:
    shell, messages = tray_shell
    nightmode = shell.menu.switches.actions()["506"]
    assert not nightmode.isChecked() and nightmode.isEnabled()
    nightmode.trigger()
    answer_switch_question(loop, shell.menu, "Turn on")
    until(loop, lambda: messages.shown and not shell.menu.is_busy("switch:506"))
    assert messages.shown[-1][1] == (
        "You may not change the switch 'Nightmode' (the PBX refused it)."
    )
    assert not nightmode.isChecked()
    assert sim.state.switches["506"].state is False
    # For the rest of the session the item is disabled and says why.
    reason = "You may not change this switch (the PBX refused it)"
    assert not nightmode.isEnabled()
    assert nightmode.toolTip() == reason and nightmode.statusTip() == reason
    assert plain(nightmode) == "Nightmode"
    after_hours = shell.menu.switches.actions()["503"]
    assert after_hours.isEnabled() and after_hours.toolTip() == "AfterHours"
    shell.menu.switches_menu.popup(shell.menu.switches_menu.pos())
    screenshot(shell.menu.switches_menu, tmp_path, "switches-menu-refused.png")
    shell.menu.switches_menu.hide()


# -- voicemail, recent calls ------------------------------------------------------------------


def test_voicemail_item_counts_new_messages(menu: TrayMenu) -> None:
    assert plain(menu.voicemail_action) == "Voicemail (3 new)"


def test_recent_calls_are_listed_and_a_click_calls_back(
    loop: qasync.QEventLoop, menu: TrayMenu, controller: Controller, sim: Simulator
) -> None:
    menu.recent_menu.aboutToShow.emit()  # loaded when the menu is about to show
    until(loop, lambda: menu.recent.actions())
    calls = controller.history
    actions = menu.recent.actions()
    assert len(actions) == min(10, len(calls)) > 0
    first = next(iter(actions.values()))
    assert calls[0].name in plain(first)

    call = calls[0]
    count = len(sim.state.actions)
    first.trigger()
    until(loop, lambda: len(sim.state.actions) > count)
    dialled = sim.state.actions[-1]
    assert dialled.action == "dial"
    assert dialled.destination == parse_dial_input(call.number, "DE").destination


# -- icon and tooltip -----------------------------------------------------------------------


def test_icon_and_tooltip_say_when_the_pbx_is_unreachable(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], controller: Controller,
    sim: Simulator,
) -> None:  # fmt: skip
    shell, _ = tray_shell
    assert shell.tray is not None
    assert shell.status.state == TrayState(True, redirect=False, new_voicemails=3)
    tooltip = shell.tray.toolTip()
    assert tooltip == "Companion – connected as Max Mustermann (101); 3 new voicemails"
    connected_icon = shell.tray.icon().cacheKey()
    assert shell.menu.presence_menu.menuAction().isEnabled()

    controller.start()
    sim.stop()
    controller.refresh_soon()
    until(loop, lambda: shell.status.state.reachable is False)
    assert shell.tray.toolTip().startswith("Companion – not connected to the PBX: ")
    assert "cannot be reached" in shell.tray.toolTip()
    assert shell.tray.icon().cacheKey() != connected_icon
    assert not shell.menu.presence_menu.menuAction().isEnabled()
    assert plain(shell.menu.status_action).startswith("Not connected to the PBX")


def test_state_images_differ_for_each_state(qapp: QApplication) -> None:
    states = [
        TrayState(True),
        TrayState(False),
        TrayState(None),
        TrayState(True, redirect=True),
        TrayState(True, new_voicemails=3),
    ]
    images = [state_image(state, 32) for state in states]
    assert all(not image.isNull() and image.width() == 32 for image in images)
    assert len({bytes(image.constBits()) for image in images}) == len(states)
    # Unreachable is grey (with a red mark): the connected icon's teal is gone.
    middle = images[1].pixelColor(8, 16)
    assert abs(middle.red() - middle.green()) < 8 and abs(middle.green() - middle.blue()) < 8


# -- notifications -------------------------------------------------------------------------


def test_new_voicemail_is_notified(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], controller: Controller,
    sim: Simulator,
) -> None:  # fmt: skip
    shell, messages = tray_shell
    with sim.state.lock:  # a message arrives: Anna Meyer's old one, spoken again
        old = next(m for m in sim.state.messages if m.fields.get("calleridname") == "Anna Meyer")
        sim.state.messages.append(
            dataclasses.replace(
                old,
                folder="INBOX",
                number=sim.state._next_number("101", "INBOX"),
                msg_id="1763800000-00000099",
                origtime=1763800000,
            )
        )
    run(loop, controller.refresh())
    assert len(messages.shown) == 1
    title, text = messages.shown[0]
    assert title == "New voicemail"
    assert re.fullmatch(r"New voicemail from Anna Meyer \(\d+:\d\d\)", text)
    assert shell.notices[-1].tab == "voicemail"
    assert plain(shell.menu.voicemail_action) == "Voicemail (4 new)"


def test_new_fax_is_notified(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], controller: Controller,
    sim: Simulator,
) -> None:  # fmt: skip
    shell, messages = tray_shell
    with sim.state.lock:
        old = sim.state.received["fax000000010.tif"]
        new = dataclasses.replace(
            old,
            filename="fax000000099.tif",
            fields={**old.fields, "callid2": "1763700000000_99", "callid3": "+4930555123"},
        )
        sim.state.received[new.filename] = new
    run(loop, controller.refresh())
    assert len(messages.shown) == 1
    title, text = messages.shown[0]
    assert title == "New fax"
    assert text.startswith("New fax from ") and "page" in text
    assert shell.notices[-1].tab == "fax"


def test_background_failures_are_shown_once(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], controller: Controller,
    sim: Simulator,
) -> None:  # fmt: skip
    _, messages = tray_shell
    sim.misbehave("error500")
    for _ in range(3):
        # no one asked: goes to `failed` (a poll's failures mark features instead)
        task = controller.spawn(controller.reload_faxes())
        until(loop, task.done)
    assert len(messages.shown) == 1
    assert "internal error" in messages.shown[0][1]


# -- no tray --------------------------------------------------------------------------------


def test_without_a_tray_a_window_has_the_same_actions(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator
) -> None:
    shell = Shell(tray_available=lambda: False)
    try:
        assert shell.tray is None and shell.window is not None
        shell.set_controller(controller)
        shell.show()
        window = shell.window
        assert window.isVisible()
        assert window.reason_label.text() == NO_TRAY
        assert window.status_label.text().startswith("Connected as Max Mustermann (101)")
        assert window.presence_button.defaultAction() is shell.menu.presence_menu.menuAction()
        assert window.switches_button.defaultAction() is shell.menu.switches_menu.menuAction()
        assert window.voicemail_button.defaultAction() is shell.menu.voicemail_action
        assert "3 new" in window.voicemail_button.text()

        # The window's buttons are the menu's items: a switch changes on the PBX.
        window.switches_button.defaultAction().menu().actions()[0].trigger()
        answer_switch_question(loop, shell.menu, "Turn on")  # AfterHours is company-wide
        until(loop, lambda: sim.state.switches["503"].state is True)
        # ... and the change is confirmed in the window's status bar.
        until(loop, lambda: "now on" in window.statusBar().currentMessage())
        assert window.statusBar().currentMessage() == "The switch 'AfterHours' is now on."

        # Notices go to the window's status bar.
        shell.show_error("The PBX does not allow this.")
        assert "The PBX does not allow this." in window.statusBar().currentMessage()

        quits: list[bool] = []
        shell.quit_requested.connect(lambda: quits.append(True))
        window.close()
        assert quits == [True]  # without a tray, closing the window ends the app
    finally:
        dispose_shell(shell)


def test_not_set_up_shows_so_and_offers_settings(qapp: QApplication) -> None:
    shell = Shell(tray_available=lambda: False, demo=True)
    try:
        asked: list[bool] = []
        shell.settings_requested.connect(lambda: asked.append(True))
        assert shell.window is not None
        assert shell.window.windowTitle() == "Companion (demo)"
        assert shell.window.status_label.text().startswith("Not set up")
        assert not shell.menu.presence_menu.menuAction().isEnabled()
        shell.menu.dial_action.trigger()  # disabled: nothing to dial with
        shell.open_dial()
        assert asked == [True]
        quits: list[bool] = []
        shell.quit_requested.connect(lambda: quits.append(True))
        shell.menu.quit_action.trigger()
        assert quits == [True]
    finally:
        dispose_shell(shell)


# -- the other windows (written separately; tested last) -------------------------------------


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.skipif(not _have("companion.ui.dial_window"), reason="no dial window module yet")
def test_dial_item_opens_the_dial_window(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages]
) -> None:
    shell, _ = tray_shell
    shell.menu.dial_action.trigger()
    assert shell.dial_window is not None and shell.dial_window.isVisible()
    shell._activated(QSystemTrayIcon.ActivationReason.Trigger)  # a left click: the same one
    assert shell.dial_window.isVisible()


@pytest.mark.skipif(not _have("companion.ui.inbox_window"), reason="no inbox window module yet")
def test_voicemail_and_fax_items_and_a_message_click_open_the_inbox(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages]
) -> None:
    shell, _ = tray_shell
    shell.menu.voicemail_action.trigger()
    assert shell.inbox_window is not None and shell.inbox_window.isVisible()
    shell.inbox_window.hide()
    shell.menu.fax_action.trigger()
    assert shell.inbox_window.isVisible()
    shell.inbox_window.hide()
    shell.notify("New voicemail", "New voicemail from Tina Sander (0:12)", tab="voicemail")
    assert shell.tray is not None
    shell.tray.messageClicked.emit()
    assert shell.inbox_window.isVisible()


# -- the menu's header, icons and hotkeys ---------------------------------------------------


def test_the_menu_header_shows_presence_and_redirect_and_dial_its_hotkeys(
    loop: qasync.QEventLoop, tray_shell: tuple[Shell, Messages], sim: Simulator,
    tmp_path: Path,
) -> None:  # fmt: skip
    shell, _messages = tray_shell
    menu = shell.menu
    active = [p for p in shell.controller.profiles if p.active] if shell.controller else []
    assert len(active) == 1
    assert plain(menu.state_action) == f"Presence: {active[0].name}  ·  Redirect off"
    assert not menu.state_action.isEnabled()  # a header, not an item
    # the hotkeys from the settings, in Dial's shortcut column and its tooltip
    assert menu.dial_action.text() == "&Dial…\tCtrl+Alt+F"
    assert menu.dial_action.toolTip() == "Ctrl+Alt+D dials the number selected in any window"
    items = [
        a for a in menu.actions()
        if not a.isSeparator() and a not in (menu.status_action, menu.state_action)
    ]  # fmt: skip
    assert items and all(not a.icon().isNull() for a in items), [
        plain(a) for a in items if a.icon().isNull()
    ]
    menu.redirect.toggle.trigger()  # back on to the earlier target
    until(loop, lambda: "Redirect to" in menu.state_action.text())
    assert plain(menu.state_action) == (
        f"Presence: {active[0].name}  ·  Redirect to {plain(menu.redirect.toggle)[12:]}"
    )
    menu.popup(menu.pos())
    screenshot(menu, tmp_path, "tray-menu.png")
    menu.hide()


def test_without_hotkeys_dial_shows_none(
    loop: qasync.QEventLoop, controller: Controller
) -> None:
    shell = Shell(tray_available=lambda: True)
    try:
        shell.set_controller(controller, Settings(hotkey_open_dial="", hotkey_dial_selection=""))
        assert shell.menu.dial_action.text() == "&Dial…"
        assert "dials the number" not in shell.menu.dial_action.toolTip()
    finally:
        dispose_shell(shell)


# -- windows: titles and where they open ------------------------------------------------------


def test_window_titles_leave_the_app_name_to_the_desktop(
    loop: qasync.QEventLoop, controller: Controller
) -> None:
    """Qt appends " — Companion" (the display name) on Linux and Windows: a title that
    names the app itself read "Companion – Dial — Companion"."""
    from companion.ui.redirect_dialog import RedirectDialog

    shell = Shell(tray_available=lambda: False)
    shell.set_controller(controller)
    try:
        shell.open_dial()
        shell.open_inbox("voicemail")
        assert shell.dial_window.windowTitle() == "Dial"
        assert shell.inbox_window.windowTitle() == "Inbox"
        redirect = RedirectDialog(controller)
        try:
            # wide enough for the whole title with the app's name the desktop adds
            composed = f"{redirect.windowTitle()} — {QApplication.applicationDisplayName()}"
            assert redirect.minimumWidth() > redirect.fontMetrics().horizontalAdvance(composed)
        finally:
            dispose(redirect)
    finally:
        dispose_shell(shell)


def test_dial_and_inbox_open_beside_the_no_tray_window(
    loop: qasync.QEventLoop, controller: Controller
) -> None:
    shell = Shell(tray_available=lambda: False)
    shell.set_controller(controller)
    window = shell.window
    assert window is not None
    try:
        shell.show()
        free = window.screen().availableGeometry()
        # the no-tray window at the right of the screen: the others open to its left
        window.move(free.right() - window.frameGeometry().width(), free.top() + 40)
        until(loop, lambda: window.isVisible())
        anchor = window.frameGeometry()
        shell.open_dial()
        shell.open_inbox("fax")
        for opened in (shell.dial_window, shell.inbox_window):
            frame = opened.frameGeometry()
            assert frame.topLeft() != free.topLeft()  # not the screen's corner
            assert free.contains(frame)  # on the screen, whole
            assert frame.top() == anchor.top()  # at the window's height
            # beside it (on a screen too small for that: on its side with more room)
            assert frame.center().x() < anchor.center().x()
            if free.width() >= anchor.width() + frame.width() + 8:
                assert frame.right() < anchor.left()
    finally:
        dispose_shell(shell)

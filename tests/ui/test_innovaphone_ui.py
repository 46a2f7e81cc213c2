"""The tray, the dial window, the call pop-up and the settings dialog against the
innovaphone demo PBX (over a real WebSocket)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from companion import config, credentials
from companion.backends import keyring_name
from companion.config import Settings
from companion.controller import Controller
from companion.pbx.innovaphone import InnovaphonePbx, log_in_user
from companion.simulator.innovaphone import InnovaphoneSimulator
from companion.ui.tray_menu import TrayMenu
from tests.ui.conftest import run, until
from tests.ui.dialing import search, settled
from tests.ui.test_tray import dispose, plain

USER, USER_CN, PASSWORD = "mmuster", "Max Mustermann", "demo-pass"
SHOTS = Path(os.environ.get("COMPANION_SHOTS", "/tmp/h-innoclient-shots"))


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


@pytest.fixture
def controller(loop: qasync.QEventLoop, inno: InnovaphoneSimulator) -> Iterator[Controller]:
    session = run(loop, log_in_user(inno.url, USER, PASSWORD))
    ctl = Controller(InnovaphonePbx(inno.url, USER, session=session), region="DE")
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())


def shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


def test_the_tray_shows_presence_forwarding_and_read_only_booleans(
    loop: qasync.QEventLoop, controller: Controller, inno: InnovaphoneSimulator
) -> None:
    menu = TrayMenu()
    try:
        menu.set_controller(controller)
        assert plain(menu.status_action).startswith("Connected as Max Mustermann (101)")
        profiles = menu.presence.actions()
        assert [plain(a) for a in profiles.values()] == [
            "Available", "Away", "Busy", "Do not disturb"
        ]  # fmt: skip
        assert profiles[""].isChecked()
        switches = {plain(a): a for a in menu.switches.actions().values()}
        assert set(switches) == {"Night service", "Holiday", "Hotline open"}
        assert switches["Holiday"].isChecked() and not switches["Night service"].isChecked()
        assert not any(a.isEnabled() for a in switches.values())  # shown, not switchable
        assert all("offers no way to change it" in a.toolTip() for a in switches.values())
        assert not menu.voicemail_action.isVisible() and not menu.fax_action.isVisible()
        menu.presence.actions()["busy"].trigger()
        until(loop, lambda: menu.presence.actions()["busy"].isChecked())
        user = inno.state.find(cn=USER_CN)
        assert user is not None
        assert next(p["a"] for p in user.presence if p["c"] == "tel:") == "busy"
        menu.adjustSize()
        shot(menu, "tray-menu.png")
        for name, submenu in (("presence", menu.presence_menu), ("switches", menu.switches_menu)):
            submenu.adjustSize()
            shot(submenu, f"tray-{name}.png")
    finally:
        menu.set_controller(None)
        dispose(menu)


def test_the_dial_window_finds_a_colleague_and_dials_through_rcc(
    loop: qasync.QEventLoop, controller: Controller, inno: InnovaphoneSimulator, qtbot: QtBot
) -> None:
    from companion.ui.dial_window import DialWindow

    window = DialWindow(controller)
    qtbot.addWidget(window)
    window.show_and_focus()
    until(loop, lambda: settled(window))
    rows = search(loop, window, "Ben")
    assert any("Ben Bauer" in str(row) for row in rows)
    shot(window, "dial-window.png")
    window.dial("0301234567")
    until(loop, lambda: inno.received["UserCall"] == 1)
    legs = inno.live_calls()
    # +49 30 ... goes out with the demo node's national prefix (00)
    assert [(leg.cn, leg.peer.get("e164")) for leg in legs] == [(USER_CN, "00301234567")]


def test_an_incoming_call_pops_up_from_the_push(
    loop: qasync.QEventLoop, controller: Controller, inno: InnovaphoneSimulator, qtbot: QtBot
) -> None:
    from companion.ui.incoming_calls import IncomingCalls

    incoming = IncomingCalls(lambda title, text: None)
    incoming.set_controller(controller, Settings(region="DE"))
    try:
        controller.start()
        until(loop, lambda: controller.session.live.working)
        inno.ring(USER_CN, "+4930555123", "Erika Gast")
        until(loop, lambda: bool(incoming.popups.popups()))
        popup = incoming.popups.popups()[0]
        until(loop, lambda: "Erika Gast" in popup.name_label.text())
        shot(popup, "call-popup.png")
    finally:
        incoming.set_controller(None, Settings())
        dispose(incoming)


def test_a_caller_written_with_the_nodes_prefix_pops_up_in_international_form(
    loop: qasync.QEventLoop, controller: Controller, inno: InnovaphoneSimulator
) -> None:
    from companion.ui.incoming_calls import IncomingCalls

    incoming = IncomingCalls(lambda title, text: None)
    incoming.set_controller(controller, Settings(region="DE"))
    try:
        controller.start()
        until(loop, lambda: controller.session.live.working)
        inno.ring(USER_CN, "0030555123")  # the PBX writes it with prefixNtl (00)
        until(loop, lambda: bool(incoming.popups.popups()))
        popup = incoming.popups.popups()[0]
        until(loop, lambda: "+49 30 555123" in popup.texts())
        shot(popup, "call-popup-national.png")
    finally:
        incoming.set_controller(None, Settings())
        dispose(incoming)


def test_the_settings_dialog_logs_an_innovaphone_user_in_and_keeps_no_password(
    loop: qasync.QEventLoop, inno: InnovaphoneSimulator, config_dir: Path, memory_keyring: None
) -> None:
    from companion.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), "")
    try:
        saved: list[Settings] = []
        dialog.saved.connect(saved.append)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("innovaphone"))
        dialog.url_edit.setText(inno.url)
        dialog.user_edit.setText(USER)
        dialog.password_edit.setText(PASSWORD)
        assert not dialog.rest_user_edit.isVisibleTo(dialog)  # no REST user on innovaphone
        assert dialog.password_row[0].text() == "Password:"  # type: ignore[attr-defined]
        dialog.show()
        dialog.adjustSize()
        shot(dialog, "settings-innovaphone.png")
        dialog.save_button.click()
        until(loop, lambda: bool(saved))
        stored = config.load().settings
        assert (stored.kind, stored.pbx_url, stored.login) == ("innovaphone", inno.url, "user")
        secret = credentials.get_password(inno.url, keyring_name(stored))
        assert secret is not None and PASSWORD not in secret and '"usr"' in secret
    finally:
        dispose(dialog)


def test_the_first_start_connects_an_innovaphone_user(
    loop: qasync.QEventLoop, inno: InnovaphoneSimulator, config_dir: Path, memory_keyring: None
) -> None:
    from companion.ui import first_start
    from companion.ui.first_start import FirstStart

    dialog = FirstStart()
    saved: list[tuple[Settings, str, bool]] = []
    dialog.saved.connect(lambda *args: saved.append(args))
    try:
        dialog.show()
        dialog.connect_button.click()
        dialog.url_edit.setText(inno.url)
        dialog.next()
        until(loop, lambda: dialog.step == first_start.CREDENTIALS)
        assert dialog.settings.kind == "innovaphone"
        assert dialog.rest_user_edit.text() == ""  # no REST user: the user's own name
        dialog.rest_user_edit.setText(USER)
        dialog.password_edit.setText("wrong")
        dialog.next()
        until(loop, lambda: not dialog.busy)
        assert "refused the user name or password" in dialog.error_text()
        dialog.password_edit.setText(PASSWORD)
        shot(dialog, "first-start-innovaphone.png")
        dialog.next()
        until(loop, lambda: dialog.step == first_start.REGION)  # no list of users to pick
        dialog.next()
        until(loop, lambda: bool(saved))
        settings, secret, _ = saved[0]
        assert (settings.kind, settings.user) == ("innovaphone", USER)
        assert PASSWORD not in secret
        assert credentials.get_password(inno.url, keyring_name(settings)) == secret
    finally:
        dispose(dialog)

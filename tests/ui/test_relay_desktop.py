"""The tray and the app through a Companion relay: a real relay in front of the demo PBX.

An enrolment link asks before it connects, then the app works through the relay; the
tray follows a call the relay pushes (the pop-up, the tray state) and answers through it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import qasync

from companion import config, credentials
from companion.app import Companion
from companion.config import Settings
from companion.controller import Controller
from companion.desktop.integration import DesktopIntegration
from companion.pbx.models import CallAction
from companion.pbx.relay import RelayPbx
from companion.simulator import Simulator
from companion.ui.icons import TrayState
from companion.ui.tray import Shell
from tests.conftest import USER
from tests.relay.conftest import RunningRelay, relay  # noqa: F401  (the fixture)
from tests.ui.conftest import run, until
from tests.ui.test_tray import Messages, dispose_shell, screenshot

CALLER = "+49895554321"  # Josef Huber in the demo phonebook
JOSEF = "Schreinerei Huber - Josef Huber"


def shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("COMPANION_SHOTS", tmp_path))


def link(relay_url: str, code: str) -> str:
    return f"companion://enrol?relay={quote(relay_url, safe='')}&code={code}"


@pytest.fixture
def tray(loop: qasync.QEventLoop, relay: RunningRelay) -> Iterator[tuple[Shell, Messages]]:  # noqa: F811
    pbx = RelayPbx(relay.url, relay.enrol(USER))
    controller = Controller(pbx, region="DE", poll_interval=3600, live_interval=0.2)
    shell = Shell(tray_available=lambda: True)
    messages = Messages()
    assert shell.tray is not None
    shell.tray.showMessage = messages  # type: ignore[method-assign]
    shell.set_controller(controller, Settings(kind="relay", pbx_url=relay.url, user=USER))
    controller.start()
    until(loop, lambda: controller.reachable is True and controller.voicemail_counts is not None)
    yield shell, messages
    dispose_shell(shell)
    run(loop, controller.stop())


def test_the_tray_follows_a_call_the_relay_pushes(
    loop: qasync.QEventLoop,
    tray: tuple[Shell, Messages],
    sim: Simulator,
    tmp_path: Path,
) -> None:
    shell, messages = tray
    call_id = sim.ring(CALLER, USER, ring_s=30)
    until(loop, lambda: bool(shell.calls.popups.popups()), timeout=5)
    popup = shell.calls.popups.popups()[0]
    assert popup.call_id == str(call_id) and popup.isVisible()
    until(loop, lambda: popup.name_label.text() == JOSEF)  # the lookup through the relay
    assert shell.status.state == TrayState(True, new_voicemails=3, ringing=True)
    screenshot(popup, shots(tmp_path), "relay-popup.png")
    actions = len(sim.state.actions)
    popup.answer_button.click()  # answered through the relay, on the user's device
    until(loop, lambda: len(sim.state.actions) == actions + 1)
    assert sim.state.actions[-1].action == CallAction.OFFHOOK.value
    until(loop, lambda: not shell.calls.popups.popups(), timeout=5)
    assert messages.shown == []


def test_an_enrolment_link_asks_then_connects_the_app(
    loop: qasync.QEventLoop,
    app: Companion,
    relay: RunningRelay,  # noqa: F811
    tmp_path: Path,
) -> None:
    desktop = DesktopIntegration(app)
    bad = link("http://relay.example.com", "ABCD-EFGH")
    assert "must start with https://" in desktop.check_link(bad)
    uri = link(relay.url, relay.code(USER))
    assert desktop.check_link(uri) == ""
    desktop.open_link(uri)
    prompt = app.enrol_prompt
    assert prompt is not None and prompt.isVisible()
    assert relay.url in prompt.text()
    assert app.controller is None  # asked, not connected
    screenshot(prompt, shots(tmp_path), "relay-enrol-prompt.png")
    prompt.connect_button.click()
    until(loop, lambda: app.controller is not None and app.controller.reachable is True)
    saved = config.load().settings
    assert (saved.kind, saved.pbx_url, saved.user) == ("relay", relay.url, USER)
    token = credentials.get_password(saved.pbx_url, saved.rest_user)
    assert token is not None and token.startswith("crt_")
    assert token not in (config.settings_path()).read_text(encoding="utf-8")
    desktop.close()


def test_a_used_code_says_so_and_keeps_the_settings(
    loop: qasync.QEventLoop,
    app: Companion,
    relay: RunningRelay,  # noqa: F811
) -> None:
    code = relay.code(USER)
    spend(relay, code)  # another desktop used it first
    desktop = DesktopIntegration(app)
    desktop.open_link(link(relay.url, code))
    assert app.enrol_prompt is not None
    app.enrol_prompt.connect_button.click()
    until(loop, lambda: app.warning_box is not None and app.warning_box.isVisible())
    assert app.warning_box is not None and "not valid" in app.warning_box.text()
    assert app.controller is None
    assert not config.settings_path().exists()  # nothing was saved
    desktop.close()


def spend(relay: RunningRelay, code: str) -> None:  # noqa: F811
    answer = httpx.post(f"{relay.url}/v1/enrol", json={"code": code, "device": "other"})
    assert answer.status_code == 200


def test_the_first_start_connects_to_a_relay_with_a_code(
    loop: qasync.QEventLoop,
    app: Companion,
    relay: RunningRelay,  # noqa: F811
    tmp_path: Path,
) -> None:
    app.launch()
    until(loop, lambda: app.first_start is not None)
    assert app.first_start is not None
    app.first_start.relay_button.click()
    dialog = app.relay_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.relay_edit.setText(relay.url)
    dialog.code_edit.setText("WRONG-CODE")
    dialog.connect_button.click()
    until(loop, lambda: not dialog.busy and dialog.error_text() != "")
    assert "not valid" in dialog.error_text()
    screenshot(dialog, shots(tmp_path), "relay-dialog-wrong-code.png")
    dialog.code_edit.setText(relay.code(USER))
    dialog.connect_button.click()
    until(loop, lambda: app.controller is not None and app.controller.reachable is True)
    assert app.first_start is None and app.relay_dialog is None
    assert config.load().settings.kind == "relay"
    settings = app.open_settings()  # through a relay: its words, not the PBX's fields
    assert settings.relay_label.isVisible() and relay.url in settings.relay_label.text()
    assert not settings.url_edit.isVisible() and not settings.password_edit.isVisible()
    run(loop, asyncio.sleep(0.2))  # the dialog fits its wrapped lines once shown
    screenshot(settings, shots(tmp_path), "relay-settings.png")
    settings.poll_spin.setValue(60)
    settings.save_button.click()  # saving other settings checks the relay, keeps the token
    until(loop, lambda: app.settings_dialog is None and config.load().settings.poll_interval == 60)
    saved = config.load().settings
    assert (saved.kind, saved.pbx_url, saved.user) == ("relay", relay.url, USER)
    until(loop, lambda: app.controller is not None and app.controller.reachable is True)

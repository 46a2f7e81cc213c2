"""The guided first start against the demo PBX over a real socket: each step's check and
error, the user picked from the PBX's list, the region proposed, the password kept for
this session only without a keyring, the demo; and language and hotkeys applied at once.

Screenshots of each step go to $COMPANION_SHOTS_DIR (else the test's tmp dir).
"""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
import qasync
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from companion import config, credentials
from companion.app import Companion
from companion.config import Settings
from companion.desktop.integration import DesktopIntegration
from companion.simulator import Simulator
from companion.ui import first_start
from companion.ui.first_start import FirstStart
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import until
from tests.ui.test_app import logged_in, refreshed


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("COMPANION_SHOTS_DIR") or tmp_path / "shots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def shoot(dialog: FirstStart, shots: Path, name: str) -> None:
    QApplication.processEvents()
    assert dialog.grab().save(str(shots / f"{name}.png"))


def enter(dialog: FirstStart) -> None:
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)


def first_start_of(loop: qasync.QEventLoop, app: Companion) -> FirstStart:
    app.launch()
    until(loop, lambda: app.first_start is not None)
    dialog = app.first_start
    assert dialog is not None and dialog.isVisible()
    assert app.settings_dialog is None  # the guided start, not the whole form
    return dialog


def test_connect_to_a_pbx_step_by_step(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator, shots: Path
) -> None:
    dialog = first_start_of(loop, app)
    shoot(dialog, shots, "keyring-0-welcome")
    dialog.connect_button.click()
    assert dialog.step == first_start.ADDRESS

    dialog.url_edit.setText("ftp://pbx.example.com")
    enter(dialog)
    assert dialog.step == first_start.ADDRESS and "https" in dialog.error_text()
    dialog.url_edit.setText("https://127.0.0.1:9/nothing")  # nothing listens there
    enter(dialog)
    until(loop, lambda: not dialog.busy)
    assert dialog.step == first_start.ADDRESS and dialog.error_text()
    shoot(dialog, shots, "keyring-1-address-error")
    dialog.url_edit.setText(sim.base_url)
    enter(dialog)
    until(loop, lambda: dialog.step == first_start.CREDENTIALS)
    until(loop, lambda: dialog.keyring is not None)
    assert not dialog.session_only_check.isChecked()  # a keyring is there (in memory)

    dialog.password_edit.setText("wrong")
    enter(dialog)
    until(loop, lambda: not dialog.busy)
    assert dialog.step == first_start.CREDENTIALS and dialog.error_text()
    shoot(dialog, shots, "keyring-2-credentials-error")
    dialog.password_edit.setText(REST_PASSWORD)
    enter(dialog)
    until(loop, lambda: dialog.step == first_start.USER)
    assert dialog.user_list.count() >= 2  # the PBX's users to pick from
    dialog.user_filter.setText("muster")
    visible = [
        dialog.user_list.item(i).text()
        for i in range(dialog.user_list.count())
        if not dialog.user_list.item(i).isHidden()
    ]
    assert visible == ["Max Mustermann (mmuster, 101)"]
    shoot(dialog, shots, "keyring-3-user")
    enter(dialog)  # Enter in the search takes the one found
    until(loop, lambda: dialog.step == first_start.REGION)
    assert dialog.region_combo.currentData() == "DE"  # the demo's numbers are German
    shoot(dialog, shots, "keyring-4-region")
    enter(dialog)

    until(loop, lambda: refreshed(app))
    saved = config.load().settings
    assert (saved.pbx_url, saved.user, saved.region) == (sim.base_url, USER, "DE")
    assert credentials.get_password(sim.base_url, REST_USER) == REST_PASSWORD
    assert app.shell.status.summary == "connected as Max Mustermann (101)"


def test_back_keeps_what_was_entered(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    dialog = first_start_of(loop, app)
    dialog.connect_button.click()
    dialog.url_edit.setText(sim.base_url)
    dialog.next_button.click()
    until(loop, lambda: dialog.step == first_start.CREDENTIALS)
    dialog.next_button.click()  # no password yet
    assert dialog.error_text() == "Enter the REST password."
    dialog.back_button.click()
    assert dialog.step == first_start.ADDRESS and dialog.url_edit.text() == sim.base_url


def test_without_a_keyring_the_password_is_kept_for_this_session(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator, shots: Path
) -> None:
    keyring.set_keyring(fail.Keyring())  # as on a desktop without a Secret Service
    dialog = first_start_of(loop, app)
    dialog.connect_button.click()
    dialog.url_edit.setText(sim.base_url)
    enter(dialog)
    until(loop, lambda: dialog.keyring is not None)
    assert dialog.session_only_check.isChecked()
    assert "gnome-keyring" in dialog.keyring_label.text() or "KWallet" in (
        dialog.keyring_label.text()
    )
    dialog.password_edit.setText(REST_PASSWORD)
    shoot(dialog, shots, "nokeyring-2-credentials")
    enter(dialog)
    until(loop, lambda: dialog.step == first_start.USER)
    dialog.user_filter.setText("101")
    enter(dialog)
    until(loop, lambda: dialog.step == first_start.REGION)
    shoot(dialog, shots, "nokeyring-4-region")
    enter(dialog)
    until(loop, lambda: refreshed(app))  # connected, not "nothing was saved"
    assert config.load().settings.user == USER
    settings_file = Path(os.environ["COMPANION_CONFIG_DIR"]) / "settings.toml"
    assert REST_PASSWORD not in settings_file.read_text()  # never a plain file
    assert app.password == REST_PASSWORD  # in memory, for this session


def test_next_start_without_a_keyring_asks_for_the_password_again(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    config.save(Settings(pbx_url=sim.base_url, rest_user=REST_USER, user=USER))
    keyring.set_keyring(fail.Keyring())
    app.launch()
    until(loop, lambda: app.settings_dialog is not None)
    dialog = app.settings_dialog
    assert dialog is not None and dialog.session_only_check.isChecked()
    assert "gnome-keyring" in dialog.message_label.text()
    dialog.password_edit.setText(REST_PASSWORD)
    dialog.save_button.click()
    until(loop, lambda: refreshed(app))
    assert app.password == REST_PASSWORD


def test_try_the_demo(
    loop: qasync.QEventLoop, app: Companion, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path / "before-demo"))
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache-before-demo"))
    dialog = first_start_of(loop, app)
    dialog.demo_button.click()
    until(loop, lambda: refreshed(app), timeout=20)
    assert app.demo and app.shell.app_name == "Companion (demo)"
    assert app.first_start is None
    assert not (tmp_path / "before-demo" / "settings.toml").exists()  # real settings untouched


def test_language_and_hotkeys_apply_at_once(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    logged_in(sim)
    integration = DesktopIntegration(app)
    app.launch()
    until(loop, lambda: refreshed(app))
    assert app.shell.menu is not None
    english = app.shell.menu.settings_action.text()

    dialog = app.open_settings()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("de"))
    dialog.hotkey_dial_edit.setText("Ctrl+Alt+K")
    dialog.save_button.click()
    until(loop, lambda: refreshed(app) and app.settings.language == "de")
    until(loop, lambda: any("Ctrl+Alt+K" in text for text in integration.hotkey_problems))
    assert app.shell.menu is not None
    assert english == "&Settings…"
    assert app.shell.menu.settings_action.text() == "&Einstellungen…"  # no restart
    integration.close()

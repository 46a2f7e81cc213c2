"""The settings dialog's innovaphone part against the innovaphone demo PBX: the App-object
password route next to the myApps login, and no "Look for calls every" for a PBX that
pushes its calls."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QLabel

from companion import config, credentials
from companion.backends import keyring_name
from companion.config import Settings
from companion.simulator.innovaphone import InnovaphoneSimulator
from companion.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import until
from tests.ui.test_tray import dispose

USER = "mmuster"
APP, APP_PASSWORD = "companion", "companion-secret"
SHOTS = Path(os.environ.get("COMPANION_SHOTS", "/tmp/h-innopolish-shots"))


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


def shown(loop: qasync.QEventLoop, dialog: SettingsDialog, name: str) -> None:
    """Show the dialog, let it fit its height (a zero-timer after showEvent), grab it."""
    dialog.show()
    layout = dialog.layout()
    assert layout is not None
    until(loop, lambda: dialog.height() >= layout.totalHeightForWidth(dialog.width()))
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / name))


def innovaphone(dialog: SettingsDialog, url: str) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("innovaphone"))
    dialog.url_edit.setText(url)
    dialog.user_edit.setText(USER)


def password_caption(dialog: SettingsDialog) -> str:
    caption = dialog.password_row[0]
    assert isinstance(caption, QLabel)
    return caption.text()


def test_the_app_object_route_logs_in_with_its_password_and_keeps_it_in_the_keyring(
    loop: qasync.QEventLoop, inno: InnovaphoneSimulator, config_dir: Path, memory_keyring: None
) -> None:
    dialog = SettingsDialog(Settings(), "")
    try:
        saved: list[Settings] = []
        dialog.saved.connect(saved.append)
        innovaphone(dialog, inno.url)
        rows = dialog.innovaphone
        assert rows.app_login_check.isVisibleTo(dialog) and not rows.app_login
        assert rows.app_edit.text() == "companion"  # the default App object
        assert password_caption(dialog) == "Password:"
        rows.app_login_check.setChecked(True)
        assert password_caption(dialog) == "App object password:"
        dialog.password_edit.setText("not-the-secret")
        dialog.save_button.click()
        until(loop, lambda: not dialog.busy)
        assert not saved and "refused" in dialog.result_text()
        assert inno.received["AppLogin"] == 1  # the App object's login was tried, not myApps
        dialog.password_edit.setText(APP_PASSWORD)
        shown(loop, dialog, "settings-innovaphone-app-object.png")
        dialog.save_button.click()
        until(loop, lambda: bool(saved))
        stored = config.load().settings
        assert (stored.kind, stored.login, stored.app, stored.user) == (
            "innovaphone", "app", APP, USER
        )  # fmt: skip
        assert credentials.get_password(inno.url, keyring_name(stored)) == APP_PASSWORD
        assert keyring_name(stored) == "app companion"
    finally:
        dispose(dialog)


def test_an_app_object_route_saved_before_is_shown_as_it_was(
    loop: qasync.QEventLoop, inno: InnovaphoneSimulator
) -> None:
    settings = Settings(kind="innovaphone", pbx_url=inno.url, user=USER, login="app", app="crm")
    dialog = SettingsDialog(settings, "secret")
    try:
        assert dialog.innovaphone.app_login and dialog.innovaphone.app_edit.text() == "crm"
        assert password_caption(dialog) == "App object password:"
        entered = dialog.values()
        assert entered is not None
        assert (entered[0].login, entered[0].app) == ("app", "crm")
        dialog.innovaphone.app_login_check.setChecked(False)  # back to the myApps login
        entered = dialog.values()
        assert entered is not None and entered[0].login == "user"
        dialog.password_edit.clear()
        dialog.user_edit.clear()
        assert dialog.values() is None
        assert dialog.field_errors["password"].text() == "Enter your myApps password."
        assert dialog.field_errors["pbx.user"].text() == "Enter your myApps login name."
    finally:
        dispose(dialog)


def test_look_for_calls_every_shows_for_pascom_only(
    loop: qasync.QEventLoop, inno: InnovaphoneSimulator
) -> None:
    dialog = SettingsDialog(Settings(), "")
    try:
        live = dialog.row_widgets["calls.live_interval"]
        assert all(w.isVisibleTo(dialog) for w in live)  # pascom: caption, field, hint
        hint = live[-1]
        assert isinstance(hint, QLabel) and "asks the PBX about your calls" in hint.text()
        assert not dialog.innovaphone.app_login_check.isVisibleTo(dialog)
        assert not dialog.innovaphone.app_edit.isVisibleTo(dialog)
        innovaphone(dialog, inno.url)
        assert not any(w.isVisibleTo(dialog) for w in live)  # innovaphone pushes its calls
        assert dialog.innovaphone.app_edit.isVisibleTo(dialog)
        shown(loop, dialog, "settings-innovaphone-user.png")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("pascom"))
        assert all(w.isVisibleTo(dialog) for w in live)
        shown(loop, dialog, "settings-pascom.png")
    finally:
        dispose(dialog)

"""The settings dialog against the demo PBX: each failure in words, nothing saved by testing,
the password only in the keyring, "Save anyway" only when the PBX cannot be reached."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
import qasync
import shiboken6
import trustme
from keyring.backends import null
from PySide6.QtWidgets import QApplication

from companion import config, credentials
from companion.config import Settings
from companion.simulator import Simulator
from companion.ui.settings_dialog import SettingsDialog
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until

MakeDialog = Callable[..., SettingsDialog]


@pytest.fixture
def make_dialog(
    loop: qasync.QEventLoop, config_dir: Path, memory_keyring: None
) -> Iterator[MakeDialog]:
    made: list[SettingsDialog] = []

    def make(settings: Settings, password: str = "") -> SettingsDialog:
        dialog = SettingsDialog(settings, password)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        if shiboken6.isValid(dialog):
            shiboken6.delete(dialog)  # here, not on another thread by the cycle collector


def demo_settings(sim: Simulator) -> Settings:
    return Settings(pbx_url=sim.base_url, rest_user=REST_USER, user=USER, region="DE")


def press_test(loop: qasync.QEventLoop, dialog: SettingsDialog) -> str:
    dialog.test_button.click()
    assert dialog.busy
    until(loop, lambda: not dialog.busy)
    return dialog.result_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- test connection -------------------------------------------------------------------------


def test_right_values_say_who_the_user_is(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, config_dir: Path
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    assert press_test(loop, dialog) == "Connected: Max Mustermann, extension 101"
    assert not config_dir.exists()  # testing saves nothing
    assert credentials.get_password(sim.base_url, REST_USER) is None


def test_wrong_password_is_named(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator
) -> None:
    dialog = make_dialog(demo_settings(sim), "wrong")
    text = press_test(loop, dialog)
    assert text.startswith("The PBX refused the REST user name or password.")


def test_unreachable_host_is_named(loop: qasync.QEventLoop, make_dialog: MakeDialog) -> None:
    url = f"http://127.0.0.1:{free_port()}/demo"
    dialog = make_dialog(Settings(pbx_url=url, user=USER), REST_PASSWORD)
    text = press_test(loop, dialog)
    assert text == (
        "The PBX at 127.0.0.1 cannot be reached. Check the PBX address and your network."
    )
    assert not dialog.save_anyway_button.isVisible()  # testing offers no saving


def test_unknown_user_is_named(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    dialog.user_edit.setText("nobody")
    assert press_test(loop, dialog).startswith("The PBX has no user 'nobody'.")


def test_untrusted_certificate_is_named_and_the_ca_file_fixes_it(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "c.pem", tmp_path / "k.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    with Simulator.start(ssl_certfile=cert_file, ssl_keyfile=key_file) as tls:
        dialog = make_dialog(demo_settings(tls), REST_PASSWORD)
        assert "certificate is not trusted" in press_test(loop, dialog)

        monkeypatch.setattr(dialog, "choose_ca_file", lambda current: str(ca_file))
        dialog.ca_button.click()
        assert dialog.ca_edit.text() == str(ca_file)
        assert press_test(loop, dialog) == "Connected: Max Mustermann, extension 101"


def test_wrong_fields_are_named_next_to_them(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, config_dir: Path
) -> None:
    dialog = make_dialog(Settings())
    dialog.url_edit.setText("ftp://pbx.example.com")
    dialog.region_combo.setEditText("XX")
    dialog.save_button.click()
    assert not dialog.busy  # nothing is sent with wrong values
    errors = {key: label.text() for key, label in dialog.field_errors.items() if label.text()}
    assert set(errors) == {"pbx.url", "pbx.user", "dialing.region", "password"}
    assert "must start with https://" in errors["pbx.url"]
    assert "two-letter country code" in errors["dialing.region"]
    assert not config_dir.exists()


# -- save ---------------------------------------------------------------------------------


def test_save_keeps_the_password_in_the_keyring_only(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, config_dir: Path
) -> None:
    dialog = make_dialog(Settings())
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.url_edit.setText(sim.base_url + "/services/")  # normalised on the way
    dialog.user_edit.setText(USER)
    dialog.password_edit.setText(REST_PASSWORD)
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("AT"))
    dialog.poll_spin.setValue(45)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("de"))
    dialog.save_button.click()
    until(loop, lambda: saved)

    assert saved[0].pbx_url == sim.base_url
    assert credentials.get_password(sim.base_url, REST_USER) == REST_PASSWORD
    stored = config.load().settings
    assert (stored.pbx_url, stored.user, stored.region) == (sim.base_url, USER, "AT")
    assert (stored.poll_interval, stored.language, stored.rest_user) == (45, "de", "moby")
    text = config.settings_path().read_text()
    assert REST_PASSWORD not in text
    assert dialog.result() == dialog.DialogCode.Accepted


def test_save_with_refused_credentials_saves_nothing(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, config_dir: Path
) -> None:
    dialog = make_dialog(demo_settings(sim), "wrong")
    dialog.save_button.click()
    until(loop, lambda: not dialog.busy)
    assert "refused the REST user name or password" in dialog.result_text()
    assert not dialog.save_anyway_button.isVisibleTo(dialog)  # refused: no "anyway"
    assert not config_dir.exists()
    assert credentials.get_password(sim.base_url, REST_USER) is None


def test_unreachable_pbx_can_be_saved_anyway(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, config_dir: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/demo"
    dialog = make_dialog(Settings(pbx_url=url, user=USER), REST_PASSWORD)
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: not dialog.busy)
    assert "cannot be reached" in dialog.result_text()
    assert "save anyway" in dialog.result_text()
    assert dialog.save_anyway_button.isVisibleTo(dialog)
    assert not config_dir.exists()

    dialog.save_anyway_button.click()
    until(loop, lambda: saved)
    assert config.load().settings.pbx_url == url
    assert credentials.get_password(url, REST_USER) == REST_PASSWORD


def test_keyring_failure_is_shown_and_nothing_is_saved(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, config_dir: Path
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    keyring.set_keyring(null.Keyring())  # the memory keyring fixture puts it back
    dialog.save_button.click()
    until(loop, lambda: not dialog.busy)
    assert dialog.result_text().startswith("Nothing was saved: The keyring is switched off")
    assert not config_dir.exists()


def test_start_at_login_hotkeys_and_link_confirmation_are_saved(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, tmp_path: Path
) -> None:
    entry = tmp_path / "xdg-config" / "autostart" / "companion.desktop"
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    assert dialog.confirm_links_check.isChecked() and not dialog.autostart_check.isChecked()
    dialog.autostart_check.setChecked(True)
    dialog.confirm_links_check.setChecked(False)
    dialog.hotkey_selection_edit.setText("Ctrl+Alt+K")
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: saved)
    stored = config.load().settings
    assert (stored.start_at_login, stored.confirm_links) == (True, False)
    assert stored.hotkey_dial_selection == "Ctrl+Alt+K"
    assert entry.is_file() and "Exec=" in entry.read_text()

    again = make_dialog(stored, REST_PASSWORD)
    again.autostart_check.setChecked(False)
    again.saved.connect(saved.append)
    again.save_button.click()
    until(loop, lambda: len(saved) == 2)
    assert not entry.exists()


def test_a_hotkey_without_a_modifier_is_refused_next_to_it(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    dialog.hotkey_dial_edit.setText("D")
    assert dialog.values() is None
    assert dialog.field_errors["hotkeys.open_dial"].text()


def test_the_dialog_shows_the_version(make_dialog: MakeDialog) -> None:
    from companion import __version__

    assert make_dialog(Settings()).version_label.text() == f"Companion {__version__}"


# -- calls -----------------------------------------------------------------------------------


def test_call_settings_show_the_defaults(make_dialog: MakeDialog) -> None:
    dialog = make_dialog(Settings())
    assert dialog.popups_check.isChecked()
    assert not dialog.popups_external_check.isChecked()
    assert dialog.popups_external_check.isEnabled()
    assert dialog.live_spin.value() == 2
    assert (dialog.live_spin.minimum(), dialog.live_spin.maximum()) == (1, 30)
    assert dialog.crm_edit.text() == ""
    assert not dialog.crm_on_answer_check.isChecked()
    # "only from outside" means nothing without pop-ups
    dialog.popups_check.setChecked(False)
    assert not dialog.popups_external_check.isEnabled()


def test_call_settings_are_saved_and_shown_again(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    dialog.popups_external_check.setChecked(True)
    dialog.live_spin.setValue(7)
    dialog.crm_edit.setText(" https://crm.example.com/search?phone={e164}&name={name} ")
    dialog.crm_on_answer_check.setChecked(True)
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: saved)
    stored = config.load().settings
    assert stored.call_popups and stored.call_popups_external_only
    assert stored.live_interval == 7
    assert stored.crm_url == "https://crm.example.com/search?phone={e164}&name={name}"
    assert stored.crm_open_on_answer

    again = make_dialog(stored, REST_PASSWORD)
    assert again.popups_external_check.isChecked() and again.crm_on_answer_check.isChecked()
    assert again.live_spin.value() == 7
    assert again.crm_edit.text() == stored.crm_url
    again.popups_check.setChecked(False)
    again.saved.connect(saved.append)
    again.save_button.click()
    until(loop, lambda: len(saved) == 2)
    assert config.load().settings.call_popups is False


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("crm.example.com/?q={number}", "https://"),
        ("https://crm.example.com/?q={phone}", "unknown placeholder {phone}"),
    ],
)
def test_a_wrong_crm_link_is_refused_next_to_it(
    make_dialog: MakeDialog, sim: Simulator, config_dir: Path, template: str, words: str
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    dialog.crm_edit.setText(template)
    assert dialog.values() is None
    error = dialog.field_errors["calls.crm_url"]
    assert words in error.text() and not error.isHidden()
    assert not config_dir.exists()


# -- the dialog's layout and its end ------------------------------------------------------


@pytest.mark.parametrize("password", [REST_PASSWORD, "wrong"])
def test_the_buttons_stay_where_they_are_when_the_result_appears(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator, password: str,
    tmp_path: Path,
) -> None:
    dialog = make_dialog(demo_settings(sim), password)
    dialog.show()
    until(loop, lambda: dialog.isVisible())
    buttons = (dialog.test_button, dialog.save_button, dialog.cancel_button)
    before = [b.mapTo(dialog, b.rect().topLeft()) for b in buttons]
    assert press_test(loop, dialog)  # a result: green, or a reason in words
    assert dialog.result_label.isVisible()
    QApplication.processEvents()
    assert [b.mapTo(dialog, b.rect().topLeft()) for b in buttons] == before
    shots = Path(os.environ.get("COMPANION_SHOTS", tmp_path))
    assert dialog.grab().save(str(shots / f"settings-result-{len(password)}.png"))


def test_save_then_close_leaves_no_error_behind(
    loop: qasync.QEventLoop, make_dialog: MakeDialog, sim: Simulator
) -> None:
    dialog = make_dialog(demo_settings(sim), REST_PASSWORD)
    dialog.finished.connect(dialog.deleteLater)  # as the app does once it is closed
    dialog.show()
    errors: list[dict[str, object]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        saved: list[Settings] = []
        dialog.saved.connect(saved.append)
        dialog.save_button.click()
        until(loop, lambda: saved and not shiboken6.isValid(dialog))
        run(loop, asyncio.sleep(0.1))  # the save's task ends after the dialog is gone
    finally:
        loop.set_exception_handler(previous)
    assert errors == []

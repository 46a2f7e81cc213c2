"""The German translation: complete, up to date with the code, and shown by the widgets.

`resources/translations/companion_de.ts` is the source; `companion.ui.i18n` compiles it
with PySide6's lrelease into the user's cache dir, here a temporary one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import keyring
import platformdirs
import pytest
import qasync
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTranslator
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion import config, credentials
from companion.app import Companion
from companion.config import Settings
from companion.controller import Controller
from companion.ui import i18n
from companion.ui.dial_window import DialWindow
from companion.ui.settings_dialog import SettingsDialog
from companion.ui.tray_menu import TrayMenu
from companion.ui.tray_status import describe
from tests.ui.conftest import run, until

REPO = Path(__file__).resolve().parents[2]
GERMAN_TS = REPO / "resources" / "translations" / "companion_de.ts"
UPDATE_SCRIPT = REPO / "scripts" / "update_translations.sh"

# What must survive translation: {name} and {0} for str.format, %1 and %n for Qt.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d")


def messages(path: Path) -> list[tuple[str, ET.Element]]:
    """(context name, <message>) for every message of a .ts file."""
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def sources(path: Path) -> set[tuple[str, str]]:
    return {(context, message.findtext("source") or "") for context, message in messages(path)}


def forms(message: ET.Element) -> list[str]:
    """The translation, or each plural form of it."""
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def accelerators(text: str) -> int:
    return text.replace("&&", "").count("&")


def dispose(*objects: QObject | None) -> None:
    """Delete Qt objects now, on this thread (not later by the cycle collector)."""
    for thing in objects:
        if thing is not None and shiboken6.isValid(thing):
            shiboken6.delete(thing)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Compiled .qm files go to a temporary cache dir, not the user's."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(directory))
    # the same where platformdirs does not read XDG_CACHE_HOME (Windows, macOS)
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name: str(directory / name))
    return directory


@pytest.fixture
def german(qapp: QApplication, cache_dir: Path) -> Iterator[list[QTranslator]]:
    translators = i18n.install(qapp, "de")
    yield translators
    i18n.uninstall(qapp, translators)
    dispose(*translators)


# -- the .ts file ---------------------------------------------------------------------------


def test_every_message_is_translated_and_keeps_its_placeholders() -> None:
    found = messages(GERMAN_TS)
    assert len(found) > 200
    problems = []
    for context, message in found:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        where = f"{context}: {source!r}"
        if translation.get("type"):  # unfinished, vanished, obsolete
            problems.append(f"{where} is {translation.get('type')}")
            continue
        german = forms(message)
        if message.get("numerus") == "yes" and len(german) != 2:
            problems.append(f"{where} needs two plural forms (one, other), has {len(german)}")
        for text in german:
            if not text.strip():
                problems.append(f"{where} has an empty translation")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{where}: placeholders differ in {text!r}")
            elif accelerators(text) != accelerators(source):
                problems.append(f"{where}: a shortcut key (&) is lost or added in {text!r}")
            elif text.count("\n") != source.count("\n"):
                problems.append(f"{where}: the lines differ in {text!r}")
            elif source.endswith("…") != text.endswith("…"):
                problems.append(f"{where}: the trailing … differs in {text!r}")
    assert not problems, "\n".join(problems)


def test_the_ts_file_has_every_text_of_the_code_and_no_other(tmp_path: Path) -> None:
    """Running scripts/update_translations.sh finds no text the .ts does not have yet, and
    drops none (a text the code no longer says, or says in another context)."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to run scripts/update_translations.sh")
    copy = tmp_path / GERMAN_TS.name
    shutil.copy(GERMAN_TS, copy)
    done = subprocess.run(
        [bash, str(UPDATE_SCRIPT), str(copy)],
        cwd=REPO,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    new = sources(copy) - sources(GERMAN_TS)
    assert not new, (
        "texts in the code that resources/translations/companion_de.ts lacks (run"
        " scripts/update_translations.sh and translate them):\n"
        + "\n".join(f"{context}: {source!r}" for context, source in sorted(new))
    )
    gone = sources(GERMAN_TS) - sources(copy)
    assert not gone, (
        "texts in resources/translations/companion_de.ts that the code no longer has (run"
        " scripts/update_translations.sh, or remove them):\n"
        + "\n".join(f"{context}: {source!r}" for context, source in sorted(gone))
    )


def test_the_ts_file_compiles(qapp: QApplication, cache_dir: Path) -> None:
    compiled = i18n.compiled("de")
    assert compiled is not None and compiled.is_relative_to(cache_dir)
    translator = QTranslator()
    assert translator.load(str(compiled))
    assert translator.translate("CallPanel", "Hang up") == "Auflegen"
    assert translator.translate("Tray", "&Dial…") == "&Wählen…"  # a text of a _tr() helper
    assert translator.translate("Companion", "Companion") == "Companion"
    one = translator.translate("DialWindow", "{0} has only %n number(s) to call.", None, 1)
    two = translator.translate("DialWindow", "{0} has only %n number(s) to call.", None, 2)
    assert one == "{0} hat nur %n Nummer zum Anrufen."
    assert two == "{0} hat nur %n Nummern zum Anrufen."


# -- the widgets ------------------------------------------------------------------------------


def labels(widget: QObject) -> set[str]:
    return {label.text() for label in widget.findChildren(QLabel)}


def test_the_dial_window_speaks_german(
    loop: qasync.QEventLoop,
    controller: Controller,
    qtbot: QtBot,
    qapp: QApplication,
    german: list[QTranslator],
) -> None:
    assert german  # qtbase_de and companion_de
    window = DialWindow(controller)
    qtbot.addWidget(window)
    window.show_and_focus()
    until(loop, lambda: not window.search_pending and window.model.rowCount() > 0)
    assert window.windowTitle() == "Wählen"
    assert window.search.placeholderText() == "Name oder Nummer"
    assert window.search.toolTip().startswith("Name, Firma oder Nummer eingeben.\n")
    assert window.caption.text() == "Letzte Anrufe"
    assert (window.call_button.text(), window.hangup_button.text()) == ("Anrufen", "Auflegen")
    assert window.transfer_button.text() == "Vermitteln"
    assert any("eingehend" in row.detail for row in window.model.rows)

    window.search.setText("Tina")
    until(loop, lambda: not window.search_pending and window.shown_query == "Tina")
    [tina] = [row for row in window.model.rows if row.title == "Tina Sander"]
    assert (tina.source, tina.presence_text) == ("intern", "offline")
    assert [t.kind for t in tina.targets] == ["Telefon", "Mobil"]
    assert window.caption.text() == "1 Kontakt"

    i18n.uninstall(qapp, german)
    until(loop, lambda: window.windowTitle() == "Dial")  # switches while open
    assert window.search.placeholderText() == "Name or number"
    english = DialWindow(controller)
    qtbot.addWidget(english)
    assert english.search.placeholderText() == "Name or number"
    assert english.hangup_button.text() == "Hang up"


def test_the_tray_menu_speaks_german(
    controller: Controller, qapp: QApplication, german: list[QTranslator]
) -> None:
    menu = TrayMenu()
    try:
        menu.set_controller(controller)
        texts = [a.text() for a in menu.actions() if a.text()]
        assert texts[0] == menu.status_action.text()
        assert texts[1].startswith("Präsenz: ")  # the header: presence and redirect
        assert [t for t in texts if t in ("&Wählen…", "&Letzte Anrufe", "&Präsenz")] == [
            "&Wählen…",
            "&Letzte Anrufe",
            "&Präsenz",
        ]
        assert menu.redirect_menu.title() == "&Rufumleitung"
        assert menu.redirect.to_action.text() == "Umleiten auf…"
        assert menu.switches_menu.title() == "&Schalter"
        assert menu.fax_action.text() == "&Faxe"
        assert menu.voicemail_action.text().startswith("&Voicemail")
        assert (menu.settings_action.text(), menu.quit_action.text()) == (
            "&Einstellungen…",
            "&Beenden",
        )
        assert describe(controller).summary == "verbunden als Max Mustermann (101)"
        assert describe(None).summary.startswith("nicht eingerichtet")
    finally:
        menu.set_controller(None)
        dispose(menu)

    i18n.uninstall(qapp, german)
    english = TrayMenu()
    try:
        assert english.dial_action.text() == "&Dial…"
        assert english.switches_menu.title() == "S&witches"
        assert describe(None).summary.startswith("not set up")
    finally:
        dispose(english)


def test_the_settings_dialog_speaks_german(qapp: QApplication, german: list[QTranslator]) -> None:
    dialog = SettingsDialog(Settings())
    try:
        assert dialog.windowTitle() == "Einstellungen"
        assert dialog.test_button.text() == "&Verbindung testen"
        assert (dialog.save_button.text(), dialog.cancel_button.text()) == (
            "&Speichern",
            "Abbrechen",
        )
        assert dialog.language_combo.itemText(0) == "Systemsprache"
        assert {"REST-Passwort:", "Sprache:", "Land/Region:"} <= labels(dialog)
        assert "Wirkt sofort." in labels(dialog)  # the language applies at once
        assert dialog.values() is None  # nothing entered: each problem in German
        assert "Geben Sie das REST-Passwort ein." in labels(dialog)
    finally:
        dispose(dialog)

    i18n.uninstall(qapp, german)
    english = SettingsDialog(Settings())
    try:
        assert english.windowTitle() == "Settings"  # Qt adds " — Companion" on Linux and Windows
        assert english.test_button.text() == "&Test connection"
    finally:
        dispose(english)


# -- the app --------------------------------------------------------------------------------------


@pytest.fixture
def companion_in_german(
    qapp: QApplication,
    loop: qasync.QEventLoop,
    tmp_path: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Companion]:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    credentials.use_memory_keyring()
    config.save(Settings(language="de"))  # first start: no PBX yet, but German chosen
    companion = Companion(qapp, tray_available=lambda: False)
    yield companion
    run(loop, companion.shutdown())
    keyring.set_keyring(previous)
    shell = companion.shell
    dispose(companion.settings_dialog, companion.first_start)
    dispose(shell.window, shell.menu, shell, companion)


def test_the_app_starts_in_the_language_of_its_settings(
    loop: qasync.QEventLoop, companion_in_german: Companion
) -> None:
    app = companion_in_german
    app.launch()
    until(loop, lambda: app.first_start is not None)  # no PBX yet: the guided start
    assert app.translators
    first_start = app.first_start
    assert first_start is not None
    assert first_start.windowTitle().startswith("Willkommen bei Companion")
    window = app.shell.window  # made before the settings were read: made anew in German
    assert window is not None and window.isVisible()
    assert app.shell.menu.dial_action.text() == "&Wählen…"
    assert window.reason_label.text().startswith("Ihr Desktop zeigt keinen Infobereich")
    assert window.status_label.text().startswith("Nicht eingerichtet")

    run(loop, app.shutdown())
    assert app.translators == []
    assert QCoreApplication.translate("Tray", "&Dial…") == "&Dial…"


# -- the system's language ------------------------------------------------------------------------


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="Qt reads the system locale from LANG/LC_ALL/LANGUAGE only on Linux",
)
@pytest.mark.parametrize(
    ("environment", "setting", "language"),
    [
        ({"LANG": "de_DE.UTF-8"}, "", "de"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "", "de"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "de:en"}, "", "de"),
        ({"LANG": "en_GB.UTF-8"}, "", "en"),
        ({"LANG": "fr_FR.UTF-8"}, "", "en"),  # neither: English
        ({"LANG": "de_DE.UTF-8"}, "en", "en"),  # the setting wins
        ({"LANG": "en_US.UTF-8"}, "de", "de"),
    ],
)
def test_the_language_follows_the_system_unless_set(
    environment: dict[str, str], setting: str, language: str
) -> None:
    """In a process of its own: QLocale.system() is read once per process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from companion.ui.i18n import language_for;"
            " print(language_for(sys.argv[1]))",
            setting,
        ],
        cwd=REPO,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == language

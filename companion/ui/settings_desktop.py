"""The settings dialog's rows about this desktop: the language, links, the global
hotkeys and starting at login; and making the start-at-login entry match."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from companion.config import Settings
from companion.desktop import autostart
from companion.desktop.hotkeys import HotkeyError, parse_keys
from companion.ui.settings_form import SettingsForm, select

LANGUAGES = (("en", "English"), ("de", "Deutsch"))  # each in its own language
HOTKEYS = ("hotkeys.dial_selection", "hotkeys.open_dial")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)  # the dialog's, as before


class DesktopRows:
    """The language, asking before a link dials, the hotkeys, starting at login."""

    def __init__(self, parent: QWidget, form: SettingsForm, settings: Settings) -> None:
        s = settings
        self.language_combo = QComboBox(parent)
        self.language_combo.addItem(_tr("System"), "")
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        select(self.language_combo, s.language, free_text=False)
        form.row(
            _tr("Language:"),
            self.language_combo,
            "ui.language",
            _tr("Takes effect at once."),
        )
        self.confirm_links_check = QCheckBox(_tr("Ask before a link or the hotkey dials"), parent)
        self.confirm_links_check.setChecked(s.confirm_links)
        form.row(
            _tr("Links:"),
            self.confirm_links_check,
            "dialing.confirm_links",
            _tr("Links come from web pages: asking shows the number before it rings."),
        )
        self.hotkey_selection_edit = QLineEdit(s.hotkey_dial_selection, parent)
        self.hotkey_selection_edit.setPlaceholderText("Ctrl+Alt+D")
        form.row(_tr("Dial the selection:"), self.hotkey_selection_edit, "hotkeys.dial_selection")
        self.hotkey_dial_edit = QLineEdit(s.hotkey_open_dial, parent)
        self.hotkey_dial_edit.setPlaceholderText("Ctrl+Alt+F")
        form.row(
            _tr("Open the dial window:"),
            self.hotkey_dial_edit,
            "hotkeys.open_dial",
            _tr(
                "Global hotkeys take effect at once. Where the desktop "
                "offers apps no global hotkeys, bind this command to a key in the "
                "desktop's keyboard settings: companion dial --selection"
            ),
        )
        self.autostart_check = QCheckBox(_tr("Start Companion when I log in"), parent)
        self.autostart_check.setChecked(s.start_at_login)
        form.row(_tr("Start:"), self.autostart_check, "ui.start_at_login")

    def fields(self) -> dict[str, str]:
        """The settings these rows stand for, as `companion config` takes them."""
        return {
            "ui.language": str(self.language_combo.currentData() or ""),
            "dialing.confirm_links": "true" if self.confirm_links_check.isChecked() else "false",
            "hotkeys.dial_selection": self.hotkey_selection_edit.text(),
            "hotkeys.open_dial": self.hotkey_dial_edit.text(),
            "ui.start_at_login": "true" if self.autostart_check.isChecked() else "false",
        }


def hotkey_problems(fields: dict[str, str], problems: dict[str, str]) -> dict[str, str]:
    """What is wrong with hotkeys the settings took: keys the desktop cannot grab."""
    found: dict[str, str] = {}
    for key in HOTKEYS:
        if key not in problems and fields[key].strip():
            try:  # also what the desktop can grab: not a bare letter the user types
                parse_keys(fields[key])
            except HotkeyError as exc:
                found[key] = str(exc)
    return found


def apply_autostart(enabled: bool) -> None:
    """Make the platform's start-at-login entry match the setting."""
    if enabled != autostart.is_enabled():
        (autostart.enable if enabled else autostart.disable)()

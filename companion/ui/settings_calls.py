"""The settings dialog's rows about calls: the pop-up, how often to look for calls, and
the CRM link."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox, QWidget

from companion import config
from companion.config import Settings
from companion.ui.settings_form import SettingsForm


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)  # the dialog's, as before


def _flag(check: QCheckBox) -> str:
    return "true" if check.isChecked() else "false"


class CallRows:
    """Incoming calls: the pop-up (or a notification), polling for calls, the CRM link."""

    def __init__(self, parent: QWidget, form: SettingsForm, settings: Settings) -> None:
        s = settings
        self.popups_check = QCheckBox(_tr("Show a pop-up when a call comes in"), parent)
        self.popups_check.setChecked(s.call_popups)
        form.row(
            _tr("Incoming calls:"),
            self.popups_check,
            "calls.popups",
            _tr("Without the pop-up, a desktop notification says who is calling."),
        )
        self.popups_external_check = QCheckBox(_tr("Only for callers from outside"), parent)
        self.popups_external_check.setChecked(s.call_popups_external_only)
        self.popups_external_check.setEnabled(s.call_popups)
        self.popups_check.toggled.connect(self.popups_external_check.setEnabled)
        form.row("", self.popups_external_check, "calls.popups_external_only")
        self.live_spin = QSpinBox(parent)
        self.live_spin.setRange(config.MIN_LIVE_INTERVAL, config.MAX_LIVE_INTERVAL)
        self.live_spin.setValue(s.live_interval)
        self.live_spin.setSuffix(_tr(" s"))
        # pascom only: an innovaphone PBX tells of calls itself (pushes them)
        self.live_row = form.row(
            _tr("Look for calls every:"),
            self.live_spin,
            "calls.live_interval",
            _tr(
                "How often Companion asks the PBX about your calls: a shorter time shows"
                " an incoming call sooner and asks the PBX more often."
            ),
        )
        self.crm_edit = QLineEdit(s.crm_url, parent)
        self.crm_edit.setPlaceholderText("https://crm.example.com/search?phone={e164}")
        form.row(
            _tr("CRM link:"),
            self.crm_edit,
            "calls.crm_url",
            _tr(
                "Optional. {number}, {e164} and {name} are replaced by the caller's number"
                " (as dialled, or in international form) and name."
            ),
        )
        self.crm_on_answer_check = QCheckBox(_tr("Open the CRM link when I answer"), parent)
        self.crm_on_answer_check.setChecked(s.crm_open_on_answer)
        form.row("", self.crm_on_answer_check, "calls.crm_open_on_answer")

    def fields(self) -> dict[str, str]:
        """The settings these rows stand for, as `companion config` takes them."""
        return {
            "calls.popups": _flag(self.popups_check),
            "calls.popups_external_only": _flag(self.popups_external_check),
            "calls.live_interval": str(self.live_spin.value()),
            "calls.crm_url": self.crm_edit.text(),
            "calls.crm_open_on_answer": _flag(self.crm_on_answer_check),
        }

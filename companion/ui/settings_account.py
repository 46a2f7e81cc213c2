"""The settings dialog's rows about the PBX account: the relay line, the PBX's kind and
address, the REST user or innovaphone login, the password, the user; in the words of the
chosen PBX, with the checks that they are filled in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from companion.config import Settings
from companion.ui.settings_form import SettingsForm, select
from companion.ui.settings_innovaphone import InnovaphoneRows

# the rows a relay's enrolment fills in: hidden, they keep their values
RELAY_ROWS = (
    "pbx.kind", "pbx.url", "pbx.rest_user", "password", "session_only", "pbx.user",
    "pbx.login", "pbx.app",
)  # fmt: skip


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)  # the dialog's, as before


class AccountRows:
    """Where the PBX is and who logs in: the rows above the dialing region."""

    def __init__(
        self,
        parent: QWidget,
        form: SettingsForm,
        settings: Settings,
        password: str,
        session_only: bool,
    ) -> None:
        s = settings
        # Through a relay, its address, this desktop's name and token come from the
        # enrolment: shown in words, not as the PBX's fields (which keep their values).
        self.relay_label = QLabel(parent)
        self.relay_label.setWordWrap(True)
        self.relay_label.setText(
            _tr(
                "Connected through the Companion relay at {relay} as {user} (this desktop:"
                " {device}). To use another relay or user, connect again with a new code."
            ).format(relay=s.pbx_url, user=s.user, device=s.rest_user)
        )
        self.relay_label.setVisible(s.kind == "relay")
        form.add_wide(self.relay_label)
        self.kind_combo = QComboBox(parent)
        self.kind_combo.addItem("pascom", "pascom")
        self.kind_combo.addItem("innovaphone", "innovaphone")
        select(self.kind_combo, s.kind, free_text=False)
        form.row(
            _tr("PBX kind:"),
            self.kind_combo,
            "pbx.kind",
            _tr("innovaphone: the address is wss://HOST/PBX0."),
        )
        self.url_edit = QLineEdit(s.pbx_url, parent)
        form.row(_tr("PBX address:"), self.url_edit, "pbx.url")
        self.innovaphone = InnovaphoneRows(parent, form.row, s)
        self.rest_user_edit = QLineEdit(s.rest_user or "moby", parent)
        # pascom only: an innovaphone user logs in with their own name and password
        self.pascom_only = form.row(_tr("REST user:"), self.rest_user_edit, "pbx.rest_user")
        self.password_edit = QLineEdit(password, parent)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # caption and hint in the chosen PBX's words: see show_kind
        self.password_row = form.row("", self.password_edit, "password", " ")
        self.session_only_check = QCheckBox(_tr("Keep the password for this session only"), parent)
        self.session_only_check.setChecked(session_only)
        form.row(
            "",
            self.session_only_check,
            "session_only",
            _tr("Without a keyring: kept in memory, asked again at the next start."),
        )
        self.user_edit = QLineEdit(s.user, parent)
        form.row(_tr("Your login name:"), self.user_edit, "pbx.user")

    @property
    def innovaphone_chosen(self) -> bool:
        return bool(self.kind_combo.currentData() == "innovaphone")

    def fields(self, settings: Settings) -> dict[str, str]:
        """The settings these rows stand for (but the innovaphone ones), as `companion
        config` takes them."""
        return {
            # the relay is not a choice here: it comes from an enrolment, and stays
            "pbx.kind": "relay"
            if settings.kind == "relay"
            else str(self.kind_combo.currentData() or "pascom"),
            "pbx.url": self.url_edit.text(),
            "pbx.rest_user": self.rest_user_edit.text(),
            "pbx.user": self.user_edit.text(),
        }

    def missing(self, settings: Settings, problems: dict[str, str]) -> dict[str, str]:
        """What must be filled in and is not, in the words of the settings' PBX."""
        found: dict[str, str] = {}
        if "pbx.url" not in problems and not settings.pbx_url:
            found["pbx.url"] = _tr("Enter the PBX address, like https://pbx.example.com/instance.")
        innovaphone = settings.kind == "innovaphone"
        if "pbx.user" not in problems and not settings.user:
            found["pbx.user"] = (
                self.innovaphone.missing_user()
                if innovaphone
                else _tr("Enter the login name you use for the pascom client.")
            )
        if not self.password_edit.text():
            found["password"] = (
                self.innovaphone.missing_password()
                if innovaphone
                else _tr("Enter the REST password.")
            )
        return found

    def show_kind(self, live_row: list[QWidget]) -> None:
        """The fields in the words of the chosen PBX: an innovaphone user has no REST user,
        and an innovaphone PBX pushes calls (nothing to look for every few seconds: `live_row`)."""
        innovaphone = self.innovaphone_chosen
        for widget in (*self.pascom_only, *live_row):
            widget.setVisible(not innovaphone)
        self.innovaphone.set_visible(innovaphone)
        caption, _edit, hint = self.password_row
        assert isinstance(caption, QLabel) and isinstance(hint, QLabel)
        if innovaphone:
            words = self.innovaphone.password_words()
        else:
            words = (
                _tr("REST password:"),
                _tr(
                    "The PBX web UI shows the REST user and password under Information >"
                    " Developer > Show REST credentials. The password is kept in your"
                    " system's keyring, never in a file."
                ),
            )
        caption.setText(words[0])
        hint.setText(words[1])
        self.url_edit.setPlaceholderText(
            "wss://pbx.example.com/PBX0" if innovaphone else "https://pbx.example.com/instance"
        )
        self.user_edit.setPlaceholderText(
            _tr("your myApps login name") if innovaphone else _tr("your pascom login name")
        )

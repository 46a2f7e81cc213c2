"""The settings dialog's innovaphone part: how Companion logs in, and the words of the
shared fields for an innovaphone PBX.

Two routes, as `companion login --kind innovaphone` offers them: the user's own myApps
login (recommended: the keyring keeps only the session it returns), or an App object's
password (`--app NAME`, for single users and administrators; the keyring keeps that
password). Either way `pbx.app` names the App object that grants Companion its APIs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from companion.config import Settings
from companion.pbx.innovaphone.address import DEFAULT_APP

# the dialog's row(label, widget, key, hint) -> the row's widgets
Row = Callable[[str, QWidget, str, str], list[QWidget]]


class InnovaphoneRows:
    """The rows only an innovaphone PBX has: the login route and the App object."""

    def __init__(self, parent: QWidget, row: Row, settings: Settings) -> None:
        self.app_login_check = QCheckBox(
            QCoreApplication.translate(
                "SettingsDialog",
                "Log in with an App object's password (for single users and administrators)",
            ),
            parent,
        )
        self.app_login_check.setChecked(settings.login == "app")
        self.app_edit = QLineEdit(settings.app or DEFAULT_APP, parent)
        self.app_edit.setPlaceholderText(DEFAULT_APP)
        self.widgets = [
            *row(
                "",
                self.app_login_check,
                "pbx.login",
                QCoreApplication.translate(
                    "SettingsDialog",
                    "Recommended: leave this off and log in with your own myApps name and"
                    " password; then no shared password is kept on this desktop.",
                ),
            ),
            *row(
                QCoreApplication.translate("SettingsDialog", "App object:"),
                self.app_edit,
                "pbx.app",
                QCoreApplication.translate(
                    "SettingsDialog",
                    "The App object on the PBX that gives Companion the PbxAdminApi and RCC"
                    " (usually companion).",
                ),
            ),
        ]

    @property
    def app_login(self) -> bool:
        return self.app_login_check.isChecked()

    def fields(self) -> dict[str, str]:
        """The settings these rows stand for, as `companion config` takes them."""
        return {
            "pbx.login": "app" if self.app_login else "user",
            "pbx.app": self.app_edit.text().strip() or DEFAULT_APP,
        }

    def set_visible(self, visible: bool) -> None:
        for widget in self.widgets:
            widget.setVisible(visible)

    def password_words(self) -> tuple[str, str]:
        """The password row's caption and hint for the chosen route."""
        if self.app_login:
            return (
                QCoreApplication.translate("SettingsDialog", "App object password:"),
                QCoreApplication.translate(
                    "SettingsDialog",
                    "The App object's password, as set on the PBX. It is kept in your"
                    " system's keyring, never in a file.",
                ),
            )
        return (  # in the dialog's context (all texts here), as before they moved here
            QCoreApplication.translate("SettingsDialog", "Password:"),
            QCoreApplication.translate(
                "SettingsDialog",
                "Your myApps password: Companion logs in once and keeps only the session.",
            ),
        )

    def missing_user(self) -> str:
        return QCoreApplication.translate("SettingsDialog", "Enter your myApps login name.")

    def missing_password(self) -> str:
        if self.app_login:
            return QCoreApplication.translate("SettingsDialog", "Enter the App object's password.")
        return QCoreApplication.translate("SettingsDialog", "Enter your myApps password.")

"""The "Connect to a Companion relay" dialog: the relay's address and the code from the admin.

Offered by the first start and the settings dialog. "Connect" trades the code for this
desktop's device token (`companion.enrolment`: checked by reading the account through
the relay), keeps the token in the keyring off the GUI thread and the settings in the
file, and emits `connected(Settings, token)`; every failure is said in words below the
fields and nothing is kept.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion import config, credentials
from companion.config import ConfigError, Settings
from companion.pbx import errors
from companion.pbx.relay.links import LinkError
from companion.ui import icons

_ERROR_STYLE = "color: #c62828;"


class RelayDialog(QDialog):
    connected = Signal(object, str)  # Settings (kind = relay), the device token

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self._task: asyncio.Task[Any] | None = None
        self.setWindowTitle(self.tr("Connect to a Companion relay"))
        self.setWindowIcon(icons.app_icon())
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Your administrator runs a Companion relay for your phone system and gives"
                " you its address and a one-time code (valid for 24 hours)."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        relay = self.settings.pbx_url if self.settings.kind == "relay" else ""
        self.relay_edit = QLineEdit(relay, self)
        self.relay_edit.setPlaceholderText("https://relay.example.com")
        form.addRow(self.tr("Relay address:"), self.relay_edit)
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText("K7QM-3XPR-9DWT")
        form.addRow(self.tr("Enrolment code:"), self.code_edit)
        self.ca_edit = QLineEdit(self.settings.ca_file, self)
        self.ca_edit.setPlaceholderText(self.tr("only if the relay uses your company's own CA"))
        form.addRow(self.tr("CA file (optional):"), self.ca_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.connect_button = QPushButton(self.tr("&Connect"), self)
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_relay)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def error_text(self) -> str:
        return self.error_label.text()

    def connect_relay(self) -> None:
        if self.busy:
            return
        self.error_label.setText("")
        ca_file = self.ca_edit.text().strip()
        if ca_file:
            try:  # as `companion config pbx.ca_file` checks it
                ca_file = config.set_value(self.settings, "pbx.ca_file", ca_file).ca_file
            except ConfigError as exc:
                self.error_label.setText(str(exc))
                return
        self.connect_button.setEnabled(False)
        self.connect_button.setText(self.tr("Connecting…"))
        self._task = asyncio.ensure_future(
            self._connect(self.relay_edit.text(), self.code_edit.text(), ca_file)
        )

    async def _connect(self, relay: str, code: str, ca_file: str) -> None:
        from companion import enrolment  # the relay's client only once it is asked for

        try:
            done = await enrolment.connect(self.settings, relay, code, ca_file=ca_file)
            await asyncio.to_thread(enrolment.store, done)
        except (errors.PbxError, LinkError, credentials.CredentialError, ConfigError) as exc:
            self.error_label.setText(str(exc))
        except Exception as exc:  # a bug: in words, never a traceback for the user
            self.error_label.setText(
                self.tr("Something went wrong inside Companion ({kind}).").format(
                    kind=type(exc).__name__
                )
            )
        else:
            self.connected.emit(done.settings, done.token)
            self.accept()
            return
        finally:
            self.connect_button.setEnabled(True)
            self.connect_button.setText(self.tr("&Connect"))

    def reject(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().reject()

"""The settings dialog: the PBX, the credentials, dialing, polling, calls, language.

"Test connection" asks the PBX with the values as typed and says exactly what is wrong,
in the words of the PBX errors (wrong password, host unreachable, certificate not
trusted, user unknown), or who the user is; testing saves nothing. "Save" checks every
value as ``companion config`` would (errors next to the field), tests the connection
(a PBX that refuses the credentials is not saved; one that cannot be reached can be
saved anyway, so a laptop offline can still be set up), stores the password in the
keyring off the GUI thread, writes the settings file (which never holds the password)
and emits :attr:`SettingsDialog.saved`.

The rows live in their own modules: settings_account (the PBX and who logs in, with
settings_innovaphone), settings_region, settings_calls, settings_desktop (language,
hotkeys, start at login); settings_form is their grid, settings_save the PBX check and
the storing.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion import __version__, config
from companion.backends import is_saved_login, needs_login
from companion.config import ConfigError, Settings
from companion.ui import icons
from companion.ui.settings_account import RELAY_ROWS, AccountRows
from companion.ui.settings_calls import CallRows
from companion.ui.settings_desktop import DesktopRows, hotkey_problems
from companion.ui.settings_form import ERROR_STYLE, OK_STYLE, SettingsForm
from companion.ui.settings_region import region_combo, region_text
from companion.ui.settings_save import CheckResult, check_connection, store_password, store_settings


class SettingsDialog(QDialog):
    """Edit the settings; `saved(Settings)` once they are stored (password in the keyring)."""

    saved = Signal(object)  # Settings
    relay_requested = Signal()  # "Connect to a Companion relay…": the app asks for a code

    def __init__(
        self,
        settings: Settings | None = None,
        password: str = "",
        *,
        message: str = "",
        session_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.kept_password: str | None = None  # set on Save when kept for this session only
        self._task: asyncio.Task[Any] | None = None
        self.setWindowTitle(self.tr("Settings"))  # the desktop adds " — Companion"
        self.setWindowIcon(icons.app_icon())

        layout = QVBoxLayout(self)
        self.message_label = QLabel(message, self)
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(bool(message))
        layout.addWidget(self.message_label)

        self.form = form = SettingsForm(self)
        self.field_errors = form.field_errors
        self.row_widgets = form.row_widgets  # a row's caption, field and hint
        s = self.settings
        self.account = AccountRows(self, form, s, password, session_only)
        self.region_combo = region_combo(self, form, s.region)

        ca_row = QWidget(self)
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        self.ca_edit = QLineEdit(s.ca_file, ca_row)
        self.ca_edit.setPlaceholderText(self.tr("only for a PBX with its own certificate"))
        self.ca_button = QPushButton(self.tr("Browse…"), ca_row)
        self.ca_button.clicked.connect(self._browse_ca_file)
        ca_layout.addWidget(self.ca_edit, 1)
        ca_layout.addWidget(self.ca_button)
        form.row(self.tr("CA file:"), ca_row, "pbx.ca_file")

        self.poll_spin = QSpinBox(self)
        self.poll_spin.setRange(config.MIN_POLL_INTERVAL, config.MAX_POLL_INTERVAL)
        self.poll_spin.setValue(s.poll_interval)
        self.poll_spin.setSuffix(self.tr(" s"))
        form.row(self.tr("Refresh every:"), self.poll_spin, "poll.interval")

        self.calls = CallRows(self, form, s)
        self.desktop = DesktopRows(self, form, s)
        # the fields under their names on the dialog, as before the rows moved out
        a, c, d = self.account, self.calls, self.desktop
        self.relay_label, self.kind_combo, self.url_edit = a.relay_label, a.kind_combo, a.url_edit
        self.innovaphone, self.rest_user_edit = a.innovaphone, a.rest_user_edit
        self.password_edit, self.password_row = a.password_edit, a.password_row
        self.session_only_check, self.user_edit = a.session_only_check, a.user_edit
        self.popups_check, self.popups_external_check = c.popups_check, c.popups_external_check
        self.live_spin, self.crm_edit = c.live_spin, c.crm_edit
        self.crm_on_answer_check = c.crm_on_answer_check
        self.language_combo, self.confirm_links_check = d.language_combo, d.confirm_links_check
        self.hotkey_selection_edit, self.hotkey_dial_edit = (
            d.hotkey_selection_edit,
            d.hotkey_dial_edit,
        )
        self.autostart_check = d.autostart_check
        layout.addLayout(form)
        layout.addStretch(1)  # room to spare goes above the result and the buttons

        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for the result is kept while there is none, so the buttons below do not
        # move when it appears (a click aimed at Save landed on empty space).
        policy = self.result_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.result_label.setSizePolicy(policy)
        self.result_label.setMinimumHeight(self.result_label.fontMetrics().lineSpacing() * 3)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.result_label.setVisible(False)
        layout.addWidget(self.result_label)

        self.version_label = QLabel(f"Companion {__version__}", self)
        self.version_label.setEnabled(False)  # quiet, but there for support questions
        self.version_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.version_label)

        buttons = QHBoxLayout()
        self.test_button = QPushButton(self.tr("&Test connection"), self)
        self.test_button.clicked.connect(self._test_clicked)
        buttons.addWidget(self.test_button)
        self.relay_button = QPushButton(self.tr("Connect to a Companion &relay…"), self)
        self.relay_button.clicked.connect(self.relay_requested)
        buttons.addWidget(self.relay_button)
        buttons.addStretch(1)
        self.save_anyway_button = QPushButton(self.tr("Save &anyway"), self)
        self.save_anyway_button.clicked.connect(self._save_anyway_clicked)
        self.save_anyway_button.setVisible(False)
        buttons.addWidget(self.save_anyway_button)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save_clicked)
        buttons.addWidget(self.save_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.innovaphone.app_login_check.toggled.connect(self._kind_changed)
        self._kind_changed()
        if s.kind == "relay":
            form.hide_rows(*RELAY_ROWS)

    # -- reading the fields ---------------------------------------------------------------

    def values(self) -> tuple[Settings, str] | None:
        """The settings and password as entered, each checked; None (errors shown) if wrong."""
        self.form.clear_errors()
        settings = self.settings
        problems: dict[str, str] = {}
        fields = {
            **self.account.fields(settings),
            "dialing.region": region_text(self.region_combo),
            "pbx.ca_file": self.ca_edit.text(),
            "poll.interval": str(self.poll_spin.value()),
            **self.desktop.fields(),
            **self.calls.fields(),
        }
        if fields["pbx.kind"] == "innovaphone":
            fields.update(self.innovaphone.fields())
        for key, text in fields.items():
            try:
                settings = config.set_value(settings, key, text)
            except ConfigError as exc:
                problems[key] = str(exc)
        problems.update(hotkey_problems(fields, problems))
        problems.update(self.account.missing(settings, problems))
        self.form.show_errors(problems)
        self._fit()
        return None if problems else (settings, self.password_edit.text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit)  # once shown, the wrapped hints know their width

    def _fit(self) -> None:
        """Grow to show every wrapped line (a window's minimum ignores height-for-width)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    # -- running work ---------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _start(self, work: Coroutine[Any, Any, object]) -> None:
        if self.busy:
            work.close()
            return
        self._set_busy(True)
        task = asyncio.ensure_future(work)
        self._task = task  # keep a reference: qasync keeps none

        def done(finished: asyncio.Task[Any]) -> None:
            if not shiboken6.isValid(self):  # saved and closed: the app has deleted it
                return
            self._set_busy(False)
            if not finished.cancelled() and finished.exception() is not None:
                exc = finished.exception()
                self._show_result(
                    False,
                    self.tr("Something went wrong inside Companion ({kind}).").format(
                        kind=type(exc).__name__
                    ),
                )

        task.add_done_callback(done)

    def _kind_changed(self) -> None:
        """The fields in the words of the chosen PBX (see AccountRows.show_kind)."""
        self.account.show_kind(self.calls.live_row)
        self._fit()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.test_button, self.save_button, self.save_anyway_button):
            button.setEnabled(not busy)
        if busy:
            self.save_anyway_button.setVisible(False)
            self._show_result(None, self.tr("Asking the PBX…"))

    def _show_result(self, ok: bool | None, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("" if ok is None else OK_STYLE if ok else ERROR_STYLE)
        self.result_label.setVisible(bool(text))
        self._fit()

    def result_text(self) -> str:
        return self.result_label.text()

    # -- test, save ---------------------------------------------------------------------

    async def check(self, settings: Settings, password: str) -> CheckResult:
        """Ask the PBX for the user with these values; saves nothing."""
        return await check_connection(settings, password)

    def _test_clicked(self) -> None:
        entered = self.values()
        if entered is not None:
            self._start(self._test(*entered))

    async def _test(self, settings: Settings, password: str) -> None:
        result = await self.check(settings, password)
        self._show_result(result.ok, result.text)

    def _save_clicked(self) -> None:
        entered = self.values()
        if entered is not None:
            self._start(self.save(*entered, test=True))

    def _save_anyway_clicked(self) -> None:
        entered = self.values()
        if entered is not None:
            self._start(self.save(*entered, test=False))

    async def save(self, settings: Settings, password: str, *, test: bool = True) -> bool:
        """Test (unless told not to), store the password and the settings, emit `saved`."""
        if test:
            result = await self.check(settings, password)
            if not result.ok:
                if result.unreachable:
                    result = dataclasses.replace(
                        result,
                        text=result.text
                        + "\n"
                        + self.tr("You can save anyway and connect when the PBX is reachable."),
                    )
                self._show_result(False, result.text)
                anyway = result.unreachable and not needs_login(settings)
                self.save_anyway_button.setVisible(anyway)
                self._fit()
                return False
            password = result.secret
        elif needs_login(settings) and not is_saved_login(password):
            # An innovaphone user's password is never stored: it needs one login first.
            self._show_result(False, self.tr("The PBX must be reachable to log in once."))
            return False
        session_only = self.session_only_check.isChecked()
        problem = await store_password(settings, password, session_only=session_only)
        if problem is None:
            self.kept_password = password if session_only else None
            problem = await store_settings(settings)
        if problem is not None:
            self._show_result(False, problem)
            return False
        self.settings = settings
        self._show_result(True, self.tr("Saved."))
        self.saved.emit(settings)
        self.accept()
        return True

    # -- closing ---------------------------------------------------------------------------

    def _browse_ca_file(self) -> None:
        path = self.choose_ca_file(self.ca_edit.text())
        if path:
            self.ca_edit.setText(path)

    def choose_ca_file(self, current: str) -> str:
        """Ask for the CA file; "" when the user cancels. (Tests replace this.)"""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("The PBX's CA certificate"),
            current,
            self.tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        return path

    def _cancel_work(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def reject(self) -> None:
        self._cancel_work()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel_work()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self._cancel_work()
        super().done(result)

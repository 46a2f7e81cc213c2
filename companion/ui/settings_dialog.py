"""The settings dialog: the PBX, the credentials, dialing, polling, calls, language.

"Test connection" asks the PBX with the values as typed and says exactly what is wrong,
in the words of the PBX errors (wrong password, host unreachable, certificate not
trusted, user unknown), or who the user is; testing saves nothing. "Save" checks every
value as ``companion config`` would (errors next to the field), tests the connection
(a PBX that refuses the credentials is not saved; one that cannot be reached can be
saved anyway, so a laptop offline can still be set up), stores the password in the
keyring off the GUI thread, writes the settings file (which never holds the password)
and emits :attr:`SettingsDialog.saved`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion import __version__, config, credentials, keyring_help, numbers
from companion.backends import is_saved_login, keyring_name, needs_login, open_pbx, secret_for
from companion.config import ConfigError, Settings
from companion.desktop import autostart
from companion.desktop.autostart import AutostartError
from companion.desktop.hotkeys import HotkeyError, parse_keys
from companion.pbx import errors
from companion.ui import icons
from companion.ui.settings_innovaphone import InnovaphoneRows

REGIONS = (
    "DE", "AT", "CH", "LI", "LU", "BE", "NL", "FR", "IT", "ES", "PT", "GB", "IE", "DK",
    "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "US", "CA",
)  # fmt: skip
LANGUAGES = (("en", "English"), ("de", "Deutsch"))  # each in its own language
_ERROR_STYLE = "color: #c62828;"
_OK_STYLE = "color: #2e7d32;"


def _system_region() -> str | None:
    """The region used when none is set: the environment's locale, else QLocale's."""
    found = numbers.default_region(None)
    if found:
        return found
    code = QLocale.territoryToCode(QLocale.system().territory())
    return numbers.default_region(code) if code else None


def _region_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory else ""
    return f"{name} ({code})" if name else code


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What "Test connection" found."""

    ok: bool
    text: str
    unreachable: bool = False  # the PBX did not answer: saving anyway is allowed
    secret: str = ""  # what the keyring keeps (an innovaphone user: the session, no password)


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

        # A grid, not a QFormLayout: the wrapped hint and error lines under a field must
        # take the height they need (QFormLayout squeezes them into each other).
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setVerticalSpacing(4)
        self.field_errors: dict[str, QLabel] = {}
        self.row_widgets: dict[str, list[QWidget]] = {}  # a row's caption, field and hint

        def row(label: str, widget: QWidget, key: str, hint: str = "") -> list[QWidget]:
            line = form.rowCount()
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            form.addWidget(caption, line, 0)
            form.addWidget(widget, line, 1)
            shown: list[QWidget] = [caption, widget]
            self.row_widgets[key] = shown
            if hint:
                hint_label = QLabel(hint, self)
                shown.append(hint_label)
                hint_label.setWordWrap(True)
                hint_label.setEnabled(False)
                form.addWidget(hint_label, line + 1, 1)
            error = QLabel(self)
            error.setWordWrap(True)
            error.setStyleSheet(_ERROR_STYLE)
            error.setVisible(False)
            form.addWidget(error, line + 2, 1)
            self.field_errors[key] = error
            return shown

        s = self.settings
        # Through a relay, its address, this desktop's name and token come from the
        # enrolment: shown in words, not as the PBX's fields (which keep their values).
        self.relay_label = QLabel(self)
        self.relay_label.setWordWrap(True)
        self.relay_label.setText(
            self.tr(
                "Connected through the Companion relay at {relay} as {user} (this desktop:"
                " {device}). To use another relay or user, connect again with a new code."
            ).format(relay=s.pbx_url, user=s.user, device=s.rest_user)
        )
        self.relay_label.setVisible(s.kind == "relay")
        form.addWidget(self.relay_label, form.rowCount(), 0, 1, 2)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("pascom", "pascom")
        self.kind_combo.addItem("innovaphone", "innovaphone")
        self._select(self.kind_combo, s.kind, free_text=False)
        row(
            self.tr("PBX kind:"),
            self.kind_combo,
            "pbx.kind",
            self.tr("innovaphone: the address is wss://HOST/PBX0."),
        )
        self.url_edit = QLineEdit(s.pbx_url, self)
        row(self.tr("PBX address:"), self.url_edit, "pbx.url")
        self.innovaphone = InnovaphoneRows(self, row, s)
        self.rest_user_edit = QLineEdit(s.rest_user or "moby", self)
        # pascom only: an innovaphone user logs in with their own name and password
        self.pascom_only = row(self.tr("REST user:"), self.rest_user_edit, "pbx.rest_user")
        self.password_edit = QLineEdit(password, self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # caption and hint in the chosen PBX's words: see _kind_changed
        self.password_row = row("", self.password_edit, "password", " ")
        self.session_only_check = QCheckBox(
            self.tr("Keep the password for this session only"), self
        )
        self.session_only_check.setChecked(session_only)
        row(
            "",
            self.session_only_check,
            "session_only",
            self.tr("Without a keyring: kept in memory, asked again at the next start."),
        )
        self.user_edit = QLineEdit(s.user, self)
        row(self.tr("Your login name:"), self.user_edit, "pbx.user")

        self.region_combo = QComboBox(self)
        self.region_combo.setEditable(True)
        self.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        system = _system_region()
        self.region_combo.addItem(
            self.tr("From the system ({region})").format(region=system)
            if system
            else self.tr("From the system"),
            "",
        )
        for code in REGIONS:
            self.region_combo.addItem(_region_name(code), code)
        self._select(self.region_combo, s.region, free_text=True)
        row(
            self.tr("Dialing region:"),
            self.region_combo,
            "dialing.region",
            self.tr("For numbers typed without a country code, like 089 123456."),
        )

        ca_row = QWidget(self)
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        self.ca_edit = QLineEdit(s.ca_file, ca_row)
        self.ca_edit.setPlaceholderText(self.tr("only for a PBX with its own certificate"))
        self.ca_button = QPushButton(self.tr("Browse…"), ca_row)
        self.ca_button.clicked.connect(self._browse_ca_file)
        ca_layout.addWidget(self.ca_edit, 1)
        ca_layout.addWidget(self.ca_button)
        row(self.tr("CA file:"), ca_row, "pbx.ca_file")

        self.poll_spin = QSpinBox(self)
        self.poll_spin.setRange(config.MIN_POLL_INTERVAL, config.MAX_POLL_INTERVAL)
        self.poll_spin.setValue(s.poll_interval)
        self.poll_spin.setSuffix(self.tr(" s"))
        row(self.tr("Refresh every:"), self.poll_spin, "poll.interval")

        self.popups_check = QCheckBox(self.tr("Show a pop-up when a call comes in"), self)
        self.popups_check.setChecked(s.call_popups)
        row(
            self.tr("Incoming calls:"),
            self.popups_check,
            "calls.popups",
            self.tr("Without the pop-up, a desktop notification says who is calling."),
        )
        self.popups_external_check = QCheckBox(self.tr("Only for callers from outside"), self)
        self.popups_external_check.setChecked(s.call_popups_external_only)
        self.popups_external_check.setEnabled(s.call_popups)
        self.popups_check.toggled.connect(self.popups_external_check.setEnabled)
        row("", self.popups_external_check, "calls.popups_external_only")
        self.live_spin = QSpinBox(self)
        self.live_spin.setRange(config.MIN_LIVE_INTERVAL, config.MAX_LIVE_INTERVAL)
        self.live_spin.setValue(s.live_interval)
        self.live_spin.setSuffix(self.tr(" s"))
        # pascom only: an innovaphone PBX tells of calls itself (pushes them)
        self.live_row = row(
            self.tr("Look for calls every:"),
            self.live_spin,
            "calls.live_interval",
            self.tr(
                "How often Companion asks the PBX about your calls: a shorter time shows"
                " an incoming call sooner and asks the PBX more often."
            ),
        )
        self.crm_edit = QLineEdit(s.crm_url, self)
        self.crm_edit.setPlaceholderText("https://crm.example.com/search?phone={e164}")
        row(
            self.tr("CRM link:"),
            self.crm_edit,
            "calls.crm_url",
            self.tr(
                "Optional. {number}, {e164} and {name} are replaced by the caller's number"
                " (as dialled, or in international form) and name."
            ),
        )
        self.crm_on_answer_check = QCheckBox(self.tr("Open the CRM link when I answer"), self)
        self.crm_on_answer_check.setChecked(s.crm_open_on_answer)
        row("", self.crm_on_answer_check, "calls.crm_open_on_answer")

        self.language_combo = QComboBox(self)
        self.language_combo.addItem(self.tr("System"), "")
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self._select(self.language_combo, s.language, free_text=False)
        row(
            self.tr("Language:"),
            self.language_combo,
            "ui.language",
            self.tr("Takes effect at once."),
        )
        self.confirm_links_check = QCheckBox(self.tr("Ask before a link or the hotkey dials"), self)
        self.confirm_links_check.setChecked(s.confirm_links)
        row(
            self.tr("Links:"),
            self.confirm_links_check,
            "dialing.confirm_links",
            self.tr("Links come from web pages: asking shows the number before it rings."),
        )
        self.hotkey_selection_edit = QLineEdit(s.hotkey_dial_selection, self)
        self.hotkey_selection_edit.setPlaceholderText("Ctrl+Alt+D")
        row(self.tr("Dial the selection:"), self.hotkey_selection_edit, "hotkeys.dial_selection")
        self.hotkey_dial_edit = QLineEdit(s.hotkey_open_dial, self)
        self.hotkey_dial_edit.setPlaceholderText("Ctrl+Alt+F")
        row(
            self.tr("Open the dial window:"),
            self.hotkey_dial_edit,
            "hotkeys.open_dial",
            self.tr(
                "Global hotkeys take effect at once. Where the desktop "
                "offers apps no global hotkeys, bind this command to a key in the "
                "desktop's keyboard settings: companion dial --selection"
            ),
        )
        self.autostart_check = QCheckBox(self.tr("Start Companion when I log in"), self)
        self.autostart_check.setChecked(s.start_at_login)
        row(self.tr("Start:"), self.autostart_check, "ui.start_at_login")
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
            for key in (
                "pbx.kind", "pbx.url", "pbx.rest_user", "password", "session_only", "pbx.user",
                "pbx.login", "pbx.app",
            ):  # fmt: skip
                for widget in self.row_widgets[key]:
                    widget.setVisible(False)

    # -- reading the fields ---------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, value: str, *, free_text: bool) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)
        elif free_text:
            combo.setEditText(value)

    def _region_text(self) -> str:
        text = self.region_combo.currentText().strip()
        index = self.region_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.region_combo.itemData(index))
        if text.endswith(")") and "(" in text:  # "France (FR)" typed by hand
            return text[text.rindex("(") + 1 : -1].strip()
        return text

    def values(self) -> tuple[Settings, str] | None:
        """The settings and password as entered, each checked; None (errors shown) if wrong."""
        for label in self.field_errors.values():
            label.clear()
            label.setVisible(False)
        settings = self.settings
        problems: dict[str, str] = {}
        fields = {
            # the relay is not a choice here: it comes from an enrolment, and stays
            "pbx.kind": "relay"
            if settings.kind == "relay"
            else str(self.kind_combo.currentData() or "pascom"),
            "pbx.url": self.url_edit.text(),
            "pbx.rest_user": self.rest_user_edit.text(),
            "pbx.user": self.user_edit.text(),
            "dialing.region": self._region_text(),
            "pbx.ca_file": self.ca_edit.text(),
            "poll.interval": str(self.poll_spin.value()),
            "ui.language": str(self.language_combo.currentData() or ""),
            "dialing.confirm_links": "true" if self.confirm_links_check.isChecked() else "false",
            "hotkeys.dial_selection": self.hotkey_selection_edit.text(),
            "hotkeys.open_dial": self.hotkey_dial_edit.text(),
            "ui.start_at_login": "true" if self.autostart_check.isChecked() else "false",
            "calls.popups": "true" if self.popups_check.isChecked() else "false",
            "calls.popups_external_only": (
                "true" if self.popups_external_check.isChecked() else "false"
            ),
            "calls.live_interval": str(self.live_spin.value()),
            "calls.crm_url": self.crm_edit.text(),
            "calls.crm_open_on_answer": "true" if self.crm_on_answer_check.isChecked() else "false",
        }
        if fields["pbx.kind"] == "innovaphone":
            fields.update(self.innovaphone.fields())
        for key, text in fields.items():
            try:
                settings = config.set_value(settings, key, text)
            except ConfigError as exc:
                problems[key] = str(exc)
        for key in ("hotkeys.dial_selection", "hotkeys.open_dial"):
            if key not in problems and fields[key].strip():
                try:  # also what the desktop can grab: not a bare letter the user types
                    parse_keys(fields[key])
                except HotkeyError as exc:
                    problems[key] = str(exc)
        if "pbx.url" not in problems and not settings.pbx_url:
            problems["pbx.url"] = self.tr(
                "Enter the PBX address, like https://pbx.example.com/instance."
            )
        innovaphone = settings.kind == "innovaphone"
        if "pbx.user" not in problems and not settings.user:
            problems["pbx.user"] = (
                self.innovaphone.missing_user()
                if innovaphone
                else self.tr("Enter the login name you use for the pascom client.")
            )
        password = self.password_edit.text()
        if not password:
            problems["password"] = (
                self.innovaphone.missing_password()
                if innovaphone
                else self.tr("Enter the REST password.")
            )
        for key, text in problems.items():
            self.field_errors[key].setText(text)
            self.field_errors[key].setVisible(True)
        self._fit()
        return None if problems else (settings, password)

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
        """The fields in the words of the chosen PBX: an innovaphone user has no REST user,
        and an innovaphone PBX pushes calls (nothing to look for every few seconds)."""
        innovaphone = self.kind_combo.currentData() == "innovaphone"
        for widget in (*self.pascom_only, *self.live_row):
            widget.setVisible(not innovaphone)
        self.innovaphone.set_visible(innovaphone)
        caption, _edit, hint = self.password_row
        assert isinstance(caption, QLabel) and isinstance(hint, QLabel)
        if innovaphone:
            words = self.innovaphone.password_words()
        else:
            words = (
                self.tr("REST password:"),
                self.tr(
                    "The PBX web UI shows the REST user and password under Information >"
                    " Developer > Show REST credentials. The password is kept in your"
                    " system's keyring, never in a file."
                ),
            )
        caption.setText(words[0])
        hint.setText(words[1])
        self._fit()
        self.url_edit.setPlaceholderText(
            "wss://pbx.example.com/PBX0" if innovaphone else "https://pbx.example.com/instance"
        )
        self.user_edit.setPlaceholderText(
            self.tr("your myApps login name") if innovaphone else self.tr("your pascom login name")
        )

    def _set_busy(self, busy: bool) -> None:
        for button in (self.test_button, self.save_button, self.save_anyway_button):
            button.setEnabled(not busy)
        if busy:
            self.save_anyway_button.setVisible(False)
            self._show_result(None, self.tr("Asking the PBX…"))

    def _show_result(self, ok: bool | None, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("" if ok is None else _OK_STYLE if ok else _ERROR_STYLE)
        self.result_label.setVisible(bool(text))
        self._fit()

    def result_text(self) -> str:
        return self.result_label.text()

    # -- test, save ---------------------------------------------------------------------

    async def check(self, settings: Settings, password: str) -> CheckResult:
        """Ask the PBX for the user with these values; saves nothing."""
        try:
            secret = await secret_for(settings, password)  # innovaphone: the myApps login
            pbx = open_pbx(settings, secret)
        except (errors.PbxUnreachable, errors.PbxTimeout) as exc:
            return CheckResult(False, str(exc), unreachable=True)
        except errors.PbxError as exc:  # an unreadable CA file, a refused login
            return CheckResult(False, str(exc))
        try:
            account = await pbx.account()
        except (errors.PbxUnreachable, errors.PbxTimeout) as exc:
            return CheckResult(False, str(exc), unreachable=True)
        except errors.PbxError as exc:
            return CheckResult(False, str(exc))
        finally:
            await pbx.close()
        return CheckResult(
            True,
            self.tr("Connected: {name}, extension {extension}").format(
                name=account.display_name or account.login, extension=account.extension
            ),
            secret=secret,
        )

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
        try:
            if not session_only:
                await asyncio.to_thread(
                    credentials.store_password, settings.pbx_url, keyring_name(settings), password
                )
        except credentials.CredentialError as exc:
            status = await asyncio.to_thread(keyring_help.check)
            self._show_result(
                False,
                self.tr(
                    "Nothing was saved: {reason} {advice} Or choose \"Keep the password for"
                    " this session only\"."
                ).format(reason=exc, advice=status.advice),
            )
            return False
        self.kept_password = password if session_only else None
        try:
            await asyncio.to_thread(config.save, settings)
        except ConfigError as exc:
            self._show_result(False, str(exc))
            return False
        try:
            await asyncio.to_thread(_apply_autostart, settings.start_at_login)
        except AutostartError as exc:  # the settings are saved; say what did not work
            self._show_result(False, str(exc))
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


def _apply_autostart(enabled: bool) -> None:
    """Make the platform's start-at-login entry match the setting."""
    if enabled != autostart.is_enabled():
        (autostart.enable if enabled else autostart.disable)()

"""The first start: try the demo, or connect to a PBX in four short steps (three for an
innovaphone PBX, whose login says who the user is).

Address (checked: does a PBX answer there?), then the REST credentials (tested, and
where the password will be kept: the keyring, or this session only when there is no
keyring or the user prefers it), then the user picked from the PBX's own user list,
then the dialing region proposed from the PBX's numbers and the system locale. Back and
Next move between the steps, Enter moves on, each step says in words what is wrong.
The full settings dialog stays for later changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion import config, credentials, keyring_help, numbers
from companion.backends import answers, keyring_name, open_pbx, secret_for
from companion.config import ConfigError, Settings
from companion.pbx import errors
from companion.pbx.models import PbxUser
from companion.ui import icons
from companion.ui.settings_region import REGIONS, region_name, system_region

_ERROR_STYLE = "color: #c62828;"
WELCOME, ADDRESS, CREDENTIALS, USER, REGION = range(5)


class FirstStart(QDialog):
    """The guided first start; `saved(Settings, password, session_only)` when done."""

    saved = Signal(object, str, bool)
    demo_requested = Signal()
    relay_requested = Signal()  # the administrator runs a Companion relay: ask for its code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Companion"))
        self.setWindowIcon(icons.app_icon())
        self.settings = Settings()
        self.users: list[PbxUser] = []
        self.secret = ""  # what the keyring keeps: the password, or an innovaphone session
        self.keyring: keyring_help.KeyringStatus | None = None
        self._task: asyncio.Task[Any] | None = None
        self._keyring_task: asyncio.Task[None] | None = None
        self.headings: dict[int, QLabel] = {}  # each step's title ("Step 2 of 4: ...")

        layout = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._welcome_page())
        self.pages.addWidget(self._address_page())
        self.pages.addWidget(self._credentials_page())
        self.pages.addWidget(self._user_page())
        self.pages.addWidget(self._region_page())

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("< &Back"), self)
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("&Next >"), self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.setMinimumSize(520, 400)
        # the address says which PBX it is (ws:// or wss://: innovaphone), and so the steps
        self.url_edit.textChanged.connect(lambda text: self._number_steps(_kind_of(text)))
        self._show_page(WELCOME)

    # -- the pages --------------------------------------------------------------------

    def _page(self, title: str, text: str, step: int = WELCOME) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget(self)
        box = QVBoxLayout(page)
        heading = QLabel(f"<h3>{title}</h3>", page)
        box.addWidget(heading)
        self.headings[step] = heading
        if text:
            intro = QLabel(text, page)
            intro.setWordWrap(True)
            box.addWidget(intro)
        return page, box

    def _welcome_page(self) -> QWidget:
        page, box = self._page(
            self.tr("Welcome to Companion"),
            self.tr(
                "Companion puts the dialing, phonebook, presence and call forwarding of your"
                " pascom or innovaphone phone system in reach, and a pascom system's"
                " voicemail and faxes too. Try it with a demo phone system first, or"
                " connect to your own."
            ),
        )
        self.demo_button = QPushButton(self.tr("Try the &demo"), page)
        self.demo_button.clicked.connect(self.demo_requested)
        self.connect_button = QPushButton(self.tr("&Connect to a PBX"), page)
        self.connect_button.clicked.connect(lambda: self._show_page(ADDRESS))
        self.relay_button = QPushButton(self.tr("Connect to a Companion &relay"), page)
        self.relay_button.clicked.connect(self.relay_requested)
        for button in (self.connect_button, self.relay_button, self.demo_button):
            button.setMinimumHeight(40)
            box.addWidget(button)
        box.addStretch(1)
        return page

    def _address_page(self) -> QWidget:
        page, box = self._page(
            self.tr("Step 1 of 4: the PBX's address"),
            self.tr(
                "The address you open the pascom web UI with, including the instance; for an"
                " innovaphone PBX, wss://HOST/PBX0."
            ),
            ADDRESS,
        )
        form = QFormLayout()
        self.url_edit = QLineEdit(page)
        self.url_edit.setPlaceholderText("https://pbx.example.com/instance")
        form.addRow(self.tr("PBX address:"), self.url_edit)
        ca_row = QHBoxLayout()
        self.ca_edit = QLineEdit(page)
        self.ca_edit.setPlaceholderText(self.tr("only for a PBX with its own certificate"))
        browse = QPushButton(self.tr("Browse…"), page)
        browse.clicked.connect(self._browse_ca_file)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        form.addRow(self.tr("CA file:"), ca_row)
        box.addLayout(form)
        box.addStretch(1)
        return page

    def _credentials_page(self) -> QWidget:
        page, box = self._page(
            self.tr("Step 2 of 4: the REST credentials"),
            self.tr(
                "The PBX web UI shows them under Information > Developer > Show REST credentials."
            ),
            CREDENTIALS,
        )
        items = [box.itemAt(i) for i in range(2)]  # the heading and the intro
        self.credentials_texts = [item.widget() for item in items if item is not None]
        form = QFormLayout()
        self.rest_user_edit = QLineEdit("moby", page)
        form.addRow(self.tr("REST user:"), self.rest_user_edit)
        self.password_edit = QLineEdit(page)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("REST password:"), self.password_edit)
        self.credentials_form = form
        box.addLayout(form)
        self.keyring_label = QLabel(page)
        self.keyring_label.setWordWrap(True)
        box.addWidget(self.keyring_label)
        self.session_only_check = QCheckBox(
            self.tr("Keep the password for this session only"), page
        )
        self.session_only_check.setToolTip(
            self.tr("Kept in memory, never in a file: Companion asks for it at the next start.")
        )
        box.addWidget(self.session_only_check)
        box.addStretch(1)
        return page

    def _user_page(self) -> QWidget:
        page, box = self._page(
            self.tr("Step 3 of 4: who are you?"),
            self.tr("Pick yourself from the PBX's users: Companion acts for this user."),
            USER,
        )
        self.user_filter = QLineEdit(page)
        self.user_filter.setPlaceholderText(self.tr("Search by name, login or extension"))
        self.user_filter.setClearButtonEnabled(True)
        self.user_filter.textChanged.connect(self._filter_users)
        box.addWidget(self.user_filter)
        self.user_list = QListWidget(page)
        self.user_list.itemActivated.connect(lambda _item: self.next())
        box.addWidget(self.user_list, 1)
        return page

    def _region_page(self) -> QWidget:
        page, box = self._page(
            self.tr("Step 4 of 4: your dialing region"),
            self.tr(
                "For numbers typed without a country code, like 089 123456. Proposed from"
                " your PBX's numbers and your system's settings."
            ),
            REGION,
        )
        form = QFormLayout()
        self.region_combo = QComboBox(page)
        for code in REGIONS:
            self.region_combo.addItem(region_name(code), code)
        form.addRow(self.tr("Dialing region:"), self.region_combo)
        box.addLayout(form)
        box.addStretch(1)
        return page

    # -- moving between the steps -------------------------------------------------------

    @property
    def step(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.show_error("")
        self.back_button.setVisible(index != WELCOME)
        self.next_button.setVisible(index != WELCOME)
        self.next_button.setText(self.tr("&Finish") if index == REGION else self.tr("&Next >"))
        focus = {
            WELCOME: self.connect_button,
            ADDRESS: self.url_edit,
            CREDENTIALS: self.password_edit,
            USER: self.user_filter,
            REGION: self.region_combo,
        }[index]
        focus.setFocus()
        if index == CREDENTIALS and self._keyring_task is None:
            self._keyring_task = asyncio.ensure_future(self._check_keyring())

    def back(self) -> None:
        if self.step != WELCOME and not self.busy:
            skip = self.step == REGION and self.settings.kind == "innovaphone"  # no user list
            self._show_page(CREDENTIALS if skip else self.step - 1)

    def _number_steps(self, kind: str) -> None:
        """Each step's title with the count for this PBX: innovaphone has no user list."""
        if kind == "innovaphone":
            titles = {
                ADDRESS: self.tr("Step 1 of 3: the PBX's address"),
                CREDENTIALS: self.tr("Step 2 of 3: your myApps login"),
                REGION: self.tr("Step 3 of 3: your dialing region"),
            }
        else:
            titles = {
                ADDRESS: self.tr("Step 1 of 4: the PBX's address"),
                CREDENTIALS: self.tr("Step 2 of 4: the REST credentials"),
                USER: self.tr("Step 3 of 4: who are you?"),
                REGION: self.tr("Step 4 of 4: your dialing region"),
            }
        for step, title in titles.items():
            self.headings[step].setText(f"<h3>{title}</h3>")

    def _credentials_words(self, kind: str) -> None:
        """The credentials page in the PBX's words: an innovaphone user's own myApps login,
        or pascom's REST credentials (the user may go back and change the address)."""
        self._number_steps(kind)
        _heading, intro = self.credentials_texts
        assert isinstance(intro, QLabel)
        innovaphone = kind == "innovaphone"
        if innovaphone:
            intro.setText(
                self.tr(
                    "Your login name and password, as in myApps. Companion logs in once and"
                    " keeps only the session it gets, never the password."
                )
            )
            captions = (self.tr("Your login name:"), self.tr("Password:"))
        else:
            intro.setText(
                self.tr(
                    "The PBX web UI shows them under Information > Developer > Show REST"
                    " credentials."
                )
            )
            captions = (self.tr("REST user:"), self.tr("REST password:"))
        for field, text in zip((self.rest_user_edit, self.password_edit), captions, strict=True):
            label = self.credentials_form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)
        if innovaphone and self.rest_user_edit.text() == "moby":
            self.rest_user_edit.clear()
        elif not innovaphone and not self.rest_user_edit.text():
            self.rest_user_edit.setText("moby")

    def next(self) -> None:
        """Check this step (asking the PBX where it must) and go on; errors stay here."""
        if self.busy:
            return
        if self.step == ADDRESS:
            try:
                settings = config.set_value(self.settings, "pbx.url", self.url_edit.text())
                settings = config.set_value(settings, "pbx.ca_file", self.ca_edit.text())
            except ConfigError as exc:
                self.show_error(str(exc))
                return
            if not settings.pbx_url:
                self.show_error(
                    self.tr("Enter the PBX address, like https://pbx.example.com/instance.")
                )
                return
            # A wss:// (or loopback ws://) address is an innovaphone PBX's AppWebsocket.
            kind = _kind_of(settings.pbx_url)
            settings = config.set_value(settings, "pbx.kind", kind)
            self._start(self._check_address(settings))
        elif self.step == CREDENTIALS and self.settings.kind == "innovaphone":
            try:
                settings = config.set_value(self.settings, "pbx.user", self.rest_user_edit.text())
            except ConfigError as exc:
                self.show_error(str(exc))
                return
            if not settings.user or not self.password_edit.text():
                self.show_error(self.tr("Enter your login name and password."))
                return
            self._start(self._check_myapps_login(settings, self.password_edit.text()))
        elif self.step == CREDENTIALS:
            try:
                settings = config.set_value(
                    self.settings, "pbx.rest_user", self.rest_user_edit.text()
                )
            except ConfigError as exc:
                self.show_error(str(exc))
                return
            if not self.password_edit.text():
                self.show_error(self.tr("Enter the REST password."))
                return
            self._start(self._check_credentials(settings, self.password_edit.text()))
        elif self.step == USER:
            item: QListWidgetItem | None = self.user_list.currentItem()
            if item is None or item.isHidden():
                item = next(
                    (self.user_list.item(i) for i in range(self.user_list.count())
                     if not self.user_list.item(i).isHidden()),
                    None,
                )  # fmt: skip
            if item is None:
                self.show_error(self.tr("Pick your user from the list."))
                return
            self.settings = config.set_value(self.settings, "pbx.user", item.data(_LOGIN))
            self._start(self._propose_region())
        elif self.step == REGION:
            self._start(self._finish())

    # -- the checks ---------------------------------------------------------------------

    async def _check_address(self, settings: Settings) -> None:
        """Does a PBX answer there? Without credentials it must refuse us: that is fine."""
        try:
            await answers(settings)
        except errors.PbxError as exc:  # unreachable, untrusted, an unreadable CA file
            self.show_error(str(exc))
            return
        self.settings = settings
        self._credentials_words(settings.kind)
        self._show_page(CREDENTIALS)

    async def _check_myapps_login(self, settings: Settings, password: str) -> None:
        """Log the innovaphone user in once; keep the session it gives, not the password."""
        try:
            secret = await secret_for(settings, password)
            pbx = open_pbx(settings, secret)
            try:
                await pbx.account()
            finally:
                await pbx.close()
        except errors.PbxError as exc:
            self.show_error(str(exc))
            return
        self.settings, self.secret = settings, secret
        await self._propose_region()

    async def _check_keyring(self) -> None:
        status = await asyncio.to_thread(keyring_help.check)
        self.keyring = status
        if status.usable:
            self.keyring_label.setText(
                self.tr("The login session (not the password) is kept in your system's keyring.")
                if self.settings.kind == "innovaphone"
                else self.tr("The password is kept in your system's keyring.")
            )
            self.keyring_label.setStyleSheet("")
        else:
            self.keyring_label.setText(f"{status.problem} {status.advice}")
            self.keyring_label.setStyleSheet("")  # a way through is offered right below
            self.session_only_check.setChecked(True)

    async def _check_credentials(self, settings: Settings, password: str) -> None:
        pbx = open_pbx(settings, password)
        try:
            users = await pbx.users()
        except errors.PbxError as exc:
            self.show_error(str(exc))
            return
        finally:
            await pbx.close()
        if not users:
            self.show_error(self.tr("The PBX lists no users that Companion could act for."))
            return
        self.settings, self.users = settings, users
        self.user_list.clear()
        for user in users:
            text = f"{user.display_name} ({user.login}, {user.extension})" if user.extension \
                else f"{user.display_name} ({user.login})"  # fmt: skip
            item = QListWidgetItem(text, self.user_list)
            item.setData(_LOGIN, user.login)
        self.user_filter.clear()
        self._show_page(USER)

    def _filter_users(self, text: str) -> None:
        words = text.casefold().split()
        first: QListWidgetItem | None = None
        for i in range(self.user_list.count()):
            item = self.user_list.item(i)
            hidden = not all(word in item.text().casefold() for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None and (
            self.user_list.currentItem() is None or self.user_list.currentItem().isHidden()
        ):
            self.user_list.setCurrentItem(first)

    async def _propose_region(self) -> None:
        """The region of most of the PBX's international numbers, or the system's."""
        found: list[str] = []
        pbx = open_pbx(self.settings, self.secret or self.password_edit.text())
        try:
            account = await pbx.account()
            page = await pbx.directory_page(0, 100)
            found = [n.number for contact in page.contacts for n in contact.numbers]
        except errors.PbxError as exc:
            self.show_error(str(exc))
            return
        finally:
            await pbx.close()
        del account  # asked only to be sure the PBX knows this user
        proposal = numbers.propose_region(found, system_region()) or "DE"
        index = self.region_combo.findData(proposal)
        if index < 0:
            self.region_combo.addItem(region_name(proposal), proposal)
            index = self.region_combo.count() - 1
        self.region_combo.setCurrentIndex(index)
        self._show_page(REGION)

    async def _finish(self) -> None:
        settings = config.set_value(
            self.settings, "dialing.region", str(self.region_combo.currentData())
        )
        password = self.secret or self.password_edit.text()
        session_only = self.session_only_check.isChecked()
        if not session_only:
            try:
                await asyncio.to_thread(
                    credentials.store_password, settings.pbx_url, keyring_name(settings), password
                )
            except credentials.CredentialError as exc:
                self.show_error(
                    self.tr(
                        'Nothing was saved: {reason} Go back and choose "Keep the password'
                        ' for this session only" to connect anyway.'
                    ).format(reason=exc)
                )
                return
        try:
            await asyncio.to_thread(config.save, settings)
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.settings = settings
        self.saved.emit(settings, password, session_only)
        self.accept()

    # -- running work -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        if self.busy:
            work.close()
            return
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.error_label.setStyleSheet("")
        self.error_label.setText(self.tr("Asking the PBX…"))
        task = asyncio.ensure_future(work)
        self._task = task  # qasync keeps no reference

        def done(finished: asyncio.Task[Any]) -> None:
            if not shiboken6.isValid(self.next_button):  # closed and deleted once done
                return
            self.next_button.setEnabled(True)
            self.back_button.setEnabled(True)
            if self.error_label.text() == self.tr("Asking the PBX…"):
                self.error_label.clear()
            if not finished.cancelled() and finished.exception() is not None:
                self.show_error(
                    self.tr("Something went wrong inside Companion ({kind}).").format(
                        kind=type(finished.exception()).__name__
                    )
                )

        task.add_done_callback(done)

    def show_error(self, text: str) -> None:
        self.error_label.setStyleSheet(_ERROR_STYLE if text else "")
        self.error_label.setText(text)

    def error_text(self) -> str:
        return self.error_label.text()

    def _browse_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("The PBX's CA certificate"),
            self.ca_edit.text(),
            self.tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_edit.setText(path)

    def _cancel_work(self) -> None:
        for task in (self._task, self._keyring_task):
            if task is not None and not task.done():
                task.cancel()

    def reject(self) -> None:
        self._cancel_work()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel_work()
        super().closeEvent(event)


_LOGIN = Qt.ItemDataRole.UserRole


def _kind_of(url: str) -> str:
    """The PBX kind an address names: a ws:// or wss:// address is an innovaphone PBX's
    AppWebsocket, anything else a pascom instance (as the address step decides)."""
    return "innovaphone" if url.strip().lower().startswith(("ws:", "wss:")) else "pascom"

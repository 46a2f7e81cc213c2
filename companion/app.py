"""The GUI: Companion in the tray (or a small window), on one asyncio loop run by Qt.

:func:`companion.gui_process.run` is what ``companion`` (and ``companion --demo``) runs
without a subcommand: it makes the QApplication (:func:`application`) and a qasync loop,
starts a :class:`Companion` and runs until the user quits.

:class:`Companion` holds the running app: the settings, the :class:`Controller` (the
one way to the PBX) and the :class:`Shell` (tray icon and menu, or the fallback window).
Without settings or without a password in the keyring it opens the settings dialog
instead of failing; when the dialog saves, the controller is rebuilt with the new
settings. With ``--demo`` the CLI has already pointed the settings and an in-memory
keyring at the embedded demo PBX, so the app simply starts logged in.

Without settings the guided first start (:class:`FirstStart`) opens: the demo, or a PBX
step by step. Without a usable keyring the password can be kept for this session only
(in memory, asked again at the next start).

The language (the setting, else the system's) is installed once the settings are read,
before the shell is shown; a language saved in the settings dialog takes effect at once
(the tray menu and its windows are made anew in it), and so do the hotkeys
(:attr:`Companion.settings_applied`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from companion import config, credentials, directory, keyring_help, numbers
from companion.backends import keyring_name, open_pbx
from companion.config import ConfigError, Settings
from companion.controller import Controller, message_for
from companion.early_start import EarlyStart
from companion.favourites import Favourite
from companion.pbx import errors
from companion.ui import i18n

if TYPE_CHECKING:  # made only when needed: a start with settings and a password shows none
    from companion.pbx.relay.links import EnrolLink
    from companion.ui.enrol_prompt import EnrolPrompt
    from companion.ui.first_start import FirstStart
    from companion.ui.relay_dialog import RelayDialog
    from companion.ui.settings_dialog import SettingsDialog
    from companion.ui.tray import Shell

log = logging.getLogger(__name__)
# How long a start waits for the PBX's first answer before it builds the tray: the
# answer travels while the shell is being made, and a fast PBX's state is in the tray
# the moment it shows (no "connecting" first).
FIRST_ANSWER_WAIT = 0.2


def _tr(text: str) -> str:
    return QCoreApplication.translate("Companion", text)


def application() -> QApplication:
    """The QApplication, made (once) the way Companion needs it."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Companion")
    app.setApplicationDisplayName("Companion")
    app.setDesktopFileName("net.companion.Companion")  # the desktop entry's id
    app.setQuitOnLastWindowClosed(False)  # the tray stays when the last window closes
    return app  # the window icon comes with the shell (Companion.shell)


def system_region() -> str | None:
    """The dialing region of the system locale (QLocale), if it names a country."""
    code = QLocale.territoryToCode(QLocale.system().territory())
    return numbers.default_region(code) if code else None


class Companion(QObject):
    """The running app: settings, controller and shell."""

    settings_applied = Signal()  # new settings are in use: e.g. grab the hotkeys anew

    def __init__(
        self,
        app: QApplication,
        *,
        demo: bool = False,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
    ) -> None:
        super().__init__()
        self.app = app
        self.demo = demo
        self.settings = Settings()
        self.password = ""
        self.controller: Controller | None = None
        self.translators: list[QTranslator] = []  # installed on the app; Qt does not own them
        self._tray_available = tray_available
        self._shell: Shell | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.first_start: FirstStart | None = None
        self._shown = False  # the shell was shown: a new one (new language) is shown too
        self.warning_box: QMessageBox | None = None
        self.enrol_prompt: EnrolPrompt | None = None
        self.relay_dialog: RelayDialog | None = None
        self.quitting = False
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def shell(self) -> Shell:
        """The tray icon and menu (or the no-tray window), made when first needed.

        A start with settings and a password makes it once the PBX has answered the first
        poll (or after FIRST_ANSWER_WAIT): the tray's modules and widgets are most of a
        start's time, and that request need not wait for them.
        """
        if self._shell is None:
            self._shell = self._make_shell()
            if self.controller is not None:
                self._shell.set_controller(self.controller, self.settings)
        return self._shell

    def _make_shell(self) -> Shell:
        from companion.ui import icons
        from companion.ui.tray import Shell

        self.app.setWindowIcon(icons.app_icon())
        # What the desktop appends to every window's title: "Dial — Companion (demo)".
        self.app.setApplicationDisplayName(_tr("Companion (demo)") if self.demo else "Companion")
        shell = Shell(tray_available=self._tray_available, demo=self.demo)
        shell.settings_requested.connect(self.open_settings)
        shell.quit_requested.connect(self.quit)
        return shell

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)  # qasync keeps no reference
        task.add_done_callback(self._tasks.discard)
        return task

    # -- starting ------------------------------------------------------------------------

    def launch(self, early: EarlyStart | None = None) -> asyncio.Task[None]:
        """Run :meth:`start` on the loop (once it runs); a failure ends in words."""
        task = self._spawn(self.start(early))

        def started(done: asyncio.Task[None]) -> None:
            if not done.cancelled() and done.exception() is not None:
                exc = done.exception()
                log.error("start failed", exc_info=exc)
                self.warn(message_for(exc) if exc is not None else "")

        task.add_done_callback(started)
        return task

    async def start(self, early: EarlyStart | None = None) -> None:
        """Load the settings, load the password, connect (or ask), and show the shell in
        the settings' language. `early`: the settings and password as the start before Qt
        read them (see :mod:`companion.early_start`); without it they are read now."""
        early = early or EarlyStart.begin()
        try:
            loaded = early.settings()
        except ConfigError as exc:  # the file can't even be moved aside: don't overwrite it
            self.install_language("")  # the system's
            self.shell.show()
            self.warn(str(exc))
            return
        self.install_language(loaded.settings.language)
        self.settings = loaded.settings
        if loaded.warning:
            self._show_shell()
            self.warn(loaded.warning)
        if early.password is None:  # the settings name no account
            self._show_shell()
            self.open_first_start()
            return
        reading = asyncio.wrap_future(early.password)
        if not (await asyncio.wait({reading}, timeout=FIRST_ANSWER_WAIT))[0]:
            self._show_shell()  # an unlock prompt, say: the tray is there meanwhile
        try:
            password = await reading
        except credentials.CredentialError as exc:
            status = await asyncio.to_thread(keyring_help.check)
            self._show_shell()
            self.open_settings(
                _tr("{problem} {advice} Enter the REST password to connect for now.").format(
                    problem=exc, advice=status.advice
                ),
                session_only=True,
            )
            return
        if not password:
            self._show_shell()
            self.open_settings(
                _tr("The keyring holds no REST password for {url}: enter it to connect.").format(
                    url=self.settings.pbx_url
                )
            )
            return
        if self.connect_pbx(self.settings, password) and self.controller is not None:
            await _first_answer(self.controller, FIRST_ANSWER_WAIT)
        self._show_shell()

    def _show_shell(self) -> None:
        self.shell.show()
        self._shown = True

    def connect_pbx(self, settings: Settings, password: str) -> bool:
        """Make the PBX client and the controller for `settings` and start polling."""
        self.settings, self.password = settings, password  # the dialog offers them if need be
        try:
            pbx = open_pbx(settings, password)
        except errors.PbxError as exc:  # e.g. the CA file is no certificate
            self._show_shell()
            self.open_settings(str(exc))
            return False
        region = numbers.default_region(settings.region or None) or system_region()
        # Live calls at the fast pace only where a pop-up wants them; else the slow one.
        live_interval = settings.live_interval if settings.call_popups else settings.poll_interval
        controller = Controller(
            pbx,
            region=region,
            poll_interval=settings.poll_interval,
            live_interval=live_interval,
            directory=self._directory_for(settings),
            sync_interval=directory.max_age(settings),
            favourites=settings.favourites,
            save_favourites=self._save_favourites,
        )
        self.controller = controller
        if self._shell is not None:  # else the shell takes it when it is made
            self._shell.set_controller(controller, settings)
        controller.start()
        return True

    def _save_favourites(self, favourites: tuple[Favourite, ...]) -> None:
        """Keep the favourites in settings.toml (and in a settings dialog that is open, so
        its Save does not bring the old ones back). Raises ConfigError."""
        self.settings = dataclasses.replace(self.settings, favourites=favourites)
        if self.settings_dialog is not None:
            dialog = self.settings_dialog
            dialog.settings = dataclasses.replace(dialog.settings, favourites=favourites)
        config.save(self.settings)

    @staticmethod
    def _directory_for(settings: Settings) -> directory.Directory | None:
        """The local directory index of this PBX and user (None: SQLite can't build one)."""
        if not directory.fts5_available():
            log.warning("SQLite has no FTS5 with trigrams: search asks the PBX")
            return None
        return directory.open_directory(settings)

    async def reconnect(self, settings: Settings, password: str | None = None) -> None:
        """Rebuild the PBX client and the controller with newly saved settings (the
        password from the keyring unless it is given: kept for this session only)."""
        old = self.settings
        if password is None:
            try:
                password = await asyncio.to_thread(
                    credentials.get_password, settings.pbx_url, keyring_name(settings)
                )
            except credentials.CredentialError as exc:
                self.shell.show_error(str(exc))
                return
        self.settings = settings
        await self._stop_controller()  # first: its sync must not put the old index back
        if settings.language != old.language:
            self.install_language(settings.language)
        if old.pbx_url and (old.pbx_url, old.user) != (settings.pbx_url, settings.user):
            directory.open_directory(old).delete()  # another PBX or user: the company data goes
        if password:
            self.connect_pbx(settings, password)
        else:
            self.open_settings(
                _tr("The keyring holds no REST password for {url}: enter it to connect.").format(
                    url=settings.pbx_url
                )
            )
        self.settings_applied.emit()

    def install_language(self, setting: str) -> None:
        """Install the translators for `setting` ("" for the system's language).

        The tray menu and the windows take their words when they are made, so the shell
        is made anew in the language (before it is first shown: the one made in English
        by ``__init__``; later: the running one, shown again with its controller).
        """
        i18n.uninstall(self.app, self.translators)
        self.translators = i18n.install(self.app, setting)
        if self._shell is not None and (self.translators or self._shown):
            self._renew_shell()

    def _renew_shell(self) -> None:
        old, self._shell = self._shell, None
        if old is not None:
            old.set_controller(None)
            old.hide()
            for thing in (old.window, old.menu, old):
                if thing is not None:
                    thing.deleteLater()
        if self._shown:
            self.shell.show()  # made anew, with the controller

    async def _stop_controller(self) -> None:
        old, self.controller = self.controller, None
        if self._shell is not None:
            self._shell.set_controller(None)
        if old is not None:
            await old.stop()

    # -- the settings dialog --------------------------------------------------------------

    def open_first_start(self) -> FirstStart:
        """Show the guided first start (one at a time)."""
        from companion.ui.first_start import FirstStart

        if self.first_start is None:
            self.first_start = FirstStart()
            self.first_start.saved.connect(self._first_start_saved)
            self.first_start.demo_requested.connect(self._demo_requested)
            self.first_start.relay_requested.connect(self.open_relay_dialog)
            self.first_start.finished.connect(self._first_start_closed)
        self.first_start.show()
        self.first_start.raise_()
        self.first_start.activateWindow()
        return self.first_start

    def _first_start_saved(self, settings: Settings, password: str, session_only: bool) -> None:
        self._spawn(self.reconnect(settings, password))

    def _demo_requested(self) -> None:
        self._spawn(self.try_demo())

    async def try_demo(self) -> None:
        """Connect to the embedded demo PBX, as ``companion --demo`` does."""
        from companion.demo import DEMO_PASSWORD, start_demo

        try:
            settings = await asyncio.to_thread(start_demo)
        except Exception as exc:  # e.g. no free port: say so, stay on the first start
            log.error("demo failed", exc_info=exc)
            if self.first_start is not None:
                self.first_start.show_error(
                    _tr("The demo could not start: {reason}").format(reason=message_for(exc))
                )
            return
        if self.first_start is not None:
            self.first_start.accept()
        self.demo = True
        self.settings = settings
        self._renew_shell()  # it says it is a demo
        self.connect_pbx(settings, DEMO_PASSWORD)

    def _first_start_closed(self, result: int) -> None:
        dialog, self.first_start = self.first_start, None
        if dialog is not None:
            dialog.deleteLater()

    def open_settings(self, message: str = "", *, session_only: bool = False) -> SettingsDialog:
        """Show the settings dialog (one at a time), with `message` above the fields."""
        from companion.ui.settings_dialog import SettingsDialog

        dialog = self.settings_dialog
        if dialog is None:
            dialog = SettingsDialog(
                self.settings, self.password, message=message, session_only=session_only
            )
            dialog.saved.connect(self._saved)
            dialog.relay_requested.connect(self.open_relay_dialog)
            dialog.finished.connect(self._settings_closed)
            self.settings_dialog = dialog
        elif message:
            dialog.message_label.setText(message)
            dialog.message_label.setVisible(True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _saved(self, settings: Settings) -> None:
        dialog = self.settings_dialog
        kept = dialog.kept_password if dialog is not None else None
        self._spawn(self.reconnect(settings, kept))

    def _settings_closed(self, result: int) -> None:
        dialog, self.settings_dialog = self.settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- a Companion relay -----------------------------------------------------------------

    def open_relay_dialog(self) -> RelayDialog:
        """Ask for the relay's address and code (one dialog at a time)."""
        if self.relay_dialog is None:
            from companion.ui.relay_dialog import RelayDialog

            self.relay_dialog = RelayDialog(self.settings)
            self.relay_dialog.connected.connect(self._relay_connected)
            self.relay_dialog.finished.connect(self._relay_dialog_closed)
        self.relay_dialog.show()
        self.relay_dialog.raise_()
        self.relay_dialog.activateWindow()
        return self.relay_dialog

    def _relay_connected(self, settings: Settings, token: str) -> None:
        for dialog in (self.first_start, self.settings_dialog):
            if dialog is not None:
                dialog.reject()  # what they show is the old connection
        self._spawn(self.reconnect(settings, token))

    def _relay_dialog_closed(self, result: int) -> None:
        dialog, self.relay_dialog = self.relay_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def offer_enrolment(self, link: EnrolLink) -> EnrolPrompt:
        """Ask before the link connects this desktop to its relay (one question at a time:
        a newer link replaces the open one)."""
        if self.enrol_prompt is not None:
            self.enrol_prompt.close()
        from companion.ui.enrol_prompt import EnrolPrompt

        prompt = EnrolPrompt(link, self.settings.pbx_url)
        prompt.connect_requested.connect(lambda chosen: self._spawn(self.enrol(chosen)))
        prompt.show()
        prompt.raise_()
        self.enrol_prompt = prompt
        return prompt

    async def enrol(self, link: EnrolLink) -> None:
        """Trade the link's code for a device token, keep it, and work through the relay."""
        from companion import enrolment
        from companion.pbx.relay.links import LinkError

        try:
            connected = await enrolment.connect(
                self.settings, link.relay, link.code, ca_file=self.settings.ca_file
            )
            await asyncio.to_thread(enrolment.store, connected)
        except (errors.PbxError, LinkError, credentials.CredentialError, ConfigError) as exc:
            self.warn(
                _tr("This desktop was not connected to the Companion relay: {problem}").format(
                    problem=exc
                )
            )
            return
        await self.reconnect(connected.settings, connected.token)
        self.shell.show_done(
            _tr("Connected to the Companion relay at {relay} as {user}.").format(
                relay=connected.settings.pbx_url, user=connected.settings.user
            )
        )
        if connected.problem:
            self.shell.show_error(connected.problem)

    def warn(self, text: str) -> None:
        """Show a warning the user must see once (not a passing tray message)."""
        from companion.ui import icons

        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Companion"), text)
        box.setWindowIcon(icons.app_icon())
        box.setModal(False)
        box.show()
        self.warning_box = box

    # -- stopping ------------------------------------------------------------------------

    def quit(self) -> None:
        """End the Qt loop; :func:`run` then calls :meth:`shutdown`."""
        if not self.quitting:
            self.quitting = True
            self.app.quit()

    async def shutdown(self) -> None:
        """Close the windows, stop the controller and its HTTP client (before the loop)."""
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        if self.first_start is not None:
            self.first_start.reject()
        if self.relay_dialog is not None:
            self.relay_dialog.reject()
        if self._shell is not None:
            self._shell.hide()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._stop_controller()
        i18n.uninstall(self.app, self.translators)
        self.translators = []


async def start(
    app: QApplication | None = None,
    *,
    demo: bool = False,
    tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
) -> Companion:
    """Start Companion on the running qasync loop; returns the running app."""
    companion = Companion(app or application(), demo=demo, tray_available=tray_available)
    await companion.start()
    return companion


async def _first_answer(controller: Controller, timeout: float) -> None:
    """Wait until the PBX has answered the first poll (either way), `timeout` at most."""
    if controller.reachable is not None:
        return
    answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def changed(_reachable: bool, _why: str) -> None:
        if not answered.done():
            answered.set_result(None)

    controller.connection_changed.connect(changed)
    try:
        await asyncio.wait_for(answered, timeout)
    except TimeoutError:
        pass  # a slow PBX: the tray shows now and fills in when the answer comes
    finally:
        controller.connection_changed.disconnect(changed)

"""The app as the user sees it: a :class:`QSystemTrayIcon` with the app's menu
(tray_menu.py), whose icon and tooltip show the state, or, where the desktop shows no
tray, a fallback window with the same actions (tray_window.py). The shell also shows the
notifications (new voicemail, new fax, failures; tray_notices.py) and opens the dial and
inbox windows, lazily.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from companion.config import Settings
from companion.ui import icons
from companion.ui.incoming_calls import IncomingCalls
from companion.ui.placement import place_near
from companion.ui.tray_menu import TrayMenu
from companion.ui.tray_notices import ERROR_REPEAT_AFTER, Notice, new_fax, new_voicemail
from companion.ui.tray_status import describe, in_call
from companion.ui.tray_window import FallbackWindow

if TYPE_CHECKING:
    from companion.controller import Controller
    from companion.pbx.models import ReceivedFax, Voicemail

MESSAGE_TIMEOUT_MS = 10_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)


class Shell(QObject):
    """The app as the user sees it: the tray icon and menu, or the fallback window."""

    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        *,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        demo: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # What the tooltip and the window call the app: a demo says it is one.
        self.app_name = _tr("Companion (demo)") if demo else _tr("Companion")
        self.controller: Controller | None = None
        self.menu = TrayMenu()
        self.menu.dial_requested.connect(self.open_dial)
        self.menu.inbox_requested.connect(self.open_inbox)
        self.menu.settings_requested.connect(self.settings_requested.emit)
        self.menu.quit_requested.connect(self.quit_requested.emit)
        self.menu.action_failed.connect(self.show_error)
        self.menu.action_done.connect(self.show_done)
        self.notices: list[Notice] = []  # every notification shown, oldest first
        self.settings = Settings()
        self.calls = IncomingCalls(lambda title, text: self.notify(title, text), self)
        self.calls.names_changed.connect(self.update_status)
        # The tooltip's talk time counts on: refreshed each second while a call is up.
        self._call_timer = QTimer(self)
        self._call_timer.setInterval(1000)
        self._call_timer.timeout.connect(self.update_status)
        self.status = describe(None)
        self.dial_window: Any = None
        self.inbox_window: Any = None
        self._click_tab: str | None = None
        self._errors_shown: dict[str, float] = {}
        self.tray: QSystemTrayIcon | None = None
        self.window: FallbackWindow | None = None
        if tray_available():
            self.tray = QSystemTrayIcon(self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._activated)
            self.tray.messageClicked.connect(self._message_clicked)
        else:
            self.window = FallbackWindow(self.menu)
            self.window.setWindowTitle(self.app_name)
            self.window.closed.connect(self.quit_requested)
        self.update_status()

    def show(self) -> None:
        if self.tray is not None:
            self.tray.show()
        elif self.window is not None:
            self.window.show()

    def hide(self) -> None:
        """Hide the tray icon or close the window (which then does not mean "quit")."""
        if self.tray is not None:
            self.tray.hide()
        if self.window is not None and self.window.isVisible():
            self.window.closed.disconnect(self.quit_requested)
            self.window.close()
            self.window.closed.connect(self.quit_requested)
        self.calls.popups.close_all()
        self._close_windows()

    # -- the controller ---------------------------------------------------------------------

    def set_controller(
        self, controller: Controller | None, settings: Settings | None = None
    ) -> None:
        """Show `controller`'s state from now on (None: not set up); `settings` say which
        calls get a pop-up and what the CRM link is."""
        old = self.controller
        if old is not None:
            for signal in self._state_signals(old):
                signal.disconnect(self.update_status)
            old.new_voicemail.disconnect(self._new_voicemail)
            old.new_fax.disconnect(self._new_fax)
            old.failed.disconnect(self._failed)
        self._close_windows()
        self.controller = controller
        if settings is not None:
            self.settings = settings
        self.menu.set_hotkeys(self.settings.hotkey_open_dial, self.settings.hotkey_dial_selection)
        self.calls.set_controller(controller, self.settings)
        self.menu.set_controller(controller)
        if controller is not None:
            for signal in self._state_signals(controller):
                signal.connect(self.update_status)
            controller.new_voicemail.connect(self._new_voicemail)
            controller.new_fax.connect(self._new_fax)
            controller.failed.connect(self._failed)
        self.update_status()

    @staticmethod
    def _state_signals(controller: Controller) -> list[Any]:
        return [
            controller.connection_changed,
            controller.account_changed,
            controller.redirect_changed,
            controller.voicemail_changed,
            controller.queues_changed,
            controller.features_changed,
            controller.calls_changed,
            controller.missed_calls_changed,
        ]

    def update_status(self, *args: object) -> None:
        controller = self.controller
        status = describe(controller, self.calls.name_of)
        talking = controller is not None and any(in_call(c) for c in controller.calls)
        if talking and not self._call_timer.isActive():
            self._call_timer.start()
        elif not talking:
            self._call_timer.stop()
        changed_icon = status.state != self.status.state
        self.status = status
        if self.tray is not None:
            if changed_icon or self.tray.icon().isNull():
                self.tray.setIcon(icons.state_icon(status.state))
            self.tray.setToolTip(status.tooltip_for(self.app_name))
        if self.window is not None:
            self.window.set_status(status)

    # -- notifications ----------------------------------------------------------------------

    def notify(self, title: str, text: str, *, tab: str | None = None, error: bool = False) -> None:
        """Show a notification: a tray message, or in the fallback window's status bar."""
        self.notices.append(Notice(title, text, tab, error))
        self._click_tab = tab
        if self.tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Warning
                if error
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.tray.showMessage(title, text, icon, MESSAGE_TIMEOUT_MS)
        elif self.window is not None:
            self.window.show_notice(title, text)

    def show_done(self, text: str) -> None:
        """A change the user asked for is done: confirm it where the user looks."""
        self.notify(self.app_name, text)

    def show_error(self, text: str) -> None:
        """A change the user asked for failed: always say so."""
        self.notify(_tr("Companion"), text, error=True)

    def _failed(self, text: str) -> None:
        """Background work failed: say so once, not on every poll."""
        now = time.monotonic()
        shown = self._errors_shown.get(text)
        if shown is not None and now - shown < ERROR_REPEAT_AFTER:
            return
        self._errors_shown[text] = now
        self.notify(_tr("Companion"), text, error=True)

    def _new_voicemail(self, message: Voicemail) -> None:
        self._show(new_voicemail(message, self.controller))

    def _new_fax(self, fax: ReceivedFax) -> None:
        self._show(new_fax(fax, self.controller))

    def _show(self, notice: Notice) -> None:
        self.notify(notice.title, notice.text, tab=notice.tab, error=notice.error)

    def _message_clicked(self) -> None:
        if self._click_tab is not None:
            self.open_inbox(self._click_tab)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_dial()

    # -- windows ------------------------------------------------------------------------------

    def _missing(self, exc: ModuleNotFoundError, module: str) -> bool:
        if exc.name != module:
            return False
        self.show_error(_tr("This window is not part of this version of Companion."))
        return True

    def open_dial(self) -> None:
        """Open (or bring up) the dial window."""
        if self.controller is None:
            self.settings_requested.emit()
            return
        if self.dial_window is None:
            try:
                from companion.ui.dial_window import DialWindow
            except ModuleNotFoundError as exc:
                if self._missing(exc, "companion.ui.dial_window"):
                    return
                raise
            self.dial_window = DialWindow(self.controller)
            self._place(self.dial_window)
        self.dial_window.show_and_focus()

    def open_inbox(self, tab: str) -> None:
        """Open (or bring up) the inbox on its "voicemail" or "fax" tab."""
        if self.controller is None:
            self.settings_requested.emit()
            return
        if self.inbox_window is None:
            try:
                from companion.ui.inbox_window import InboxWindow
            except ModuleNotFoundError as exc:
                if self._missing(exc, "companion.ui.inbox_window"):
                    return
                raise
            self.inbox_window = InboxWindow(self.controller)
            self._place(self.inbox_window)
        self.inbox_window.show_tab(tab)

    def _place(self, window: QWidget) -> None:
        """A new window opens beside the fallback window or by the tray icon, not in a
        corner of the screen (once: where the user then moves it, it stays)."""
        if self.window is not None and self.window.isVisible():
            place_near(window, self.window.frameGeometry())
        elif self.tray is not None:
            place_near(window, self.tray.geometry())

    def _close_windows(self) -> None:
        for window in (self.dial_window, self.inbox_window):
            if window is not None:
                window.close()
                window.deleteLater()
        self.dial_window = self.inbox_window = None

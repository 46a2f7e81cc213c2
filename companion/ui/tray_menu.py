"""The app's menu, built from the controller's state: every checked item is the state
the PBX reported back (through the controller's signals), never a guess, and an item is
disabled while a change to it is on its way. This module lays out the menu, sends the
changes and says what does not work; the submenus fill themselves (tray_recent.py,
tray_presence.py, tray_queues.py, tray_redirect.py, tray_switches.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from companion.pbx.features import Feature
from companion.ui.painted_icons import menu_icon
from companion.ui.tray_favourites import FavouriteEntries
from companion.ui.tray_items import WHY, escape, when
from companion.ui.tray_presence import PresenceProfiles
from companion.ui.tray_queues import QueueItems
from companion.ui.tray_recent import RecentCalls
from companion.ui.tray_redirect import RedirectItems
from companion.ui.tray_status import capital, describe, shorten, why_not
from companion.ui.tray_switches import SwitchItems

if TYPE_CHECKING:
    from companion.controller import Controller


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class TrayMenu(QMenu):
    """The app's menu, kept in step with the controller's state."""

    dial_requested = Signal()
    inbox_requested = Signal(str)  # "voicemail" or "fax"
    settings_requested = Signal()
    quit_requested = Signal()
    action_failed = Signal(str)  # a change the user asked for failed: the words for it
    action_done = Signal(str)  # a change the user asked for is done: the words for it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller: Controller | None = None
        self._busy: set[str] = set()  # what has a change on its way to the PBX

        self.setToolTipsVisible(True)
        self.status_action = self.addAction("")
        self.status_action.setEnabled(False)
        # The header's second line: the presence and redirect the PBX has now.
        self.state_action = self.addAction("")
        self.state_action.setEnabled(False)
        self.addSeparator()
        self.dial_action = self.addAction(_tr("&Dial…"))
        self.dial_action.triggered.connect(self.dial_requested.emit)
        self._hotkeys = ("", "")  # open the dial window, dial the selection
        self.recent_menu = self.addMenu(_tr("Recent &calls"))
        self.favourites = FavouriteEntries(
            self, self.recent_menu.menuAction(), self.action_failed.emit
        )
        self.recent = RecentCalls(self, self.recent_menu)

        self.addSeparator()
        self.presence_menu = self.addMenu(_tr("&Presence"))
        self.presence = PresenceProfiles(self, self.presence_menu)
        self.queues = QueueItems(self, self.presence_menu)

        self.redirect_menu = self.addMenu(_tr("&Redirect"))
        self.redirect = RedirectItems(self, self.redirect_menu)

        self.switches_menu = self.addMenu(_tr("S&witches"))
        self.switches = SwitchItems(self, self.switches_menu)

        self.addSeparator()
        self.voicemail_action = self.addAction(_tr("&Voicemail"))
        self.voicemail_action.triggered.connect(lambda: self.inbox_requested.emit("voicemail"))
        self.fax_action = self.addAction(_tr("&Faxes"))
        self.fax_action.triggered.connect(lambda: self.inbox_requested.emit("fax"))
        self.addSeparator()
        # the local directory index: synced every few hours, and at once when asked here
        self.directory_action = self.addAction(_tr("Update the local &directory"))
        self.directory_action.triggered.connect(self._update_directory)
        self.settings_action = self.addAction(_tr("&Settings…"))
        self.settings_action.triggered.connect(self.settings_requested.emit)
        self.quit_action = self.addAction(_tr("&Quit"))
        self.quit_action.triggered.connect(self.quit_requested.emit)

        for action, kind in (
            (self.dial_action, "dial"),
            (self.recent_menu.menuAction(), "recent"),
            (self.presence_menu.menuAction(), "presence"),
            (self.redirect_menu.menuAction(), "redirect"),
            (self.switches_menu.menuAction(), "switches"),
            (self.voicemail_action, "voicemail"),
            (self.fax_action, "fax"),
            (self.directory_action, "directory"),
            (self.settings_action, "settings"),
            (self.quit_action, "quit"),
        ):
            action.setIcon(menu_icon(kind))
        self.aboutToShow.connect(self._about_to_show)
        self.update_items()

    def set_hotkeys(self, open_dial: str, dial_selection: str) -> None:
        """Show the global hotkeys beside Dial (as set in the settings; "" for none)."""
        self._hotkeys = (open_dial.strip(), dial_selection.strip())
        self.update_items()

    def _dial_label(self) -> str:
        """ "&Dial…" with the hotkey that opens the dial window in the shortcut column."""
        label = _tr("&Dial…")
        return f"{label}\t{self._hotkeys[0]}" if self._hotkeys[0] else label

    # -- the controller -------------------------------------------------------------------

    def _signals(self, controller: Controller) -> list[Any]:
        return [
            controller.connection_changed,
            controller.account_changed,
            controller.profiles_changed,
            controller.queues_changed,
            controller.redirect_changed,
            controller.switches_changed,
            controller.voicemail_changed,
            controller.history_changed,
            controller.features_changed,
            controller.directory_changed,
            controller.favourites_changed,
        ]

    def set_controller(self, controller: Controller | None) -> None:
        if self.controller is not None:
            for signal in self._signals(self.controller):
                signal.disconnect(self._changed)
        self.redirect.close_dialog()
        self.controller = controller
        self._busy.clear()
        self.recent.reset()
        if controller is not None:
            for signal in self._signals(controller):
                signal.connect(self._changed)
        self.update_items()

    def _changed(self, *args: object) -> None:
        self.update_items()

    def run(
        self,
        key: str,
        work: Coroutine[Any, Any, Any],
        what: str = "",
        outcome: Callable[[], str] | None = None,
    ) -> None:
        """Send a change to the PBX; `key`'s items stay disabled until it is done.

        `what` names the change for a failure ("the switch 'Holiday'"); `outcome` says,
        from the state read back, what the PBX now has, as the notice that confirms it.
        """
        controller = self.controller
        if controller is None:
            work.close()
            return
        self._busy.add(key)
        self.update_items()

        def failed(text: str) -> None:
            if what and what not in text:  # say what failed, by name
                text = _tr("Could not change {what}: {reason}").format(what=what, reason=text)
            self.action_failed.emit(text)

        task = controller.spawn(work, on_error=failed)

        def done(finished: asyncio.Task[Any]) -> None:
            if self.controller is controller:
                self._busy.discard(key)
                self.update_items()
                ok = not finished.cancelled() and finished.exception() is None
                if ok and outcome is not None:
                    self.action_done.emit(outcome())

        task.add_done_callback(done)

    def is_busy(self, key: str) -> bool:
        return key in self._busy

    def _about_to_show(self) -> None:
        if self.controller is not None:
            self.recent.load()  # before its submenu is opened
        self.opening()

    def opening(self) -> None:
        """The menu, or one of the no-tray window's lists, is being opened: poll now
        rather than at the interval, and ask for the favourite colleagues' presence."""
        if self.controller is None:
            return
        self.controller.refresh_soon()
        if self.controller.favourites:
            self.controller.spawn(
                self.controller.favourites.load_presence(), on_error=lambda _text: None
            )

    # -- showing the state --------------------------------------------------------------

    def update_items(self) -> None:
        """Show the controller's state (as read back from the PBX) in every item."""
        controller = self.controller
        status = describe(controller)
        summary = capital(status.summary)
        self.status_action.setText(escape(shorten(summary)))
        self.status_action.setToolTip(summary)  # the whole reason, where it was shortened
        connected = controller is not None and controller.reachable is True
        state = self._state_line() if connected else ""
        self.state_action.setText(escape(shorten(state)))
        self.state_action.setToolTip(state)
        self.state_action.setVisible(bool(state))
        self.dial_action.setText(self._dial_label())
        self.dial_action.setToolTip(self._dial_tip())
        self.dial_action.setEnabled(controller is not None)
        self.recent_menu.menuAction().setEnabled(controller is not None)
        for menu in (self.presence_menu, self.redirect_menu, self.switches_menu):
            menu.menuAction().setEnabled(connected)
        self.voicemail_action.setEnabled(controller is not None)
        self.fax_action.setEnabled(controller is not None)
        self._render_directory()
        self.favourites.render(controller)
        self.recent.render()
        self.presence.render()
        self.queues.render()
        self.redirect.render()
        self.switches.render()
        counts = controller.voicemail_counts if controller is not None else None
        if counts is not None and counts.new > 0:
            self.voicemail_action.setText(_tr("&Voicemail ({count} new)").format(count=counts.new))
        else:
            self.voicemail_action.setText(_tr("&Voicemail"))
        self._render_availability()

    def _dial_tip(self) -> str:
        keys = self._hotkeys[1]
        if not keys:
            return ""
        return _tr("{keys} dials the number selected in any window").format(keys=keys)

    def _state_line(self) -> str:
        """The presence and redirect now, as the PBX reports them, in one line."""
        controller = self.controller
        if controller is None:
            return ""
        parts = []
        active = next((p for p in controller.profiles if p.active), None)
        if active is not None:
            parts.append(_tr("Presence: {profile}").format(profile=active.name))
        redirect = controller.redirect
        if redirect is not None and redirect.active:
            target = controller.target_label(redirect.target)
            parts.append(_tr("Redirect to {target}").format(target=target))
        elif redirect is not None:
            parts.append(_tr("Redirect off"))
        return "  ·  ".join(parts)

    def feature_items(self) -> dict[Feature, QAction]:
        """The item (or submenu's item) that stands for each feature."""
        return {
            Feature.CALLS: self.dial_action,
            Feature.HISTORY: self.recent_menu.menuAction(),
            Feature.PRESENCE: self.presence_menu.menuAction(),
            Feature.REDIRECT: self.redirect_menu.menuAction(),
            Feature.SWITCHES: self.switches_menu.menuAction(),
            Feature.VOICEMAIL: self.voicemail_action,
            Feature.FAX: self.fax_action,
        }

    def _render_availability(self) -> None:
        """Hide what the PBX does not offer; disable what does not work now, saying why."""
        controller = self.controller
        for feature, action in self.feature_items().items():
            dial = action is self.dial_action
            if controller is None:
                action.setVisible(True)
                action.setToolTip(self._dial_tip() if dial else "")
                continue
            action.setVisible(controller.offers(feature))
            state = controller.feature_state(feature)
            # the item's own name, without a why (and without Dial's hotkey column)
            label = action.text().split("\t")[0].split(WHY)[0]
            if controller.reachable is True and not state.available:
                action.setText(f"{label}{WHY}{why_not(state)}")
                action.setToolTip(state.reason)
                action.setEnabled(False)
            else:
                action.setText(self._dial_label() if dial else label)
                action.setToolTip(self._dial_tip() if dial else "")
        self.queues.render_availability()

    def _update_directory(self) -> None:
        if self.controller is not None:
            self.controller.update_directory()

    def _render_directory(self) -> None:
        local = self.controller.directory if self.controller is not None else None
        self.directory_action.setVisible(local is not None)
        syncing = local is not None and local.syncing
        self.directory_action.setEnabled(local is not None and not syncing)
        self.directory_action.setText(
            _tr("Updating the local directory…") if syncing else _tr("Update the local &directory")
        )
        status = local.directory.status() if local is not None else None
        if status is not None and status.synced_at is not None:
            self.directory_action.setToolTip(
                _tr("{entries} entries, updated {when}").format(
                    entries=status.entries, when=when(status.synced_at)
                )
            )
        else:
            self.directory_action.setToolTip("")

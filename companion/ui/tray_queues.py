"""The tray menu's queue items, under the presence profiles: the user's queues and their
state, log in and out, pause (for a reason the queues offer) and unpause."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from companion.pbx.features import Feature
from companion.ui.tray_items import WHY, escape, sync_actions
from companion.ui.tray_status import why_not

if TYPE_CHECKING:
    from companion.pbx.models import QueueMembership
    from companion.ui.tray_menu import TrayMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


def _queue_state(queue: QueueMembership) -> str:
    if not queue.logged_in:
        return _tr("logged out")
    if queue.paused:
        if queue.pause_reason:
            return _tr("paused: {reason}").format(reason=queue.pause_reason)
        return _tr("paused")
    return _tr("logged in")


class QueueItems:
    """Keeps the queue items in the Presence submenu in step with the user's queues."""

    def __init__(self, owner: TrayMenu, menu: QMenu) -> None:
        self.owner = owner
        self._separator = menu.addSeparator()
        self.status_action = menu.addAction("")
        self.status_action.setEnabled(False)
        self.login_action = menu.addAction(_tr("Log in to the queues"))
        self.login_action.triggered.connect(lambda: self._queue("login"))
        self.logout_action = menu.addAction(_tr("Log out of the queues"))
        self.logout_action.triggered.connect(lambda: self._queue("logout"))
        self.pause_menu = menu.addMenu(_tr("Pause"))
        self.pause_action = self.pause_menu.addAction(_tr("Pause"))
        self.pause_action.triggered.connect(lambda: self._queue("pause"))
        self._pause_reasons_separator = self.pause_menu.addSeparator()
        self.pause_reason_actions: dict[str, QAction] = {}  # by reason, as the queues offer
        self.unpause_action = menu.addAction(_tr("Unpause"))
        self.unpause_action.triggered.connect(lambda: self._queue("unpause"))

    def render(self) -> None:
        controller = self.owner.controller
        queues = controller.queues if controller is not None else []
        for action in (
            self._separator,
            self.status_action,
            self.login_action,
            self.logout_action,
            self.pause_menu.menuAction(),
            self.unpause_action,
        ):
            action.setVisible(bool(queues))
        if not queues:
            return
        self.status_action.setText(
            escape(
                _tr("Queues: {states}").format(
                    states=", ".join(f"{q.queue} ({_queue_state(q)})" for q in queues)
                )
            )
        )
        busy = self.owner.is_busy("queue")
        logged_in = any(q.logged_in for q in queues)
        paused = any(q.paused for q in queues)
        self._render_pause_reasons(queues, busy)
        self.login_action.setEnabled(not busy and not all(q.logged_in for q in queues))
        self.logout_action.setEnabled(not busy and logged_in)
        self.pause_menu.menuAction().setEnabled(not busy and logged_in and not paused)
        self.unpause_action.setEnabled(not busy and paused)

    def render_availability(self) -> None:
        """While the queues do not work, the status item says why (the PBX is reachable)."""
        controller = self.owner.controller
        if controller is None or controller.reachable is not True:
            return
        queues = controller.feature_state(Feature.QUEUES)
        if controller.offers(Feature.QUEUES) and not queues.available:
            self._separator.setVisible(True)
            self.status_action.setVisible(True)
            name = _tr("Queues")
            self.status_action.setText(f"{name}{WHY}{why_not(queues)}")
            self.status_action.setToolTip(queues.reason)
        else:
            self.status_action.setToolTip("")

    def _render_pause_reasons(self, queues: list[QueueMembership], busy: bool) -> None:
        """One item per pause reason the user's queues offer (read from the PBX)."""
        reasons = list(dict.fromkeys(r.name for q in queues for r in q.pause_reasons))

        def make(key: str) -> QAction:
            action = QAction(escape(key), self.pause_menu)
            action.triggered.connect(partial(self._pause_for, key))
            return action

        sync_actions(self.pause_menu, self.pause_reason_actions, reasons, None, make)
        self._pause_reasons_separator.setVisible(bool(reasons))
        for action in self.pause_reason_actions.values():
            action.setEnabled(not busy)

    def _queue(self, action: str, reason: str = "") -> None:
        controller = self.owner.controller
        if controller is None or self.owner.is_busy("queue"):
            return

        def outcome() -> str:  # what the queues say now, read back
            queues = controller.queues
            if action in ("pause", "unpause"):
                if any(q.paused for q in queues):
                    return _tr("You are paused in the queues.")
                return _tr("You are no longer paused in the queues.")
            if any(q.logged_in for q in queues):
                return _tr("You are logged in to the queues.")
            return _tr("You are logged out of the queues.")

        # no `what`: the PBX's refusals already name the action ("to pause you (lunch)")
        self.owner.run("queue", controller.queue_action(action, reason), "", outcome)

    def _pause_for(self, reason: str, checked: bool = False) -> None:
        self._queue("pause", reason)

"""The tray menu's Recent calls: the last calls, newest first, each calling back its
number; loaded from the PBX when the menu opens, and opening it marks missed calls seen."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from companion.output import duration
from companion.ui.tray_items import escape, sync_actions, when

if TYPE_CHECKING:
    from companion.pbx.models import CallRecord
    from companion.ui.tray_menu import TrayMenu

RECENT_CALLS = 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class RecentCalls:
    """Keeps the Recent calls submenu in step with the controller's call history."""

    def __init__(self, owner: TrayMenu, menu: QMenu) -> None:
        self.owner = owner
        self.menu = menu
        self._loading = False
        self._error = ""
        self._actions: dict[str, QAction] = {}
        self._placeholder = menu.addAction("")
        self._placeholder.setEnabled(False)
        menu.aboutToShow.connect(self.load)
        menu.aboutToShow.connect(self._opened)

    def reset(self) -> None:
        """Another controller: nothing is loading for it, nothing failed yet."""
        self._error = ""
        self._loading = False

    def actions(self) -> dict[str, QAction]:
        """The recent calls' items, by call id, newest first."""
        return dict(self._actions)

    def render(self) -> None:
        controller = self.owner.controller
        calls = controller.history[:RECENT_CALLS] if controller is not None else []

        def make(key: str) -> QAction:
            action = QAction(self.menu)
            action.triggered.connect(partial(self._call_back, key))
            return action

        sync_actions(self.menu, self._actions, [c.id for c in calls], self._placeholder, make)
        for call in calls:
            action = self._actions[call.id]
            action.setText(escape(self._call_text(call)))
            action.setEnabled(bool(call.number))
        placeholder = ""
        if self._error:
            placeholder = self._error
        elif not calls:
            placeholder = _tr("Loading…") if self._loading else _tr("No calls yet")
        self._placeholder.setText(escape(placeholder))
        self._placeholder.setVisible(bool(placeholder))

    def _call_text(self, call: CallRecord) -> str:
        controller = self.owner.controller
        assert controller is not None
        number = controller.display(call.number) if call.number else ""
        name = call.name or controller.known_name(call.number)
        who = name or number or _tr("Unknown caller")
        if name and number and number != name:
            who = f"{who} ({number})"
        # As `companion history` does: talk time as the duration, unanswered calls in words.
        if call.outgoing:
            kind = "→"
            talked = duration(call.connected) if call.connected else _tr("not answered")
        elif call.missed:
            kind = "✕"
            talked = _tr("missed")
        else:
            kind = "←"
            talked = duration(call.connected)
        parts = [f"{kind}  {who}", when(call.time), talked]
        return "  ·  ".join(part for part in parts if part)

    def load(self) -> None:
        """Load the recent calls (when the menu is about to show)."""
        controller = self.owner.controller
        if controller is None or self._loading:
            return
        self._loading = True
        self._error = ""
        self.render()

        def failed(text: str) -> None:
            self._error = text

        task = controller.spawn(controller.load_history(RECENT_CALLS), on_error=failed)

        def done(_: asyncio.Task[Any]) -> None:
            if self.owner.controller is controller:
                self._loading = False
                self.render()

        task.add_done_callback(done)

    def _opened(self) -> None:
        """The user looks at Recent calls: the missed calls there are no longer news."""
        if self.owner.controller is not None:
            self.owner.controller.seen_missed_calls()

    def _call_back(self, call_id: str, checked: bool = False) -> None:
        controller = self.owner.controller
        if controller is None:
            return
        call = next((c for c in controller.history if c.id == call_id), None)
        if call is not None and call.number:
            controller.spawn(controller.dial(call.number), on_error=self.owner.action_failed.emit)

"""The tray menu's presence profiles: one checkable item per profile the PBX offers,
checked where the PBX says the user is, and choosing one asks the PBX to switch."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from companion.ui.tray_items import escape, sync_actions

if TYPE_CHECKING:
    from companion.ui.tray_menu import TrayMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class PresenceProfiles:
    """Keeps the profiles' items at the top of the Presence submenu."""

    def __init__(self, owner: TrayMenu, menu: QMenu) -> None:
        self.owner = owner
        self.menu = menu
        self._group = QActionGroup(owner)
        self._group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self._actions: dict[str, QAction] = {}
        self._none = menu.addAction(_tr("No presence profiles"))
        self._none.setEnabled(False)

    def actions(self) -> dict[str, QAction]:
        """The presence profiles' items, by profile id."""
        return dict(self._actions)

    def render(self) -> None:
        controller = self.owner.controller
        profiles = controller.profiles if controller is not None else []

        def make(key: str) -> QAction:
            action = QAction(self.menu)
            action.setCheckable(True)
            action.setActionGroup(self._group)
            action.triggered.connect(partial(self._choose, key))
            return action

        sync_actions(self.menu, self._actions, [p.id for p in profiles], self._none, make)
        busy = self.owner.is_busy("presence")
        for profile in profiles:
            action = self._actions[profile.id]
            action.setText(escape(profile.name))
            action.setChecked(profile.active)
            action.setEnabled(not busy)
        self._none.setVisible(not profiles)

    def _choose(self, profile_id: str, checked: bool = False) -> None:
        owner = self.owner
        controller = owner.controller
        owner.update_items()  # the check mark stays where the PBX has it until it says otherwise
        if controller is None or owner.is_busy("presence"):
            return
        active = next((p for p in controller.profiles if p.active), None)
        if active is not None and active.id == profile_id:
            return
        profile = next((p for p in controller.profiles if p.id == profile_id), None)
        name = profile.name if profile is not None else profile_id

        def outcome() -> str:
            return _tr("Your presence is now '{name}'.").format(name=name)

        what = _tr("your presence to '{name}'").format(name=name)
        owner.run("presence", controller.activate_profile(profile_id), what, outcome)

"""The tray menu's Switches submenu: one checkable item per call-routing switch, on
where the PBX says so; a company-wide switch changes only after the user confirms."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from companion.ui import icons
from companion.ui.tray_items import escape, sync_actions

if TYPE_CHECKING:
    from companion.pbx.models import Switch
    from companion.ui.tray_menu import TrayMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class SwitchItems:
    """Keeps the switches' items in step with the switches the PBX reports."""

    def __init__(self, owner: TrayMenu, menu: QMenu) -> None:
        self.owner = owner
        self.menu = menu
        self._actions: dict[str, QAction] = {}
        self._none = menu.addAction(_tr("No switches"))
        self._none.setEnabled(False)
        self.question: QMessageBox | None = None  # open while a company-wide switch waits

    def actions(self) -> dict[str, QAction]:
        """The switches' items, by the switch's extension."""
        return dict(self._actions)

    def render(self) -> None:
        controller = self.owner.controller
        switches = controller.switches if controller is not None else []

        def make(key: str) -> QAction:
            action = QAction(self.menu)
            action.setCheckable(True)
            action.triggered.connect(partial(self._toggle, key))
            return action

        sync_actions(
            self.menu, self._actions, [s.extension for s in switches], self._none, make
        )  # fmt: skip
        for switch in switches:
            action = self._actions[switch.extension]
            action.setText(escape(switch.name or switch.extension))
            action.setChecked(switch.on)
            busy = self.owner.is_busy(f"switch:{switch.extension}")
            action.setEnabled(switch.may_change and not busy)
            # Once the PBX refused a change, the item says why it is disabled.
            if switch.may_change:
                why = ""
            elif switch.read_only:
                why = _tr("The PBX shows this switch but offers no way to change it")
            else:
                why = _tr("You may not change this switch (the PBX refused it)")
            action.setToolTip(why or switch.name or switch.extension)
            action.setStatusTip(why)
        self._none.setVisible(not switches)

    def _toggle(self, extension: str, checked: bool = False) -> None:
        controller = self.owner.controller
        self.owner.update_items()
        key = f"switch:{extension}"
        if controller is None or self.owner.is_busy(key):
            return
        switch = self._switch(extension)
        if switch is None:
            return
        if switch.company_wide:
            self._ask_before_switching(extension)
        else:
            self._change(extension)

    def _switch(self, extension: str) -> Switch | None:
        controller = self.owner.controller
        switches = controller.switches if controller is not None else []
        return next((s for s in switches if s.extension == extension), None)

    def _ask_before_switching(self, extension: str) -> None:
        """A company-wide switch routes everybody's calls: change it only once confirmed."""
        switch = self._switch(extension)
        if switch is None:
            return
        if self.question is not None:
            self.question.close()
        name = switch.name or switch.extension
        if switch.on:
            text = _tr(
                "'{name}' is a company-wide switch: turning it off changes how calls are "
                "routed for everybody, not only for you."
            )
            verb = _tr("Turn off")
        else:
            text = _tr(
                "'{name}' is a company-wide switch: turning it on changes how calls are "
                "routed for everybody, not only for you."
            )
            verb = _tr("Turn on")
        question = QMessageBox(
            QMessageBox.Icon.Question, _tr("Change a company-wide switch?"),
            text.format(name=name),
        )  # fmt: skip
        question.setWindowIcon(icons.app_icon())
        change = question.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        question.addButton(QMessageBox.StandardButton.Cancel)
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not surprise
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.question = None
            if question.clickedButton() is change:
                self._change(extension)

        question.finished.connect(answered)
        self.question = question
        question.open()

    def _change(self, extension: str) -> None:
        controller = self.owner.controller
        switch = self._switch(extension)
        key = f"switch:{extension}"
        if controller is None or switch is None or self.owner.is_busy(key):
            return
        name = switch.name or switch.extension

        def outcome() -> str:
            now = self._switch(extension)
            if now is not None and now.on:
                return _tr("The switch '{name}' is now on.").format(name=name)
            return _tr("The switch '{name}' is now off.").format(name=name)

        what = _tr("the switch '{name}'").format(name=name)
        self.owner.run(key, controller.set_switch(extension, not switch.on), what, outcome)

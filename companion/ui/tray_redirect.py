"""The tray menu's Redirect submenu: the redirect on or off (to the target it had), and
"Redirect to…", which asks for a target in a dialog and redirects there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from companion.ui.tray_items import escape

if TYPE_CHECKING:
    from companion.session.targets import Target
    from companion.ui.redirect_dialog import RedirectDialog
    from companion.ui.tray_menu import TrayMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class RedirectItems:
    """Keeps the Redirect submenu's items in step with the redirect the PBX has."""

    def __init__(self, owner: TrayMenu, menu: QMenu) -> None:
        self.owner = owner
        self.toggle = menu.addAction("")
        self.toggle.setCheckable(True)
        self.toggle.triggered.connect(self._toggle)
        self.to_action = menu.addAction(_tr("Redirect to…"))
        self.to_action.triggered.connect(self.redirect_to)
        self.dialog: RedirectDialog | None = None  # open while the user types a target

    def close_dialog(self) -> None:
        """The controller changes: a dialog open now asked the old controller's PBX."""
        if self.dialog is not None:
            self.dialog.close()

    def render(self) -> None:
        controller = self.owner.controller
        redirect = controller.redirect if controller is not None else None
        busy = self.owner.is_busy("redirect")
        if redirect is None or controller is None:
            self.toggle.setText(_tr("Redirect on"))
            self.toggle.setChecked(False)
            self.toggle.setEnabled(False)
            self.to_action.setEnabled(False)
            return
        target = redirect.target or redirect.previous_target
        if target:
            text = _tr("Redirect to {target}").format(target=controller.target_label(target))
        else:
            text = _tr("Redirect on")
        self.toggle.setText(escape(text))
        self.toggle.setChecked(redirect.active)
        self.toggle.setEnabled(not busy)
        self.to_action.setEnabled(not busy)

    def _toggle(self, checked: bool = False) -> None:
        owner = self.owner
        controller = owner.controller
        owner.update_items()
        if controller is None or controller.redirect is None or owner.is_busy("redirect"):
            return
        redirect = controller.redirect
        what = _tr("the redirect")
        if redirect.active:
            owner.run("redirect", controller.redirect_off(), what, self._redirect_now)
        elif redirect.previous_target:
            owner.run("redirect", controller.redirect_on(), what, self._redirect_now)
        else:
            self.redirect_to()

    def redirect_to(self) -> None:
        """Ask where to forward calls (a number, an extension or a name) and redirect there."""
        from companion.ui.redirect_dialog import RedirectDialog

        controller = self.owner.controller
        if controller is None or self.owner.is_busy("redirect"):
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        redirect = controller.redirect
        text = controller.display(redirect.target or redirect.previous_target) if redirect else ""
        dialog = RedirectDialog(controller, text)
        dialog.chosen.connect(self._redirect_to_target)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.show()
        dialog.activateWindow()

    def _redirect_to_target(self, target: Target) -> None:
        controller = self.owner.controller
        if controller is not None and not self.owner.is_busy("redirect"):
            work = controller.set_redirect(target.number, target.name)
            self.owner.run("redirect", work, _tr("the redirect"), self._redirect_now)

    def _redirect_now(self) -> str:
        """The redirect as the PBX has it now, for the notice that confirms a change."""
        controller = self.owner.controller
        redirect = controller.redirect if controller is not None else None
        if redirect is None or not redirect.active or controller is None:
            return _tr("Your calls are no longer redirected.")
        target = controller.target_label(redirect.target)
        return _tr("Your calls are now redirected to {target}.").format(target=target)

    def _dialog_closed(self) -> None:
        self.dialog = None

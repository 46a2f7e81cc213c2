"""The small main window the app shows where the desktop has no system tray: the state
with its icon, the notices in the status bar, and buttons for the tray menu's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.ui import icons
from companion.ui.tray_status import Status, capital

if TYPE_CHECKING:
    from companion.ui.tray_menu import TrayMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


class FallbackWindow(QMainWindow):
    """A small main window with the menu's actions, for desktops without a system tray."""

    closed = Signal()

    def __init__(self, menu: TrayMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu = menu
        self.setWindowTitle(_tr("Companion"))
        self.setWindowIcon(icons.app_icon())
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.state_icon = QLabel(central)
        self.state_icon.setFixedSize(QSize(40, 40))
        top.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.status_label = QLabel(central)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )  # fmt: skip
        top.addWidget(self.status_label, 1)
        layout.addLayout(top)

        self.reason_label = QLabel(
            _tr("Your desktop shows no system tray, so Companion runs in this window."), central
        )
        self.reason_label.setWordWrap(True)
        self.reason_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.reason_label.setMargin(6)
        layout.addWidget(self.reason_label)

        def button(action: QAction, popup: bool = False) -> QToolButton:
            widget = QToolButton(central)
            widget.setDefaultAction(action)
            widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if popup:
                widget.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            return widget

        self.dial_button = button(menu.dial_action)
        self.dial_button.setMinimumHeight(36)
        layout.addWidget(self.dial_button)
        # the favourites of the menu, behind one button
        self.favourites_menu = QMenu(central)
        self.favourites_menu.aboutToShow.connect(self._favourites_opening)
        menu.favourites.rendered.append(self._favourites_rendered)
        self.favourites_button = QToolButton(central)
        self.favourites_button.setText(_tr("Fa&vourites"))
        self.favourites_button.setMenu(self.favourites_menu)
        self.favourites_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.favourites_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.favourites_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.favourites_button)
        grid = QGridLayout()
        self.recent_button = button(menu.recent_menu.menuAction(), popup=True)
        self.presence_button = button(menu.presence_menu.menuAction(), popup=True)
        self.redirect_button = button(menu.redirect_menu.menuAction(), popup=True)
        self.switches_button = button(menu.switches_menu.menuAction(), popup=True)
        # Opening one of them is opening the tray menu: poll now (the slow poll may be
        # minutes away while live calls work), ask for the favourites' presence.
        for listed in (
            menu.recent_menu,
            menu.presence_menu,
            menu.redirect_menu,
            menu.switches_menu,
        ):
            listed.aboutToShow.connect(menu.opening)
        self.voicemail_button = button(menu.voicemail_action)
        self.fax_button = button(menu.fax_action)
        self.directory_button = button(menu.directory_action)
        self.settings_button = button(menu.settings_action)
        self.quit_button = button(menu.quit_action)
        for index, widget in enumerate(
            (
                self.recent_button,
                self.presence_button,
                self.redirect_button,
                self.switches_button,
                self.voicemail_button,
                self.fax_button,
                self.directory_button,
                self.settings_button,
                self.quit_button,
            )
        ):
            grid.addWidget(widget, index // 2, index % 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.statusBar().setSizeGripEnabled(False)
        self.resize(380, 0)

    def _favourites_opening(self) -> None:
        self.menu.opening()  # as the tray menu does when it opens
        self._fill_favourites()

    def _favourites_rendered(self) -> None:
        """The menu's favourite actions were made anew (a poll, their presence): an open
        list shows the new ones instead of losing the old."""
        if self.favourites_menu.isVisible():
            self._fill_favourites()

    def _fill_favourites(self) -> None:
        self.favourites_menu.clear()
        actions = self.menu.favourites.actions
        self.favourites_menu.addActions(actions)
        if not actions:
            self.favourites_menu.addAction(
                _tr("No favourites: pin them in the dial window")
            ).setEnabled(False)

    def set_status(self, status: Status) -> None:
        lines = [capital(line) for line in status.lines()]
        self.status_label.setText("\n".join(lines))
        self.state_icon.setPixmap(QPixmap.fromImage(icons.state_image(status.state, 40)))

    def show_notice(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text, 30_000)  # the text says what it is; no title
        QApplication.alert(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.closed.emit()

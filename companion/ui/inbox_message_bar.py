"""The message bar at the top of the inbox: an error, a warning or a piece of news, with
what the user can do about it beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget


class MessageBar(QFrame):
    """One line (or a few) at the top of the window: an error or a piece of news."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.kind = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.close_button = QToolButton()
        self.close_button.setAutoRaise(True)
        self.close_button.setText("✕")
        self.close_button.clicked.connect(self.clear)
        self.tab = ""  # the tab the message is about ("" = the whole window)
        # What the user can do about the message (e.g. "Save as PDF…"), beside it.
        self.action_button = QToolButton()
        self.action_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def show_error(self, text: str, action: QAction | None = None) -> None:
        self._show("error", text, action=action)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def show_warning(self, text: str, tab: str = "") -> None:
        self._show("warning", text, tab)

    def clear(self) -> None:
        self.kind = ""
        self.tab = ""
        self.label.clear()
        self.action_button.hide()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Dismiss"))

    def _show(self, kind: str, text: str, tab: str = "", action: QAction | None = None) -> None:
        self.kind = kind
        self.tab = tab
        if action is not None:
            self.action_button.setDefaultAction(action)
        self.action_button.setVisible(action is not None)
        colours = {
            "error": ("#fdecea", "#e8a39c", "#5f1410"),
            "warning": ("#fff4e0", "#e9c27a", "#4d3300"),
            "info": ("#e8f1fb", "#a9c6e8", "#0b2e52"),
        }
        background, border, foreground = colours[kind]
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} #messageBar QLabel {{ color: {foreground}; }}"
        )
        self.label.setText(text)
        self.show()

"""The settings dialog's grid of rows: a caption, the field, a hint and the field's error.

A grid, not a QFormLayout: the wrapped hint and error lines under a field must take the
height they need (QFormLayout squeezes them into each other).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


class SettingsForm(QGridLayout):
    """The rows by their setting's key, each with the label its errors are shown in."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__()
        self._parent = parent
        self.setColumnStretch(1, 1)
        self.setVerticalSpacing(4)
        self.field_errors: dict[str, QLabel] = {}
        self.row_widgets: dict[str, list[QWidget]] = {}  # a row's caption, field and hint

    def row(self, label: str, widget: QWidget, key: str, hint: str = "") -> list[QWidget]:
        """Add a row for the setting `key`; its caption, field and hint (if any)."""
        parent = self._parent
        line = self.rowCount()
        caption = QLabel(label, parent)
        caption.setBuddy(widget)
        self.addWidget(caption, line, 0)
        self.addWidget(widget, line, 1)
        shown: list[QWidget] = [caption, widget]
        self.row_widgets[key] = shown
        if hint:
            hint_label = QLabel(hint, parent)
            shown.append(hint_label)
            hint_label.setWordWrap(True)
            hint_label.setEnabled(False)
            self.addWidget(hint_label, line + 1, 1)
        error = QLabel(parent)
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.setVisible(False)
        self.addWidget(error, line + 2, 1)
        self.field_errors[key] = error
        return shown

    def add_wide(self, widget: QWidget) -> None:
        """A line across both columns, above the rows still to come."""
        self.addWidget(widget, self.rowCount(), 0, 1, 2)

    def clear_errors(self) -> None:
        for label in self.field_errors.values():
            label.clear()
            label.setVisible(False)

    def show_errors(self, problems: dict[str, str]) -> None:
        """Each problem next to its field."""
        for key, text in problems.items():
            self.field_errors[key].setText(text)
            self.field_errors[key].setVisible(True)

    def hide_rows(self, *keys: str) -> None:
        for key in keys:
            for widget in self.row_widgets[key]:
                widget.setVisible(False)


def select(combo: QComboBox, value: str, *, free_text: bool) -> None:
    """Choose the item for `value`; or type it in, where the combo takes free text."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    elif free_text:
        combo.setEditText(value)

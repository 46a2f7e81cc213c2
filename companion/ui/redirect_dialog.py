"""The small window that asks where to forward calls: a number, an extension or a name.

A name is looked up in the phonebook (through the controller); when it matches several
contacts or numbers, the window lists them and the user picks one. A problem (no match,
not a number) is shown in the window, which stays open with the text as typed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.pbx.models import NumberKind
from companion.session.targets import Target, label
from companion.ui.placement import fit_title


class RedirectDialog(QWidget):
    """Type a target, press OK; pick one from the list when the name is ambiguous."""

    chosen = Signal(object)  # the Target to redirect to
    finished = Signal()

    def __init__(self, controller: Controller, text: str = "") -> None:
        super().__init__(None, Qt.WindowType.Dialog)
        self.controller = controller
        self.setWindowTitle(self.tr("Redirect calls"))
        fit_title(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._task: asyncio.Task[Any] | None = None
        self._candidates: list[Target] = []

        self.prompt_label = QLabel(
            self.tr("Forward your calls to a number, an extension or a name from the phonebook:")
        )
        self.prompt_label.setWordWrap(True)
        self.target_edit = QLineEdit(text)
        self.target_edit.selectAll()
        self.target_edit.textEdited.connect(self._edited)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.hide()
        self.candidates_label = QLabel(self.tr("Several match. Choose one:"))
        self.candidates_label.hide()
        self.candidates_list = QListWidget()
        self.candidates_list.hide()
        self.candidates_list.itemActivated.connect(lambda _item: self.submit())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        for widget in (
            self.prompt_label,
            self.target_edit,
            self.problem_label,
            self.candidates_label,
            self.candidates_list,
            self.buttons,
        ):
            layout.addWidget(widget)
        self.resize(420, 0)

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def submit(self) -> None:
        """OK: the picked candidate, else resolve what was typed (on the loop)."""
        row = self.candidates_list.currentRow()
        if self.candidates_list.isVisible() and 0 <= row < len(self._candidates):
            self._choose(self._candidates[row])
            return
        if self._task is not None:
            return
        self.problem_label.hide()
        self.ok_button.setEnabled(False)
        task = self.controller.spawn(
            self.controller.resolve_target(self.target_edit.text()), on_error=self._problem
        )
        self._task = task
        task.add_done_callback(self._resolved)

    def _resolved(self, task: asyncio.Task[Any]) -> None:
        self._task = None
        self.ok_button.setEnabled(True)
        if task.cancelled() or task.exception() is not None:
            return  # the problem is shown by _problem
        found: list[Target] = task.result()
        if len(found) == 1:
            self._choose(found[0])
        else:
            self._offer(found)

    def _problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()
        self.target_edit.setFocus()

    def _offer(self, found: list[Target]) -> None:
        self._candidates = found
        self.candidates_list.clear()
        for target in found:
            QListWidgetItem(self.candidate_text(target), self.candidates_list)
        self.candidates_label.show()
        self.candidates_list.show()
        self.candidates_list.setCurrentRow(0)
        self.candidates_list.setFocus()

    def candidate_text(self, target: Target) -> str:
        shown = label(target.name, self.controller.display(target.number))
        kind = self._kind_word(target.kind)
        return f"{shown} – {kind}" if kind else shown

    def _kind_word(self, kind: NumberKind | None) -> str:
        words = {
            NumberKind.PHONE: self.tr("phone"),
            NumberKind.MOBILE: self.tr("mobile"),
            NumberKind.HOME: self.tr("home"),
        }
        return words.get(kind, "") if kind is not None else ""

    def _edited(self, _text: str) -> None:
        """The list belongs to the text it was found for: typing again drops it."""
        self._candidates = []
        self.candidates_list.clear()
        self.candidates_list.hide()
        self.candidates_label.hide()
        self.problem_label.hide()

    def _choose(self, target: Target) -> None:
        self.chosen.emit(target)
        self.close()

    def closeEvent(self, event: Any) -> None:
        if self._task is not None:  # a late answer must not reach a closed window
            self._task.remove_done_callback(self._resolved)
            self._task.cancel()
            self._task = None
        self.finished.emit()
        super().closeEvent(event)

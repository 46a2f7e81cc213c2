"""What the inbox's tabs build their pages from: the message tables, the bold headings, the
"why there is no list" label, push buttons that mirror actions, actions with shortcuts,
and running the controller's work with a callback for its result."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QWidget,
)

from companion.controller import Controller

T = TypeVar("T")


def bold_label(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def table(model: QAbstractTableModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return view


def reason_label() -> QLabel:
    """Where a list would be: why the PBX does not give it."""
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMargin(24)
    return label


def action_button(action: QAction) -> QPushButton:
    """A push button that mirrors `action` (text, icon, enabled, tooltip) and triggers it."""
    button = QPushButton()

    def sync() -> None:
        button.setText(action.text())
        button.setIcon(action.icon())
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    action.changed.connect(sync)
    button.clicked.connect(action.trigger)
    sync()
    return button


def add_action(
    page: QWidget,
    slot: Callable[[], None],
    icon: QStyle.StandardPixmap | None = None,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
) -> QAction:
    """An action of `page`, its shortcut working wherever the focus is on the page."""
    action = QAction(page)
    if icon is not None:
        action.setIcon(page.style().standardIcon(icon))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    page.addAction(action)
    return action


def run(
    controller: Controller,
    work: Coroutine[Any, Any, T],
    on_error: Callable[[str], None],
    done: Callable[[T], object] | None = None,
) -> asyncio.Task[T]:
    """Run `work` with `controller.spawn`; `done` gets its result, `on_error` its failure."""
    task = controller.spawn(work, on_error=on_error)
    if done is not None:

        def finished(finished_task: asyncio.Task[T]) -> None:
            if not finished_task.cancelled() and finished_task.exception() is None:
                done(finished_task.result())

        task.add_done_callback(finished)
    return task

"""The dial window's calling: Enter, Alt+1…9 and Ctrl+T on the chosen row or typed text.

A dial or transfer while a call is up asks first; Enter right after typing waits for
the results of that text, so it never calls a row left from an older one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMessageBox

from companion.numbers import NumberError
from companion.pbx.models import Call, CallState
from companion.ui.dial_results import ResultRow, RowKind

if TYPE_CHECKING:
    from companion.ui.dial_window import DialWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)  # the window's texts, one context


class DialCalls(QObject):
    """Dials and transfers from one dial window, asking first where a call is up."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__(window)  # a child of the window: it goes with it
        self.window = window
        self.controller = window.controller
        self.dial_task: asyncio.Task[Any] | None = None
        self.dial_box: QMessageBox | None = None  # "You are in a call with ..."
        self.transfer_box: QMessageBox | None = None  # "Transfer ... to ...?"

    def dial_selected(self) -> None:
        """Enter: the chosen row's first number; the typed text when nothing matches."""
        window = self.window
        typed = window.search.text().strip()
        row = window.current_row()
        if row is not None and row.kind is RowKind.NUMBER:
            self.dial_row(row, 0)
            return
        if self._wait_for_results(self.dial_selected):
            return
        failed = window.finder.failed_search
        if failed is not None and failed[0] == typed and typed and not self._is_number(typed):
            # The rows shown are for an older text, and the name could not be looked up:
            # say why, neither "no phone number" nor a call to an older row.
            window.show_error(_tr("“{0}” could not be looked up: {1}").format(typed, failed[1]))
            return
        if row is not None:
            self.dial_row(row, 0)
        else:
            self.dial(typed)  # nothing matches: the controller says why it is no number

    def _is_number(self, text: str) -> bool:
        try:
            self.controller.parse(text)
        except NumberError:
            return False
        return True

    def _wait_for_results(self, action: Callable[[], None]) -> bool:
        """True when `action` has to wait for the results of what was just typed.

        Enter right after typing must call the first result for that text (what the
        user sees a moment later), never a row left from an older text. Once the user
        has chosen a row with the arrows or the mouse, that row is what they meant.
        """
        finder = self.window.finder
        if not finder.pending or finder.moved_since_typing:
            return False
        finder.when_ready = action
        if finder.debounce.isActive():
            finder.schedule(immediately=True)
        return True

    def dial_number(self, n: int) -> None:
        """Alt+n: the n-th number of the chosen contact."""
        if self._wait_for_results(lambda: self.dial_number(n)):
            return
        row = self.window.current_row()
        if row is None:
            self.window.show_error(_tr("Choose a contact first, then press Alt+{0}.").format(n))
            return
        self.dial_row(row, n - 1)

    def dial_row(self, row: ResultRow, index: int) -> None:
        if not row.targets:
            self.window.show_error(_tr("{0} has no number to call.").format(row.title))
            return
        if index >= len(row.targets):
            only = self.window.only_numbers_text(len(row.targets))
            self.window.show_error(only.format(row.title))
            return
        self.dial(row.targets[index].number, row.name)

    def dial(self, text: str, name: str = "") -> None:
        """Call `text` (a number as typed or stored); `name` is shown in the status.

        While a call is up, ask first: the PBX puts that call on hold to dial.
        """
        if self.dial_task is not None and not self.dial_task.done():
            return  # one dial at a time: a second Enter must not call twice
        current = self._current_call()
        if current is None:
            self._start_dial(text, name)
            return
        try:
            shown = self.controller.display(self.controller.parse(text).destination)
        except NumberError as exc:
            self.window.show_error(str(exc))
            return
        label = _tr("{0} ({1})").format(name, shown) if name else shown
        box = self._question(
            _tr("You are in a call with {0}. Dial {1} anyway? (your call is put on hold)").format(
                self.window.call_panel.who(current), label
            ),
            _tr("Dial"),
        )

        def answered(accepted: bool) -> None:
            self.dial_box = None
            if accepted:
                self._start_dial(text, name)

        self.dial_box = box
        self._ask(box, answered)

    def _current_call(self) -> Call | None:
        """The call the user is in: a connected one first, else any live one."""
        calls = self.window.call_panel.calls
        return next((c for c in calls if c.state is CallState.CONNECTED), None) or (
            calls[-1] if calls else None
        )

    def _start_dial(self, text: str, name: str) -> None:
        self.dial_task = self.controller.spawn(
            self._dial(text, name), on_error=self.window.show_error
        )

    async def _dial(self, text: str, name: str) -> None:
        shown = await self.controller.dial(text)
        label = _tr("{0} ({1})").format(name, shown) if name else shown
        self.window.show_info(_tr("Calling {0}…").format(label))

    def transfer(self) -> None:
        """Transfer the chosen call to the chosen result or typed number, asking first."""
        window = self.window
        row = window.current_row()
        if (row is None or row.kind is not RowKind.NUMBER) and self._wait_for_results(
            self.transfer
        ):
            return
        if row is not None and row.targets:
            target, name = row.targets[0].number, row.name
        else:
            target, name = window.search.text().strip(), ""
        if not target:
            window.show_error(_tr("Type a number or choose a contact to transfer the call to."))
            return
        call = window.call_panel.selected
        try:  # a number that is none, or the party on the line: said before asking
            destination = self.controller.transfer_target(target, call)
        except NumberError as exc:
            window.show_error(str(exc))
            return
        if call is None:
            window.show_error(_tr("No call in progress: there is nothing to transfer."))
            return
        self.controller.spawn(
            self._ask_transfer(call, target, name, destination), on_error=window.show_error
        )

    async def _ask_transfer(self, call: Call, target: str, name: str, destination: str) -> None:
        if not name:  # a typed number: the phonebook may know whose it is
            contact = await self.controller.contact_for(destination)
            name = contact.name if contact is not None else ""
        shown = self.controller.display(destination)
        label = _tr("{0} ({1})").format(name, shown) if name else shown
        panel = self.window.call_panel
        box = self._question(
            _tr("Transfer {0} to {1}?").format(panel.who(call), label), _tr("Transfer")
        )

        def answered(accepted: bool) -> None:
            self.transfer_box = None
            if accepted:
                panel.transfer(call, target, label)

        self.transfer_box = box
        self._ask(box, answered)

    def _question(self, text: str, confirm: str) -> QMessageBox:
        """A question with `confirm` (Enter) and Cancel (Esc)."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_tr("Companion"))
        box.setText(text)
        yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    def _ask(self, box: QMessageBox, answered: Callable[[bool], None]) -> None:
        confirm = box.defaultButton()

        def finished() -> None:
            answered(box.clickedButton() is confirm)
            window = self.window
            window.activateWindow()  # the keys (Ctrl+T, Ctrl+H...) work in the active window
            window.search.setFocus()

        box.finished.connect(finished)
        box.open()

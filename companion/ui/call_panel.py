"""The call panel: every live call of the user, with the controls for the chosen one.

The calls come from the controller (`calls_changed`, the live poll), so a call started
from a tel: link, the hotkey, Recent calls or the phone itself shows here just like one
dialled in the dial window. The PBX's actions name a device, not a call: an action goes
to the device the chosen call is on, and where another call on that device is connected,
the phone would act on that one, so the panel says so instead of acting on the wrong call.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.pbx.models import Call, CallAction, CallState
from companion.ui.painted_icons import HANGUP_RED, painted_icon

TICK_MS = 1_000  # the connected-time timer: once a second, only while a call is connected
ENDED_MS = 3_000  # how long "Call ended" stays before the panel hides
PANEL_STYLE = (
    "QFrame#callPanel { background: palette(alternate-base); border: 1px solid palette(mid);"
    " border-radius: 6px; }"
)


def talk_time(call: Call, now: datetime | None = None) -> str:
    """The connected time as m:ss (h:mm:ss past an hour); "" while unanswered."""
    if call.connected_since is None:
        return ""
    hours, rest = divmod(call.talk_seconds(now), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class CallPanel(QFrame):
    """Lists the user's live calls; Hang up, Hold, Transfer, Keypad, Record act on one."""

    failed = Signal(str)  # an action failed: a sentence for the window's message bar
    done = Signal(str)  # an action the PBX took: a short status line
    transfer_requested = Signal()  # the window knows the target (its search field)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.calls: list[Call] = []
        self.selected_id: str | None = None
        self.recording: set[str] = set()  # ids of calls the user started recording
        self._names: dict[str, str] = {}  # number -> phonebook name ("" = none): looked up once
        self.ended_text = ""
        self.setObjectName("callPanel")
        self.setStyleSheet(PANEL_STYLE)

        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self._render)
        self.ended_timer = QTimer(self)
        self.ended_timer.setSingleShot(True)
        self.ended_timer.setInterval(ENDED_MS)
        self.ended_timer.timeout.connect(self._ended_over)

        self._build()
        self._retranslate()
        controller.calls_changed.connect(self.set_calls)
        self.set_calls(controller.calls)

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.call_title = QLabel(self)
        self.call_title.setTextFormat(Qt.TextFormat.PlainText)
        # A long name ("Schreinerei Huber - Josef Huber (+49 89 5554321)") wraps rather
        # than pushing the timer out of sight (seen in a screenshot).
        self.call_title.setWordWrap(True)
        title_font = self.call_title.font()
        title_font.setWeight(QFont.Weight.DemiBold)
        self.call_title.setFont(title_font)
        self.recording_label = QLabel(self)
        self.recording_label.setStyleSheet("color: #c42b1c; font-weight: 600;")
        self.note = QLabel(self)  # why the buttons cannot act on the chosen call
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)

        self.list = QListWidget(self)  # shown with two calls or more
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the search
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.currentItemChanged.connect(self._chosen)

        text_colour = self.palette().color(QPalette.ColorRole.ButtonText)
        self.hangup_button = QPushButton(painted_icon("hangup", HANGUP_RED), "", self)
        self.hold_button = QPushButton(painted_icon("hold", text_colour), "", self)
        self.transfer_button = QPushButton(painted_icon("transfer", text_colour), "", self)
        self.keypad_button = QPushButton(painted_icon("dtmf", text_colour), "", self)
        self.record_button = QPushButton(self)
        self.record_button.setCheckable(True)
        self.dtmf = QLineEdit(self)
        self.dtmf.setValidator(QRegularExpressionValidator(r"[0-9*#]{0,32}", self.dtmf))
        self.dtmf.setMaximumWidth(110)
        self.dtmf.setMinimumWidth(90)  # never squeezed to "D…" by a long title
        self.dtmf.returnPressed.connect(self.send_dtmf)
        self.hangup_button.clicked.connect(self.hang_up)
        self.hold_button.clicked.connect(self.hold)
        self.transfer_button.clicked.connect(self.transfer_requested)
        self.keypad_button.clicked.connect(self.focus_dtmf)
        self.record_button.clicked.connect(self.toggle_recording)
        self.buttons = (
            self.hangup_button,
            self.hold_button,
            self.transfer_button,
            self.keypad_button,
            self.record_button,
        )
        for button in self.buttons:
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        top = QHBoxLayout()
        top.addWidget(self.call_title, 1)
        top.addWidget(self.recording_label)
        top.addWidget(self.dtmf)  # beside the title: the buttons' row is full
        row = QHBoxLayout()
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.hide()

    def _retranslate(self) -> None:
        self.hangup_button.setText(self.tr("Hang up"))
        self.hangup_button.setToolTip(self.tr("End the call (Ctrl+H)"))
        self.transfer_button.setText(self.tr("Transfer"))
        self.transfer_button.setToolTip(
            self.tr("Transfer the call to the chosen result or the typed number (Ctrl+T)")
        )
        self.keypad_button.setText(self.tr("Keypad"))
        self.keypad_button.setToolTip(self.tr("Type digits to send during the call (Ctrl+D)"))
        self.record_button.setToolTip(self.tr("Start or stop recording the call"))
        self.dtmf.setPlaceholderText(self.tr("DTMF digits"))
        self.dtmf.setToolTip(self.tr("Digits to send during the call; Enter sends them (Ctrl+D)"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- the calls --------------------------------------------------------------------

    @property
    def selected(self) -> Call | None:
        """The call the buttons act on: the chosen one, else the only one."""
        return next((c for c in self.calls if c.id == self.selected_id), None)

    def set_calls(self, calls: list[Call]) -> None:
        live = [c for c in calls if c.state is not CallState.ENDED]
        gone = [c for c in self.calls if c.id not in {n.id for n in live}]
        new = [c for c in live if c.id not in {o.id for o in self.calls}]
        self.recording &= {c.id for c in live}
        if gone:
            self.ended_text = self.tr("Call ended: {0}").format(self.label(gone[-1]))
            self.ended_timer.start()
        if live:
            self.ended_text = ""
            self.ended_timer.stop()
        if new and self.calls:  # a new call (the PBX held the other one): it is the one now
            self.selected_id = new[-1].id
        self.calls = live
        if self.selected is None and live:
            connected = [c for c in live if c.state is CallState.CONNECTED]
            self.selected_id = (connected or live)[-1].id
        for call in live:
            self._look_up(call.remote_number)
        if any(c.state is CallState.CONNECTED for c in live):
            if not self.tick.isActive():
                self.tick.start()
        else:
            self.tick.stop()
        self._render()

    def choose(self, call_id: str) -> None:
        """Make `call_id` the call the buttons act on."""
        if any(c.id == call_id for c in self.calls):
            self.selected_id = call_id
            self._render()

    def _chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.choose(item.data(Qt.ItemDataRole.UserRole))

    def _ended_over(self) -> None:
        self.ended_text = ""
        self._render()

    def _look_up(self, number: str) -> None:
        """The phonebook's name for a number the PBX gave no name for, asked once."""
        if not number or number in self._names:
            return
        self._names[number] = ""

        async def look() -> None:
            contact = await self.controller.contact_for(number)
            if contact is not None and contact.name:
                self._names[number] = contact.name
                self._render()

        self.controller.spawn(look(), on_error=lambda _text: None)  # no name is fine

    def name_of(self, call: Call) -> str:
        return call.remote_name or self._names.get(call.remote_number, "")

    def label(self, call: Call) -> str:
        """Who the call is with, as the user knows them: "Tina Sander (221)"."""
        number = self.controller.display(call.remote_number) if call.remote_number else ""
        name = self.name_of(call)
        if name and number and name != number:
            return self.tr("{0} ({1})").format(name, number)
        return name or number or self.tr("unknown caller")

    def who(self, call: Call) -> str:
        """The other party in a sentence: the name, else the number."""
        name = self.name_of(call)
        if name:
            return name
        return (
            self.controller.display(call.remote_number)
            if call.remote_number
            else self.tr("an unknown caller")
        )

    def state_text(self, call: Call) -> str:
        if call.state is CallState.RINGING:
            return self.tr("ringing") if call.incoming else self.tr("calling")
        if call.state is CallState.ON_HOLD:
            return self.tr("on hold")
        return self.tr("connected {0}").format(talk_time(call)).strip()

    def blocked(self, call: Call) -> bool:
        """Another call on the same device is connected: the phone acts on that one."""
        return call.state is not CallState.CONNECTED and any(
            other.id != call.id
            and other.state is CallState.CONNECTED
            and other.device == call.device
            for other in self.calls
        )

    # -- showing ------------------------------------------------------------------------

    def _render(self) -> None:
        self.setVisible(bool(self.calls) or bool(self.ended_text))
        call = self.selected
        if call is None:
            self.call_title.setText(self.ended_text)
            self.recording_label.setText("")
            self.list.hide()
            self.note.hide()
            for button in self.buttons:
                button.setEnabled(False)
            self.dtmf.setEnabled(False)
            return
        if call.state is CallState.ON_HOLD:
            self.call_title.setText(self.tr("On hold: {0}").format(self.label(call)))
        elif call.state is CallState.RINGING:
            title = self.tr("Ringing: {0}") if call.incoming else self.tr("Calling {0}…")
            self.call_title.setText(title.format(self.label(call)))
        else:
            self.call_title.setText(
                self.tr("Call with {0} · {1}").format(self.label(call), talk_time(call))
            )
        recording = call.id in self.recording
        self.recording_label.setText(self.tr("Recording") if recording else "")
        self.record_button.setChecked(recording)
        # One label in both states (the button stays pressed while recording, and the title
        # row says "Recording"): a longer "Stop recording" would resize the window.
        self.record_button.setText(self.tr("Record"))
        self.record_button.setToolTip(
            self.tr("Stop recording") if recording else self.tr("Start or stop recording the call")
        )
        self._render_list()
        on_hold = call.state is CallState.ON_HOLD
        self.hold_button.setText(self.tr("Resume") if on_hold else self.tr("Hold"))
        self.hold_button.setToolTip(
            self.tr("Take the call off hold (Ctrl+Shift+H)")
            if on_hold
            else self.tr("Put the call on hold (Ctrl+Shift+H)")
        )
        blocked = self.blocked(call)
        self.note.setText(
            self.tr("Your phone acts on the call you are talking in: hold or end that one first.")
            if blocked
            else ""
        )
        self.note.setVisible(blocked)
        talking = call.state is not CallState.RINGING
        self.hangup_button.setEnabled(not blocked)
        self.transfer_button.setEnabled(not blocked)
        self.hold_button.setEnabled(not blocked and talking)
        for widget in (self.keypad_button, self.record_button, self.dtmf):
            widget.setEnabled(not blocked and call.state is CallState.CONNECTED)

    def _render_list(self) -> None:
        self.list.setVisible(len(self.calls) > 1)
        self.list.blockSignals(True)
        self.list.clear()
        for call in self.calls:
            text = f"{self.label(call)} — {self.state_text(call)}"
            if call.id in self.recording:
                text += " · " + self.tr("Recording")
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, call.id)
            if call.id == self.selected_id:
                self.list.setCurrentItem(item)
        row_height = max(self.list.sizeHintForRow(0), 18)
        self.list.setFixedHeight(row_height * min(len(self.calls), 4) + 6)
        self.list.blockSignals(False)

    # -- acting ------------------------------------------------------------------------

    def _act(self, work: Coroutine[Any, Any, Any], done: str) -> None:
        async def run() -> None:
            await work
            self.done.emit(done)

        self.controller.spawn(run(), on_error=self.failed.emit)

    def _target(self) -> Call | None:
        """The selected call, if the buttons can act on it (else says why, in words)."""
        call = self.selected
        if call is None:
            self.failed.emit(self.tr("No call in progress."))
            return None
        if self.blocked(call):
            self.failed.emit(self.note.text())
            return None
        return call

    def hang_up(self) -> None:
        call = self._target()
        if call is not None:
            self._act(
                self.controller.call_action(CallAction.HANGUP, call=call), self.tr("Call ended.")
            )

    def hold(self) -> None:
        call = self._target()
        if call is None:
            return
        if call.state is CallState.RINGING:
            self.failed.emit(self.tr("A ringing call cannot be put on hold."))
            return
        done = (
            self.tr("Call resumed.")
            if call.state is CallState.ON_HOLD
            else self.tr("Call on hold.")
        )
        self._act(self.controller.call_action(CallAction.HOLD, call=call), done)

    def transfer(self, call: Call, target: str, label: str) -> None:
        """Transfer `call` to `target` (the user confirmed); `label` names the target."""
        self._act(
            self.controller.call_action(CallAction.TRANSFER, target, call),
            self.tr("Call transferred to {0}.").format(label),
        )

    def focus_dtmf(self) -> None:
        if self.dtmf.isEnabled():
            self.dtmf.setFocus()
            self.dtmf.selectAll()

    def send_dtmf(self) -> None:
        call = self._target()
        if call is None:
            return
        digits = self.dtmf.text()

        async def send() -> None:
            await self.controller.call_action(CallAction.DTMF, digits, call)
            self.dtmf.clear()

        self._act(send(), self.tr("Sent {0}.").format(digits))

    def toggle_recording(self) -> None:
        call = self._target()
        if call is None:
            self._render()  # the button's check mark follows the state, not the click
            return
        starting = call.id not in self.recording

        async def toggle() -> None:
            await self.controller.toggle_recording(call)
            if starting:
                self.recording.add(call.id)
            else:
                self.recording.discard(call.id)
            self._render()

        self._render()
        done = self.tr("Recording started.") if starting else self.tr("Recording stopped.")
        self._act(toggle(), done)

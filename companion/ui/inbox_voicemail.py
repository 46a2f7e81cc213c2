"""The inbox's voicemail tab: the message list, playing a message, and what the user does
with one (call back, save the caller, mark heard, save as WAV, delete).

Playing a message does not mark it heard by itself. A message that was played to its end
is marked heard (moved to Old) automatically, as a phone's voicemail menu does; not when
the computer has no sound output, because then nobody heard it. Playback uses
QtMultimedia, which is imported only when the user first plays something
(`companion.ui.player`). Where it cannot load, or there is no sound output, the tab says
so, and "Save as WAV..." still works.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSlider,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from companion.controller import Controller
from companion.files import file_name
from companion.pbx.features import Feature
from companion.pbx.models import ContactDetails, Voicemail, VoicemailCounts
from companion.ui.inbox_files import InboxFiles
from companion.ui.inbox_message_bar import MessageBar
from companion.ui.inbox_models import VoicemailModel, format_duration, format_time
from companion.ui.inbox_widgets import action_button, add_action, reason_label, run, table
from companion.ui.phonebook_names import PhonebookNames

if TYPE_CHECKING:
    from companion.ui.player import Player

log = logging.getLogger(__name__)

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("InboxWindow", text)  # the inbox's texts, one context


class VoicemailTab(QWidget):
    """The voicemail list with its player and actions; follows `voicemail_changed`."""

    list_changed = Signal()  # the messages were read again (the tab title counts new ones)

    def __init__(
        self, controller: Controller, bar: MessageBar, files: InboxFiles, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.bar = bar
        self.files = files
        self._player: Player | None = None
        self._playback_unavailable = ""  # why playback cannot work here, once known
        self._audio: dict[str, bytes] = {}  # voicemail id -> WAV, fetched once
        self._wanted: str | None = None  # the message the user last asked to play
        self._loading_audio = False
        self._build()

    def new_count(self) -> int:
        return sum(1 for m in self.voicemail_model._rows if not m.heard)

    def follow(self) -> None:
        """Show the controller's messages now and follow their changes."""
        self.controller.voicemail_changed.connect(self._voicemail_changed)
        self.controller.features_changed.connect(self._show_voicemail_list)
        self._voicemail_changed(self.controller.voicemail_counts, self.controller.voicemails)

    def stop_playback(self) -> None:
        """The window closes: no sound from it, and audio on its way must not start."""
        self._wanted = None
        if self._player is not None:
            self._player.unload()  # the WAV file goes
            self._update_transport()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.voicemail_model = VoicemailModel(self.controller)
        self._caller_names = PhonebookNames(self.controller, self._caller_named)
        self.voicemail_view = table(self.voicemail_model, VoicemailModel.CALLER)
        self.voicemail_view.doubleClicked.connect(lambda _index: self._play_pause())
        self.voicemail_view.customContextMenuRequested.connect(self._voicemail_menu)
        self.voicemail_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._voicemail_selected()
        )
        self.voicemail_empty = QLabel()
        self.voicemail_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.voicemail_empty.setEnabled(False)
        self.voicemail_unavailable = reason_label()
        self.voicemail_stack = QStackedWidget()
        self.voicemail_stack.addWidget(self.voicemail_view)
        self.voicemail_stack.addWidget(self.voicemail_empty)
        self.voicemail_stack.addWidget(self.voicemail_unavailable)

        sp = QStyle.StandardPixmap
        self.play_action = add_action(self, self._play_pause, sp.SP_MediaPlay, "Space")
        # Space plays from the list; on a focused button it must still press the button.
        self.play_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(self.play_action)
        self.voicemail_view.addAction(self.play_action)
        self.call_back_action = add_action(self, self._call_back, None, "Ctrl+Return")
        self.save_contact_action = add_action(self, self._save_caller)
        self.mark_heard_action = add_action(self, self._mark_heard, None, "Ctrl+M")
        self.save_wav_action = add_action(
            self, self._save_wav, sp.SP_DialogSaveButton, QKeySequence.StandardKey.Save
        )
        self.delete_action = add_action(
            self, self._delete, sp.SP_TrashIcon, QKeySequence.StandardKey.Delete
        )

        self.play_button = action_button(self.play_action)
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance("M") * 7)
        self.position_slider = QSlider(Qt.Orientation.Horizontal)
        self.position_slider.setEnabled(False)
        self.position_slider.sliderMoved.connect(self._seek)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setMinimumWidth(
            self.time_label.fontMetrics().horizontalAdvance("00:00 / 00:00")
        )
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        transport = QHBoxLayout()
        transport.addWidget(self.play_button)
        transport.addWidget(self.position_slider, 1)
        transport.addWidget(self.time_label)

        buttons = QHBoxLayout()
        for action in (self.call_back_action, self.save_contact_action):
            buttons.addWidget(action_button(action))
        buttons.addStretch(1)
        for action in (self.mark_heard_action, self.save_wav_action, self.delete_action):
            buttons.addWidget(action_button(action))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.voicemail_stack, 1)
        layout.addLayout(transport)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.voicemail_empty.setText(_tr("No voicemail."))
        self.call_back_action.setText(_tr("&Call back"))
        self.save_contact_action.setText(_tr("Save caller as &contact…"))
        self.mark_heard_action.setText(_tr("Mark &heard"))
        self.mark_heard_action.setToolTip(_tr("Move the message to Old (Ctrl+M)"))
        self.save_wav_action.setText(_tr("&Save as WAV…"))
        self.delete_action.setText(_tr("&Delete"))
        self.delete_action.setToolTip(_tr("Delete the message (Del)"))
        self.position_slider.setAccessibleName(_tr("Position in the message"))
        self.voicemail_model.retranslate()
        self._update_transport()
        self._update_voicemail_actions()

    def _run(
        self,
        work: Coroutine[Any, Any, T],
        done: Callable[[T], object] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> asyncio.Task[T]:
        return run(self.controller, work, on_error or self.bar.show_error, done)

    # -- state from the controller ----------------------------------------------------------

    def _show_voicemail_list(self, *args: object) -> None:
        """The list, "No voicemail.", or why the PBX does not give voicemail."""
        voicemail = self.controller.feature_state(Feature.VOICEMAIL)
        if not voicemail.available:
            self.voicemail_unavailable.setText(
                _tr("Voicemail cannot be shown.") + "\n\n" + voicemail.reason
            )
            self.voicemail_stack.setCurrentWidget(self.voicemail_unavailable)
        elif self.voicemail_model._rows:
            self.voicemail_stack.setCurrentWidget(self.voicemail_view)
        else:
            self.voicemail_stack.setCurrentWidget(self.voicemail_empty)

    def _voicemail_changed(self, counts: VoicemailCounts | None, messages: list[Voicemail]) -> None:
        selected = self._selected_voicemail()
        self.voicemail_model.set_rows(messages)
        self._show_voicemail_list()
        ids = {m.id for m in messages}
        for gone in set(self._audio) - ids:
            del self._audio[gone]
        if (
            self._player is not None
            and self._player.key is not None
            and self._player.key not in ids
        ):
            self._player.unload()
        row = self.voicemail_model.row_of(selected.id) if selected is not None else None
        if row is None and messages:
            row = 0
        if row is not None:
            self.voicemail_view.selectRow(row)
        self.list_changed.emit()
        self._voicemail_selected()
        self._caller_names.look_up(m.caller_number for m in messages if not m.caller_name)

    def _caller_named(self, number: str, name: str) -> None:
        self.voicemail_model.set_name(number, name)
        self._update_voicemail_actions()

    # -- the selected message ---------------------------------------------------------------

    def _selected_voicemail(self) -> Voicemail | None:
        message: Voicemail | None = self.voicemail_model.row_object(
            self.voicemail_view.currentIndex().row()
        )
        return message

    def _voicemail_selected(self) -> None:
        message = self._selected_voicemail()
        player = self._player
        if (
            player is not None
            and player.key is not None
            and (message is None or player.key != message.id)
            and player.playing
        ):
            player.pause()  # the transport is about the selected message
        self._update_transport()
        self._update_voicemail_actions()

    def _update_voicemail_actions(self) -> None:
        message = self._selected_voicemail()
        has = message is not None
        self.play_action.setEnabled(has and not self._playback_unavailable)
        self.call_back_action.setEnabled(has and bool(message and message.caller_number))
        self.save_contact_action.setEnabled(has and bool(message and message.caller_number))
        self.mark_heard_action.setEnabled(has and not (message and message.heard))
        self.save_wav_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        if message is not None and message.caller_number:
            self.call_back_action.setToolTip(
                _tr("Call {number} from your phone (Ctrl+Enter)").format(
                    number=self.controller.display(message.caller_number)
                )
            )

    # -- playing ----------------------------------------------------------------------------

    def _update_transport(self) -> None:
        message = self._selected_voicemail()
        player = self._player
        loaded = player is not None and message is not None and player.key == message.id
        playing = bool(loaded and player is not None and player.playing)
        self.play_action.setText(_tr("&Pause") if playing else _tr("&Play"))
        self.play_action.setToolTip(
            _tr("Pause (Space)")
            if playing
            else _tr("Play the message (Space). Played to its end, it is marked heard.")
        )
        self.play_action.setIcon(
            self.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaPause
                if playing
                else QStyle.StandardPixmap.SP_MediaPlay
            )
        )
        if loaded and player is not None:
            duration = player.duration or (message.duration * 1000 if message else 0)
            position = player.position
        else:
            duration = message.duration * 1000 if message else 0
            position = 0
        self.position_slider.setEnabled(loaded)
        self.position_slider.setMaximum(max(0, duration))
        if not self.position_slider.isSliderDown():
            self.position_slider.setValue(position)
        if self._loading_audio and not loaded:
            self.time_label.setText(_tr("Loading…"))
        else:
            elapsed, total = round(position / 1000), round(duration / 1000)
            self.time_label.setText(f"{format_duration(elapsed)} / {format_duration(total)}")

    def _ensure_player(self) -> Player | None:
        """The player, created (and QtMultimedia imported) on first use; None if it cannot."""
        if self._player is not None:
            return self._player
        if self._playback_unavailable:
            self.bar.show_error(self._playback_unavailable)
            return None
        try:
            from companion.ui.player import Player

            player = Player(self.window())  # the window owns it: it goes with the window
        except Exception as exc:  # ImportError, or OSError for a missing libpulse/libatomic
            log.warning("QtMultimedia cannot be used: %s", exc)
            self._playback_unavailable = _tr(
                "Voicemail cannot be played on this computer: Qt Multimedia could not be "
                "loaded ({reason}). You can still save a message as WAV and play it with "
                "another program."
            ).format(reason=str(exc) or type(exc).__name__)
            self.bar.show_error(self._playback_unavailable)
            self._update_voicemail_actions()
            return None
        player.position_changed.connect(lambda _ms: self._update_transport())
        player.duration_changed.connect(lambda _ms: self._update_transport())
        player.playing_changed.connect(lambda _playing: self._update_transport())
        player.finished.connect(self._played_to_end)
        player.failed.connect(self.bar.show_error)
        player.audible_changed.connect(lambda audible: self._say_if_silent(player))
        self._player = player
        return player

    def _play_pause(self) -> None:
        message = self._selected_voicemail()
        if message is None:
            return
        player = self._ensure_player()
        if player is None:
            return
        if player.key == message.id:
            if player.playing:
                player.pause()
            else:
                player.play()
            return
        self._wanted = message.id
        audio = self._audio.get(message.id)
        if audio is not None:
            self._start(player, message.id, audio)
            return
        self._loading_audio = True
        self._update_transport()

        def failed(text: str) -> None:
            self._loading_audio = False
            self._update_transport()
            self.bar.show_error(text)

        self._run(
            self.controller.voicemail_audio(message.id),
            done=functools.partial(self._audio_arrived, message.id),
            on_error=failed,
        )

    def _audio_arrived(self, key: str, audio: bytes) -> None:
        self._loading_audio = False
        self._audio[key] = audio
        player = self._player
        selected = self._selected_voicemail()
        if (
            player is None
            or self._wanted != key
            or selected is None
            or selected.id != key
            or not self.window().isVisible()
        ):
            self._update_transport()  # the user moved on to another message, or closed us
            return
        self._start(player, key, audio)

    def _start(self, player: Player, key: str, audio: bytes) -> None:
        try:
            player.load(key, audio)
        except OSError as exc:
            self.bar.show_error(
                _tr("The message cannot be played: {reason}").format(reason=exc.strerror or exc)
            )
            return
        player.play()
        self._say_if_silent(player)
        self._update_transport()

    def _say_if_silent(self, player: Player) -> None:
        silent_text = _tr(
            "This computer has no sound output, so the message plays silently and is not "
            "marked as heard. Use Save as WAV… to listen to it elsewhere."
        )
        if not player.audible:
            self.bar.show_warning(silent_text, "voicemail")
        elif self.bar.text() == silent_text:
            self.bar.clear()

    def _seek(self, position: int) -> None:
        message = self._selected_voicemail()
        if self._player is not None and message is not None and self._player.key == message.id:
            self._player.seek(position)

    def _played_to_end(self, key: str) -> None:
        """Played to its end: heard, as on a phone (not if nobody could hear it)."""
        self._update_transport()
        player = self._player
        row = self.voicemail_model.row_of(key)
        message: Voicemail | None = (
            self.voicemail_model.row_object(row) if row is not None else None
        )
        if player is None or not player.audible or message is None or message.heard:
            return
        self._run(self.controller.mark_heard(key))

    # -- what the user does with a message ----------------------------------------------------

    def _mark_heard(self) -> None:
        message = self._selected_voicemail()
        if message is None or message.heard:
            return
        self.mark_heard_action.setEnabled(False)  # until the list comes back

        def failed(text: str) -> None:
            self._update_voicemail_actions()
            self.bar.show_error(text)

        self._run(self.controller.mark_heard(message.id), on_error=failed)

    def _confirm_delete(self, message: Voicemail) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_tr("Delete voicemail"))
        box.setText(
            _tr("Delete the message from {caller} ({time})?").format(
                caller=self.voicemail_model.caller(message), time=format_time(message.received)
            )
        )
        box.setInformativeText(_tr("It is removed from the PBX and cannot be restored."))
        delete = box.addButton(_tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def _delete(self) -> None:
        message = self._selected_voicemail()
        if message is None or not self._confirm_delete(message):
            return
        if self._player is not None and self._player.key == message.id:
            self._player.unload()
        self.delete_action.setEnabled(False)

        def failed(text: str) -> None:
            self._update_voicemail_actions()
            self.bar.show_error(text)

        self._run(self.controller.delete_voicemail(message.id), on_error=failed)

    def _call_back(self) -> None:
        message = self._selected_voicemail()
        if message is None or not message.caller_number:
            return
        self._run(
            self.controller.dial(message.caller_number),
            done=lambda shown: self.bar.show_info(_tr("Calling {number}…").format(number=shown)),
        )

    def _save_caller(self) -> None:
        message = self._selected_voicemail()
        if message is None or not message.caller_number:
            return
        try:
            from companion.ui.contact_dialog import ContactDialog
        except ImportError as exc:
            log.warning("no contact dialog: %s", exc)
            self.bar.show_error(_tr("Contacts cannot be edited in this version of Companion."))
            return
        name = message.caller_name or self.voicemail_model.names.get(message.caller_number, "")
        details = ContactDetails(name=name, phone=message.caller_number)
        dialog = ContactDialog(self.controller, details, parent=self)
        if dialog.exec():
            # The caller may now be in the phonebook: look the number up again.
            self._caller_names.forget(message.caller_number)
            self._caller_names.look_up(
                m.caller_number for m in self.voicemail_model._rows if not m.caller_name
            )

    def _save_wav(self) -> None:
        message = self._selected_voicemail()
        if message is None:
            return
        when = message.received.astimezone() if message.received else None
        suggested = (
            file_name(
                _tr("Voicemail {caller} {time}").format(
                    caller=self.voicemail_model.caller(message),
                    time=f"{when:%Y-%m-%d %H%M}" if when else "",
                )
            )
            + ".wav"
        )
        path = self.files.ask_save_path(
            _tr("Save voicemail as WAV"), suggested, _tr("WAV audio (*.wav)")
        )
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".wav")
        audio = self._audio.get(message.id)
        if audio is not None:
            self.files.write_file(path, audio)
            return

        def arrived(audio: bytes, key: str = message.id) -> None:
            self._audio[key] = audio
            self.files.write_file(path, audio)

        self._run(self.controller.voicemail_audio(message.id), done=arrived)

    def _voicemail_menu(self, position: QPoint) -> None:
        if self._selected_voicemail() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.play_action)
        menu.addSeparator()
        menu.addAction(self.call_back_action)
        menu.addAction(self.save_contact_action)
        menu.addSeparator()
        menu.addAction(self.mark_heard_action)
        menu.addAction(self.save_wav_action)
        menu.addAction(self.delete_action)
        menu.popup(self.voicemail_view.viewport().mapToGlobal(position))

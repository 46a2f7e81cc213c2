"""Voicemail playback: QtMultimedia behind a small interface the inbox window uses.

Importing this module loads QtMultimedia (PySide6-Addons; on Linux it needs libpulse0
and libatomic1 to import), so the inbox imports it only when the user first plays a
message: a user who never plays one never pays for it, and a machine where it cannot
load still shows the inbox and can save messages as WAV.

A message is played from a WAV file in a private temporary directory; the file is
removed when another message is loaded and the directory when the player is closed.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer


def _settle_notify_overrides(sender: QObject) -> None:
    """Let PySide learn on this thread that `sender` overrides no connect/disconnectNotify.

    QtMultimedia's playback threads connect to the player's and the audio output's
    signals and delete their renderers in those threads, so Qt calls the senders'
    `disconnectNotify` there. On an object made in Python that call asks PySide whether
    Python overrides it, which takes the GIL, unless PySide has already found out on an
    earlier call (it caches "no override" per object). Without that, closing the inbox
    while a message played froze the app about one time in ten: the GUI thread held the
    GIL while it waited in `setSource` for a lock that the playback thread held while it
    waited for the GIL. One connect and disconnect here answers the question in advance.
    """

    def nothing() -> None:
        pass

    sender.objectNameChanged.connect(nothing)
    sender.objectNameChanged.disconnect(nothing)


class Player(QObject):
    """Plays one message at a time, identified by a key (the voicemail's id)."""

    position_changed = Signal(int)  # milliseconds
    duration_changed = Signal(int)  # milliseconds, 0 while unknown
    playing_changed = Signal(bool)
    finished = Signal(str)  # key of the message that was played to its end
    failed = Signal(str)  # a sentence for the user
    audible_changed = Signal(bool)  # an audio output appeared or went away

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._outputs_changed)
        self._dir: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(
            prefix="companion-voicemail-"
        )
        self._file: Path | None = None
        self.key: str | None = None
        # Without an audio output the media clock still runs (the slider moves), but
        # nobody hears anything: the inbox says so and does not count it as heard.
        self.audible = bool(QMediaDevices.audioOutputs())
        self._player.positionChanged.connect(lambda ms: self.position_changed.emit(int(ms)))
        self._player.durationChanged.connect(lambda ms: self.duration_changed.emit(int(ms)))
        self._player.playbackStateChanged.connect(self._state_changed)
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.errorOccurred.connect(self._error)
        for sender in (self._player, self._output, self._devices):
            _settle_notify_overrides(sender)

    # -- what the inbox calls ----------------------------------------------------------------

    def load(self, key: str, wav: bytes) -> None:
        """Make `wav` the current message (stopped, at its start)."""
        self.unload()
        if self._dir is None:
            raise RuntimeError("the player is closed")
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key) or "message"
        path = Path(self._dir.name) / f"{safe}.wav"
        path.write_bytes(wav)
        self._file = path
        self.key = key
        self._player.setSource(QUrl.fromLocalFile(str(path)))

    def unload(self) -> None:
        """Stop and forget the current message; remove its file."""
        self._player.stop()
        self._player.setSource(QUrl())
        self.key = None
        if self._file is not None:
            with contextlib.suppress(OSError):  # Windows may still hold it for a moment
                self._file.unlink()
            self._file = None

    def play(self) -> None:
        self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def seek(self, position: int) -> None:
        self._player.setPosition(position)

    def set_playback_rate(self, rate: float) -> None:
        self._player.setPlaybackRate(rate)

    @property
    def playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    @property
    def position(self) -> int:
        return self._player.position()

    @property
    def duration(self) -> int:
        return self._player.duration()

    def close(self) -> None:
        """Stop, and remove the temporary files. The player cannot be used afterwards."""
        self.unload()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    # -- QtMultimedia's signals ------------------------------------------------------------

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playing_changed.emit(state == QMediaPlayer.PlaybackState.PlayingState)

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and self.key is not None:
            self.finished.emit(self.key)

    def _error(self, _error: QMediaPlayer.Error, text: str) -> None:
        self.failed.emit(
            self.tr("The message cannot be played: {reason}").format(
                reason=text or self.tr("unknown error")
            )
        )

    def _outputs_changed(self) -> None:
        audible = bool(QMediaDevices.audioOutputs())
        self._output.setDevice(QMediaDevices.defaultAudioOutput())
        if audible != self.audible:
            self.audible = audible
            self.audible_changed.emit(audible)

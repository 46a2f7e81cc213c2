"""The text the user selected, for the dial hotkey, without overwriting their clipboard.

* X11 (and Wayland compositors with a primary selection): the PRIMARY selection, which
  holds whatever is highlighted, read with ``QClipboard.Mode.Selection``. Reading it
  writes nothing. If nothing is highlighted, the clipboard's text is used (the user
  may have copied the number with Ctrl+C).
* Windows and macOS have no PRIMARY selection: there the selection can only be had by
  sending the frontmost application a copy keystroke and reading the clipboard, and the
  user's clipboard must be put back afterwards. :func:`copy_selection` does that around
  any ``send_copy`` function, with :class:`ClipboardSnapshot` saving and restoring every
  format on the clipboard. TODO(windows, macos): the keystroke itself
  (:func:`platform_copy_keystroke`) is not written yet -- Windows: wait until the user
  has let go of the hotkey's modifiers (``GetAsyncKeyState``), then ``SendInput``
  Ctrl+C; macOS: the same with ``CGEventPost`` Cmd+C, which needs the Accessibility
  permission (the hotkey itself does not). Until then, those platforms read the
  clipboard: copy the number, then press the hotkey.

:func:`dial_selection_text` is for ``companion dial --selection``, the command users bind
in their desktop's own keyboard settings where Companion cannot grab a key: it reads the
selection with ``xclip`` or ``wl-paste`` when they are installed (fast, no Qt), else
with a short-lived QGuiApplication.

Qt is imported only by the functions that need it, so the command stays quick.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.numbers import DialNumber, NumberError, find_number

if TYPE_CHECKING:
    from PySide6.QtGui import QClipboard

__all__ = [
    "NO_PRIMARY_MESSAGE",
    "NO_SELECTION_MESSAGE",
    "ClipboardSnapshot",
    "SelectionError",
    "copy_selection",
    "dial_selection_text",
    "number_from_selection",
    "platform_copy_keystroke",
    "reads_highlighted_text",
    "selected_text",
]

NO_SELECTION_MESSAGE = (
    "No number selected: select a phone number (or copy it) and press the shortcut again"
)
NO_PRIMARY_MESSAGE = (
    "This desktop does not let Companion read highlighted text (no primary selection):"
    " copy the number (Ctrl+C), then press the shortcut again"
)
TOOL_TIMEOUT = 3.0
"""Seconds to wait for the application that owns the selection to hand it over."""
COPY_TIMEOUT = 0.5
"""Seconds to wait for the frontmost application to answer a copy keystroke."""


class SelectionError(Exception):
    """The selection could not be read; ``str(err)`` is one sentence for the user."""


# ------------------------------------------------------------------------ in the app


def selected_text(clipboard: QClipboard) -> str:
    """The selected text, or the clipboard's if nothing is selected; "" if neither.

    Reads the PRIMARY selection where the platform has one
    (``clipboard.supportsSelection()``), else the clipboard. Writes nothing.
    """
    from PySide6.QtGui import QClipboard

    if clipboard.supportsSelection():
        primary = clipboard.text(QClipboard.Mode.Selection)
        if primary.strip():
            return primary
    else:
        send_copy = platform_copy_keystroke()
        if send_copy is not None:
            copied = copy_selection(clipboard, send_copy)
            if copied is not None:
                return copied
    return clipboard.text(QClipboard.Mode.Clipboard)


def reads_highlighted_text(clipboard: QClipboard) -> bool:
    """Whether :func:`selected_text` sees highlighted text, not only copied text: False
    on Wayland compositors without the primary-selection protocol (Weston) and where no
    copy keystroke is written yet (Windows, macOS)."""
    return clipboard.supportsSelection() or platform_copy_keystroke() is not None


def number_from_selection(text: str, region: str | None, *, highlighted: bool = True) -> DialNumber:
    """The phone number in the selected ``text`` (see :func:`companion.numbers.find_number`).

    Raises :class:`~companion.numbers.NumberError` when the selection is empty: with
    :data:`NO_SELECTION_MESSAGE`, or :data:`NO_PRIMARY_MESSAGE` where highlighted text
    cannot be read (``highlighted`` False), so the user learns to copy the number first;
    and with find_number's own message when the text holds no number.
    """
    if not text.strip():
        raise NumberError(NO_SELECTION_MESSAGE if highlighted else NO_PRIMARY_MESSAGE)
    return find_number(text, region)


@dataclass
class ClipboardSnapshot:
    """Every format on a clipboard at one moment, to put back later."""

    formats: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def take(cls, clipboard: QClipboard) -> ClipboardSnapshot:
        data = clipboard.mimeData()
        if data is None:
            return cls()
        return cls({fmt: bytes(data.data(fmt).data()) for fmt in data.formats()})

    def restore(self, clipboard: QClipboard) -> None:
        """Put the saved formats back (or empty the clipboard if it was empty)."""
        from PySide6.QtCore import QByteArray, QMimeData

        if not self.formats:
            clipboard.clear()
            return
        data = QMimeData()
        for fmt, payload in self.formats.items():
            data.setData(fmt, QByteArray(payload))
        clipboard.setMimeData(data)


def copy_selection(
    clipboard: QClipboard, send_copy: Callable[[], None], timeout: float = COPY_TIMEOUT
) -> str | None:
    """The text ``send_copy`` puts on the clipboard, with the user's clipboard restored.

    ``send_copy`` makes the frontmost application copy its selection (a Ctrl+C / Cmd+C
    keystroke). Waits up to ``timeout`` seconds, running Qt's events, for the clipboard
    to change. If it changes, its text is returned and everything that was on the
    clipboard before is put back; if not (nothing selected, or the application does not
    copy), None is returned and the clipboard was never touched.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    saved = ClipboardSnapshot.take(clipboard)
    before = clipboard.text()
    loop = QEventLoop()
    changed: list[bool] = []

    def check() -> None:
        # dataChanged is not emitted for every outside change on every platform
        # (macOS): a different text counts too.
        if changed or clipboard.text() != before:
            changed.append(True)
            loop.quit()

    def mark() -> None:
        changed.append(True)
        loop.quit()

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(check)
    clipboard.dataChanged.connect(mark)
    try:
        send_copy()
        poll.start()
        QTimer.singleShot(round(timeout * 1000), loop.quit)
        if not changed:
            loop.exec()
    finally:
        poll.stop()
        clipboard.dataChanged.disconnect(mark)
    if not changed:
        return None
    text = clipboard.text()
    saved.restore(clipboard)
    return text


def platform_copy_keystroke() -> Callable[[], None] | None:
    """The function that makes the frontmost application copy, where one is written.

    None on every platform for now (see the TODO in the module docstring); X11 and
    Wayland don't need one, they have the PRIMARY selection.
    """
    return None


# ------------------------------------------------------------- for the command line


def dial_selection_text() -> str:
    """The selected text for ``companion dial --selection``, without starting the GUI.

    The PRIMARY selection, else the clipboard, as :func:`selected_text`; "" when both
    are empty. Tries ``wl-paste`` (Wayland) or ``xclip`` (X11), then a QGuiApplication
    (no window). Raises :class:`SelectionError` when there is no desktop session to ask
    or the owner of the selection does not answer.
    """
    wayland = bool(os.environ.get("WAYLAND_DISPLAY"))
    x11 = bool(os.environ.get("DISPLAY"))
    if wayland and shutil.which("wl-paste"):
        primary = _tool_output(["wl-paste", "--primary", "--no-newline", "--type", "text"])
        if primary.strip():
            return primary
        return _tool_output(["wl-paste", "--no-newline", "--type", "text"])
    if x11 and shutil.which("xclip"):
        primary = _tool_output(["xclip", "-o", "-selection", "primary"])
        if primary.strip():
            return primary
        return _tool_output(["xclip", "-o", "-selection", "clipboard"])
    if sys.platform.startswith("linux") and not (wayland or x11):
        raise SelectionError(
            "No desktop session to read the selection from (neither DISPLAY nor"
            " WAYLAND_DISPLAY is set)"
        )
    return _read_with_qt()


def _tool_output(command: list[str]) -> str:
    """What ``command`` prints; "" when it says there is no such selection."""
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise SelectionError(
            f"The application holding the selection did not hand it over within"
            f" {TOOL_TIMEOUT:g} s ({command[0]})"
        ) from None
    except OSError as err:
        raise SelectionError(f"Could not run {command[0]} to read the selection: {err}") from None
    if done.returncode != 0:
        return ""  # xclip / wl-paste: no owner, or no text in the selection
    return done.stdout.decode("utf-8", errors="replace")


def _read_with_qt() -> str:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        app = QGuiApplication([sys.argv[0] if sys.argv else "companion"])
    clipboard = app.clipboard()
    return selected_text(clipboard)

"""Global hotkeys on X11: ``XGrabKey`` on the root window, through python-xlib.

The back end has its own connection to the X server (Qt's is not shared), whose socket a
QSocketNotifier watches, so key presses arrive on the GUI thread without polling.

A grab applies to one exact modifier state, and NumLock and CapsLock are modifiers to
X: each key is grabbed four times, with neither lock, NumLock, CapsLock and both. If
another client already grabbed the key, the X server answers ``BadAccess``; the grab is
made synchronously (``Display.sync()`` with an error catcher) so :meth:`register` can
say so at once instead of the key silently never arriving.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from Xlib import XK, X, display, error

from companion.desktop.hotkeys import (
    HotkeyBackend,
    HotkeyError,
    KeyCombo,
    conflict_message,
    keysym_name,
    parse_keys,
)

__all__ = ["X11Hotkeys"]

_log = logging.getLogger(__name__)


class X11Hotkeys(HotkeyBackend):
    """``XGrabKey`` on the root window; see the module docstring."""

    name = "X11 (XGrabKey)"

    def __init__(self, parent: QObject | None = None, display_name: str | None = None) -> None:
        super().__init__(parent)
        try:
            self._display: Any = display.Display(display_name or os.environ.get("DISPLAY"))
        except (error.DisplayError, error.ConnectionClosedError, OSError) as err:
            raise HotkeyError(
                f"Cannot connect to the X server for global shortcuts: {err}"
            ) from err
        self._display.set_error_handler(self._on_x_error)
        self._root: Any = self._display.screen().root
        self._masks = self._modifier_masks()
        # (keycode, modifier mask without locks) -> action
        self._grabs: dict[tuple[int, int], str] = {}
        self._keys: dict[str, str] = {}  # action -> the key text the user gave
        self._last_release: dict[int, int] = {}  # keycode -> time of its last KeyRelease
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    # ------------------------------------------------------------------ interface

    def register(self, action: str, keys: str) -> None:
        combo = parse_keys(keys)
        try:
            self._grab(action, combo, keys)
        except error.ConnectionClosedError as err:
            self._notifier.setEnabled(False)
            raise HotkeyError(
                "The connection to the X server was lost: restart Companion for global shortcuts"
            ) from err

    def _grab(self, action: str, combo: KeyCombo, keys: str) -> None:
        keycode, mods = self._resolve(combo, keys)
        holder = self._grabs.get((keycode, mods))
        if holder is not None and holder != action:
            raise HotkeyError(f"{keys} is already Companion's shortcut for {_words(holder)}")
        self._release(action)
        catcher = error.CatchError(error.BadAccess)
        done: list[int] = []
        for lock in self._lock_combinations():
            self._root.grab_key(
                keycode, mods | lock, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher
            )
            done.append(lock)
        self._display.sync()  # errors of the grabs above arrive now, in the catcher
        if catcher.get_error() is not None:
            for lock in done:
                self._root.ungrab_key(keycode, mods | lock)
            self._display.sync()
            QTimer.singleShot(0, self._drain)
            raise HotkeyError(conflict_message(keys))
        self._grabs[(keycode, mods)] = action
        self._keys[action] = keys
        # sync() may have read events into python-xlib's queue: the socket won't say so.
        QTimer.singleShot(0, self._drain)

    def unregister_all(self) -> None:
        try:
            for action in list(self._keys):
                self._release(action)
            self._display.flush()
        except error.ConnectionClosedError:
            self._grabs.clear()
            self._keys.clear()

    def close(self) -> None:
        """Release the keys and close the connection to the X server."""
        self._notifier.setEnabled(False)
        self.unregister_all()
        with contextlib.suppress(error.ConnectionClosedError):
            self._display.close()

    # ------------------------------------------------------------------ internals

    def _resolve(self, combo: KeyCombo, keys: str) -> tuple[int, int]:
        keysym = XK.string_to_keysym(keysym_name(combo.key))
        keycode = self._display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            raise HotkeyError(f"{keys} cannot be used: this keyboard has no {combo.key} key")
        mods = 0
        for modifier in combo.modifiers:
            mods |= self._masks[modifier]
        return keycode, mods

    def _lock_combinations(self) -> tuple[int, ...]:
        num, caps = self._masks["NumLock"], X.LockMask
        return (0, num, caps, num | caps)

    def _release(self, action: str) -> None:
        for grab, holder in list(self._grabs.items()):
            if holder == action:
                keycode, mods = grab
                for lock in self._lock_combinations():
                    self._root.ungrab_key(keycode, mods | lock)
                del self._grabs[grab]
        self._keys.pop(action, None)

    def _modifier_masks(self) -> dict[str, int]:
        """Which modifier bit Alt, Meta (Super) and NumLock are on in this keymap."""
        found: dict[str, int] = {}
        wanted = {
            "Alt": ("Alt_L", "Alt_R"),
            "Meta": ("Super_L", "Super_R"),
            "NumLock": ("Num_Lock",),
        }
        mapping = self._display.get_modifier_mapping()
        for index, keycodes in enumerate(mapping):
            if index < 3:  # Shift, Lock, Control are fixed
                continue
            syms = {self._display.keycode_to_keysym(code, 0) for code in keycodes if code}
            for modifier, names in wanted.items():
                if modifier not in found and syms & {XK.string_to_keysym(n) for n in names}:
                    found[modifier] = 1 << index
        return {
            "Ctrl": X.ControlMask,
            "Shift": X.ShiftMask,
            "Alt": found.get("Alt", X.Mod1Mask),
            "Meta": found.get("Meta", X.Mod4Mask),
            "NumLock": found.get("NumLock", X.Mod2Mask),
        }

    def _drain(self, *_: object) -> None:
        """Handle every event the X connection has for us."""
        try:
            while self._display.pending_events():
                self._handle(self._display.next_event())
        except error.ConnectionClosedError as err:
            self._notifier.setEnabled(False)
            _log.warning("X connection for global shortcuts lost: %s", err)
            self.problem.emit(
                "The connection to the X server was lost: global shortcuts no longer work"
                " until Companion is restarted"
            )

    def _handle(self, event: Any) -> None:
        if event.type == X.KeyRelease:
            self._last_release[event.detail] = event.time
            return
        if event.type != X.KeyPress:
            return
        if self._last_release.get(event.detail) == event.time:
            return  # auto-repeat: X sends a release and a press with the same time
        relevant = X.ShiftMask | X.ControlMask | self._masks["Alt"] | self._masks["Meta"]
        action = self._grabs.get((event.detail, event.state & relevant))
        if action is not None:
            self.activated.emit(action)

    def _on_x_error(self, err: Any, request: Any = None) -> None:
        _log.warning("X error in the global-shortcut connection: %s", err)


def _words(action: str) -> str:
    return {"dial_selection": "dialling the selection", "open_dial": "opening the dial window"}.get(
        action, action
    )

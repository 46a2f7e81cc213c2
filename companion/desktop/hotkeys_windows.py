"""Global hotkeys on Windows: ``RegisterHotKey``, ``WM_HOTKEY`` through a native event filter.

``RegisterHotKey(NULL, id, modifiers, vk)`` ties the key to the GUI thread; Windows posts
``WM_HOTKEY`` to that thread's message queue, where Qt's event dispatcher hands every
message to the application's native event filters first. A key another application
registered fails with ``ERROR_HOTKEY_ALREADY_REGISTERED``, reported as a
:class:`~companion.desktop.hotkeys.HotkeyError` at once.

:func:`windows_keys` (key text -> modifiers and virtual-key code) is plain Python and
tested on every platform; the rest runs on Windows only (not run in this project's CI).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication, QObject

from companion.desktop.hotkeys import HotkeyBackend, HotkeyError, conflict_message, parse_keys

__all__ = [
    "MOD_ALT",
    "MOD_CONTROL",
    "MOD_NOREPEAT",
    "MOD_SHIFT",
    "MOD_WIN",
    "WindowsHotkeys",
    "windows_keys",
]

MOD_ALT = 0x0001
MOD_CONTROL = 0x0002
MOD_SHIFT = 0x0004
MOD_WIN = 0x0008
MOD_NOREPEAT = 0x4000  # no WM_HOTKEY for auto-repeat while the key is held
WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
_PLATFORM: str = sys.platform  # not narrowed by mypy: the class type-checks everywhere
MAX_HOTKEY_ID = 0xBFFF  # application hotkey ids are 0x0000..0xBFFF

_MODIFIERS = {"Ctrl": MOD_CONTROL, "Alt": MOD_ALT, "Shift": MOD_SHIFT, "Meta": MOD_WIN}

_VIRTUAL_KEYS = {
    "Space": 0x20,
    "Tab": 0x09,
    "Return": 0x0D,
    "Enter": 0x0D,  # the keypad's Enter shares VK_RETURN
    "Esc": 0x1B,
    "Backspace": 0x08,
    "Ins": 0x2D,
    "Del": 0x2E,
    "Home": 0x24,
    "End": 0x23,
    "PgUp": 0x21,
    "PgDown": 0x22,
    "Left": 0x25,
    "Up": 0x26,
    "Right": 0x27,
    "Down": 0x28,
    "Pause": 0x13,
    "Print": 0x2C,  # VK_SNAPSHOT
    ";": 0xBA,  # VK_OEM_1 (US layout)
    "=": 0xBB,  # VK_OEM_PLUS
    ",": 0xBC,  # VK_OEM_COMMA
    "-": 0xBD,  # VK_OEM_MINUS
    ".": 0xBE,  # VK_OEM_PERIOD
    "/": 0xBF,  # VK_OEM_2
    "`": 0xC0,  # VK_OEM_3
    "[": 0xDB,  # VK_OEM_4
    "\\": 0xDC,  # VK_OEM_5
    "]": 0xDD,  # VK_OEM_6
    "'": 0xDE,  # VK_OEM_7
}


def windows_keys(keys: str) -> tuple[int, int]:
    """``"Ctrl+Alt+D"`` -> ``(MOD_CONTROL | MOD_ALT, 0x44)``: RegisterHotKey's arguments.

    Letters and digits are their upper-case ASCII codes, F1..F24 are 0x70..0x87.
    Raises :class:`HotkeyError` for text that is no key combination.
    """
    combo = parse_keys(keys)
    modifiers = 0
    for modifier in combo.modifiers:
        modifiers |= _MODIFIERS[modifier]
    key = combo.key
    if len(key) == 1 and key.isascii() and key.isalnum():
        return modifiers, ord(key)
    if key.startswith("F") and key[1:].isdigit():
        return modifiers, 0x70 + int(key[1:]) - 1
    return modifiers, _VIRTUAL_KEYS[key]


class _HotkeyFilter(QAbstractNativeEventFilter):
    """Passes WM_HOTKEY's id to ``on_hotkey``; lets every other message through."""

    def __init__(self, on_hotkey: Callable[[int], bool]) -> None:
        super().__init__()
        self._on_hotkey = on_hotkey
        from ctypes import wintypes

        self._msg_type = wintypes.MSG

    def nativeEventFilter(
        self,
        eventType: QByteArray | bytes | bytearray | memoryview[int],
        message: Any,
    ) -> tuple[bool, int]:
        name = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        if name not in (b"windows_generic_MSG", b"windows_dispatcher_MSG"):
            return False, 0
        msg = self._msg_type.from_address(int(message))
        if msg.message == WM_HOTKEY and self._on_hotkey(int(msg.wParam)):
            return True, 0
        return False, 0


class WindowsHotkeys(HotkeyBackend):
    """``RegisterHotKey`` on the GUI thread; see the module docstring."""

    name = "Windows (RegisterHotKey)"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if _PLATFORM != "win32":
            raise HotkeyError("Windows hotkeys work only on Windows")
        import ctypes

        self._ctypes: Any = ctypes
        self._user32: Any = self._ctypes.WinDLL("user32", use_last_error=True)
        self._ids: dict[int, str] = {}  # hotkey id -> action
        self._keys: dict[str, tuple[int, int]] = {}  # action -> (modifiers, vk)
        self._next_id = 1
        self._filter = _HotkeyFilter(self._on_hotkey)
        app = QCoreApplication.instance()
        if app is None:
            raise HotkeyError("Global shortcuts need the running application")
        app.installNativeEventFilter(self._filter)

    def register(self, action: str, keys: str) -> None:
        modifiers, vk = windows_keys(keys)
        for other, combo in self._keys.items():
            if other != action and combo == (modifiers, vk):
                raise HotkeyError(f"{keys} is already one of Companion's shortcuts")
        self._release(action)
        hotkey_id = self._next_id
        if not self._user32.RegisterHotKey(None, hotkey_id, modifiers | MOD_NOREPEAT, vk):
            code = self._ctypes.get_last_error()
            if code == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyError(conflict_message(keys))
            raise HotkeyError(f"Windows refused the shortcut {keys} (error {code})")
        self._next_id = hotkey_id + 1 if hotkey_id < MAX_HOTKEY_ID else 1
        self._ids[hotkey_id] = action
        self._keys[action] = (modifiers, vk)

    def unregister_all(self) -> None:
        for action in list(self._keys):
            self._release(action)

    def _release(self, action: str) -> None:
        for hotkey_id, holder in list(self._ids.items()):
            if holder == action:
                self._user32.UnregisterHotKey(None, hotkey_id)
                del self._ids[hotkey_id]
        self._keys.pop(action, None)

    def _on_hotkey(self, hotkey_id: int) -> bool:
        action = self._ids.get(hotkey_id)
        if action is None:
            return False
        self.activated.emit(action)
        return True

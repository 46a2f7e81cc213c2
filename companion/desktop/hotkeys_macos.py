"""Global hotkeys on macOS: Carbon ``RegisterEventHotKey`` through ctypes.

Carbon hot keys need no Accessibility permission (unlike event taps). A hot-key press
arrives as a Carbon event on the application's event target, which Qt's Cocoa event
loop dispatches; the handler looks up the hot key's id and emits
:attr:`~companion.desktop.hotkeys.HotkeyBackend.activated`. A combination that is already
registered answers ``eventHotKeyExistsErr``, reported as a
:class:`~companion.desktop.hotkeys.HotkeyError`.

As in Qt, ``Ctrl`` in key text is the Command key and ``Meta`` the Control key, so the
default Ctrl+Alt+D is Command-Option-D on a Mac. Key codes are the positions of the ANSI
(US) keyboard, Carbon's ``kVK_*`` codes.

:func:`carbon_keys` (key text -> modifiers and key code) is plain Python and tested on
every platform; the rest runs on macOS only (not run in this project's CI).
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject

from companion.desktop.hotkeys import HotkeyBackend, HotkeyError, conflict_message, parse_keys

__all__ = [
    "CMD_KEY",
    "CONTROL_KEY",
    "OPTION_KEY",
    "SHIFT_KEY",
    "MacHotkeys",
    "carbon_keys",
]

CMD_KEY = 0x0100
SHIFT_KEY = 0x0200
OPTION_KEY = 0x0800
CONTROL_KEY = 0x1000

_MODIFIERS = {"Ctrl": CMD_KEY, "Alt": OPTION_KEY, "Shift": SHIFT_KEY, "Meta": CONTROL_KEY}

_KEY_CODES = {
    "A": 0x00, "S": 0x01, "D": 0x02, "F": 0x03, "H": 0x04, "G": 0x05, "Z": 0x06, "X": 0x07,
    "C": 0x08, "V": 0x09, "B": 0x0B, "Q": 0x0C, "W": 0x0D, "E": 0x0E, "R": 0x0F, "Y": 0x10,
    "T": 0x11, "1": 0x12, "2": 0x13, "3": 0x14, "4": 0x15, "6": 0x16, "5": 0x17, "=": 0x18,
    "9": 0x19, "7": 0x1A, "-": 0x1B, "8": 0x1C, "0": 0x1D, "]": 0x1E, "O": 0x1F, "U": 0x20,
    "[": 0x21, "I": 0x22, "P": 0x23, "Return": 0x24, "L": 0x25, "J": 0x26, "'": 0x27,
    "K": 0x28, ";": 0x29, "\\": 0x2A, ",": 0x2B, "/": 0x2C, "N": 0x2D, "M": 0x2E, ".": 0x2F,
    "Tab": 0x30, "Space": 0x31, "`": 0x32, "Backspace": 0x33, "Esc": 0x35,
    "Enter": 0x4C, "Ins": 0x72, "Home": 0x73, "PgUp": 0x74, "Del": 0x75, "End": 0x77,
    "PgDown": 0x79, "Left": 0x7B, "Right": 0x7C, "Down": 0x7D, "Up": 0x7E,
    "F1": 0x7A, "F2": 0x78, "F3": 0x63, "F4": 0x76, "F5": 0x60, "F6": 0x61, "F7": 0x62,
    "F8": 0x64, "F9": 0x65, "F10": 0x6D, "F11": 0x67, "F12": 0x6F, "F13": 0x69, "F14": 0x6B,
    "F15": 0x71, "F16": 0x6A, "F17": 0x40, "F18": 0x4F, "F19": 0x50, "F20": 0x5A,
}  # fmt: skip
# "Ins" is the Help key's place (kVK_Help) on Apple keyboards; Pause and Print don't exist.

_SIGNATURE = int.from_bytes(b"PCMP", "big")  # our hot keys' EventHotKeyID.signature
_K_EVENT_CLASS_KEYBOARD = int.from_bytes(b"keyb", "big")
_K_EVENT_HOT_KEY_PRESSED = 5
_K_EVENT_PARAM_DIRECT_OBJECT = int.from_bytes(b"----", "big")
_TYPE_EVENT_HOT_KEY_ID = int.from_bytes(b"hkid", "big")
_EVENT_HOT_KEY_EXISTS_ERR = -9878
_PLATFORM: str = sys.platform  # not narrowed by mypy: the class type-checks everywhere
_CARBON = "/System/Library/Frameworks/Carbon.framework/Carbon"


def carbon_keys(keys: str) -> tuple[int, int]:
    """``"Ctrl+Alt+D"`` -> ``(CMD_KEY | OPTION_KEY, 0x02)``: RegisterEventHotKey's arguments.

    Raises :class:`HotkeyError` for text that is no key combination or a key a Mac
    keyboard doesn't have (F21-F24, Pause, Print).
    """
    combo = parse_keys(keys)
    code = _KEY_CODES.get(combo.key)
    if code is None:
        raise HotkeyError(f"{keys} cannot be used: a Mac keyboard has no {combo.key} key")
    modifiers = 0
    for modifier in combo.modifiers:
        modifiers |= _MODIFIERS[modifier]
    return modifiers, code


class MacHotkeys(HotkeyBackend):
    """Carbon ``RegisterEventHotKey``; see the module docstring."""

    name = "macOS (Carbon hot keys)"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if _PLATFORM != "darwin":
            raise HotkeyError("macOS hot keys work only on macOS")
        import ctypes

        class EventHotKeyID(ctypes.Structure):
            _fields_ = (("signature", ctypes.c_uint32), ("id", ctypes.c_uint32))

        class EventTypeSpec(ctypes.Structure):
            _fields_ = (("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32))

        handler_type = ctypes.CFUNCTYPE(
            ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
        )
        carbon: Any = ctypes.CDLL(_CARBON)
        carbon.GetApplicationEventTarget.restype = ctypes.c_void_p
        carbon.GetApplicationEventTarget.argtypes = ()
        carbon.InstallEventHandler.restype = ctypes.c_int32
        carbon.InstallEventHandler.argtypes = (
            ctypes.c_void_p,
            handler_type,
            ctypes.c_ulong,
            ctypes.POINTER(EventTypeSpec),
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_void_p),
        )
        carbon.RegisterEventHotKey.restype = ctypes.c_int32
        carbon.RegisterEventHotKey.argtypes = (
            ctypes.c_uint32,
            ctypes.c_uint32,
            EventHotKeyID,
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.POINTER(ctypes.c_void_p),
        )
        carbon.UnregisterEventHotKey.restype = ctypes.c_int32
        carbon.UnregisterEventHotKey.argtypes = (ctypes.c_void_p,)
        carbon.GetEventParameter.restype = ctypes.c_int32
        carbon.GetEventParameter.argtypes = (
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )
        self._ctypes: Any = ctypes
        self._carbon = carbon
        self._hot_key_id_type: Any = EventHotKeyID
        self._refs: dict[int, Any] = {}  # hot key id -> EventHotKeyRef
        self._ids: dict[int, str] = {}  # hot key id -> action
        self._keys: dict[str, tuple[int, int]] = {}  # action -> (modifiers, key code)
        self._next_id = 1

        def on_event(_call: Any, event: Any, _data: Any) -> int:
            hot_key = EventHotKeyID()
            status = carbon.GetEventParameter(
                event,
                _K_EVENT_PARAM_DIRECT_OBJECT,
                _TYPE_EVENT_HOT_KEY_ID,
                None,
                ctypes.sizeof(hot_key),
                None,
                ctypes.byref(hot_key),
            )
            if status == 0 and hot_key.signature == _SIGNATURE:
                action = self._ids.get(hot_key.id)
                if action is not None:
                    self.activated.emit(action)
            return 0

        self._handler = handler_type(on_event)  # kept: Carbon holds only the pointer
        spec = EventTypeSpec(_K_EVENT_CLASS_KEYBOARD, _K_EVENT_HOT_KEY_PRESSED)
        handler_ref = ctypes.c_void_p()
        status = carbon.InstallEventHandler(
            carbon.GetApplicationEventTarget(),
            self._handler,
            1,
            ctypes.byref(spec),
            None,
            ctypes.byref(handler_ref),
        )
        if status != 0:
            raise HotkeyError(f"macOS refused Companion's hot-key handler (error {status})")

    def register(self, action: str, keys: str) -> None:
        modifiers, code = carbon_keys(keys)
        for other, combo in self._keys.items():
            if other != action and combo == (modifiers, code):
                raise HotkeyError(f"{keys} is already one of Companion's shortcuts")
        self._release(action)
        ctypes = self._ctypes
        hot_key_id = self._next_id
        ref = ctypes.c_void_p()
        status = self._carbon.RegisterEventHotKey(
            code,
            modifiers,
            self._hot_key_id_type(_SIGNATURE, hot_key_id),
            self._carbon.GetApplicationEventTarget(),
            0,
            ctypes.byref(ref),
        )
        if status == _EVENT_HOT_KEY_EXISTS_ERR:
            raise HotkeyError(conflict_message(keys))
        if status != 0:
            raise HotkeyError(f"macOS refused the shortcut {keys} (error {status})")
        self._next_id += 1
        self._refs[hot_key_id] = ref
        self._ids[hot_key_id] = action
        self._keys[action] = (modifiers, code)

    def unregister_all(self) -> None:
        for action in list(self._keys):
            self._release(action)

    def _release(self, action: str) -> None:
        for hot_key_id, holder in list(self._ids.items()):
            if holder == action:
                self._carbon.UnregisterEventHotKey(self._refs.pop(hot_key_id))
                del self._ids[hot_key_id]
        self._keys.pop(action, None)

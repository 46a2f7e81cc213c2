"""Global hotkeys: one small interface, one back end per platform, chosen at run time.

The app registers an *action* ("dial_selection", "open_dial") with a key combination in
Qt's portable text ("Ctrl+Alt+D", as the settings store it) and connects to
:attr:`HotkeyBackend.activated`, which carries the action's name when the user presses
the key anywhere on the desktop::

    hotkeys = choose_backend(app)
    hotkeys.activated.connect(on_hotkey)
    hotkeys.problem.connect(show_warning)   # trouble found later, in words
    try:
        hotkeys.register("dial_selection", settings.hotkey_dial_selection)
    except HotkeyError as err:
        show_warning(str(err))              # e.g. the key is taken by another app

Back ends (see :func:`choose_backend`):

* X11 (``hotkeys_x11``): ``XGrabKey`` on the root window. A key another application
  holds is refused at once with a :class:`HotkeyError`.
* Wayland (``hotkeys_portal``): the desktop portal's GlobalShortcuts interface. The
  desktop asks the user to confirm (or change) the key in its own dialog, so the outcome
  arrives later, through :attr:`HotkeyBackend.problem` if it is not what was asked for.
* Windows (``hotkeys_windows``): ``RegisterHotKey``.
* macOS (``hotkeys_macos``): Carbon ``RegisterEventHotKey`` (no Accessibility permission).
* :class:`NoHotkeys` everywhere else: its :meth:`~HotkeyBackend.register` explains that
  the desktop offers no global shortcuts to applications and names the command to bind
  in the desktop's own keyboard settings instead (:data:`FALLBACK_COMMANDS`).

Key text follows Qt's portable format (what ``QKeySequence.toString()`` gives): the
modifiers ``Ctrl``, ``Alt``, ``Shift`` and ``Meta`` and one key, joined by ``+``, case
does not matter. As in Qt, on macOS ``Ctrl`` is the Command key and ``Meta`` the Control
key; ``Cmd``/``Command`` are accepted for ``Ctrl`` and ``Option`` for ``Alt``,
``Super``/``Win`` for ``Meta``. :func:`parse_keys` checks the text the same way for all
back ends.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

__all__ = [
    "FALLBACK_COMMANDS",
    "MODIFIERS",
    "HotkeyBackend",
    "HotkeyError",
    "KeyCombo",
    "NoHotkeys",
    "choose_backend",
    "conflict_message",
    "keysym_name",
    "parse_keys",
    "portal_backend",
]

_log = logging.getLogger(__name__)

FALLBACK_COMMANDS = {"dial_selection": "companion dial --selection"}
"""What to bind in the desktop's own keyboard settings where no back end works."""

MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
"""The modifiers, in the order :attr:`KeyCombo.text` writes them."""

_MODIFIER_ALIASES = {
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "cmd": "Ctrl",  # Qt: Ctrl is the Command key on macOS
    "command": "Ctrl",
    "alt": "Alt",
    "option": "Alt",
    "opt": "Alt",
    "shift": "Shift",
    "meta": "Meta",
    "super": "Meta",
    "win": "Meta",
}

NAMED_KEYS = (
    "Space",
    "Tab",
    "Return",
    "Enter",
    "Esc",
    "Backspace",
    "Ins",
    "Del",
    "Home",
    "End",
    "PgUp",
    "PgDown",
    "Left",
    "Up",
    "Right",
    "Down",
    "Pause",
    "Print",
)
"""Keys with a name (Qt's portable names), besides letters, digits and F1-F24."""

PUNCTUATION_KEYS = (",", ".", "/", ";", "'", "[", "]", "\\", "-", "=", "`")
"""Punctuation keys (their place on a US keyboard)."""

MAX_FUNCTION_KEY = 24

_KEY_ALIASES = {name.lower(): name for name in NAMED_KEYS} | {
    "escape": "Esc",
    "insert": "Ins",
    "delete": "Del",
    "pageup": "PgUp",
    "page up": "PgUp",
    "prior": "PgUp",
    "pagedown": "PgDown",
    "page down": "PgDown",
    "next": "PgDown",
    "backtab": "Tab",
    "printscreen": "Print",
    "print screen": "Print",
    "sysreq": "Print",
    "comma": ",",
    "period": ".",
    "slash": "/",
    "semicolon": ";",
    "apostrophe": "'",
    "bracketleft": "[",
    "bracketright": "]",
    "backslash": "\\",
    "minus": "-",
    "equal": "=",
    "grave": "`",
    "quoteleft": "`",
}

# Keys that type nothing: these may be global hotkeys without Ctrl, Alt or Meta.
_NON_TYPING = frozenset({"Pause", "Print"}) | frozenset(
    f"F{n}" for n in range(1, MAX_FUNCTION_KEY + 1)
)


class HotkeyError(Exception):
    """A hotkey could not be set up; ``str(err)`` is one sentence for the user."""


@dataclass(frozen=True)
class KeyCombo:
    """A parsed key combination: modifiers (from :data:`MODIFIERS`) and one key.

    ``key`` is an upper-case letter, a digit, ``F1``..``F24``, one of
    :data:`NAMED_KEYS` or of :data:`PUNCTUATION_KEYS`.
    """

    modifiers: frozenset[str]
    key: str

    @property
    def text(self) -> str:
        """Qt portable text, modifiers in a fixed order: ``Ctrl+Alt+D``."""
        return "+".join([m for m in MODIFIERS if m in self.modifiers] + [self.key])


def conflict_message(keys: str) -> str:
    """The words for a key another application already holds."""
    return f"{keys} is already used by another application; choose another key in Settings"


def parse_keys(keys: str) -> KeyCombo:
    """Parse Qt portable key text (``"Ctrl+Alt+D"``) into a :class:`KeyCombo`.

    Raises :class:`HotkeyError` with a sentence for the user if the text names no key,
    an unknown key or modifier, or a key that would stop the user typing (a letter,
    digit or punctuation key without Ctrl, Alt or Meta).
    """
    text = keys.strip()
    if not text:
        raise HotkeyError("No key is set for this shortcut; choose one in Settings")
    # "Ctrl++" would be the "+" key; it needs Shift on most keyboards: not supported.
    parts = [part.strip() for part in text.split("+")]
    if any(not part for part in parts):
        raise HotkeyError(
            f'"{text}" is not a key combination Companion can use: write it like Ctrl+Alt+D'
        )
    *mod_parts, key_part = parts
    modifiers: set[str] = set()
    for part in mod_parts:
        modifier = _MODIFIER_ALIASES.get(part.lower())
        if modifier is None:
            raise HotkeyError(
                f'"{text}" is not a key combination Companion can use: "{part}" is not'
                " Ctrl, Alt, Shift or Meta"
            )
        modifiers.add(modifier)
    key = _canonical_key(key_part)
    if key is None:
        if key_part.lower() in _MODIFIER_ALIASES:
            raise HotkeyError(
                f'"{text}" has no key besides the modifiers: add one, e.g. Ctrl+Alt+D'
            )
        raise HotkeyError(
            f'"{text}" is not a key combination Companion can use: "{key_part}" is not a key'
            " it can take as a global shortcut (letters, digits, F1-F24, Space, Home, ...)"
        )
    if key not in _NON_TYPING and not modifiers & {"Ctrl", "Alt", "Meta"}:
        raise HotkeyError(
            f"{text} would take that key away from typing in every application;"
            " add Ctrl, Alt or Meta, e.g. Ctrl+Alt+D"
        )
    return KeyCombo(frozenset(modifiers), key)


_NAMED_KEYSYMS = {
    "Space": "space",
    "Tab": "Tab",
    "Return": "Return",
    "Enter": "KP_Enter",
    "Esc": "Escape",
    "Backspace": "BackSpace",
    "Ins": "Insert",
    "Del": "Delete",
    "Home": "Home",
    "End": "End",
    "PgUp": "Prior",
    "PgDown": "Next",
    "Left": "Left",
    "Up": "Up",
    "Right": "Right",
    "Down": "Down",
    "Pause": "Pause",
    "Print": "Print",
    ",": "comma",
    ".": "period",
    "/": "slash",
    ";": "semicolon",
    "'": "apostrophe",
    "[": "bracketleft",
    "]": "bracketright",
    "\\": "backslash",
    "-": "minus",
    "=": "equal",
    "`": "grave",
}


def keysym_name(key: str) -> str:
    """The X11/xkbcommon keysym name of a :class:`KeyCombo` key: "D" -> "d", "PgUp" -> "Prior".

    X grabs a letter by its unshifted keysym; digits and F1..F24 are their own names.
    """
    if len(key) == 1 and key.isalpha():
        return key.lower()
    return _NAMED_KEYSYMS.get(key, key)


def _canonical_key(name: str) -> str | None:
    if len(name) == 1:
        if name.isascii() and name.isalnum():
            return name.upper()
        return name if name in PUNCTUATION_KEYS else None
    lower = name.lower()
    if lower.startswith("f") and lower[1:].isdigit() and lower[1:2] != "0":
        number = int(lower[1:])
        return f"F{number}" if 1 <= number <= MAX_FUNCTION_KEY else None
    return _KEY_ALIASES.get(lower)


class HotkeyBackend(QObject):
    """A way to get key presses from anywhere on the desktop.

    Signals:

    * ``activated(str)``: the registered action's name, once per key press.
    * ``problem(str)``: trouble found after :meth:`register` returned, in words for the
      user (the portal's user declined the key, the X server went away).
    """

    activated = Signal(str)
    problem = Signal(str)

    name = "none"
    """What the settings dialog shows as the mechanism in use."""

    def register(self, action: str, keys: str) -> None:
        """Make ``keys`` (Qt portable text) emit ``activated(action)``.

        Registering an action again replaces its key. Raises :class:`HotkeyError` with a
        sentence for the user if the key is taken by another application, cannot be
        expressed on this platform, or the platform offers no global shortcuts.
        """
        raise NotImplementedError

    def unregister_all(self) -> None:
        """Release every key this back end holds (on quit, or before re-registering)."""
        raise NotImplementedError


class NoHotkeys(HotkeyBackend):
    """No global shortcut mechanism: :meth:`register` says what to do instead."""

    name = "none (bind the command in your desktop's keyboard settings)"

    def __init__(self, parent: QObject | None = None, reason: str | None = None) -> None:
        super().__init__(parent)
        self.reason = reason

    def register(self, action: str, keys: str) -> None:
        command = FALLBACK_COMMANDS.get(action)
        because = f" ({self.reason})" if self.reason else ""
        if command is None:
            raise HotkeyError(
                f"This desktop offers no global shortcuts to applications{because},"
                f" so {keys} cannot be set up"
            )
        raise HotkeyError(
            f"This desktop offers no global shortcuts to applications{because}: bind the"
            f" command `{command}` to {keys} in your desktop's own keyboard settings"
        )

    def unregister_all(self) -> None:
        return None


def portal_backend(parent: QObject | None = None) -> HotkeyBackend:
    """The desktop portal's GlobalShortcuts (Wayland), or :class:`NoHotkeys` saying why
    not and naming the command to bind instead."""
    try:
        from companion.desktop.hotkeys_portal import PortalHotkeys

        return PortalHotkeys(parent)
    except HotkeyError as err:
        _log.warning("global hotkeys unavailable: %s", err)
        return NoHotkeys(parent, reason=str(err))
    except ImportError as err:  # jeepney missing from this install
        _log.warning("global hotkeys unavailable: %s", err)
        return NoHotkeys(parent, reason=f"a part of Companion is missing: {err.name}")


def choose_backend(parent: QObject | None = None) -> HotkeyBackend:
    """The back end for the platform the app runs on; :class:`NoHotkeys` if none works.

    Needs a QGuiApplication. X11 when Qt runs on ``xcb``; the desktop portal when Qt runs
    on Wayland and the portal answers; Windows; macOS; otherwise :class:`NoHotkeys`
    with the reason, so the settings can show it.
    """
    platform = QGuiApplication.platformName()
    try:
        if platform == "xcb":
            from companion.desktop.hotkeys_x11 import X11Hotkeys

            return X11Hotkeys(parent)
        if platform.startswith("wayland"):
            return portal_backend(parent)
        if sys.platform == "win32":
            from companion.desktop.hotkeys_windows import WindowsHotkeys

            return WindowsHotkeys(parent)
        if sys.platform == "darwin":
            from companion.desktop.hotkeys_macos import MacHotkeys

            return MacHotkeys(parent)
    except HotkeyError as err:
        _log.warning("global hotkeys unavailable: %s", err)
        return NoHotkeys(parent, reason=str(err))
    except ImportError as err:  # python-xlib or jeepney missing from this install
        _log.warning("global hotkeys unavailable: %s", err)
        return NoHotkeys(parent, reason=f"a part of Companion is missing: {err.name}")
    return NoHotkeys(parent)

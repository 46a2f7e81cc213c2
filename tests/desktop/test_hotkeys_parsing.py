"""Key text -> each platform's hotkey arguments; the interface's refusals in words.

Plain Python: runs on every platform, no display needed. The Windows and macOS back ends
themselves can't run here; their key tables are what these tests pin down.
"""

from __future__ import annotations

import pytest

from companion.desktop.hotkeys import (
    FALLBACK_COMMANDS,
    HotkeyError,
    KeyCombo,
    NoHotkeys,
    keysym_name,
    parse_keys,
)
from companion.desktop.hotkeys_macos import (
    CMD_KEY,
    CONTROL_KEY,
    OPTION_KEY,
    SHIFT_KEY,
    carbon_keys,
)
from companion.desktop.hotkeys_portal import portal_trigger
from companion.desktop.hotkeys_windows import (
    MOD_ALT,
    MOD_CONTROL,
    MOD_SHIFT,
    MOD_WIN,
    windows_keys,
)


@pytest.mark.parametrize(
    ("text", "modifiers", "key"),
    [
        ("Ctrl+Alt+D", {"Ctrl", "Alt"}, "D"),
        ("ctrl+alt+d", {"Ctrl", "Alt"}, "D"),
        (" Ctrl + Alt + F ", {"Ctrl", "Alt"}, "F"),
        ("Meta+Shift+5", {"Meta", "Shift"}, "5"),
        ("Cmd+Option+D", {"Ctrl", "Alt"}, "D"),  # Qt: Ctrl is Command on macOS
        ("Super+Space", {"Meta"}, "Space"),
        ("Ctrl+Alt+PageUp", {"Ctrl", "Alt"}, "PgUp"),
        ("Ctrl+Escape", {"Ctrl"}, "Esc"),
        ("Ctrl+Alt+,", {"Ctrl", "Alt"}, ","),
        ("F9", set(), "F9"),  # a key that types nothing needs no modifier
        ("Shift+F24", {"Shift"}, "F24"),
        ("Pause", set(), "Pause"),
    ],
)
def test_parse_keys(text: str, modifiers: set[str], key: str) -> None:
    assert parse_keys(text) == KeyCombo(frozenset(modifiers), key)


def test_canonical_text_orders_the_modifiers() -> None:
    assert parse_keys("alt+shift+ctrl+meta+k").text == "Ctrl+Alt+Shift+Meta+K"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "No key is set for this shortcut"),
        ("Ctrl+Alt+", "write it like Ctrl+Alt+D"),
        ("Ctrl++", "write it like Ctrl+Alt+D"),
        ("Hyper+D", '"Hyper" is not Ctrl, Alt, Shift or Meta'),
        ("Ctrl+Alt+Banana", '"Banana" is not a key'),
        ("Ctrl+Alt", "has no key besides the modifiers"),
        ("F25", '"F25" is not a key'),
        ("D", "would take that key away from typing in every application"),
        ("Shift+D", "would take that key away from typing in every application"),
        ("Ctrl+Alt+ä", '"ä" is not a key'),
    ],
)
def test_parse_keys_refuses_in_words(text: str, words: str) -> None:
    with pytest.raises(HotkeyError) as caught:
        parse_keys(text)
    assert words in str(caught.value)


def test_windows_keys() -> None:
    assert windows_keys("Ctrl+Alt+D") == (MOD_CONTROL | MOD_ALT, 0x44)
    assert windows_keys("Ctrl+Alt+F") == (MOD_CONTROL | MOD_ALT, 0x46)
    assert windows_keys("Meta+Shift+0") == (MOD_WIN | MOD_SHIFT, 0x30)
    assert windows_keys("F1") == (0, 0x70)
    assert windows_keys("Ctrl+F24") == (MOD_CONTROL, 0x87)
    assert windows_keys("Ctrl+Alt+Del") == (MOD_CONTROL | MOD_ALT, 0x2E)
    assert windows_keys("Ctrl+Alt+PgDown") == (MOD_CONTROL | MOD_ALT, 0x22)
    assert windows_keys("Ctrl+Alt+;") == (MOD_CONTROL | MOD_ALT, 0xBA)
    assert windows_keys("Alt+Space") == (MOD_ALT, 0x20)
    with pytest.raises(HotkeyError, match='"Banana" is not a key'):
        windows_keys("Ctrl+Banana")


def test_carbon_keys_follow_qt_ctrl_is_command() -> None:
    assert carbon_keys("Ctrl+Alt+D") == (CMD_KEY | OPTION_KEY, 0x02)
    assert carbon_keys("Cmd+Option+D") == (CMD_KEY | OPTION_KEY, 0x02)
    assert carbon_keys("Meta+Shift+F") == (CONTROL_KEY | SHIFT_KEY, 0x03)
    assert carbon_keys("Ctrl+Alt+A") == (CMD_KEY | OPTION_KEY, 0x00)
    assert carbon_keys("Ctrl+Alt+0") == (CMD_KEY | OPTION_KEY, 0x1D)
    assert carbon_keys("F1") == (0, 0x7A)
    assert carbon_keys("Ctrl+Space") == (CMD_KEY, 0x31)
    assert carbon_keys("Ctrl+Alt+Left") == (CMD_KEY | OPTION_KEY, 0x7B)


def test_carbon_keys_refuse_keys_a_mac_lacks() -> None:
    for text in ("Ctrl+F21", "Pause", "Ctrl+Print"):
        with pytest.raises(HotkeyError, match="a Mac keyboard has no"):
            carbon_keys(text)


def test_portal_trigger_in_the_xdg_shortcuts_format() -> None:
    assert portal_trigger("Ctrl+Alt+D") == "CTRL+ALT+d"
    assert portal_trigger("Meta+Shift+F5") == "SHIFT+LOGO+F5"
    assert portal_trigger("Ctrl+Alt+PgUp") == "CTRL+ALT+Prior"
    assert portal_trigger("Ctrl+Alt+,") == "CTRL+ALT+comma"


def test_x11_keysym_names() -> None:
    assert keysym_name("D") == "d"
    assert keysym_name("7") == "7"
    assert keysym_name("F12") == "F12"
    assert keysym_name("Esc") == "Escape"
    assert keysym_name("Enter") == "KP_Enter"
    assert keysym_name("\\") == "backslash"


def test_no_hotkeys_names_the_command_to_bind() -> None:
    backend = NoHotkeys()
    with pytest.raises(HotkeyError) as caught:
        backend.register("dial_selection", "Ctrl+Alt+D")
    message = str(caught.value)
    assert "This desktop offers no global shortcuts to applications" in message
    assert "`companion dial --selection`" in message
    assert "Ctrl+Alt+D" in message
    assert FALLBACK_COMMANDS["dial_selection"] == "companion dial --selection"
    with pytest.raises(HotkeyError, match="Ctrl\\+Alt\\+F cannot be set up"):
        backend.register("open_dial", "Ctrl+Alt+F")
    backend.unregister_all()  # nothing to release, and no error


def test_no_hotkeys_says_why_when_it_knows() -> None:
    backend = NoHotkeys(reason="the desktop portal offers no global shortcuts")
    with pytest.raises(HotkeyError, match=r"applications \(the desktop portal offers no"):
        backend.register("dial_selection", "Ctrl+Alt+D")

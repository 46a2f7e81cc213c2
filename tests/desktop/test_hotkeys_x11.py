"""Global hotkeys on a real X server (Xvfb): XGrabKey, key presses from xdotool.

The Qt side runs in its own process on the xcb platform (see ``x11_session``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from Xlib import XK, X, display

from tests.desktop.x11_session import require_tool, run_scenario, xvfb

CONFLICT = "Ctrl+Alt+D is already used by another application; choose another key in Settings"


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    require_tool("xdotool")
    with xvfb() as name:
        yield name


def test_hotkeys_fire_with_and_without_numlock_and_capslock(x_display: str) -> None:
    result = run_scenario(
        x_display,
        "hotkeys",
        "ctrl+alt+d=dial_selection",
        "ctrl+alt+f=open_dial",
        "ctrl+d=",  # not the combination: nothing
        "alt+d=",
        "ctrl+alt+shift+d=",  # an extra modifier: not ours either
        "Num_Lock=",
        "ctrl+alt+d=dial_selection",  # NumLock on
        "Caps_Lock=",
        "ctrl+alt+f=open_dial",  # NumLock and CapsLock on
        "Num_Lock=",
        "ctrl+alt+d=dial_selection",  # CapsLock on
        "Caps_Lock=",
    )
    assert result["backend"] == "X11Hotkeys"
    assert result["steps"] == [
        ["ctrl+alt+d", ["dial_selection"]],
        ["ctrl+alt+f", ["open_dial"]],
        ["ctrl+d", []],
        ["alt+d", []],
        ["ctrl+alt+shift+d", []],
        ["Num_Lock", []],
        ["ctrl+alt+d", ["dial_selection"]],
        ["Caps_Lock", []],
        ["ctrl+alt+f", ["open_dial"]],
        ["Num_Lock", []],
        ["ctrl+alt+d", ["dial_selection"]],
        ["Caps_Lock", []],
    ]


def test_a_key_another_client_grabbed_is_refused_in_words(x_display: str) -> None:
    other = display.Display(x_display)
    try:
        root = other.screen().root
        keycode = other.keysym_to_keycode(XK.string_to_keysym("d"))
        # The other application grabbed Ctrl+Alt+D with NumLock on only: one of the four
        # lock combinations Companion needs is enough to refuse the key.
        root.grab_key(
            keycode,
            X.ControlMask | X.Mod1Mask | X.Mod2Mask,
            False,
            X.GrabModeAsync,
            X.GrabModeAsync,
        )
        other.sync()
        result = run_scenario(
            x_display,
            "register",
            "dial_selection=Ctrl+Alt+D",
            "open_dial=Ctrl+Alt+F",
            "dial_selection=Ctrl+Alt+G",
        )
        assert result["errors"] == [CONFLICT, None, None]
    finally:
        other.close()
    # Once the other application is gone, the key can be had.
    assert run_scenario(x_display, "register", "dial_selection=Ctrl+Alt+D")["errors"] == [None]


def test_a_key_companion_already_uses_for_another_action_is_refused(x_display: str) -> None:
    result = run_scenario(
        x_display, "register", "dial_selection=Ctrl+Alt+D", "open_dial=ctrl+alt+d"
    )
    assert result["errors"] == [
        None,
        "ctrl+alt+d is already Companion's shortcut for dialling the selection",
    ]


def test_key_text_that_is_no_key_is_refused_in_words(x_display: str) -> None:
    result = run_scenario(x_display, "register", "dial_selection=Ctrl+Alt+Banana")
    (error,) = result["errors"]
    assert error is not None
    assert '"Banana" is not a key' in error

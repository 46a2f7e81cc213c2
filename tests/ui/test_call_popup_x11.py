"""The call pop-up on a real X server (Xvfb): it shows while the user types into another
window, and the keys keep going where they went (the offscreen platform activates every
window it shows, so only a real display can tell). Xvfb runs without a window manager, so
the window's own X hints are checked too: they are what a window manager goes by (input
focus refused, a utility window that stays on top).

Run as a script (``python -m tests.ui.test_call_popup_x11``) it is the Qt side: a line
edit that has the focus, a pop-up shown over it, ``xdotool type`` as the user's keyboard;
it prints one JSON line with what it saw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.desktop.x11_session import ROOT, require_tool, run_events_until, xvfb


def test_typing_goes_on_into_the_other_window_while_the_popup_shows() -> None:
    xdotool = require_tool("xdotool")
    xprop = require_tool("xprop")
    with xvfb() as display:
        environment = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        environment.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run(
            [sys.executable, "-m", "tests.ui.test_call_popup_x11", xdotool, xprop],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode()
    seen: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert seen["platform"] == "xcb"
    assert seen["popup_visible"] is True
    assert seen["focus_before"] == seen["focus_after"] == "editor"
    assert seen["active_after"] == "editor"
    assert seen["text"] == "Dear Tina"  # typed before and after the pop-up came up
    assert seen["focus_after_button"] == "editor"  # clicking Copy number took nothing
    hints = seen["x_hints"]
    assert "Client accepts input or input focus: False" in hints
    assert "_NET_WM_WINDOW_TYPE_UTILITY" in hints
    assert "_NET_WM_STATE_ABOVE" in hints


def _scenario(xdotool: str, xprop: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from companion.pbx.models import Call, CallDirection, CallState
    from companion.ui.call_popup import CallPopups

    app = QApplication([sys.argv[0]])

    def run_until(condition: Any, timeout: float = 5.0) -> bool:
        return run_events_until(condition, timeout)

    def name(widget: object) -> str:
        return "editor" if widget is editor else type(widget).__name__

    def type_keys(text: str) -> None:
        process = subprocess.Popen([xdotool, "type", "--delay", "20", text])
        run_until(lambda: process.poll() is not None, 10)

    editor = QLineEdit()
    editor.show()
    run_until(lambda: editor.isVisible() and editor.windowHandle().isExposed())
    editor.activateWindow()
    editor.setFocus()
    run_until(lambda: QApplication.focusWidget() is editor)
    focus_before = name(QApplication.focusWidget())
    type_keys("Dear ")
    run_until(lambda: editor.text() == "Dear ")

    popups = CallPopups()
    call = Call("c1", CallDirection.INCOMING, CallState.RINGING, "+49891234567", "Tina Sander")
    popup = popups.show_call(call)
    assert popup is not None
    run_until(lambda: popup.windowHandle() is not None and popup.windowHandle().isExposed())
    run_until(lambda: False, 0.3)  # time for any focus change to arrive
    focus_after = name(QApplication.focusWidget())
    x_hints = subprocess.run(
        [xprop, "-id", str(int(popup.winId())), "WM_HINTS", "_NET_WM_WINDOW_TYPE", "_NET_WM_STATE"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    active_after = name(QApplication.activeWindow())
    type_keys("Tina")
    run_until(lambda: editor.text() == "Dear Tina")
    QTest.mouseClick(popup.copy_button, Qt.MouseButton.LeftButton)
    run_until(lambda: False, 0.2)
    result = {
        "platform": app.platformName(),
        "popup_visible": popup.isVisible(),
        "focus_before": focus_before,
        "focus_after": focus_after,
        "active_after": active_after,
        "text": editor.text(),
        "focus_after_button": name(QApplication.focusWidget()),
        "x_hints": x_hints,
    }
    popups.close_all()
    return result


if __name__ == "__main__":
    print(json.dumps(_scenario(sys.argv[1], sys.argv[2])))

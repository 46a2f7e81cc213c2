"""A real X server (Xvfb) for the desktop tests, and a Qt process on it.

Imported by the tests: :func:`xvfb` starts an Xvfb on a display it picks itself
(``-displayfd``, so parallel runs don't collide), :func:`run_scenario` runs this file as
a script under ``QT_QPA_PLATFORM=xcb`` on that display and returns the JSON it prints,
:func:`own_selection` makes ``xclip`` hold a selection. The Qt parts run in their own
process because pytest's process may already have a QApplication on the offscreen
platform (the UI tests), and a process gets one platform only.

Run as a script: ``python -m tests.desktop.x11_session SCENARIO [ARGS...]`` (see
:data:`SCENARIOS`); prints one JSON object on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
XVFB = shutil.which("Xvfb")
SCENARIO_TIMEOUT = 30.0


# ------------------------------------------------------------------ test-side helpers


@contextlib.contextmanager
def xvfb(screen: str = "1024x768x24", *, required: bool = False) -> Iterator[str]:
    """Start an Xvfb, yield its DISPLAY (":N"), stop it.

    Without Xvfb installed the test is skipped, or fails where it is `required`.
    """
    if XVFB is None:
        missing = "Xvfb is not installed (apt-get install xvfb): no X server to test on"
        if required:
            pytest.fail(missing)
        pytest.skip(missing)
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        [XVFB, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as ready:
            number = ready.readline().strip()  # written once the server accepts clients
        if not number:
            _, err = process.communicate(timeout=5)
            raise RuntimeError(f"Xvfb did not start: {err.decode(errors='replace')}")
        yield f":{number.decode()}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: apt-get install {name}")
    return path


@contextlib.contextmanager
def own_selection(display: str, selection: str, text: str) -> Iterator[None]:
    """Make an ``xclip`` process own ``selection`` ("primary"/"clipboard") with ``text``."""
    xclip = require_tool("xclip")
    process = subprocess.Popen(
        [xclip, "-quiet", "-selection", selection, "-display", display],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(text.encode())
    process.stdin.close()
    # Owned once another client can read it back.
    deadline = time.monotonic() + 5
    while (seen := read_selection(display, selection)) != text:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            process.wait()
            err = process.stderr.read()
            process.stderr.close()
            raise AssertionError(
                f"xclip did not take the {selection} selection on {display}: read {seen!r},"
                f" xclip said {err.decode(errors='replace')!r} ({process.returncode})"
            )
        time.sleep(0.02)
    try:
        yield
    finally:
        process.kill()
        process.wait()
        process.stderr.close()


def read_selection(display: str, selection: str) -> str | None:
    """What another X client (xclip) reads from ``selection``; None if nothing."""
    done = subprocess.run(
        [require_tool("xclip"), "-o", "-selection", selection, "-display", display],
        capture_output=True,
        timeout=10,
        check=False,
    )
    return done.stdout.decode() if done.returncode == 0 else None


def run_scenario(
    display: str, scenario: str, *args: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run a scenario of this file in a Qt process on ``display``; its JSON result."""
    environment = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    environment.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.desktop.x11_session", scenario, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        timeout=SCENARIO_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"scenario {scenario} failed ({done.returncode}):\n{done.stderr.decode()}"
        )
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------------ scenarios


def _app() -> Any:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([sys.argv[0]])
    if app.platformName() != "xcb":
        raise SystemExit(f"Qt runs on {app.platformName()!r}, not xcb")
    return app


def run_events_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Run Qt's event loop until ``condition()`` or ``timeout`` seconds; ``condition()``.

    One QEventLoop.exec, not a processEvents() loop: PySide6 6.12.0 on Python 3.11
    drops a reference to None on every processEvents() call.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    poll.start()
    QTimer.singleShot(round(timeout * 1000), loop.quit)
    if not condition():
        loop.exec()
    poll.stop()
    return condition()


def scenario_hotkeys(*steps: str) -> dict[str, Any]:
    """Register Ctrl+Alt+D and Ctrl+Alt+F; each step "KEYS=ACTION" (or "KEYS=") is
    pressed with ``xdotool key KEYS``; reports the actions each step activated."""
    _app()
    from companion.desktop.hotkeys import choose_backend

    backend = choose_backend()
    got: list[str] = []
    backend.activated.connect(got.append)
    backend.register("dial_selection", "Ctrl+Alt+D")
    backend.register("open_dial", "Ctrl+Alt+F")
    results: list[list[Any]] = []
    for step in steps:
        keys, _, expected = step.partition("=")
        got.clear()
        subprocess.run(["xdotool", "key", keys], check=True)
        if expected:
            run_events_until(lambda: len(got) >= 1, 5.0)
        # Then a little longer: a key must activate its action once, not twice.
        run_events_until(lambda: False, 0.2)
        results.append([keys, list(got)])
    backend.unregister_all()
    return {"backend": type(backend).__name__, "name": backend.name, "steps": results}


def scenario_register(*pairs: str) -> dict[str, Any]:
    """Register each "ACTION=KEYS"; report the HotkeyError text (or None) of each."""
    _app()
    from companion.desktop.hotkeys import HotkeyError, choose_backend

    backend = choose_backend()
    outcome: list[str | None] = []
    for pair in pairs:
        action, _, keys = pair.partition("=")
        try:
            backend.register(action, keys)
            outcome.append(None)
        except HotkeyError as err:
            outcome.append(str(err))
    return {"errors": outcome}


def scenario_selected_text() -> dict[str, Any]:
    """selected_text() and the number in it, and the clipboard afterwards."""
    app = _app()
    from companion.desktop.selection import number_from_selection, selected_text

    clipboard = app.clipboard()
    text = selected_text(clipboard)
    number = number_from_selection(text, "DE").destination if text.strip() else None
    return {
        "supports_selection": clipboard.supportsSelection(),
        "text": text,
        "number": number,
        "clipboard_after": clipboard.text(),
        "owns_clipboard": clipboard.ownsClipboard(),
        "owns_selection": clipboard.ownsSelection(),
    }


def scenario_copy_selection(answer: str) -> dict[str, Any]:
    """copy_selection() with ``xclip`` playing the application that answers Ctrl+C by
    putting ``answer`` on the clipboard ("" = an application with nothing selected);
    then another client reads the clipboard while this process serves it."""
    app = _app()
    from PySide6.QtCore import QProcess

    from companion.desktop.selection import copy_selection

    clipboard = app.clipboard()
    helpers: list[subprocess.Popen[bytes]] = []

    def send_copy() -> None:
        if answer:
            process = subprocess.Popen(
                ["xclip", "-quiet", "-selection", "clipboard"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert process.stdin is not None
            process.stdin.write(answer.encode())
            process.stdin.close()
            helpers.append(process)

    copied = copy_selection(clipboard, send_copy, timeout=3.0 if answer else 0.3)
    # Another client reads the clipboard; this process must answer, so run its events.
    reader = QProcess()
    reader.start("xclip", ["-o", "-selection", "clipboard"])
    run_events_until(lambda: reader.state() == QProcess.ProcessState.NotRunning, 10.0)
    seen = bytes(reader.readAllStandardOutput().data()).decode()
    for process in helpers:
        process.kill()
        process.wait()
    return {"copied": copied, "clipboard_seen_by_others": seen}


def scenario_dial_selection_text() -> dict[str, Any]:
    """dial_selection_text() as the command would call it (no QGuiApplication yet)."""
    from PySide6.QtGui import QGuiApplication

    from companion.desktop.selection import dial_selection_text

    text = dial_selection_text()
    return {"text": text, "started_qt": QGuiApplication.instance() is not None}


SCENARIOS: dict[str, Callable[..., dict[str, Any]]] = {
    "hotkeys": scenario_hotkeys,
    "register": scenario_register,
    "selected_text": scenario_selected_text,
    "copy_selection": scenario_copy_selection,
    "dial_selection_text": scenario_dial_selection_text,
}


def main(argv: list[str]) -> int:
    scenario, *args = argv
    result = SCENARIOS[scenario](*args)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

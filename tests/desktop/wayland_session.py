"""A real Wayland compositor (Weston, headless) for the desktop tests, and the app on it.

Imported by the tests: :func:`weston` starts ``weston --backend=headless-backend.so`` with
its socket in a fresh ``XDG_RUNTIME_DIR`` and yields the environment a Wayland client
needs; :func:`run_scenario` runs this file as a script under ``QT_QPA_PLATFORM=wayland``
there and returns the JSON it prints. Qt's platform is chosen once per process and the
UI tests' process is offscreen, hence the subprocess.

Input: Weston's headless back end has no seat a test could type on (its test module is
not packaged), so the scenario types and clicks with QTest, which sends the key and mouse
events to the real Wayland windows through Qt's own event path.

Run as a script: ``python -m tests.desktop.wayland_session SCENARIO SHOTS_DIR``; prints
one JSON object on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.support.desktop_tools import missing

ROOT = Path(__file__).resolve().parents[2]
WESTON = shutil.which("weston")
SCENARIO_TIMEOUT = 60.0
SOCKET = "wayland-companion-test"


@contextlib.contextmanager
def weston(*, width: int = 1280, height: int = 800) -> Iterator[dict[str, str]]:
    """Start a headless Weston; yield XDG_RUNTIME_DIR and WAYLAND_DISPLAY; stop it.

    Skipped (with the package to install) where Weston is missing.
    """
    if WESTON is None:
        missing("weston is not installed (apt-get install weston): no Wayland compositor")
    with tempfile.TemporaryDirectory(prefix="companion-wayland-") as runtime:
        os.chmod(runtime, 0o700)
        # Weston 10 (Debian 12) names the back end by its module; Weston 12+ (Ubuntu
        # 24.04: 13) by "headless" and still takes the module name: the first that starts.
        for backend in ("headless-backend.so", "headless"):
            process, log = _start_weston(runtime, backend, width, height)
            if process is not None:
                break
        else:
            raise RuntimeError(f"weston did not start:\n{log}")
        try:
            yield {"XDG_RUNTIME_DIR": runtime, "WAYLAND_DISPLAY": SOCKET}
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _start_weston(
    runtime: str, backend: str, width: int, height: int
) -> tuple[subprocess.Popen[bytes] | None, str]:
    """Weston on ``backend`` once its socket exists, or None and what it logged."""
    assert WESTON is not None
    log = Path(runtime) / f"weston-{backend}.log"
    environment = {**os.environ, "XDG_RUNTIME_DIR": runtime}
    environment.pop("WAYLAND_DISPLAY", None)
    environment.pop("DISPLAY", None)  # no Xwayland, no falling back to X
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                WESTON,
                f"--backend={backend}",
                f"--socket={SOCKET}",
                "--no-config",  # the machine's weston.ini is not the test's
                f"--width={width}",
                f"--height={height}",
                "--idle-time=0",
            ],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    socket_file = Path(runtime) / SOCKET
    deadline = time.monotonic() + 10
    while not socket_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
            process.wait()
            return None, log.read_text(errors="replace")
        time.sleep(0.02)
    return process, ""


def run_scenario(wayland: dict[str, str], scenario: str, *args: str) -> dict[str, Any]:
    """Run a scenario of this file as a Wayland client of ``wayland``; its JSON result."""
    environment = {
        **os.environ,
        **wayland,
        "QT_QPA_PLATFORM": "wayland",
        "PYTHONPATH": str(ROOT),
        "QT_WAYLAND_DISABLE_WINDOWDECORATION": "0",
    }
    environment.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.desktop.wayland_session", scenario, *args],
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
    result["stderr"] = done.stderr.decode()
    return result


# ------------------------------------------------------------------------ scenarios


def scenario_windows(shots: str) -> dict[str, Any]:
    """The app without a tray on Weston, logged in to a demo PBX running in this process:
    the no-tray window, the dial window (type a number, Enter dials), the link prompt
    (Enter dials), the incoming-call pop-up (Decline); each grabbed to a PNG in ``shots``
    while shown. Reports what each window did and what the PBX received."""
    import asyncio
    import logging

    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from companion import config, credentials
    from companion.app import Companion
    from companion.desktop.integration import DesktopIntegration
    from companion.simulator import Simulator
    from companion.ui.placement import CANNOT_PLACE

    logged: list[str] = []

    class Remember(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logging.getLogger("companion").addHandler(Remember())
    logging.getLogger("companion").setLevel(logging.INFO)

    home = Path(tempfile.mkdtemp(prefix="companion-wayland-app-"))
    os.environ["COMPANION_CONFIG_DIR"] = str(home / "config")
    os.environ["COMPANION_CACHE_DIR"] = str(home / "cache")
    os.environ["COMPANION_STATE_DIR"] = str(home / "state")
    os.environ["XDG_CONFIG_HOME"] = str(home / "xdg-config")
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    sim = Simulator.start()
    credentials.use_memory_keyring()
    settings = config.Settings(pbx_url=sim.base_url, user="mmuster", region="DE")
    config.save(settings)
    credentials.store_password(settings.pbx_url, settings.rest_user, "demo-secret")

    def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> bool:
        async def wait() -> None:
            deadline = time.monotonic() + timeout
            while not condition() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)

        task = loop.create_task(wait())
        task.add_done_callback(lambda _task: loop.stop())
        loop.run_forever()
        return bool(condition())

    def exposed(widget: QWidget) -> bool:
        handle = widget.windowHandle()
        return widget.isVisible() and handle is not None and handle.isExposed()

    def shot(widget: QWidget, name: str) -> str:
        path = Path(shots) / f"{name}.png"
        widget.grab().save(str(path))
        return str(path)

    result: dict[str, Any] = {"platform": app.platformName()}
    companion = Companion(app, tray_available=lambda: False)
    companion.launch()
    shell = companion.shell
    window = shell.window
    assert window is not None, "no no-tray window although the tray is unavailable"
    result["no_tray_exposed"] = wait_for(
        lambda: exposed(window) and companion.controller is not None
    )
    controller = companion.controller
    assert controller is not None
    result["connected"] = wait_for(lambda: controller.reachable is True)
    result["no_tray_title"] = window.windowTitle()
    result["no_tray_shot"] = shot(window, "no-tray-window")

    # The incoming-call pop-up: the PBX rings the user, the pop-up comes, Decline. First,
    # while no other call is on the device (whose hang-up would end that one instead).
    popups = shell.calls.popups
    call_id = sim.ring("+4989555666", "mmuster", ring_s=30)
    result["popup_shown"] = wait_for(lambda: bool(popups.popups()), 15)
    popup = popups.popups()[0]
    result["popup_exposed"] = wait_for(lambda: exposed(popup))
    wait_for(lambda: False, 0.3)
    result["popup_shot"] = shot(popup, "call-popup")
    QTest.mouseClick(popup.decline_button, Qt.MouseButton.LeftButton)
    result["popup_declined"] = wait_for(lambda: not sim.state.calls.active.get(call_id))
    result["popup_closed"] = wait_for(lambda: not popups.popups())

    # The dial window: opened from the no-tray window, a number typed, Enter dials.
    shell.open_dial()
    dial = shell.dial_window
    assert dial is not None
    result["dial_exposed"] = wait_for(lambda: exposed(dial))
    before = len(sim.state.actions)  # the decline's hang-up
    QTest.keyClicks(dial.search, "089 1234567")
    wait_for(lambda: False, 0.8)  # the search settles, the typed number's row shows
    result["dial_shot"] = shot(dial, "dial-window")
    QTest.keyClick(dial.search, Qt.Key.Key_Return)
    result["dial_reached_pbx"] = wait_for(lambda: len(sim.state.actions) > before)
    dial.close()
    result["dial_closed"] = wait_for(lambda: not dial.isVisible())

    # The link prompt, as a tel: link opens it (the single-instance socket is not
    # needed for that); Dial clicked once it is armed.
    desktop = DesktopIntegration(companion)
    before = len(sim.state.actions)
    desktop.open_link("tel:+49-89-7654321")
    result["prompt_opened"] = wait_for(lambda: bool(desktop.prompts))
    prompt = desktop.prompts[0]
    result["prompt_exposed"] = wait_for(lambda: exposed(prompt))
    wait_for(lambda: prompt.dial_button.isEnabled())
    result["prompt_shot"] = shot(prompt, "link-prompt")
    # Enter is a window shortcut, and with no seat no window is ever active: click.
    QTest.mouseClick(prompt.dial_button, Qt.MouseButton.LeftButton)
    result["prompt_reached_pbx"] = wait_for(lambda: len(sim.state.actions) > before)
    result["prompt_closed"] = wait_for(lambda: not desktop.prompts)

    # The dial-selection hotkey's action, with a number highlighted (which Weston
    # cannot hand over) and nothing copied (headless Weston has no seat, so no
    # clipboard either): the no-tray window says what to do.
    desktop.dial_selection()
    result["selection_notice"] = window.statusBar().currentMessage()
    result["selection_prompted"] = bool(desktop.prompts)
    result["no_tray_notice_shot"] = shot(window, "no-tray-window-selection-notice")

    result["actions"] = [[a.action, a.destination] for a in sim.state.actions]
    result["said_cannot_place"] = logged.count(CANNOT_PLACE)
    result["supports_selection"] = app.clipboard().supportsSelection()

    desktop.close()
    companion.quit()
    task = loop.create_task(companion.shutdown())
    task.add_done_callback(lambda _task: loop.stop())
    loop.run_forever()
    loop.close()  # its executor's threads end here, not in Qt's teardown
    asyncio.set_event_loop(None)
    sim.stop()
    return result


SCENARIOS: dict[str, Callable[..., dict[str, Any]]] = {
    "windows": scenario_windows,
}


def main(argv: list[str]) -> int:
    scenario, *args = argv
    result = SCENARIOS[scenario](*args)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Starting the app: logged in, first start (settings dialog instead of failing), a
password missing from the keyring, a corrupt settings file, settings saved while running,
the start that reads settings and password before Qt (EarlyStart), and
`python -m companion --demo` as a user starts it.

The app is started with `Companion.launch()` on the test loop, as `run()` does, and the
tests wait until the controller's first full refresh is done (its queues are read last).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
import qasync
from keyring.backends import fail

from companion import config, credentials
from companion.app import Companion
from companion.config import Settings
from companion.controller import Controller
from companion.early_start import EarlyStart
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.support import file_keyring
from tests.ui.conftest import run, until

REPO = Path(__file__).resolve().parents[2]
OFFSCREEN_NOISE = ("This plugin does not support", "QObject::connect: No such signal")


def logged_in(sim: Simulator) -> None:
    config.save(Settings(pbx_url=sim.base_url, rest_user=REST_USER, user=USER, region="DE"))
    credentials.store_password(sim.base_url, REST_USER, REST_PASSWORD)


def refreshed(companion: Companion) -> bool:
    controller = companion.controller
    return controller is not None and controller.reachable is True and bool(controller.queues)


def test_start_with_saved_settings_connects(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    logged_in(sim)
    app.launch()
    until(loop, lambda: refreshed(app))
    controller = app.controller
    assert controller is not None
    assert (controller.region, controller.poll_interval) == ("DE", 30)
    assert app.settings_dialog is None
    window = app.shell.window
    assert window is not None and window.isVisible()
    assert window.status_label.text().startswith("Connected as Max Mustermann (101)")

    run(loop, app.shutdown())
    assert app.controller is None
    assert controller.pbx.wire._client.is_closed  # type: ignore[attr-defined]


def test_a_password_missing_from_the_keyring_opens_the_settings(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    config.save(Settings(pbx_url=sim.base_url, user=USER))
    app.launch()
    until(loop, lambda: app.settings_dialog is not None)
    dialog = app.settings_dialog
    assert dialog is not None
    assert "holds no REST password" in dialog.message_label.text()
    assert dialog.url_edit.text() == sim.base_url and dialog.user_edit.text() == USER
    assert app.controller is None


def test_a_corrupt_settings_file_is_moved_aside_and_said_so(
    loop: qasync.QEventLoop, app: Companion, config_dir: Path
) -> None:
    config_dir.mkdir()
    (config_dir / "settings.toml").write_text("[pbx\nurl = ")
    app.launch()
    until(loop, lambda: app.first_start is not None)
    assert app.warning_box is not None and app.warning_box.isVisible()
    assert "was moved to" in app.warning_box.text()
    assert [p.name for p in config_dir.iterdir() if ".corrupt-" in p.name]


def test_an_early_start_connects_with_the_password_read_before_qt(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    logged_in(sim)
    early = EarlyStart.begin()
    assert early.password is not None
    assert early.password.result(timeout=10) == REST_PASSWORD  # read in its own thread
    app.launch(early)
    until(loop, lambda: refreshed(app))
    window = app.shell.window
    assert window is not None and window.isVisible()
    assert window.status_label.text().startswith("Connected as Max Mustermann (101)")
    assert app.settings_dialog is None and app.first_start is None


def test_a_slow_keyring_shows_the_tray_while_it_is_asked(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(file_keyring.ENV_FILE, str(tmp_path / "keyring.json"))
    monkeypatch.setenv(file_keyring.ENV_DELAY, "1.5")  # an unlock prompt open for 1.5 s
    keyring.set_keyring(file_keyring.FileKeyring())
    logged_in(sim)
    app.launch(EarlyStart.begin())

    def tray_without_pbx() -> bool:
        return app._shell is not None and app._shell.window is not None and (
            app._shell.window.isVisible()
        )

    until(loop, tray_without_pbx)
    assert app.controller is None  # still waiting for the password
    until(loop, lambda: refreshed(app))
    assert app.shell.window is not None and app.shell.window.isVisible()


def test_an_early_start_whose_keyring_fails_asks_for_the_password(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    config.save(Settings(pbx_url=sim.base_url, rest_user=REST_USER, user=USER))
    keyring.set_keyring(fail.Keyring())  # as on a desktop without a Secret Service
    app.launch(EarlyStart.begin())
    until(loop, lambda: app.settings_dialog is not None)
    dialog = app.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.session_only_check.isChecked()
    assert "Enter the REST password to connect for now." in dialog.message_label.text()
    assert app.shell.window is not None and app.controller is None


def test_an_early_start_without_an_account_opens_the_first_start(
    loop: qasync.QEventLoop, app: Companion
) -> None:
    early = EarlyStart.begin()  # no settings file
    assert early.password is None  # nothing to read from the keyring
    app.launch(early)
    until(loop, lambda: app.first_start is not None)
    assert app.controller is None and app.shell.window is not None


def test_settings_that_cannot_be_moved_aside_are_said_so_and_never_overwritten(
    loop: qasync.QEventLoop, app: Companion
) -> None:
    problem = config.ConfigError("settings.toml could not be moved aside: Permission denied")
    app.launch(EarlyStart(None, problem))
    until(loop, lambda: app.warning_box is not None)
    assert app.warning_box is not None and app.warning_box.isVisible()
    assert app.warning_box.text() == str(problem)
    assert app.first_start is None and app.controller is None  # nothing that would save


def test_a_settings_warning_is_shown_and_the_start_still_connects(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator, config_dir: Path
) -> None:
    logged_in(sim)
    path = config_dir / "settings.toml"
    path.write_text(path.read_text().replace("interval = 30", 'interval = "often"'))
    app.launch(EarlyStart.begin())
    until(loop, lambda: refreshed(app))
    assert app.warning_box is not None and app.warning_box.isVisible()
    assert "poll.interval must be a whole number" in app.warning_box.text()
    assert app.controller is not None and app.controller.poll_interval == 30  # the default


def test_saved_settings_rebuild_the_controller(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    logged_in(sim)
    app.launch()
    until(loop, lambda: refreshed(app))
    old = app.controller
    assert old is not None

    app.shell.menu.settings_action.trigger()
    dialog = app.settings_dialog
    assert dialog is not None and dialog.password_edit.text() == REST_PASSWORD
    dialog.poll_spin.setValue(120)
    dialog.save_button.click()

    def rebuilt() -> bool:
        controller = app.controller
        return isinstance(controller, Controller) and controller is not old and refreshed(app)

    until(loop, rebuilt)
    assert app.controller is not None and app.controller.poll_interval == 120
    assert old.pbx.wire._client.is_closed  # type: ignore[attr-defined]
    assert app.shell.menu.controller is app.controller


def test_demo_runs_until_terminated(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
        "COMPANION_CONFIG_DIR": str(tmp_path / "never-used"),
        "XDG_RUNTIME_DIR": str(_private_dir(tmp_path / "runtime")),  # no other instance answers
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "companion", "--demo"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    problems = [
        line for line in err.splitlines() if line.strip() and not line.startswith(OFFSCREEN_NOISE)
    ]
    assert problems == [], err
    assert out == ""
    assert not (tmp_path / "never-used").exists()  # a demo never touches real settings


def test_without_a_display_the_command_says_so(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(PYTHONPATH=str(REPO), COMPANION_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-m", "companion"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("companion: there is no display to show Companion on")
    assert len(done.stderr.splitlines()) == 1


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700)
    return path


def test_opening_a_list_of_the_no_tray_window_polls_at_once(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    # Without a tray the window's buttons are the tray menu: opening Redirect there
    # reads the PBX now, not when the slow poll comes round (minutes, with live calls).
    logged_in(sim)
    app.launch()
    until(loop, lambda: refreshed(app))
    window, menu = app.shell.window, app.shell.menu
    assert window is not None and menu is not None
    assert app.controller is not None and app.controller.poll_interval >= 30

    def redirect_reads() -> int:
        return sum(1 for r in sim.state.requests if r.path.endswith("/services/redirect/"))

    before = redirect_reads()
    listed = window.redirect_button.defaultAction().menu()  # what the button opens
    assert listed is menu.redirect_menu
    listed.popup(window.redirect_button.mapToGlobal(window.redirect_button.rect().bottomLeft()))
    until(loop, lambda: redirect_reads() > before)
    listed.hide()

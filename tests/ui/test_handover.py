"""The CLI hands call actions and links to the running app, over the real socket.

The app runs in this process (real Companion, real DesktopIntegration, the demo PBX on
loopback); `companion ...` runs as a subprocess with the same settings but no password
in its keyring, so an action that reached the PBX can only have gone through the app.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import qasync

from companion import config
from companion.app import Companion
from companion.desktop.integration import DesktopIntegration
from companion.simulator import Simulator
from tests.ui.conftest import run
from tests.ui.test_app import logged_in

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "shiboken6", "httpx", "httpcore", "keyring", "phonenumbers", "starlette")
# The CLI as `companion` runs it, reporting afterwards which heavy modules it imported.
CLI = f"""
import sys
from companion.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:  # argparse: --help, a usage error
    code = exit.code
print("imported:", sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r})),
      file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "run"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(directory))
    return directory


@pytest.fixture
def running(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator, runtime: Path
) -> Iterator[DesktopIntegration]:
    logged_in(sim)
    desktop = DesktopIntegration(app)
    assert desktop.listen()
    yield desktop
    desktop.close()


def scenario(loop: qasync.QEventLoop, app: Companion, steps: Callable[[], Awaitable[None]]) -> None:
    """Run `steps` once the app is connected, on a loop that runs throughout (as in the
    app: a request of the app must never see the loop stop under it)."""

    async def body() -> None:
        app.launch()
        while app.controller is None or app.controller.reachable is not True:
            await asyncio.sleep(0.01)
        await steps()

    run(loop, asyncio.wait_for(body(), 60))


async def cli(*args: str, config_dir: str | None = None) -> tuple[int, str, list[str], str]:
    """Run `companion ARGS` (in a thread, the loop serves the app meanwhile): exit code,
    stdout, stderr lines without the import report, and that report."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no password here
    if config_dir:
        env["COMPANION_CONFIG_DIR"] = config_dir
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert "Traceback" not in done.stderr, done.stderr
    *errors, report = done.stderr.splitlines()
    return done.returncode, done.stdout, errors, report


def dials(sim: Simulator) -> list[str]:
    return [a.destination for a in sim.state.actions if a.action == "dial"]


def test_dial_goes_through_the_running_app_once(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        before = len([r for r in sim.state.requests if r.path.endswith("/action")])
        code, out, errors, report = await cli("dial", "+49 89 123456")
        assert (code, out, errors) == (0, "Calling +49 89 123456.\n", [])
        assert dials(sim) == ["+4989123456"]
        actions = [r for r in sim.state.requests if r.path.endswith("/action")]
        assert len(actions) == before + 1
        # No HTTP stack, keyring or Qt in the CLI: the app did the work.
        assert report == "imported: []"

    scenario(loop, app, steps)


def test_errors_from_the_app_are_worded_as_the_cli_words_them(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        code, out, errors, _ = await cli("hangup")
        assert (code, out, errors) == (1, "", ["companion: No call in progress."])
        code, out, errors, _ = await cli("dtmf", "12x")  # a usage error, as without the app
        assert (code, out) == (2, "")
        assert errors[-1].endswith("'12x' are not touch-tone digits (0-9, *, #)")
        code, out, errors, _ = await cli("dial", "hello")
        assert code == 1 and out == "" and len(errors) == 1
        assert errors[0].startswith("companion: ") and "hello" in errors[0]
        assert sim.state.actions == []

    scenario(loop, app, steps)


def test_another_account_is_not_handed_over(
    loop: qasync.QEventLoop,
    app: Companion,
    running: DesktopIntegration,
    sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "other-config"
    settings = config.load().settings
    with monkeypatch.context() as patched:
        patched.setenv("COMPANION_CONFIG_DIR", str(other))
        config.save(config.Settings(pbx_url=settings.pbx_url, user="someone-else"))

    async def steps() -> None:
        code, out, errors, _ = await cli("dial", "221", config_dir=str(other))
        # The CLI did it itself: with no password in its keyring it fails, as before.
        assert code == 1 and out == ""
        assert len(errors) == 1 and "keyring" in errors[0], errors
        assert sim.state.actions == []

    scenario(loop, app, steps)


def test_the_demo_is_not_handed_over(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        code, out, _errors, _ = await cli("--demo", "dial", "221")
        assert code == 0 and out.startswith("Calling 221")
        assert sim.state.actions == []  # the demo's own PBX took it, not the app's

    scenario(loop, app, steps)


def test_a_malformed_link_is_refused_by_the_app_in_words(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        for command in (["open", "tel:call-me-maybe"], ["tel:call-me-maybe"]):
            code, out, errors, report = await cli(*command)
            assert code == 1 and out == ""
            assert len(errors) == 1 and "call-me-maybe" in errors[0], errors
            assert errors[0].startswith("companion: ")
            assert report == "imported: []"  # the forwarder: no third-party module
        assert running.prompts == [] and sim.state.actions == []

    scenario(loop, app, steps)


def test_a_good_link_is_taken_and_asked_about(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        code, out, errors, report = await cli("tel:+49-89-123456")
        assert (code, out, errors, report) == (0, "", [], "imported: []")
        while not running.prompts:
            await asyncio.sleep(0.01)
        assert running.prompts[0].number_label.text() == "+49 89 123456"

    scenario(loop, app, steps)


def test_a_login_to_another_account_since_the_app_started_is_not_handed_over(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        settings = config.load().settings
        config.save(config.Settings(pbx_url=settings.pbx_url, user="someone-else"))
        code, out, errors, _ = await cli("dial", "221")
        assert code == 1 and out == ""  # done by the CLI, which has no password
        assert len(errors) == 1 and "keyring" in errors[0], errors
        assert sim.state.actions == []

    scenario(loop, app, steps)


def test_help_and_bad_arguments_are_the_clis_own(
    loop: qasync.QEventLoop, app: Companion, running: DesktopIntegration, sim: Simulator
) -> None:
    async def steps() -> None:
        code, out, _errors, _ = await cli("dial", "--help")
        assert code == 0 and out.startswith("usage: companion dial")
        code, out, errors, _ = await cli("transfer")
        assert code == 2 and out == ""
        assert "the following arguments are required: number" in errors[-1]
        assert sim.state.actions == []

    scenario(loop, app, steps)

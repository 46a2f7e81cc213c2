"""`companion` against the innovaphone demo PBX: both logins, and every command works or
says why not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.cli.test_cli import Companion, usage_error

USER, PASSWORD = "mmuster", "demo-pass"
APP, APP_PASSWORD = "companion", "companion-secret"


@pytest.fixture(scope="module")
def inno() -> Iterator[InnovaphoneSimulator]:
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def logged_in(tmp_path_factory: pytest.TempPathFactory, inno: InnovaphoneSimulator) -> Companion:
    companion = Companion(tmp_path_factory.mktemp("innovaphone"))
    done = companion(
        "login", "--kind", "innovaphone", "--url", inno.url, "--user", USER,
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert done.stdout == (f"Logged in to {inno.url} as {USER} (Max Mustermann, extension 101).\n")
    return companion


def test_the_user_login_keeps_the_session_not_the_password(logged_in: Companion) -> None:
    stored = json.loads(logged_in.keyring_file.read_text())
    secrets = [v for service in stored.values() for v in service.values()]
    assert len(secrets) == 1
    assert PASSWORD not in secrets[0] and set(json.loads(secrets[0])) == {"usr", "pwd"}
    assert logged_in("config", "pbx.kind").stdout.strip() == "innovaphone"


def test_status_says_what_this_pbx_does_not_offer(logged_in: Companion) -> None:
    lines = logged_in("status").stdout.splitlines()
    assert lines[0].startswith("Connected to ws://127.0.0.1")
    assert (
        "voicemail   not offered  This innovaphone PBX offers no voicemail through its API."
        in lines
    )
    assert any(line.startswith("live_calls  available") for line in lines)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["voicemail"], "offers no voicemail"),
        (["fax"], "offers no faxes"),
        (["history"], "offers no call history"),
        (["queue", "status"], "offers no queues"),
    ],
)
def test_a_command_this_pbx_cannot_serve_says_why(
    logged_in: Companion, command: list[str], words: str
) -> None:
    done = logged_in(*command, ok=False)
    assert done.returncode == 1 and words in done.stderr


def test_dial_redirect_search_and_presence_work(
    logged_in: Companion, inno: InnovaphoneSimulator
) -> None:
    before = inno.received["UserCall"]
    assert logged_in("dial", "0301234567").stdout.startswith("Calling 0301234567")
    assert inno.received["UserCall"] == before + 1
    assert logged_in("redirect").stdout.startswith("Redirect of 101: off")
    assert "Ben Bauer" in logged_in("search", "Ben").stdout
    assert logged_in("presence").stdout.startswith("Presence: Available")


def test_the_app_object_login(tmp_path: Path, inno: InnovaphoneSimulator) -> None:
    companion = Companion(tmp_path)
    companion(
        "login", "--kind", "innovaphone", "--url", inno.url, "--user", USER, "--app", APP,
        "--password-stdin", stdin=APP_PASSWORD + "\n",
    )  # fmt: skip
    assert companion("config", "pbx.login").stdout.strip() == "app"
    wrong = Companion(tmp_path / "wrong")
    done = wrong(
        "login", "--kind", "innovaphone", "--url", inno.url, "--user", USER, "--app", APP,
        "--password-stdin", stdin="nope\n", ok=False,
    )  # fmt: skip
    assert "refused the App object's name or password" in done.stderr
    assert not wrong.keyring_file.exists() or "app companion" not in wrong.keyring_file.read_text()


def test_a_wrong_password_is_refused_and_nothing_stored(
    tmp_path: Path, inno: InnovaphoneSimulator
) -> None:
    companion = Companion(tmp_path)
    done = companion(
        "login", "--kind", "innovaphone", "--url", inno.url, "--user", USER,
        "--password-stdin", stdin="wrong\n", ok=False,
    )  # fmt: skip
    assert "refused the user name or password" in done.stderr
    assert not (companion.config_dir / "settings.toml").exists()


def test_plain_ws_to_another_machine_and_an_https_address_are_refused(tmp_path: Path) -> None:
    companion = Companion(tmp_path)
    for url, words in [
        ("ws://pbx.example.com/PBX0", "wss:// only"),
        ("https://pbx.example.com/PBX0", "wss://HOST/PBX0"),
    ]:
        done = companion(
            "login", "--kind", "innovaphone", "--url", url, "--user", USER,
            "--password-stdin", stdin="x\n", ok=False,
        )  # fmt: skip
        assert words in done.stderr


def test_app_without_innovaphone_is_a_mistake(tmp_path: Path) -> None:
    done = Companion(tmp_path)(
        "login", "--url", "https://pbx.example.com/x", "--user", USER, "--app", "a",
        "--password-stdin", stdin="x\n", ok=False,
    )  # fmt: skip
    assert "--app is for an innovaphone PBX" in done.stderr
    done = Companion(tmp_path / "ws")(
        "login", "--url", "wss://pbx.example.com/PBX0", "--user", USER,
        "--password-stdin", stdin="x\n", ok=False,
    )  # fmt: skip
    assert "add --kind innovaphone" in done.stderr
    assert usage_error(Companion(tmp_path / "u"), "login", "--kind", "asterisk", "--url", "x",
                       "--user", "u")  # fmt: skip


def test_forwarding_switched_off_comes_back_on_in_a_later_run_and_logout_forgets_the_login(
    tmp_path: Path, inno: InnovaphoneSimulator
) -> None:
    companion = Companion(tmp_path)
    companion(
        "login", "--kind", "innovaphone", "--url", inno.url, "--user", USER,
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert companion("redirect", "0301234").stdout.startswith("Redirect of 101: on, to 0301234")
    off = companion("redirect", "off").stdout
    assert off.startswith("Redirect of 101: off (on restores 0301234)")
    assert companion("redirect", "on").stdout.startswith("Redirect of 101: on, to 0301234")
    companion("redirect", "off")
    done = companion("logout")
    assert done.stdout.startswith(f"Removed the login for {inno.url} from the keyring.")
    assert "myapps" not in companion.keyring_file.read_text()
    assert "no login in the keyring" in companion("status", ok=False).stderr


def test_calls_watch_prints_the_pushed_calls(
    logged_in: Companion, inno: InnovaphoneSimulator
) -> None:
    import queue
    import subprocess
    import sys
    import threading

    watch = subprocess.Popen(
        [sys.executable, "-m", "companion", "calls", "--watch"],
        env=logged_in.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    lines: queue.Queue[str] = queue.Queue()
    assert watch.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in watch.stdout], daemon=True).start()

    def line() -> str:  # the next line, or fail after 15 s (never hang the run)
        return lines.get(timeout=15)

    try:
        assert line().startswith("Watching your calls")
        call = inno.ring("Max Mustermann", "+4930555123", "Erika Gast")
        ringing = line()
        assert "Erika Gast" in ringing and "ring" in ringing.lower()
        inno.hang_up(call)
        assert "missed" in line() + line()
    finally:
        watch.terminate()
        watch.communicate(timeout=10)


def test_the_innovaphone_demo_runs_a_command(tmp_path: Path) -> None:
    done = Companion(tmp_path)("--demo", "--kind", "innovaphone", "status")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Connected to ws://127.0.0.1:")
    assert "as Max Mustermann (mmuster, extension 101)" in lines[0]
    assert any("offers no voicemail through its API" in line for line in lines)

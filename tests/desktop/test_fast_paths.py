"""The fast paths of `python -m companion`: a link or a call action is handed to the running
app before argparse, typing or the settings are imported (companion.entry).

The app's side is the real single-instance server (its replies set per test); the
command runs as `python -m companion` in a subprocess, which reports afterwards which
modules it imported beyond those the interpreter had at its start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from companion.desktop.single_instance_qt import InstanceServer
from companion.handover import done_text, read_done, request_text

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")

REPO = Path(__file__).resolve().parents[2]

# `python -m companion ARGS`, then the modules it imported that a fast path must not.
AS_MAIN = """
import sys, runpy
before = set(sys.modules)
sys.argv = ["companion", *sys.argv[1:]]
try:
    runpy.run_module("companion", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as done:
    code = done.code
slow = {"argparse", "typing", "json", "pathlib", "re", "socket", "asyncio", "companion.cli",
        "companion.config", "PySide6", "httpx", "keyring", "phonenumbers"}
new = {m if m.startswith("companion.") else m.split(".")[0] for m in set(sys.modules) - before}
imported = new & slow
print("imported:", sorted(imported), file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture
def app_socket(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[InstanceServer, list[str]]]:
    """The running app's socket; the lines it received."""
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    server = InstanceServer()
    assert server.listen()
    yield server, []
    server.close()


def answering(
    app_socket: tuple[InstanceServer, list[str]], answer: Callable[[str], str]
) -> list[str]:
    server, seen = app_socket

    def respond(line: str, reply: Callable[[str], None]) -> None:
        seen.append(line)
        reply(answer(line))

    server.responder = respond
    return seen


def companion(qtbot: QtBot, *args: str) -> tuple[int, str, str, str]:
    """Exit code, stdout, stderr without the import report, and that report."""
    process = subprocess.Popen(
        [sys.executable, "-c", AS_MAIN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20_000)  # the server answers
    out, err = process.communicate()
    *lines, report = err.splitlines()
    return process.returncode, out, "".join(f"{line}\n" for line in lines), report


@pytest.mark.parametrize("args", [("open", "tel:+49 89 123456"), ("tel:+49 89 123456",)])
def test_a_link_goes_to_the_running_app_before_anything_is_parsed(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot, args: tuple[str, ...]
) -> None:
    seen = answering(app_socket, lambda _line: "ok")
    code, out, err, imported = companion(qtbot, *args)
    assert (code, out, err) == (0, "", "")
    assert seen == ["open tel:+49 89 123456"]
    assert imported == "imported: []"


def test_a_link_the_app_refuses_ends_in_its_words(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot
) -> None:
    answering(app_socket, lambda _line: "error This is not a phone number: hello")
    code, out, err, imported = companion(qtbot, "open", "tel:hello")
    assert (code, out, err) == (1, "", "companion: This is not a phone number: hello\n")
    assert imported == "imported: []"


def test_options_and_help_are_the_full_commands_not_a_link(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot
) -> None:
    seen = answering(app_socket, lambda _line: "ok")
    code, out, _err, _imported = companion(qtbot, "open", "--help")
    assert code == 0 and "usage: companion open" in out
    assert seen == []  # --help is never handed over as a link


def test_a_call_action_goes_to_the_running_app_without_argparse_or_settings(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot
) -> None:
    seen = answering(app_socket, lambda _line: "done " + done_text(0, "Calling 221.\n", "", True))
    code, out, err, imported = companion(qtbot, "dial", "221")
    assert (code, out, err) == (0, "Calling 221.\n", "")
    request = json.loads(seen[0].removeprefix("run "))
    assert request["argv"] == ["dial", "221"] and request["reply"] == "escaped"
    assert imported == "imported: []"  # the socket and string methods: no json, no re


def test_an_app_from_before_the_escaped_reply_is_understood(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot
) -> None:
    done = {"exit": 0, "stdout": "Calling 221.\n", "stderr": ""}
    answering(app_socket, lambda _line: "done " + json.dumps(done))  # it ignores "reply"
    code, out, err, _imported = companion(qtbot, "dial", "221")
    assert (code, out, err) == (0, "Calling 221.\n", "")


@pytest.mark.parametrize("escaped", [True, False])
def test_a_long_answer_arrives_whole(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot, escaped: bool
) -> None:
    text = "".join(f"line {i} of what the app printed\n" for i in range(1800))  # ~60 kB
    assert 50_000 < len(text) < 64_000
    answering(app_socket, lambda _line: "done " + done_text(3, text, "Käthe\tß\n", escaped))
    code, out, err, _imported = companion(qtbot, "hangup")
    assert (code, out, err) == (3, text, "Käthe\tß\n")


def test_an_answer_this_cli_cannot_read_is_said_in_words(
    app_socket: tuple[InstanceServer, list[str]], qtbot: QtBot
) -> None:
    answering(app_socket, lambda _line: "done 0\tonly two fields")
    code, out, err, _imported = companion(qtbot, "dial", "221")
    assert (code, out) == (1, "")
    assert err == "companion: Companion answered in a way this CLI does not understand\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text()), st.integers(-5, 255), st.text(), st.text())
def test_the_hand_over_texts_read_back_as_they_were(
    argv: list[str], code: int, out: str, err: str
) -> None:
    # The request is JSON for any command line (the app reads it with json.loads), and an
    # escaped answer has no line break or tab of its own whatever the command printed.
    request = json.loads(request_text(argv))
    assert request["argv"] == argv and request["reply"] == "escaped"
    answer = done_text(code, out, err, escaped=True)
    assert "\n" not in answer and "\r" not in answer and answer.count("\t") == 2
    assert read_done(answer) == (code, out, err)
    assert read_done(done_text(code, out, err, escaped=False)) == (code, out, err)


def test_the_apps_socket_needs_no_qtnetwork() -> None:
    code = (
        "import sys, companion.desktop.single_instance_qt, companion.desktop.integration;"
        "print(sorted(m for m in sys.modules if 'QtNetwork' in m))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stderr

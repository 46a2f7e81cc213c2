"""`companion` against a PBX that answers badly: an accepted action is no failure, an
unanswered one says the PBX may have done it, and nothing hangs or tries again."""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.simulator import Simulator
from tests.cli.test_cli import REPO, Companion
from tests.conftest import REST_PASSWORD, REST_USER, USER


@pytest.fixture
def logged_in(tmp_path: Path, sim: Simulator) -> Companion:
    companion = Companion(tmp_path)
    companion(
        "login",
        "--url",
        sim.base_url,
        "--rest-user",
        REST_USER,
        "--user",
        USER,
        "--password-stdin",
        stdin=REST_PASSWORD + "\n",
    )
    return companion


def dials(sim: Simulator) -> list[str]:
    return [a.destination for a in sim.state.actions if a.action == "dial"]


@pytest.mark.parametrize("fault", ["not_json", "not_utf8"])
def test_a_dial_answered_200_with_a_body_that_is_no_json_succeeds(
    logged_in: Companion, sim: Simulator, fault: str
) -> None:
    sim.misbehave(fault, path="defaultdevice/action")
    done = logged_in("dial", "221")
    assert done.stdout.startswith("Calling 221")
    assert dials(sim) == ["221"]


def test_a_dial_the_pbx_never_answers_ends_and_is_not_placed_twice(
    logged_in: Companion, sim: Simulator
) -> None:
    # Answered after 40 s, longer than the 15 s deadline (and than httpx's 10 s between
    # bytes, which a trickle would never trip): the dial is carried out, its answer late.
    sim.misbehave("late", path="defaultdevice/action", delay=40.0)
    started = time.monotonic()
    done = logged_in("dial", "221", ok=False)
    assert time.monotonic() - started < 25
    assert done.stderr.strip() == (
        "companion: The PBX did not answer in time; it may have placed the call. "
        "Check your phone before you dial again."
    )
    assert dials(sim) == ["221"]
    dial_requests = [r for r in sim.state.requests if r.path.endswith("defaultdevice/action")]
    assert len(dial_requests) == 1


def test_a_trickling_pbx_does_not_hang_a_read(logged_in: Companion, sim: Simulator) -> None:
    sim.misbehave("trickle", path="redirect/", delay=2.0)
    started = time.monotonic()
    done = logged_in("redirect", ok=False)
    assert time.monotonic() - started < 25
    assert "did not answer in time. Try again in a moment." in done.stderr


# The full path (companion/commands/ on the backend's async client), run for the same command
# line: what `cold_dial`'s one synchronous request must say word for word.
FULL_PATH = """
import sys
from companion.cli import _message, parse
from companion.commands import command
args = parse(sys.argv[1:])
try:
    code = command(args.command)(args)
except Exception as exc:
    print(f"companion: {_message(exc)}", file=sys.stderr)
    code = 1
sys.exit(code)
"""


def full_path(companion: Companion, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", FULL_PATH, *args],
        capture_output=True,
        text=True,
        env=companion.env,
        timeout=60,
        cwd=REPO,
    )


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("refuse_auth", "refused the REST user name or password"),
        ("error500", "reported an internal error (HTTP 500)"),
        ("forbidden", "does not allow this (access denied (simulated))"),
        ("garbage", None),  # HTTP 200 with a broken body: the PBX placed the call
        ("drop", None),
        ("huge", None),
        ("nested", None),
    ],
)
def test_a_cold_dial_says_what_the_full_path_says(
    logged_in: Companion, sim: Simulator, fault: str, words: str | None
) -> None:
    answers = []
    for run in (logged_in, functools.partial(full_path, logged_in)):
        sim.misbehave(fault, path="defaultdevice/action", times=1)
        done = run("dial", "221", ok=words is None) if run is logged_in else run("dial", "221")
        sim.behave()
        answers.append((done.returncode, done.stdout, done.stderr))
    cold, full = answers
    assert cold == full
    if words is None:
        assert cold == (0, "Calling 221.\n", "")
    else:
        assert cold[0] == 1 and words in cold[2]
    assert dials(sim) == []  # each fault answers in the PBX's stead: nothing was dialled


def test_a_cold_dial_names_a_device_the_pbx_does_not_have(
    logged_in: Companion, sim: Simulator
) -> None:
    cold = logged_in("dial", "221", "--device", "Nope", ok=False)
    full = full_path(logged_in, "dial", "221", "--device", "Nope")
    assert (
        cold.stderr
        == full.stderr
        == ("companion: The PBX has no device 'Nope' for user 'mmuster'.\n")
    )
    assert dials(sim) == []

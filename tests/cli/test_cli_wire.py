"""`companion` against a PBX that answers badly: an accepted action is no failure, an
unanswered one says the PBX may have done it, and nothing hangs or tries again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from companion.simulator import Simulator
from tests.cli.test_cli import Companion
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

"""Every request has a deadline and every body a ceiling; an accepted action is never
reported as failed, and an unanswered one says that the PBX may have done it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from companion.pbx import errors
from companion.pbx.models import CallAction
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

MB = 1024 * 1024


@pytest.fixture
async def quick(sim: Simulator) -> AsyncIterator[PascomPbx]:
    """The client with a 1 s deadline for every request (the default is 15 s)."""
    client = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER, deadline=1.0)
    yield client
    await client.close()


def requests_to(sim: Simulator, ending: str) -> int:
    return sum(1 for r in sim.state.requests if r.path.endswith(ending))


async def test_a_trickling_answer_is_cut_at_the_deadline(sim: Simulator, quick: PascomPbx) -> None:
    # One byte every 0.3 s never trips httpx's per-byte timeouts; the deadline does.
    sim.misbehave("trickle", delay=0.3)
    started = time.monotonic()
    with pytest.raises(errors.PbxTimeout, match=r"did not answer in time\. Try again in a moment"):
        await quick.account()
    assert time.monotonic() - started < 3.0


async def test_a_huge_list_is_refused_in_words(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("huge", path="voicemailbox", size=30 * MB)
    with pytest.raises(errors.AnswerTooLarge) as caught:
        await pbx.voicemails()
    assert str(caught.value).startswith(
        "The PBX sent more than 20 MB for the voicemail list, more than Companion accepts (20 MB)."
    )


async def test_an_announced_huge_answer_is_refused_before_it_is_read(
    sim: Simulator, pbx: PascomPbx
) -> None:
    sim.misbehave("huge_announced", path="cdr/", size=2000 * MB)
    started = time.monotonic()
    with pytest.raises(errors.AnswerTooLarge, match="announced 2000 MB for the call history"):
        await pbx.history()
    assert time.monotonic() - started < 5.0  # 2 GB over loopback would take far longer


async def test_a_large_answer_within_the_limit_is_read_whole(
    sim: Simulator, pbx: PascomPbx
) -> None:
    sim.misbehave("huge", path="cdr/", size=5 * MB, times=1)
    payload = await pbx.wire.get_json("cdr/")
    assert isinstance(payload, list)
    assert len(payload) > 50_000


async def test_the_live_calls_have_a_smaller_ceiling(sim: Simulator, pbx: PascomPbx) -> None:
    # Read every 2 s: a bad answer there must cost little memory, so 4 MB, not 20.
    sim.misbehave("huge", path="cdr/live", size=5 * MB)
    with pytest.raises(errors.AnswerTooLarge, match=r"more than Companion accepts \(4 MB\)"):
        await pbx.live_calls()


async def test_a_voicemail_recording_has_its_own_ceiling(sim: Simulator, pbx: PascomPbx) -> None:
    message = (await pbx.voicemails())[0]
    sim.misbehave("huge", path=message.id, size=60 * MB)
    with pytest.raises(errors.AnswerTooLarge, match="more than 50 MB for the voicemail recording"):
        await pbx.voicemail_audio(message.id)


async def test_deeply_nested_json_has_its_own_message(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("nested", path="condition/switch")
    with pytest.raises(errors.UnexpectedResponse, match="nested too deeply") as caught:
        await pbx.switches()
    assert "RecursionError" not in str(caught.value)


@pytest.mark.parametrize("fault", ["not_json", "not_utf8"])
async def test_a_dial_answered_2xx_with_any_body_succeeded(
    sim: Simulator, pbx: PascomPbx, fault: str
) -> None:
    before = len(sim.state.actions)
    sim.misbehave(fault, path="defaultdevice/action")
    await pbx.call_action(CallAction.DIAL, "221")
    assert [a.action for a in sim.state.actions[before:]] == ["dial"]


@pytest.mark.parametrize("fault", ["not_json", "not_utf8", "trickle"])
async def test_other_actions_answered_2xx_with_any_body_succeeded(
    sim: Simulator, quick: PascomPbx, fault: str
) -> None:
    """Switch, redirect, presence and queue: the PBX did it; only the first answer is bad."""
    switch = (await quick.switches())[0]
    sim.misbehave(fault, path="condition/switch/", times=1, delay=0.3)
    assert (await quick.set_switch(switch.extension, not switch.on)).on is not switch.on
    sim.misbehave(fault, path="redirect/", times=1, delay=0.3)
    assert (await quick.set_redirect("0891234")).target == "0891234"
    profile = next(p for p in await quick.profiles() if not p.active)
    sim.misbehave(fault, path="/activate", times=1, delay=0.3)
    assert (await quick.activate_profile(profile.id)).active
    sim.misbehave(fault, path="queue/action", times=1, delay=0.3)
    await quick.queue_login()


async def test_an_unanswered_dial_may_have_been_placed_and_is_not_retried(
    sim: Simulator, quick: PascomPbx
) -> None:
    before = len(sim.state.actions)
    sim.misbehave("late", path="defaultdevice/action", delay=1.5)
    with pytest.raises(errors.ActionUnconfirmed) as caught:
        await quick.call_action(CallAction.DIAL, "221")
    assert str(caught.value) == (
        "The PBX did not answer in time; it may have placed the call. "
        "Check your phone before you dial again."
    )
    assert [a.action for a in sim.state.actions[before:]] == ["dial"]
    assert requests_to(sim, "defaultdevice/action") == 1


async def test_an_unanswered_hangup_says_what_to_check(sim: Simulator, quick: PascomPbx) -> None:
    sim.misbehave("late", path="/action", delay=1.5)
    with pytest.raises(errors.ActionUnconfirmed, match=r"it may have hung up\. Check your phone"):
        await quick.call_action(CallAction.HANGUP)
    assert requests_to(sim, "/action") == 1


async def test_an_unanswered_profile_change_is_not_tried_again(
    sim: Simulator, quick: PascomPbx
) -> None:
    profile = next(p for p in await quick.profiles() if not p.active)
    sim.misbehave("late", path="/activate", delay=1.5)
    with pytest.raises(errors.ActionUnconfirmed, match="switched your presence profile"):
        await quick.activate_profile(profile.id)
    assert requests_to(sim, "/activate") == 1

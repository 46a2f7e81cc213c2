"""The session follows the user's calls over a real socket: events, missed calls, reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from companion.pbx.features import Availability, Feature
from companion.pbx.models import CallAction, CallState
from companion.pbx.pascom import PascomPbx
from companion.session import Event, Session
from companion.session.calls import CallEvent, CallEventKind
from companion.session.session import SAFETY_NET
from companion.simulator import Simulator

CALLER = "+49895554321"  # Josef Huber in the demo phonebook (089/5554321)


@pytest.fixture
async def session(pbx: PascomPbx) -> AsyncIterator[Session]:
    session = Session(pbx, poll_interval=30.0, live_interval=0.2, region="DE")
    yield session
    await session.stop()


def record(session: Session, event: Event) -> list[Any]:
    seen: list[Any] = []
    session.subscribe(event, lambda *payload: seen.append(payload[0] if payload else None))
    return seen


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.05)


def kinds(events: list[CallEvent]) -> list[str]:
    return [e.kind.value for e in events]


async def test_an_incoming_call_rings_is_answered_and_ends(
    session: Session, pbx: PascomPbx, sim: Simulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    history = record(session, Event.HISTORY)
    session.start()
    await until(lambda: session.state.account is not None)
    call_id = sim.ring(CALLER, "mmuster", ring_s=30)
    await until(lambda: kinds(events) == ["ringing"])
    ringing = events[0].call
    assert ringing.id == str(call_id)
    assert ringing.incoming and ringing.state is CallState.RINGING
    assert ringing.remote_number.endswith("5554321")
    await pbx.call_action(CallAction.OFFHOOK)
    session.live.wake()
    await until(lambda: kinds(events) == ["ringing", "answered"])
    assert session.live.calls[0].state is CallState.CONNECTED
    sim.hang_up(call_id)
    await until(lambda: kinds(events)[-1:] == ["ended"])
    assert session.live.calls == []
    assert session.live.missed == 0
    await until(lambda: bool(history))  # Recent calls are read again after a call
    assert any(r.number.endswith("5554321") for r in history[-1])


async def test_an_unanswered_call_is_missed_and_its_voicemail_shows_at_once(
    session: Session, sim: Simulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    missed = record(session, Event.MISSED_CALLS)
    new_messages = record(session, Event.NEW_VOICEMAIL)
    session.start()
    await until(lambda: session.state.voicemail_counts is not None)
    before = session.state.voicemail_counts
    assert before is not None
    sim.ring(CALLER, "mmuster", ring_s=0.5, message_s=0.5)
    await until(lambda: "missed" in kinds(events))
    assert missed == [1]
    assert session.live.missed == 1
    await until(lambda: bool(new_messages), timeout=10)
    after = session.state.voicemail_counts
    assert after is not None and after.new == before.new + 1
    assert new_messages[0].caller_number.endswith("5554321")
    session.live.seen_missed()
    assert missed == [1, 0]


async def test_the_slow_poll_is_a_safety_net_while_live_calls_work(
    session: Session, sim: Simulator
) -> None:
    session.start()
    await until(lambda: session.state.account is not None)
    await session.live.poll_once()
    session._pace()
    assert session.poller.interval == SAFETY_NET
    sim.misbehave("forbidden", path="cdr/live")
    with pytest.raises(Exception):  # noqa: B017 - the backend's PermissionDenied
        await session.live.poll_once()
    state = session.feature(Feature.LIVE_CALLS)
    assert state.availability is Availability.UNAVAILABLE
    assert "403" in state.reason or "allow" in state.reason
    assert session.poller.interval == 30.0  # without live calls, the old pace
    sim.behave()
    await session.live.poll_once()
    assert session.feature(Feature.LIVE_CALLS).available
    assert session.poller.interval == SAFETY_NET


async def test_a_pbx_gone_while_live_calls_work_is_said_at_once(
    session: Session, sim: Simulator
) -> None:
    # The slow poll is the five-minute safety net while live calls work: the live poll
    # failing for the whole PBX must not wait for it to say "unreachable".
    seen = record(session, Event.CONNECTION)
    session.start()
    await until(lambda: session.state.reachable is True)
    await until(lambda: session.poller.interval == SAFETY_NET)
    sim.misbehave("drop")
    await until(lambda: session.state.reachable is False)
    assert seen[-1] is False
    reads = len(sim.state.requests)
    await asyncio.sleep(1.0)  # five live polls: the outage reads everything once, not each time
    assert len(sim.state.requests) - reads <= 8
    sim.behave()
    await until(lambda: session.state.reachable is True)


async def test_a_dialled_call_is_followed_too(
    session: Session, pbx: PascomPbx, sim: Simulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    session.start()
    await pbx.call_action(CallAction.DIAL, "120")
    session.live.wake()
    await until(lambda: kinds(events)[:1] == ["started"])
    assert events[0].call.remote_number == "120"
    assert not events[0].call.incoming
    await pbx.toggle_recording(events[0].call.device)
    assert sim.state.user_actions[-1][:2] == ("mmuster", "ToggleRecording")
    await pbx.call_action(CallAction.HANGUP)
    session.live.wake()
    await until(lambda: kinds(events)[-1:] == ["ended"])
    assert CallEventKind.MISSED.value not in kinds(events)


async def test_a_fax_to_the_users_fax_extension_is_read_when_its_call_ends(
    session: Session, pbx: PascomPbx, sim: Simulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    new_faxes = record(session, Event.NEW_FAX)
    session.start()
    await until(lambda: session.state.account is not None and bool(session.state.received_faxes))
    me = session.state.account
    assert me is not None and me.fax_extension
    known = len(session.state.received_faxes)
    sim.fax("+49895554322", me.fax_extension, pages=2, seconds=0.5)
    calls = await pbx.live_calls()
    assert [c.fax for c in calls] == [True]  # seen, but as a fax, not a call to answer
    await until(lambda: bool(new_faxes), timeout=10)  # at once, not at the safety net
    assert len(session.state.received_faxes) == known + 1
    assert new_faxes[0].pages == 2
    assert events == []  # no pop-up, no call panel: nobody answers a fax

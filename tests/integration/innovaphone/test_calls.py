"""Calls through RCC: CallInfo drives the session's calls; a lost connection comes back
and nothing is sent twice; a message of an unknown type is ignored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from companion.pbx import errors
from companion.pbx.features import Feature
from companion.pbx.innovaphone import InnovaphonePbx
from companion.pbx.models import CallAction, CallDirection, CallState
from companion.session import Event, Session
from companion.session import watch as watch_module
from companion.session.calls import CallEvent
from companion.session.session import SAFETY_NET
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import USER_CN, until

CALLER = "+4930555123"


@pytest.fixture
async def session(client: InnovaphonePbx) -> AsyncIterator[Session]:
    session = Session(client, poll_interval=30.0, region="DE")
    yield session
    await session.stop()


def record(session: Session, event: Event) -> list[Any]:
    seen: list[Any] = []
    session.subscribe(event, lambda *payload: seen.append(payload[0]))
    return seen


def kinds(events: list[CallEvent]) -> list[str]:
    return [e.kind.value for e in events]


async def started(session: Session) -> None:
    session.start()
    await until(lambda: session.state.account is not None)
    await until(lambda: session.feature(Feature.LIVE_CALLS).available and session.live.working)


async def test_an_incoming_call_is_pushed_answered_and_ends(
    session: Session, client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    assert session.poller.interval == SAFETY_NET  # pushed calls: no fast poll, a safety net
    call = inno.ring(USER_CN, CALLER, "Erika Gast")
    await until(lambda: kinds(events) == ["ringing"])
    ringing = events[0].call
    assert (ringing.id, ringing.direction) == (str(call), CallDirection.INCOMING)
    assert (ringing.remote_number, ringing.remote_name) == (CALLER, "Erika Gast")
    await client.call_action(CallAction.PICKUP)
    await until(lambda: kinds(events) == ["ringing", "answered"])
    assert session.live.calls[0].state is CallState.CONNECTED
    inno.hang_up(call)
    await until(lambda: kinds(events)[-1:] == ["ended"])
    assert session.live.calls == [] and session.live.missed == 0
    assert inno.received["UserInitialize"] == 1  # the user's own cn, once


async def test_an_unanswered_call_is_missed(session: Session, inno: InnovaphoneSimulator) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    call = inno.ring(USER_CN, CALLER)
    await until(lambda: kinds(events) == ["ringing"])
    inno.hang_up(call)
    await until(lambda: kinds(events) == ["ringing", "ended", "missed"])
    assert session.live.missed == 1


async def test_dial_hold_and_hang_up_through_rcc(
    session: Session, client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    await client.call_action(CallAction.DIAL, "0301234567")
    await until(lambda: "answered" in kinds(events))  # the far end answers at once
    dialled = events[0].call
    assert dialled.direction is CallDirection.OUTGOING and dialled.remote_number == "0301234567"
    await client.call_action(CallAction.HOLD)
    await until(lambda: kinds(events)[-1:] == ["held"])
    await client.call_action(CallAction.HOLD)  # again: take it off hold
    await until(lambda: kinds(events)[-1:] == ["resumed"])
    await client.call_action(CallAction.HANGUP)
    await until(lambda: kinds(events)[-1:] == ["ended"])
    assert inno.received["UserCall"] == 1 and inno.received["UserClear"] == 1
    assert inno.live_calls() == []


async def test_a_call_is_transferred_to_a_number(
    session: Session, client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    inno.ring(USER_CN, CALLER)
    await until(lambda: kinds(events) == ["ringing"])
    await client.call_action(CallAction.PICKUP)
    await until(lambda: "answered" in kinds(events))
    await client.call_action(CallAction.TRANSFER, "0401112223")
    await until(lambda: session.live.calls == [])  # the user is out of both calls
    assert inno.received["UserTransfer"] == 1
    legs = inno.live_calls()
    assert all(leg.cn != USER_CN for leg in legs)  # the user is out; the others talk on


async def test_hanging_up_without_a_call_says_so(client: InnovaphonePbx) -> None:
    with pytest.raises(errors.ConflictError, match="no call to hang up"):
        await client.call_action(CallAction.HANGUP)


async def test_a_lost_connection_comes_back_and_nothing_is_replayed(
    session: Session,
    client: InnovaphonePbx,
    inno: InnovaphoneSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watch_module, "PUSH_BACKOFF", 0.2)
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    await client.call_action(CallAction.DIAL, "0301234567")
    await until(lambda: "answered" in kinds(events))
    sent = dict(inno.received)
    assert inno.drop_connections() >= 1
    await until(lambda: client.connections == 2)  # connected again, by the session
    await until(lambda: session.feature(Feature.LIVE_CALLS).available)
    assert inno.received["UserCall"] == sent["UserCall"] == 1  # the dial is not sent again
    assert inno.received["Initialize"] == 2 and inno.received["UserInitialize"] == 2
    ring = inno.ring(USER_CN, CALLER)
    await until(lambda: any(e.call.id == str(ring) for e in events))  # pushes flow again


async def test_an_unknown_message_type_is_ignored(
    session: Session, client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    events: list[CallEvent] = record(session, Event.CALL)
    await started(session)
    assert inno.send_unknown("SomethingNew") >= 1  # to the App and the myApps connection
    assert inno.send_unknown("UserCallRecording", api="PbxAdminApi") >= 1
    await asyncio.sleep(0.1)
    inno.ring(USER_CN, CALLER)
    await until(lambda: kinds(events) == ["ringing"])  # the connection lives on
    assert client.connections == 1


async def test_a_dial_whose_answer_is_lost_may_have_been_done_and_is_not_sent_again(
    session: Session,
    client: InnovaphonePbx,
    inno: InnovaphoneSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watch_module, "PUSH_BACKOFF", 0.2)
    await started(session)
    inno.drop_before_answer("UserCall")
    with pytest.raises(errors.ActionUnconfirmed, match="may have done what was asked"):
        await client.call_action(CallAction.DIAL, "0301234567")
    await until(lambda: client.connections == 2)  # the session connected again
    await until(lambda: session.feature(Feature.LIVE_CALLS).available)
    assert inno.received["UserCall"] == 1  # carried out once, never replayed
    assert [leg.peer.get("e164") for leg in inno.live_calls()] == ["0301234567"]


async def test_presence_changed_elsewhere_is_pushed_and_read_again(
    session: Session, client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    from companion.pbx.models import Profile
    from tests.integration.innovaphone.conftest import APP, APP_PASSWORD

    profiles: list[list[Profile]] = record(session, Event.PROFILES)
    await started(session)
    await until(lambda: bool(profiles))
    elsewhere = InnovaphonePbx(inno.url, "mmuster", app=APP, app_password=APP_PASSWORD)
    try:
        reads = inno.received["GetObject"]
        await elsewhere.activate_profile("away")  # as myApps on the phone would
        await until(lambda: [p.id for p in profiles[-1] if p.active] == ["away"])
        assert inno.received["GetObject"] - reads <= 4  # read again at once, not polled
    finally:
        await elsewhere.close()

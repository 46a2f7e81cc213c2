"""A link's tones (;ext=, ;postd=) go out as DTMF once the dialled call is answered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from companion.numbers import parse_uri
from companion.pbx.models import Call, CallAction
from companion.pbx.pascom import PascomPbx
from companion.session import Session
from companion.session.tones import AnswerWatch, TonesNotSent, send_when_answered
from companion.simulator import Simulator
from tests.integration.test_session_live import until


@pytest.fixture
async def session(pbx: PascomPbx) -> AsyncIterator[Session]:
    session = Session(pbx, poll_interval=30.0, live_interval=0.1, region="DE")
    session.start()
    await until(lambda: session.live.working and session.state.account is not None)
    yield session
    await session.stop()


def _dtmf(sim: Simulator) -> list[tuple[str | None, str]]:
    return [(a.destination, a.device) for a in sim.state.actions if a.action == "dtmf"]


def _ringing_far_end(sim: Simulator, seconds: float) -> None:
    with sim.state.lock:
        sim.state.calls.dial_ring_s = seconds


async def _send(pbx: PascomPbx, digits: str, call: Call) -> None:
    await pbx.call_action(CallAction.DTMF, digits, call.device or None)


async def test_the_tones_follow_the_answer_on_the_calls_device(
    session: Session, pbx: PascomPbx, sim: Simulator
) -> None:
    number = parse_uri("tel:+49-89-123456;ext=12;postd=p3#", "DE")
    assert number.tones == "12p3#"
    _ringing_far_end(sim, 60)
    watch = AnswerWatch(session.events, number.destination, "DE")
    await pbx.call_action(CallAction.DIAL, number.destination)
    session.live.wake()
    sending = asyncio.ensure_future(
        send_when_answered(watch, number.tones, lambda d, c: _send(pbx, d, c))
    )
    await until(lambda: bool(session.live.calls))
    await asyncio.sleep(0.5)  # several live polls while the far end rings
    assert _dtmf(sim) == []  # nothing goes to the ringing tone
    [call_id] = list(sim.state.calls.active)
    sim.answer(call_id)
    await asyncio.wait_for(sending, 10)
    device = sim.state.actions[0].device
    assert _dtmf(sim) == [("12", device), ("3#", device)]
    dial, first, second = sim.state.actions
    assert dial.action == "dial"
    assert second.arrived - first.arrived >= 0.9  # the "p": a pause of a second


async def test_a_call_that_ends_unanswered_sends_nothing_and_says_so(
    session: Session, pbx: PascomPbx, sim: Simulator
) -> None:
    _ringing_far_end(sim, 60)
    watch = AnswerWatch(session.events, "+4989123456", "DE")
    await pbx.call_action(CallAction.DIAL, "+4989123456")
    session.live.wake()
    await until(lambda: bool(session.live.calls))
    await pbx.call_action(CallAction.HANGUP)
    session.live.wake()
    with pytest.raises(TonesNotSent, match="ended before it was answered"):
        await send_when_answered(watch, "12", lambda d, c: _send(pbx, d, c))
    assert _dtmf(sim) == []

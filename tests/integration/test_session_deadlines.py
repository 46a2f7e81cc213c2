"""The background refresh never stays stuck on a PBX that answers slowly: a poll that
overruns is abandoned, and the state is fresh again within about one interval after the
fault is gone."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from companion.pbx.features import Feature
from companion.pbx.pascom import PascomPbx
from companion.session import Session
from companion.session.poller import MIN_POLL_TIME
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

INTERVAL = 1.0


async def wait_for(condition: Callable[[], object], timeout: float) -> float:
    """Seconds until `condition` held."""
    started = time.monotonic()
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
    return time.monotonic() - started


@contextlib.asynccontextmanager
async def polling(sim: Simulator, deadline: float, *, live: bool = True) -> AsyncIterator[Session]:
    """A session polling every INTERVAL, each request of it bound by `deadline` seconds.

    Without `live` calls the slow poll keeps its interval (else it is a safety net).
    """
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER, deadline=deadline) as pbx:
        if not live:
            pbx.capabilities = frozenset(Feature) - {Feature.LIVE_CALLS}
        session = Session(pbx, poll_interval=INTERVAL)
        session.start()
        try:
            yield session
        finally:
            await session.stop()


async def test_a_trickling_pbx_is_given_up_and_fresh_again_after(sim: Simulator) -> None:
    async with polling(sim, deadline=0.5) as quick_session:
        await _trickle_and_recover(sim, quick_session)


async def _trickle_and_recover(sim: Simulator, quick_session: Session) -> None:
    await wait_for(lambda: quick_session.state.reachable, timeout=10)
    sim.misbehave("trickle", delay=1.0)  # every request: one byte a second
    await wait_for(lambda: quick_session.state.reachable is False, timeout=5)
    assert "did not answer in time" in quick_session.state.unreachable_reason
    sim.behave()
    back = await wait_for(lambda: quick_session.state.reachable, timeout=10)
    # The next poll comes on time (one interval), plus the backoff of one failure.
    assert back < 2 * INTERVAL + 1.0
    assert quick_session.state.account is not None


async def test_a_poll_that_overruns_is_abandoned_and_the_next_starts_on_time(
    sim: Simulator,
) -> None:
    # Each request may take a minute: only the poll's own bound helps.
    async with polling(sim, deadline=60.0, live=False) as session:
        await _overrun_and_recover(sim, session)


async def _overrun_and_recover(sim: Simulator, session: Session) -> None:
    # One read of the poll trickles (each request may take a minute): the first poll
    # hangs in it until the poll itself is abandoned.
    sim.misbehave("trickle", path="condition/switch", delay=1.0)
    started = time.monotonic()
    await wait_for(lambda: session.state.reachable is False, timeout=MIN_POLL_TIME + 5)
    assert time.monotonic() - started < MIN_POLL_TIME + INTERVAL + 1.0
    assert "did not answer in time" in session.state.unreachable_reason
    assert not session.state.switches
    sim.behave()
    # The next poll starts on time and reads the switches.
    back = await wait_for(lambda: session.state.switches, timeout=10)
    assert back < 2 * INTERVAL + 1.0
    assert session.state.reachable

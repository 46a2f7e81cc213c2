"""The session follows a pushing PBX (innovaphone, the relay): calls and changes as pushed.

The double below stands in for a PBX (it implements the `Pbx`/`PushingPbx` protocol),
not for Companion's own code: the session, its watcher and tracker run for real.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from companion.pbx import errors
from companion.pbx.features import Availability, Feature
from companion.pbx.models import Account, Call, CallDirection, CallState, Profile, Redirect
from companion.pbx.protocol import Pushed, PushingPbx
from companion.session import Event, Session
from companion.session import watch as watch_module
from companion.session.calls import CallEvent
from companion.session.session import SAFETY_NET
from companion.session.watch import push_delay

ACCOUNT = Account(1, "jdoe", "John Doe", "100", "", "", "", None)
LOST = object()  # put into the double's queue: the connection breaks


class PushingDouble:
    """A PBX that pushes: each `pushed()` is one connection, fed from `queue`."""

    capabilities = frozenset(
        {Feature.CALLS, Feature.PRESENCE, Feature.REDIRECT, Feature.LIVE_CALLS}
    )

    def __init__(self) -> None:
        self.reads: Counter[str] = Counter()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.profile = "office"
        self.calls: list[Call] = []

    async def close(self) -> None:
        pass

    async def account(self) -> Account:
        self.reads["account"] += 1
        return ACCOUNT

    async def profiles(self) -> list[Profile]:
        self.reads["profiles"] += 1
        return [Profile(self.profile, self.profile, active=True)]

    async def redirect(self) -> Redirect:
        self.reads["redirect"] += 1
        return Redirect("100", "")

    async def live_calls(self) -> list[Call]:
        self.reads["live_calls"] += 1
        return list(self.calls)

    async def pushed(self) -> AsyncIterator[Pushed]:
        self.reads["pushed"] += 1
        yield Pushed(calls=list(self.calls))  # the resync of every new connection
        while True:
            item = await self.queue.get()
            if item is LOST:
                raise errors.PbxUnreachable("The connection to the PBX was lost.")
            yield item


def call(state: CallState) -> Call:
    return Call("c1", CallDirection.INCOMING, state, "+4989555")


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)


@pytest.fixture
async def double() -> PushingDouble:
    return PushingDouble()


@pytest.fixture
async def session(double: PushingDouble) -> AsyncIterator[Session]:
    session = Session(double, poll_interval=30.0)  # type: ignore[arg-type]
    yield session
    await session.stop()


def test_the_double_is_a_pushing_pbx(double: PushingDouble) -> None:
    assert isinstance(double, PushingPbx)


async def test_pushed_calls_become_call_events_without_polling(
    session: Session, double: PushingDouble
) -> None:
    events: list[CallEvent] = []
    session.subscribe(Event.CALL, events.append)
    missed: list[int] = []
    session.subscribe(Event.MISSED_CALLS, missed.append)
    session.start()
    await until(lambda: session.state.account is not None)
    double.queue.put_nowait(Pushed(calls=[call(CallState.RINGING)]))
    await until(lambda: [e.kind.value for e in events] == ["ringing"])
    double.queue.put_nowait(Pushed(calls=[]))
    await until(lambda: [e.kind.value for e in events] == ["ringing", "ended", "missed"])
    assert missed == [1]
    assert session.live.calls == []
    assert double.reads["live_calls"] == 0  # pushed, never polled
    # Live calls work, so the full read is only the safety net.
    assert session.poller.interval == SAFETY_NET


async def test_a_changed_feature_is_read_again_at_once(
    session: Session, double: PushingDouble
) -> None:
    profiles: list[list[Profile]] = []
    session.subscribe(Event.PROFILES, profiles.append)
    session.start()
    await until(lambda: len(profiles) == 1)
    redirects_before = double.reads["redirect"]
    double.profile = "meeting"
    double.queue.put_nowait(Pushed(changed=frozenset({Feature.PRESENCE})))
    await until(lambda: len(profiles) == 2)
    assert profiles[-1][0].id == "meeting"
    assert double.reads["redirect"] == redirects_before  # only what changed is read


async def test_a_lost_connection_is_followed_again_and_the_state_read_anew(
    session: Session, double: PushingDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_module, "PUSH_BACKOFF", 0.1)
    events: list[CallEvent] = []
    session.subscribe(Event.CALL, events.append)
    session.start()
    await until(lambda: double.reads["pushed"] == 1 and double.reads["account"] == 1)
    double.calls = [call(CallState.CONNECTED)]  # answered while the connection was down
    double.queue.put_nowait(LOST)
    await until(
        lambda: (
            session.feature(Feature.LIVE_CALLS).availability is Availability.FAILING
            or double.reads["pushed"] == 2
        )
    )
    await until(lambda: double.reads["pushed"] == 2)
    await until(lambda: double.reads["account"] >= 2)  # the whole state read again
    await until(lambda: session.feature(Feature.LIVE_CALLS).available)
    assert [e.kind.value for e in events] == ["started"]  # the resync brought the call


def test_the_back_off_doubles_from_one_second_to_thirty_two() -> None:
    assert [push_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 32, 32]

"""The session core (no Qt) against the demo PBX: one broken feature never takes the
others down, and only a broken connection or a refused login makes the PBX unreachable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from companion.pbx import errors
from companion.pbx.features import Availability, Feature, FeatureState
from companion.pbx.pascom import PascomPbx
from companion.session import Event, Session
from companion.simulator import Simulator

POLLED = (Feature.CALLS, Feature.PRESENCE, Feature.REDIRECT, Feature.SWITCHES,
          Feature.VOICEMAIL, Feature.FAX, Feature.QUEUES)  # fmt: skip


@pytest.fixture
async def session(pbx: PascomPbx) -> AsyncIterator[Session]:
    core = Session(pbx, poll_interval=3600)
    yield core
    await core.stop()


async def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def assert_read(session: Session, feature: Feature) -> None:
    """The feature is available and its state holds what the PBX has."""
    assert session.feature(feature) == FeatureState(feature, Availability.AVAILABLE), feature
    state = session.state
    held = {
        Feature.CALLS: state.account,
        Feature.PRESENCE: state.profiles,
        Feature.REDIRECT: state.redirect,
        Feature.SWITCHES: state.switches,
        Feature.VOICEMAIL: state.voicemail_counts,
        Feature.FAX: state.received_faxes,
        Feature.QUEUES: state.queues,
    }[feature]
    assert held, f"{feature} was not read"


@pytest.mark.parametrize(
    ("fault", "path", "broken", "availability", "words"),
    [
        ("forbidden", "faxserver", Feature.FAX, Availability.UNAVAILABLE,
         "The PBX does not allow this REST user to read faxes (403)."),
        ("error500", "voicemailbox", Feature.VOICEMAIL, Availability.FAILING,
         "Reading voicemail failed for now: The PBX reported an internal error (HTTP 500)."),
        ("garbage", "condition/switch", Feature.SWITCHES, Availability.FAILING,
         "Reading switches failed for now:"),
    ],
)  # fmt: skip
async def test_one_broken_feature_leaves_the_rest_read_and_available(
    session: Session, pbx: PascomPbx, sim: Simulator,
    fault: str, path: str, broken: Feature, availability: Availability, words: str,
) -> None:  # fmt: skip
    announced: list[dict[Feature, FeatureState]] = []
    session.subscribe(Event.FEATURES, announced.append)
    sim.misbehave(fault, path=path)
    await session.refresh()  # raises nothing: the PBX answers

    assert session.state.reachable is True
    state = session.feature(broken)
    assert state.availability is availability
    assert state.reason.startswith(words), state.reason
    assert announced and announced[-1][broken] == state
    for feature in POLLED:
        if feature is not broken:
            assert_read(session, feature)

    sim.behave()
    await session.refresh()  # one poll, no restart
    for feature in POLLED:
        assert_read(session, feature)
    assert announced[-1][broken].available


async def test_a_feature_back_after_being_forbidden_announces_no_old_faxes(
    session: Session, sim: Simulator
) -> None:
    new: list[object] = []
    session.subscribe(Event.NEW_FAX, new.append)
    sim.misbehave("forbidden", path="faxserver")
    await session.refresh()
    assert session.state.received_faxes == []
    sim.behave()
    await session.refresh()
    assert session.state.received_faxes and new == []


async def test_the_poller_brings_a_feature_back_within_one_poll(
    session: Session, sim: Simulator
) -> None:
    session.poll_interval = 0.05
    sim.misbehave("forbidden", path="faxserver")
    session.start()
    await wait_for(lambda: session.feature(Feature.FAX).availability is Availability.UNAVAILABLE)
    assert session.state.reachable is True
    sim.behave()
    await wait_for(lambda: session.feature(Feature.FAX).available and session.state.received_faxes)


async def test_a_broken_connection_makes_the_whole_pbx_unreachable(
    session: Session, sim: Simulator
) -> None:
    changes: list[tuple[bool, str]] = []
    session.subscribe(Event.CONNECTION, lambda ok, why: changes.append((ok, why)))
    await session.refresh()
    sim.stop()
    with pytest.raises(errors.PbxUnreachable):
        await session.refresh()
    session.poll_interval = 0.05
    session.start()
    await wait_for(lambda: changes and changes[-1][0] is False)
    assert "cannot be reached" in changes[-1][1] or "broke off" in changes[-1][1]
    # the features themselves are not blamed for the connection
    assert all(session.feature(f).available for f in POLLED)


async def test_a_refused_login_makes_the_whole_pbx_unreachable(
    session: Session, sim: Simulator
) -> None:
    await session.refresh()
    sim.misbehave("refuse_auth")
    with pytest.raises(errors.AuthenticationError):
        await session.refresh()
    session.poll_interval = 0.05
    session.start()
    await wait_for(lambda: session.state.reachable is False)
    assert "REST user name or password" in session.state.unreachable_reason
    assert all(session.feature(f).available for f in POLLED)
    sim.behave()
    await wait_for(lambda: session.state.reachable is True)


async def test_a_working_live_poll_ends_an_unreachable_state_at_once(
    session: Session, sim: Simulator
) -> None:
    # The slow poll's login was refused, the live poll's never (the refusal ended in
    # between; CI met this order): without a failed live poll to come back from, only the
    # slow poll's back-off (here an hour) would read again.
    await session.refresh()
    sim.misbehave("refuse_auth", path="identity", times=1)
    reachable: list[bool] = []  # each change, as it happens: the outage may last only ms
    session.subscribe(Event.CONNECTION, lambda up, _why: reachable.append(up))
    session.start()
    await wait_for(lambda: reachable[-2:] == [False, True])
    assert session.state.reachable is True and session.live.working


async def test_a_backend_without_fax_never_reads_faxes(pbx: PascomPbx, sim: Simulator) -> None:
    # An innovaphone backend offers no fax and no voicemail: the same mechanism hides them.
    pbx.capabilities = frozenset(Feature) - {Feature.FAX, Feature.VOICEMAIL}
    core = Session(pbx)
    before = len(sim.state.requests)
    await core.refresh()
    asked = [r.path for r in sim.state.requests[before:]]
    assert not any("faxserver" in p or "voicemailbox" in p for p in asked)
    assert not core.features.offers(Feature.FAX)
    fax = core.feature(Feature.FAX)
    assert fax.availability is Availability.UNAVAILABLE
    assert fax.reason == "This PBX does not offer faxes."
    assert core.feature(Feature.SWITCHES).available

"""The GUI's first refresh (Session.refresh) when one part is bad, and a user without
an extension: each feature is read on its own against the demo PBX."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from companion.pbx.features import Availability, Cause, Feature
from companion.pbx.pascom import PascomPbx
from companion.session import Session
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

NO_EXTENSION_USER = "nox"


@asynccontextmanager
async def _first_refresh(sim: Simulator, user: str = USER) -> AsyncIterator[Session]:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, user)
    session = Session(pbx)
    try:
        await session.refresh()
        yield session
    finally:
        await pbx.close()


@pytest.fixture
async def hostile_voicemail(sim: Simulator) -> AsyncIterator[Session]:
    sim.inject_records(
        "voicemailbox/101/*",
        [{"msg_id": "bad-time", "origtime": "²"}, {"msg_id": "bad-long", "origtime": 10**400}],
    )
    async with _first_refresh(sim) as session:
        yield session


async def test_hostile_voicemails_are_shown_and_the_rest_loads(
    hostile_voicemail: Session,
) -> None:
    state = hostile_voicemail.state
    ids = {m.id for m in state.voicemails}
    assert {"bad-time", "bad-long"} <= ids and len(ids) > 2
    assert hostile_voicemail.feature(Feature.VOICEMAIL).available
    assert state.queues and state.switches and state.profiles
    assert state.redirect is not None and state.redirect.extension == "101"


async def test_a_failing_voicemail_list_does_not_stop_the_others(sim: Simulator) -> None:
    sim.misbehave("error500", path="voicemailbox/101/*")
    async with _first_refresh(sim) as session:
        assert session.feature(Feature.VOICEMAIL).availability is Availability.FAILING
        assert session.state.voicemails == []
        assert session.state.queues and session.state.switches and session.state.profiles
        assert session.state.redirect is not None
        for feature in (Feature.QUEUES, Feature.SWITCHES, Feature.REDIRECT, Feature.PRESENCE):
            assert session.feature(feature).available, feature


@pytest.fixture
def no_extension_sim(tmp_path: Path, sim: Simulator) -> Iterator[Simulator]:
    """The demo users plus one without an extension (same variant as `sim`)."""
    data = json.loads(Path("resources/demo-pbx.json").read_text(encoding="utf-8"))
    data["identity"].append(
        {"003use_bez": "No Extension", "003use_name": NO_EXTENSION_USER, "003use_pw": "pw-0099"}
    )
    path = tmp_path / "pbx.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with Simulator.start(
        path, rest_user=REST_USER, rest_password=REST_PASSWORD, variant=sim.state.variant
    ) as simulator:
        yield simulator


async def test_a_user_without_extension_is_told_there_is_no_redirect(
    no_extension_sim: Simulator,
) -> None:
    async with _first_refresh(no_extension_sim, NO_EXTENSION_USER) as session:
        state = session.feature(Feature.REDIRECT)
        assert state.availability is Availability.UNAVAILABLE
        assert state.cause is Cause.NO_EXTENSION
        assert "no extension" in state.reason
        assert session.state.redirect is None
        assert session.feature(Feature.SWITCHES).available  # the rest still works
    requests = [(r.method, r.path) for r in no_extension_sim.state.requests]
    assert not any("/redirect" in p for _, p in requests), requests

"""Queues, presence states and devices where the reference's two readings differ.

Each test runs against both simulator variants (tests/integration/conftest.py); the
"reference" variant names queue agents by display name, refuses queue actions with an
AMI error body at HTTP 200, and reads `identity/states`' parameter as the table names it.
"""

from __future__ import annotations

import pytest

from companion.pbx import errors
from companion.pbx.models import PauseReason
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

SOFTPHONE = "pascom Softphone [Max Mustermann]"


def my_member_states(sim: Simulator) -> list[tuple[bool, bool, str]]:
    return [
        (m.loggedin, m.paused, m.pausereason)
        for q in sim.state.queues.values()
        for m in q.members
        if m.agent == USER
    ]


async def test_queue_membership_is_found_by_login_or_display_name(
    pbx: PascomPbx, sim: Simulator
) -> None:
    queues = {q.queue: q for q in await pbx.queues()}
    assert set(queues) == {"Zentrale", "Support"}
    assert queues["Zentrale"].extension == "200" and queues["Zentrale"].logged_in


async def test_queue_offers_its_pause_reasons(pbx: PascomPbx) -> None:
    queues = {q.queue: q for q in await pbx.queues()}
    assert queues["Zentrale"].pause_reasons == (
        PauseReason("lunch", "40"),
        PauseReason("meeting", "41"),
    )


async def test_pause_with_a_reason_arrives(pbx: PascomPbx, sim: Simulator) -> None:
    await pbx.queue_pause("meeting")
    assert my_member_states(sim) == [(True, True, "meeting"), (True, True, "meeting")]
    assert all(q.pause_reason == "meeting" for q in await pbx.queues())


async def test_refused_pause_is_a_failure_with_the_pbx_reason(
    pbx: PascomPbx, sim: Simulator
) -> None:
    with pytest.raises(errors.PbxError) as caught:
        await pbx.queue_pause("coffee")
    assert "unknown pause reason" in str(caught.value)
    assert "coffee" in str(caught.value)
    if sim.state.variant == "reference":  # 200 {"Response": "Error", "Message": ...}
        assert isinstance(caught.value, errors.ConflictError)
        assert str(caught.value).startswith("The PBX refused to pause you (coffee): ")
    assert my_member_states(sim) == [(True, False, ""), (True, False, "")]


async def test_queue_action_of_a_non_agent_is_a_failure(sim: Simulator) -> None:
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, "pkowalski") as outsider:
        with pytest.raises((errors.NotFound, errors.ConflictError)) as caught:
            await outsider.queue_login()
    assert "agent" in str(caught.value)


async def test_presence_answers_only_for_the_asked_users(pbx: PascomPbx) -> None:
    states = await pbx.presence(["ameyer", "tsander"])
    assert set(states) == {"ameyer", "tsander"}
    assert str(states["tsander"]) == "offline"  # the demo data: Unavailable


@pytest.mark.parametrize("fault", ["forbidden", "error500", "garbage"])
async def test_device_list_survives_a_failing_default_device_probe(
    pbx: PascomPbx, sim: Simulator, fault: str
) -> None:
    sim.misbehave(fault, path="/defaultdevice")
    devices = {d.name: d for d in await pbx.devices()}
    assert SOFTPHONE in devices and len(devices) == 2
    assert not any(d.is_default for d in devices.values())


async def test_device_list_still_fails_when_the_rest_password_is_refused(
    pbx: PascomPbx, sim: Simulator
) -> None:
    sim.misbehave("refuse_auth", path="/defaultdevice")
    with pytest.raises(errors.AuthenticationError):
        await pbx.devices()

"""The user's live calls read from pascom's cdr/live over a real socket."""

from __future__ import annotations

from companion.pbx.models import CallAction, CallDirection, CallState
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER


async def test_no_calls_is_an_empty_list(pbx: PascomPbx) -> None:
    assert await pbx.live_calls() == []


async def test_a_dialled_call_shows_with_its_remote_party(pbx: PascomPbx) -> None:
    await pbx.call_action(CallAction.DIAL, "120")
    calls = await pbx.live_calls()
    assert len(calls) == 1
    call = calls[0]
    assert call.direction is CallDirection.OUTGOING
    assert call.remote_number == "120"
    assert call.state in (CallState.RINGING, CallState.CONNECTED)
    assert call.id
    await pbx.call_action(CallAction.HANGUP)
    assert await pbx.live_calls() == []


async def test_another_users_call_is_not_the_users(pbx: PascomPbx, sim: Simulator) -> None:
    others = [u for u in sim.state.users.values() if u.default_device and u.name != "mmuster"]
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, others[0].name) as other:
        await other.call_action(CallAction.DIAL, "+4930123456")
        assert len(await other.live_calls()) == 1
    assert await pbx.live_calls() == []

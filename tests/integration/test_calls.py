"""Account, devices and call actions: the client against the demo PBX over a socket."""

from __future__ import annotations

import pytest

from companion.pbx import errors
from companion.pbx.models import CallAction
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER

SOFTPHONE = "pascom Softphone [Max Mustermann]"
DESK_PHONE = "Yealink T54W [Max Mustermann]"


async def test_account_describes_the_configured_user(pbx: PascomPbx) -> None:
    me = await pbx.account()
    assert (me.login, me.display_name, me.extension) == ("mmuster", "Max Mustermann", "101")
    assert me.mailbox == "101"
    assert me.fax_extension == "301"
    assert me.id > 0
    assert me.active_profile_id


async def test_devices_mark_the_default_device(pbx: PascomPbx) -> None:
    devices = {d.name: d for d in await pbx.devices()}
    assert set(devices) == {SOFTPHONE, DESK_PHONE}
    assert devices[SOFTPHONE].is_default
    assert not devices[DESK_PHONE].is_default
    assert "dial" in devices[SOFTPHONE].capabilities
    assert (await pbx.default_device()).name == SOFTPHONE


async def test_dial_reaches_the_pbx_through_the_default_device(
    pbx: PascomPbx, sim: Simulator
) -> None:
    await pbx.call_action(CallAction.DIAL, "+4989123456")
    action = sim.state.actions[-1]
    assert (action.user, action.action, action.destination, action.prefix) == (
        "mmuster",
        "dial",
        "+4989123456",
        "auto",
    )
    assert action.device == SOFTPHONE


async def test_dial_from_a_named_device_encodes_its_name(pbx: PascomPbx, sim: Simulator) -> None:
    await pbx.call_action(CallAction.DIAL, "221", device=DESK_PHONE)
    assert sim.state.actions[-1].device == DESK_PHONE
    assert sim.state.actions[-1].destination == "221"


@pytest.mark.parametrize(
    ("action", "destination"),
    [
        (CallAction.HANGUP, ""),
        (CallAction.HOLD, ""),
        (CallAction.PICKUP, ""),
        (CallAction.OFFHOOK, ""),
        (CallAction.CONFERENCE, ""),
        (CallAction.TRANSFER, "222"),
        (CallAction.DTMF, "12#"),
    ],
)
async def test_every_call_action_arrives(
    pbx: PascomPbx, sim: Simulator, action: CallAction, destination: str
) -> None:
    await pbx.call_action(CallAction.DIAL, "221")
    await pbx.call_action(action, destination)
    arrived = sim.state.actions[-1]
    assert (arrived.action, arrived.destination) == (action.value, destination)


async def test_user_without_default_device_is_told_to_log_in(sim: Simulator) -> None:
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, "tsander") as tina:
        with pytest.raises(errors.NoDefaultDevice, match="not logged in to the pascom client"):
            await tina.call_action(CallAction.DIAL, "101")
        with pytest.raises(errors.NoDefaultDevice):
            await tina.default_device()
    assert not [a for a in sim.state.actions if a.user == "tsander"]


async def test_unknown_device_is_named(pbx: PascomPbx) -> None:
    with pytest.raises(errors.NotFound, match="no device 'Nope \\[x\\]'"):
        await pbx.call_action(CallAction.DIAL, "221", device="Nope [x]")


async def test_invalid_action_body_is_a_bad_request(pbx: PascomPbx) -> None:
    with pytest.raises(errors.BadRequest):
        await pbx.call_action(CallAction.DIAL, "")


async def test_unknown_user_names_the_login_setting(sim: Simulator) -> None:
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, "nobody") as ghost:
        with pytest.raises(errors.NotFound, match=r"no user 'nobody'.*pbx\.user"):
            await ghost.account()


async def test_login_name_that_needs_encoding_works(sim: Simulator) -> None:
    names = [u for u in sim.state.users if any(c in u for c in " üöäß/")]
    assert names, "the demo PBX should have a user whose login needs percent-encoding"
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, names[0]) as other:
        assert (await other.account()).login == names[0]

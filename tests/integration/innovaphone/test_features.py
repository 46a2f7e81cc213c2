"""Directory, presence, call forwarding and booleans against the innovaphone demo PBX."""

from __future__ import annotations

import pytest

from companion.pbx import errors
from companion.pbx.features import Feature
from companion.pbx.innovaphone import InnovaphonePbx
from companion.pbx.models import ContactDetails, ContactSource, Presence
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import USER_CN


def own_cds(inno: InnovaphoneSimulator) -> list[dict]:
    user = inno.state.find(cn=USER_CN)
    assert user is not None
    return [dict(d) for d in user.cds]


async def test_the_directory_pages_past_twenty_users(client: InnovaphonePbx) -> None:
    first = await client.directory_page(0, 30)
    second = await client.directory_page(30, 30)
    names = [c.name for c in first.contacts + second.contacts]
    assert len(first.contacts) == 30  # two SearchUsers pages of 20 and part of a third
    assert len(names) == len(set(names)) > 40  # every user once, none lost between pages
    assert second.total == len(names)
    anna = next(c for c in first.contacts if c.user_name == "aalbers")
    assert anna.source is ContactSource.USER
    assert [n.number for n in anna.numbers] == ["102"]  # from GetObject: SearchUsers has none
    assert (await client.directory_page(0, 30, private_only=True)).contacts == ()


async def test_the_paging_asks_by_the_last_cn(
    client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    await client.users()
    assert inno.received["SearchUsers"] >= 3  # 49 users: 20 + 20 + 9


async def test_a_search_finds_the_users_whose_name_begins_so(client: InnovaphonePbx) -> None:
    found = await client.search("B")
    assert found.contacts and all(c.name.startswith("B") for c in found.contacts)
    assert "Ben Bauer" in [c.name for c in found.contacts]
    assert (await client.search("Zzz")).contacts == ()


async def test_colleagues_presence_and_the_users_own(
    client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    profiles = await client.profiles()
    assert [p.id for p in profiles if p.active] == [""]
    changed = await client.activate_profile("dnd")
    assert changed.active and changed.name == "Do not disturb"
    assert [p.id for p in await client.profiles() if p.active] == ["dnd"]
    user = inno.state.find(cn=USER_CN)
    assert user is not None
    assert {p["c"] for p in user.presence} >= {"tel:", "im:"}  # the PBX's im: is kept
    seen = await client.presence(["mmuster", "nobody-here"])
    assert seen == {"mmuster": Presence.BUSY, "nobody-here": Presence.UNKNOWN}
    with pytest.raises(errors.BadRequest):
        await client.activate_profile("lunch")


async def test_forwarding_is_set_and_cleared_without_losing_other_diversions(
    client: InnovaphonePbx, inno: InnovaphoneSimulator
) -> None:
    others = own_cds(inno)
    assert others and all(d["type"] != "cfu" for d in others)  # cfnr and cfb in the demo
    assert not (await client.redirect()).active
    on = await client.set_redirect("0301234567")
    assert (on.active, on.target) == (True, "0301234567")
    cds = own_cds(inno)
    assert [d for d in cds if d["type"] == "cfu"] == [
        {"type": "cfu", "ep": [{"e164": "0301234567"}]}
    ]
    assert [d for d in cds if d["type"] != "cfu"] == others
    off = await client.redirect_off()
    assert not off.active and off.previous_target == "0301234567"
    assert own_cds(inno) == others
    again = await client.redirect_on()
    assert again.target == "0301234567"
    assert [d for d in own_cds(inno) if d["type"] != "cfu"] == others


async def test_booleans_are_shown_as_read_only_switches(client: InnovaphonePbx) -> None:
    switches = await client.switches()
    assert {s.name: s.on for s in switches} == {
        "Night service": False,
        "Holiday": True,
        "Hotline open": True,
    }
    assert not any(s.may_change for s in switches)
    assert len({s.extension for s in switches}) == 3  # each can be told apart
    with pytest.raises(errors.NotSupported, match="cannot switch them"):
        await client.set_switch(switches[0].extension, True)


async def test_what_the_apis_do_not_offer_is_said_in_words(client: InnovaphonePbx) -> None:
    assert Feature.VOICEMAIL not in client.capabilities
    with pytest.raises(errors.NotSupported, match="This innovaphone PBX offers no voicemail"):
        await client.voicemail_counts()
    with pytest.raises(errors.NotSupported, match="offers no faxes"):
        await client.received_faxes()
    with pytest.raises(errors.NotSupported, match="offers no call history"):
        await client.history()
    with pytest.raises(errors.NotSupported, match="users are the directory"):
        await client.create_contact(ContactDetails(name="X"))


async def test_the_session_names_the_pbx_that_offers_no_voicemail(client: InnovaphonePbx) -> None:
    from companion.session import Session

    session = Session(client)
    state = session.feature(Feature.VOICEMAIL)
    assert not state.available
    assert state.reason == "This innovaphone PBX offers no voicemail through its API."
    assert (
        session.feature(Feature.FAX).reason
        == "This innovaphone PBX offers no faxes through its API."
    )


async def test_a_colleague_away_is_away_not_offline(client: InnovaphonePbx) -> None:
    seen = await client.presence(["bbauer", "cconrad", "ddietrich", "aalbers"])
    assert seen == {
        "bbauer": Presence.AWAY,  # "away", "in a meeting" in the demo file
        "cconrad": Presence.BUSY,
        "ddietrich": Presence.BUSY,  # dnd
        "aalbers": Presence.AVAILABLE,
    }

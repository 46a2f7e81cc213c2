"""Phonebook, presence, profiles, queues, redirect and switches, each read back from the PBX."""

from __future__ import annotations

import pytest

from companion.pbx import errors
from companion.pbx.models import ContactDetails, ContactSource, NumberKind, Presence
from companion.pbx.pascom import PascomPbx


async def test_search_finds_umlauts_across_private_and_global(pbx: PascomPbx) -> None:
    result = await pbx.search("müller", limit=50)
    assert result.contacts
    assert all("müller" in repr(c).lower() for c in result.contacts)
    assert result.total >= len(result.contacts)


async def test_search_covers_private_entries_users_and_global(pbx: PascomPbx) -> None:
    everyone = await pbx.search("", limit=1000)
    sources = {c.source for c in everyone.contacts}
    assert sources == {ContactSource.PRIVATE, ContactSource.GLOBAL, ContactSource.USER}


async def test_users_carry_their_login_and_presence(pbx: PascomPbx) -> None:
    result = await pbx.search("Tina Sander")
    tina = [c for c in result.contacts if c.source is ContactSource.USER]
    assert tina and tina[0].user_name == "tsander"
    assert tina[0].numbers[0].number == "221"
    states = await pbx.presence(["tsander", "mmuster", "no-such-user"])
    assert set(states) == {"tsander", "mmuster"}
    assert all(isinstance(s, Presence) for s in states.values())
    assert Presence.UNKNOWN not in states.values()


async def test_search_pages(pbx: PascomPbx) -> None:
    first = await pbx.search("a", limit=10)
    second = await pbx.search("a", limit=10, offset=10)
    assert len(first.contacts) == 10 and first.total > 20
    assert not {c.id for c in first.contacts} & {c.id for c in second.contacts}


async def test_search_without_match_is_empty(pbx: PascomPbx) -> None:
    result = await pbx.search("zzzz-no-such-contact")
    assert result.contacts == () and result.total == 0


async def test_private_contact_create_update_delete(pbx: PascomPbx) -> None:
    created = await pbx.create_contact(
        ContactDetails(
            first_name="Jürgen",
            last_name="Quäntchenß",
            organisation="Bäckerei",
            mobile="+49 171 2345678",
        )
    )
    assert created.source is ContactSource.PRIVATE
    assert created.name == "Jürgen Quäntchenß"
    assert [(n.kind, n.number) for n in created.numbers] == [(NumberKind.MOBILE, "+49 171 2345678")]
    found = await pbx.search("Quäntchenß")
    assert [c.id for c in found.contacts] == [created.id]

    updated = await pbx.update_contact(
        created.id, ContactDetails(first_name="Jürgen", last_name="Quäntchenß", phone="089 1234")
    )
    assert [n.kind for n in updated.numbers] == [NumberKind.PHONE]
    assert (await pbx.search("Quäntchenß")).contacts[0].numbers == updated.numbers

    await pbx.delete_contact(created.id)
    assert (await pbx.search("Quäntchenß")).contacts == ()
    with pytest.raises(errors.NotFound, match="no longer exists"):
        await pbx.delete_contact(created.id)


async def test_resolve_tells_internal_from_external(pbx: PascomPbx) -> None:
    internal = await pbx.resolve("221")
    assert internal.internal and internal.name == "Tina Sander"
    external = await pbx.resolve("+4930123456")
    assert not external.internal


async def test_profiles_activate_and_read_back(pbx: PascomPbx) -> None:
    profiles = await pbx.profiles()
    assert len(profiles) >= 4
    assert sum(p.active for p in profiles) == 1
    inactive = [p for p in profiles if not p.active]
    other = next((p for p in inactive if "ß" in p.name), inactive[0])
    activated = await pbx.activate_profile(other.id)
    assert activated.active and activated.id == other.id
    assert [p.id for p in await pbx.profiles() if p.active] == [other.id]
    assert (await pbx.account()).active_profile_id == other.id


async def test_unknown_profile_is_not_found(pbx: PascomPbx) -> None:
    with pytest.raises(errors.NotFound):
        await pbx.activate_profile("999999")


async def test_queue_login_pause_unpause_logout(pbx: PascomPbx) -> None:
    await pbx.queue_login()
    queues = await pbx.queues()
    assert {q.queue for q in queues} == {"Zentrale", "Support"}
    assert all(q.logged_in and not q.paused for q in queues)
    await pbx.queue_pause("lunch")
    assert all(q.paused and q.pause_reason == "lunch" for q in await pbx.queues())
    await pbx.queue_unpause()
    assert not any(q.paused for q in await pbx.queues())
    await pbx.queue_logout()
    assert not any(q.logged_in for q in await pbx.queues())


async def test_unknown_pause_reason_is_a_bad_request(pbx: PascomPbx) -> None:
    await pbx.queue_login()
    # The default variant answers 400; the reference variant 200 with an AMI error body.
    with pytest.raises((errors.BadRequest, errors.ConflictError)):
        await pbx.queue_pause("no-such-reason")


async def test_redirect_set_off_on(pbx: PascomPbx) -> None:
    start = await pbx.redirect()
    assert start.extension == "101" and not start.active
    assert start.previous_target == "+4989998877"
    on = await pbx.set_redirect("+4930123456")
    assert on.active and on.target == "+4930123456"
    assert (await pbx.redirect()).target == "+4930123456"
    off = await pbx.redirect_off()
    assert not off.active and off.previous_target == "+4930123456"
    again = await pbx.redirect_on()
    assert again.active and again.target == "+4930123456"


async def test_switch_set_and_read_back(pbx: PascomPbx) -> None:
    switches = {s.name: s for s in await pbx.switches()}
    assert {"AfterHours", "Holiday", "Lunch break"} <= set(switches)
    after_hours = switches["AfterHours"]
    assert not after_hours.on
    assert (await pbx.set_switch(after_hours.extension, True)).on
    assert {s.extension: s.on for s in await pbx.switches()}[after_hours.extension]
    assert not (await pbx.set_switch(after_hours.extension, False)).on


async def test_switch_without_permission_is_refused(pbx: PascomPbx) -> None:
    switches = {s.name: s for s in await pbx.switches()}
    night = switches["Nightmode"]
    with pytest.raises(errors.PermissionDenied, match="may not change"):
        await pbx.set_switch(night.extension, not night.on)
    assert {s.extension: s.on for s in await pbx.switches()}[night.extension] == night.on


async def test_unknown_switch_is_not_found(pbx: PascomPbx) -> None:
    with pytest.raises(errors.NotFound, match="no extension switch 999"):
        await pbx.set_switch("999", True)


async def test_profiles_come_in_creation_order(pbx: PascomPbx) -> None:
    ids = [int(p.id) for p in await pbx.profiles()]
    assert ids == sorted(ids)
    assert (await pbx.profiles())[0].name == "Im Büro"

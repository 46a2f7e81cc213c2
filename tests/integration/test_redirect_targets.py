"""Redirect targets typed as a name, an extension or a number, and switches named by name."""

from __future__ import annotations

import pytest

from companion.numbers import NumberError
from companion.pbx import errors
from companion.pbx.models import NumberKind
from companion.pbx.pascom import PascomPbx
from companion.session import targets
from companion.session.targets import Target
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER


async def test_a_colleagues_name_resolves_to_their_extension(pbx: PascomPbx) -> None:
    # Tina Sander also has a mobile number: a colleague is reached on the extension.
    assert await targets.resolve(pbx, "tina", "DE") == [
        Target("221", "Tina Sander", NumberKind.PHONE)
    ]


async def test_an_extension_or_a_number_is_taken_as_it_is(pbx: PascomPbx) -> None:
    assert await targets.resolve(pbx, "120", "DE") == [Target("120")]
    assert await targets.resolve(pbx, "0221 9876543", "DE") == [Target("+492219876543")]


async def test_a_name_with_several_numbers_offers_each(pbx: PascomPbx) -> None:
    found = await targets.resolve(pbx, "Käthe Schmidt", "DE")
    assert found == [
        Target("+4989158176", "Käthe Schmidt", NumberKind.PHONE),
        Target("+4917953027281", "Käthe Schmidt", NumberKind.MOBILE),
    ]


async def test_a_name_matching_several_contacts_offers_them_all(pbx: PascomPbx) -> None:
    found = await targets.resolve(pbx, "Müller", "DE")
    names = {t.name for t in found}
    assert "Müller" in names  # an exact match does not hide the others
    assert "Małgorzata Müller" in names and "Müller & Söhne KG - Björn Müller" in names
    assert len(found) > len(names)  # Björn Müller offers his phone and his mobile
    assert len({t.number for t in found}) == len(found)  # each number once


async def test_no_match_says_so_in_words(pbx: PascomPbx) -> None:
    with pytest.raises(targets.TargetNotFound, match=r'No contact .* matches "Nobody Here"'):
        await targets.resolve(pbx, "  Nobody   Here ", "DE")
    with pytest.raises(NumberError):  # no letters: a malformed number, not a name
        await targets.resolve(pbx, "++49", "DE")


async def test_a_target_is_named_by_the_pbx_or_the_phonebook(pbx: PascomPbx) -> None:
    assert await targets.name_for(pbx, "120", "DE") == "Empfang"  # extension/?target=
    # The phonebook has "0171 2345678": found by the normalised number.
    assert await targets.name_for(pbx, "+491712345678", "DE") == (
        "Müller & Söhne KG - Björn Müller"
    )
    assert await targets.name_for(pbx, "+4930999000111", "DE") == ""
    assert targets.label("Empfang", "120") == "Empfang (120)"
    assert targets.label("", "120") == "120"


async def test_a_refused_switch_is_named_and_stays_refused(pbx: PascomPbx, sim: Simulator) -> None:
    night = {s.name: s for s in await pbx.switches()}["Nightmode"]
    assert night.may_change  # nothing in the listing says otherwise
    with pytest.raises(errors.PermissionDenied) as refused:
        await pbx.set_switch(night.extension, True)
    assert str(refused.value) == "You may not change the switch 'Nightmode' (the PBX refused it)."
    assert night.extension not in str(refused.value)
    after = {s.name: s for s in await pbx.switches()}
    assert not after["Nightmode"].may_change
    assert after["AfterHours"].may_change
    # Remembered for this session only: a new session asks the PBX again.
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as fresh:
        assert {s.name: s for s in await fresh.switches()}["Nightmode"].may_change

"""Numbers as the innovaphone PBX writes them (with its node's prefixes), shown as the faces
show pascom numbers: +E.164 outside, the extension inside; the caller found however the
PBX wrote the number. The prefixes are read once per connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.directory import Directory, sync
from companion.pbx.innovaphone import InnovaphonePbx
from companion.pbx.models import CallAction, CallState
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import USER_CN, until


async def ringing_number(client: InnovaphonePbx, inno: InnovaphoneSimulator, number: str) -> str:
    """The caller's number as the client shows it for a call the PBX reports as `number`."""
    await client.live_calls()  # connected: the monitor is up
    before = {c.id for c in await client.live_calls()}
    inno.ring(USER_CN, number)
    await until(lambda: any(c.id not in before for c in client._calls.values()))
    call = next(c for c in await client.live_calls() if c.id not in before)
    assert call.state is CallState.RINGING and call.incoming
    return call.remote_number


@pytest.mark.parametrize(
    "dialled_form", [False, True], ids=["normalized-e164", "normalized-dialled"]
)
async def test_numbers_with_the_nodes_prefixes_are_shown_internationally_and_extensions_as_they_are(
    inno: InnovaphoneSimulator, client: InnovaphonePbx, dialled_form: bool
) -> None:
    # GetNormalizedNumber may come as +4989123101 or as the PBX dials it (0004989123101)
    inno.state.normalized_dialled = dialled_form
    assert await ringing_number(client, inno, "0004930555123") == "+4930555123"  # prefixIntl
    assert await ringing_number(client, inno, "0030555123") == "+4930555123"  # prefixNtl
    assert await ringing_number(client, inno, "+4930555123") == "+4930555123"
    assert await ringing_number(client, inno, "102") == "102"  # a colleague: the extension
    # the node's own range (+49 89 123 ...) is the extension it reaches
    assert await ringing_number(client, inno, "0004989123102") == "102"
    assert await ringing_number(client, inno, "008912399999999") == "+498912399999999"
    assert inno.received["GetNormalizedNumber"] == 1  # read once, not per number


async def test_a_pbx_without_prefixes_gets_numbers_shown_as_it_wrote_them(
    inno: InnovaphoneSimulator, client: InnovaphonePbx
) -> None:
    inno.state.prefixes = {}
    assert await ringing_number(client, inno, "0030555123") == "0030555123"
    assert await ringing_number(client, inno, "+4989123102") == "102"  # the node's number


async def test_a_pbx_that_leaves_get_normalized_number_unanswered_is_still_connected(
    inno: InnovaphoneSimulator, client: InnovaphonePbx, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.pbx.innovaphone import client as client_module
    from companion.simulator.innovaphone import pbxadmin

    monkeypatch.setattr(client_module, "NUMBER_PLAN_DEADLINE", 0.3)
    handlers = dict(pbxadmin.HANDLERS)
    del handlers["GetNormalizedNumber"]  # an unknown mt: the demo PBX does not answer it
    monkeypatch.setattr(pbxadmin, "HANDLERS", handlers)
    assert await ringing_number(client, inno, "0030555123") == "+4930555123"  # prefixes
    assert await ringing_number(client, inno, "0004989123102") == "+4989123102"  # no node
    assert client.connections == 1


async def test_the_prefixes_are_read_again_on_a_new_connection_only(
    inno: InnovaphoneSimulator, client: InnovaphonePbx
) -> None:
    await ringing_number(client, inno, "0030555123")
    await client.close()
    inno.state.prefixes = {"prefixIntl": "00", "prefixNtl": "0", "country": "43"}
    inno.state.number_prefix = "+431555"
    assert await ringing_number(client, inno, "01234567") == "+431234567"  # now Austria
    assert await ringing_number(client, inno, "00431555102") == "102"
    assert inno.received["GetNormalizedNumber"] == 2 and client.connections == 2


async def test_forwarding_to_an_outside_number_is_written_as_the_pbx_dials_it(
    inno: InnovaphoneSimulator, client: InnovaphonePbx
) -> None:
    on = await client.set_redirect("+49301234567")
    assert on.target == "+49301234567"  # shown as it was given
    me = inno.state.find(cn=USER_CN)
    assert me is not None
    assert [d["ep"] for d in me.cds if d["type"] == "cfu"] == [[{"e164": "00301234567"}]]


async def test_a_caller_is_found_in_the_directory_however_the_pbx_wrote_the_number(
    inno: InnovaphoneSimulator, client: InnovaphonePbx, tmp_path: Path
) -> None:
    directory = Directory(tmp_path, inno.url, "mmuster", "DE")
    try:
        await sync(directory, client)
        for written in ("102", "0004989123102", "+4989123102"):
            shown = await ringing_number(client, inno, written)
            found = directory.lookup(shown)
            assert found is not None and found.name == "Anna Albers", written
        assert (await client.resolve("0004989123102")).name == "Anna Albers"
    finally:
        directory.close()


async def test_a_plus_number_is_dialled_with_the_nodes_prefixes(
    inno: InnovaphoneSimulator, client: InnovaphonePbx
) -> None:
    await client.call_action(CallAction.DIAL, "+4312345678")
    await client.call_action(CallAction.DIAL, "+4989123103")  # the node's own: the extension
    await until(lambda: len(inno.live_calls()) >= 2)
    peers = sorted(leg.peer.get("e164", "") for leg in inno.live_calls() if leg.cn == USER_CN)
    assert peers == ["0004312345678", "103"]

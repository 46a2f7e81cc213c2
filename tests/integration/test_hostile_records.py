"""One bad record never hides the rest: hostile raw records in every list the client reads.

The records are added to the demo PBX's real answers on the way out (Simulator.inject_records)
and read by the real client over the loopback socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.pbx.pascom import PascomPbx, mapping
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

# Values of the wrong kind for any field: the issue's "²" and 400-digit number among them.
HOSTILE_VALUES: list[Any] = [
    "²",
    10**400,
    "9" * 400,
    -(10**30),
    1e308,
    1.5,
    [],
    ["221"],
    {},
    {"a": [1]},
    None,
    True,
    "",
    "0:99:99",
    "9999-99-99 99:99:99",
]
NOT_RECORDS: list[Any] = ["²", 10**400, None, [], ["x"], "a string", 42, True]


@dataclass(frozen=True)
class Endpoint:
    path: str  # as the client asks for it, under services/
    fields: tuple[str, ...]  # the fields the client reads from its records
    read: Callable[[PascomPbx], Awaitable[set[str]]]  # what the user sees, as keys


async def _voicemails(pbx: PascomPbx) -> set[str]:
    return {m.id for m in await pbx.voicemails()}


async def _received(pbx: PascomPbx) -> set[str]:
    return {f.id for f in await pbx.received_faxes()}


async def _sent(pbx: PascomPbx) -> set[str]:
    return {f.id for f in await pbx.sent_faxes()}


async def _history(pbx: PascomPbx) -> set[str]:
    return {r.id for r in await pbx.history(limit=500) if r.id}


async def _search(pbx: PascomPbx) -> set[str]:
    return {c.id for c in (await pbx.search("", limit=500)).contacts if c.id}


async def _devices(pbx: PascomPbx) -> set[str]:
    return {d.name for d in await pbx.devices() if d.name}


async def _profiles(pbx: PascomPbx) -> set[str]:
    return {p.id for p in await pbx.profiles()}


async def _queues(pbx: PascomPbx) -> set[str]:
    return {q.queue for q in await pbx.queues()}


async def _redirect(pbx: PascomPbx) -> set[str]:
    current = await pbx.redirect()
    return {f"{current.extension}>{current.target}|{current.previous_target}"}


async def _switches(pbx: PascomPbx) -> set[str]:
    return {f"{s.extension}={s.on}" for s in await pbx.switches()}


async def _users(pbx: PascomPbx) -> set[str]:
    await pbx.account()
    return {f"{k}={v}" for k, v in (await pbx.phonebook._users_by_extension()).items()}


async def _presence(pbx: PascomPbx) -> set[str]:
    return {f"{k}={v}" for k, v in (await pbx.presence(["tsander", "agrassl"])).items()}


async def _resolve(pbx: PascomPbx) -> set[str]:
    info = await pbx.resolve("221")
    return {f"{info.internal}:{info.name}"}


ENDPOINTS = [
    Endpoint(
        "voicemailbox/101/*",
        (
            "msg_id",
            "id",
            "folder",
            "callerid",
            "calleridname",
            "calleridnum",
            "origtime",
            "origdate",
            "duration",
        ),
        _voicemails,
    ),
    Endpoint(
        "faxserver/received",
        (
            "filename",
            "009ext_extension",
            "003use_id",
            "received",
            "time",
            "pages",
            "pdf",
            "cidname",
            "cidnumber",
            "callid1",
            "callid2",
            "callid3",
            "callid4",
            "sender",
        ),
        _received,
    ),
    Endpoint(
        "faxserver/done",
        (
            "id",
            "jobtag",
            "dialstring",
            "number",
            "state",
            "totalPages",
            "scheduled",
            "error",
            "notify",
        ),
        _sent,
    ),
    Endpoint(
        "cdr",
        (
            "id",
            "timestamp",
            "time",
            "srcUserName",
            "srcExtension",
            "srcName",
            "srcNumber",
            "dstName",
            "dstNumber",
            "dstExtension",
            "duration",
            "connected",
            "result",
        ),
        _history,
    ),
    Endpoint(
        "phonebook/identity/mmuster",
        (
            "id",
            "type",
            "phonebookType",
            "displayname",
            "firstname",
            "surname",
            "phone",
            "mobile",
            "homephone",
            "fax",
            "organisation",
            "email",
            "notes",
        ),
        _search,
    ),
    Endpoint(
        "identity/mmuster/device",
        (
            "010dev_bez",
            "device_caption",
            "010dev_caption",
            "066dev_bez",
            "extension",
            "009ext_extension",
            "capabilities",
        ),
        _devices,
    ),
    Endpoint("identity/mmuster/profile", ("017pro_id", "017pro_bez"), _profiles),
    Endpoint("queue", ("029tea_bez", "009ext_extension"), _queues),
    Endpoint("redirect", ("source", "target", "old"), _redirect),
    Endpoint(
        "condition/switch",
        ("038con_id", "038con_bez", "009ext_extension", "039swi_state"),
        _switches,
    ),
    Endpoint(
        "identity", ("003use_name", "009ext_extension", "016voi_mailbox", "faxextension"), _users
    ),
    Endpoint("identity/states", ("003use_name", "state"), _presence),
    Endpoint("extension", ("009ext_extension", "text"), _resolve),
]


@pytest.fixture(autouse=True)
def _forget_warnings() -> Iterator[None]:
    """Each test sees the warnings of its own records (they are said once per process)."""
    mapping._said.clear()
    yield
    mapping._said.clear()


def _read(sim: Simulator, endpoint: Endpoint) -> set[str]:
    async def work() -> set[str]:
        async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
            return await endpoint.read(pbx)

    return asyncio.run(work())


def _hostile_record(fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={f: st.sampled_from(HOSTILE_VALUES) for f in fields})


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_hostile_records_hide_none_of_the_others(sim: Simulator, endpoint: Endpoint) -> None:
    clean = _read(sim, endpoint)
    assert clean  # the demo PBX has something to lose

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.one_of(_hostile_record(endpoint.fields), st.sampled_from(NOT_RECORDS)),
            min_size=1,
            max_size=4,
        )
    )
    def check(hostile: list[Any]) -> None:
        sim.behave()
        sim.inject_records(endpoint.path, hostile)
        seen = _read(sim, endpoint)
        assert clean <= seen, f"lost {clean - seen}"

    check()


def test_issue_voicemails_with_unreadable_times_are_shown_blank(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The issue's records: a time of "²" and one of 400 digits (and a 400-digit duration)."""
    clean = _read(sim, ENDPOINTS[0])
    sim.inject_records(
        "voicemailbox/101/*",
        [
            {"msg_id": "bad-sup", "origtime": "²", "calleridname": "Secret Name"},
            {"msg_id": "bad-long", "origtime": 10**400, "duration": 10**400},
            "not a record",
        ],
    )

    async def work() -> list[Any]:
        async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
            return await pbx.voicemails()

    with caplog.at_level(logging.WARNING, logger="companion.pbx.pascom.mapping"):
        messages = asyncio.run(work())
    by_id = {m.id: m for m in messages}
    assert clean <= set(by_id)
    assert by_id["bad-sup"].received is None and by_id["bad-sup"].caller_name == "Secret Name"
    assert by_id["bad-long"].received is None and by_id["bad-long"].duration == 0
    assert len(messages) == len(clean) + 2  # the item that is no record is skipped
    warnings = [r.getMessage() for r in caplog.records]
    assert any("voicemailbox" in w and "origtime" in w for w in warnings), warnings
    assert any("duration" in w for w in warnings), warnings
    assert any("not a record" in w for w in warnings), warnings
    assert sum("origtime" in w for w in warnings) == 1  # said once, not per record
    assert not any("Secret Name" in w or "²" in w or "999" in w for w in warnings)


def test_history_keeps_every_call_without_an_id(sim: Simulator) -> None:
    sim.inject_records(
        "cdr",
        [
            {"timestamp": 1763365800000, "srcUserName": "mmuster", "dstNumber": "555-1"},
            {"timestamp": 1763365900000, "srcUserName": "mmuster", "dstNumber": "555-2"},
        ],
    )

    async def work() -> list[str]:
        async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
            return [r.number for r in await pbx.history(limit=500) if not r.id]

    # Both are in each of the two cdr/ answers (outgoing, incoming): each is kept.
    assert {"555-1", "555-2"} <= set(asyncio.run(work()))


def test_a_live_call_with_hostile_neighbours_still_shows(sim: Simulator) -> None:
    call_id = sim.ring("tsander", USER, ring_s=30)
    sim.inject_records(
        "cdr/live",
        [
            {"phonecallId": 10**400, "srcUserName": USER, "connected": 10**400},
            {"phonecallId": "x1", "dstUserName": USER, "connected": 10**400, "timestamp": "²"},
            ["not", "a", "record"],
        ],
    )

    async def work() -> list[Any]:
        async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
            return await pbx.live_calls()

    calls = {c.id: c for c in asyncio.run(work())}
    assert str(call_id) in calls
    assert calls["x1"].started is None and calls["x1"].connected_since is None

"""/cdr: call history with its filters."""

from __future__ import annotations

import httpx


def calls(client: httpx.Client, **params: object) -> list[dict]:
    r = client.get("cdr/", params=params)
    if r.status_code == 204:
        return []
    assert r.status_code == 200, r.text
    return list(r.json())


def test_record_shape(ro: httpx.Client) -> None:
    record = calls(ro, limit=1)[0]
    for key in (
        "id",
        "timestamp",
        "time",
        "srcName",
        "srcNumber",
        "dstName",
        "dstNumber",
        "duration",
        "connected",
        "result",
        "srcUserName",
        "dstUserName",
        "srcInternal",
        "dstInternal",
        "chain",
        "phonecallId",
    ):
        assert key in record, key
    assert isinstance(record["timestamp"], int)
    assert record["time"].endswith(" +0000")


def test_default_order_is_newest_first_and_asc_reverses(ro: httpx.Client) -> None:
    everything = calls(ro)
    assert len(everything) >= 30
    stamps = [c["timestamp"] for c in everything]
    assert stamps == sorted(stamps, reverse=True)
    ascending = calls(ro, order="asc")
    assert ascending == list(reversed(everything))
    assert ro.get("cdr/", params={"order": "sideways"}).status_code == 400


def test_limit(ro: httpx.Client) -> None:
    assert calls(ro, limit=3) == calls(ro)[:3]
    assert ro.get("cdr/", params={"limit": "lots"}).status_code == 400


def test_user_filters(ro: httpx.Client) -> None:
    outgoing = calls(ro, srcusername="mmuster")
    incoming = calls(ro, dstusername="mmuster")
    assert outgoing and incoming
    assert all(c["srcUserName"] == "mmuster" and c["srcNumber"] == "101" for c in outgoing)
    assert all(c["dstUserName"] == "mmuster" for c in incoming)
    mine = {c["id"] for c in outgoing} | {c["id"] for c in incoming}
    assert len(mine) >= 25
    assert len(calls(ro)) > len(mine)  # there are calls that do not involve Max
    by_ext = calls(ro, srcextension="101")
    assert {c["id"] for c in by_ext} == {c["id"] for c in outgoing}
    assert calls(ro, dstextension="101") == incoming


def test_number_wildcards(ro: httpx.Client) -> None:
    huber = calls(ro, srcnumber="+49895554321")
    assert huber
    assert all(c["srcNumber"] == "+49895554321" for c in huber)
    munich = calls(ro, srcnumber="+4989%")
    assert {c["id"] for c in huber} <= {c["id"] for c in munich}
    assert all(c["srcNumber"].startswith("+4989") for c in munich)
    assert calls(ro, srcnumber="+4989") == []  # without % it is an exact match
    named = calls(ro, srcname="%huber%")
    assert {c["id"] for c in named} == {c["id"] for c in huber}


def test_external_parties_are_not_internal(ro: httpx.Client) -> None:
    huber = calls(ro, srcnumber="+49895554321")[0]
    assert huber["srcInternal"] is False
    assert huber["srcName"] == "Schreinerei Huber"
    assert huber["srcUserName"] == ""
    external = calls(ro, srcinternal="false")
    assert external and all(c["srcInternal"] is False for c in external)


def test_time_window(ro: httpx.Client) -> None:
    everything = calls(ro)
    day = calls(ro, timefrom="2025-11-18", timeto="2025-11-18")
    assert day
    assert all(c["time"].startswith("2025-11-18") for c in day)
    assert len(day) == sum(c["time"].startswith("2025-11-18") for c in everything)
    middle = everything[len(everything) // 2]["timestamp"]
    newer = calls(ro, timefrom=middle)
    assert newer and all(c["timestamp"] >= middle for c in newer)
    older = calls(ro, timeto=middle)
    assert len(newer) + len(older) == len(everything) + 1
    assert ro.get("cdr/", params={"timefrom": "yesterday"}).status_code == 400


def test_nothing_found_is_204(ro: httpx.Client) -> None:
    assert ro.get("cdr/", params={"srcusername": "nobody"}).status_code == 204

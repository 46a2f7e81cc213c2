"""The PbxAdminApi of the innovaphone demo PBX, with the reference's field names."""

from __future__ import annotations

from companion.simulator.innovaphone import InnovaphoneSimulator

from .conftest import USER_CN, Wire, app_login

API = {"api": "PbxAdminApi"}


def test_search_users_pages_by_20_past_the_first_page(admin: Wire) -> None:
    seen: list[str] = []
    last = ""
    pages = 0
    while True:
        page = admin.ask("SearchUsers", cn=last, **API)["user"]
        pages += 1
        if not page:
            break
        assert len(page) <= 20
        assert set(page[0]) == {"cn", "dn", "guid", "h323"}
        seen += [u["cn"] for u in page]
        last = page[-1]["cn"]
    assert pages == 4 and len(seen) == 49  # 20 + 20 + 9, then an empty page
    assert len(set(seen)) == len(seen)  # no user twice across pages
    assert seen == sorted(seen, key=str.casefold)
    assert "Support Queue" not in seen and "Trunk" not in seen  # not users
    assert "Executive Office" in seen  # executives are


def test_search_users_include_match(admin: Wire) -> None:
    without = admin.ask("SearchUsers", cn=USER_CN, **API)["user"]
    with_it = admin.ask("SearchUsers", cn=USER_CN, includeMatch=True, **API)["user"]
    assert with_it[0]["cn"] == USER_CN
    assert USER_CN not in [u["cn"] for u in without]
    assert with_it[1:] == without[:-1]


def test_src_is_echoed_and_many_requests_may_be_in_flight(admin: Wire) -> None:
    admin.send(mt="GetObject", cn=USER_CN, src="first", **API)
    admin.send(mt="GetBooleans", src="second", **API)
    first, second = admin.recv(), admin.recv()
    assert (first["mt"], first["src"], first["api"]) == ("GetObjectResult", "first", "PbxAdminApi")
    assert (second["mt"], second["src"]) == ("GetBooleansResult", "second")


def test_get_object_by_guid_cn_or_h323(admin: Wire) -> None:
    by_cn = admin.ask("GetObject", cn=USER_CN, **API)
    assert by_cn["h323"] == "mmuster" and by_cn["e164"] == "101" and "pwd" not in by_cn
    assert admin.ask("GetObject", guid=by_cn["guid"], **API)["cn"] == USER_CN
    assert admin.ask("GetObject", h323="mmuster", **API)["cn"] == USER_CN
    assert admin.ask("GetObject", cn="Nobody Here", **API) == {
        "api": "PbxAdminApi",
        "mt": "GetObjectResult",
        "src": admin.seen[-1]["src"],
    }


def test_presence_read_and_replaced(admin: Wire) -> None:
    before = admin.ask("GetObject", cn=USER_CN, **API)
    assert {"c": "tel:", "a": "", "n": ""} in before["presence"]
    new = [{"c": "tel:", "a": "away", "n": "back at 3"}]
    done = admin.ask("UpdateObject", guid=before["guid"], presence=new, **API)
    assert "error" not in done and "guid" not in done  # the guid only for a new object
    after = admin.ask("GetObject", cn=USER_CN, **API)
    assert after["presence"] == new  # the whole list is replaced
    assert after["cds"] == before["cds"]  # what was not sent is unchanged


def test_cds_replace_the_whole_list(admin: Wire) -> None:
    before = admin.ask("GetObject", cn=USER_CN, **API)["cds"]
    assert {d["type"] for d in before} == {"cfnr", "cfb"}
    cfu = {"type": "cfu", "ep": [{"e164": "0891112222"}]}
    admin.ask("UpdateObject", guid="*", cn=USER_CN, cds=[cfu], **API)
    assert admin.ask("GetObject", cn=USER_CN, **API)["cds"] == [cfu]  # the others are gone
    admin.ask("UpdateObject", guid="*", cn=USER_CN, cds=[*before, cfu], **API)
    assert admin.ask("GetObject", cn=USER_CN, **API)["cds"] == [*before, cfu]
    admin.ask("UpdateObject", guid="*", cn=USER_CN, cds=[], **API)
    assert admin.ask("GetObject", cn=USER_CN, **API)["cds"] == []


def test_bad_diversions_are_refused_in_words_and_change_nothing(admin: Wire) -> None:
    before = admin.ask("GetObject", cn=USER_CN, **API)["cds"]
    bad = admin.ask("UpdateObject", guid="*", cn=USER_CN, cds=[{"type": "cfx", "ep": []}], **API)
    assert "cfu, cfb or cfnr" in bad["error"]
    no_ep = admin.ask("UpdateObject", guid="*", cn=USER_CN, cds=[{"type": "cfu"}], **API)
    assert "ep" in no_ep["error"]
    assert admin.ask("GetObject", cn=USER_CN, **API)["cds"] == before


def test_update_object_creates_and_reports_unknown_objects(admin: Wire) -> None:
    created = admin.ask("UpdateObject", cn="New Person", e164="170", h323="nperson", **API)
    assert len(created["guid"]) == 32
    assert admin.ask("GetObject", guid=created["guid"], **API)["e164"] == "170"
    missing = admin.ask("UpdateObject", guid="00" * 16, dn="x", **API)
    assert missing["error"]
    maybe = admin.ask("UpdateObject", guid="?", cn="Another Person", **API)
    assert maybe["guid"]


def test_get_booleans(admin: Wire) -> None:
    booleans = admin.ask("GetBooleans", **API)["booleans"]
    assert {b["name"]: b["on"] for b in booleans} == {
        "Night service": False,
        "Holiday": True,
        "Hotline open": True,
    }
    assert set(booleans[0]) == {"guid", "name", "on", "reason"}


def test_normalized_number_and_nodes(admin: Wire) -> None:
    assert admin.ask("GetNormalizedNumber", cn=USER_CN, **API)["number"] == "+4989123101"
    relative = admin.ask("GetNormalizedNumber", cn=USER_CN, **{"from-cn": "Anna Albers"}, **API)
    assert relative["number"] == "101"
    assert admin.ask("GetNodes", **API)["nodes"] == [{"name": "root", "node": "", "loc": "demo"}]


def test_an_app_object_without_the_api_gets_no_answer(inno: InnovaphoneSimulator) -> None:
    wire, _ = app_login(inno, app="pbxadminapi", password="pwd")
    wire.send(api="RCC", mt="Initialize", src="no")  # this App object has no RCC
    assert wire.ask("GetPbxConfig", **API)["mt"] == "GetPbxConfigResult"
    assert [m["mt"] for m in wire.seen[2:]] == ["GetPbxConfigResult"]


def test_unknown_message_types_are_not_answered(inno: InnovaphoneSimulator, admin: Wire) -> None:
    admin.send(mt="NoSuchMessage", src="u", **API)
    admin.send(mt="AlsoUnknown", api="NoSuchApi", src="v")
    assert admin.ask("GetPbxConfig", **API)["mt"] == "GetPbxConfigResult"
    assert [m["mt"] for m in admin.seen[2:]] == ["GetPbxConfigResult"]
    assert inno.received["NoSuchMessage"] == 1 and inno.received["AlsoUnknown"] == 1

"""/phonebook: global and private lists, search, paging, HEAD, create/update/delete."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from companion.simulator import Simulator

from .conftest import seg, services


def entries(client: httpx.Client, path: str = "phonebook/", **params: object) -> list[dict]:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return list(r.json()["entries"])


def test_global_phonebook_shape(ro: httpx.Client) -> None:
    body = ro.get("phonebook/").json()
    assert set(body) == {"total", "limit", "offset", "scroll", "entries"}
    assert body["total"] == len(body["entries"]) >= 300
    assert (body["limit"], body["offset"], body["scroll"]) == (0, 0, 0)
    first = body["entries"][0]
    assert set(first) == {
        "type",
        "id",
        "phonebookType",
        "phonebookName",
        "displayname",
        "firstname",
        "surname",
        "phone",
        "email",
        "fax",
        "mobile",
        "homephone",
        "organisation",
        "notes",
        "labelList",
    }
    names = [e["displayname"].lower() for e in body["entries"]]
    assert names == sorted(names)


def test_global_phonebook_holds_no_private_entries(ro: httpx.Client) -> None:
    everything = entries(ro)
    assert {e["phonebookType"] for e in everything} == {None}
    assert {e["type"] for e in everything} == {"028phonebook", "011account"}
    assert not any(e["displayname"] == "Mama" for e in everything)


def test_search_is_a_case_insensitive_substring_over_all_fields(ro: httpx.Client) -> None:
    found = entries(ro, search="SCHREINEREI hub")
    assert [e["displayname"] for e in found] == ["Schreinerei Huber - Josef Huber"]
    assert found[0]["phone"] == "089/5554321"
    by_mail = entries(ro, search="@globex.example")
    assert [e["surname"] for e in by_mail] == ["Scorpio"]
    by_number = entries(ro, search="5554321")
    assert any(e["organisation"] == "Schreinerei Huber" for e in by_number)
    umlaut = entries(ro, search="WEIß")
    assert umlaut
    assert all("weiß" in json.dumps(e, ensure_ascii=False).lower() for e in umlaut)
    # like SQL ILIKE: no ß/ss folding
    weiss = {e["id"] for e in entries(ro, search="weiss")}
    only_eszett = [e for e in umlaut if "weiss" not in json.dumps(e, ensure_ascii=False).lower()]
    assert only_eszett
    assert not any(e["id"] in weiss for e in only_eszett)


def test_users_are_in_the_global_phonebook_as_accounts(ro: httpx.Client) -> None:
    [tina] = entries(ro, search="Tina Sander")
    assert tina["type"] == "011account"
    assert (tina["phone"], tina["fax"]) == ("221", "302")
    assert tina["phonebookType"] is None


def test_total_counts_matches_and_paging_walks_them(ro: httpx.Client) -> None:
    everything = entries(ro, search="gmbh")
    assert len(everything) > 10
    page = ro.get("phonebook/", params={"search": "gmbh", "offset": 5, "limit": 5}).json()
    assert page["total"] == len(everything)
    assert (page["offset"], page["limit"], page["scroll"]) == (5, 5, 10)
    assert page["entries"] == everything[5:10]
    tail = ro.get(
        "phonebook/", params={"search": "gmbh", "offset": len(everything) - 2, "limit": 5}
    )
    assert len(tail.json()["entries"]) == 2
    assert tail.json()["scroll"] == 0


def test_letter_filters_by_first_letter(ro: httpx.Client) -> None:
    found = entries(ro, letter="ö")
    assert found
    assert all(e["displayname"].lower().startswith("ö") for e in found)


def test_no_match_is_204(ro: httpx.Client) -> None:
    r = ro.get("phonebook/", params={"search": "zzz-nobody-zzz"})
    assert r.status_code == 204


def test_bad_paging_is_400(ro: httpx.Client) -> None:
    assert ro.get("phonebook/", params={"limit": "ten"}).status_code == 400
    assert ro.get("phonebook/", params={"offset": "-1"}).status_code == 400


def test_head_gives_counts(ro: httpx.Client) -> None:
    r = ro.head("phonebook/", params={"search": "gmbh", "limit": 3})
    assert r.status_code == 200
    assert r.content == b""
    total = len(entries(ro))
    matches = len(entries(ro, search="gmbh"))
    assert int(r.headers["x-total"]) == total
    assert int(r.headers["x-totalfiltered"]) == matches
    assert (r.headers["x-limit"], r.headers["x-offset"], r.headers["x-scroll"]) == ("3", "0", "3")


def test_private_phonebook_of_max(ro: httpx.Client) -> None:
    mine = entries(ro, "phonebook/identity/mmuster")
    assert len(mine) == 5
    assert {e["phonebookType"] for e in mine} == {"identity"}
    assert {e["phonebookName"] for e in mine} == {"mmuster"}
    assert "Mama" in {e["displayname"] for e in mine}
    head = ro.head("phonebook/identity/mmuster")
    assert head.headers["x-total"] == "5"


def test_scope_all_adds_global_entries_and_users(ro: httpx.Client) -> None:
    everything = entries(ro, "phonebook/identity/mmuster", scope="all")
    assert len(everything) == 5 + len(entries(ro))
    kinds = {(e["type"], e["phonebookType"]) for e in everything}
    assert kinds == {("028phonebook", "identity"), ("028phonebook", None), ("011account", None)}
    found = entries(ro, "phonebook/identity/mmuster", scope="all", search="sander")
    assert {e["displayname"] for e in found} >= {"Tina Sander"}
    assert "Lars Sander" not in {e["displayname"] for e in found}  # Tina's private entry


def test_private_phonebook_of_unknown_user_is_404(ro: httpx.Client) -> None:
    assert ro.get("phonebook/identity/nobody").status_code == 404


def test_private_phonebook_of_user_with_encoded_name(ro: httpx.Client) -> None:
    assert ro.get("phonebook/identity/" + seg("empfang/tresen")).status_code == 204


def test_entry_by_id(ro: httpx.Client) -> None:
    [huber] = entries(ro, search="Schreinerei Huber")
    assert ro.get(f"phonebook/{huber['id']}").json() == huber
    assert ro.get("phonebook/999999").status_code == 404
    assert ro.get("phonebook/abc").status_code == 404


def test_create_private_entry_answers_with_the_new_entry(api: httpx.Client) -> None:
    body = {
        "type": "028phonebook",
        "displayname": "Chaos Computer - Michael Mustermann",
        "firstname": "Michael",
        "surname": "Mustermann",
        "phone": "0991123455677",
        "labelList": [],
    }
    r = api.post("phonebook/identity/mmuster", json=body)
    assert r.status_code == 200
    created = r.json()
    assert isinstance(created["id"], int)
    assert created["phonebookType"] == "identity"
    assert created["phonebookName"] == "mmuster"
    assert api.get(f"phonebook/{created['id']}").json() == created
    assert len(entries(api, "phonebook/identity/mmuster")) == 6
    assert entries(api, "phonebook/identity/mmuster", search="0991123455677") == [created]


def test_create_global_entry_composes_a_displayname(api: httpx.Client) -> None:
    r = api.post(
        "phonebook/", json={"organisation": "ACME", "firstname": "Wile", "surname": "Coyote"}
    )
    created = r.json()
    assert created["displayname"] == "ACME - Wile Coyote"
    assert created["phonebookType"] is None
    assert entries(api, search="coyote") == [created]


def test_create_needs_a_name_and_valid_fields(api: httpx.Client) -> None:
    assert api.post("phonebook/identity/mmuster", json={"phone": "123"}).status_code == 400
    assert api.post("phonebook/identity/mmuster", json={"displayname": 5}).status_code == 400
    assert api.post("phonebook/identity/mmuster", json=[]).status_code == 400
    r = api.post(
        "phonebook/identity/mmuster", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert api.post("phonebook/identity/ghost", json={"displayname": "X"}).status_code == 404


def test_update_entry(api: httpx.Client) -> None:
    [mama] = entries(api, "phonebook/identity/mmuster", search="Mama")
    r = api.post(f"phonebook/{mama['id']}", json={"mobile": "0170 1111111", "notes": "neu"})
    assert r.status_code == 200
    again = api.get(f"phonebook/{mama['id']}").json()
    assert (again["mobile"], again["notes"], again["displayname"]) == (
        "0170 1111111",
        "neu",
        "Mama",
    )
    assert entries(api, "phonebook/identity/mmuster", search="1111111") == [again]
    assert api.post("phonebook/999999", json={"displayname": "x"}).status_code == 404


def test_update_can_move_an_entry_to_the_global_phonebook(api: httpx.Client) -> None:
    [kita] = entries(api, "phonebook/identity/mmuster", search="Kita")
    moved = api.post(f"phonebook/{kita['id']}", json={"phonebookType": None}).json()
    assert moved["phonebookType"] is None
    assert len(entries(api, "phonebook/identity/mmuster")) == 4
    assert entries(api, search="Kita Sonnenschein") == [moved]


def test_accounts_cannot_be_edited_or_deleted(api: httpx.Client) -> None:
    [tina] = entries(api, search="Tina Sander")
    assert api.post(f"phonebook/{tina['id']}", json={"notes": "x"}).status_code == 403
    assert api.delete(f"phonebook/{tina['id']}").status_code == 403


def test_delete_entry(api: httpx.Client) -> None:
    [huber] = entries(api, search="Schreinerei Huber")
    total = len(entries(api))
    r = api.delete(f"phonebook/{huber['id']}")
    assert r.status_code == 200
    assert r.json()["id"] == huber["id"]
    assert api.get(f"phonebook/{huber['id']}").status_code == 404
    assert api.get("phonebook/", params={"search": "Schreinerei Huber"}).status_code == 204
    assert len(entries(api)) == total - 1
    assert api.delete(f"phonebook/{huber['id']}").status_code == 404


def test_search_in_100000_entries(tmp_path: Path) -> None:
    phonebook = [
        {
            "028pho_firstname": f"Vorname{i}",
            "028pho_lastname": f"Nachname{i % 977}",
            "028pho_organisation": f"Firma {i % 313} GmbH",
            "028pho_phone": f"+49 89 {1000000 + i}",
        }
        for i in range(100_000)
    ]
    phonebook.append({"028pho_bez": "Nadel im Heuhaufen", "028pho_phone": "0800 4242"})
    doc = {
        "identity": [{"003use_name": "jdoe", "003use_bez": "John Doe", "009ext_extension": "100"}],
        "phonebook": phonebook,
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    with Simulator.start(data=path) as sim, services(sim) as client:
        found = client.get("phonebook/", params={"search": "heuhaufen", "limit": 20}).json()
        page = client.get("phonebook/", params={"search": "nachname9", "offset": 40, "limit": 20})
        head = client.head("phonebook/", params={"search": "firma 1"})
    assert [e["displayname"] for e in found["entries"]] == ["Nadel im Heuhaufen"]
    assert page.json()["total"] == 8_987  # Nachname9, 90-99, 900-976
    assert len(page.json()["entries"]) == 20
    assert int(head.headers["x-total"]) == 100_002  # with the one user

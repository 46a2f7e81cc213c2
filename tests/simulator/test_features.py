"""Switches (/condition), redirects, queues, extensions."""

from __future__ import annotations

import httpx

from .conftest import seg

MAX_ID = 3  # mmuster's 003use_id
GRASSL_ID = 6  # agrassl, the admin


# ---------------------------------------------------------------------- switches


def test_switch_list(ro: httpx.Client) -> None:
    switches = {s["009ext_extension"]: s for s in ro.get("condition/switch").json()}
    assert {k: (v["038con_bez"], v["039swi_state"]) for k, v in switches.items()} == {
        "503": ("AfterHours", False),
        "504": ("Holiday", True),
        "505": ("Lunch break", False),
        "506": ("Nightmode", False),
    }
    assert switches["503"]["038con_id"] == 44


def test_one_switch_is_a_list(ro: httpx.Client) -> None:
    assert ro.get("condition/switch/504").json() == [
        {"038con_id": 45, "038con_bez": "Holiday", "039swi_state": True, "009ext_extension": "504"}
    ]
    assert ro.get("condition/switch/599").status_code == 404


def test_switch_can_be_turned_on_and_off(api: httpx.Client) -> None:
    r = api.post("condition/switch/503", json={"039swi_state": True, "003use_id": MAX_ID})
    assert r.status_code == 200
    assert r.json()[0]["039swi_state"] is True
    assert api.get("condition/switch/503").json()[0]["039swi_state"] is True
    api.post("condition/switch/504", json={"039swi_state": False, "003use_id": MAX_ID})
    states = {s["009ext_extension"]: s["039swi_state"] for s in api.get("condition/switch").json()}
    assert states == {"503": True, "504": False, "505": False, "506": False}


def test_switch_body_is_checked(api: httpx.Client) -> None:
    url = "condition/switch/503"
    assert api.post(url, json={"039swi_state": True}).status_code == 400
    assert api.post(url, json={"003use_id": MAX_ID}).status_code == 400
    assert api.post(url, json={"039swi_state": "true", "003use_id": MAX_ID}).status_code == 400
    assert api.post(url, json={"039swi_state": True, "003use_id": "3"}).status_code == 400
    assert api.post(url, json={"039swi_state": True, "003use_id": True}).status_code == 400
    bad_json = api.post(url, content=b"{", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400
    assert api.get(url).json()[0]["039swi_state"] is False


def test_unknown_switch_is_404(api: httpx.Client) -> None:
    r = api.post("condition/switch/599", json={"039swi_state": True, "003use_id": MAX_ID})
    assert r.status_code == 404


def test_switch_permissions(api: httpx.Client) -> None:
    r = api.post("condition/switch/506", json={"039swi_state": True, "003use_id": MAX_ID})
    assert r.status_code == 403
    assert "mmuster" in r.json()["error"]
    assert api.get("condition/switch/506").json()[0]["039swi_state"] is False
    r = api.post("condition/switch/506", json={"039swi_state": True, "003use_id": GRASSL_ID})
    assert r.status_code == 200
    assert api.get("condition/switch/506").json()[0]["039swi_state"] is True
    r = api.post("condition/switch/503", json={"039swi_state": True, "003use_id": 999})
    assert r.status_code == 403


# ---------------------------------------------------------------------- redirects


def redirect_of(client: httpx.Client, source: str) -> dict[str, str]:
    [found] = [r for r in client.get("redirect/").json() if r["source"] == source]
    return dict(found)


def test_redirect_list(ro: httpx.Client) -> None:
    assert redirect_of(ro, "101") == {"source": "101", "target": "", "old": "+4989998877"}
    assert redirect_of(ro, "221") == {"source": "221", "target": "200", "old": "200"}


def test_set_redirect_then_read_it(api: httpx.Client) -> None:
    r = api.post("redirect/101", json={"target": "08955555"})
    assert r.json() == {"status": 1, "target": "08955555", "old": "08955555", "source": "101"}
    assert redirect_of(api, "101") == {"source": "101", "target": "08955555", "old": "08955555"}


def test_empty_target_switches_off_and_keeps_old(api: httpx.Client) -> None:
    api.post("redirect/101", json={"target": "200"})
    r = api.post("redirect/101", json={"target": ""})
    assert r.json() == {"status": 1, "target": "", "old": "200", "source": "101"}
    assert redirect_of(api, "101") == {"source": "101", "target": "", "old": "200"}
    # switching it on again with the old target
    api.post("redirect/101", json={"target": redirect_of(api, "101")["old"]})
    assert redirect_of(api, "101")["target"] == "200"


def test_redirect_of_extension_without_entry_is_created(api: httpx.Client) -> None:
    api.post("redirect/105", json={"target": "101"})
    assert redirect_of(api, "105") == {"source": "105", "target": "101", "old": "101"}


def test_redirect_errors(api: httpx.Client) -> None:
    assert api.post("redirect/999", json={"target": "101"}).status_code == 404
    assert api.post("redirect/101", json={}).status_code == 400
    assert api.post("redirect/101", json={"target": 101}).status_code == 400
    bad = api.post(
        "redirect/101", content=b"target=1", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert redirect_of(api, "101")["target"] == ""


def test_redirect_notify(api: httpx.Client) -> None:
    body = {"action": "notify", "destionation": "200", "old": "200"}
    r = api.post("redirect/101/action", json=body)
    assert r.status_code == 200
    assert api.post("redirect/101/action", json={"action": "shout"}).status_code == 400
    assert api.post("redirect/999/action", json=body).status_code == 404


# ---------------------------------------------------------------------- queues


def member(client: httpx.Client, queue: str, agent: str) -> dict[str, object]:
    members = client.get("queue/" + seg(queue)).json()["members"]
    [found] = [m for m in members if m["agent"] == agent]
    return dict(found)


def test_queue_list(ro: httpx.Client) -> None:
    queues = {q["029tea_bez"]: q for q in ro.get("queue/").json()}
    assert set(queues) == {"Zentrale", "Support"}
    assert queues["Zentrale"]["009ext_extension"] == "200"
    assert queues["Support"]["009ext_extension"] == "300"
    counts = queues["Zentrale"]["members"]
    assert counts["countInactiveMembers"] == 1  # tsander logged out
    assert counts["countPausedMembers"] == 1  # jgeissler in a meeting
    assert counts["countMembersPerPauseReason"] == [{"reason": "meeting", "count": 1}]


def test_queue_detail(ro: httpx.Client) -> None:
    q = ro.get("queue/Zentrale").json()
    assert q["029tea_bez"] == "Zentrale"
    assert q["pausereasons"] == [
        {"reason": "lunch", "code": "40"},
        {"reason": "meeting", "code": "41"},
    ]
    me = member(ro, "Zentrale", "mmuster")
    assert (me["loggedin"], me["paused"], me["pausereason"]) == (True, False, "")
    assert me["phonebookentry"]["displayname"] == "Max Mustermann"  # type: ignore[index]
    assert ro.get("queue/Nowhere").status_code == 404


def test_pause_with_reason_then_unpause(api: httpx.Client) -> None:
    r = api.post(
        "queue/Zentrale/action", json={"action": "pause", "identity": "mmuster", "reason": "lunch"}
    )
    assert r.status_code == 200
    assert r.json()["Response"] == "Success"
    assert "ActionID" in r.json()
    me = member(api, "Zentrale", "mmuster")
    assert (me["paused"], me["pausereason"]) == (True, "lunch")
    assert member(api, "Support", "mmuster")["paused"] is False
    api.post("queue/Zentrale/action", json={"action": "unpause", "identity": "mmuster"})
    assert member(api, "Zentrale", "mmuster")["paused"] is False


def test_pause_by_code(api: httpx.Client) -> None:
    api.post("queue/Support/action", json={"action": "pause", "identity": "mmuster", "code": "41"})
    assert member(api, "Support", "mmuster")["pausereason"] == "meeting"
    api.post("queue/Support/action", json={"action": "pause", "identity": "mmuster", "code": 40})
    assert member(api, "Support", "mmuster")["pausereason"] == "lunch"


def test_action_on_all_queues(api: httpx.Client) -> None:
    r = api.post("queue/action", json={"action": "logout", "identity": "mmuster", "penalty": "0"})
    assert r.json()["Response"] == "Success"
    assert member(api, "Zentrale", "mmuster")["loggedin"] is False
    assert member(api, "Support", "mmuster")["loggedin"] is False
    api.post("queue/action", json={"action": "login", "identity": "mmuster"})
    assert member(api, "Zentrale", "mmuster")["loggedin"] is True
    assert member(api, "Support", "mmuster")["loggedin"] is True


def test_logout_clears_a_pause(api: httpx.Client) -> None:
    api.post("queue/action", json={"action": "pause", "identity": "mmuster", "reason": "meeting"})
    api.post("queue/Support/action", json={"action": "logout", "identity": "mmuster"})
    me = member(api, "Support", "mmuster")
    assert (me["loggedin"], me["paused"], me["pausereason"]) == (False, False, "")
    assert member(api, "Zentrale", "mmuster")["pausereason"] == "meeting"


def test_queue_action_errors(api: httpx.Client) -> None:
    ok = {"action": "pause", "identity": "mmuster"}
    assert api.post("queue/Nowhere/action", json=ok).status_code == 404
    assert api.post("queue/Support/action", json={**ok, "identity": "tsander"}).status_code == 404
    assert api.post("queue/action", json={**ok, "identity": "ghost"}).status_code == 404
    assert api.post("queue/Support/action", json={**ok, "action": "dance"}).status_code == 400
    assert api.post("queue/Support/action", json={"action": "login"}).status_code == 400
    assert api.post("queue/Support/action", json={**ok, "reason": "coffee"}).status_code == 400
    assert api.post("queue/Support/action", json={**ok, "code": "99"}).status_code == 400
    assert member(api, "Support", "mmuster")["paused"] is False


# ---------------------------------------------------------------------- extensions


def test_extension_list(ro: httpx.Client) -> None:
    rows = ro.get("extension/").json()
    by_ext = {r["009ext_extension"]: r for r in rows}
    assert by_ext["101"] == {
        "009ext_extension": "101",
        "typ": "Benutzer",
        "text": "Max Mustermann",
        "src": "011account",
        "resource": "users/user-3",
    }
    assert by_ext["200"]["typ"] == "Warteschlange"
    assert by_ext["301"]["typ"] == "Fax"
    assert by_ext["503"]["text"] == "AfterHours"


def test_extension_target_resolution(ro: httpx.Client) -> None:
    assert ro.get("extension/", params={"target": "221"}).json() == [
        {
            "009ext_extension": "221",
            "typ": "Benutzer",
            "text": "Tina Sander",
            "src": "011account",
            "resource": "users/user-4",
        }
    ]
    assert ro.get("extension/", params={"target": "08955555444"}).status_code == 204

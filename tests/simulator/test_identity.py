"""Auth, routing on raw path segments, /identity and device actions."""

from __future__ import annotations

import json
import time

import httpx

from companion.simulator import Simulator

from .conftest import REST_PASSWORD, REST_USER, origin, seg, services

SOFTPHONE = "pascom Softphone [Max Mustermann]"
DESK_PHONE = "Yealink T54W [Max Mustermann]"


# ---------------------------------------------------------------------- auth


def test_services_need_basic_auth(demo: Simulator) -> None:
    r = httpx.get(demo.base_url + "/services/identity/")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="pascom"'
    assert r.json() == {"error": "authentication required"}


def test_wrong_password_and_wrong_user_are_refused(demo: Simulator) -> None:
    url = demo.base_url + "/services/identity/"
    assert httpx.get(url, auth=(REST_USER, "wrong")).status_code == 401
    assert httpx.get(url, auth=("admin", REST_PASSWORD)).status_code == 401
    garbled = {"authorization": "Basic not-base64!"}
    assert httpx.get(url, headers=garbled).status_code == 401
    bearer = {"authorization": "Bearer " + REST_PASSWORD}
    assert httpx.get(url, headers=bearer).status_code == 401


def test_right_credentials_pass(demo: Simulator) -> None:
    r = httpx.get(demo.base_url + "/services/identity/", auth=(REST_USER, REST_PASSWORD))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"


def test_other_credentials_can_be_configured() -> None:
    with Simulator.start(instance="acme", rest_user="api", rest_password="s3cr3t") as sim:
        assert sim.base_url.endswith("/acme")
        url = sim.base_url + "/services/identity/mmuster"
        assert httpx.get(url, auth=("api", "s3cr3t")).status_code == 200
        assert httpx.get(url, auth=(REST_USER, REST_PASSWORD)).status_code == 401


def test_unknown_instance_and_unknown_resource_are_404(demo: Simulator, ro: httpx.Client) -> None:
    auth = (REST_USER, REST_PASSWORD)
    assert httpx.get(origin(demo) + "/other/services/identity/", auth=auth).status_code == 404
    assert ro.get("nosuchthing/").status_code == 404
    r = ro.delete("identity/mmuster")
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


# ---------------------------------------------------------------------- identity


def test_identity_list_has_all_users_with_extensions(ro: httpx.Client) -> None:
    users = ro.get("identity/").json()
    assert isinstance(users, list)
    assert 10 <= len(users) <= 14
    by_name = {u["003use_name"]: u for u in users}
    assert by_name["mmuster"]["009ext_extension"] == "101"
    assert by_name["tsander"]["009ext_extension"] == "221"
    assert all(u["009ext_extension"] for u in users)
    # with and without the trailing slash
    assert ro.get("identity").json() == users


def test_identity_of_max(ro: httpx.Client) -> None:
    me = ro.get("identity/mmuster").json()
    assert me["003use_bez"] == "Max Mustermann"
    assert me["003use_id"] == 3
    assert me["016voi_mailbox"] == "101"
    assert me["faxextension"] == "301"
    assert me["017pro_id"] == 11
    assert isinstance(me["020fax_id"], int)


def test_unknown_user_is_404(ro: httpx.Client) -> None:
    r = ro.get("identity/nobody")
    assert r.status_code == 404
    assert "nobody" in r.json()["error"]


def test_login_names_with_umlaut_space_and_slash(ro: httpx.Client) -> None:
    for login, display in (
        ("jürgen.weiß", "Jürgen Weiß"),
        ("lena schäfer", "Lena Schäfer"),
        ("empfang/tresen", "Empfang"),
    ):
        r = ro.get("identity/" + seg(login))
        assert r.status_code == 200, login
        assert r.json()["003use_bez"] == display
    # an unencoded slash is a path separator, so this is another resource
    assert ro.get("identity/empfang/tresen").status_code == 404


def test_states_returns_hint_states_and_omits_unknown_keys(ro: httpx.Client) -> None:
    r = ro.get("identity/states", params={"keys": "mmuster, tsander,nobody,jürgen.weiß"})
    assert r.json() == {
        "mmuster": {"state": "Idle", "003use_bez": "Max Mustermann"},
        "tsander": {"state": "Unavailable", "003use_bez": "Tina Sander"},
        "jürgen.weiß": {"state": "InUse", "003use_bez": "Jürgen Weiß"},
    }


def test_states_of_every_user_use_asterisk_hint_names(ro: httpx.Client) -> None:
    states = ro.get("identity/states").json()
    assert len(states) == len(ro.get("identity/").json())
    assert {s["state"] for s in states.values()} == {
        "Idle",
        "InUse",
        "Ringing",
        "Busy",
        "OnHold",
        "Unavailable",
    }


def test_states_of_only_unknown_keys_is_204(ro: httpx.Client) -> None:
    assert ro.get("identity/states", params={"keys": "ghost"}).status_code == 204


def test_devices_are_an_object_keyed_by_device_name(ro: httpx.Client) -> None:
    devices = ro.get("identity/mmuster/device").json()
    assert set(devices) == {SOFTPHONE, DESK_PHONE}
    soft = devices[SOFTPHONE]
    assert soft["010dev_bez"] == SOFTPHONE
    assert soft["009ext_extension"] == "101"
    assert soft["003use_name"] == "mmuster"
    assert "dial" in soft["capabilities"]
    assert devices[DESK_PHONE]["066dev_bez"] == "Yealink T54W"


def test_single_device_by_encoded_name(ro: httpx.Client) -> None:
    r = ro.get("identity/mmuster/device/" + seg(DESK_PHONE))
    assert r.status_code == 200
    assert r.json()["010dev_bez"] == DESK_PHONE
    assert ro.get("identity/mmuster/device/" + seg("Fax Max")).status_code == 404


def test_default_device(ro: httpx.Client) -> None:
    r = ro.get("identity/mmuster/defaultdevice")
    assert r.status_code == 200
    assert r.json()["010dev_bez"] == SOFTPHONE
    assert "peerInfo" in r.json()


def test_user_without_default_device_gets_204(ro: httpx.Client) -> None:
    r = ro.get("identity/tsander/defaultdevice")
    assert r.status_code == 204
    assert r.content == b""
    assert ro.get("identity/tsander/device").json()  # she has a device, though


def test_profiles_newest_first(ro: httpx.Client) -> None:
    profiles = ro.get("identity/mmuster/profile").json()
    assert [p["017pro_id"] for p in profiles] == [15, 14, 13, 12, 11]
    names = {p["017pro_bez"] for p in profiles}
    assert "Außer Haus" in names
    stamps = [p["017pro_tmstmp"] for p in profiles]
    assert stamps == sorted(stamps, reverse=True)


def test_activate_profile_with_put_and_post(api: httpx.Client) -> None:
    assert api.put("identity/mmuster/profile/12/activate").status_code == 200
    assert api.get("identity/mmuster").json()["017pro_id"] == 12
    r = api.post(
        "identity/mmuster/profile/15/activate", headers={"content-type": "application/json"}
    )
    assert r.status_code == 200
    assert api.get("identity/mmuster").json()["017pro_id"] == 15


def test_activate_unknown_profile_is_404(api: httpx.Client) -> None:
    assert api.put("identity/mmuster/profile/4/activate").status_code == 404  # Tina's
    assert api.put("identity/nobody/profile/11/activate").status_code == 404
    assert api.get("identity/mmuster").json()["017pro_id"] == 11


# ---------------------------------------------------------------------- actions


def test_dial_arrives_with_every_field(sim: Simulator, api: httpx.Client) -> None:
    before = time.monotonic()
    body = {"action": "dial", "destination": "+4989123456", "prefix": "auto"}
    r = api.post("identity/mmuster/defaultdevice/action", json=body)
    after = time.monotonic()
    assert r.status_code == 200
    assert r.json() == {"response": "dial commited"}
    [action] = sim.state.actions
    assert action.user == "mmuster"
    assert action.device == SOFTPHONE
    assert (action.action, action.destination, action.prefix) == ("dial", "+4989123456", "auto")
    assert action.body == body
    assert before <= action.arrived <= after


def test_action_on_a_named_device(sim: Simulator, api: httpx.Client) -> None:
    url = "identity/mmuster/device/" + seg(DESK_PHONE) + "/action"
    r = api.post(url, json={"action": "dtmf", "destination": "1#"})
    assert r.json() == {"response": "dtmf commited"}
    assert sim.state.actions[-1].device == DESK_PHONE
    assert sim.state.actions[-1].default is False


def test_named_device_of_a_user_without_default_device_works(
    sim: Simulator, api: httpx.Client
) -> None:
    url = "identity/tsander/device/" + seg("pascom Softphone [Tina Sander]") + "/action"
    assert api.post(url, json={"action": "dial", "destination": "101"}).status_code == 200
    assert sim.state.actions[-1].user == "tsander"


def test_default_device_action_without_default_device_is_409(
    sim: Simulator, api: httpx.Client
) -> None:
    r = api.post(
        "identity/tsander/defaultdevice/action", json={"action": "dial", "destination": "1"}
    )
    assert r.status_code == 409
    assert "pascom client" in r.json()["error"]
    assert sim.state.actions == []


def test_bad_actions_are_400(sim: Simulator, api: httpx.Client) -> None:
    url = "identity/mmuster/defaultdevice/action"
    assert api.post(url, json={"action": "explode"}).status_code == 400
    assert api.post(url, json={"destination": "101"}).status_code == 400
    for action in ("dial", "transfer", "dtmf"):
        assert api.post(url, json={"action": action}).status_code == 400, action
        assert api.post(url, json={"action": action, "destination": " "}).status_code == 400
    assert api.post(url, json={"action": "dial", "destination": 101}).status_code == 400
    assert (
        api.post(
            url, content=b'{"action": "dial",', headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert api.post(url, json=["dial"]).status_code == 400
    assert sim.state.actions == []


def test_actions_for_unknown_user_or_device_are_404(api: httpx.Client) -> None:
    body = {"action": "hangup"}
    assert api.post("identity/ghost/defaultdevice/action", json=body).status_code == 404
    url = "identity/mmuster/device/" + seg("pascom Softphone [Tina Sander]") + "/action"
    assert api.post(url, json=body).status_code == 404


def test_segments_keep_encoded_slashes(sim: Simulator, api: httpx.Client) -> None:
    r = api.post(
        "identity/" + seg("empfang/tresen") + "/defaultdevice/action",
        json={"action": "dial", "destination": "200"},
    )
    assert r.status_code == 200
    assert sim.state.actions[-1].user == "empfang/tresen"
    assert sim.state.actions[-1].device == "snom D785 [Empfang]"


def test_actions_without_a_call_are_accepted(sim: Simulator, api: httpx.Client) -> None:
    url = "identity/mmuster/defaultdevice/action"
    for action in ("hangup", "hold", "pickup", "offhook", "conference"):
        assert api.post(url, json={"action": action}).status_code == 200, action
    assert [a.action for a in sim.state.actions] == [
        "hangup",
        "hold",
        "pickup",
        "offhook",
        "conference",
    ]


def test_call_lifecycle_live_then_history(api: httpx.Client) -> None:
    url = "identity/mmuster/defaultdevice/action"
    assert api.get("cdr/live").status_code == 204
    api.post(url, json={"action": "dial", "destination": "+4989123456"})

    [call] = api.get("cdr/live").json()
    assert call["srcUserName"] == "mmuster"
    assert call["srcDeviceName"] == SOFTPHONE
    assert call["dstNumber"] == "+4989123456"
    assert call["state"] == "busy"  # the default variant spells states as the table does
    assert api.get(f"cdr/live/{call['phonecallId']}").json()["dstNumber"] == "+4989123456"
    assert (
        api.get("identity/states", params={"keys": "mmuster"}).json()["mmuster"]["state"] == "InUse"
    )

    api.post(url, json={"action": "hold"})
    assert api.get("cdr/live").json()[0]["state"] == "hold"
    assert (
        api.get("identity/states", params={"keys": "mmuster"}).json()["mmuster"]["state"]
        == "OnHold"
    )
    api.post(url, json={"action": "hold"})
    assert api.get("cdr/live").json()[0]["state"] == "busy"

    api.post(url, json={"action": "hangup"})
    assert api.get("cdr/live").status_code == 204
    assert api.get(f"cdr/live/{call['phonecallId']}").status_code == 204
    [last] = api.get("cdr/", params={"srcusername": "mmuster", "limit": 1}).json()
    assert last["dstNumber"] == "+4989123456"
    assert last["phonecallId"] == call["phonecallId"]
    assert last["holdCount"] == 1
    assert (
        api.get("identity/states", params={"keys": "mmuster"}).json()["mmuster"]["state"] == "Idle"
    )


def test_internal_dial_resolves_the_other_user(api: httpx.Client) -> None:
    api.post("identity/mmuster/defaultdevice/action", json={"action": "dial", "destination": "221"})
    [call] = api.get("cdr/live").json()
    assert (call["dstUserName"], call["dstName"], call["dstInternal"]) == (
        "tsander",
        "Tina Sander",
        True,
    )


def test_a_second_dial_starts_a_second_call_and_holds_the_first(api: httpx.Client) -> None:
    url = "identity/mmuster/defaultdevice/action"
    api.post(url, json={"action": "dial", "destination": "111"})
    api.post(url, json={"action": "dial", "destination": "222"})
    calls = api.get("cdr/live").json()
    assert [(c["dstNumber"], c["state"]) for c in calls] == [("111", "hold"), ("222", "busy")]
    assert calls[0]["holdCount"] == 1
    assert api.get("cdr/", params={"dstnumber": "111"}).status_code == 204  # not ended


def test_live_call_id_must_be_a_number(ro: httpx.Client) -> None:
    assert ro.get("cdr/live/abc").status_code == 400


def test_json_bodies_are_utf8(demo: Simulator, ro: httpx.Client) -> None:
    r = ro.get("identity/" + seg("jürgen.weiß"))
    assert "Jürgen Weiß".encode() in r.content
    assert json.loads(r.content)["003use_name"] == "jürgen.weiß"


def test_an_independent_client_sees_the_same_pbx(demo: Simulator) -> None:
    with services(demo) as other:
        assert other.get("identity/mmuster").json()["003use_id"] == 3

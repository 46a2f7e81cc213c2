"""RCC on the innovaphone demo PBX: calls that ring, connect, hold, transfer and clear,
each change pushed to the monitor as a CallInfo."""

from __future__ import annotations

from typing import Any

import pytest

from companion.simulator.innovaphone import InnovaphoneSimulator

from .conftest import USER_CN, Wire, app_login_as_user, user_login

RCC = {"api": "RCC"}
ALERT, CONNECT, TO_PHONE, HOLD, HELD = 4, 5, 0x80, 0x100, 0x200


def monitor(wire: Wire, cn: str = USER_CN, src: str = "mon") -> int:
    wire.send(mt="UserInitialize", cn=cn, src=src, **RCC)
    return wire.until("UserInitializeResult", src=src)["user"]


def call_info(wire: Wire, msg: str, **match: Any) -> dict[str, Any]:
    return wire.until("CallInfo", msg=msg, **match)


@pytest.fixture
def slow_pbx(inno: InnovaphoneSimulator) -> InnovaphoneSimulator:
    """Far ends that never answer by themselves (the test decides)."""
    inno.set_answer_delay(None)
    return inno


def test_initialize_lists_the_visible_users_first(admin: Wire) -> None:
    admin.send(mt="Initialize", src="init", **RCC)
    infos = []
    while (msg := admin.recv())["mt"] != "InitializeResult":
        infos.append(msg)
    assert msg["src"] == "init"
    assert len(infos) == 48 and all(m["mt"] == "UserInfo" and m["src"] == "init" for m in infos)
    assert {"guid", "cn", "dn", "h323", "e164", "node", "pbx"} <= set(infos[0])


def test_dial_rings_then_connects_and_clears(inno: InnovaphoneSimulator, admin: Wire) -> None:
    user = monitor(admin)
    answer = admin.ask("UserCall", user=user, e164="0301234567", **RCC)
    call = answer["call"]
    setup = call_info(admin, "r-setup", call=call)
    assert setup["src"] == "mon" and setup["user"] == user and setup["peer"]["e164"] == "0301234567"
    assert call_info(admin, "x-alert", call=call)["state"] == ALERT
    assert call_info(admin, "x-conn", call=call)["state"] == CONNECT  # the far end answered
    admin.ask("UserClear", call=call, **RCC)
    gone = call_info(admin, "del", call=call)
    assert gone["active"] is False
    assert inno.received["UserCall"] == 1 and inno.received["UserClear"] == 1


def test_incoming_call_rings_and_is_answered(slow_pbx: InnovaphoneSimulator, admin: Wire) -> None:
    monitor(admin)
    call = slow_pbx.ring(USER_CN, "+4930123456", name="Erika Caller")
    assert call_info(admin, "x-setup", call=call)["state"] == TO_PHONE | 1
    ringing = call_info(admin, "r-alert", call=call)
    assert ringing["state"] == TO_PHONE | ALERT
    assert ringing["peer"] == {"e164": "+4930123456", "dn": "Erika Caller"}
    admin.ask("UserConnect", call=call, **RCC)
    assert call_info(admin, "r-conn", call=call)["state"] == TO_PHONE | CONNECT
    slow_pbx.hang_up(call)
    call_info(admin, "del", call=call)
    assert slow_pbx.live_calls() == []


def test_hold_and_retrieve(admin: Wire) -> None:
    user = monitor(admin)
    call = admin.ask("UserCall", user=user, e164="0301234567", **RCC)["call"]
    call_info(admin, "x-conn", call=call)
    admin.ask("UserHold", call=call, **RCC)
    assert call_info(admin, "r-hold", call=call)["state"] == CONNECT | HOLD
    admin.ask("UserRetrieve", call=call, **RCC)
    assert call_info(admin, "r-retrieve", call=call)["state"] == CONNECT
    assert "error" in admin.ask("UserRetrieve", call=call, **RCC)


def test_call_between_two_users_and_transfer(slow_pbx: InnovaphoneSimulator, admin: Wire) -> None:
    me = monitor(admin, src="me")
    anna = monitor(admin, "Anna Albers", src="anna")
    ben = monitor(admin, "Ben Bauer", src="ben")
    to_anna = admin.ask("UserCall", user=me, cn="Anna Albers", **RCC)["call"]
    ringing = call_info(admin, "r-alert", src="anna")
    assert ringing["peer"]["cn"] == USER_CN and ringing["user"] == anna
    admin.ask("UserConnect", call=ringing["call"], **RCC)  # Anna answers
    call_info(admin, "x-conn", call=to_anna)
    admin.ask("UserHold", call=to_anna, **RCC)
    assert call_info(admin, "x-hold", src="anna")["state"] & HELD
    to_ben = admin.ask("UserCall", user=me, e164="103", **RCC)["call"]  # Ben's number
    ben_leg = call_info(admin, "r-alert", src="ben")
    assert ben_leg["user"] == ben
    admin.ask("UserConnect", call=ben_leg["call"], **RCC)
    call_info(admin, "x-conn", call=to_ben)
    assert "error" not in admin.ask("UserTransfer", a=to_anna, b=to_ben, **RCC)
    call_info(admin, "del", call=to_anna)
    call_info(admin, "del", call=to_ben)
    joined = call_info(admin, "x-info", src="anna")
    assert joined["peer"]["cn"] == "Ben Bauer" and not joined["state"] & HELD
    assert {"type": "ct"}.items() <= joined["no"][-1].items()
    legs = slow_pbx.live_calls()
    assert sorted(leg.cn for leg in legs) == ["Anna Albers", "Ben Bauer"]


def test_redirect_a_ringing_call(slow_pbx: InnovaphoneSimulator, admin: Wire) -> None:
    monitor(admin, src="me")
    monitor(admin, "Anna Albers", src="anna")
    call = slow_pbx.ring(USER_CN, "+4930999")
    call_info(admin, "r-alert", call=call)
    admin.ask("UserRedirect", call=call, cn="Anna Albers", **RCC)
    call_info(admin, "del", call=call)
    assert call_info(admin, "r-alert", src="anna")["peer"]["e164"] == "+4930999"


def test_bad_requests_get_an_error_in_words(admin: Wire) -> None:
    user = monitor(admin)
    assert admin.ask("UserCall", user=999, e164="1", **RCC)["error"] == "no such user handle"
    assert "e164" in admin.ask("UserCall", user=user, **RCC)["error"]
    assert admin.ask("UserClear", call=12345, **RCC)["error"] == "no such call"
    assert "monitored" in admin.ask("UserInitialize", cn="Trunk", **RCC)["error"]


def test_user_end_stops_the_call_info(slow_pbx: InnovaphoneSimulator, admin: Wire) -> None:
    user = monitor(admin)
    admin.ask("UserEnd", user=user, **RCC)
    slow_pbx.ring(USER_CN, "+4930123456")
    admin.ask("GetPbxConfig", api="PbxAdminApi")
    assert not [m for m in admin.seen if m["mt"] == "CallInfo"]


def test_a_user_through_myapps_dials_only_as_themself(inno: InnovaphoneSimulator) -> None:
    myapps, *_ = user_login(inno)
    wire, _ = app_login_as_user(inno, myapps)
    user = monitor(wire)
    call = wire.ask("UserCall", user=user, e164="0301234567", **RCC)["call"]
    assert call_info(wire, "x-conn", call=call)["peer"]["e164"] == "0301234567"
    wire.send(mt="Initialize", src="i", **RCC)
    assert wire.until("UserInfo")["cn"] == USER_CN
    assert wire.until("InitializeResult", src="i")


def test_devices_of_a_user(admin: Wire) -> None:
    devices = admin.ask("Devices", cn=USER_CN, **RCC)["devices"]
    assert devices == [{"hw": "demo-phone-mmuster", "text": "Desk phone"}]
    assert admin.ask("Devices", cn="Nobody", **RCC)["error"] == "no such user"


def test_scripted_caller_rings_and_gives_up(inno: InnovaphoneSimulator, admin: Wire) -> None:
    monitor(admin)
    inno.set_answer_delay(None)  # the colleague's call rings too, unanswered
    caller = inno.script_calls(first_s=0.05, every_s=0.1, ring_s=0.15)
    peers = []
    for _ in range(3):
        ringing = call_info(admin, "r-alert")
        peers.append(ringing["peer"])
    call_info(admin, "del", call=ringing["call"])  # nobody answered
    inno._on_loop(caller.stop)
    assert peers[0] == {"e164": "00301234567", "dn": "Erika Beispiel"}
    assert peers[2]["cn"] and peers[2]["cn"] != USER_CN  # a colleague
    assert len(caller.started) >= 3

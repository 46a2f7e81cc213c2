"""The demo PBX's controls and faults: dropped connections, slow answers, unknown messages,
counters, new users, and the demo file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from companion.simulator.innovaphone import DemoFileError, InnovaphoneSimulator, load_state

from .conftest import USER_CN, Wire, app_login, user_login


def test_url_names_the_pbx_module(inno: InnovaphoneSimulator) -> None:
    assert inno.url == f"ws://127.0.0.1:{inno.port}/PBX0"
    assert inno.apps_url == inno.url + "/APPS/websocket"
    assert inno.appclient_url == inno.url + "/APPCLIENT/130000/websocket"


def test_dropped_connections_and_nothing_replayed(inno: InnovaphoneSimulator) -> None:
    wire, _ = app_login(inno)
    wire.send(mt="UserInitialize", cn=USER_CN, src="m", api="RCC")
    user = wire.until("UserInitializeResult")["user"]
    wire.ask("UserCall", api="RCC", user=user, e164="0301234567")
    assert inno.drop_connections() == 1
    with pytest.raises((ConnectionClosed, EOFError)):
        while True:
            wire.recv(2.0)
    _, result = app_login(inno)  # a client logs in anew after the drop
    assert result["ok"] is True
    assert inno.received["UserCall"] == 1 and inno.received["AppLogin"] == 2
    assert len(inno.live_calls()) == 1  # the call goes on at the PBX


def test_delayed_answers(inno: InnovaphoneSimulator, admin: Wire) -> None:
    inno.delay_s = 0.3
    started = time.monotonic()
    admin.ask("GetPbxConfig", api="PbxAdminApi")
    assert time.monotonic() - started >= 0.3


def test_unknown_message_pushed_to_logged_in_connections(inno: InnovaphoneSimulator) -> None:
    admin, _ = app_login(inno)
    myapps, *_ = user_login(inno)
    stranger = Wire(inno.apps_url)  # not logged in: hears nothing
    assert inno.send_unknown("SomethingNew") == 2
    assert admin.until("SomethingNew")["api"] == "RCC"
    assert myapps.until("SomethingNew")
    stranger.send(mt="AppChallenge")
    assert stranger.recv()["mt"] == "AppChallengeResult"


def test_add_user_then_log_in(inno: InnovaphoneSimulator, admin: Wire) -> None:
    guid = inno.add_user("Zed New", "znew", "180", "zed-pass")
    assert admin.ask("GetObject", api="PbxAdminApi", guid=guid)["h323"] == "znew"
    _, _, result, _ = user_login(inno, "znew", "zed-pass")
    assert result["info"]["user"]["num"] == "180"


def test_ring_needs_a_user(inno: InnovaphoneSimulator) -> None:
    with pytest.raises(ValueError, match="no user"):
        inno.ring("Support Queue", "123")


def test_bad_demo_files_are_named_in_words(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    with pytest.raises(DemoFileError, match=r"broken\.json: not JSON"):
        load_state(broken)
    nameless = tmp_path / "nameless.json"
    nameless.write_text('{"objects": [{"e164": "1"}]}')
    with pytest.raises(DemoFileError, match=r"objects\[0\] needs a cn"):
        load_state(nameless)


def test_the_demo_file_has_enough_users_to_page() -> None:
    state = load_state()
    assert len([o for o in state.objects if o.is_user]) >= 45


def test_drop_before_answer_carries_the_action_out(inno: InnovaphoneSimulator) -> None:
    watcher, _ = app_login(inno)  # a second client sees the call the first one cannot
    watcher.send(mt="UserInitialize", cn=USER_CN, src="w", api="RCC")
    watcher.until("UserInitializeResult")
    wire, _ = app_login(inno)
    wire.send(mt="UserInitialize", cn=USER_CN, src="m", api="RCC")
    user = wire.until("UserInitializeResult")["user"]
    inno.drop_before_answer("UserCall")
    wire.send(mt="UserCall", api="RCC", user=user, e164="0301234567", src="c")
    with pytest.raises((ConnectionClosed, EOFError)):
        while True:
            assert wire.recv(2.0)["mt"] != "UserCallResult"
    assert watcher.until("CallInfo", msg="r-setup")["peer"]["e164"] == "0301234567"
    assert len(inno.live_calls()) == 1 and inno.received["UserCall"] == 1


def test_arrivals_are_timed(inno: InnovaphoneSimulator, admin: Wire) -> None:
    before = time.monotonic()
    admin.ask("GetBooleans", api="PbxAdminApi")
    when, mt = inno.arrivals[-1]
    assert mt == "GetBooleans" and before <= when <= time.monotonic()


def test_listening_on_every_address_names_loopback_in_its_url() -> None:
    with InnovaphoneSimulator.start(host="0.0.0.0") as anywhere:
        assert anywhere.url == f"ws://127.0.0.1:{anywhere.port}/PBX0"
        _, result = app_login(anywhere)
        assert result["ok"] is True

"""A relay in front of the innovaphone demo PBX on loopback: the App object stays on the
relay, each user's backend follows that user's cn only, pushed calls reach that user's
desktops and nobody else's, and what innovaphone does not offer is said in words."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from companion.cli import main
from companion.pbx.features import Feature
from companion.pbx.innovaphone.client import CAPABILITIES, not_offered
from companion.pbx.models import Presence
from companion.relay import config as relay_config
from companion.relay.server import RelayServer
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import APP, APP_PASSWORD, USER_CN
from tests.relay.conftest import RunningRelay
from tests.relay.test_events import closed_with, open_stream, receive, until

ANNA_CN = "Anna Albers"
CALLER = "+4930555123"


def start_relay(inno: InnovaphoneSimulator, data_dir: Path, password: str) -> RelayServer:
    config = relay_config.load(
        None,
        pbx_kind="innovaphone",
        pbx_url=inno.url,
        app=APP,
        listen="127.0.0.1:0",
        data_dir=str(data_dir),
    )
    relay_config.check_serving(config)
    return RelayServer(config, password, log_level="warning").start()


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


@pytest.fixture
def relay(inno: InnovaphoneSimulator, tmp_path: Path) -> Iterator[RunningRelay]:
    server = start_relay(inno, tmp_path / "relay", APP_PASSWORD)
    try:
        yield RunningRelay(server, tmp_path / "relay", inno)  # type: ignore[arg-type]
    finally:
        server.stop()


def cds_of(inno: InnovaphoneSimulator, cn: str) -> list[dict[str, Any]]:
    user = inno.state.find(cn=cn)
    assert user is not None
    return [dict(d) for d in user.cds]


def told_changed(ws: Any, *features: str) -> None:
    """Until `changed` messages named each of `features` (in whatever grouping)."""
    told: set[str] = set()
    while not told >= set(features):
        told.update(until(ws, "changed")["features"])


def wait_for(check: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the demo PBX never got there"
        time.sleep(0.02)


def test_enrol_and_dial_as_the_users_own_cn(
    relay: RunningRelay, inno: InnovaphoneSimulator
) -> None:
    answer = httpx.post(
        f"{relay.url}/v1/enrol", json={"code": relay.code("mmuster"), "device": "laptop"}
    )
    assert answer.status_code == 200, answer.text
    enrolled = answer.json()
    assert enrolled["user"] == "mmuster"
    assert enrolled["capabilities"] == sorted(f.value for f in CAPABILITIES)
    assert APP_PASSWORD not in answer.text
    with relay.client(enrolled["token"]) as max_client:
        assert max_client.get("/account").json()["display_name"] == USER_CN
        dialled = max_client.post("/call-action", json={"action": "dial", "destination": "107"})
        assert dialled.status_code == 204, dialled.text
    assert inno.received["UserCall"] == 1
    wait_for(lambda: len(inno.live_calls()) >= 1)
    callers = {leg.cn for leg in inno.live_calls() if leg.peer.get("e164") == "107"}
    assert callers == {USER_CN}  # RCC dialled from Max's own cn
    monitored = {m.cn for m in inno.calls.monitors}
    assert monitored == {USER_CN}  # UserInitialize for that user only


def test_an_incoming_call_is_pushed_to_that_users_stream_only(
    relay: RunningRelay, inno: InnovaphoneSimulator
) -> None:
    max_token = relay.enrol("mmuster")
    anna_token = relay.enrol("aalbers", "desk")
    with open_stream(relay, max_token) as max_ws, open_stream(relay, anna_token) as anna_ws:
        assert receive(max_ws) == {"type": "calls", "resync": True, "calls": []}
        assert receive(anna_ws) == {"type": "calls", "resync": True, "calls": []}
        call = inno.ring(USER_CN, CALLER, "Erika Gast")
        pushed = until(max_ws, "calls")
        assert pushed["resync"] is False
        (ringing,) = pushed["calls"]
        assert ringing["direction"] == "incoming" and ringing["state"] == "ringing"
        assert (ringing["remote_number"], ringing["remote_name"]) == (CALLER, "Erika Gast")
        inno.hang_up(call)
        assert until(max_ws, "calls")["calls"] == []
        with pytest.raises(TimeoutError):
            until(anna_ws, "calls", timeout=1.0)
        with pytest.raises(TimeoutError):  # innovaphone keeps no history to read again
            until(max_ws, "changed", timeout=0.5)
    assert relay.server.relay.hub.live_reads == 0  # pushed: nothing PBX-wide is polled


def test_presence_and_forwarding_through_the_relay(
    relay: RunningRelay, inno: InnovaphoneSimulator
) -> None:
    token = relay.enrol("mmuster")
    others = [d for d in cds_of(inno, USER_CN) if d["type"] != "cfu"]
    anna_before = cds_of(inno, ANNA_CN)
    with relay.client(token) as client, open_stream(relay, relay.enrol("mmuster", "desk")) as ws:
        receive(ws)  # the resync
        assert client.post("/profiles/dnd/activate").json()["active"] is True
        assert client.get("/presence", params={"user": "mmuster"}).json() == {
            "mmuster": Presence.BUSY.value
        }
        on = client.put("/redirect", json={"target": "0301234567"})
        assert on.status_code == 200, on.text
        assert on.json()["target"] == "0301234567"
        told_changed(ws, "presence", "redirect")  # to the user's other desktop
        off = client.post("/redirect/off").json()
        assert (off["target"], off["previous_target"]) == ("", "0301234567")
        assert client.post("/redirect/on").json()["target"] == "0301234567"
    cds = cds_of(inno, USER_CN)
    assert [d for d in cds if d["type"] == "cfu"] == [
        {"type": "cfu", "ep": [{"e164": "0301234567"}]}
    ]
    assert [d for d in cds if d["type"] != "cfu"] == others  # cfnr and cfb kept
    assert cds_of(inno, ANNA_CN) == anna_before


@pytest.mark.parametrize(
    ("method", "path", "feature"),
    [
        ("GET", "/voicemail", Feature.VOICEMAIL),
        ("GET", "/voicemail/counts", Feature.VOICEMAIL),
        ("GET", "/voicemail/17/audio", Feature.VOICEMAIL),
        ("GET", "/faxes/received", Feature.FAX),
        ("GET", "/faxes/attribution", Feature.FAX),
        ("GET", "/history", Feature.HISTORY),
    ],
)
def test_what_innovaphone_does_not_offer_is_said_in_words(
    relay: RunningRelay, method: str, path: str, feature: Feature
) -> None:
    with relay.client(relay.enrol("mmuster")) as client:
        answer = client.request(method, path)
    assert answer.status_code == 501
    assert answer.json() == {
        "error": {"kind": "NotSupported", "message": str(not_offered(feature))}
    }


def test_a_token_acts_as_its_one_user(relay: RunningRelay, inno: InnovaphoneSimulator) -> None:
    anna_before = cds_of(inno, ANNA_CN)
    with relay.client(relay.enrol("mmuster")) as client:
        assert client.get("/users").json() == [
            {"login": "mmuster", "display_name": USER_CN, "extension": "101"}
        ]
        assert client.get("/account", params={"user": "aalbers"}).json()["login"] == "mmuster"
        tampered = {"target": "0891112222", "user": "aalbers", "login": "aalbers"}
        assert client.put("/redirect", json=tampered, params={"user": "aalbers"}).is_success
        dialled = client.post(
            "/call-action",
            json={"action": "dial", "destination": "107", "device": "demo-phone-aalbers"},
        )
        assert dialled.status_code == 204, dialled.text
    assert cds_of(inno, ANNA_CN) == anna_before
    assert {"type": "cfu", "ep": [{"e164": "0891112222"}]} in cds_of(inno, USER_CN)
    wait_for(lambda: inno.live_calls())
    assert {leg.cn for leg in inno.live_calls() if leg.peer.get("e164") == "107"} == {USER_CN}
    assert httpx.get(f"{relay.url}/v1/account").status_code == 401


def test_a_lost_pbx_connection_is_told_and_a_reconnect_resyncs(
    relay: RunningRelay, inno: InnovaphoneSimulator
) -> None:
    token = relay.enrol("mmuster")
    with open_stream(relay, token) as ws:
        assert receive(ws)["resync"] is True
        inno.ring(USER_CN, CALLER)
        assert until(ws, "calls")["calls"]
        assert inno.drop_connections() >= 1
        message = until(ws, "error")
        assert message["error"]["message"].startswith("The relay cannot reach the PBX just now")
        assert closed_with(ws) == 4502
    with open_stream(relay, token) as ws:
        assert receive(ws)["resync"] is True  # a new App login for the user
        inno.ring(USER_CN, "+4930999888")
        assert [c["remote_number"] for c in until(ws, "calls")["calls"]] == ["+4930999888"]
    assert inno.received["UserInitialize"] == 2  # once per connection, for Max only


def test_a_wrong_app_password_is_said_to_the_desktop(
    inno: InnovaphoneSimulator, tmp_path: Path
) -> None:
    with start_relay(inno, tmp_path / "relay", "not-the-password") as server:
        running = RunningRelay(server, tmp_path / "relay", inno)  # type: ignore[arg-type]
        wait_for(lambda: httpx.get(f"{running.url}/v1/health").json()["pbx"] != "unknown")
        assert httpx.get(f"{running.url}/v1/health").json()["pbx"] == "unreachable"
        with open_stream(running, running.enrol("mmuster")) as ws:
            message = receive(ws)
            assert message["type"] == "error"
            assert message["error"]["message"] == (
                "The PBX refused the relay's App object (its name or password). "
                "Tell the relay's administrator."
            )
            assert closed_with(ws) == 4502


def test_relay_toml_names_the_innovaphone_pbx(tmp_path: Path) -> None:
    toml = tmp_path / "relay.toml"
    toml.write_text(
        '[pbx]\nkind = "innovaphone"\nurl = "wss://pbx.example.com/PBX0"\napp = "desk"\n'
        '[relay]\ndata_dir = "state"\n',
        encoding="utf-8",
    )
    config = relay_config.load(toml)
    relay_config.check_serving(config)
    assert (config.pbx_kind, config.app) == ("innovaphone", "desk")
    assert relay_config.load(toml, app=None).app == "desk"


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--pbx-url", "https://pbx.example.com/PBX0"],
         "must look like wss://pbx.example.com/PBX0"),
        (["--pbx-url", "ws://pbx.example.com/PBX0"], "reached with wss:// only"),
        (["--pbx-url", "wss://pbx.example.com/PBX0", "--rest-user", "moby"],
         "An innovaphone PBX has no REST user"),
        (["--pbx-url", "wss://pbx.example.com/PBX0", "--app", " "],
         "needs the innovaphone App object's name"),
    ],
)  # fmt: skip
def test_innovaphone_settings_mistakes_exit_2_in_words(
    arguments: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["relay", "serve", "--pbx-kind", "innovaphone", "--data-dir", str(tmp_path)]
    with pytest.raises(SystemExit) as exit_:
        main([*command, *arguments])
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err

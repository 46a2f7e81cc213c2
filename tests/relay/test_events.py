"""The event stream over a real WebSocket: a resync first, pushed calls for the user and
nobody else, revocation in words at once, the PBX down reported in words, a restart that
keeps the state and replays nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from companion.relay.store import Store
from tests.relay.conftest import RunningRelay, start_relay


def open_stream(relay: RunningRelay, token: str) -> ClientConnection:
    return connect(
        relay.ws_url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=5
    )


def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def until(ws: ClientConnection, wanted: str, timeout: float = 6.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        message = receive(ws, max(0.05, deadline - time.monotonic()))
        if message["type"] == wanted:
            return message


def closed_with(ws: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def test_an_incoming_call_is_pushed_to_the_users_desktops_only(relay: RunningRelay) -> None:
    max_token = relay.enrol("mmuster")
    jenny_token = relay.enrol("jgeissler", "desk")
    with open_stream(relay, max_token) as max_ws, open_stream(relay, jenny_token) as jenny_ws:
        assert receive(max_ws) == {"type": "calls", "resync": True, "calls": []}
        assert receive(jenny_ws) == {"type": "calls", "resync": True, "calls": []}
        relay.sim.ring("+49 89 1234567", "mmuster", ring_s=30)
        pushed = until(max_ws, "calls")
        assert pushed["resync"] is False
        (call,) = pushed["calls"]
        assert call["direction"] == "incoming" and call["state"] == "ringing"
        assert "1234567" in call["remote_number"]
        with pytest.raises(TimeoutError):
            until(jenny_ws, "calls", timeout=1.5)


def test_the_token_may_come_as_the_first_message(relay: RunningRelay) -> None:
    token = relay.enrol("mmuster")
    with connect(relay.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert receive(ws)["resync"] is True


def test_a_stream_without_a_valid_token_is_told_and_closed(relay: RunningRelay) -> None:
    with open_stream(relay, "crt_not-a-token") as ws:
        message = receive(ws)
        assert message["type"] == "revoked"
        assert message["error"]["kind"] == "AuthenticationError"
        assert "not enrolled with the relay" in message["error"]["message"]
        assert closed_with(ws) == 4401


def test_revoking_closes_an_open_stream_at_once_in_words(relay: RunningRelay) -> None:
    token = relay.enrol("mmuster", "laptop")
    other = relay.enrol("mmuster", "phone")
    with open_stream(relay, token) as ws, open_stream(relay, other) as kept:
        receive(ws)
        receive(kept)
        store = Store(relay.data_dir)  # as `companion relay revoke mmuster laptop` does
        assert store.revoke("mmuster", "laptop") == ["laptop"]
        store.close()
        started = time.monotonic()
        message = until(ws, "revoked", timeout=3)
        assert time.monotonic() - started < 2.5
        assert message["error"]["message"].startswith(
            "The relay's administrator revoked this device's access"
        )
        assert closed_with(ws) == 4401
        with relay.client(token) as client:
            assert client.get("/account").status_code == 401
        with relay.client(other) as client:  # the user's other device goes on
            assert client.get("/account").status_code == 200


def test_the_pbx_down_behind_the_relay_is_said_in_words(relay: RunningRelay) -> None:
    token = relay.enrol("mmuster")
    with open_stream(relay, token) as ws:
        receive(ws)
        relay.sim.stop()
        message = until(ws, "error", timeout=10)
        assert message["error"]["kind"] == "PbxUnreachable"
        assert message["error"]["message"].startswith("The relay cannot reach the PBX just now")
        assert closed_with(ws) == 4502
    with relay.client(token) as client:
        answer = client.get("/redirect")
    assert answer.status_code == 502
    assert answer.json()["error"]["kind"] == "PbxUnreachable"
    assert "tell the relay's administrator" in answer.json()["error"]["message"]
    assert httpx.get(f"{relay.url}/v1/health").json()["pbx"] == "unreachable"
    with open_stream(relay, token) as again:  # a desktop reconnecting hears it first
        assert receive(again)["type"] == "error"
        assert closed_with(again) == 4502


def test_a_restart_keeps_the_devices_and_replays_nothing(
    relay: RunningRelay, tmp_path: Path
) -> None:
    token = relay.enrol("mmuster")
    with open_stream(relay, token) as ws:
        receive(ws)
        with relay.client(token) as client:
            assert client.post("/call-action", json={"destination": "110", "action": "dial"})
        relay.server.stop()
        with pytest.raises(ConnectionClosed):
            while True:
                ws.recv(timeout=5)
    restarted = start_relay(relay.sim, relay.data_dir)
    try:
        relay.server = restarted
        with open_stream(relay, token) as ws:
            first = receive(ws)
            assert first["type"] == "calls" and first["resync"] is True
            with pytest.raises(TimeoutError):  # nothing of before the restart comes again
                receive(ws, timeout=1.5)
    finally:
        restarted.stop()
    assert [a.destination for a in relay.sim.state.actions] == ["110"]
    actions = [json.loads(line)["action"] for line in relay.audit_lines()]
    assert actions.count("call_action") == 1


def test_desktops_reconnecting_to_a_pbx_that_is_down_share_one_attempt(
    relay: RunningRelay,
) -> None:
    tokens = [relay.enrol("mmuster", f"pc {n}") for n in range(4)]
    relay.sim.stop()
    before = relay.server.relay.hub.live_reads
    for token in tokens:
        with open_stream(relay, token) as ws:
            assert receive(ws)["error"]["kind"] == "PbxUnreachable"
    assert relay.server.relay.hub.live_reads - before <= 1  # not one per desktop

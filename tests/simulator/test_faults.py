"""Misbehaviour on demand."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from companion.simulator import Simulator


def test_error500_for_a_number_of_requests(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("error500", times=2)
    assert api.get("identity/mmuster").status_code == 500
    assert api.get("redirect/").status_code == 500
    assert api.get("identity/mmuster").status_code == 200


def test_faults_last_until_behave(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("error500")
    for _ in range(3):
        assert api.get("identity/mmuster").status_code == 500
    sim.behave()
    assert api.get("identity/mmuster").status_code == 200


def test_a_failed_request_changes_nothing(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("error500", times=1)
    body = {"action": "dial", "destination": "+4989123456"}
    assert api.post("identity/mmuster/defaultdevice/action", json=body).status_code == 500
    assert sim.state.actions == []


def test_slow_answers_after_the_delay(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("slow", delay=0.4, times=1)
    started = time.monotonic()
    r = api.get("identity/mmuster")
    assert time.monotonic() - started >= 0.4
    assert r.json()["003use_name"] == "mmuster"
    started = time.monotonic()
    api.get("identity/mmuster")
    assert time.monotonic() - started < 0.4  # only the one request was slowed


def test_slow_lets_a_client_time_out(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("slow", delay=1.0, times=1)
    with pytest.raises(httpx.ReadTimeout):
        api.get("identity/mmuster", timeout=0.2)


def test_garbage_is_not_json(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("garbage", times=1)
    r = api.get("identity/mmuster")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)


def test_drop_breaks_the_connection_mid_body(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("identity/mmuster")
    assert api.get("identity/mmuster").status_code == 200


def test_refuse_auth_ignores_good_credentials(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("refuse_auth", times=1)
    r = api.get("identity/mmuster")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="pascom"'
    assert api.get("identity/mmuster").status_code == 200


def test_path_limits_a_fault(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("error500", path="/redirect", times=1)
    assert api.get("identity/mmuster").status_code == 200
    assert api.get("redirect/").status_code == 500
    assert api.get("redirect/").status_code == 200


def test_path_matches_decoded_and_raw_paths(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("error500", path="[Max Mustermann]")
    assert (
        api.get("identity/mmuster/device/pascom%20Softphone%20%5BMax%20Mustermann%5D").status_code
        == 500
    )
    sim.behave()
    sim.misbehave("error500", path="j%C3%BCrgen")
    assert api.get("identity/j%C3%BCrgen.wei%C3%9F").status_code == 500


def test_faults_hit_assets_too(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("drop", path="/asset/")
    assert api.get("faxserver/received").status_code == 200
    url = api.get("faxserver/received").json()["fax000000010.tif"]["pdf"]
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)


def test_bad_fault_requests_are_refused(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sim.misbehave("explode")
    with pytest.raises(ValueError):
        sim.misbehave("error500", times=0)
    with pytest.raises(ValueError):
        sim.misbehave("slow", delay=-1)


def test_forbidden_refuses_one_path_with_a_json_403(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("forbidden", path="faxserver")
    refused = api.get("faxserver/received")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json"
    assert "denied" in refused.json()["error"]
    assert api.get("identity/mmuster").status_code == 200  # the other paths still answer
    sim.behave()
    assert api.get("faxserver/received").status_code in (200, 204)

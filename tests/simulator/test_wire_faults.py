"""The faults that test Companion's deadlines, size limits and action answers."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from companion.simulator import Simulator

DIAL = {"action": "dial", "destination": "221", "prefix": "auto"}


def test_trickle_sends_the_real_answer_slowly(sim: Simulator, api: httpx.Client) -> None:
    plain = api.get("redirect/").content
    sim.misbehave("trickle", delay=0.05, times=1)
    started = time.monotonic()
    trickled = api.get("redirect/")
    assert trickled.status_code == 200
    assert trickled.content == plain
    assert time.monotonic() - started >= 0.05 * (len(plain) - 1)


def test_late_carries_out_the_action_and_answers_after_the_delay(
    sim: Simulator, api: httpx.Client
) -> None:
    sim.misbehave("late", delay=0.5, path="defaultdevice/action")
    with pytest.raises(httpx.ReadTimeout):
        api.post("identity/mmuster/defaultdevice/action", json=DIAL, timeout=0.2)
    assert [a.destination for a in sim.state.actions] == ["221"]


@pytest.mark.parametrize(("fault", "undecodable"), [("not_json", ValueError),
                                                   ("not_utf8", UnicodeDecodeError)])  # fmt: skip
def test_a_handled_action_answered_with_no_json(
    sim: Simulator, api: httpx.Client, fault: str, undecodable: type[Exception]
) -> None:
    sim.misbehave(fault, path="defaultdevice/action")
    answer = api.post("identity/mmuster/defaultdevice/action", json=DIAL)
    assert answer.status_code == 200
    with pytest.raises(undecodable):
        json.loads(answer.content)
    assert [a.destination for a in sim.state.actions] == ["221"]


@pytest.mark.parametrize("fault", ["huge", "huge_announced"])
def test_a_huge_answer_has_its_size(sim: Simulator, api: httpx.Client, fault: str) -> None:
    sim.misbehave(fault, size=3 * 1024 * 1024 + 7, times=1)
    answer = api.get("cdr/")
    assert len(answer.content) == 3 * 1024 * 1024 + 7
    assert ("content-length" in answer.headers) is (fault == "huge_announced")
    assert isinstance(json.loads(answer.content), list)


def test_nested_is_too_deep_for_python(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("nested", times=1)
    with pytest.raises(RecursionError):
        json.loads(api.get("cdr/").content)


def test_faults_can_be_set_over_http(sim: Simulator) -> None:
    control = f"{sim.base_url}/_sim/fault"
    added = httpx.post(control, json={"kind": "error500", "path": "redirect", "times": 1})
    assert added.status_code == 200
    with httpx.Client(base_url=sim.base_url + "/services/", auth=("moby", "demo-secret")) as api:
        assert api.get("redirect/").status_code == 500
        assert api.get("redirect/").status_code == 200
        httpx.post(control, json={"kind": "forbidden"})
        assert api.get("redirect/").status_code == 403
        assert httpx.delete(control).status_code == 200
        assert api.get("redirect/").status_code == 200
    refused = httpx.post(control, json={"kind": "meltdown"})
    assert refused.status_code == 400
    assert "unknown fault 'meltdown'" in refused.json()["error"]

"""The reference variant's queue, states and phonebook answers (and the default's, unchanged)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from companion.simulator import Simulator

from .conftest import services


@pytest.fixture
def literal(reference_sim: Simulator) -> Iterator[httpx.Client]:
    with services(reference_sim) as client:
        yield client


def agents(client: httpx.Client, queue: str) -> set[str]:
    return {m["agent"] for m in client.get(f"queue/{queue}").json()["members"]}


def test_reference_names_queue_agents_by_display_name(literal: httpx.Client) -> None:
    assert agents(literal, "Support") == {"Max Mustermann", "Andreas Grassl", "Stefanie Baumann"}


def test_default_names_queue_agents_by_login(ro: httpx.Client) -> None:
    assert agents(ro, "Support") == {"mmuster", "agrassl", "sbaumann"}


@pytest.mark.parametrize(
    ("url", "body", "message"),
    [
        ("queue/Support/action", {"action": "pause", "identity": "mmuster", "reason": "coffee"},
         "unknown pause reason"),
        ("queue/action", {"action": "login", "identity": "pkowalski"}, "is not an agent"),
        ("queue/Nowhere/action", {"action": "login", "identity": "mmuster"}, "no queue"),
        ("queue/Support/action", {"action": "dance", "identity": "mmuster"}, "unknown action"),
    ],
)  # fmt: skip
def test_reference_refuses_queue_actions_with_an_ami_error_at_200(
    literal: httpx.Client, url: str, body: dict[str, str], message: str
) -> None:
    r = literal.post(url, json=body)
    assert r.status_code == 200
    answer = r.json()
    assert answer["Response"] == "Error"
    assert message in answer["Message"]


def test_reference_queue_action_still_works_by_login(literal: httpx.Client) -> None:
    r = literal.post("queue/action", json={"action": "pause", "identity": "mmuster", "code": "40"})
    assert r.json()["Response"] == "Success"
    members = literal.get("queue/Zentrale").json()["members"]
    [me] = [m for m in members if m["agent"] == "Max Mustermann"]
    assert (me["paused"], me["pausereason"]) == (True, "lunch")


def test_default_refuses_queue_actions_with_4xx(ro: httpx.Client) -> None:
    body = {"action": "pause", "identity": "mmuster", "reason": "coffee"}
    assert ro.post("queue/Support/action", json=body).status_code == 400


def test_reference_reads_the_states_parameter_the_table_names(literal: httpx.Client) -> None:
    assert set(literal.get("identity/states", params={"key": "mmuster"}).json()) == {"mmuster"}
    everybody = literal.get("identity/states", params={"keys": "mmuster"}).json()
    assert {"mmuster", "tsander", "ameyer"} <= set(everybody)
    assert everybody["tsander"] == {"state": "Unavailable", "003use_bez": "Tina Sander"}


def test_default_reads_the_states_parameter_of_the_example(ro: httpx.Client) -> None:
    assert set(ro.get("identity/states", params={"keys": "mmuster"}).json()) == {"mmuster"}


def test_reference_sends_the_phonebook_list_as_plain(literal: httpx.Client) -> None:
    r = literal.get("phonebook/", params={"limit": 2})
    assert r.headers["content-type"].startswith("PLAIN")
    assert len(r.json()["entries"]) == 2


def test_default_sends_the_phonebook_list_as_json(ro: httpx.Client) -> None:
    r = ro.get("phonebook/", params={"limit": 2})
    assert r.headers["content-type"].startswith("application/json")


def test_forbidden_fault_answers_403(sim: Simulator, api: httpx.Client) -> None:
    sim.misbehave("forbidden", path="/defaultdevice", times=1)
    assert api.get("identity/mmuster/defaultdevice").status_code == 403
    assert api.get("identity/mmuster/defaultdevice").status_code == 200

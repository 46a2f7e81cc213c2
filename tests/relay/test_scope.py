"""A token acts as its one user: every way of naming someone else's data is refused
(path and body tampering, other users' ids, their voicemail messages and faxes)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.relay.conftest import RunningRelay

# The demo PBX's data (resources/demo-pbx.json, demo-extras.json), read as tsander.
TINAS_VOICEMAIL = "1763634600-00000000"
TINAS_FAX = "fax000000011.tif"
TINAS_CONTACT = "338"  # "Lars Sander" in her own phonebook
TINAS_PROFILE = "4"


@pytest.fixture
def max_client(relay: RunningRelay) -> Iterator[httpx.Client]:
    with relay.client(relay.enrol("mmuster")) as client:
        yield client


@pytest.fixture
def tina_client(relay: RunningRelay) -> Iterator[httpx.Client]:
    with relay.client(relay.enrol("tsander", "tina's pc")) as client:
        yield client


def refused_as_unknown(answer: httpx.Response) -> None:
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["kind"] == "NotFound"


def test_the_demo_data_is_what_these_tests_assume(tina_client: httpx.Client) -> None:
    assert TINAS_VOICEMAIL in [v["id"] for v in tina_client.get("/voicemail").json()]
    assert TINAS_FAX in [f["id"] for f in tina_client.get("/faxes/received").json()]
    own = tina_client.get("/directory", params={"offset": 0, "limit": 50, "private_only": True})
    assert TINAS_CONTACT in [c["id"] for c in own.json()["contacts"]]
    assert TINAS_PROFILE in [p["id"] for p in tina_client.get("/profiles").json()]


def test_someone_elses_voicemail_is_unknown(
    relay: RunningRelay, max_client: httpx.Client, tina_client: httpx.Client
) -> None:
    assert TINAS_VOICEMAIL not in [v["id"] for v in max_client.get("/voicemail").json()]
    refused_as_unknown(max_client.get(f"/voicemail/{TINAS_VOICEMAIL}/audio"))
    refused_as_unknown(max_client.post(f"/voicemail/{TINAS_VOICEMAIL}/heard"))
    refused_as_unknown(max_client.delete(f"/voicemail/{TINAS_VOICEMAIL}"))
    # Tina's message is untouched, still new.
    hers = {v["id"]: v for v in tina_client.get("/voicemail").json()}
    assert hers[TINAS_VOICEMAIL]["folder"] == "INBOX"
    # Max's own messages do work through the same routes.
    mine = max_client.get("/voicemail").json()[0]["id"]
    audio = max_client.get(f"/voicemail/{mine}/audio")
    assert audio.status_code == 200 and audio.content.startswith(b"RIFF")


def test_someone_elses_fax_is_unknown(max_client: httpx.Client) -> None:
    refused_as_unknown(max_client.get(f"/faxes/received/{TINAS_FAX}/pdf"))
    mine = max_client.get("/faxes/received").json()[0]["id"]
    pdf = max_client.get(f"/faxes/received/{mine}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert all("pdf_url" not in fax for fax in max_client.get("/faxes/received").json())


def test_someone_elses_phonebook_entry_cannot_be_changed_or_deleted(
    relay: RunningRelay, max_client: httpx.Client, tina_client: httpx.Client
) -> None:
    details = {"name": "Hacked", "phone": "0900 666"}
    refused_as_unknown(max_client.put(f"/contacts/{TINAS_CONTACT}", json=details))
    refused_as_unknown(max_client.delete(f"/contacts/{TINAS_CONTACT}"))
    own = tina_client.get("/directory", params={"offset": 0, "limit": 50, "private_only": True})
    entry = {c["id"]: c for c in own.json()["contacts"]}[TINAS_CONTACT]
    assert entry["name"] == "Lars Sander"
    assert not [
        r for r in relay.sim.state.requests if r.path.endswith(f"/phonebook/{TINAS_CONTACT}")
    ]


def test_someone_elses_profile_and_device_are_not_reached(
    relay: RunningRelay, max_client: httpx.Client
) -> None:
    refused_as_unknown(max_client.post(f"/profiles/{TINAS_PROFILE}/activate"))
    dial = max_client.post(
        "/call-action",
        json={"action": "dial", "destination": "110", "device": "pascom Softphone [Tina Sander]"},
    )
    refused_as_unknown(dial)
    assert relay.sim.state.actions == []


def test_body_and_query_tampering_changes_nothing_of_anyone_else(
    relay: RunningRelay, max_client: httpx.Client, tina_client: httpx.Client
) -> None:
    before = tina_client.get("/redirect").json()
    changed = max_client.put(
        "/redirect",
        params={"user": "tsander"},
        json={"target": "0171 999", "user": "tsander", "extension": "221", "003use_id": 4},
    )
    assert changed.status_code == 200
    assert changed.json()["extension"] == "101"  # Max's own extension
    assert tina_client.get("/redirect").json() == before
    # An identity asked for by query is still the token's own.
    assert max_client.get("/account", params={"user": "tsander"}).json()["login"] == "mmuster"
    assert [u["login"] for u in max_client.get("/users").json()] == ["mmuster"]
    dialled = max_client.post(
        "/call-action", json={"action": "dial", "destination": "110", "user": "tsander"}
    )
    assert dialled.status_code == 204
    assert [(a.user, a.destination) for a in relay.sim.state.actions] == [("mmuster", "110")]


def test_paths_that_try_to_leave_their_operation_are_unknown(max_client: httpx.Client) -> None:
    for sneaky in (
        "/voicemail/..%2F..%2Fidentity%2Ftsander/audio",
        f"/voicemail/{TINAS_VOICEMAIL}%2F..%2F..%2F221/audio",
        "/../v1/identity/tsander",
        "/identity/tsander",
    ):
        answer = max_client.get(sneaky)
        assert answer.status_code == 404, sneaky
        assert answer.json()["error"]["kind"] == "NotFound"


def test_bad_parameters_get_words(max_client: httpx.Client) -> None:
    answer = max_client.get("/history", params={"limit": "lots"})
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "kind": "BadRequest",
        "message": "'limit' must be a whole number, not 'lots'.",
    }
    assert max_client.put("/switches/503", json={"on": "yes"}).json()["error"]["message"] == (
        "'on' must be true or false."
    )
    action = max_client.post("/call-action", json={"action": "explode"})
    assert action.status_code == 400 and "'action' must be one of dial" in action.text


def test_a_body_too_large_is_refused_in_words(max_client: httpx.Client) -> None:
    answer = max_client.put("/redirect", json={"target": "1" * 70_000})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "The request is larger than the relay accepts."
    assert max_client.get("/redirect").json()["target"] == ""

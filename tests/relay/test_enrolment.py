"""Enrolment over the real socket: a code works once, expires after 24 h, and wrong codes
from one address are limited; tokens and codes are stored only as hashes."""

from __future__ import annotations

import json
import time

import httpx

from companion import __version__
from companion.relay.store import CODE_LIFETIME, Store
from tests.relay.conftest import RunningRelay


def enrol(relay: RunningRelay, code: str, device: str = "laptop") -> httpx.Response:
    return httpx.post(f"{relay.url}/v1/enrol", json={"code": code, "device": device})


def test_a_code_enrols_one_device_once(relay: RunningRelay) -> None:
    code = relay.code("mmuster")
    first = enrol(relay, code.lower().replace("-", " "))  # as someone may type it
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["user"] == "mmuster" and body["device"] == "laptop" and body["api"] == 1
    assert "live_calls" in body["capabilities"]
    with relay.client(body["token"]) as client:
        assert client.get("/account").json()["login"] == "mmuster"

    again = enrol(relay, code, "other laptop")
    assert again.status_code == 400
    assert again.json()["error"] == {
        "kind": "BadRequest",
        "message": "This enrolment code is not valid: it is wrong, used or older than 24 "
        "hours. Ask your administrator for a new one.",
    }


def test_a_code_older_than_a_day_is_refused(relay: RunningRelay) -> None:
    store = Store(relay.data_dir)
    store.now = lambda: time.time() - CODE_LIFETIME - 60
    old = store.add_code("mmuster")
    store.now = lambda: time.time() - CODE_LIFETIME + 60
    young = store.add_code("mmuster")
    store.close()
    assert enrol(relay, old).status_code == 400
    assert enrol(relay, young).status_code == 200


def test_wrong_codes_from_one_address_are_limited(relay: RunningRelay) -> None:
    good = relay.code("mmuster")
    for attempt in range(5):
        assert enrol(relay, f"WRONG-CODE-{attempt}").status_code == 400
    limited = enrol(relay, good)  # even a right one waits now: no guessing on
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 60
    error = limited.json()["error"]
    assert error["kind"] == "PermissionDenied"
    assert error["message"] == (
        "Too many wrong enrolment codes came from your address. Try again in 15 minutes."
    )


def test_the_limit_is_per_source_behind_a_proxy(relay: RunningRelay) -> None:
    def through_proxy(code: str, desktop: str) -> httpx.Response:
        body = {"code": code, "device": "pc"}
        forwarded = {"X-Forwarded-For": desktop}
        return httpx.post(f"{relay.url}/v1/enrol", json=body, headers=forwarded)

    for attempt in range(5):
        assert through_proxy(f"WRONG-{attempt}", "203.0.113.5").status_code == 400
    assert through_proxy(relay.code("mmuster"), "203.0.113.5").status_code == 429
    assert through_proxy(relay.code("mmuster"), "203.0.113.6").status_code == 200
    sources = [json.loads(line)["source"] for line in relay.audit_lines()]
    assert sources[-1] == "203.0.113.6" and "203.0.113.5" in sources


def test_enrolling_a_device_again_replaces_its_token(relay: RunningRelay) -> None:
    old = relay.enrol("mmuster", "laptop")
    new = relay.enrol("mmuster", "laptop")
    with relay.client(old) as client:
        refused = client.get("/account")
    assert refused.status_code == 401
    assert refused.json()["error"]["kind"] == "AuthenticationError"
    assert "companion login --relay" in refused.json()["error"]["message"]
    with relay.client(new) as client:
        assert client.get("/account").status_code == 200


def test_bad_enrolment_requests_get_words(relay: RunningRelay) -> None:
    not_json = httpx.post(f"{relay.url}/v1/enrol", content=b"{nope")
    assert not_json.status_code == 400
    assert not_json.json()["error"]["message"] == "The body is not JSON."
    nameless = enrol(relay, relay.code("mmuster"), device="  ")
    assert nameless.status_code == 400
    assert "name of 1 to 100 printable characters" in nameless.json()["error"]["message"]


def test_no_token_or_a_made_up_one_is_refused_in_words(relay: RunningRelay) -> None:
    bare = httpx.get(f"{relay.url}/v1/account")
    assert bare.status_code == 401
    assert bare.headers["Companion-Relay-Api"] == "1"
    with relay.client("crt_" + "A" * 43) as client:
        made_up = client.get("/voicemail")
    assert made_up.status_code == 401
    assert made_up.json()["error"]["message"].startswith("This device is not enrolled")


def test_only_hashes_are_stored(relay: RunningRelay) -> None:
    code = relay.code("tsander")
    token = enrol(relay, code).json()["token"]
    stored = b"".join(p.read_bytes() for p in relay.data_dir.glob("relay.sqlite3*"))
    assert token.encode() not in stored
    assert code.replace("-", "").encode() not in stored
    assert b"tsander" in stored  # the file is the right one: the login is in it


def test_health_and_the_published_contract(relay: RunningRelay) -> None:
    deadline = time.monotonic() + 3
    while (health := httpx.get(f"{relay.url}/v1/health").json())["pbx"] == "unknown":
        assert time.monotonic() < deadline, "the relay did not check the PBX at its start"
        time.sleep(0.05)
    assert health == {"status": "ok", "pbx": "reachable", "api": 1, "relay_version": __version__}
    document = httpx.get(f"{relay.url}/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "/v1/voicemail/{voicemail_id}/audio" in document["paths"]

"""The reference variant's voicemail, fax, asset and identity answers, as its examples show."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from companion.simulator import Simulator

from .conftest import REST_PASSWORD, REST_USER, origin, services


@pytest.fixture(scope="module")
def literal() -> Iterator[Simulator]:
    with Simulator.start(
        rest_user=REST_USER, rest_password=REST_PASSWORD, variant="reference"
    ) as simulator:
        yield simulator


@pytest.fixture
def client(literal: Simulator) -> Iterator[httpx.Client]:
    with services(literal) as api:
        yield api


def test_head_counts_are_those_of_the_example(client: httpx.Client) -> None:
    inbox = client.head("voicemailbox/101/INBOX")
    assert inbox.status_code == 200
    assert inbox.headers["content-type"] == "PLAIN"
    # x-voicemail-count is the folder asked for; -inbox and -old say 0 as in the example.
    assert inbox.headers["x-voicemail-count"] == "3"
    assert inbox.headers["x-voicemail-count-inbox"] == "0"
    assert inbox.headers["x-voicemail-count-old"] == "0"
    assert inbox.headers["x-voicemail-lastmsg-folder"] == "INBOX"
    assert client.head("voicemailbox/101/Old").headers["x-voicemail-count"] == "2"


def test_specific_user_has_the_example_fields_only(client: httpx.Client) -> None:
    me = client.get("identity/mmuster").json()
    assert me["003use_name"] == "mmuster" and me["009ext_extension"] == "101"
    assert "017pro_id" in me and "020fax_id" in me
    for missing in ("016voi_email", "016voi_mailbox", "faxextension", "xmppRoleTmstmp"):
        assert missing not in me
    # The list's example has them.
    listed = {u["003use_name"]: u for u in client.get("identity/").json()}["mmuster"]
    assert listed["016voi_email"] == "max.mustermann@demo.example"
    assert listed["faxextension"] == "301"


def test_voicemail_asset_refuses_basic_auth(literal: Simulator) -> None:
    url = literal.base_url + "/asset/voicemailbox/101/INBOX/msg0000"
    refused = httpx.get(url, auth=(REST_USER, REST_PASSWORD), timeout=10.0)
    assert refused.status_code == 401
    forged = httpx.get(url, params={"token": "x" * 22, "expires": "9999999999"}, timeout=10.0)
    assert forged.status_code == 403


def test_sent_faxes_have_no_sender(client: httpx.Client) -> None:
    done = client.get("faxserver/done").json()
    assert done and all("sender" not in job and job["notify"] for job in done.values())


def test_received_faxes_look_like_the_example(literal: Simulator, client: httpx.Client) -> None:
    faxes = client.get("faxserver/received").json()
    fax = faxes["fax000000010.tif"]
    assert fax["sender"] == literal.state.instance  # "Name of the sender - PBX name"
    assert re.fullmatch(r"\d+_\d+", fax["cidname"])  # a call id, not a name
    assert fax["cidnumber"] == fax["009ext_extension"] == "301"  # the receiving fax
    assert fax["pdf"].startswith(origin(literal) + "/")


def test_default_variant_keeps_its_answers(demo: Simulator) -> None:
    with services(demo) as api:
        head = api.head("voicemailbox/101/INBOX").headers
        assert (head["x-voicemail-count-inbox"], head["x-voicemail-count-old"]) == ("3", "2")
        assert api.get("identity/mmuster").json()["016voi_email"] == "max.mustermann@demo.example"
        assert all("sender" in job for job in api.get("faxserver/done").json().values())

"""What the relay tells desktops besides calls: a change one desktop made goes to the
user's other desktops (a switch to everybody's), a call that ended sends its followers
to the history and the new voicemail, and a fax goes out through the relay."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from companion.relay import users
from companion.relay.config import load
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER
from tests.relay.conftest import RunningRelay
from tests.relay.test_events import open_stream, receive, until
from tests.support.pdfs import write_pdf


def test_a_change_reaches_the_users_other_desktops_and_a_switch_everybody(
    relay: RunningRelay,
) -> None:
    laptop, phone = relay.enrol("mmuster", "laptop"), relay.enrol("mmuster", "phone")
    tina = relay.enrol("tsander")
    with open_stream(relay, phone) as phone_ws, open_stream(relay, tina) as tina_ws:
        receive(phone_ws)
        receive(tina_ws)
        with relay.client(laptop) as client:
            assert client.put("/redirect", json={"target": "0171 555"}).status_code == 200
            assert until(phone_ws, "changed") == {"type": "changed", "features": ["redirect"]}
            with pytest.raises(TimeoutError):  # Max's redirect is none of Tina's business
                until(tina_ws, "changed", timeout=1.0)
            assert client.put("/switches/503", json={"on": True}).status_code == 200
        assert until(phone_ws, "changed")["features"] == ["switches"]
        assert until(tina_ws, "changed")["features"] == ["switches"]


def test_a_call_that_ended_sends_the_desktop_to_history_and_voicemail(
    relay: RunningRelay,
) -> None:
    token = relay.enrol("mmuster")
    with open_stream(relay, token) as ws:
        receive(ws)
        time.sleep(1.0)  # the user's slow state has been read once: what comes is news
        relay.sim.ring("+49 30 555123", "mmuster", ring_s=1.5, message_s=1.0)
        assert until(ws, "calls")["calls"]  # it rings
        wanted = {"history", "voicemail"}
        deadline = time.monotonic() + 8
        while wanted and time.monotonic() < deadline:
            message = receive(ws, timeout=deadline - time.monotonic())
            if message["type"] == "changed":
                wanted -= set(message["features"])
        assert not wanted, f"not told to read {wanted} again"


def test_a_fax_is_sent_through_the_relay(relay: RunningRelay, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "Angebot.pdf", pages=2)
    with relay.client(relay.enrol("mmuster")) as client:
        sent = client.post(
            "/faxes/sent",
            params={"number": "+49 30 1234567", "title": "Angebot", "name": "Angebot.pdf"},
            content=pdf.read_bytes(),
            headers={"Content-Type": "application/pdf"},
        )
        assert sent.status_code == 200, sent.text
        job = sent.json()["id"]
        assert job in [f["id"] for f in client.get("/faxes/sent").json()]
        refused = client.post("/faxes/sent", params={"number": "1"}, content=b"not a pdf")
        assert refused.status_code == 400
        assert refused.json()["error"]["kind"] == "BadRequest"
    assert not list((relay.data_dir).glob("tmp*"))  # the upload is not kept


async def test_idle_backends_are_dropped(sim: Simulator, tmp_path: Path) -> None:
    config = load(None, pbx_url=sim.base_url, rest_user=REST_USER, data_dir=str(tmp_path))
    backends = users.UserBackends(config, REST_PASSWORD)
    try:
        max_pbx = backends.of("mmuster")
        assert (await max_pbx.account()).login == "mmuster"
        clock = time.monotonic() + users.IDLE + 1
        backends.now = lambda: clock
        tina_pbx = backends.of("tsander")
        assert len(backends) == 1
        assert backends.of("mmuster") is not max_pbx  # built again when needed
        assert (await tina_pbx.account()).login == "tsander"  # the shared pool stays open
    finally:
        await backends.close()

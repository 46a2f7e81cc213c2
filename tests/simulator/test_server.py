"""Starting and stopping: free ports, TLS, the foreground server, reset."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import trustme

from companion.simulator import Simulator

from .conftest import REST_PASSWORD, REST_USER, services

REPO = Path(__file__).resolve().parents[2]


def test_port_zero_finds_a_free_port_and_reports_it() -> None:
    with Simulator.start() as a, Simulator.start() as b:
        pa, pb = urlsplit(a.base_url), urlsplit(b.base_url)
        assert pa.scheme == "http"
        assert pa.hostname == "127.0.0.1"
        assert pa.path == "/demo"
        assert pa.port and pb.port and pa.port != pb.port
        with socket.create_connection(("127.0.0.1", pa.port), timeout=2):
            pass
        # each has its own state
        with services(a) as ca, services(b) as cb:
            ca.post("redirect/101", json={"target": "200"})
            assert ca.get("redirect/").json()[0]["target"] == "200"
            assert cb.get("redirect/").json()[0]["target"] == ""


def test_stop_is_fast_and_closes_the_port() -> None:
    sim = Simulator.start()
    port = urlsplit(sim.base_url).port
    assert port is not None
    with services(sim) as client:
        assert client.get("identity/mmuster").status_code == 200  # leaves a keep-alive connection
        started = time.monotonic()
        sim.stop()
        assert time.monotonic() - started < 1.0
    assert not sim.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    sim.stop()  # a second stop is harmless


def test_stop_does_not_wait_for_a_slow_request() -> None:
    sim = Simulator.start()
    sim.misbehave("slow", delay=30)
    outcome: list[object] = []

    def request() -> None:
        with services(sim) as client:
            try:
                outcome.append(client.get("identity/mmuster", timeout=40).status_code)
            except httpx.HTTPError as exc:
                outcome.append(exc)

    t = threading.Thread(target=request)
    t.start()
    time.sleep(0.2)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 3.0
    t.join(5)
    assert not t.is_alive()
    # the request in flight is cut off: an error, or uvicorn's 500 for a cancelled app
    [result] = outcome
    assert result == 500 or isinstance(result, httpx.HTTPError)


def test_a_taken_port_is_an_oserror(demo: Simulator) -> None:
    port = urlsplit(demo.base_url).port
    assert port is not None
    with pytest.raises(OSError):
        Simulator.start(port=port)


def test_tls_needs_both_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both"):
        Simulator.start(ssl_certfile=tmp_path / "cert.pem")


def test_https_with_a_trusted_certificate(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    with Simulator.start(ssl_certfile=certfile, ssl_keyfile=keyfile) as sim:
        assert sim.base_url.startswith("https://127.0.0.1:")
        url = sim.base_url + "/services/identity/mmuster"
        r = httpx.get(url, auth=(REST_USER, REST_PASSWORD), verify=trusted)
        assert r.status_code == 200
        assert r.json()["003use_name"] == "mmuster"
        with pytest.raises(httpx.ConnectError):  # not trusted without the CA
            httpx.get(url, auth=(REST_USER, REST_PASSWORD))
        with services(sim, verify=trusted) as client:
            pdf = client.get("faxserver/received").json()["fax000000010.tif"]["pdf"]
            assert pdf.startswith("https://")
            sim.misbehave("drop", times=1)
            with pytest.raises(httpx.RemoteProtocolError):
                client.get("identity/mmuster")
        assert httpx.get(pdf, verify=trusted).content.startswith(b"%PDF")


def test_reset_forgets_changes(sim: Simulator) -> None:
    with services(sim) as client:
        client.post("redirect/101", json={"target": "200"})
        client.post(
            "identity/mmuster/defaultdevice/action", json={"action": "dial", "destination": "1"}
        )
        sim.misbehave("error500", path="/queue")
        sim.reset()
        assert client.get("redirect/").json()[0] == {
            "source": "101",
            "target": "",
            "old": "+4989998877",
        }
        assert sim.state.actions == []
        assert client.get("cdr/live").status_code == 204
        assert client.get("queue/").status_code == 200


def test_serve_prints_the_url_and_stops_quietly_on_ctrl_c() -> None:
    code = "from companion.simulator import serve; serve(port=0)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert "password: demo-secret" in line
        assert "REST user: moby" in line
        url = next(word for word in line.split() if word.startswith("http"))
        assert url.startswith("http://127.0.0.1:") and url.endswith("/demo")
        r = httpx.get(url + "/services/identity/mmuster", auth=(REST_USER, REST_PASSWORD))
        assert r.status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err
    assert out == ""


def test_every_request_is_logged_with_its_arrival() -> None:
    with Simulator.start() as sim, services(sim) as client:
        before = time.monotonic()
        client.get("identity/mmuster")
        client.head("voicemailbox/101/INBOX")
        client.get("identity/nobody")
        logged = [(r.method, r.path) for r in sim.state.requests]
        assert logged == [
            ("GET", "/demo/services/identity/mmuster"),
            ("HEAD", "/demo/services/voicemailbox/101/INBOX"),
            ("GET", "/demo/services/identity/nobody"),
        ]
        assert all(r.arrived >= before for r in sim.state.requests)

"""The relay's own link to the PBX: verified TLS (with the PBX's CA file), and a PBX that
refuses the relay's credential told to desktops as the relay's problem, never as theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER
from tests.relay.conftest import RunningRelay, start_relay


@pytest.fixture
def tls_sim(tmp_path: Path) -> Iterator[tuple[Simulator, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file, ca_file = tmp_path / "c.pem", tmp_path / "k.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    with Simulator.start(
        rest_user=REST_USER,
        rest_password=REST_PASSWORD,
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    ) as simulator:
        yield simulator, ca_file


@pytest.mark.parametrize("trusted", [True, False])
def test_the_pbx_certificate_is_verified(
    tls_sim: tuple[Simulator, Path], tmp_path: Path, trusted: bool
) -> None:
    sim, ca_file = tls_sim
    flags = {"ca_file": str(ca_file)} if trusted else {}
    server = start_relay(sim, tmp_path / "relay", **flags)
    try:
        relay = RunningRelay(server, tmp_path / "relay", sim)
        with relay.client(relay.enrol("mmuster")) as client:
            answer = client.get("/account")
    finally:
        server.stop()
    if trusted:
        assert answer.status_code == 200 and answer.json()["login"] == "mmuster"
    else:
        assert answer.status_code == 502
        assert answer.json()["error"] == {
            "kind": "PbxUnreachable",
            "message": "The relay does not trust the PBX's TLS certificate. "
            "Tell the relay's administrator.",
        }


def test_a_refused_relay_credential_is_not_the_desktops_token(relay: RunningRelay) -> None:
    token = relay.enrol("mmuster")
    relay.sim.misbehave("refuse_auth")
    with relay.client(token) as client:
        answer = client.get("/redirect")
    assert answer.status_code == 502  # a 401 would tell the desktop to enrol again
    assert answer.json()["error"] == {
        "kind": "PbxUnreachable",
        "message": "The PBX refused the relay's REST credential. Tell the relay's administrator.",
    }

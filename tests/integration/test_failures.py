"""Every failure a user can meet maps to its own error with words they can act on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from companion.pbx import errors
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

FAST = httpx.Timeout(0.5, connect=0.5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_wrong_password_is_an_authentication_error(sim: Simulator) -> None:
    async with PascomPbx(sim.base_url, REST_USER, "wrong", USER) as pbx:
        with pytest.raises(errors.AuthenticationError, match="REST user name or password"):
            await pbx.account()


async def test_closed_port_is_unreachable() -> None:
    url = f"http://127.0.0.1:{_free_port()}/demo"
    async with PascomPbx(url, REST_USER, REST_PASSWORD, USER, timeout=FAST) as pbx:
        with pytest.raises(errors.PbxUnreachable, match="cannot be reached"):
            await pbx.account()


async def test_unknown_host_is_unreachable() -> None:
    url = "https://pbx.invalid/demo"
    async with PascomPbx(url, REST_USER, REST_PASSWORD, USER, timeout=FAST) as pbx:
        with pytest.raises((errors.PbxUnreachable, errors.PbxTimeout)):
            await pbx.account()


async def test_slow_pbx_times_out(sim: Simulator) -> None:
    sim.misbehave("slow", delay=2.0)
    async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER, timeout=FAST) as pbx:
        with pytest.raises(errors.PbxTimeout, match="did not answer in time"):
            await pbx.account()


async def test_slow_but_in_time_is_fine(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("slow", delay=0.2)
    assert (await pbx.account()).login == USER


async def test_internal_error_says_so(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("error500")
    with pytest.raises(errors.UnexpectedResponse, match="internal error \\(HTTP 500\\)"):
        await pbx.switches()


async def test_garbage_is_not_understood(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("garbage")
    with pytest.raises(errors.UnexpectedResponse, match="does not understand"):
        await pbx.redirect()


async def test_dropped_connection_is_unreachable(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("drop")
    with pytest.raises(errors.PbxUnreachable, match="broke off"):
        await pbx.account()


async def test_refused_auth_is_an_authentication_error(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("refuse_auth")
    with pytest.raises(errors.AuthenticationError):
        await pbx.account()


async def test_fault_that_passes_leaves_the_client_working(sim: Simulator, pbx: PascomPbx) -> None:
    sim.misbehave("error500", times=1)
    with pytest.raises(errors.UnexpectedResponse):
        await pbx.account()
    assert (await pbx.account()).login == USER


# -- TLS ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_sim(tmp_path: Path, tls_ca: trustme.CA) -> Iterator[Simulator]:
    cert = tls_ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    with Simulator.start(
        rest_user=REST_USER,
        rest_password=REST_PASSWORD,
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    ) as simulator:
        yield simulator


async def test_untrusted_certificate_is_named(tls_sim: Simulator) -> None:
    assert tls_sim.base_url.startswith("https://")
    async with PascomPbx(tls_sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
        with pytest.raises(errors.CertificateError, match=r"pbx\.ca_file"):
            await pbx.account()


async def test_ca_file_makes_the_certificate_trusted(
    tls_sim: Simulator, tls_ca: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(ca_file))
    async with PascomPbx(
        tls_sim.base_url, REST_USER, REST_PASSWORD, USER, ca_file=str(ca_file)
    ) as pbx:
        assert (await pbx.account()).login == USER


async def test_unreadable_ca_file_is_named(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(errors.CertificateError, match=str(bogus)):
        PascomPbx("https://127.0.0.1:1/demo", REST_USER, REST_PASSWORD, USER, ca_file=str(bogus))

"""A fax PDF on another host (as in the reference's example link) over TLS."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import trustme

from companion.pbx.models import ReceivedFax
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER


class _PdfHost(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        _PdfHost.seen.append(dict(self.headers))
        body = b"%PDF-1.4\n%%EOF\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ca(tmp_path: Path) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    return authority, ca_file


@pytest.fixture
def tls_pbx(ca: tuple[trustme.CA, Path], tmp_path: Path) -> Iterator[Simulator]:
    cert = ca[0].issue_cert("127.0.0.1")
    cert_file, key_file = tmp_path / "pbx-cert.pem", tmp_path / "pbx-key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    with Simulator.start(
        rest_user=REST_USER,
        rest_password=REST_PASSWORD,
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    ) as simulator:
        yield simulator


@pytest.fixture
def pdf_host(ca: tuple[trustme.CA, Path]) -> Iterator[str]:
    """Another origin (its own port), with a certificate from the same company CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca[0].issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PdfHost)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _PdfHost.seen.clear()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_pdf_on_another_host_trusts_the_ca_file_and_gets_no_credentials(
    tls_pbx: Simulator, pdf_host: str, ca: tuple[trustme.CA, Path]
) -> None:
    async with PascomPbx(
        tls_pbx.base_url, REST_USER, REST_PASSWORD, USER, ca_file=str(ca[1])
    ) as pbx:
        assert (await pbx.received_faxes())[0].pdf_url.startswith(tls_pbx.base_url)
        fax = ReceivedFax("x", "", "", None, 1, pdf_url=f"{pdf_host}/qatest/asset/fax.pdf?token=t")
        assert (await pbx.fax_pdf(fax)).startswith(b"%PDF")
    assert _PdfHost.seen and all("Authorization" not in h for h in _PdfHost.seen)

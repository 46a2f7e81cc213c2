"""An innovaphone PBX's address and its TLS settings."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from companion.pbx import errors
from companion.pbx.innovaphone.address import check_url, ssl_context


def test_a_loopback_ws_address_needs_no_tls_and_reads_no_ca_file(tmp_path: Path) -> None:
    url = check_url("ws://127.0.0.1:8080/PBX0/")
    assert url == "ws://127.0.0.1:8080/PBX0"
    assert ssl_context(url, str(tmp_path / "missing.pem")) is None


def test_a_wss_address_checks_the_certificate() -> None:
    context = ssl_context("wss://pbx.example.com/PBX0", None)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def test_a_ca_file_that_is_no_certificate_is_said_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(errors.CertificateError, match=r"cannot be read as PEM.*pbx\.ca_file"):
        ssl_context("wss://pbx.example.com/PBX0", str(bad))


def test_ws_to_another_machine_is_refused() -> None:
    with pytest.raises(errors.BadRequest, match="wss:// only"):
        check_url("ws://pbx.example.com/PBX0")

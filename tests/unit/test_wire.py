"""The wire rules that keep credentials on the PBX and user data inside its path segment."""

from __future__ import annotations

import gzip

import pytest

from companion.pbx import errors
from companion.pbx.pascom.answers import origin, path
from companion.pbx.pascom.http import Wire
from tests.support.raw_http import answering


def test_path_segments_are_percent_encoded() -> None:
    assert path("identity", "jürgen weiß", "device", "pascom Softphone [J/W]", "action") == (
        "identity/j%C3%BCrgen%20wei%C3%9F/device/pascom%20Softphone%20%5BJ%2FW%5D/action"
    )
    assert path("voicemailbox", 101, "*", "1612943003-00000000") == (
        "voicemailbox/101/*/1612943003-00000000"
    )
    assert path("phonebook", "../identity") == "phonebook/..%2Fidentity"


def test_origin_compares_scheme_host_and_port() -> None:
    assert origin("https://PBX.example.com/a") == origin("https://pbx.example.com:443/b")
    assert origin("http://pbx.example.com/a") != origin("https://pbx.example.com/a")
    assert origin("https://pbx.example.com:8443/a") != origin("https://pbx.example.com/a")
    assert origin("https://pbx.example.com.evil.net/a") != origin("https://pbx.example.com/a")


async def test_relative_urls_resolve_against_the_pbx_and_stay_on_its_origin() -> None:
    wire = Wire("https://pbx.example.com/acme", "moby", "secret")
    try:
        upload = wire.absolute("/acme/asset/faxserver/upload/X?token=t")
        assert upload == "https://pbx.example.com/acme/asset/faxserver/upload/X?token=t"
        assert wire.same_origin(upload)
        assert not wire.same_origin("https://elsewhere.example.com/acme/asset/x.pdf")
        assert not wire.same_origin("http://pbx.example.com/acme/asset/x.pdf")
    finally:
        await wire.close()


async def test_a_packed_body_is_counted_as_it_unpacks() -> None:
    # 40 MB of JSON in about 40 kB of gzip: its Content-Length is true and far below the
    # ceiling, the body is not.
    packed = gzip.compress(b"[" + b"0," * (20 * 1024 * 1024) + b"0]")
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(packed)}\r\nConnection: close\r\n\r\n".encode()
        + packed
    )
    async with answering(raw) as base:
        wire = Wire(base, "moby", "secret")
        try:
            with pytest.raises(errors.AnswerTooLarge, match="more than 20 MB for the call history"):
                await wire.get_json("cdr/")
        finally:
            await wire.close()


async def test_an_error_answer_is_read_only_for_its_reason() -> None:
    # A 404 announcing 30 MB that never come: only the first 64 kB are waited for.
    reason = b'{"error": "no such thing"}'
    raw = (
        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {30 * 1024 * 1024}\r\n\r\n".encode()
        + reason
        + b" " * (70 * 1024)
    )
    async with answering(raw, hold=True) as base:
        wire = Wire(base, "moby", "secret")
        try:
            with pytest.raises(errors.NotFound, match="no such thing"):
                await wire.get_json("identity/nobody")
        finally:
            await wire.close()

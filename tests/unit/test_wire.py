"""The wire rules that keep credentials on the PBX and user data inside its path segment."""

from __future__ import annotations

from companion.pbx.pascom.http import Wire, origin, path


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

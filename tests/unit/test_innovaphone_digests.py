"""The innovaphone login digests against the SDK's test vectors (AppWebsocket.htm)."""

from __future__ import annotations

import pytest

from companion.pbx.innovaphone import digests

CHALLENGE = "0123456789abcdef"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"),
        ({"info": {}}, "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34"),
        (
            {"info": {"cn": "Test User"}},
            "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d",
        ),
    ],
)
def test_app_login_digest_matches_the_sdk_vectors(kwargs: dict, expected: str) -> None:
    assert digests.app_login("pbxadminapi", CHALLENGE, "pwd", **kwargs) == expected


def test_app_login_digest_with_every_field_matches_the_sdk_vector() -> None:
    info = {
        "appobj": "users",
        "apps": [{"name": "users"}, {"name": "profile"}],
        "appurl": "https://1.2.3.4/example.com/usersapp/innovaphone-users",
        "unlicensed": True,
    }
    digest = digests.app_login(
        "innovaphone-users",
        CHALLENGE,
        "pwd",
        domain="example.com",
        sip="administrator",
        guid="0123456789abcdef0123456789abcdef",
        dn="Administrator User",
        info=info,
    )
    assert digest == "ef1b811ffaa8f9255c39c653d8fb26b4687b2d8c4d9ac91b4821bff6bae3ff44"


def test_the_issue_vector_is_the_digest_of_its_string() -> None:
    assert digests.sha256_hex("pbxadminapi:::::0123456789abcdef:pwd") == (
        "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"
    )


def test_the_user_response_covers_every_part() -> None:
    base = digests.user_response("user", "example.com", "jdoe", "pw", "00ff", "c1")
    assert base == digests.sha256_hex("innovaphoneAppClient:user:example.com:jdoe:pw:00ff:c1")
    assert digests.user_response("session", "example.com", "jdoe", "pw", "00ff", "c1") != base


def test_a_login_result_digest_proves_the_password_and_protects_the_info() -> None:
    info = {"sip": "jdoe", "dn": "Jürgen Doe"}
    args = {"domain": "d", "username": "jdoe", "nonce": "n", "challenge": "c"}
    good = digests.sha256_hex(
        'innovaphoneAppClient:loginresult:d:jdoe:pw:n:c:{"sip":"jdoe","dn":"Jürgen Doe"}'
    )
    assert digests.login_result_matches(good, info, password="pw", **args)
    assert not digests.login_result_matches(good, info, password="other", **args)
    assert not digests.login_result_matches(good, {**info, "dn": "Eve"}, password="pw", **args)
    escaped = digests.sha256_hex(
        'innovaphoneAppClient:loginresult:d:jdoe:pw:n:c:{"sip":"jdoe","dn":"J\\u00fcrgen Doe"}'
    )
    assert digests.login_result_matches(escaped, info, password="pw", **args)


def test_session_credentials_decrypt_with_rc4() -> None:
    key = b"innovaphoneAppClient:usr:n0nce:pw"
    encrypted = digests.rc4(key, b"session-7").hex()
    assert digests.session_secret("usr", "n0nce", "pw", encrypted) == "session-7"
    # RC4's published test vector (key "Key", plaintext "Plaintext")
    assert digests.rc4(b"Key", b"Plaintext").hex() == "bbf316e8d940af0ad3"


def test_every_nonce_is_new_and_sixteen_hex_digits() -> None:
    nonces = {digests.new_nonce() for _ in range(20)}
    assert len(nonces) == 20
    assert all(len(n) == 16 and int(n, 16) >= 0 for n in nonces)


def test_a_plus_number_is_dialled_with_the_nodes_prefixes() -> None:
    from companion.pbx.innovaphone.mapping import dial_target

    prefixes = {"prefixIntl": "000", "prefixNtl": "00", "country": "49", "area": "89"}
    assert dial_target("+49 30 1234567", prefixes) == {"e164": "00301234567"}
    assert dial_target("+4312345", prefixes) == {"e164": "0004312345"}
    assert dial_target("+4930123", {}) == {"e164": "+4930123"}  # no prefixes given: as it is
    assert dial_target("101", prefixes) == {"e164": "101"}
    assert dial_target("anna.albers", prefixes) == {"h323": "anna.albers"}

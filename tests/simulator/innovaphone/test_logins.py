"""Both logins of the innovaphone demo PBX, right and wrong, with the SDK's digests."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from companion.simulator.innovaphone import InnovaphoneSimulator
from companion.simulator.innovaphone.digests import app_login_digest, rc4

from .conftest import (
    APP,
    USER,
    USER_CN,
    USER_PASSWORD,
    Wire,
    app_login,
    app_login_as_user,
    compact,
    sha,
    user_login,
)

CHALLENGE = "0123456789abcdef"


# AppWebsocket.htm's four test vectors (password "pwd", challenge 0123456789abcdef)
@pytest.mark.parametrize(
    ("fields", "info", "digest"),
    [
        (
            {"app": "pbxadminapi"},
            None,
            "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1",
        ),
        (
            {"app": "pbxadminapi"},
            {},
            "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34",
        ),
        (
            {"app": "pbxadminapi"},
            {"cn": "Test User"},
            "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d",
        ),
        (
            {
                "app": "innovaphone-users",
                "domain": "example.com",
                "sip": "administrator",
                "guid": "0123456789abcdef0123456789abcdef",
                "dn": "Administrator User",
            },
            {
                "appobj": "users",
                "apps": [{"name": "users"}, {"name": "profile"}],
                "appurl": "https://1.2.3.4/example.com/usersapp/innovaphone-users",
                "unlicensed": True,
            },
            "ef1b811ffaa8f9255c39c653d8fb26b4687b2d8c4d9ac91b4821bff6bae3ff44",
        ),
    ],
)
def test_the_sdk_test_vectors(fields: dict[str, str], info: object, digest: str) -> None:
    full = {"domain": "", "sip": "", "guid": "", "dn": "", **fields}
    assert app_login_digest(info=info, challenge=CHALLENGE, password="pwd", **full) == digest


def test_the_issue_vector_is_the_plain_string() -> None:
    assert sha("pbxadminapi:::::0123456789abcdef:pwd") == (
        "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"
    )


def test_rc4_vector_of_a_myapps_client() -> None:
    # from the go-myapps client's tests: a session username as a PBX sent it
    key = "innovaphoneAppClient:usr:5bba709c4b68374d:ip411"
    data = bytes.fromhex("568665fc2f134d3133325b1f30d66e4e6c9f6f9d165e2f5ce7bbfff1b1de68da")
    assert rc4(key, data) == b"9ae4b9193f1362019e19009033400109"


# ------------------------------------------------------------------ App-object login


def test_app_login_with_the_right_password(inno: InnovaphoneSimulator) -> None:
    wire, result = app_login(inno)
    assert result == {"mt": "AppLoginResult", "ok": True, "domain": "demo.example.com"}
    assert wire.ask("GetPbxConfig", api="PbxAdminApi")["loc"] == "demo"
    wire.close()


def test_app_login_with_a_wrong_password_is_refused_and_closed(inno: InnovaphoneSimulator) -> None:
    wire, result = app_login(inno, password="wrong")
    assert result == {"mt": "AppLoginResult", "ok": False}
    with pytest.raises(ConnectionClosed):
        wire.recv(2.0)


def test_reference_variant_refuses_without_ok() -> None:
    with InnovaphoneSimulator.start(variant="reference") as sim:
        _, result = app_login(sim, password="wrong")
        assert result == {"mt": "AppLoginResult"}


def test_unknown_app_object_is_refused(inno: InnovaphoneSimulator) -> None:
    _, result = app_login(inno, app="nosuchapp", password="x")
    assert result.get("ok") is not True


def test_a_challenge_answers_one_login_only(inno: InnovaphoneSimulator) -> None:
    wire = Wire(inno.apps_url)
    wire.send(mt="AppChallenge")
    challenge = wire.until("AppChallengeResult")["challenge"]
    assert isinstance(challenge, str) and len(challenge) == 16 and challenge.isdigit()
    wire.send(mt="AppLogin", app=APP, digest=sha(f"{APP}:::::{challenge}:wrong"))
    assert wire.until("AppLoginResult")["ok"] is False


def test_older_pbx_sends_the_challenge_as_a_number() -> None:
    with InnovaphoneSimulator.start(challenge_as_number=True) as sim:
        wire = Wire(sim.apps_url)
        wire.send(mt="AppChallenge")
        challenge = wire.until("AppChallengeResult")["challenge"]
        assert isinstance(challenge, int)
        wire.send(mt="AppLogin", app=APP, digest=sha(f"{APP}:::::{challenge}:companion-secret"))
        assert wire.until("AppLoginResult")["ok"] is True


def test_nothing_is_answered_before_the_login(inno: InnovaphoneSimulator) -> None:
    wire = Wire(inno.apps_url)
    wire.send(api="PbxAdminApi", mt="GetBooleans", src="x")
    wire.send(mt="AppChallenge")
    assert wire.recv()["mt"] == "AppChallengeResult"  # the GetBooleans got no answer


def test_unknown_paths_are_refused(inno: InnovaphoneSimulator) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{inno.port}/PBX0/other/websocket", open_timeout=5)
    assert refused.value.response.status_code == 404


# ------------------------------------------------------------------ myApps user login


def test_user_login_and_the_login_result_digest(inno: InnovaphoneSimulator) -> None:
    wire, auth, result, nonce = user_login(inno)
    assert auth["mt"] == "Authenticate"
    assert (auth["type"], auth["method"], auth["domain"]) == ("user", "digest", "demo.example.com")
    info = result["info"]
    assert info["user"]["sip"] == USER and info["user"]["dn"] == USER_CN
    expected = sha(
        f"innovaphoneAppClient:loginresult:{auth['domain']}:{USER}:{USER_PASSWORD}:{nonce}:"
        f"{auth['challenge']}:{compact(info)}"
    )
    assert result["digest"] == expected
    wire.close()


def test_session_credentials_log_in_later_and_never_hold_the_password(
    inno: InnovaphoneSimulator,
) -> None:
    wire, _, result, nonce = user_login(inno)
    session = result["info"]["session"]
    usr = rc4(f"innovaphoneAppClient:usr:{nonce}:{USER_PASSWORD}", bytes.fromhex(session["usr"]))
    pwd = rc4(f"innovaphoneAppClient:pwd:{nonce}:{USER_PASSWORD}", bytes.fromhex(session["pwd"]))
    assert USER_PASSWORD.encode() not in usr + pwd
    wire.close()
    again, auth, later, nonce2 = user_login(inno, usr.decode(), pwd.decode(), type_="session")
    assert auth["type"] == "session"
    assert "error" not in later and "session" not in later["info"]
    assert later["digest"] == sha(
        f"innovaphoneAppClient:loginresult:{auth['domain']}:{usr.decode()}:{pwd.decode()}:"
        f"{nonce2}:{auth['challenge']}:{compact(later['info'])}"
    )
    # Logout ends the session: it cannot log in again
    again.send(mt="Logout")
    again.until("LogoutResult")
    _, _, refused, _ = user_login(inno, usr.decode(), pwd.decode(), type_="session")
    assert refused == {"mt": "LoginResult", "error": 5, "errorText": "Session expired"}


def test_user_login_with_a_wrong_password_is_refused(inno: InnovaphoneSimulator) -> None:
    wire, _, result, _ = user_login(inno, password="wrong")
    assert result == {"mt": "LoginResult", "error": 2, "errorText": "Authentication failed"}
    wire.send(mt="AppGetLogin", app=APP, challenge="1234", src="s")  # not logged in: no answer
    wire.send(mt="Login", type="user")
    assert wire.recv()["mt"] == "Authenticate"


def test_unknown_user_is_refused_like_a_wrong_password(inno: InnovaphoneSimulator) -> None:
    _, _, result, _ = user_login(inno, username="nobody")
    assert result["error"] == 2


def test_reference_variant_login_result_info_is_flat() -> None:
    with InnovaphoneSimulator.start(variant="reference") as sim:
        _, auth, result, nonce = user_login(sim)
        info = result["info"]
        assert info["sip"] == USER and "user" not in info and "session" in info
        assert result["digest"] == sha(
            f"innovaphoneAppClient:loginresult:{auth['domain']}:{USER}:{USER_PASSWORD}:{nonce}:"
            f"{auth['challenge']}:{compact(info)}"
        )


def test_fake_pbx_sends_a_digest_that_does_not_verify() -> None:
    with InnovaphoneSimulator.start(fake_login_digest=True) as fake:
        _, auth, result, nonce = user_login(fake)
    right = sha(
        f"innovaphoneAppClient:loginresult:{auth['domain']}:{USER}:{USER_PASSWORD}:{nonce}:"
        f"{auth['challenge']}:{compact(result['info'])}"
    )
    assert "error" not in result and len(result["digest"]) == 64  # it looks like a login
    assert result["digest"] != right


def test_app_get_login_gives_an_app_login_for_the_user(inno: InnovaphoneSimulator) -> None:
    myapps, *_ = user_login(inno)
    wire, result = app_login_as_user(inno, myapps)
    assert result["ok"] is True
    # the user may monitor their own calls only
    assert "user" in wire.ask("UserInitialize", api="RCC", cn=USER_CN)
    assert "error" in wire.ask("UserInitialize", api="RCC", cn="Anna Albers")


def test_app_get_login_digest_is_the_app_login_formula(inno: InnovaphoneSimulator) -> None:
    myapps, *_ = user_login(inno)
    got = myapps.ask("AppGetLogin", app=APP, challenge="1234567890123456")
    assert "pbxObj" in got and got["sip"] == USER
    assert got["digest"] == sha(
        f"{APP}:{got['domain']}:{got['sip']}:{got['guid']}:{got['dn']}:{compact(got['info'])}:"
        "1234567890123456:companion-secret"
    )


def test_app_get_login_for_an_app_the_user_lacks(inno: InnovaphoneSimulator) -> None:
    myapps, *_ = user_login(inno)
    got = myapps.ask("AppGetLogin", app="pbxadminapi", challenge="1234")
    assert got["error"] and got["errorText"] and "digest" not in got


def test_a_tampered_app_get_login_is_refused(inno: InnovaphoneSimulator) -> None:
    myapps, *_ = user_login(inno)
    wire = Wire(inno.apps_url)
    wire.send(mt="AppChallenge")
    challenge = str(wire.until("AppChallengeResult")["challenge"])
    got = myapps.ask("AppGetLogin", app=APP, challenge=challenge)
    login = {k: got[k] for k in ("app", "domain", "sip", "guid", "dn", "digest", "info")}
    login["sip"] = "aalbers"  # someone else
    wire.send(mt="AppLogin", **login)
    assert wire.until("AppLoginResult")["ok"] is False


def test_set_own_presence_through_myapps(inno: InnovaphoneSimulator, admin: Wire) -> None:
    myapps, *_ = user_login(inno)
    myapps.send(mt="SetOwnPresence", activity="busy", note="on a call")
    update = myapps.until("UpdateOwnPresence")
    assert update["presence"][0] == {
        "contact": "tel:",
        "status": "open",
        "activity": "busy",
        "note": "on a call",
    }
    presence = admin.ask("GetObject", api="PbxAdminApi", cn=USER_CN)["presence"]
    assert {"c": "tel:", "a": "busy", "n": "on a call"} in presence
    assert any(p["c"] == "im:" for p in presence)  # the other item stays


def test_keep_alive_is_counted_and_not_answered(inno: InnovaphoneSimulator, admin: Wire) -> None:
    admin.send(mt="KeepAlive")
    admin.ask("GetPbxConfig", api="PbxAdminApi")
    # the GetPbxConfigResult came straight after the login: nothing answered the KeepAlive
    assert [m["mt"] for m in admin.seen] == [
        "AppChallengeResult",
        "AppLoginResult",
        "GetPbxConfigResult",
    ]
    assert inno.received["KeepAlive"] == 1


def test_presence_set_over_the_pbxadminapi_reaches_myapps(
    inno: InnovaphoneSimulator, admin: Wire
) -> None:
    myapps, *_ = user_login(inno)
    presence = [{"c": "tel:", "a": "dnd", "n": ""}]
    admin.ask("UpdateObject", api="PbxAdminApi", guid="*", cn=USER_CN, presence=presence)
    update = myapps.until("UpdateOwnPresence")
    item = {"contact": "tel:", "status": "open", "activity": "dnd", "note": ""}
    assert update["presence"] == [item]

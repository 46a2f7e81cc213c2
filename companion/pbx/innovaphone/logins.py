"""The two logins: an App object with its password, and a user through myApps.

App object (`/APPS/websocket`): AppChallenge -> AppChallengeResult{challenge} -> AppLogin
-> AppLoginResult{ok}. User (`/APPCLIENT/130000/websocket`): Login{type} ->
Authenticate{method, domain, challenge} -> Login{digest response} -> LoginResult, whose
digest must prove that the PBX knows the password too; a "user" login returns session
credentials (kept in the keyring instead of the password), a "session" login uses them.
On the myApps connection, AppGetLogin hands out the AppLogin for an App object, so the
user reaches the PBX APIs without the App object's password.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from companion.pbx import errors
from companion.pbx.innovaphone import digests
from companion.pbx.innovaphone.wire import Connection, Message

log = logging.getLogger(__name__)

USER_AGENT = "Companion"
SECOND_FACTOR_WAIT = 120.0  # seconds the user has to confirm a login on another device


class NotThePbx(errors.AuthenticationError):
    default_message = (
        "The PBX could not prove that it knows your password, so it is not your PBX "
        "(or something in between answers for it). Companion did not log in."
    )


class UserRefused(errors.AuthenticationError):
    default_message = (
        "The PBX refused the user name or password. Use your myApps login name and password."
    )


class SessionRefused(errors.AuthenticationError):
    default_message = (
        "The PBX no longer accepts Companion's saved login (it may have been logged out "
        "in myApps). Log in again: companion login --kind innovaphone ..."
    )


class AppRefused(errors.AuthenticationError):
    default_message = (
        "The PBX refused the App object's name or password. Check both in the PBX's "
        "App object (Objects > App)."
    )


@dataclass(frozen=True)
class SessionCredentials:
    """What a user login returns and later logins use: never the user's password."""

    usr: str
    pwd: str

    def to_secret(self) -> str:
        return json.dumps({"usr": self.usr, "pwd": self.pwd})

    @classmethod
    def from_secret(cls, secret: str) -> SessionCredentials:
        try:
            data = json.loads(secret)
            return cls(str(data["usr"]), str(data["pwd"]))
        except (ValueError, KeyError, TypeError):
            raise SessionRefused(
                "The saved innovaphone login in the keyring is unreadable. Log in again: "
                "companion login --kind innovaphone ..."
            ) from None


@dataclass(frozen=True)
class UserLogin:
    info: dict[str, Any]  # domain, sip, guid, dn, num, email of the user
    session: SessionCredentials | None


def _expect(message: Message, mt: str) -> Message:
    if message.get("mt") != mt:
        raise errors.UnexpectedResponse(
            f"The PBX answered the login with {str(message.get('mt'))[:40]!r}, not {mt}."
        )
    return message


async def _next(conn: Connection, *types: str, deadline: float | None = None) -> Message:
    """The next login message of one of `types`; anything else before it is skipped."""
    while True:
        message = await conn.receive(deadline)
        if message.get("mt") in types:
            return message
        log.info("skipped %r during the login", str(message.get("mt"))[:40])


async def challenge(conn: Connection) -> str:
    await conn.send({"mt": "AppChallenge"})
    answer = await _next(conn, "AppChallengeResult")
    value = answer.get("challenge")
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise errors.UnexpectedResponse("The PBX sent no login challenge.")
    return str(value)  # older PBXs send it as a number


async def _finish_app_login(conn: Connection, login: Message, refused: errors.PbxError) -> None:
    await conn.send(login)
    answer = await _next(conn, "AppLoginResult")
    if answer.get("ok") is not True:
        raise refused


async def app_login(conn: Connection, app: str, password: str) -> None:
    """Log in to the App object `app` with its password."""
    value = await challenge(conn)
    digest = digests.app_login(app, value, password)
    login = {
        "mt": "AppLogin",
        "app": app,
        "domain": "",
        "sip": "",
        "guid": "",
        "dn": "",
        "digest": digest,
    }
    await _finish_app_login(conn, login, AppRefused())


async def user_login(
    conn: Connection, username: str, password: str, *, kind: str = "user"
) -> UserLogin:
    """The myApps login: `kind` "user" (name and password) or "session" (saved credentials)."""
    await conn.send({"mt": "Login", "type": kind, "userAgent": USER_AGENT})
    auth = await _next(conn, "Authenticate", "LoginResult")
    if auth.get("mt") == "LoginResult":
        raise _refused(auth, kind)
    if auth.get("method", "digest") != "digest":
        raise errors.NotSupported(
            f"The PBX asks for a {str(auth.get('method'))[:20]} login, which Companion does "
            "not speak; it needs the digest login."
        )
    domain, value = str(auth.get("domain", "")), str(auth.get("challenge", ""))
    nonce = digests.new_nonce()
    response = digests.user_response(kind, domain, username, password, nonce, value)
    await conn.send(
        {
            "mt": "Login",
            "type": kind,
            "method": "digest",
            "username": username,
            "nonce": nonce,
            "response": response,
            "userAgent": USER_AGENT,
        }
    )
    result = await _next(conn, "LoginResult", "Authorize", "Redirect")
    if result.get("mt") == "Authorize":  # two-factor: confirmed on another device
        log.info("the PBX waits for the login to be confirmed on another device")
        result = await _next(conn, "LoginResult", "Redirect", deadline=SECOND_FACTOR_WAIT)
    if result.get("mt") == "Redirect":
        raise errors.NotSupported(
            "The PBX says your user is on another PBX of the system; give that PBX's "
            "address instead."
        )
    if "error" in result or "digest" not in result:
        raise _refused(result, kind)
    info = result.get("info") if isinstance(result.get("info"), dict) else {}
    assert isinstance(info, dict)
    if not digests.login_result_matches(
        str(result.get("digest", "")),
        result.get("info", {}),
        domain=domain,
        username=username,
        password=password,
        nonce=nonce,
        challenge=value,
    ):
        raise NotThePbx()
    return UserLogin(info, _session(info, nonce, password))


def _refused(result: Message, kind: str) -> errors.PbxError:
    text = str(result.get("errorText", ""))[:200]
    log.info("the PBX refused the %s login: %s %s", kind, result.get("error"), text)
    return SessionRefused() if kind == "session" else UserRefused()


def _session(info: dict[str, Any], nonce: str, password: str) -> SessionCredentials | None:
    session = info.get("session")
    if not isinstance(session, dict) or "usr" not in session or "pwd" not in session:
        return None
    try:
        return SessionCredentials(
            digests.session_secret("usr", nonce, password, str(session["usr"])),
            digests.session_secret("pwd", nonce, password, str(session["pwd"])),
        )
    except (ValueError, UnicodeDecodeError):
        raise errors.UnexpectedResponse(
            "The PBX sent session credentials Companion cannot read."
        ) from None


async def app_login_for_user(apps: Connection, myapps: Connection, app: str) -> str:
    """Log in to the App object `app` on `apps` with the login myApps hands out.

    Returns the user's cn (Long Name) from the handed-out info, "" if it names none.
    """
    value = await challenge(apps)
    answer = await myapps.request({"mt": "AppGetLogin", "app": app, "challenge": value})
    if answer.get("error") or not answer.get("digest"):
        raise errors.PermissionDenied(
            f"The PBX does not let your user use the App object {app!r}. Ask your PBX "
            "administrator to give your user access to it (it needs the PbxAdminApi and RCC)."
        )
    login: Message = {"mt": "AppLogin"}
    for key in ("app", "domain", "sip", "guid", "dn", "digest", "pbxObj", "info"):
        if key in answer:
            login[key] = answer[key]
    login.setdefault("app", app)
    await _finish_app_login(
        conn=apps,
        login=login,
        refused=errors.AuthenticationError(
            "The PBX refused the App login it handed out to your user."
        ),
    )
    info = answer.get("info")
    return str(info.get("cn", "")) if isinstance(info, dict) else ""

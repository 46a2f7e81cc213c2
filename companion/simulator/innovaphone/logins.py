"""The two logins of the innovaphone demo PBX, each with its real digests.

- App-object login on ``/PBX0/APPS/websocket``: AppChallenge, AppLogin (the App object's
  password, or a login that myApps handed out with AppGetLogin for a user).
- User login through myApps on ``/PBX0/APPCLIENT/130000/websocket``: Login, Authenticate,
  Login, LoginResult (type "user" with the user's password, or "session" with the session
  credentials a user login handed out), then AppGetLogin, SetOwnPresence, Logout.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from . import digests
from .state import AppObject, PbxObject, PbxState

# myApps LoginResult error codes, as PBXs send them
INVALID_PARAMETERS = 1
AUTHENTICATION_FAILED = 2
SESSION_EXPIRED = 5


@dataclass
class Options:
    """How this demo PBX answers where the documents can be read two ways (and its faults)."""

    variant: str = (
        "default"  # "reference": the SDK page's literal shapes (see docs/pbx-assumptions.md)
    )
    challenge_as_number: bool = False  # older PBXs send AppChallengeResult.challenge as a number
    fake_login_digest: bool = False  # a fake PBX: LoginResult carries a digest it cannot know


@dataclass
class Session:
    """A persistent myApps session: its credentials and its user."""

    username: str
    password: str
    user_cn: str


@dataclass
class Sessions:
    by_username: dict[str, Session] = field(default_factory=dict)

    def new(self, user: PbxObject) -> Session:
        session = Session(secrets.token_hex(16), secrets.token_hex(16), user.cn)
        self.by_username[session.username] = session
        return session


def _challenge() -> str:
    """16 digits, no leading zero (so that it survives being sent as a number)."""
    return str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(15))


@dataclass
class Identity:
    """Whom an App connection acts for: the App object itself, or a user through it."""

    app: AppObject
    user: PbxObject | None = None


class AppLoginFailed(Exception):
    """The App login was refused: answer, then close."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__("app login refused")
        self.answer = answer


class AppObjectLogin:
    """The login part of a ``/PBX0/APPS/websocket`` connection."""

    def __init__(self, state: PbxState, options: Options) -> None:
        self.state = state
        self.options = options
        self.challenge = ""
        self.identity: Identity | None = None

    def handle(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        """The answer to AppChallenge / AppLogin; None for other messages."""
        mt = msg.get("mt")
        if mt == "AppChallenge":
            self.challenge = _challenge()
            value: str | int = (
                int(self.challenge) if self.options.challenge_as_number else self.challenge
            )
            return {"mt": "AppChallengeResult", "challenge": value}
        if mt == "AppLogin":
            identity = self._check(msg)
            if identity is None:
                refused: dict[str, Any] = {"mt": "AppLoginResult"}
                if self.options.variant != "reference":
                    refused["ok"] = False
                raise AppLoginFailed(refused)
            self.identity = identity
            return {"mt": "AppLoginResult", "ok": True, "domain": self.state.domain}
        return None

    def _check(self, msg: dict[str, Any]) -> Identity | None:
        challenge, self.challenge = self.challenge, ""  # one login per challenge: no replays
        app = self.state.apps.get(str(msg.get("app", "")))
        if app is None or not challenge:
            return None
        texts = {k: msg.get(k, "") for k in ("domain", "sip", "guid", "dn")}
        if not all(isinstance(v, str) for v in texts.values()):
            return None
        expected = digests.app_login_digest(
            app=app.name,
            info=msg.get("info"),
            challenge=challenge,
            password=app.password,
            **texts,
        )
        if not secrets.compare_digest(expected, str(msg.get("digest", ""))):
            return None
        if not texts["sip"]:
            return Identity(app)
        user = self.state.find(h323=texts["sip"])
        if user is None or not user.may_use(app.name):
            return None
        return Identity(app, user)


class MyAppsLogin:
    """The login part of a ``/PBX0/APPCLIENT/130000/websocket`` connection."""

    def __init__(self, state: PbxState, sessions: Sessions, options: Options) -> None:
        self.state = state
        self.sessions = sessions
        self.options = options
        self.challenge = ""
        self.type = ""
        self.user: PbxObject | None = None

    def handle(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        mt = msg.get("mt")
        if mt != "Login":
            return None
        if "response" not in msg:  # the first Login: ask for the digest
            self.type = str(msg.get("type", ""))
            if self.type not in ("user", "session"):
                return _refused(INVALID_PARAMETERS, "Invalid parameters")
            self.challenge = _challenge()
            return {
                "mt": "Authenticate",
                "type": self.type,
                "method": "digest",
                "domain": self.state.domain,
                "challenge": self.challenge,
            }
        return self._second_login(msg)

    def _second_login(self, msg: dict[str, Any]) -> dict[str, Any]:
        challenge, self.challenge = self.challenge, ""  # one answer per challenge
        username, nonce = str(msg.get("username", "")), str(msg.get("nonce", ""))
        if (
            not challenge
            or msg.get("type") != self.type
            or msg.get("method") != "digest"
            or not nonce
        ):
            return _refused(INVALID_PARAMETERS, "Invalid parameters")
        user, password, session = self._credentials(username)
        if user is None:
            if self.type == "session":
                return _refused(SESSION_EXPIRED, "Session expired")
            return _refused(AUTHENTICATION_FAILED, "Authentication failed")
        expected = digests.app_client_response(
            type_=self.type,
            domain=self.state.domain,
            username=username,
            password=password,
            nonce=nonce,
            challenge=challenge,
        )
        if not secrets.compare_digest(expected, str(msg.get("response", ""))):
            if self.type == "session":
                return _refused(SESSION_EXPIRED, "Session expired")
            return _refused(AUTHENTICATION_FAILED, "Authentication failed")
        if session is None:  # a user login creates a persistent session
            new = self.sessions.new(user)
            session_info: dict[str, str] | None = {
                "usr": digests.session_secret("usr", nonce, password, new.username),
                "pwd": digests.session_secret("pwd", nonce, password, new.password),
            }
        else:
            session_info = None
        self.user = user
        info = self._info(user, session_info)
        digest = digests.login_result_digest(
            domain=self.state.domain,
            username=username,
            password="not the password" if self.options.fake_login_digest else password,
            nonce=nonce,
            challenge=challenge,
            info=info,
        )
        return {"mt": "LoginResult", "info": info, "digest": digest}

    def _credentials(self, username: str) -> tuple[PbxObject | None, str, Session | None]:
        if self.type == "session":
            session = self.sessions.by_username.get(username)
            if session is None:
                return None, "", None
            return self.state.find(cn=session.user_cn), session.password, session
        user = self.state.find(h323=username)
        if user is None or not user.is_user or not user.password:
            return None, "", None
        return user, user.password, None

    def _info(self, user: PbxObject, session: dict[str, str] | None) -> dict[str, Any]:
        about = {
            "domain": self.state.domain,
            "sip": user.h323,
            "guid": user.guid,
            "dn": user.dn,
            "num": user.e164,
            "email": f"{user.h323}@{self.state.domain}",
        }
        info: dict[str, Any] = (
            dict(about) if self.options.variant == "reference" else {"user": about}
        )
        if session is not None:
            info["session"] = session
        return info

    def logout(self) -> None:
        """Logout: the sessions of this user end (the SDK: 'delete all information')."""
        if self.user is not None:
            cn = self.user.cn
            for name in [n for n, s in self.sessions.by_username.items() if s.user_cn == cn]:
                del self.sessions.by_username[name]
        self.user = None

    def app_login(self, msg: dict[str, Any]) -> dict[str, Any]:
        """AppGetLogin: the AppLogin fields for an App object, for the logged-in user."""
        answer: dict[str, Any] = {"mt": "AppGetLoginResult"}
        if "src" in msg:
            answer["src"] = msg["src"]
        user = self.user
        app = self.state.apps.get(str(msg.get("app", "")))
        challenge = msg.get("challenge")
        if isinstance(challenge, int) and not isinstance(challenge, bool):
            challenge = str(challenge)
        if (
            user is None
            or app is None
            or not user.may_use(app.name)
            or not isinstance(challenge, str)
        ):
            answer.update(error=AUTHENTICATION_FAILED, errorText="No access to this App")
            return answer
        info = {
            "appobj": app.name,
            "appdn": app.title,
            "appurl": "",
            "cn": user.cn,
            "apps": [{"name": app.name}],
        }
        fields = {"domain": self.state.domain, "sip": user.h323, "guid": user.guid, "dn": user.dn}
        answer.update(fields)
        answer.update(
            pbxObj=app.name,
            app=app.name,
            info=info,
            digest=digests.app_login_digest(
                app=app.name, info=info, challenge=challenge, password=app.password, **fields
            ),
            salt=secrets.token_hex(8),
            key=secrets.token_hex(16),
        )
        return answer


def _refused(code: int, text: str) -> dict[str, Any]:
    return {"mt": "LoginResult", "error": code, "errorText": text}

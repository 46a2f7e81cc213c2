"""The innovaphone demo PBX driven by a raw WebSocket client (test code, not Companion's
client): each digest is computed here from the SDK's formulas."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from companion.simulator.innovaphone import InnovaphoneSimulator

USER, USER_CN, USER_PASSWORD = "mmuster", "Max Mustermann", "demo-pass"
APP, APP_PASSWORD = "companion", "companion-secret"
TIMEOUT = 5.0


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Wire:
    """One WebSocket connection: JSON in, JSON out, with every message kept."""

    def __init__(self, url: str) -> None:
        self.ws: ClientConnection = connect(url, open_timeout=TIMEOUT, legacy=True)
        self.seen: list[dict[str, Any]] = []
        self.backlog: list[dict[str, Any]] = []  # received, not yet taken by until()

    def send(self, **msg: Any) -> None:
        self.ws.send(json.dumps(msg))

    def recv(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        msg = json.loads(self.ws.recv(timeout))
        self.seen.append(msg)
        return msg

    def until(self, mt: str, timeout: float = TIMEOUT, **match: Any) -> dict[str, Any]:
        """The first message of type ``mt`` whose fields match; others wait in the backlog."""

        def fits(msg: dict[str, Any]) -> bool:
            return msg.get("mt") == mt and all(msg.get(k) == v for k, v in match.items())

        for i, msg in enumerate(self.backlog):
            if fits(msg):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout  # in all, however much else comes in
        while True:
            msg = self.recv(max(0.0, deadline - time.monotonic()))
            if fits(msg):
                return msg
            self.backlog.append(msg)

    def ask(self, mt: str, **msg: Any) -> dict[str, Any]:
        """Send a request with a fresh src and wait for its Result."""
        src = secrets.token_hex(4)
        self.send(mt=mt, src=src, **msg)
        return self.until(mt + "Result", src=src)

    def close(self) -> None:
        self.ws.close()


def app_login(
    sim: InnovaphoneSimulator, app: str = APP, password: str = APP_PASSWORD
) -> tuple[Wire, dict[str, Any]]:
    wire = Wire(sim.apps_url)
    wire.send(mt="AppChallenge")
    challenge = str(wire.until("AppChallengeResult")["challenge"])
    digest = sha(f"{app}:::::{challenge}:{password}")
    wire.send(mt="AppLogin", app=app, domain="", sip="", guid="", dn="", digest=digest)
    return wire, wire.until("AppLoginResult")


def user_login(
    sim: InnovaphoneSimulator,
    username: str = USER,
    password: str = USER_PASSWORD,
    type_: str = "user",
) -> tuple[Wire, dict[str, Any], dict[str, Any], str]:
    """myApps login; returns the connection, Authenticate, LoginResult and the nonce."""
    wire = Wire(sim.appclient_url)
    wire.send(mt="Login", type=type_, userAgent="tests")
    auth = wire.until("Authenticate")
    nonce = secrets.token_hex(8)
    response = sha(
        f"innovaphoneAppClient:{type_}:{auth['domain']}:{username}:{password}:{nonce}:{auth['challenge']}"
    )
    wire.send(
        mt="Login",
        type=type_,
        method="digest",
        username=username,
        nonce=nonce,
        response=response,
        userAgent="tests",
    )
    return wire, auth, wire.until("LoginResult"), nonce


def app_login_as_user(sim: InnovaphoneSimulator, myapps: Wire) -> tuple[Wire, dict[str, Any]]:
    """The recommended route: the App login that myApps hands out with AppGetLogin."""
    wire = Wire(sim.apps_url)
    wire.send(mt="AppChallenge")
    challenge = str(wire.until("AppChallengeResult")["challenge"])
    got = myapps.ask("AppGetLogin", app=APP, challenge=challenge)
    login = {k: got[k] for k in ("app", "domain", "sip", "guid", "dn", "digest", "info", "pbxObj")}
    wire.send(mt="AppLogin", **login)
    return wire, wire.until("AppLoginResult")


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    """A fresh demo PBX for each test (it starts in a few milliseconds)."""
    with InnovaphoneSimulator.start() as sim:
        yield sim


@pytest.fixture
def admin(inno: InnovaphoneSimulator) -> Iterator[Wire]:
    """An App connection logged in with the App object's password."""
    wire, result = app_login(inno)
    assert result["ok"] is True
    yield wire
    wire.close()

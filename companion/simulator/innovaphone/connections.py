"""One WebSocket connection of the innovaphone demo PBX: its outbox, and what it answers
on each path (``AppConnection``: App login, PbxAdminApi, RCC; ``MyAppsConnection``: the
myApps login, AppGetLogin, SetOwnPresence, Logout)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from . import pbxadmin
from .logins import AppLoginFailed, AppObjectLogin, MyAppsLogin
from .rcc import RccSession
from .state import PbxObject

if TYPE_CHECKING:
    from .server import InnovaphoneSimulator

_CLOSE = object()


class Link:
    """One WebSocket connection: an outbox, so that answers and pushed events keep their order."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.outbox: asyncio.Queue[Any] = asyncio.Queue()
        self.logged_in = False
        self.user_cn = ""  # myApps: whose connection this is, once logged in
        self.deferred: list[dict[str, Any]] | None = None
        self.muted = False  # fault: nothing more leaves on this connection

    def send(self, msg: dict[str, Any]) -> None:
        """Queue a message; while a request is handled, events wait for its Result."""
        if self.muted:
            return
        if self.deferred is not None:
            self.deferred.append(msg)
        else:
            self.outbox.put_nowait(msg)

    def send_now(self, msg: dict[str, Any]) -> None:
        if not self.muted:
            self.outbox.put_nowait(msg)

    def close(self) -> None:
        self.outbox.put_nowait(_CLOSE)

    async def write(self) -> None:
        while True:
            msg = await self.outbox.get()
            if msg is _CLOSE:
                await self.ws.close()
                return
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(json.dumps(msg, ensure_ascii=False))


def parse(raw: str | bytes) -> dict[str, Any] | None:
    try:
        msg = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return msg if isinstance(msg, dict) and isinstance(msg.get("mt"), str) else None


def reply(msg: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with the request's api and src (the AppWebsocket src mechanism)."""
    out = dict(answer)
    if "api" in msg:
        out = {"api": msg["api"], **out}
    if "src" in msg:
        out["src"] = msg["src"]
    return out


class AppConnection:
    """A ``/PBX0/APPS/websocket`` connection: App login, then PbxAdminApi and RCC."""

    def __init__(self, sim: InnovaphoneSimulator, link: Link) -> None:
        self.sim = sim
        self.link = link
        self.login = AppObjectLogin(sim.state, sim.options)
        self.rcc: RccSession | None = None

    def handle(self, msg: dict[str, Any]) -> bool:
        """Answer one message; False ends the connection."""
        if self.login.identity is None:
            try:
                answer = self.login.handle(msg)
            except AppLoginFailed as refused:
                self.link.send(reply(msg, refused.answer))
                return False  # a refused login: the PBX closes the connection
            if answer is not None:
                self.link.send(reply(msg, answer))
            if self.login.identity is not None:
                self.link.logged_in = True
                self.rcc = RccSession(
                    self.sim.calls, self.login.identity, self.link.send, self.link.send_now
                )
            return True  # before the login nothing else is answered
        identity = self.login.identity
        api, mt = msg.get("api"), msg["mt"]
        result: dict[str, Any] | None = None
        # the CallInfo a request causes follows its Result (so the call handle is known first)
        self.link.deferred = []
        try:
            if api == "PbxAdminApi" and api in identity.app.apis and mt in pbxadmin.HANDLERS:
                result = pbxadmin.HANDLERS[mt](self.sim.state, msg)
                if mt == "UpdateObject" and "presence" in msg and "error" not in result:
                    changed = self._updated(msg, result)
                    if changed is not None:  # the user's myApps hears of it, as SetOwnPresence
                        self.sim.tell_own_presence(changed)
            elif api == "RCC" and api in identity.app.apis and self.rcc is not None:
                result = self.rcc.handle(msg)
        finally:
            events, self.link.deferred = self.link.deferred, None
        if result is not None:
            self.link.send(reply(msg, result))
        for event in events:
            self.link.send(event)
        return True

    def _updated(self, msg: dict[str, Any], result: dict[str, Any]) -> PbxObject | None:
        guid = result.get("guid") or msg.get("guid")
        if isinstance(guid, str) and guid not in ("", "*", "?"):
            return self.sim.state.find(guid=guid)
        cn = msg.get("cn")
        return self.sim.state.find(cn=cn) if isinstance(cn, str) else None

    def close(self) -> None:
        if self.rcc is not None:
            self.rcc.close()


class MyAppsConnection:
    """A ``/PBX0/APPCLIENT/130000/websocket`` connection: the myApps login and what follows."""

    def __init__(self, sim: InnovaphoneSimulator, link: Link) -> None:
        self.sim = sim
        self.link = link
        self.login = MyAppsLogin(sim.state, sim.sessions, sim.options)

    def handle(self, msg: dict[str, Any]) -> bool:
        mt = msg["mt"]
        if self.login.user is None:
            answer = self.login.handle(msg)
            if answer is not None:
                self.link.send(answer)
            self.link.logged_in = self.login.user is not None
            self.link.user_cn = self.login.user.cn if self.login.user else ""
            return True
        user = self.login.user
        if mt == "AppGetLogin":
            self.link.send(self.login.app_login(msg))
        elif mt == "SetOwnPresence":
            self._set_own_presence(user, msg)
        elif mt == "Logout":
            self.login.logout()
            self.link.logged_in = False
            self.link.user_cn = ""
            self.link.send({"mt": "LogoutResult"})
        return True

    def _set_own_presence(self, user: PbxObject, msg: dict[str, Any]) -> None:
        activity, note = msg.get("activity", ""), msg.get("note", "")
        if activity not in ("", "away", "busy", "dnd") or not isinstance(note, str):
            return  # the SDK names the allowed activities; anything else changes nothing
        items = [p for p in user.presence if p.get("c") != "tel:"]
        user.presence = [{"c": "tel:", "a": activity, "n": note}, *items]
        self.sim.tell_own_presence(user)

    def close(self) -> None:
        pass

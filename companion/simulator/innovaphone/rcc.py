"""The RCC messages of one App connection (the SDK's RCC.htm): Initialize, UserInitialize,
UserEnd and the User... call controls; CallInfo comes from `calls.Calls`.

Who may be monitored: the users that have access to the App object (the SDK's "users by
explicit configuration"); a user who came in through myApps (AppGetLogin) only themself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .calls import CallError, Calls, Monitor
from .logins import Identity
from .state import PbxObject

Send = Callable[[dict[str, Any]], None]


def _user_info(obj: PbxObject, pbx: str) -> dict[str, Any]:
    return {
        "api": "RCC",
        "mt": "UserInfo",
        "guid": obj.guid,
        "cn": obj.cn,
        "dn": obj.dn,
        "h323": obj.h323,
        "e164": obj.e164,
        "node": obj.node,
        "pbx": pbx,
        "regs": [{"hw": f"demo-phone-{obj.h323}"}],
    }


def _target(msg: dict[str, Any]) -> dict[str, str]:
    return {k: msg[k] for k in ("e164", "cn", "h323") if isinstance(msg.get(k), str) and msg[k]}


class RccSession:
    def __init__(self, calls: Calls, identity: Identity, send: Send, send_now: Send) -> None:
        self.calls = calls
        self.identity = identity
        self.send = send  # CallInfo: after the Result of the request that caused it
        self.send_now = send_now  # UserInfo: before InitializeResult, as the SDK says
        self.handles: dict[int, str] = {}  # user handle -> cn
        self._ids = itertools.count(1)

    def visible(self) -> list[PbxObject]:
        if self.identity.user is not None:
            return [self.identity.user]
        name = self.identity.app.name
        return [o for o in self.calls.state.objects if o.is_user and o.may_use(name)]

    def close(self) -> None:
        """The connection is gone: its monitors end with it."""
        self.calls.monitors = [m for m in self.calls.monitors if m.send is not self.send]

    def handle(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        """The ...Result for one RCC request (None: not an RCC request this PBX knows)."""
        mt = msg.get("mt")
        handler = getattr(self, f"_{mt}", None) if isinstance(mt, str) else None
        if handler is None:
            return None
        answer: dict[str, Any] = {"mt": f"{mt}Result"}
        try:
            answer.update(handler(msg))
        except CallError as exc:
            answer["error"] = str(exc)
        return answer

    def _user(self, msg: dict[str, Any]) -> PbxObject:
        cn = self.handles.get(msg.get("user"))  # type: ignore[arg-type]
        user = self.calls.state.find(cn=cn) if cn else None
        if user is None:
            raise CallError("no such user handle")
        return user

    def _own_leg(self, call: Any) -> Any:
        leg = self.calls.leg(call)
        if leg.cn not in self.handles.values():
            raise CallError("no such call")
        return leg

    # -------------------------------------------------------------- monitoring

    def _Initialize(self, msg: dict[str, Any]) -> dict[str, Any]:
        for obj in self.visible():
            info = _user_info(obj, self.calls.state.pbx)
            if "src" in msg:
                info["src"] = msg["src"]
            self.send_now(info)
        return {}

    def _UserInitialize(self, msg: dict[str, Any]) -> dict[str, Any]:
        cn = msg.get("cn")
        user = next((o for o in self.visible() if o.cn == cn), None)
        if user is None:
            raise CallError("this user cannot be monitored here")
        handle = next(self._ids)
        self.handles[handle] = user.cn
        self.calls.monitors.append(Monitor(self.send, handle, user.cn, msg.get("src")))
        return {"user": handle, **self.calls.state.prefixes}  # the user's node's prefixes

    def _Devices(self, msg: dict[str, Any]) -> dict[str, Any]:
        user = next((o for o in self.visible() if o.cn == msg.get("cn")), None)
        if user is None:
            raise CallError("no such user")
        return {"devices": [{"hw": f"demo-phone-{user.h323}", "text": "Desk phone"}]}

    def _UserEnd(self, msg: dict[str, Any]) -> dict[str, Any]:
        handle = msg.get("user")
        if handle not in self.handles:
            raise CallError("no such user handle")
        del self.handles[handle]
        self.calls.monitors = [
            m for m in self.calls.monitors if not (m.send is self.send and m.user == handle)
        ]
        return {}

    # -------------------------------------------------------------- call control

    def _UserCall(self, msg: dict[str, Any]) -> dict[str, Any]:
        user = self._user(msg)
        target = _target(msg)
        if not target:
            raise CallError("UserCall needs an e164, cn or h323")
        return {"call": self.calls.dial(user, target).id}

    def _UserClear(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.calls.clear(self._own_leg(msg.get("call")))
        return {}

    def _UserConnect(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.calls.connect(self._own_leg(msg.get("call")))
        return {}

    def _UserHold(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.calls.hold(self._own_leg(msg.get("call")))
        return {}

    def _UserRetrieve(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.calls.retrieve(self._own_leg(msg.get("call")))
        return {}

    def _UserTransfer(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.calls.transfer(self._own_leg(msg.get("a")), self._own_leg(msg.get("b")))
        return {}

    def _UserRedirect(self, msg: dict[str, Any]) -> dict[str, Any]:
        target = _target(msg)
        if not target:
            raise CallError("UserRedirect needs an e164, cn or h323")
        self.calls.redirect(self._own_leg(msg.get("call")), target)
        return {}

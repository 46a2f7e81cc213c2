"""Calls of the innovaphone demo PBX: legs that ring, connect, hold, transfer and clear,
each change told to the RCC monitors of the leg's user as a ``CallInfo``.

A leg belongs to one PBX user; a call between two users has a leg for each (``partner``).
States are the PBX SOAP API's bit field, which RCC shares: the low nibble is the phase, 0x80
a call from the PBX to the user's phone (an incoming call), 0x100 on hold, 0x200 held by the
peer. ``msg`` names the signalling message, seen from the PBX: "x-" sent to the user's
phone, "r-" received from it.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .state import PbxObject, PbxState

SETUP, ALERT, CONNECT = 1, 4, 5
PHASE = 0x0F
TO_PHONE = 0x80  # the PBX calls the phone: an incoming call for the user
ON_HOLD = 0x100
HELD_BY_PEER = 0x200

DEFAULT_ANSWER_S = 0.0  # a dialled far end that is no demo user answers this long after alerting


@dataclass
class Leg:
    id: int
    cn: str  # the PBX user this leg belongs to
    peer: dict[str, str]  # the connector of the other end
    conf: str
    state: int
    partner: Leg | None = None
    others: list[dict[str, str]] = field(default_factory=list)  # RCC "no" entries beyond the peer
    timer: asyncio.TimerHandle | None = None

    @property
    def phase(self) -> int:
        return self.state & PHASE


@dataclass
class Monitor:
    """One UserInitialize: where the CallInfo of a user's legs go."""

    send: Callable[[dict[str, Any]], None]
    user: int  # the handle UserInitializeResult gave out
    cn: str
    src: Any


def connector(obj: PbxObject) -> dict[str, str]:
    return {"cn": obj.cn, "dn": obj.dn, "h323": obj.h323, "e164": obj.e164}


class CallError(Exception):
    """A call request the PBX refuses; the text goes into the result's ``error``."""


class Calls:
    """All legs of the PBX, and the monitors that hear of them."""

    def __init__(self, state: PbxState, loop: asyncio.AbstractEventLoop) -> None:
        self.state = state
        self.loop = loop
        self.legs: dict[int, Leg] = {}
        self.monitors: list[Monitor] = []
        self.answer_s: float | None = DEFAULT_ANSWER_S  # None: far ends never answer
        self._ids = itertools.count(1)

    # ------------------------------------------------------------ telling monitors

    def _tell(self, leg: Leg, msg: str) -> None:
        for monitor in [m for m in self.monitors if m.cn == leg.cn]:
            event: dict[str, Any] = {
                "api": "RCC",
                "mt": "CallInfo",
                "user": monitor.user,
                "call": leg.id,
                "conf": leg.conf,
                "state": leg.state,
                "msg": msg,
                "peer": dict(leg.peer),
                "no": [{"type": "peer", **leg.peer}, *[dict(o) for o in leg.others]],
            }
            if msg == "del":
                event["active"] = False
            if monitor.src is not None:
                event["src"] = monitor.src
            monitor.send(event)

    def _new_leg(self, cn: str, peer: dict[str, str], conf: str, state: int) -> Leg:
        leg = Leg(next(self._ids), cn, peer, conf, state)
        self.legs[leg.id] = leg
        return leg

    def _end(self, leg: Leg) -> None:
        if self.legs.pop(leg.id, None) is None:
            return
        if leg.timer is not None:
            leg.timer.cancel()
        self._tell(leg, "del")

    def leg(self, call: Any, cn: str | None = None) -> Leg:
        leg = self.legs.get(call) if isinstance(call, int) and not isinstance(call, bool) else None
        if leg is None or (cn is not None and leg.cn != cn):
            raise CallError("no such call")
        return leg

    # ------------------------------------------------------------ calls begin

    def dial(self, user: PbxObject, target: dict[str, str]) -> Leg:
        """UserCall: the user's phone calls ``target`` (e164, cn or h323)."""
        callee = self.state.find(cn=target.get("cn", ""), h323=target.get("h323", ""))
        if callee is None and target.get("e164"):
            callee = self.state.find_number(target["e164"])
        if callee is None and not target.get("e164"):
            raise CallError("no such destination")
        if callee is not None and callee.cn == user.cn:
            raise CallError("a user cannot call itself")
        conf = uuid.uuid4().hex
        peer = connector(callee) if callee is not None else {"e164": target["e164"]}
        leg = self._new_leg(user.cn, peer, conf, SETUP)
        self._tell(leg, "r-setup")
        if callee is not None and callee.is_user:
            far = self._new_leg(callee.cn, connector(user), conf, TO_PHONE | SETUP)
            leg.partner, far.partner = far, leg
            self._tell(far, "x-setup")
            far.state = TO_PHONE | ALERT
            self._tell(far, "r-alert")
        leg.state = ALERT
        self._tell(leg, "x-alert")
        if self.answer_s is not None:
            leg.timer = self.loop.call_later(self.answer_s, self._far_end_answers, leg.id)
        return leg

    def _far_end_answers(self, leg_id: int) -> None:
        leg = self.legs.get(leg_id)
        if leg is None or leg.phase != ALERT:
            return
        leg.timer = None
        if leg.partner is not None:
            if leg.partner.state == TO_PHONE | ALERT:  # still ringing there
                self.connect(leg.partner)
        else:
            leg.state = CONNECT
            self._tell(leg, "x-conn")

    def incoming(self, user: PbxObject, from_number: str, name: str = "") -> Leg:
        """Someone calls ``user`` from outside: the phone rings."""
        peer = {"e164": from_number, "dn": name} if name else {"e164": from_number}
        leg = self._new_leg(user.cn, peer, uuid.uuid4().hex, TO_PHONE | SETUP)
        self._tell(leg, "x-setup")
        leg.state = TO_PHONE | ALERT
        self._tell(leg, "r-alert")
        return leg

    # ------------------------------------------------------------ calls change

    def connect(self, leg: Leg) -> None:
        """UserConnect (or the user answers at the phone): a ringing incoming leg connects."""
        if leg.state != TO_PHONE | ALERT:
            raise CallError("the call is not ringing")
        leg.state = TO_PHONE | CONNECT
        self._tell(leg, "r-conn")
        partner = leg.partner
        if partner is not None and partner.phase == ALERT:
            if partner.timer is not None:
                partner.timer.cancel()
                partner.timer = None
            partner.state = CONNECT
            self._tell(partner, "x-conn")

    def clear(self, leg: Leg) -> None:
        """UserClear, or either end hangs up: the call ends for both legs."""
        partner = leg.partner
        self._end(leg)
        if partner is not None:
            self._end(partner)

    def hold(self, leg: Leg) -> None:
        if leg.phase != CONNECT:
            raise CallError("only a connected call can be held")
        if leg.state & ON_HOLD:
            return
        leg.state |= ON_HOLD
        self._tell(leg, "r-hold")
        if leg.partner is not None:
            leg.partner.state |= HELD_BY_PEER
            self._tell(leg.partner, "x-hold")

    def retrieve(self, leg: Leg) -> None:
        if not leg.state & ON_HOLD:
            raise CallError("the call is not on hold")
        leg.state &= ~ON_HOLD
        self._tell(leg, "r-retrieve")
        if leg.partner is not None:
            leg.partner.state &= ~HELD_BY_PEER
            self._tell(leg.partner, "x-retrieve")

    def transfer(self, a: Leg, b: Leg) -> None:
        """UserTransfer: the user's two calls are joined; the user drops out of both."""
        if a.cn != b.cn or a.id == b.id:
            raise CallError("transfer needs two calls of the same user")
        if a.phase != CONNECT or b.phase not in (ALERT, CONNECT):
            raise CallError("transfer needs a connected call and a second call")
        user = self.state.find(cn=a.cn)
        ct = {"type": "ct", **(connector(user) if user else {"cn": a.cn})}
        far_a, far_b = a.partner, b.partner
        a.partner = b.partner = None
        self._end(a)
        self._end(b)
        for far, new_peer, other in ((far_a, b.peer, far_b), (far_b, a.peer, far_a)):
            if far is None:
                continue
            far.peer, far.partner, far.others = dict(new_peer), other, [ct]
            far.state &= ~HELD_BY_PEER
            self._tell(far, "x-info")

    def redirect(self, leg: Leg, target: dict[str, str]) -> None:
        """UserRedirect: a ringing incoming call goes elsewhere; it ends here."""
        if leg.state != TO_PHONE | ALERT:
            raise CallError("only a ringing call can be redirected")
        callee = self.state.find(cn=target.get("cn", ""), h323=target.get("h323", ""))
        if callee is None and target.get("e164"):
            callee = self.state.find_number(target["e164"])
        if callee is None and not target.get("e164"):
            raise CallError("no such destination")
        partner, leg.partner = leg.partner, None
        self._end(leg)
        if callee is not None and callee.is_user:
            moved = self._new_leg(callee.cn, dict(leg.peer), leg.conf, TO_PHONE | SETUP)
            moved.partner = partner
            if partner is not None:
                partner.partner = moved
            self._tell(moved, "x-setup")
            moved.state = TO_PHONE | ALERT
            self._tell(moved, "r-alert")
        elif partner is not None:  # to a number outside: the caller's leg goes on ringing there
            partner.partner = None
            partner.peer = {"e164": target["e164"]}
            self._tell(partner, "x-info")

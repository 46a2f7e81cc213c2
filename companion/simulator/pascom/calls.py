"""Calls in the demo PBX: they ring, are answered, held, transferred and end, by the clock.

Time moves lazily: every request first runs :meth:`Calls.advance`, which replays what
happened since the last request (a far end answering, a ring time running out, a caller
hanging up) at the moment it happened, so the figures are exact and nothing busy-loops.
Every method is called with the state's lock held, like the rest of :class:`PbxState`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .history import LIVE_PARTY_FIELDS, _iso_time, copy_parties
from .records import JSON, PbxError
from .state import PbxState

RINGING = "ringing"
BUSY = "busy"  # connected: the reference's word
HOLD = "hold"

DEFAULT_RING_S = 20.0  # an incoming call rings this long, then goes to voicemail
DEFAULT_MESSAGE_S = 4.0  # a caller on the voicemail speaks this long, then hangs up
TRANSFERRED_TALK_S = 120.0  # after a transfer the two others talk this long


@dataclass
class Party:
    """One side of a call: a demo user (login) or a number from outside."""

    user: str | None = None
    device: str | None = None
    number: str = ""
    name: str = ""
    prefix: str = ""
    system: bool = False  # the PBX itself (the voicemail): internal, but nobody's

    def raw(self, side: str) -> JSON:
        return {
            f"{side}UserName": self.user or "",
            f"{side}DeviceName": self.device or "",
            f"{side}Number": self.number,
            f"{side}Name": self.name,
            f"{side}Prefix": self.prefix,
        }


@dataclass
class Call:
    id: int
    src: Party
    dst: Party
    started: float  # on the Calls clock
    wall: float  # time.time() at the start, for timestamps
    answer_s: float | None = None  # the far end answers after this long
    ring_s: float | None = None  # unanswered after this long (None: rings on)
    talk_s: float | None = None  # the remote party hangs up after this long connected
    message_s: float = DEFAULT_MESSAGE_S  # seconds a caller speaks on the voicemail
    via: str = ""
    via_details: str = ""
    data: JSON = field(default_factory=dict)
    parent_id: int | str = ""
    answered: float | None = None
    held_since: float | None = None
    hold_count: int = 0
    hold_s: float = 0.0
    mailbox: str | None = None  # set on a caller's voicemail leg: where the message goes
    recording: bool = False  # the user's side is being recorded (identity/{user}/action)
    fax_pages: int = 0  # a fax transmission to a fax device: the fax it leaves at its end

    @property
    def state(self) -> str:
        if self.answered is None:
            return RINGING
        return HOLD if self.held_since is not None else BUSY

    def has(self, user: str) -> bool:
        return user in (self.src.user, self.dst.user)

    def side_of(self, user: str) -> str:
        return "src" if self.src.user == user else "dst"

    def other(self, user: str) -> Party:
        return self.dst if self.src.user == user else self.src

    def held_for(self, now: float) -> float:
        return self.hold_s + (now - self.held_since if self.held_since is not None else 0.0)

    def next_event(self) -> tuple[float, str] | None:
        """When this call changes by itself next, and how."""
        if self.mailbox is not None:
            return (self.started + self.message_s, "message")
        if self.answered is None:
            events = []
            if self.answer_s is not None:
                events.append((self.started + self.answer_s, "answer"))
            if self.ring_s is not None:
                events.append((self.started + self.ring_s, "noanswer"))
            return min(events) if events else None
        if self.talk_s is not None:
            return (self.answered + self.talk_s, "remote hangup")
        return None


class Calls:
    """All active calls of the PBX, and what ends them in the call history."""

    def __init__(self, state: PbxState, clock: Callable[[], float] = time.monotonic) -> None:
        self.state = state
        self.active: dict[int, Call] = {}
        self.dial_ring_s = 0.0  # how long a dialled far end rings before it answers
        self._clock = clock
        self._skipped = 0.0

    # ------------------------------------------------------------------ time

    def now(self) -> float:
        return self._clock() + self._skipped

    def skip(self, seconds: float) -> None:
        """Let ``seconds`` pass at once (tests and benchmarks), then catch up."""
        self._skipped += seconds
        self.advance()

    def advance(self) -> None:
        """Replay every change due by now, earliest first, at the time it was due."""
        now = self.now()
        while True:
            due = [(e, c) for c in self.active.values() if (e := c.next_event()) is not None]
            due = [(e, c) for e, c in due if e[0] <= now]
            if not due:
                return
            (at, what), call = min(due, key=lambda ec: (ec[0][0], ec[1].id))
            if what == "answer":
                self._answer(call, at)
            elif what == "noanswer":
                self._no_answer(call, at, declined=False)
            elif what == "remote hangup":
                self._end(call, at, "hangup", "src")
                if call.fax_pages:
                    self.state.receive_fax(call.dst.number, call.src.number, call.fax_pages)
            else:  # the caller on the voicemail hangs up: the message is there
                self._end(call, at, "hangup", "src")
                self._leave_message(call, at)

    # ------------------------------------------------------------------ parties

    def party(self, who: str, *, name: str = "", prefix: str = "") -> Party:
        """A demo user by login or extension, or else a number from outside."""
        who = who.strip()
        s = self.state
        u = s.users.get(who) or s._user_by_extension(who)
        if u is None:
            return Party(number=who, name=name, prefix=prefix)
        device = u.default_device or next(iter(u.devices), None)
        return Party(user=u.name, device=device, number=u.extension or "", name=name)

    # ------------------------------------------------------------------ starting calls

    def _start(self, src: Party, dst: Party, **kwargs: Any) -> Call:
        now = self.now()
        call = Call(
            id=self.state._phonecall_ids.claim(),
            src=src,
            dst=dst,
            started=now,
            wall=time.time(),
            **kwargs,
        )
        self.active[call.id] = call
        self._update_hints(call)
        self.advance()  # a ring time of 0 answers at once
        return call

    def ring(
        self,
        from_: str,
        to: str,
        *,
        ring_s: float | None = DEFAULT_RING_S,
        answer: float | None = None,
        via: str | None = None,
        name: str = "",
        talk_s: float | None = None,
        message_s: float = DEFAULT_MESSAGE_S,
    ) -> int:
        """Someone calls a demo user; returns the phonecall id.

        ``answer``: the user answers on the phone after that many seconds (None: not by
        itself). ``via``: ``"queue <name>"`` for a call through a queue, or another of the
        reference's via values (``transfer``, ``noanswer``...).
        """
        callee = self.party(to)
        if callee.user is None:
            raise PbxError(404, f"no user with login or extension {to!r}")
        caller = self.party(from_, name=name)
        if not caller.number and caller.user is None:
            raise PbxError(400, "'from' needs a number or a login")
        for label, value in (("ring_s", ring_s), ("answer", answer), ("talk_s", talk_s)):
            if value is not None and value < 0:
                raise PbxError(400, f"{label} must not be negative")
        via_name, via_data = self._via(via)
        call = self._start(
            caller,
            callee,
            answer_s=answer,
            ring_s=ring_s,
            talk_s=talk_s,
            message_s=max(0.0, message_s),
            via=via_name,
            via_details="caller" if via_name else "",
            data=via_data,
        )
        return call.id

    def _via(self, via: str | None) -> tuple[str, JSON]:
        if not via:
            return "", {}
        kind, _, rest = via.strip().partition(" ")
        if kind != "queue":
            return kind, {}
        q = self.state.queues.get(rest.strip())
        if q is None:
            raise PbxError(404, f"no queue {rest.strip()!r}")
        return "queue", {
            "queue": {
                "queueId": q.id,
                "queueName": q.bez,
                "queueExtension": q.extension,
                "joinPosition": 1,
                "ringedAgents": 1,
            }
        }

    # ------------------------------------------------------------------ device actions

    def device_action(
        self, user: str, device: str, action: str, destination: str, prefix: str
    ) -> None:
        """What a device action does to the user's calls (accepted even without a call)."""
        mine = [c for c in self.active.values() if c.has(user)]
        talking = [c for c in mine if c.state == BUSY]
        ringing_in = [c for c in mine if c.state == RINGING and c.dst.user == user]
        held = sorted((c for c in mine if c.state == HOLD), key=lambda c: c.held_since or 0)
        now = self.now()
        if action == "dial":
            for c in talking:  # a phone talks on one line: the first call waits on hold
                self._hold(c, now)
            dst = self.party(destination, prefix="" if prefix == "auto" else prefix)
            me = self.party(user)
            me.device = device
            self._start(me, dst, answer_s=self.dial_ring_s)
        elif action in ("pickup", "offhook"):
            if ringing_in:
                for c in talking:
                    self._hold(c, now)
                call = ringing_in[0]  # the one ringing longest
                call.dst.device = device
                self._answer(call, now)
            elif held and not talking:
                self._resume(held[-1], now)
        elif action == "hangup":
            if talking:
                self._end(talking[0], now, "hangup", talking[0].side_of(user))
            elif ringing_in:
                self._no_answer(ringing_in[0], now, declined=True)
            elif mine:
                call = min(mine, key=lambda c: c.started)
                self._end(call, now, "hangup", call.side_of(user))
        elif action == "hold":
            if talking:
                self._hold(talking[0], now)
            elif held:
                self._resume(held[-1], now)
        elif action == "transfer":
            candidates = talking or ringing_in or held
            if candidates:
                self._transfer(candidates[0], user, destination, prefix, now)
        # conference and dtmf change nothing the REST API shows

    def active_call_of(self, user: str, device: str | None) -> Call | None:
        """The user's call a recording applies to: connected first, on `device` if given."""
        self.advance()
        mine = [
            c
            for c in self.active.values()
            if c.has(user)
            and c.answered is not None
            and (device is None or (c.src if c.side_of(user) == "src" else c.dst).device == device)
        ]
        mine.sort(key=lambda c: (c.state != BUSY, c.started))
        return mine[0] if mine else None

    def _hold(self, call: Call, now: float) -> None:
        call.held_since = now
        call.hold_count += 1
        self._update_hints(call)

    def _resume(self, call: Call, now: float) -> None:
        call.hold_s = call.held_for(now)
        call.held_since = None
        self._update_hints(call)

    def _answer(self, call: Call, at: float) -> None:
        call.answered = at
        self._update_hints(call)

    def _transfer(self, call: Call, user: str, destination: str, prefix: str, now: float) -> None:
        remote = call.other(user)
        record = self._end(call, now, "transfer", call.side_of(user))
        dst = self.party(destination, prefix="" if prefix == "auto" else prefix)
        self._start(
            remote,
            dst,
            answer_s=self.dial_ring_s,
            talk_s=call.talk_s if call.talk_s is not None else TRANSFERRED_TALK_S,
            via="transfer",
            via_details="action",
            parent_id=record["id"],
        )

    def fax(
        self, from_number: str, extension: str, *, pages: int = 1, seconds: float = 3.0
    ) -> Call:
        """A fax machine calls a fax device's extension; the fax is there when it hangs up."""
        owner, device = self.state._fax_device(extension)
        if owner is None or device is None:
            raise PbxError(404, f"no fax device with extension {extension!r}")
        src = Party(number=from_number.strip())
        dst = Party(device=device.name, number=extension, name=device.name)
        call = self._start(src, dst, answer_s=0.0, talk_s=max(0.1, seconds))
        call.fax_pages = max(1, pages)
        call.via, call.via_details = "fax", "dst"
        self.advance()
        return call

    # ------------------------------------------------------------------ the control endpoint

    def get(self, call_id: int) -> Call:
        call = self.active.get(call_id)
        if call is None:
            raise PbxError(404, f"no active call {call_id}")
        return call

    def answer_on_phone(self, call_id: int) -> None:
        call = self.get(call_id)
        if call.state != RINGING or call.mailbox is not None:
            raise PbxError(409, f"call {call_id} is not ringing")
        self._answer(call, self.now())

    def hang_up_caller(self, call_id: int) -> None:
        """The caller (src) hangs up: while ringing, on the voicemail, or talking."""
        call = self.get(call_id)
        now = self.now()
        if call.mailbox is not None:
            self._end(call, now, "hangup", "src")
            self._leave_message(call, now)
        elif call.state == RINGING:
            self._end(call, now, "noanswer", "abondon")  # the reference's spelling
        else:
            side = "src" if call.src.user is None or call.dst.user is not None else "dst"
            self._end(call, now, "hangup", side)

    # ------------------------------------------------------------------ ending calls

    def _no_answer(self, call: Call, at: float, *, declined: bool) -> None:
        """Not answered (or declined): the caller goes on to the voicemail if there is one."""
        u = self.state.users.get(call.dst.user or "")
        mailbox = u.mailbox if u is not None and u.mailbox in self.state.mailboxes else None
        if declined:
            record = self._end(call, at, "hangup", "dst")
        else:
            record = self._end(call, at, "noanswer", "voicemail" if mailbox else "timeout")
        if mailbox is None:
            return
        leg = Call(
            id=self.state._phonecall_ids.claim(),
            src=call.src,
            dst=Party(number=f"*{mailbox}", name="Voicemail", system=True),
            started=at,
            wall=call.wall + (at - call.started),
            answered=at,
            message_s=call.message_s,
            via="noanswer",
            via_details="dst",
            parent_id=record["id"],
            mailbox=mailbox,
        )
        self.active[leg.id] = leg
        self._update_hints(leg)

    def _leave_message(self, leg: Call, at: float) -> None:
        assert leg.mailbox is not None
        caller = leg.src
        number = caller.number
        name = caller.name
        if caller.user is not None:
            u = self.state.users[caller.user]
            name = name or u.bez
        seconds = max(1.0, at - leg.started)
        when = int(leg.wall + (at - leg.started))
        self.state.leave_voicemail(leg.mailbox, name, number, seconds, when)

    def _end(self, call: Call, at: float, result: str, details: str) -> JSON:
        """Remove the call and write its call record (the cdr/ format)."""
        self.active.pop(call.id, None)
        if call.held_since is not None:
            self._resume(call, at)
        raw: JSON = {
            "timestamp": int(call.wall * 1000),
            "phonecallId": call.id,
            "result": result,
            "resultDetails": details,
            "via": call.via,
            "viaDetails": call.via_details,
            "duration": int(at - call.started),
            "connected": int(at - call.answered) if call.answered is not None else 0,
            "holdCount": call.hold_count,
            "holdDuration": int(call.hold_s),
            **call.src.raw("src"),
            **call.dst.raw("dst"),
        }
        record = self.state.add_cdr(raw)
        record["parentId"] = call.parent_id
        record["data"] = dict(call.data)
        self._system_sides(record, call)
        self._update_hints(call)
        return record

    # ------------------------------------------------------------------ answers

    def live_json(self, call: Call) -> JSON:
        now = self.now()
        s = self.state
        raw = {**call.src.raw("src"), **call.dst.raw("dst")}
        answered = call.answered
        state = call.state
        out: JSON = {
            "phonecallId": call.id,
            "timestamp": int(call.wall * 1000),
            "time": _iso_time(int(call.wall * 1000)),
            "parentId": call.parent_id,
            "via": call.via,
            "viaDetails": call.via_details,
            "duration": int(now - call.started),
            "connected": int(now - answered) if answered is not None else 0,
            "ringing": int((answered if answered is not None else now) - call.started),
            "holdCount": call.hold_count,
            "holdDuration": int(call.held_for(now)),
            # the reference's example spells BUSY, its table "ringing, busy, hold, hangup"
            "state": state.upper() if s.variant == "reference" else state,
        }
        copy_parties(out, s._party("src", raw), s._party("dst", raw), LIVE_PARTY_FIELDS)
        self._system_sides(out, call)
        out["data"] = {"voicemail": [], **call.data}
        return out

    def live(self) -> list[JSON]:
        return [self.live_json(c) for c in sorted(self.active.values(), key=lambda c: c.id)]

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _system_sides(record: JSON, call: Call) -> None:
        for side, party in (("src", call.src), ("dst", call.dst)):
            if party.system:
                record[f"{side}Internal"] = True

    def _update_hints(self, call: Call) -> None:
        for login in {call.src.user, call.dst.user} - {None}:
            u = self.state.users.get(login or "")
            if u is not None:
                u.hint = self._hint(u.name, u.base_hint)

    def _hint(self, user: str, base: str) -> str:
        mine = [c for c in self.active.values() if c.has(user)]
        if any(c.state == BUSY for c in mine):
            return "InUse"
        if any(c.state == RINGING and c.dst.user == user for c in mine):
            return "Ringing"
        if any(c.state == HOLD for c in mine):
            return "OnHold"
        return "InUse" if mine else base  # dialling out: the far end rings

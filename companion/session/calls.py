"""Following the user's live calls: successive snapshots in, call events out.

The PBX is asked for the user's live calls again and again (pascom: `cdr/live`); the
tracker compares each answer with the one before and says what happened in between, in
the user's words: a call started or rings, was answered, held, resumed, transferred,
ended, or rang for the user and ended unanswered (missed). No Qt, no I/O: the session's
poller feeds it, and every face (tray, pop-up, `companion calls --watch`, the relay)
listens to the events.

A poll sees a moment, not the whole call: a call that rang and ended between two polls is
never seen (history shows it later), and a call answered between two polls is first seen
connected, so it counts as answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from companion.pbx.models import Call, CallState

# `via` values that mean the PBX, not the user, took an unanswered call (to voicemail).
UNANSWERED_VIA = frozenset({"noanswer", "voicemail", "busy"})


class CallEventKind(StrEnum):
    RINGING = "ringing"  # an incoming call rings for the user
    STARTED = "started"  # any other new call: an outgoing one, or one first seen connected
    ANSWERED = "answered"
    HELD = "held"
    RESUMED = "resumed"
    TRANSFERRED = "transferred"
    ENDED = "ended"
    MISSED = "missed"  # an incoming call ended without the user answering (after ENDED)
    FAX = "fax"  # a fax machine's call to the user's fax extension ended: a fax may be there


@dataclass(frozen=True)
class CallEvent:
    kind: CallEventKind
    call: Call  # the call as last seen (for ENDED and MISSED: before it went away)
    to_voicemail: bool = False  # MISSED: the PBX took it to voicemail, so look there now


@dataclass
class _Followed:
    call: Call
    answered: bool  # by the user, at some point
    rang: bool  # it rang for the user (incoming, seen ringing or unanswered)


def _answered_by_user(call: Call) -> bool:
    return call.state in (CallState.CONNECTED, CallState.ON_HOLD) and (
        call.via not in UNANSWERED_VIA
    )


class CallTracker:
    """Keeps the user's calls between polls and turns each new snapshot into events."""

    def __init__(self) -> None:
        self._calls: dict[str, _Followed] = {}
        self._faxes: dict[str, Call] = {}  # fax transmissions to the user's fax extension

    @property
    def calls(self) -> list[Call]:
        """The user's live calls as last seen, oldest first."""
        return [f.call for f in self._calls.values()]

    def update(self, snapshot: list[Call]) -> list[CallEvent]:
        """Take the calls the PBX lists now; return what changed, in a sensible order."""
        events = self._fax_ended(snapshot)
        snapshot = [c for c in snapshot if not c.fax]
        current = {c.id: c for c in snapshot if c.state is not CallState.ENDED}
        for call_id, followed in list(self._calls.items()):
            if call_id not in current:
                ended = next((c for c in snapshot if c.id == call_id), followed.call)
                events.extend(self._ended(followed, ended))
                del self._calls[call_id]
        for call in current.values():
            known = self._calls.get(call.id)
            if known is None:
                events.append(self._new(call))
            else:
                events.extend(self._changed(known, call))
        return events

    def _fax_ended(self, snapshot: list[Call]) -> list[CallEvent]:
        """Follow fax transmissions apart: they ring for nobody, their end means a fax."""
        faxes = {c.id: c for c in snapshot if c.fax and c.state is not CallState.ENDED}
        ended = [CallEvent(CallEventKind.FAX, c) for i, c in self._faxes.items() if i not in faxes]
        self._faxes = faxes
        return ended

    def clear(self) -> list[CallEvent]:
        """Forget every call (e.g. the PBX or user changed): each one ends, none is missed."""
        events = [CallEvent(CallEventKind.ENDED, f.call) for f in self._calls.values()]
        self._calls.clear()
        self._faxes.clear()
        return events

    def _new(self, call: Call) -> CallEvent:
        answered = _answered_by_user(call)
        rang = call.incoming and not answered
        self._calls[call.id] = _Followed(call, answered, rang)
        if call.incoming and call.state is CallState.RINGING:
            return CallEvent(CallEventKind.RINGING, call)
        return CallEvent(CallEventKind.STARTED, call)

    def _changed(self, followed: _Followed, call: Call) -> list[CallEvent]:
        before = followed.call
        followed.call = call
        events: list[CallEvent] = []
        if (call.via == "transfer" and before.via != "transfer") or (
            call.remote_number != before.remote_number and before.remote_number
        ):
            events.append(CallEvent(CallEventKind.TRANSFERRED, call))
        if not followed.answered and _answered_by_user(call):
            followed.answered = True
            events.append(CallEvent(CallEventKind.ANSWERED, call))
        elif before.state is CallState.CONNECTED and call.state is CallState.ON_HOLD:
            events.append(CallEvent(CallEventKind.HELD, call))
        elif before.state is CallState.ON_HOLD and call.state is CallState.CONNECTED:
            events.append(CallEvent(CallEventKind.RESUMED, call))
        return events

    @staticmethod
    def _ended(followed: _Followed, call: Call) -> list[CallEvent]:
        events = [CallEvent(CallEventKind.ENDED, call)]
        if followed.rang and not followed.answered:
            to_voicemail = call.via in UNANSWERED_VIA or followed.call.via in UNANSWERED_VIA
            events.append(CallEvent(CallEventKind.MISSED, call, to_voicemail=to_voicemail))
        return events

"""The call tracker turns successive snapshots of the user's calls into call events."""

from __future__ import annotations

from dataclasses import replace

from companion.pbx.models import Call, CallDirection, CallState
from companion.session.calls import CallTracker

INCOMING = Call(
    id="7",
    direction=CallDirection.INCOMING,
    state=CallState.RINGING,
    remote_number="+4989123456",
    remote_name="Tina Sander",
)
OUTGOING = Call(
    id="8", direction=CallDirection.OUTGOING, state=CallState.CONNECTED, remote_number="120"
)


def kinds(events: list) -> list[str]:
    return [e.kind.value for e in events]


def test_an_incoming_call_rings_is_answered_held_resumed_and_ends() -> None:
    tracker = CallTracker()
    assert kinds(tracker.update([INCOMING])) == ["ringing"]
    assert kinds(tracker.update([INCOMING])) == []
    connected = replace(INCOMING, state=CallState.CONNECTED)
    assert kinds(tracker.update([connected])) == ["answered"]
    held = replace(INCOMING, state=CallState.ON_HOLD)
    assert kinds(tracker.update([held])) == ["held"]
    assert kinds(tracker.update([connected])) == ["resumed"]
    assert tracker.calls == [connected]
    assert kinds(tracker.update([])) == ["ended"]
    assert tracker.calls == []


def test_a_call_that_rang_and_ended_unanswered_is_missed() -> None:
    tracker = CallTracker()
    tracker.update([INCOMING])
    events = tracker.update([])
    assert kinds(events) == ["ended", "missed"]
    assert events[1].call.remote_name == "Tina Sander"
    assert not events[1].to_voicemail


def test_a_call_the_pbx_took_to_voicemail_is_missed_and_says_so() -> None:
    tracker = CallTracker()
    tracker.update([INCOMING])
    to_mailbox = replace(INCOMING, state=CallState.CONNECTED, via="noanswer")
    assert kinds(tracker.update([to_mailbox])) == []  # not answered by the user
    events = tracker.update([replace(to_mailbox, state=CallState.ENDED)])
    assert kinds(events) == ["ended", "missed"]
    assert events[1].to_voicemail


def test_an_outgoing_call_is_never_missed() -> None:
    tracker = CallTracker()
    ringing_there = replace(OUTGOING, state=CallState.RINGING)
    assert kinds(tracker.update([ringing_there])) == ["started"]
    assert kinds(tracker.update([])) == ["ended"]


def test_two_calls_are_followed_apart_and_a_transfer_is_noticed() -> None:
    tracker = CallTracker()
    assert kinds(tracker.update([OUTGOING, INCOMING])) == ["started", "ringing"]
    moved = replace(OUTGOING, via="transfer", remote_number="130")
    assert kinds(tracker.update([moved, INCOMING])) == ["transferred"]
    assert kinds(tracker.update([moved])) == ["ended", "missed"]
    assert [c.id for c in tracker.calls] == ["8"]


def test_clearing_ends_every_call_without_missing_any() -> None:
    tracker = CallTracker()
    tracker.update([INCOMING, OUTGOING])
    assert kinds(tracker.clear()) == ["ended", "ended"]
    assert tracker.calls == []


def test_a_fax_coming_in_is_no_call_of_the_user_and_its_end_says_fax() -> None:
    tracker = CallTracker()
    fax = replace(INCOMING, id="9", fax=True)
    assert kinds(tracker.update([fax])) == []  # nothing rings for anybody
    assert tracker.calls == []
    assert kinds(tracker.update([INCOMING, fax])) == ["ringing"]
    assert [c.id for c in tracker.calls] == ["7"]
    assert kinds(tracker.update([INCOMING])) == ["fax"]

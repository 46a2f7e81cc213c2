"""pascom's `cdr/live` records mapped to the user's live calls.

`cdr/live` lists every active call of the PBX. A call is the user's when one of its sides
is the user: by user name, else by extension, else by one of the user's device names (a
desk phone's side may carry only its device). The reference's field table and its example
differ in ways a client must take either way: the listing comes as a list or, in the
reference's own example, as one bare object; states are written "BUSY" in the example and
"ringing, busy, hold, hangup" in the table; missing ids are empty strings, not nulls.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from companion.pbx.models import Account, Call, CallDirection, CallState
from companion.pbx.pascom.mapping import LONGEST, Fields, read_all, text

# The states pascom's table names, and spellings a PBX has been seen to use for them.
_STATES = {
    "ringing": CallState.RINGING,
    "ring": CallState.RINGING,
    "dialing": CallState.RINGING,
    "busy": CallState.CONNECTED,  # pascom's word for "in conversation"
    "up": CallState.CONNECTED,
    "connected": CallState.CONNECTED,
    "hold": CallState.ON_HOLD,
    "onhold": CallState.ON_HOLD,
    "on hold": CallState.ON_HOLD,
    "hangup": CallState.ENDED,
    "ended": CallState.ENDED,
}


def call_state(raw: Any, connected_seconds: int) -> CallState:
    state = _STATES.get(text(raw).lower())
    if state is not None:
        return state
    # An unknown word: the timers say whether the call was answered.
    return CallState.CONNECTED if connected_seconds > 0 else CallState.RINGING


def is_side_of(f: Fields, side: str, me: Account, devices: Collection[str]) -> bool:
    user_name = f.text(f"{side}UserName")
    if user_name:
        return user_name == me.login
    extension = f.text(f"{side}Extension")
    if extension and me.extension:
        return extension == me.extension
    device = f.text(f"{side}DeviceName")
    return bool(device) and device in devices


def to_fax_extension(f: Fields, me: Account) -> bool:
    """A call to the user's fax extension (a fax coming in), not to the user."""
    if not me.fax_extension or f.text("dstUserName"):
        return False
    return me.fax_extension in (f.text("dstNumber"), f.text("dstExtension"))


def live_call(f: Fields, me: Account, devices: Collection[str], now: datetime) -> Call | None:
    """The user's view of one `cdr/live` record, or None when the user is on neither side.

    A fax machine calling the user's fax extension is returned too, marked `fax`: nobody
    answers it, but when it ends a fax may be waiting.
    """
    fax = to_fax_extension(f, me)
    if fax:
        direction, mine, remote = CallDirection.INCOMING, "dst", "src"
    elif is_side_of(f, "src", me, devices):
        direction, mine, remote = CallDirection.OUTGOING, "src", "dst"
    elif is_side_of(f, "dst", me, devices):
        direction, mine, remote = CallDirection.INCOMING, "dst", "src"
    else:
        return None
    call_id = f.id("phonecallId", "id")
    if not call_id:
        return None  # a call Companion cannot follow or act on
    connected = max(f.number("connected", most=LONGEST), 0)
    state = call_state(f.text("state"), connected)
    started = f.time("timestamp") or f.time("time")
    answered_at = (
        now - timedelta(seconds=connected)
        if connected > 0 or state in (CallState.CONNECTED, CallState.ON_HOLD)
        else None
    )
    return Call(
        id=call_id,
        direction=direction,
        state=state,
        remote_number=f.text(f"{remote}Number") or f.text(f"{remote}Extension"),
        remote_name=f.text(f"{remote}Name"),
        remote_internal=f.flag(f"{remote}Internal"),
        started=started,
        connected_since=answered_at,
        device=f.text(f"{mine}DeviceName"),
        via=f.text("via").lower(),
        via_details=f.text("viaDetails"),
        fax=fax,
    )


def live_calls(payload: Any, me: Account, devices: Collection[str], now: datetime) -> list[Call]:
    """The user's calls among all of the PBX's (204/None: no calls), oldest first."""
    calls = read_all(payload, "cdr/live", lambda f: live_call(f, me, devices, now))
    return sorted(calls, key=lambda c: (c.started or now, c.id))

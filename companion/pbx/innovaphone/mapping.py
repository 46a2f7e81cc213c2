"""Raw innovaphone messages (PbxAdminApi objects, RCC CallInfo) to domain models.

The only place that knows innovaphone's field names (`cn`, `h323`, `e164`, `cds`, ...).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from companion.pbx.innovaphone.numbering import NumberPlan
from companion.pbx.models import (
    Account,
    Call,
    CallDirection,
    CallState,
    Contact,
    ContactNumber,
    ContactSource,
    Device,
    NumberKind,
    PbxUser,
    Presence,
    Profile,
    Redirect,
    Switch,
)

Raw = dict[str, Any]

# The presence activities myApps offers (SetOwnPresence), as profiles in the user's words.
ACTIVITIES: dict[str, str] = {
    "": "Available",
    "away": "Away",
    "busy": "Busy",
    "dnd": "Do not disturb",
}
OWN_PRESENCE = "tel:"  # the presence the user sets (im:, calendar: are the PBX's or apps')
FORWARD_ALWAYS = "cfu"

# RCC call states (CallAdd in RCC.htm): the low bits, plus flags.
_STATE_MASK = 0x7F
_OUTGOING = 128  # the SDK: "add 128 for outgoing" (see `direction`)
_HOLD = 256  # the user holds the call
_HELD = 512  # the other side holds it
_CONNECTED = 5
_ENDED = (6, 7)  # disc-sent, disc-received


def text(raw: Raw, key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def contact(user: Raw) -> Contact:
    """A SearchUsersResult `user-id` (or a GetObjectResult): a colleague on the PBX."""
    name = text(user, "dn") or text(user, "cn") or text(user, "h323")
    numbers = (ContactNumber(NumberKind.PHONE, text(user, "e164")),) if text(user, "e164") else ()
    return Contact(
        id=text(user, "guid") or text(user, "cn"),
        name=name,
        source=ContactSource.USER,
        numbers=numbers,
        user_name=text(user, "h323") or text(user, "cn"),
    )


def pbx_user(user: Raw) -> PbxUser:
    return PbxUser(
        login=text(user, "h323") or text(user, "cn"),
        display_name=text(user, "dn") or text(user, "cn"),
        extension=text(user, "e164"),
    )


def own_activity(obj: Raw) -> str:
    for item in obj.get("presence") or []:
        if isinstance(item, dict) and item.get("c") == OWN_PRESENCE:
            return text(item, "a")
    return ""


def account(obj: Raw) -> Account:
    emails = [text(e, "email") for e in obj.get("emails") or [] if isinstance(e, dict)]
    return Account(
        id=0,  # innovaphone objects are named by guid, not by a number
        login=text(obj, "h323") or text(obj, "cn"),
        display_name=text(obj, "dn") or text(obj, "cn"),
        extension=text(obj, "e164"),
        mailbox="",
        fax_extension="",
        email=next((e for e in emails if e), ""),
        active_profile_id=own_activity(obj) if own_activity(obj) in ACTIVITIES else "",
    )


def profiles(obj: Raw) -> list[Profile]:
    active = own_activity(obj)
    listed = [Profile(a, name, active=(a == active)) for a, name in ACTIVITIES.items()]
    if active not in ACTIVITIES:  # an activity set elsewhere that myApps does not offer
        listed.append(Profile(active, active.capitalize(), active=True))
    return listed


def with_activity(obj: Raw, activity: str) -> list[Raw]:
    """The object's presence list with the user's own activity set, the rest as it was."""
    kept = [p for p in obj.get("presence") or [] if isinstance(p, dict)]
    own = next((p for p in kept if p.get("c") == OWN_PRESENCE), None)
    if own is None:
        return [*kept, {"c": OWN_PRESENCE, "a": activity, "n": ""}]
    return [{**p, "a": activity} if p is own else p for p in kept]


def colleague_presence(obj: Raw) -> Presence:
    activity = own_activity(obj)
    if activity in ("busy", "dnd"):
        return Presence.BUSY
    if activity == "away":
        return Presence.AWAY
    return Presence.AVAILABLE


def diversion_target(diversion: Raw) -> str:
    eps = diversion.get("ep") or []
    first = eps[0] if eps and isinstance(eps[0], dict) else {}
    return text(first, "e164") or text(first, "h323")


def is_plain_forward(diversion: Raw) -> bool:
    """The user's own unconditional forwarding: cfu, not tied to a boolean or a source."""
    return (
        isinstance(diversion, dict)
        and diversion.get("type") == FORWARD_ALWAYS
        and not diversion.get("bool")
        and not diversion.get("bool-not")
        and not diversion.get("src")
    )


def redirect(obj: Raw, previous: str = "", plan: NumberPlan | None = None) -> Redirect:
    target = next((diversion_target(d) for d in obj.get("cds") or [] if is_plain_forward(d)), "")
    target = (plan or NumberPlan()).shown(target)
    return Redirect(text(obj, "e164"), target, previous_target=previous or target)


def cds_with_forward(obj: Raw, target: str, plan: NumberPlan | None = None) -> list[Raw]:
    """The whole `cds` list with the plain cfu set to `target` ("" = removed); every other
    diversion exactly as the PBX had it (UpdateObject replaces the whole list)."""
    kept = [d for d in obj.get("cds") or [] if isinstance(d, dict) and not is_plain_forward(d)]
    if not target:
        return kept
    if target.lstrip("+").isdigit():
        return [{"type": FORWARD_ALWAYS, "ep": [{"e164": (plan or NumberPlan()).dialled(target)}]},
                *kept]  # fmt: skip
    return [{"type": FORWARD_ALWAYS, "ep": [{"h323": target}]}, *kept]


def switch(boolean: Raw) -> Switch:
    return Switch(
        id=text(boolean, "guid") or text(boolean, "name"),
        name=text(boolean, "name"),
        extension=text(boolean, "guid") or text(boolean, "name"),  # what the faces key by
        on=boolean.get("on") is True,
        may_change=False,  # the PbxAdminApi reads booleans; it has no message to set one
        read_only=True,
        company_wide=True,
    )


def device(raw: Raw, extension: str) -> Device:
    return Device(
        name=text(raw, "hw"),
        caption=text(raw, "text") or text(raw, "hw"),
        kind="innovaphone device",
        extension=extension,
        capabilities=frozenset({"dial", "hangup"}),
    )


def call_gone(info: Raw) -> bool:
    state = info.get("state")
    base = state & _STATE_MASK if isinstance(state, int) else -1
    return info.get("msg") == "del" or base in _ENDED


def direction(info: Raw) -> CallDirection:
    """Who called, from a call's first CallInfo.

    `msg` says it unambiguously: "r-setup" is a setup received from the user's phone (the
    user dials), "x-setup"/"x-alert" one sent to it (a call comes in). Without it the
    state's 128 flag decides, read as the SDK words it ("add 128 for outgoing");
    docs/pbx-assumptions.md, "innovaphone client".
    """
    msg = text(info, "msg")
    if msg.startswith("r-setup"):
        return CallDirection.OUTGOING
    if msg.startswith("x-"):
        return CallDirection.INCOMING
    state = info.get("state")
    outgoing = isinstance(state, int) and bool(state & _OUTGOING)
    return CallDirection.OUTGOING if outgoing else CallDirection.INCOMING


def call(
    info: Raw, before: Call | None, now: datetime | None = None, plan: NumberPlan | None = None
) -> Call:
    """A CallInfo as the user's call, merged with what was known of it before; the peer's
    number as the faces show numbers (`NumberPlan.shown`)."""
    now = now or datetime.now(UTC)
    raw_state = info.get("state")
    state = raw_state if isinstance(raw_state, int) else 0
    base = state & _STATE_MASK
    if base in _ENDED:
        call_state = CallState.ENDED
    elif state & (_HOLD | _HELD):
        call_state = CallState.ON_HOLD
    elif base == _CONNECTED:
        call_state = CallState.CONNECTED
    else:
        call_state = CallState.RINGING
    raw_peer = info.get("peer")
    peer: Raw = raw_peer if isinstance(raw_peer, dict) else {}
    number = (plan or NumberPlan()).shown(text(peer, "e164")) or text(peer, "h323")
    name = text(peer, "dn") or text(peer, "cn")
    connected = before.connected_since if before else None
    if call_state in (CallState.CONNECTED, CallState.ON_HOLD) and connected is None:
        connected = now
    return Call(
        id=str(info.get("call")),
        direction=before.direction if before else direction(info),
        state=call_state,
        remote_number=number or (before.remote_number if before else ""),
        remote_name=name or (before.remote_name if before else ""),
        remote_internal=bool(text(peer, "cn") or text(peer, "h323")),
        started=before.started if before else now,
        connected_since=connected,
    )


def dial_target(destination: str, plan: NumberPlan | Raw | None = None) -> Raw:
    """UserCall's address: a number as e164, anything else as a SIP/H.323 name.

    A +E.164 number is dialled with the prefixes UserInitializeResult gave for the user's
    node (`prefixIntl`, `prefixNtl`, `country`), when it gave them; else as it is.
    """
    if not isinstance(plan, NumberPlan):
        plan = NumberPlan.read(plan or {})
    digits = destination.replace(" ", "")
    if not (digits.lstrip("+").isdigit() or digits.startswith("+")):
        return {"h323": destination}
    return {"e164": plan.dialled(digits)}

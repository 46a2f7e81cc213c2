"""pascom's presence, profile, queue, redirect/ and condition/switch JSON to models."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from companion.pbx.models import (
    PauseReason,
    Presence,
    Profile,
    QueueMembership,
    Redirect,
    Switch,
)
from companion.pbx.pascom.mapping import (
    Fields,
    integer,
    read_all,
    records,
    text,
)

# Asterisk "core show hints" states, as identity/states reports them.
_PRESENCE = {
    "idle": Presence.AVAILABLE,
    "notinuse": Presence.AVAILABLE,
    "not_inuse": Presence.AVAILABLE,
    "available": Presence.AVAILABLE,
    "inuse": Presence.BUSY,
    "busy": Presence.BUSY,
    "ringing": Presence.RINGING,
    "ringinuse": Presence.RINGING,
    "onhold": Presence.ON_HOLD,
    "hold": Presence.ON_HOLD,
    "unavailable": Presence.OFFLINE,
    "unknown": Presence.UNKNOWN,
}


def presence_state(raw: Any) -> Presence:
    key = re.sub(r"[\s&_-]", "", text(raw).lower())
    if key in _PRESENCE:
        return _PRESENCE[key]
    if "ring" in key:
        return Presence.RINGING
    if "inuse" in key or "busy" in key:
        return Presence.BUSY
    return Presence.UNKNOWN


def presence(payload: Any, wanted: list[str]) -> dict[str, Presence]:
    """The states of the `wanted` logins, however the answer is keyed.

    The reference's example keys the answer by login (`{"tsander": {"state": ...}}`); a
    PBX that ignores our parameter answers for everybody, one that echoes it may change
    its case, and a list of records names the login in `003use_name`.
    """
    found: dict[str, Any] = {}
    if isinstance(payload, dict):
        for key, value in payload.items():
            login = text(value.get("003use_name")) if isinstance(value, dict) else ""
            found[(login or text(key)).casefold()] = value
    elif isinstance(payload, list):
        for value in payload:
            if isinstance(value, dict) and text(value.get("003use_name")):
                found[text(value.get("003use_name")).casefold()] = value
    result = {}
    for name in wanted:
        value = found.get(name.casefold())
        if value is not None:
            result[name] = presence_state(value.get("state") if isinstance(value, dict) else value)
    return result


def profiles(payload: Any, active_id: str | None) -> list[Profile]:
    """In creation order (by id): pascom lists newest first, which moves them around."""
    result = []
    for f in records(payload, "identity/{user}/profile"):
        pid = f.text("017pro_id")
        if not pid:
            continue
        name = f.text("017pro_bez") or f"Profile {pid}"
        result.append(Profile(id=pid, name=name, active=pid == active_id))
    return sorted(result, key=lambda p: (integer(p.id, 1 << 62), p.id))


def redirect(payload: Any, extension: str) -> Redirect:
    for f in records(payload, "redirect/"):
        if f.text("source") == extension:
            target = f.text("target")
            return Redirect(extension, target, f.text("old") or target)
    return Redirect(extension, "", "")


def switches(
    payload: Any, refused: frozenset[str] = frozenset(), own: Iterable[str] = ()
) -> list[Switch]:
    """`refused`: the extensions of switches the PBX refused to let this user change;
    `own`: the user's login, name and extension: a switch whose name names one of them is
    the user's own, every other switch is company-wide (docs/pbx-assumptions.md)."""
    result = []
    for f in records(payload, "condition/switch"):
        extension = f.text("009ext_extension")
        name = f.text("038con_bez") or extension
        result.append(
            Switch(
                id=f.text("038con_id"),
                name=name,
                extension=extension,
                on=f.flag("039swi_state"),
                may_change=extension not in refused,
                company_wide=not names_one_of(name, own),
            )
        )
    return result


def names_one_of(text: str, words: Iterable[str]) -> bool:
    """Whether `text` contains one of `words` as a whole word, ignoring case."""
    folded = text.casefold()
    for word in words:
        word = word.strip().casefold()
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            return True
    return False


def pause_reasons(payload: Any) -> tuple[PauseReason, ...]:
    """A queue's `pausereasons`: the reference shows only `[]`, so read what may come.

    Names as strings, records with `reason` (the action body's word) or `name`, and an
    optional `code`; a reason without a name cannot be offered to the user.
    """
    items: list[Any]
    if isinstance(payload, dict):
        items = [v if isinstance(v, dict) else {"reason": v, "code": k} for k, v in payload.items()]
    elif isinstance(payload, list):
        items = payload
    else:
        return ()
    result: list[PauseReason] = []
    for item in items:
        if isinstance(item, dict):
            f = Fields(item, "queue/{name} pausereasons")
            name = f.text("reason") or f.text("name") or f.text("bez")
            reason = PauseReason(name, f.text("code"))
        else:
            reason = PauseReason(text(item))
        if reason.name and all(r.name != reason.name for r in result):
            result.append(reason)
    return tuple(result)


def queue_names(payload: Any) -> list[str]:
    """queue/: the names of the PBX's queues (a queue without a name cannot be read)."""
    return [name for name in read_all(payload, "queue/", lambda f: f.text("029tea_bez")) if name]


def queue_membership(raw: Any, login: str, display_name: str = "") -> QueueMembership | None:
    """The user's place in a queue. `agent` is the login in the reference's example, but
    its table calls it "Display Name of the agent": either names the user."""
    if not isinstance(raw, dict):
        return None
    f = Fields(raw, "queue/{name}")
    members = f.get("members")
    if not isinstance(members, list):
        return None
    names = {login.casefold()} | ({display_name.casefold()} if display_name else set())
    for member in records(members, "queue/{name} members"):
        if member.text("agent").casefold() in names:
            return QueueMembership(
                queue=f.text("029tea_bez"),
                extension=f.text("009ext_extension"),
                logged_in=member.flag("loggedin"),
                paused=member.flag("paused"),
                pause_reason=member.text("pausereason"),
                pause_reasons=pause_reasons(f.get("pausereasons")),
            )
    return None


def action_refusal(answer: Any) -> str | None:
    """The PBX's reason when an AMI-style answer (`{"Response": "Error", "Message": ...}`)
    says the action failed, although the HTTP status was 200; None when it did not fail."""
    if not isinstance(answer, dict):
        return None
    fields = {str(k).casefold(): v for k, v in answer.items()}
    if text(fields.get("response")).casefold() not in {"error", "failure", "failed"}:
        return None
    return text(fields.get("message")) or "no reason given"

"""pascom's raw JSON (003use_bez, 009ext_extension, ...) to domain models: here and nowhere else.

Real PBXs differ by version, so every reader here is tolerant: a missing field, a null, a
number sent as a string (or the other way round) falls back to an empty value instead of
failing. What cannot be understood at all raises UnexpectedResponse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from companion.pbx.errors import UnexpectedResponse
from companion.pbx.models import (
    Account,
    CallRecord,
    Contact,
    ContactDetails,
    ContactNumber,
    ContactSource,
    Device,
    NumberKind,
    PauseReason,
    Presence,
    Profile,
    QueueMembership,
    ReceivedFax,
    Redirect,
    SentFax,
    Switch,
    Voicemail,
    VoicemailCounts,
)


def text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def integer(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        pass
    match = re.match(r"^(\d+):(\d{1,2}):(\d{1,2})$", text(value))  # "0:02:38"
    if match:
        h, m, s = (int(g) for g in match.groups())
        return h * 3600 + m * 60 + s
    return default


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return text(value).lower() in {"1", "true", "yes", "on", "t"}


def timestamp(value: Any) -> datetime | None:
    """pascom writes times as unix seconds, unix milliseconds or 'YYYY-MM-DD HH:MM:SS'."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) or text(value).isdigit():
        number = float(value)
        if number > 10**11:  # milliseconds
            number /= 1000
        try:
            return datetime.fromtimestamp(number, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    raw = text(value)
    for fmt in (
        "%Y-%m-%dT%H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H.%M.%S",
    ):
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


T = TypeVar("T")
_EPOCH = datetime.fromtimestamp(0, tz=UTC)


def newest_first(items: Iterable[T], when: Callable[[T], datetime | None]) -> list[T]:
    """Sort by time, newest first; items without a time go last."""
    return sorted(items, key=lambda item: when(item) or _EPOCH, reverse=True)


def records(payload: Any) -> list[dict[str, Any]]:
    """pascom lists come as arrays, as objects keyed by name, as one bare object, or as 204."""
    if payload is None:
        return []
    if isinstance(payload, list):
        return [item for item in payload if isinstance(item, dict)]
    if isinstance(payload, dict):
        values = list(payload.values())
        if values and all(isinstance(v, dict) for v in values):
            return values
        return [payload]
    raise UnexpectedResponse("The PBX sent a list Companion does not understand.")


def account(raw: Any) -> Account:
    if not isinstance(raw, dict) or not text(raw.get("003use_name")):
        raise UnexpectedResponse("The PBX sent user data Companion does not understand.")
    extension = text(raw.get("009ext_extension"))
    profile = text(raw.get("017pro_id"))
    return Account(
        id=integer(raw.get("003use_id")),
        login=text(raw.get("003use_name")),
        display_name=text(raw.get("003use_bez")) or text(raw.get("003use_name")),
        extension=extension,
        mailbox=text(raw.get("016voi_mailbox")) or extension,
        fax_extension=text(raw.get("faxextension")),
        email=text(raw.get("016voi_email")),
        active_profile_id=profile or None,
    )


def device(raw: dict[str, Any], name: str = "", default_name: str = "") -> Device:
    dev_name = text(raw.get("010dev_bez")) or name
    caps = raw.get("capabilities")
    return Device(
        name=dev_name,
        caption=text(raw.get("device_caption")) or text(raw.get("010dev_caption")) or dev_name,
        kind=text(raw.get("066dev_bez")),
        extension=text(raw.get("extension")) or text(raw.get("009ext_extension")),
        capabilities=frozenset(text(c) for c in caps) if isinstance(caps, list) else frozenset(),
        is_default=bool(default_name) and dev_name == default_name,
    )


def devices(payload: Any, default_name: str = "") -> list[Device]:
    if isinstance(payload, dict) and payload and all(isinstance(v, dict) for v in payload.values()):
        return [device(raw, name, default_name) for name, raw in payload.items()]
    return [device(raw, "", default_name) for raw in records(payload)]


_NUMBER_FIELDS = (
    ("phone", NumberKind.PHONE),
    ("mobile", NumberKind.MOBILE),
    ("homephone", NumberKind.HOME),
    ("fax", NumberKind.FAX),
)


def contact(raw: dict[str, Any], users_by_extension: dict[str, str] | None = None) -> Contact:
    kind = text(raw.get("type"))
    phonebook_type = text(raw.get("phonebookType")).lower()
    numbers = tuple(
        ContactNumber(kind, text(raw.get(field)))
        for field, kind in _NUMBER_FIELDS
        if text(raw.get(field))
    )
    user_name: str | None = None
    if kind == "011account":
        source = ContactSource.USER
        phone = text(raw.get("phone"))
        user_name = (users_by_extension or {}).get(phone)
    elif phonebook_type == "identity":
        source = ContactSource.PRIVATE
    else:
        source = ContactSource.GLOBAL
    first, last = text(raw.get("firstname")), text(raw.get("surname"))
    name = text(raw.get("displayname")) or " ".join(p for p in (first, last) if p)
    return Contact(
        id=text(raw.get("id")),
        name=name or text(raw.get("organisation")),
        source=source,
        numbers=numbers,
        organisation=text(raw.get("organisation")),
        first_name=first,
        last_name=last,
        email=text(raw.get("email")),
        notes=text(raw.get("notes")),
        user_name=user_name,
    )


def contact_body(details: ContactDetails, owner: str) -> dict[str, Any]:
    name = details.name or " ".join(p for p in (details.first_name, details.last_name) if p)
    return {
        "type": "028phonebook",
        "phonebookType": "identity",
        "phonebookName": owner,
        "displayname": name,
        "firstname": details.first_name,
        "surname": details.last_name,
        "phone": details.phone,
        "email": details.email,
        "fax": details.fax,
        "mobile": details.mobile,
        "homephone": details.home,
        "organisation": details.organisation,
        "notes": details.notes,
        "labelList": [],
    }


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
    for raw in records(payload):
        pid = text(raw.get("017pro_id"))
        if not pid:
            continue
        name = text(raw.get("017pro_bez")) or f"Profile {pid}"
        result.append(Profile(id=pid, name=name, active=pid == active_id))
    return sorted(result, key=lambda p: (integer(p.id, 1 << 62), p.id))


def redirect(payload: Any, extension: str) -> Redirect:
    for raw in records(payload):
        if text(raw.get("source")) == extension:
            target = text(raw.get("target"))
            return Redirect(extension, target, text(raw.get("old")) or target)
    return Redirect(extension, "", "")


def switches(payload: Any, refused: frozenset[str] = frozenset()) -> list[Switch]:
    """`refused`: the extensions of switches the PBX refused to let this user change."""
    result = []
    for raw in records(payload):
        extension = text(raw.get("009ext_extension"))
        result.append(
            Switch(
                id=text(raw.get("038con_id")),
                name=text(raw.get("038con_bez")) or extension,
                extension=extension,
                on=flag(raw.get("039swi_state")),
                may_change=extension not in refused,
            )
        )
    return result


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
            name = text(item.get("reason")) or text(item.get("name")) or text(item.get("bez"))
            reason = PauseReason(name, text(item.get("code")))
        else:
            reason = PauseReason(text(item))
        if reason.name and all(r.name != reason.name for r in result):
            result.append(reason)
    return tuple(result)


def queue_membership(
    raw: dict[str, Any], login: str, display_name: str = ""
) -> QueueMembership | None:
    """The user's place in a queue. `agent` is the login in the reference's example, but
    its table calls it "Display Name of the agent": either names the user."""
    members = raw.get("members")
    if not isinstance(members, list):
        return None
    names = {login.casefold()} | ({display_name.casefold()} if display_name else set())
    for member in members:
        if isinstance(member, dict) and text(member.get("agent")).casefold() in names:
            return QueueMembership(
                queue=text(raw.get("029tea_bez")),
                extension=text(raw.get("009ext_extension")),
                logged_in=flag(member.get("loggedin")),
                paused=flag(member.get("paused")),
                pause_reason=text(member.get("pausereason")),
                pause_reasons=pause_reasons(raw.get("pausereasons")),
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


def voicemail(raw: dict[str, Any]) -> Voicemail:
    callerid = text(raw.get("callerid"))  # '"Tina Sander" <221>'
    match = re.match(r'^\s*"?([^"<]*)"?\s*<([^>]*)>', callerid)
    name = text(raw.get("calleridname")) or (match.group(1).strip() if match else "")
    number = text(raw.get("calleridnum")) or (match.group(2).strip() if match else "")
    return Voicemail(
        id=text(raw.get("msg_id")) or text(raw.get("id")),
        folder=text(raw.get("folder")) or "INBOX",
        caller_name=name if name.lower() not in {"unknown", "<unknown>"} else "",
        caller_number=number if number.lower() not in {"unknown", "<unknown>"} else "",
        received=timestamp(raw.get("origtime")) or timestamp(raw.get("origdate")),
        duration=integer(raw.get("duration")),
    )


_CALL_ID = re.compile(r"^\d{9,}_\d+$")  # "1613464778194_20": pascom's call id, not a caller
_NO_NUMBER = {"", "<none>", "none", "unknown", "<unknown>", "anonymous"}


def _own_numbers(me: Account) -> set[str]:
    return {n for n in (me.fax_extension, me.extension) if n}


def fax_remote_number(raw: dict[str, Any], me: Account) -> str:
    """The number the fax came from, if the PBX gives one.

    The reference calls `cidnumber` "Extension of Fax Receiver" (our own fax) and
    `callid1`..`callid4` "Participated Caller Ids": the remote number is the one of those
    that is neither ours, nor a call id, nor "<NONE>".
    """
    own = _own_numbers(me) | {text(raw.get("009ext_extension")), text(raw.get("cidnumber"))}
    for key in ("callid3", "callid1", "callid4", "callid2"):
        value = text(raw.get(key))
        if value.lower() in _NO_NUMBER or value in own or _CALL_ID.match(value):
            continue
        return value
    return ""


def fax_sender_name(raw: dict[str, Any], me: Account) -> str:
    """`cidname` ("Callerid Name") when it is a name: not a call id, the PBX, or us."""
    name = text(raw.get("cidname"))
    not_names = _own_numbers(me) | {text(raw.get("sender")), text(raw.get("cidnumber"))}
    if name.lower() in _NO_NUMBER or name in not_names or _CALL_ID.match(name):
        return ""
    return name


def voicemail_counts(inbox: Mapping[str, str], old: Mapping[str, str]) -> VoicemailCounts:
    """Counts from HEAD answers on INBOX and on Old.

    Read literally, `x-voicemail-count` is the count of the folder asked for: new = that of
    INBOX, old = that of Old. The per-folder `-inbox`/`-old` headers (shown wrong in the
    reference's example) are used only when they are consistent with a PBX that reports
    its total as `x-voicemail-count`: the same in both answers and adding up to it.
    """
    in_inbox = integer(inbox.get("x-voicemail-count"), -1)
    in_old = integer(old.get("x-voicemail-count"), -1)
    per_folder = [
        (integer(h.get("x-voicemail-count-inbox"), -1), integer(h.get("x-voicemail-count-old"), -1))
        for h in (inbox, old)
    ]
    (new, heard), again = per_folder
    if new >= 0 and heard >= 0 and again == (new, heard) and in_inbox == in_old == new + heard:
        return VoicemailCounts(new=new, old=heard, total=new + heard)
    # Without `x-voicemail-count`, the per-folder header is all there is.
    new = in_inbox if in_inbox >= 0 else max(per_folder[0][0], 0)
    heard = in_old if in_old >= 0 else max(per_folder[1][1], 0)
    return VoicemailCounts(new=new, old=heard, total=new + heard)


def received_fax(key: str, raw: dict[str, Any], me: Account) -> ReceivedFax:
    """`sender` is "Name of the sender - PBX name": never shown as who sent the fax."""
    return ReceivedFax(
        id=text(raw.get("filename")) or key,
        sender=fax_sender_name(raw, me),
        sender_number=fax_remote_number(raw, me),
        received=timestamp(raw.get("received")) or timestamp(raw.get("time")),
        pages=integer(raw.get("pages")),
        pdf_url=text(raw.get("pdf")),
    )


def owns_fax(raw: dict[str, Any], me: Account) -> bool:
    """A received fax is the user's when it came in on their fax device."""
    if me.fax_extension and text(raw.get("009ext_extension")) == me.fax_extension:
        return True
    return not me.fax_extension and integer(raw.get("003use_id"), -1) == me.id


def sent_by(raw: dict[str, Any], key: str, me: Account, scheduled_here: frozenset[str]) -> bool:
    """A sent fax is the user's when Companion scheduled it here or it notifies their address.

    Only what the reference gives: `notify` (the address the send body set) and the job id.
    """
    if (text(raw.get("id")) or key) in scheduled_here:
        return True
    return bool(me.email) and text(raw.get("notify")).lower() == me.email.lower()


_FAX_STATES = {
    "D": "done",
    "F": "failed",
    "P": "waiting",
    "Q": "queued",
    "S": "sleeping",
    "B": "blocked",
    "W": "waiting",
    "R": "sending",
    "T": "suspended",
}


def sent_fax(key: str, raw: dict[str, Any]) -> SentFax:
    state = text(raw.get("state"))
    return SentFax(
        id=text(raw.get("id")) or key,
        title=text(raw.get("jobtag")),
        destination=text(raw.get("dialstring")) or text(raw.get("number")),
        state=_FAX_STATES.get(state.upper(), state.lower() or "unknown"),
        pages=integer(raw.get("totalPages")),
        scheduled=timestamp(raw.get("scheduled")),
        error=text(raw.get("error")),
    )


def keyed(payload: Any) -> Iterable[tuple[str, dict[str, Any]]]:
    """(key, record) pairs for pascom's objects keyed by name or id (or plain arrays)."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            if isinstance(value, dict):
                yield str(key), value
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            if isinstance(value, dict):
                yield str(index), value
    elif payload is not None:
        raise UnexpectedResponse("The PBX sent a list Companion does not understand.")


def call_record(raw: dict[str, Any], login: str, extension: str) -> CallRecord:
    outgoing = text(raw.get("srcUserName")) == login or (
        not text(raw.get("srcUserName")) and text(raw.get("srcExtension")) == extension
    )
    side = "dst" if outgoing else "src"
    return CallRecord(
        id=text(raw.get("id")),
        time=timestamp(raw.get("timestamp")) or timestamp(raw.get("time")),
        outgoing=outgoing,
        name=text(raw.get(f"{side}Name")),
        number=text(raw.get(f"{side}Number")) or text(raw.get(f"{side}Extension")),
        duration=integer(raw.get("duration")),
        connected=integer(raw.get("connected")),
        result=text(raw.get("result")),
    )

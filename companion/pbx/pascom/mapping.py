"""pascom's raw JSON (003use_bez, 009ext_extension, ...) to domain models: here and nowhere else.

Real PBXs differ by version, so every reader here is tolerant: a missing field, a null, a
number sent as a string (or the other way round) falls back to an empty value instead of
failing. One bad record never hides the rest: each record is read through `Fields`, which
reads a field of the wrong kind as blank and logs it once (endpoint and field, never the
value); an item of a list that is not an object is skipped and logged. What cannot be
understood at all (a list that is no list) raises UnexpectedResponse.
"""

from __future__ import annotations

import logging
import math
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
    PbxUser,
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

log = logging.getLogger(__name__)

BIGGEST = 2**63 - 1  # a PBX's database integer; anything longer is not a number it meant
LONGEST = 10**8  # seconds (three years): a longer duration or page count is unreadable


def text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _integer_or_none(value: Any) -> int | None:
    """An integer, "12", 12.0 or "0:02:38" (seconds) as an int; None when it is none of them."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if -BIGGEST <= value <= BIGGEST else None
    if isinstance(value, float):
        whole = math.isfinite(value) and value.is_integer() and abs(value) <= BIGGEST
        return int(value) if whole else None
    raw = text(value)
    if re.fullmatch(r"[+-]?\d{1,19}", raw, re.ASCII):  # not "²", not 400 digits
        number = int(raw)
        return number if -BIGGEST <= number <= BIGGEST else None
    match = re.fullmatch(r"(\d{1,9}):(\d{1,2}):(\d{1,2})", raw, re.ASCII)  # "0:02:38"
    if match:
        h, m, s = (int(g) for g in match.groups())
        return h * 3600 + m * 60 + s
    return None


def integer(value: Any, default: int = 0) -> int:
    number = _integer_or_none(value)
    return default if number is None else number


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return text(value).lower() in {"1", "true", "yes", "on", "t"}


def timestamp(value: Any) -> datetime | None:
    """pascom writes times as unix seconds, unix milliseconds or 'YYYY-MM-DD HH:MM:SS'.

    None for anything else, also for a number no calendar holds (a 400-digit one).
    """
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        return None
    raw = text(value)
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{1,20}(\.\d+)?", raw, re.ASCII):
        try:
            number = float(value) if isinstance(value, (int, float)) else float(raw)
        except OverflowError:
            return None
        if not math.isfinite(number):
            return None
        if number > 10**11:  # milliseconds
            number /= 1000
        try:
            return datetime.fromtimestamp(number, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
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


# -- reading records: a bad field is blank, a bad record is skipped, both are said once ---

_said: set[tuple[str, str]] = set()


def unreadable(where: str, what: str) -> None:
    """Log a record Companion could not read in full, once per endpoint and problem.

    Once: a poll would repeat it every round. Never the value: records hold personal data.
    """
    if (where, what) not in _said:
        _said.add((where, what))
        log.warning("the PBX's %s has %s; it is shown blank", where, what)


class Fields:
    """One record of endpoint `where`, read leniently: a field of the wrong kind reads as
    blank ("", 0, None) and is logged once. A null or a missing field is blank silently:
    the reference's own examples are full of them."""

    def __init__(self, raw: Mapping[str, Any], where: str) -> None:
        self.raw = raw
        self.where = where

    def get(self, key: str) -> Any:
        return self.raw.get(key)

    def has(self, key: str) -> bool:
        return self.raw.get(key) not in (None, "")

    def bad(self, key: str, problem: str) -> None:
        unreadable(self.where, f"a field {key} that is {problem}")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if isinstance(value, (dict, list)):
            self.bad(key, "not text")
        return text(value)

    def number(self, key: str, default: int = 0, *, most: int = BIGGEST) -> int:
        value = self.raw.get(key)
        if value is None or value == "":
            return default
        number = _integer_or_none(value)
        if number is None or abs(number) > most:
            self.bad(key, "not a number Companion can use")
            return default
        return number

    def time(self, key: str) -> datetime | None:
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        when = timestamp(value)
        if when is None:
            self.bad(key, "not a time")
        return when

    def flag(self, key: str) -> bool:
        value = self.raw.get(key)
        if isinstance(value, (dict, list)):
            self.bad(key, "not yes or no")
        return flag(value)

    def id(self, *keys: str) -> str:
        """The record's id: the first of `keys` that is there; a record without one is said."""
        for key in keys:
            if found := self.text(key):
                return found
        self.bad(keys[0], "missing")
        return ""


T = TypeVar("T")
_EPOCH = datetime.fromtimestamp(0, tz=UTC)


def newest_first(items: Iterable[T], when: Callable[[T], datetime | None]) -> list[T]:
    """Sort by time, newest first; items without a time go last."""
    return sorted(items, key=lambda item: when(item) or _EPOCH, reverse=True)


def _looks_keyed(payload: Mapping[str, Any]) -> bool:
    """An object keyed by name or id, not one bare record: mostly objects, or at least
    two objects with a field in common (records, among items that are none). A bare
    record's own nested objects (`peerInfo`, `data`) have nothing in common."""
    objects = [value for value in payload.values() if isinstance(value, dict)]
    if len(objects) * 2 > len(payload):
        return True
    fields: set[str] = set()
    for record in objects:
        if fields & record.keys():
            return True
        fields |= record.keys()
    return False


def keyed_items(payload: Any) -> list[tuple[str, Any]]:
    """(key, item) pairs of a list: an array (keys are positions), an object keyed by name
    or id, one bare object, or 204 (None)."""
    if payload is None:
        return []
    if isinstance(payload, list):
        return [(str(index), item) for index, item in enumerate(payload)]
    if isinstance(payload, dict):
        if _looks_keyed(payload):
            return [(str(key), item) for key, item in payload.items()]
        return [("0", payload)]
    raise UnexpectedResponse("The PBX sent a list Companion does not understand.")


def read_keyed(payload: Any, where: str, read: Callable[[str, Fields], T | None]) -> list[T]:
    """Every record of a list read by `read` (None: not wanted). An item that is not an
    object, or that `read` cannot cope with, is skipped and logged; the others stay."""
    result: list[T] = []
    for key, item in keyed_items(payload):
        if not isinstance(item, dict):
            unreadable(where, "an item that is not a record (skipped)")
            continue
        try:
            value = read(key, Fields(item, where))
        except Exception as exc:  # the net under every reader: one record, not the list
            unreadable(where, f"a record Companion cannot read ({type(exc).__name__}, skipped)")
            continue
        if value is not None:
            result.append(value)
    return result


def read_all(payload: Any, where: str, read: Callable[[Fields], T | None]) -> list[T]:
    """As `read_keyed`, for readers that do not need the key."""
    return read_keyed(payload, where, lambda _key, fields: read(fields))


def records(payload: Any, where: str = "list") -> list[Fields]:
    """The records of a list as `Fields` (items that are not objects skipped and logged)."""
    return read_all(payload, where, lambda fields: fields)


def account(raw: Any) -> Account:
    if not isinstance(raw, dict) or not text(raw.get("003use_name")):
        raise UnexpectedResponse("The PBX sent user data Companion does not understand.")
    f = Fields(raw, "identity/{user}")
    extension = f.text("009ext_extension")
    profile = f.text("017pro_id")
    return Account(
        id=f.number("003use_id"),
        login=f.text("003use_name"),
        display_name=f.text("003use_bez") or f.text("003use_name"),
        extension=extension,
        mailbox=f.text("016voi_mailbox") or extension,
        fax_extension=f.text("faxextension"),
        email=f.text("016voi_email"),
        active_profile_id=profile or None,
    )


def device(f: Fields, name: str = "", default_name: str = "") -> Device:
    dev_name = f.text("010dev_bez") or name
    caps = f.get("capabilities")
    return Device(
        name=dev_name,
        caption=f.text("device_caption") or f.text("010dev_caption") or dev_name,
        kind=f.text("066dev_bez"),
        extension=f.text("extension") or f.text("009ext_extension"),
        capabilities=frozenset(text(c) for c in caps) if isinstance(caps, list) else frozenset(),
        is_default=bool(default_name) and dev_name == default_name,
    )


def devices(payload: Any, default_name: str = "") -> list[Device]:
    """The user's devices, as a list or keyed by device name."""
    by_name = isinstance(payload, dict) and _looks_keyed(payload)
    return read_keyed(
        payload,
        "identity/{user}/device",
        lambda key, f: device(f, key if by_name else "", default_name),
    )


_NUMBER_FIELDS = (
    ("phone", NumberKind.PHONE),
    ("mobile", NumberKind.MOBILE),
    ("homephone", NumberKind.HOME),
    ("fax", NumberKind.FAX),
)


def contact(f: Fields, users_by_extension: dict[str, str] | None = None) -> Contact:
    kind = f.text("type")
    phonebook_type = f.text("phonebookType").lower()
    numbers = tuple(
        ContactNumber(kind, f.text(field)) for field, kind in _NUMBER_FIELDS if f.text(field)
    )
    user_name: str | None = None
    if kind == "011account":
        source = ContactSource.USER
        phone = f.text("phone")
        user_name = (users_by_extension or {}).get(phone)
    elif phonebook_type == "identity":
        source = ContactSource.PRIVATE
    else:
        source = ContactSource.GLOBAL
    first, last = f.text("firstname"), f.text("surname")
    name = f.text("displayname") or " ".join(p for p in (first, last) if p)
    return Contact(
        id=f.id("id"),
        name=name or f.text("organisation"),
        source=source,
        numbers=numbers,
        organisation=f.text("organisation"),
        first_name=first,
        last_name=last,
        email=f.text("email"),
        notes=f.text("notes"),
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


def contacts(payload: Any, users_by_extension: dict[str, str]) -> list[Contact]:
    return read_all(payload, "phonebook", lambda f: contact(f, users_by_extension))


def users_by_extension(payload: Any) -> dict[str, str]:
    """identity/ as extension -> login, for the users that have an extension."""
    users = read_all(
        payload, "identity/", lambda f: (f.text("009ext_extension"), f.text("003use_name"))
    )
    return {extension: login for extension, login in users if extension}


def users(payload: Any) -> list[PbxUser]:
    """identity/ as the users one can pick, by display name (disabled logins left out)."""

    def read(f: Fields) -> PbxUser | None:
        login = f.text("003use_name")
        if not login or f.get("003use_enabled") is False:
            return None
        return PbxUser(login, f.text("003use_bez") or login, f.text("009ext_extension"))

    found = read_all(payload, "identity/", read)
    return sorted(found, key=lambda user: (user.display_name.casefold(), user.login))


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


def voicemail(f: Fields) -> Voicemail:
    callerid = f.text("callerid")  # '"Tina Sander" <221>'
    match = re.match(r'^\s*"?([^"<]*)"?\s*<([^>]*)>', callerid)
    name = f.text("calleridname") or (match.group(1).strip() if match else "")
    number = f.text("calleridnum") or (match.group(2).strip() if match else "")
    return Voicemail(
        id=f.id("msg_id", "id"),
        folder=f.text("folder") or "INBOX",
        caller_name=name if name.lower() not in {"unknown", "<unknown>"} else "",
        caller_number=number if number.lower() not in {"unknown", "<unknown>"} else "",
        received=f.time("origtime") or f.time("origdate"),
        duration=f.number("duration", most=LONGEST),
    )


def voicemails(payload: Any) -> list[Voicemail]:
    """A folder's messages, newest first."""
    messages = read_all(payload, "voicemailbox/{mailbox}/{folder}", voicemail)
    return newest_first(messages, lambda m: m.received)


_CALL_ID = re.compile(r"^\d{9,}_\d+$")  # "1613464778194_20": pascom's call id, not a caller
_NO_NUMBER = {"", "<none>", "none", "unknown", "<unknown>", "anonymous"}


def _own_numbers(me: Account) -> set[str]:
    return {n for n in (me.fax_extension, me.extension) if n}


def fax_remote_number(f: Fields, me: Account) -> str:
    """The number the fax came from, if the PBX gives one.

    The reference calls `cidnumber` "Extension of Fax Receiver" (our own fax) and
    `callid1`..`callid4` "Participated Caller Ids": the remote number is the one of those
    that is neither ours, nor a call id, nor "<NONE>".
    """
    own = _own_numbers(me) | {f.text("009ext_extension"), f.text("cidnumber")}
    for key in ("callid3", "callid1", "callid4", "callid2"):
        value = f.text(key)
        if value.lower() in _NO_NUMBER or value in own or _CALL_ID.match(value):
            continue
        return value
    return ""


def fax_sender_name(f: Fields, me: Account) -> str:
    """`cidname` ("Callerid Name") when it is a name: not a call id, the PBX, or us."""
    name = f.text("cidname")
    not_names = _own_numbers(me) | {f.text("sender"), f.text("cidnumber")}
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


def received_fax(key: str, f: Fields, me: Account) -> ReceivedFax:
    """`sender` is "Name of the sender - PBX name": never shown as who sent the fax."""
    return ReceivedFax(
        id=f.text("filename") or key,
        sender=fax_sender_name(f, me),
        sender_number=fax_remote_number(f, me),
        received=f.time("received") or f.time("time"),
        pages=f.number("pages", most=LONGEST),
        pdf_url=f.text("pdf"),
    )


def received_faxes(payload: Any, me: Account) -> list[ReceivedFax]:
    """The user's received faxes (keyed by file name, or a list), newest first."""
    faxes = read_keyed(
        payload,
        "faxserver/received",
        lambda key, f: received_fax(key, f, me) if owns_fax(f, me) else None,
    )
    return newest_first(faxes, lambda fax: fax.received)


def owns_fax(f: Fields, me: Account) -> bool:
    """A received fax is the user's when it came in on their fax device."""
    if me.fax_extension and f.text("009ext_extension") == me.fax_extension:
        return True
    return not me.fax_extension and f.number("003use_id", -1) == me.id


def sent_by(f: Fields, key: str, me: Account, scheduled_here: frozenset[str]) -> bool:
    """A sent fax is the user's when Companion scheduled it here or it notifies their address.

    Only what the reference gives: `notify` (the address the send body set) and the job id.
    """
    if (f.text("id") or key) in scheduled_here:
        return True
    return bool(me.email) and f.text("notify").lower() == me.email.lower()


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


def sent_fax(key: str, f: Fields) -> SentFax:
    state = f.text("state")
    return SentFax(
        id=f.text("id") or key,
        title=f.text("jobtag"),
        destination=f.text("dialstring") or f.text("number"),
        state=_FAX_STATES.get(state.upper(), state.lower() or "unknown"),
        pages=f.number("totalPages", most=LONGEST),
        scheduled=f.time("scheduled"),
        error=f.text("error"),
    )


def sent_faxes(payload: Any, me: Account, scheduled_here: frozenset[str]) -> list[SentFax]:
    """The user's sent faxes (see `sent_by`), newest first."""
    faxes = read_keyed(
        payload,
        "faxserver/done",
        lambda key, f: sent_fax(key, f) if sent_by(f, key, me, scheduled_here) else None,
    )
    return newest_first(faxes, lambda fax: fax.scheduled)


def call_record(f: Fields, login: str, extension: str) -> CallRecord:
    outgoing = f.text("srcUserName") == login or (
        not f.text("srcUserName") and f.text("srcExtension") == extension
    )
    side = "dst" if outgoing else "src"
    return CallRecord(
        id=f.id("id"),
        time=f.time("timestamp") or f.time("time"),
        outgoing=outgoing,
        name=f.text(f"{side}Name"),
        number=f.text(f"{side}Number") or f.text(f"{side}Extension"),
        duration=f.number("duration", most=LONGEST),
        connected=f.number("connected", most=LONGEST),
        result=f.text("result"),
    )


def history(outgoing: Any, incoming: Any, login: str, extension: str) -> list[CallRecord]:
    """The user's calls from both cdr/ answers, once each, newest first.

    A call in both answers (to oneself) counts once; records without an id are all kept.
    """
    seen: dict[str, CallRecord] = {}
    unnamed: list[CallRecord] = []
    for payload in (outgoing, incoming):
        for record in read_all(payload, "cdr/", lambda f: call_record(f, login, extension)):
            if record.id:
                seen.setdefault(record.id, record)
            else:
                unnamed.append(record)
    return newest_first([*seen.values(), *unnamed], lambda r: r.time)

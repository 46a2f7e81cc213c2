"""pascom's voicemailbox/ and faxserver/ JSON to models, and which faxes are the user's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from companion.pbx.models import (
    Account,
    ReceivedFax,
    SentFax,
    Voicemail,
    VoicemailCounts,
)
from companion.pbx.pascom.mapping import (
    LONGEST,
    Fields,
    integer,
    newest_first,
    read_all,
    read_keyed,
)


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

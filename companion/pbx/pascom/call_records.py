"""pascom's cdr/ JSON to the user's call history."""

from __future__ import annotations

from typing import Any

from companion.pbx.models import (
    CallRecord,
)
from companion.pbx.pascom.mapping import (
    LONGEST,
    Fields,
    newest_first,
    read_all,
)


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

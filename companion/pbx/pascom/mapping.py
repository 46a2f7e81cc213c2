"""The shared readers of pascom's raw JSON (003use_bez, 009ext_extension, ...).

pascom's JSON becomes domain models in this module's siblings and nowhere else:
`people` (identity/, phonebook/), `status` (presence, profiles, queues, redirects,
switches), `inbox_records` (voicemail, fax), `call_records` (cdr/) and `live` (cdr/live).

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


def looks_keyed(payload: Mapping[str, Any]) -> bool:
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
        if looks_keyed(payload):
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

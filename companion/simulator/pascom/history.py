"""The call history (CDR) with its filters, and the live calls as the history API shows
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .base import StateBase
from .records import (
    JSON,
    PbxError,
)

# The fields a CDR record carries for each side of a call (prefixed src/dst).
CDR_PARTY_FIELDS = (
    "Internal",
    "UserId",
    "UserName",
    "Name",
    "DeviceId",
    "DeviceName",
    "LocationId",
    "LocationName",
    "Prefix",
    "Number",
    "Extension",
    "PhonebookEntryId",
)
# The fields a live call (cdr/live) carries for each side, in the reference's order.
LIVE_PARTY_FIELDS = (
    "Internal",
    "Name",
    "Number",
    "Prefix",
    "UserId",
    "UserName",
    "DeviceId",
    "DeviceName",
    "LocationId",
    "LocationName",
    "Extension",
)


def copy_parties(
    record: dict[str, Any], src: dict[str, Any], dst: dict[str, Any], fields: tuple[str, ...]
) -> None:
    """Copy `fields` of both sides into `record`: all srcX first, then all dstX."""
    for side, party in (("src", src), ("dst", dst)):
        for key in fields:
            record[f"{side}{key}"] = party[f"{side}{key}"]


class History(StateBase):
    """`cdr` (the call history, filtered) and `cdr/live` (the calls going on now)."""

    def add_cdr(self, raw: JSON) -> JSON:
        rec = self._cdr_record(raw)
        self.cdr.append(rec)
        return rec

    def _party(self, side: str, raw: JSON) -> JSON:
        username = raw.get(f"{side}UserName") or ""
        number = raw.get(f"{side}Number") or ""
        u = self.users.get(username) if username else self._user_by_extension(number)
        if u is not None:
            device_name = (
                raw.get(f"{side}DeviceName") or u.default_device or next(iter(u.devices), "")
            )
            device = u.devices.get(device_name)
            return {
                f"{side}Internal": True,
                f"{side}UserId": u.id,
                f"{side}UserName": u.name,
                f"{side}Name": raw.get(f"{side}Name") or u.bez,
                f"{side}DeviceId": device.id if device else "",
                f"{side}DeviceName": device_name,
                f"{side}LocationId": u.loc_id,
                f"{side}LocationName": u.bez,
                f"{side}Prefix": raw.get(f"{side}Prefix", ""),
                f"{side}Number": number or (u.extension or ""),
                f"{side}Extension": u.extension or "",
                f"{side}PhonebookEntryId": u.pho_id,
            }
        ext = self.extensions.get(number)
        return {
            f"{side}Internal": ext is not None,
            f"{side}UserId": "",
            f"{side}UserName": "",
            f"{side}Name": raw.get(f"{side}Name") or (ext["text"] if ext else ""),
            f"{side}DeviceId": "",
            f"{side}DeviceName": "",
            f"{side}LocationId": "",
            f"{side}LocationName": "",
            f"{side}Prefix": raw.get(f"{side}Prefix", ""),
            f"{side}Number": number,
            f"{side}Extension": number if ext else "",
            f"{side}PhonebookEntryId": "",
        }

    def _cdr_record(self, raw: JSON) -> JSON:
        rid = self._ids["cdr"].claim(raw.get("id"))
        ts = int(raw["timestamp"])
        rec: JSON = {
            "id": rid,
            "timestamp": ts,
            "time": _iso_time(ts),
            "parentId": "",
            "chain": raw.get("chain", f"{ts}_{rid}"),
            "phonecallId": raw.get("phonecallId", rid),
            "result": raw.get("result", "hangup"),
            "resultDetails": raw.get("resultDetails", "src"),
            "via": raw.get("via", ""),
            "viaDetails": raw.get("viaDetails", ""),
            "recordId": "",
            "duration": raw.get("duration", 0),
            "connected": raw.get("connected", 0),
            "holdCount": raw.get("holdCount", 0),
            "holdDuration": raw.get("holdDuration", 0),
        }
        src = self._party("src", raw)
        dst = self._party("dst", raw)
        copy_parties(rec, src, dst, CDR_PARTY_FIELDS)
        rec["data"] = {}
        self._phonecall_ids.claim(rec["phonecallId"])
        return rec

    def cdr_query(self, filters: dict[str, str]) -> list[JSON]:
        checks: list[Callable[[JSON], bool]] = []
        exact = {
            "srcusername": "srcUserName",
            "dstusername": "dstUserName",
            "srcextension": "srcExtension",
            "dstextension": "dstExtension",
            "srcuserid": "srcUserId",
            "dstuserid": "dstUserId",
            "result": "result",
            "phonecallid": "phonecallId",
            "chain": "chain",
            "id": "id",
        }
        wildcard = {
            "srcnumber": "srcNumber",
            "dstnumber": "dstNumber",
            "srcname": "srcName",
            "dstname": "dstName",
        }
        for param, key in exact.items():
            if param in filters:
                want = filters[param]
                checks.append(_equals(key, want))
        for param, key in wildcard.items():
            if param in filters:
                rx = _like(filters[param])
                checks.append(_matches(key, rx))
        for param, key in (("srcinternal", "srcInternal"), ("dstinternal", "dstInternal")):
            if param in filters:
                flag = _parse_bool(param, filters[param])
                checks.append(_is(key, flag))
        if "timefrom" in filters:
            t0 = _parse_time("timefrom", filters["timefrom"], end_of_day=False)
            checks.append(lambda r: r["timestamp"] >= t0)
        if "timeto" in filters:
            t1 = _parse_time("timeto", filters["timeto"], end_of_day=True)
            checks.append(lambda r: r["timestamp"] <= t1)
        if "durationfrom" in filters:
            d = _parse_int("durationfrom", filters["durationfrom"])
            checks.append(lambda r: r["duration"] >= d)
        order = filters.get("order", "desc").lower()
        if order not in ("asc", "desc"):
            raise PbxError(400, "order must be asc or desc")
        limit = _parse_int("limit", filters["limit"]) if "limit" in filters else 0
        found = [r for r in self.cdr if all(c(r) for c in checks)]
        found.sort(key=lambda r: (r["timestamp"], r["id"]), reverse=order == "desc")
        return found[:limit] if limit > 0 else found

    def live_calls(self) -> list[JSON]:
        return self.calls.live()

    def live_call(self, call_id: str) -> JSON | None:
        if not call_id.isdigit():
            raise PbxError(400, "a phonecall id is a number")
        call = self.calls.active.get(int(call_id))
        return None if call is None else self.calls.live_json(call)


def _iso_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S +0000")


def _equals(key: str, want: str) -> Callable[[JSON], bool]:
    return lambda r: str(r[key]) == want


def _matches(key: str, rx: re.Pattern[str]) -> Callable[[JSON], bool]:
    return lambda r: rx.fullmatch(str(r[key])) is not None


def _is(key: str, flag: bool) -> Callable[[JSON], bool]:
    return lambda r: r[key] is flag


def _like(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in pattern.split("%")]
    return re.compile(".*".join(parts), re.IGNORECASE | re.DOTALL)


def _parse_int(name: str, value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise PbxError(400, f"{name} must be a whole number") from None
    if n < 0:
        raise PbxError(400, f"{name} must not be negative")
    return n


def _parse_bool(name: str, value: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise PbxError(400, f"{name} must be true or false")


def _parse_time(name: str, value: str, *, end_of_day: bool) -> int:
    if value.isdigit():
        return int(value)
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise PbxError(400, f"{name} must be a unix time in ms or YYYY-MM-DD") from None
    ms = int(day.timestamp() * 1000)
    return ms + 86_400_000 - 1 if end_of_day else ms

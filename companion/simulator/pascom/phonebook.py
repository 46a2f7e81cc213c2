"""The phonebook: global and private entries, kept sorted for paging and search."""

from __future__ import annotations

from bisect import bisect_left, insort
from heapq import merge
from typing import Any

from .base import StateBase
from .records import (
    JSON,
    PHONEBOOK_FIELDS,
    PbxError,
    PhonebookEntry,
)


class Phonebook(StateBase):
    """`phonebook`: a sorted index of the global entries, each user's private ones beside."""

    def _global_order(self) -> list[PhonebookEntry]:
        if self._global_sorted is None:
            self._global_sorted = sorted(
                (e for e in self.phonebook.values() if e.owner is None), key=_entry_key
            )
        return self._global_sorted

    def _index_add(self, entry: PhonebookEntry) -> None:
        self._merged.clear()
        if entry.owner is not None:
            self._private.setdefault(entry.owner, {})[entry.id] = entry
        elif self._global_sorted is not None:
            insort(self._global_sorted, entry, key=_entry_key)

    def _index_remove(self, entry: PhonebookEntry) -> None:
        self._merged.clear()
        if entry.owner is not None:
            self._private.get(entry.owner, {}).pop(entry.id, None)
        elif self._global_sorted is not None:
            lst = self._global_sorted
            i = bisect_left(lst, _entry_key(entry), key=_entry_key)
            if i < len(lst) and lst[i] is entry:
                del lst[i]
            else:  # pragma: no cover - the index is out of step: rebuild it
                self._global_sorted = None

    def phonebook_query(
        self,
        *,
        owner: str | None,
        scope_all: bool,
        search: str | None,
        letter: str | None,
        offset: int,
        limit: int,
    ) -> tuple[int, int, list[PhonebookEntry]]:
        """Returns (size of the phonebook, number of matches, the page of matches)."""
        entries: list[PhonebookEntry]
        if owner is not None:
            self.user(owner)
            private = sorted(self._private.get(owner, {}).values(), key=_entry_key)
            if scope_all:
                if owner not in self._merged:
                    self._merged[owner] = list(merge(private, self._global_order(), key=_entry_key))
                entries = self._merged[owner]
            else:
                entries = private
        else:
            entries = self._global_order()
        total = len(entries)
        if letter:
            first = letter.lower()
            entries = [e for e in entries if e.sortkey.startswith(first)]
        if search:
            term = search.lower()
            entries = [e for e in entries if term in e.search]
        matches = len(entries)
        page = entries[offset : offset + limit] if limit > 0 else entries[offset:]
        return total, matches, page

    def phonebook_entry(self, entry_id: str) -> PhonebookEntry:
        if not entry_id.isdigit() or int(entry_id) not in self.phonebook:
            raise PbxError(404, f"no phonebook entry {entry_id!r}")
        return self.phonebook[int(entry_id)]

    @staticmethod
    def _phonebook_data(body: Any, base: dict[str, str | None] | None) -> dict[str, str | None]:
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        if body.get("type", "028phonebook") not in ("028phonebook", None):
            raise PbxError(400, "type must be '028phonebook'")
        data: dict[str, str | None] = dict(base or {})
        for key in PHONEBOOK_FIELDS:
            if key in body:
                value = body[key]
                if value is not None and not isinstance(value, str):
                    raise PbxError(400, f"{key} must be a string or null")
                data[key] = value
        if "labelList" in body and not isinstance(body["labelList"], list):
            raise PbxError(400, "labelList must be an array")
        if not data.get("displayname"):
            data["displayname"] = _compose_displayname(
                data.get("firstname"), data.get("surname"), data.get("organisation")
            )
        if not data.get("displayname"):
            raise PbxError(400, "an entry needs a displayname, firstname, surname or organisation")
        return data

    def create_phonebook_entry(self, owner: str | None, body: Any) -> JSON:
        if owner is not None:
            self.user(owner)
        data = self._phonebook_data(body, None)
        entry = PhonebookEntry(self._ids["pho"].claim(), "028phonebook", owner, data)
        self._add_phonebook_entry(entry)
        return entry.to_json()

    def _add_phonebook_entry(self, entry: PhonebookEntry) -> None:
        entry.reindex()
        self.phonebook[entry.id] = entry
        self._index_add(entry)

    def update_phonebook_entry(self, entry_id: str, body: Any) -> JSON:
        entry = self.phonebook_entry(entry_id)
        if entry.kind != "028phonebook":
            raise PbxError(403, "a user's own entry is changed in the user settings")
        data = self._phonebook_data(body, entry.data)
        if isinstance(body, dict) and "phonebookType" in body:
            kind, name = body.get("phonebookType"), body.get("phonebookName")
            if kind == "identity":
                if not isinstance(name, str) or name not in self.users:
                    raise PbxError(400, f"unknown phonebookName {name!r}")
                new_owner: str | None = name
            elif kind in (None, "", "null"):
                new_owner = None
            else:
                raise PbxError(400, f"unknown phonebookType {kind!r}")
        else:
            new_owner = entry.owner
        self._index_remove(entry)
        entry.data = data
        entry.owner = new_owner
        entry.reindex()
        self._index_add(entry)
        return entry.to_json()

    def delete_phonebook_entry(self, entry_id: str) -> JSON:
        entry = self.phonebook_entry(entry_id)
        if entry.kind != "028phonebook":
            raise PbxError(403, "a user's own entry cannot be deleted")
        self._index_remove(entry)
        del self.phonebook[entry.id]
        return {"response": "phonebook entry deleted", "id": entry.id}


def _entry_key(e: PhonebookEntry) -> tuple[str, int]:
    return (e.sortkey, e.id)


def _compose_displayname(first: str | None, last: str | None, org: str | None) -> str:
    person = " ".join(p for p in (first, last) if p)
    if org and person:
        return f"{org} - {person}"
    return org or person

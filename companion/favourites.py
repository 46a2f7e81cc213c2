"""Favourites: the contacts the user pinned, in the user's order. No Qt here.

A favourite is kept as a reference plus what the user saw when pinning it: the
contact's source and id (the PBX's phonebook entry), its name, its main number and,
for a colleague, the login name (for presence). The reference finds the contact again
after a directory re-sync and shows its new name; the name and number keep the
favourite usable when the local directory does not know the contact (not built yet,
no FTS5, the entry was deleted or re-imported on the PBX).

A number that is no contact (a recent caller) can be pinned too: its source is "".

In ``settings.toml`` the favourites are an array of tables, in their order::

    [[favourites]]
    source = "user"
    id = "2"
    name = "Tina Sander"
    number = "221"
    user_name = "tsander"
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from companion.pbx.models import Contact, ContactNumber, ContactSource, NumberKind

MAX_FAVOURITES = 50  # more is no longer "one arrow key away"
FIELDS = ("source", "id", "name", "number", "user_name")


class FavouriteError(ValueError):
    """A favourite in the settings file is not one; ``str(err)`` says why."""


@dataclass(frozen=True)
class Favourite:
    source: str  # a ContactSource value, or "" for a bare number
    id: str  # the phonebook entry's id ("" for a bare number)
    name: str  # as last shown
    number: str  # the main number, as stored on the PBX (what is dialled)
    user_name: str = ""  # a colleague's login, for presence

    @property
    def key(self) -> tuple[str, str]:
        """What makes two favourites the same: the entry, or the number of a bare one."""
        return (self.source, self.id) if self.source else ("", self.number)

    def contact(self) -> Contact:
        """The favourite as a contact, for when the directory does not know it."""
        source = ContactSource(self.source) if self.source else ContactSource.PRIVATE
        numbers = (ContactNumber(NumberKind.PHONE, self.number),) if self.number else ()
        return Contact(
            id=self.id,
            name=self.name,
            source=source,
            numbers=numbers,
            user_name=self.user_name or None,
        )


def of_contact(contact: Contact) -> Favourite:
    """The favourite that stands for `contact` (its first dialable number is the main one)."""
    dialable = contact.dialable
    return Favourite(
        source=contact.source.value,
        id=contact.id,
        name=contact.name or contact.organisation,
        number=dialable[0].number if dialable else "",
        user_name=contact.user_name or "",
    )


def of_number(number: str, name: str = "") -> Favourite:
    return Favourite(source="", id="", name=name, number=number)


def refreshed(favourite: Favourite, contact: Contact | None) -> Favourite:
    """`favourite` with the name, number and login the directory has now (if it knows it)."""
    if contact is None or not favourite.source:
        return favourite
    fresh = of_contact(contact)
    return fresh if fresh.number else dataclasses.replace(fresh, number=favourite.number)


# -- changing the list ----------------------------------------------------------------


def pinned(favourites: Sequence[Favourite], favourite: Favourite) -> tuple[Favourite, ...]:
    """The list with `favourite` at its end (once: pinning it again changes nothing)."""
    if any(f.key == favourite.key for f in favourites):
        return tuple(favourites)
    return (*favourites, favourite)


def unpinned(favourites: Sequence[Favourite], key: tuple[str, str]) -> tuple[Favourite, ...]:
    return tuple(f for f in favourites if f.key != key)


def moved(
    favourites: Sequence[Favourite], key: tuple[str, str], step: int
) -> tuple[Favourite, ...]:
    """The list with the favourite `key` moved `step` places (-1: up), kept in bounds."""
    items = list(favourites)
    index = next((i for i, f in enumerate(items) if f.key == key), None)
    if index is None:
        return tuple(items)
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return tuple(items)


def refresh_all(
    favourites: Sequence[Favourite],
    by_reference: Callable[[Favourite], Contact | None],
    by_number: Callable[[str], Contact | None],
) -> tuple[Favourite, ...]:
    """The favourites as the directory knows them now.

    Found by source and id first; an entry the PBX re-created under a new id (a
    re-imported phonebook) is found by its main number, if that belongs to an entry of
    the same source. One the directory does not know stays as it was.
    """
    result: list[Favourite] = []
    for favourite in favourites:
        contact = by_reference(favourite) if favourite.source else None
        if contact is None and favourite.source and favourite.number:
            candidate = by_number(favourite.number)
            if candidate is not None and candidate.source.value == favourite.source:
                contact = candidate
        fresh = refreshed(favourite, contact)
        if all(f.key != fresh.key for f in result):  # two that became one: keep the first
            result.append(fresh)
    return tuple(result)


# -- the settings file --------------------------------------------------------------------


def from_toml(value: Any) -> tuple[Favourite, ...]:
    """The favourites from the ``favourites`` array of tables; FavouriteError in words."""
    if not isinstance(value, list):
        raise FavouriteError("favourites must be a list of [[favourites]] tables")
    found: list[Favourite] = []
    for n, table in enumerate(value, start=1):
        if not isinstance(table, dict):
            raise FavouriteError(f"favourite {n} is not a table")
        fields: dict[str, str] = {}
        for name in FIELDS:
            item = table.get(name, "")
            if not isinstance(item, str) or any(not ch.isprintable() for ch in item):
                raise FavouriteError(f"favourite {n}: {name} must be text")
            fields[name] = item.strip()
        if fields["source"] and fields["source"] not in {s.value for s in ContactSource}:
            raise FavouriteError(
                f"favourite {n}: source must be user, private, global or empty,"
                f" not {fields['source']!r}"
            )
        if fields["source"] and not fields["id"]:
            raise FavouriteError(f"favourite {n} names a {fields['source']} entry but no id")
        if not fields["number"] and not fields["source"]:
            raise FavouriteError(f"favourite {n} has neither an entry nor a number")
        found = list(pinned(found, Favourite(**fields)))
    return tuple(found[:MAX_FAVOURITES])


def to_toml(favourites: Sequence[Favourite]) -> list[dict[str, str]]:
    """The tables to write, in order; empty fields left out."""
    return [
        {name: getattr(f, name) for name in FIELDS if getattr(f, name)}
        for f in favourites[:MAX_FAVOURITES]
    ]

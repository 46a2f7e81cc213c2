"""The user's favourites while the app runs: in order, as the local directory knows them,
with the presence of the colleagues among them.

What a favourite keeps, and the rules of pinning, moving and refreshing one, live in
:mod:`companion.favourites`; this holds the list, saves each change (through `save`) and
says when what the user sees of it changed (`changed`). Qt-free: the controller hands in
its signal's `emit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, overload

from companion import favourites as favourite_list
from companion.favourites import Favourite
from companion.pbx.models import Contact, Presence

if TYPE_CHECKING:
    from companion.local_directory import LocalDirectory
    from companion.pbx.protocol import Pbx

log = logging.getLogger(__name__)

Key = tuple[str, str]


class PinnedFavourites(Sequence[Favourite]):
    """The favourites in the user's order; a sequence of :class:`Favourite`."""

    def __init__(
        self,
        favourites: Sequence[Favourite],
        pbx: Pbx,
        *,
        save: Callable[[tuple[Favourite, ...]], None] | None,
        changed: Callable[[], None],
        directory: LocalDirectory | None = None,
    ) -> None:
        """`save`: keeps them in the settings (None: in memory only); may raise ConfigError.
        `directory`: the local directory index, where each favourite's contact is found."""
        self._items = tuple(favourites)
        self._pbx = pbx
        self._save = save
        self._changed = changed
        self._directory = directory
        self._contacts: dict[Key, Contact] = {}  # what the directory knows of each, by key
        self.presence: dict[str, Presence] = {}  # the colleagues', by user name
        self._look_up()

    @overload
    def __getitem__(self, index: int) -> Favourite: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Favourite, ...]: ...
    def __getitem__(self, index: int | slice) -> Favourite | tuple[Favourite, ...]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def contact(self, favourite: Favourite) -> Contact:
        """The favourite as the local directory knows it (all its numbers), else as kept."""
        return self._contacts.get(favourite.key) or favourite.contact()

    def of(self, contact: Contact | None, number: str = "") -> Favourite | None:
        """The favourite that is `contact` (or the bare `number`), if it is pinned."""
        key = favourite_list.of_contact(contact).key if contact is not None else ("", number)
        return next((f for f in self._items if f.key == key), None)

    def pin(self, favourite: Favourite) -> None:
        """Add `favourite` at the end; ConfigError when the settings could not be saved
        (it stays pinned for this session)."""
        self._set(favourite_list.pinned(self._items, favourite))

    def unpin(self, favourite: Favourite) -> None:
        self._set(favourite_list.unpinned(self._items, favourite.key))

    def move(self, favourite: Favourite, step: int) -> None:
        """Move `favourite` `step` places (-1: up one)."""
        self._set(favourite_list.moved(self._items, favourite.key, step))

    def _set(self, favourites: tuple[Favourite, ...]) -> None:
        if favourites == self._items:
            return
        self._items = favourites
        self._look_up()
        self._changed()
        if self._save is not None:
            self._save(favourites)

    def refresh(self) -> None:
        """Take the favourites' names and numbers from the local directory (after a sync):
        a renamed contact shows its new name, a re-created one is found by its number."""
        directory = self._directory
        if directory is None or not directory.searchable or not self._items:
            return
        wanted: dict[str, list[str]] = {}
        for favourite in self._items:
            if favourite.source:
                wanted.setdefault(favourite.source, []).append(favourite.id)
        known = {
            (source, cid): contact
            for source, ids in wanted.items()
            for cid, contact in directory.directory.entries(source, ids).items()
        }
        fresh = favourite_list.refresh_all(
            self._items, lambda f: known.get(f.key), directory.lookup
        )
        if fresh != self._items:
            try:
                self._set(fresh)
            except Exception as exc:  # shown as they are; saved with the next change
                log.warning("the refreshed favourites could not be saved: %s", exc)
            return
        before = self._contacts
        self._look_up(known)
        if self._contacts != before:
            self._changed()

    def _look_up(self, known: dict[Key, Contact] | None = None) -> None:
        directory = self._directory
        if directory is None or not directory.searchable:
            return
        if known is None:
            known = {}
            for favourite in self._items:
                if favourite.source and favourite.key not in self._contacts:
                    found = directory.directory.entries(favourite.source, [favourite.id])
                    if favourite.id in found:
                        known[favourite.key] = found[favourite.id]
            known = {**self._contacts, **known}
        keys = {f.key for f in self._items}
        self._contacts = {k: c for k, c in known.items() if k in keys}

    async def load_presence(self) -> dict[str, Presence]:
        """Ask the PBX for the presence of the colleagues among the favourites."""
        users = list(dict.fromkeys(f.user_name for f in self._items if f.user_name))
        presence = await self._pbx.presence(users) if users else {}
        if presence != self.presence:
            self.presence = presence
            self._changed()
        return presence

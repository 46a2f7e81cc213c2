"""The pascom phonebook for one user: searching, the pages of the local index, entries
created, changed and deleted, and what a number is. `PascomPbx` delegates to it."""

from __future__ import annotations

import asyncio
import time

from companion.pbx import errors
from companion.pbx.models import Contact, ContactDetails, NumberInfo, SearchResult
from companion.pbx.pascom import mapping, people
from companion.pbx.pascom.answers import path, unsure
from companion.pbx.pascom.http import Wire

USER_DIRECTORY_TTL = 300.0  # seconds the extension -> login map is reused


class Phonebook:
    """The phonebook as `user` (the 003use_name) sees it: global, private and colleagues."""

    def __init__(self, wire: Wire, user: str) -> None:
        self.wire = wire
        self.user = user
        self._directory: tuple[float, dict[str, str]] | None = None

    async def _users_by_extension(self) -> dict[str, str]:
        now = time.monotonic()
        if self._directory and now - self._directory[0] < USER_DIRECTORY_TTL:
            return self._directory[1]
        directory = people.users_by_extension(await self.wire.get_json("identity/"))
        self._directory = (now, directory)
        return directory

    async def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        params: dict[str, str | int] = {"scope": "all", "limit": limit, "offset": offset}
        if text.strip():
            params["search"] = text.strip()
        return await self._phonebook(params, offset)

    async def directory_page(
        self, offset: int, limit: int, private_only: bool = False
    ) -> SearchResult:
        """One page of the whole phonebook (global, private and users), for the local index.

        ``private_only``: the user's own phonebook alone (the endpoint without scope=all).
        """
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if not private_only:
            params["scope"] = "all"
        return await self._phonebook(params, offset)

    async def _phonebook(self, params: dict[str, str | int], offset: int) -> SearchResult:
        payload, directory = await asyncio.gather(
            self.wire.get_json(path("phonebook", "identity", self.user), params),
            self._users_by_extension(),
        )
        if payload is None:
            return SearchResult((), 0, offset)
        entries = payload.get("entries") if isinstance(payload, dict) else payload
        contacts = tuple(people.contacts(entries, directory))
        total = (
            mapping.integer(payload.get("total"), len(contacts))
            if isinstance(payload, dict)
            else len(contacts)
        )
        return SearchResult(contacts, max(total, len(contacts)), offset)

    async def create_contact(self, details: ContactDetails) -> Contact:
        body = people.contact_body(details, self.user)
        answer = await self.wire.act(
            path("phonebook", "identity", self.user),
            body,
            unconfirmed=unsure("created the entry", "the phonebook"),
        )
        if isinstance(answer, dict) and mapping.text(answer.get("id")):
            return await self._contact(mapping.text(answer.get("id")))
        # The reference shows no answer to a create: find the new entry by its name.
        found = await self.search(body["displayname"], limit=50)
        mine = [c for c in found.contacts if c.source.value == "private"]
        if not mine:
            raise errors.UnexpectedResponse("The PBX did not confirm the new phonebook entry.")
        return max(mine, key=lambda c: mapping.integer(c.id))

    async def _contact(self, contact_id: str) -> Contact:
        raw = await self.wire.get_json(path("phonebook", contact_id))
        if not isinstance(raw, dict):
            raise errors.NotFound("The phonebook entry no longer exists.")
        entry = mapping.Fields(raw, "phonebook/{id}")
        return people.contact(entry, await self._users_by_extension())

    async def update_contact(self, contact_id: str, details: ContactDetails) -> Contact:
        body = people.contact_body(details, self.user)
        try:
            await self.wire.act(
                path("phonebook", contact_id),
                body,
                unconfirmed=unsure("changed the entry", "the phonebook"),
            )
        except errors.NotFound:
            raise errors.NotFound("The phonebook entry no longer exists.") from None
        return await self._contact(contact_id)

    async def delete_contact(self, contact_id: str) -> None:
        try:
            await self.wire.act(
                path("phonebook", contact_id),
                method="DELETE",
                unconfirmed=unsure("deleted the entry", "the phonebook"),
            )
        except errors.NotFound:
            raise errors.NotFound("The phonebook entry no longer exists.") from None

    async def resolve(self, number: str) -> NumberInfo:
        payload = await self.wire.get_json("extension/", {"target": number})
        for found in mapping.records(payload, "extension/"):
            if found.text("009ext_extension"):
                return NumberInfo(number, True, found.text("text"))
        return NumberInfo(number, False)

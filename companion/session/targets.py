"""Redirect targets in the user's words: a number, an extension or a name from the phonebook.

The GUI's redirect dialog and `companion redirect TARGET` both resolve what the user typed
here, and both show a target as "Tina Sander (221)" once its name is known. No Qt.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from companion import numbers
from companion.pbx import errors
from companion.pbx.models import Contact, ContactSource, NumberKind, SearchResult
from companion.pbx.protocol import Pbx

SEARCH_LIMIT = 50  # phonebook entries a name search offers to choose from


class TargetNotFound(numbers.NumberError):
    """Nothing in the phonebook matches the name the user typed."""


@dataclass(frozen=True)
class Target:
    """Where calls can be forwarded to: `number` is what the PBX is sent."""

    number: str
    name: str = ""  # the contact's name, "" when the user typed a number
    kind: NumberKind | None = None  # which of the contact's numbers this is


def label(name: str, shown_number: str) -> str:
    """ "Tina Sander (221)", or the number alone when no name is known."""
    return f"{name} ({shown_number})" if name and name != shown_number else shown_number


Search = Callable[[str, int], Awaitable[SearchResult]]


async def resolve(
    pbx: Pbx, text: str, region: str | None, search: Search | None = None
) -> list[Target]:
    """What `text` can mean as a redirect target: one Target, or several to choose from.

    A number or extension is taken as it is. Anything else with letters in it is a name,
    searched in the phonebook (the user's own and the company's; colleagues by their
    extension), with `search` (the local directory) when given, else the PBX. Raises
    NumberError for a malformed number and TargetNotFound when no contact matches.
    """
    try:
        return [Target(numbers.parse_dial_input(text, region).destination)]
    except numbers.NumberError:
        if not any(c.isalpha() for c in text):
            raise
    wanted = " ".join(text.split())
    result = await (search or _pbx_search(pbx))(wanted, SEARCH_LIMIT)
    candidates: dict[str, Target] = {}
    # Every match is offered, even beside an exact one: "Müller" may mean Anna Müller.
    for contact in result.contacts:
        for target in _targets_of(contact, region):
            candidates.setdefault(target.number, target)
    if not candidates:
        raise TargetNotFound(f'No contact with a phone number matches "{wanted}".')
    return list(candidates.values())


def _pbx_search(pbx: Pbx) -> Search:
    async def search(text: str, limit: int) -> SearchResult:
        return await pbx.search(text, limit=limit)

    return search


def _targets_of(contact: Contact, region: str | None) -> list[Target]:
    entries = contact.dialable
    if contact.source is ContactSource.USER:
        # A colleague is reached on their extension (the phonebook's `phone` of a user).
        entries = tuple(n for n in entries if n.kind is NumberKind.PHONE) or entries
    found = []
    for entry in entries:
        try:
            number = numbers.parse_dial_input(entry.number, region).destination
        except numbers.NumberError:
            continue  # a phonebook entry with an unusable number is no target
        found.append(Target(number, contact.name, entry.kind))
    return found


async def name_for(pbx: Pbx, number: str, region: str | None) -> str:
    """The name of whoever `number` reaches, or "" when the PBX knows none.

    An extension is resolved by the PBX (`extension/?target=`), any other number is
    looked up in the phonebook. Only a name is at stake: a failure gives "".
    """
    try:
        internal = numbers.parse_dial_input(number, region).is_internal
    except numbers.NumberError:
        return ""
    try:
        if internal:
            info = await pbx.resolve(number)
            if info.internal and info.name:
                return info.name
        contact = await contact_for(pbx, number, region)
    except errors.PbxError:
        return ""
    return contact.name if contact is not None else ""


async def contact_for(pbx: Pbx, number: str, region: str | None) -> Contact | None:
    """The phonebook entry a number belongs to, compared by normalised number.

    Phonebooks store numbers in any notation ("+49 89 1234-56", "089/123456") and the PBX's
    search matches text, so this searches the last four digits (a group most notations
    keep together) and compares the candidates by `numbers.comparable`.
    """
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) < 3:
        return None
    try:
        wanted = numbers.comparable(number, region)
    except numbers.NumberError:
        return None
    result = await pbx.search(digits[-4:], limit=100)
    for contact in result.contacts:
        for entry in contact.numbers:
            try:
                if numbers.comparable(entry.number, region) == wanted:
                    return contact
            except numbers.NumberError:
                continue
    return None


class TargetNames:
    """The names of redirect targets, each looked up once per session."""

    def __init__(self, pbx: Pbx, region: str | None) -> None:
        self.pbx = pbx
        self.region = region
        self._names: dict[str, str] = {}
        self._asked: set[str] = set()

    def remember(self, number: str, name: str) -> None:
        self._names[number] = name
        self._asked.add(number)

    def wanted(self, number: str) -> bool:
        """True when `number`'s name is neither known nor being looked up."""
        return bool(number) and number not in self._asked

    def name(self, number: str) -> str:
        return self._names.get(number, "")

    async def look_up(self, number: str) -> str:
        self._asked.add(number)
        name = await name_for(self.pbx, number, self.region)
        self._names[number] = name
        return name

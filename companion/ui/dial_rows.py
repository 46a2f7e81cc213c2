"""The dial window's rows: a contact, a favourite, a recent call or the typed number as
a :class:`~companion.ui.dial_results.ResultRow`, with its words translated.

The texts keep the dial window's translation context ("DialWindow"), where they were
translated before this module was split off.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime

from companion.controller import Controller
from companion.favourites import Favourite
from companion.numbers import NumberError
from companion.pbx.models import CallRecord, Contact, ContactSource, NumberKind, Presence
from companion.ui.dial_results import (
    SOURCE_COLOURS,
    DialTarget,
    ResultRow,
    RowKind,
    initials_of,
    presence_word,
)
from companion.ui.painted_icons import MISSED_RED

DISPLAY_CACHE_SIZE = 5_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)


class RowMaker:
    """Makes the rows the dial window shows, remembering how numbers are shown."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self._display_cache: dict[str, str] = {}

    def kind_word(self, kind: NumberKind) -> str:
        return {
            NumberKind.PHONE: _tr("phone"),
            NumberKind.MOBILE: _tr("mobile"),
            NumberKind.HOME: _tr("home"),
            NumberKind.FAX: _tr("fax"),
        }.get(kind, str(kind))

    def source_word(self, source: ContactSource) -> str:
        return {
            ContactSource.PRIVATE: _tr("private"),
            # "global" read as English in German too; the shared phonebook is the company's
            ContactSource.GLOBAL: QCoreApplication.translate(
                "DialWindow", "company", "contact tag: from the company phonebook"
            ),
            ContactSource.USER: _tr("colleague"),
        }.get(source, str(source))

    def display(self, number: str) -> str:
        """A phonebook number as shown.

        Remembered: parsing numbers is the slow part of building 50 rows (tens of ms),
        and the same numbers come back search after search.
        """
        shown = self._display_cache.get(number)
        if shown is None:
            if len(self._display_cache) > DISPLAY_CACHE_SIZE:
                self._display_cache.clear()
            shown = self._display_cache[number] = self.controller.display(number)
        return shown

    def typed_row(self, text: str) -> ResultRow | None:
        """The row that calls the typed text, when it reads as a number."""
        text = text.strip()
        if not text or not any(ch.isdigit() for ch in text):
            return None
        try:
            number = self.controller.parse(text)
        except NumberError:
            return None
        shown = self.controller.display(number.destination)
        if number.is_internal:
            detail = _tr("internal number")
        elif shown != text:
            detail = shown
        else:
            detail = _tr("phone number")
        if number.extension:
            detail += " " + _tr("(extension {0})").format(number.extension)
        label = text if len(text) <= 40 else shown
        return ResultRow(
            kind=RowKind.NUMBER,
            title=_tr("Call {0}").format(label),
            detail=detail,
            targets=(DialTarget("", text, shown),),
        )

    def contact_row(self, contact: Contact, presence: dict[str, Presence]) -> ResultRow:
        state = presence.get(contact.user_name) if contact.user_name else None
        if state is None and contact.source is ContactSource.USER and contact.user_name:
            state = Presence.UNKNOWN
        targets = tuple(
            DialTarget(self.kind_word(n.kind), n.number, self.display(n.number))
            for n in contact.dialable
        )
        return ResultRow(
            kind=RowKind.CONTACT,
            favourite=self.controller.favourites.of(contact),
            title=contact.name or contact.organisation or _tr("(no name)"),
            # "Müller & Söhne KG - Björn Müller" needs no second "Müller & Söhne KG" line
            detail=contact.organisation if contact.organisation not in contact.name else "",
            source=self.source_word(contact.source),
            source_colour=SOURCE_COLOURS.get(contact.source),
            initials=initials_of(contact),
            presence=state,
            presence_text=presence_word(state) if state is not None else "",
            targets=targets,
            contact=contact,
        )

    def favourite_row(self, favourite: Favourite, presence: dict[str, Presence]) -> ResultRow:
        presence = {**presence, **self.controller.favourites.presence}
        if favourite.source:
            row = self.contact_row(self.controller.favourites.contact(favourite), presence)
            return dataclasses.replace(row, favourite=favourite)
        shown = self.display(favourite.number)  # a pinned number that is no contact
        return ResultRow(
            kind=RowKind.CONTACT,
            title=favourite.name or shown,
            detail=shown if favourite.name else "",
            initials="#",
            targets=(DialTarget("", favourite.number, shown),),
            favourite=favourite,
        )

    def history_row(self, record: CallRecord, presence: dict[str, Presence]) -> ResultRow:
        shown = self.display(record.number)
        known = self.controller.known_contact(record.number)
        name = record.name or (known.name if known is not None else "")
        state = presence.get(known.user_name) if known and known.user_name else None
        if record.missed:
            direction, colour = _tr("missed"), MISSED_RED
        elif record.outgoing:
            direction = _tr("outgoing") if record.connected else _tr("not answered")
            colour = None
        else:
            direction, colour = _tr("incoming"), None
        if record.connected:
            minutes, seconds = divmod(record.connected, 60)
            direction += f", {minutes}:{seconds:02d}"
        detail = f"{shown}  ·  {direction}" if name else direction
        return ResultRow(
            kind=RowKind.HISTORY,
            title=name or shown,
            detail=detail,
            detail_colour=colour,
            targets=(DialTarget("", record.number, shown),),
            record=record,
            when=self.when(record.time),
            presence=state,
            presence_text=presence_word(state) if state is not None else "",
            favourite=self.controller.favourites.of(known, record.number),
        )

    def when(self, time: datetime | None) -> str:
        if time is None:
            return ""
        local = time.astimezone() if time.tzinfo is not None else time
        today = datetime.now(local.tzinfo).date()
        locale = QLocale()
        clock = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
        if local.date() == today:
            return clock
        if local.date() == today - timedelta(days=1):
            return _tr("yesterday {0}").format(clock)
        date = QDate(local.year, local.month, local.day)
        if 0 < (today - local.date()).days < 7:
            return f"{locale.toString(date, 'ddd')} {clock}"
        if local.year == today.year:
            return f"{locale.toString(date, 'd MMM')} {clock}"
        return f"{locale.toString(date, 'd MMM yyyy')} {clock}"

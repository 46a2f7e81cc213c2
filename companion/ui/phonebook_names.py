"""Names from the phonebook for numbers the PBX gave without one: the callers of
voicemail messages, the senders of received faxes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from companion.ui.inbox_widgets import run

if TYPE_CHECKING:
    from companion.controller import Controller
    from companion.pbx.models import Contact


class PhonebookNames:
    """Asks the phonebook once per number and hands each name found to `found(number,
    name)`. Only a nicety: a failed lookup leaves the number shown and is asked again
    next time; `forget` asks again after the user saved a contact."""

    def __init__(self, controller: Controller, found: Callable[[str, str], None]) -> None:
        self.controller = controller
        self._found = found
        self._asked: set[str] = set()

    def look_up(self, numbers: Iterable[str]) -> None:
        for number in numbers:
            if not number or number in self._asked:
                continue
            self._asked.add(number)
            run(
                self.controller,
                self.controller.contact_for(number),
                on_error=functools.partial(self._failed, number),
                done=functools.partial(self._answered, number),
            )

    def forget(self, number: str) -> None:
        self._asked.discard(number)

    def _failed(self, number: str, _text: str) -> None:
        self._asked.discard(number)

    def _answered(self, number: str, contact: Contact | None) -> None:
        if contact is not None and contact.name:
            self._found(number, contact.name)

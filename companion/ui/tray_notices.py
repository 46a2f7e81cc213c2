"""The app's notices: what one says (a new voicemail, a new fax), and the record of a
notice shown, which a click on it and the tests read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from companion.output import duration

if TYPE_CHECKING:
    from companion.controller import Controller
    from companion.pbx.models import ReceivedFax, Voicemail

ERROR_REPEAT_AFTER = 600.0  # seconds before the same background failure is shown again


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


@dataclass(frozen=True)
class Notice:
    """A notification the shell showed."""

    title: str
    text: str
    tab: str | None = None  # the inbox tab a click opens
    error: bool = False


def new_voicemail(message: Voicemail, controller: Controller | None) -> Notice:
    """The notice for a new voicemail: who left it and how long it is."""
    caller = message.caller_name
    if not caller and message.caller_number and controller is not None:
        caller = controller.display(message.caller_number)
    text = _tr("New voicemail from {caller} ({duration})").format(
        caller=caller or _tr("an unknown caller"), duration=duration(message.duration)
    )
    return Notice(_tr("New voicemail"), text, tab="voicemail")


def new_fax(fax: ReceivedFax, controller: Controller | None) -> Notice:
    """The notice for a new fax: who sent it and how many pages it has."""
    sender = fax.sender
    if not sender and fax.sender_number and controller is not None:
        sender = controller.display(fax.sender_number)
    sender = sender or _tr("an unknown sender")
    if fax.pages == 1:
        text = _tr("New fax from {sender} (1 page)").format(sender=sender)
    elif fax.pages > 1:
        text = _tr("New fax from {sender} ({pages} pages)").format(sender=sender, pages=fax.pages)
    else:
        text = _tr("New fax from {sender}").format(sender=sender)
    return Notice(_tr("New fax"), text, tab="fax")

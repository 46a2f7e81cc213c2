"""The session's announcements: a kind and its payload, delivered to plain callbacks.

Faces subscribe to the kinds they show (the Qt adapter turns them into signals, the CLI
prints them). New kinds (live calls next) are new members of `Event`; subscribers of
other kinds are not affected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Event(StrEnum):
    CONNECTION = "connection"  # reachable: bool, reason: str
    ACCOUNT = "account"  # Account
    PROFILES = "profiles"  # list[Profile]
    QUEUES = "queues"  # list[QueueMembership]
    REDIRECT = "redirect"  # Redirect
    SWITCHES = "switches"  # list[Switch]
    VOICEMAIL = "voicemail"  # VoicemailCounts, list[Voicemail]
    FAXES = "faxes"  # list[ReceivedFax], list[SentFax]
    HISTORY = "history"  # list[CallRecord]
    NEW_VOICEMAIL = "new_voicemail"  # Voicemail that arrived since the last poll
    NEW_FAX = "new_fax"  # ReceivedFax that arrived since the last poll
    FEATURES = "features"  # dict[Feature, FeatureState]: all of them, after a change
    FAILED = "failed"  # background work failed: a sentence for the user
    CALL = "call"  # CallEvent: a call of the user rang, was answered, held, ended, missed...
    CALLS = "calls"  # list[Call]: the user's live calls, after any change
    MISSED_CALLS = "missed_calls"  # int: missed calls the user has not looked at yet


Callback = Callable[..., None]


class Events:
    """Subscribers by event kind; `emit` calls each with the event's payload."""

    def __init__(self) -> None:
        self._subscribers: dict[Event, list[Callback]] = {}

    def subscribe(self, event: Event, callback: Callback) -> Callable[[], None]:
        """Call `callback(*payload)` on every `event`; returns the way to unsubscribe."""
        self._subscribers.setdefault(event, []).append(callback)

        def unsubscribe() -> None:
            callbacks = self._subscribers.get(event, [])
            if callback in callbacks:
                callbacks.remove(callback)

        return unsubscribe

    def emit(self, event: Event, *payload: Any) -> None:
        for callback in list(self._subscribers.get(event, [])):
            try:
                callback(*payload)
            except Exception:  # one broken subscriber must not stop the others or the poll
                log.exception("a subscriber of %s failed", event)

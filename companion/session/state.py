"""The state of the PBX as last read back from it; changes are announced as events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.pbx.models import (
    Account,
    CallRecord,
    Profile,
    QueueMembership,
    ReceivedFax,
    Redirect,
    SentFax,
    Switch,
    Voicemail,
    VoicemailCounts,
)
from companion.session.events import Event, Events


@dataclass
class State:
    reachable: bool | None = None  # None until the first answer
    unreachable_reason: str = ""
    account: Account | None = None
    profiles: list[Profile] = field(default_factory=list)
    queues: list[QueueMembership] = field(default_factory=list)
    redirect: Redirect | None = None
    switches: list[Switch] = field(default_factory=list)
    voicemail_counts: VoicemailCounts | None = None
    voicemails: list[Voicemail] = field(default_factory=list)
    received_faxes: list[ReceivedFax] = field(default_factory=list)
    sent_faxes: list[SentFax] = field(default_factory=list)
    history: list[CallRecord] = field(default_factory=list)


# The state fields that are announced on their own, and their event.
FIELD_EVENTS = {
    "account": Event.ACCOUNT,
    "profiles": Event.PROFILES,
    "queues": Event.QUEUES,
    "redirect": Event.REDIRECT,
    "switches": Event.SWITCHES,
    "history": Event.HISTORY,
}


class StateKeeper:
    """Holds the `State` and announces each change of it through `events`."""

    def __init__(self, events: Events) -> None:
        self.state = State()
        self.events = events

    def update(self, name: str, value: Any) -> None:
        """Set one field; announce it if it changed."""
        if getattr(self.state, name) != value:
            setattr(self.state, name, value)
            self.events.emit(FIELD_EVENTS[name], value)

    def set_reachable(self, reachable: bool, reason: str = "") -> None:
        state = self.state
        if (reachable, reason) != (state.reachable, state.unreachable_reason):
            state.reachable, state.unreachable_reason = reachable, reason
            self.events.emit(Event.CONNECTION, reachable, reason)

    def set_voicemail(self, counts: VoicemailCounts, voicemails: list[Voicemail]) -> None:
        self.state.voicemail_counts, self.state.voicemails = counts, voicemails
        self.events.emit(Event.VOICEMAIL, counts, voicemails)

    def set_faxes(self, received: list[ReceivedFax], sent: list[SentFax]) -> None:
        self.state.received_faxes, self.state.sent_faxes = received, sent
        self.events.emit(Event.FAXES, received, sent)

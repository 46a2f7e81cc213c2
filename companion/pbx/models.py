"""Backend-neutral domain models, in the user's words.

Frozen dataclasses: a backend builds them from its wire format, everything above the
backend (controller, UI, CLI) sees only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class NumberKind(StrEnum):
    PHONE = "phone"
    MOBILE = "mobile"
    HOME = "home"
    FAX = "fax"


class ContactSource(StrEnum):
    GLOBAL = "global"  # the company phonebook
    PRIVATE = "private"  # the user's own phonebook
    USER = "user"  # a user of the PBX (an internal colleague)


@dataclass(frozen=True)
class ContactNumber:
    kind: NumberKind
    number: str


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    source: ContactSource
    numbers: tuple[ContactNumber, ...] = ()
    organisation: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    notes: str = ""
    user_name: str | None = None  # login name when the entry is a PBX user

    @property
    def dialable(self) -> tuple[ContactNumber, ...]:
        """The numbers one can call (a fax number is not one of them)."""
        return tuple(n for n in self.numbers if n.kind is not NumberKind.FAX)


@dataclass(frozen=True)
class ContactDetails:
    """What the user fills in to create or edit a private phonebook entry."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    organisation: str = ""
    phone: str = ""
    mobile: str = ""
    home: str = ""
    fax: str = ""
    email: str = ""
    notes: str = ""


@dataclass(frozen=True)
class SearchResult:
    contacts: tuple[Contact, ...]
    total: int  # matches on the PBX, may exceed len(contacts)
    offset: int = 0


class Presence(StrEnum):
    """How reachable a colleague is right now (from the PBX's phone state)."""

    AVAILABLE = "available"
    BUSY = "busy"
    RINGING = "ringing"
    ON_HOLD = "on hold"
    AWAY = "away"  # the colleague says they are away (innovaphone's "away" presence)
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Account:
    """The user Companion acts for."""

    id: int
    login: str
    display_name: str
    extension: str
    mailbox: str
    fax_extension: str
    email: str
    active_profile_id: str | None


@dataclass(frozen=True)
class PbxUser:
    """A user of the PBX, as its user list names them (for picking who Companion acts for)."""

    login: str
    display_name: str
    extension: str


@dataclass(frozen=True)
class Device:
    name: str
    caption: str
    kind: str  # e.g. "Integrated Softphone", "IP phone"
    extension: str
    capabilities: frozenset[str] = frozenset()
    is_default: bool = False


class CallAction(StrEnum):
    DIAL = "dial"
    HANGUP = "hangup"
    TRANSFER = "transfer"
    HOLD = "hold"
    PICKUP = "pickup"
    OFFHOOK = "offhook"
    CONFERENCE = "conference"
    DTMF = "dtmf"


@dataclass(frozen=True)
class Profile:
    """A presence profile ("In the office", "Meeting", ...)."""

    id: str
    name: str
    active: bool = False


@dataclass(frozen=True)
class Redirect:
    """Call forwarding of the user's extension."""

    extension: str
    target: str  # "" when off
    previous_target: str = ""  # what switching it back on restores

    @property
    def active(self) -> bool:
        return bool(self.target)


@dataclass(frozen=True)
class Switch:
    """An extension switch (e.g. "After hours") that changes call routing."""

    id: str
    name: str
    extension: str
    on: bool
    # False once the PBX refused a change by this user: the reference's listing says
    # nothing about permission, so a refusal is the only way to learn it.
    may_change: bool = True
    # True where the PBX's API shows the switch but has no way to change it (innovaphone's
    # booleans): the faces say that, not "the PBX refused it".
    read_only: bool = False
    # True unless the switch is recognisably the user's own (its name names the user): a
    # company-wide switch such as "Holiday" routes everybody's calls, so the app asks first.
    company_wide: bool = True


@dataclass(frozen=True)
class PauseReason:
    """A reason a queue offers for pausing ("lunch"); `code` is the PBX's short code."""

    name: str
    code: str = ""


@dataclass(frozen=True)
class QueueMembership:
    queue: str
    extension: str
    logged_in: bool
    paused: bool
    pause_reason: str = ""
    pause_reasons: tuple[PauseReason, ...] = ()  # what this queue offers for a pause


@dataclass(frozen=True)
class VoicemailCounts:
    new: int
    old: int
    total: int


@dataclass(frozen=True)
class Voicemail:
    id: str  # stable across folder moves
    folder: str
    caller_name: str
    caller_number: str
    received: datetime | None
    duration: int  # seconds

    @property
    def heard(self) -> bool:
        return self.folder.lower() != "inbox"


@dataclass(frozen=True)
class ReceivedFax:
    id: str
    sender: str  # the caller-ID name; "" = the PBX gave no usable name
    sender_number: str  # the remote number; "" = unknown (never our own fax extension)
    received: datetime | None
    pages: int
    # The download URL carries a short-lived token: not part of what makes a fax the same.
    pdf_url: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class SentFax:
    id: str
    title: str
    destination: str
    state: str  # "done", "failed", "waiting", "sending", ...
    pages: int
    scheduled: datetime | None
    error: str = ""


@dataclass(frozen=True)
class CallRecord:
    id: str
    time: datetime | None
    outgoing: bool
    name: str  # the other party
    number: str  # the other party's number, to call back
    duration: int
    connected: int  # seconds talked; 0 = not answered
    result: str = ""

    @property
    def missed(self) -> bool:
        return not self.outgoing and self.connected == 0


@dataclass(frozen=True)
class NumberInfo:
    number: str
    internal: bool
    name: str = ""


class CallDirection(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class CallState(StrEnum):
    RINGING = "ringing"  # an incoming call rings for the user, or an outgoing one rings there
    CONNECTED = "connected"
    ON_HOLD = "on hold"
    ENDED = "ended"


@dataclass(frozen=True)
class Call:
    """A live call of the user, as the PBX reported it at `seen` (whatever device it is on)."""

    id: str
    direction: CallDirection
    state: CallState
    remote_number: str
    remote_name: str = ""
    remote_internal: bool = False  # a colleague on the same PBX
    started: datetime | None = None  # when the call began (ringing included)
    connected_since: datetime | None = None  # when it was answered; None while unanswered
    device: str = ""  # the user's device the call is on
    via: str = ""  # how it came: "queue", "transfer", "noanswer", ... ("" = directly)
    via_details: str = ""  # the PBX's detail for `via` (a queue's name, "agent", ...)
    fax: bool = False  # a fax machine calling the user's fax extension (no one to answer)

    @property
    def incoming(self) -> bool:
        return self.direction is CallDirection.INCOMING

    def talk_seconds(self, now: datetime | None = None) -> int:
        """Seconds talked so far (0 while unanswered); a naive time counts as UTC."""
        since = self.connected_since
        if since is None:
            return 0
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))

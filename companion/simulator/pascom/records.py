"""The demo PBX's records (users, devices, phonebook entries, queues, messages, faxes)
and the error it answers with; plain data, the behaviour is in the modules of
:class:`~.state.PbxState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

TMSTMP = "2025-11-03 08:00:00.000000"  # the demo's "last changed" stamp for static rows
HINT_STATES = ("Idle", "InUse", "Ringing", "Busy", "OnHold", "Unavailable")

PHONEBOOK_FIELDS = (
    "displayname",
    "firstname",
    "surname",
    "phone",
    "email",
    "fax",
    "mobile",
    "homephone",
    "organisation",
    "notes",
)


class PbxError(Exception):
    """A request the PBX refuses: an HTTP status and a short message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class DeviceAction:
    """One device action POST the PBX accepted."""

    user: str
    device: str
    action: str
    destination: str | None
    prefix: str
    body: JSON
    arrived: float  # time.monotonic() when the request arrived
    default: bool  # sent to .../defaultdevice/action


@dataclass(frozen=True)
class RequestRecord:
    """One request that reached the PBX (benchmarks count them and time the first)."""

    method: str
    path: str  # raw, percent-encoded, without the query
    arrived: float  # time.monotonic()


@dataclass
class Profile:
    id: int
    bez: str
    scope: str
    tmstmp: str

    def to_json(self) -> JSON:
        return {
            "017pro_id": self.id,
            "017pro_bez": self.bez,
            "017pro_scope": self.scope,
            "017pro_tmstmp": self.tmstmp,
        }


@dataclass
class Device:
    id: int
    name: str
    kind: str  # "softphone", "ipphone", "fax"
    type_id: int  # 066dev_id
    type_bez: str  # 066dev_bez
    extension: str | None
    ext_id: int | None
    fields: JSON  # further fields from the IO-JSON object
    fax_id: int | None = None
    fax_email: str | None = None


@dataclass
class User:
    id: int
    name: str
    bez: str
    extension: str | None
    ext_id: int | None
    acc_id: int
    pho_id: int
    voi_id: int | None
    mailbox: str | None
    email: str | None
    fields: JSON
    base_hint: str
    hint: str
    active_profile: int | None
    profiles: list[Profile] = field(default_factory=list)
    devices: dict[str, Device] = field(default_factory=dict)
    default_device: str | None = None
    fax: Device | None = None
    loc_id: int = 0


@dataclass(slots=True)
class PhonebookEntry:
    id: int
    kind: str  # "028phonebook" or "011account"
    owner: str | None  # login name for a private entry
    data: dict[str, str | None]
    search: str = ""
    sortkey: str = ""

    def reindex(self) -> None:
        # lower(), not casefold(): like SQL's ILIKE, "weiss" does not find "Weiß"
        self.search = "\x00".join([v for v in self.data.values() if v]).lower()
        self.sortkey = (self.data.get("displayname") or "").lower()

    def to_json(self) -> JSON:
        return {
            "type": self.kind,
            "id": self.id,
            "phonebookType": "identity" if self.owner is not None else None,
            "phonebookName": self.owner,
            **{k: self.data.get(k) for k in PHONEBOOK_FIELDS},
            "labelList": [],
        }


@dataclass
class Switch:
    id: int
    bez: str
    state: bool
    extension: str
    permitted: frozenset[str] | None

    def to_json(self) -> JSON:
        return {
            "038con_id": self.id,
            "038con_bez": self.bez,
            "039swi_state": self.state,
            "009ext_extension": self.extension,
        }


@dataclass
class Redirect:
    source: str
    target: str
    old: str

    def to_json(self) -> JSON:
        return {"source": self.source, "target": self.target, "old": self.old}


@dataclass
class QueueMember:
    agent: str
    loggedin: bool
    paused: bool
    pausereason: str
    dynamic: bool


@dataclass
class Queue:
    id: int
    bez: str
    extension: str
    ext_id: int
    fields: JSON
    pausereasons: list[dict[str, str]]
    members: list[QueueMember]


@dataclass
class VoicemailMessage:
    mailbox: str
    folder: str
    number: int
    msg_id: str
    origtime: int
    fields: JSON
    audio: Path

    @property
    def id(self) -> str:
        return f"msg{self.number:04d}"


@dataclass
class Mailbox:
    voi_id: int
    mailbox: str
    name: str
    email: str | None
    transcribe: str


@dataclass
class ReceivedFax:
    filename: str
    extension: str
    pdfname: str
    fields: JSON
    pdf_path: Path | None = None
    pdf_bytes: bytes | None = None

    def read_pdf(self) -> bytes:
        if self.pdf_bytes is not None:
            return self.pdf_bytes
        assert self.pdf_path is not None
        return self.pdf_path.read_bytes()


@dataclass
class PreparedFax:
    id: str
    token: str
    expires: int  # the unix time written into the URL
    deadline: float  # time.time() after which the upload URL is dead
    document: bytes | None = None

"""The simulated PBX: an in-memory model built from an IO-JSON document.

Everything here is plain Python; ``app.py`` turns HTTP requests into calls of
:class:`PbxState` methods and their results (or :class:`PbxError`) into responses.
All public methods are meant to be called with :attr:`PbxState.lock` held; the
app does that for every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import threading
import time
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from heapq import merge
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .extras import Extras
from .iojson import IoJson
from .media import make_pdf, message_wav_file, pdf_page_count

if TYPE_CHECKING:
    from .calls import Calls

JSON = dict[str, Any]

TMSTMP = "2025-11-03 08:00:00.000000"  # the demo's "last changed" stamp for static rows
HINT_STATES = ("Idle", "InUse", "Ringing", "Busy", "OnHold", "Unavailable")
DEVICE_ACTIONS = (
    "dial",
    "pickup",
    "hangup",
    "offhook",
    "hold",
    "transfer",
    "conference",
    "dtmf",
)
ACTIONS_NEEDING_DESTINATION = ("dial", "transfer", "dtmf")
CAPABILITIES = [
    "dial",
    "hangup",
    "offhook",
    "transfer",
    "hold",
    "enable",
    "conference",
    "mute",
    "dtmf",
]
VOICEMAIL_FOLDERS = ["INBOX", "Old", "Urgent", "tmp"]
VOICEMAIL_MOVE_TARGETS = ("INBOX", "Old", "Urgent")
QUEUE_ACTIONS = ("login", "logout", "pause", "unpause")
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
PDF_LINK_LIFETIME = 3600.0  # seconds a received fax's PDF link stays valid


VARIANTS = ("default", "reference")
USER_ACTIONS = ("ToggleRecording", "StartRecording", "StopRecording")
# The fields of the reference's example under "GET / Specific User Data": no
# 016voi_mailbox, 016voi_email or faxextension (its field table lists them, the example not).
SPECIFIC_USER_FIELDS = frozenset(
    {
        "003use_id",
        "003use_lastlogin",
        "003use_name",
        "003use_tmstmp",
        "003use_doc",
        "003use_enabled",
        "003use_bez",
        "003use_authrole",
        "034pro_id",
        "003use_auth_method",
        "003use_state",
        "003use_statusText",
        "107ava_id",
        "011acc_id",
        "011acc_tmstmp",
        "011acc_voiidwatch",
        "011acc_calleridnum",
        "020fax_id",
        "009ext_id",
        "016voi_id",
        "011acc_callwaiting",
        "009ext_extension",
        "009ext_tmstmp",
        "028pho_id",
        "017pro_id",
        "skills",
    }
)


class PbxError(Exception):
    """A request the PBX refuses: an HTTP status and a short message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# The fields a CDR record carries for each side of a call (prefixed src/dst).
CDR_PARTY_FIELDS = (
    "Internal",
    "UserId",
    "UserName",
    "Name",
    "DeviceId",
    "DeviceName",
    "LocationId",
    "LocationName",
    "Prefix",
    "Number",
    "Extension",
    "PhonebookEntryId",
)
# The fields a live call (cdr/live) carries for each side, in the reference's order.
LIVE_PARTY_FIELDS = (
    "Internal",
    "Name",
    "Number",
    "Prefix",
    "UserId",
    "UserName",
    "DeviceId",
    "DeviceName",
    "LocationId",
    "LocationName",
    "Extension",
)


def copy_parties(
    record: dict[str, Any], src: dict[str, Any], dst: dict[str, Any], fields: tuple[str, ...]
) -> None:
    """Copy `fields` of both sides into `record`: all srcX first, then all dstX."""
    for side, party in (("src", src), ("dst", dst)):
        for key in fields:
            record[f"{side}{key}"] = party[f"{side}{key}"]


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


def _now_ms() -> int:
    return int(time.time() * 1000)


def _iso_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S +0000")


def _asterisk_date(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%a %b %d %I:%M:%S %p UTC %Y")


class _Ids:
    """Hands out ids: an explicit one as asked, else one above every id seen so far."""

    def __init__(self, taken: Iterable[int] = ()) -> None:
        self.top = max(taken, default=0)

    def reserve(self, ids: Iterable[int]) -> None:
        self.top = max(self.top, *ids, 0)

    def claim(self, wanted: int | None = None) -> int:
        if wanted is None:
            self.top += 1
            return self.top
        self.top = max(self.top, wanted)
        return wanted


def _collect_ids(doc: IoJson) -> dict[tuple[str, str], set[int]]:
    """Every explicit integer field value, by (plugin, field), anywhere in the document."""
    found: dict[tuple[str, str], set[int]] = {}

    def walk(plugins: dict[str, Any]) -> None:
        for name, items in plugins.items():
            if not isinstance(items, list):
                continue
            for item in items:
                if not isinstance(item, dict):
                    continue
                for key in ID_FIELDS.get(name, ()):
                    value = item.get(key)
                    if isinstance(value, int):
                        found.setdefault((name, key), set()).add(value)
                post = item.get("post")
                if isinstance(post, dict):
                    walk(post)

    walk(doc)
    return found


ID_FIELDS: dict[str, tuple[str, ...]] = {
    "identity": ("003use_id", "011acc_id", "028pho_id"),
    "phonebook": ("028pho_id",),
    "ipdevice.mdsoftphone": ("010dev_id",),
    "ipphone.mdsoftphone": ("010dev_id",),
    "ipphone": ("010dev_id",),
    "faxdevice": ("010dev_id",),
}


class PbxState:
    """The PBX the simulator pretends to be."""

    def __init__(
        self,
        *,
        instance: str = "demo",
        rest_user: str = "moby",
        upload_url_lifetime: float = 30.0,
        variant: str = "default",
    ) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
        self.lock = threading.RLock()
        # "default" answers the plausible reading of the reference; "reference" answers
        # literally as the reference's own examples do (docs/pbx-assumptions.md lists both).
        self.variant = variant
        self.instance = instance
        self.rest_user = rest_user
        self.upload_url_lifetime = upload_url_lifetime
        self.secret = os.urandom(16)
        self.actions: list[DeviceAction] = []
        self.user_actions: list[tuple[str, str, str]] = []  # (login, action, deviceName)
        self.requests: list[RequestRecord] = []
        self.users: dict[str, User] = {}
        self.users_by_id: dict[int, User] = {}
        self.extensions: dict[str, JSON] = {}
        self.phonebook: dict[int, PhonebookEntry] = {}
        self._global_sorted: list[PhonebookEntry] | None = None
        # A user's private entries merged with the global ones (scope=all), kept until the
        # phonebook changes: a full listing in pages would otherwise merge all per page.
        self._merged: dict[str, list[PhonebookEntry]] = {}
        self._private: dict[str, dict[int, PhonebookEntry]] = {}
        self.switches: dict[str, Switch] = {}
        self.redirects: dict[str, Redirect] = {}
        self.queues: dict[str, Queue] = {}
        self.mailboxes: dict[str, Mailbox] = {}
        self.messages: list[VoicemailMessage] = []
        self.received: dict[str, ReceivedFax] = {}
        self.done: dict[str, JSON] = {}
        self.prepared: dict[str, PreparedFax] = {}
        self.cdr: list[JSON] = []
        self.faxserver: JSON = {
            "027mod_id": 1,
            "027mod_quantity": "2",
            "027mod_tmstmp": TMSTMP,
            "027mod_inbound": "1",
            "027mod_mailmode": "attachment",
            "027mod_mailserver": "",
            "027mod_mailprotocol": "IMAP",
            "027mod_mailusername": "",
            "027mod_mailpassword": "",
            "027mod_mailignorecert": "no",
            "027mod_mailpollinterval": "60",
            "027mod_mailremovefrommb": "no",
            "027mod_caption": instance,
            "027mod_connection": "ssl",
        }
        self._ids = {
            k: _Ids()
            for k in ("user", "acc", "ext", "voi", "pho", "dev", "fax", "switch", "queue", "cdr")
        }
        self._phonecall_ids = _Ids()
        self._fax_job_ids = _Ids()
        self._fax_file_ids = _Ids()
        from .calls import Calls  # calls.py builds on this module

        self.calls: Calls = Calls(self)

    # ------------------------------------------------------------------ loading

    @classmethod
    def from_iojson(
        cls,
        doc: IoJson,
        *,
        extras: Extras | None = None,
        source: str = "<string>",
        instance: str = "demo",
        rest_user: str = "moby",
        upload_url_lifetime: float = 30.0,
        variant: str = "default",
    ) -> PbxState:
        """Build the PBX from a validated IO-JSON document (see ``load_iojson``) and,
        if given, the extras that IO-JSON cannot hold (see ``load_extras``).

        Cross-references (unknown login names, duplicate extensions, missing media
        files) are checked here and raised as :class:`IoJsonError`.
        """
        state = cls(
            instance=instance,
            rest_user=rest_user,
            upload_url_lifetime=upload_url_lifetime,
            variant=variant,
        )
        from .loader import Loader  # the loader builds on this module's classes

        Loader(state, doc, source, extras).load()
        return state

    # ------------------------------------------------------------------ helpers

    def sign(self, path: str, expires: int) -> str:
        mac = hmac.new(self.secret, f"{path}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:16]).rstrip(b"=").decode("ascii")

    def check_token(self, path: str, token: str | None, expires: str | None) -> None:
        """Raise 403 unless ``token`` signs ``path`` and ``expires`` is in the future."""
        if not token or not expires or not expires.isdigit():
            raise PbxError(403, "missing or malformed token")
        if not hmac.compare_digest(self.sign(path, int(expires)), token):
            raise PbxError(403, "invalid token")
        if int(expires) < time.time():
            raise PbxError(403, "token expired")

    def user(self, name: str) -> User:
        u = self.users.get(name)
        if u is None:
            raise PbxError(404, f"unknown user {name!r}")
        return u

    def _register_extension(self, ext: str, typ: str, text: str, src: str, resource: str) -> int:
        if ext in self.extensions:
            raise ValueError(f"extension {ext} is already used by {self.extensions[ext]['text']}")
        ext_id = self._ids["ext"].claim()
        self.extensions[ext] = {
            "009ext_extension": ext,
            "typ": typ,
            "text": text,
            "src": src,
            "resource": resource,
            "_id": ext_id,
        }
        return ext_id

    def _user_by_extension(self, number: str) -> User | None:
        for u in self.users.values():
            if u.extension == number:
                return u
        return None

    # ------------------------------------------------------------------ identity

    def user_json(self, u: User) -> JSON:
        f = u.fields
        return {
            "003use_id": u.id,
            "003use_lastlogin": f.get("003use_lastlogin", TMSTMP),
            "003use_name": u.name,
            "003use_tmstmp": f.get("003use_tmstmp", TMSTMP),
            "003use_doc": f.get("003use_doc"),
            "003use_enabled": f.get("003use_enabled", True),
            "003use_bez": u.bez,
            "003use_authrole": f.get("003use_authrole"),
            "034pro_id": f.get("034pro_id", 1),
            "003use_auth_method": f.get("003use_auth_method", "LOCAL"),
            "003use_state": f.get("003use_state", "USER_AVAILABLE"),
            "003use_statusText": f.get("003use_statusText"),
            "107ava_id": f.get("107ava_id"),
            "011acc_id": u.acc_id,
            "011acc_tmstmp": TMSTMP,
            "011acc_voiidwatch": u.voi_id,
            "011acc_calleridnum": f.get("011acc_calleridnum"),
            "020fax_id": u.fax.fax_id if u.fax else None,
            "009ext_id": u.ext_id,
            "016voi_id": u.voi_id,
            "011acc_callwaiting": f.get("011acc_callwaiting", False),
            "009ext_extension": u.extension,
            "009ext_tmstmp": TMSTMP,
            "028pho_id": u.pho_id,
            "017pro_id": u.active_profile,
            "016voi_mailbox": u.mailbox,
            "016voi_email": u.email,
            "faxextension": u.fax.extension if u.fax else None,
            "xmppRoleTmstmp": TMSTMP,
            "skills": [],
        }

    def identity_json(self, u: User) -> JSON:
        """`identity/{user}`: the reference variant has only the fields of its example."""
        record = self.user_json(u)
        if self.variant == "reference":
            return {k: v for k, v in record.items() if k in SPECIFIC_USER_FIELDS}
        return record

    def identities(self) -> list[JSON]:
        return [self.user_json(u) for u in self.users.values()]

    def states(self, keys: list[str] | None) -> JSON:
        names = list(self.users) if keys is None else keys
        out: JSON = {}
        for name in names:
            u = self.users.get(name)
            if u is not None:
                out[name] = {"state": u.hint, "003use_bez": u.bez}
        return out

    def device_json(self, u: User, d: Device) -> JSON:
        base: JSON = {
            "066dev_id": d.type_id,
            "066dev_bez": d.type_bez,
            "066dev_tmstmp": "2018-08-03 12:53:06.163208",
            "010dev_id": d.id,
            "068bas_id": None,
            "010dev_bez": d.name,
            "010dev_tmstmp": TMSTMP,
            "009ext_id": d.ext_id,
            "090por_id": None,
            "010dev_token": None,
            "010dev_caption": d.fields.get("010dev_caption"),
            "009ext_extension": d.extension,
            "009ext_tmstmp": TMSTMP,
            "028pho_id": u.pho_id,
            "srtp_mode": 0,
        }
        if d.kind == "fax":
            base.update(
                {
                    "020fax_id": d.fax_id,
                    "020fax_email": d.fax_email,
                    "020fax_caption": d.fields.get("020fax_caption"),
                    "020fax_tmstmp": TMSTMP,
                    "011acc_id": u.acc_id,
                    "011acc_tmstmp": TMSTMP,
                    "011acc_voiidwatch": u.voi_id,
                    "011acc_calleridnum": None,
                    "003use_id": u.id,
                    "016voi_id": u.voi_id,
                    "011acc_callwaiting": False,
                    "listtrc": "040701",
                    "edittrc": None,
                    "editid": d.id,
                    "protocol": None,
                    "locatable": False,
                    "dynLocatable": False,
                    "extension": d.extension,
                    "connection": None,
                    "capabilities": [],
                    "srtp": False,
                    "device_caption": d.fields.get("020fax_caption") or d.name,
                }
            )
            return base
        uj = self.user_json(u)
        base.update(
            {
                "012loc_id": u.loc_id,
                "010012devloc_intdelay": "0",
                "010012devloc_inttimeout": "999",
                "010012devloc_extdelay": "0",
                "010012devloc_exttimeout": "999",
                "010012devloc_tmstmp": TMSTMP,
                "010012devloc_quedelay": "0",
                "010012devloc_quetimeout": "999",
                "010012devloc_configurable": True,
                "011acc_id": u.acc_id,
                "012loc_bez": u.bez,
                "012loc_doc": None,
                "012loc_static": True,
                "012loc_tmstmp": TMSTMP,
                "011acc_tmstmp": TMSTMP,
                "011acc_voiidwatch": u.voi_id,
                "011acc_calleridnum": uj["011acc_calleridnum"],
                "020fax_id": uj["020fax_id"],
                "003use_id": u.id,
                "016voi_id": u.voi_id,
                "011acc_callwaiting": uj["011acc_callwaiting"],
                "003use_lastlogin": uj["003use_lastlogin"],
                "003use_name": u.name,
                "003use_tmstmp": uj["003use_tmstmp"],
                "003use_doc": uj["003use_doc"],
                "003use_enabled": uj["003use_enabled"],
                "003use_bez": u.bez,
                "003use_authrole": uj["003use_authrole"],
                "034pro_id": uj["034pro_id"],
                "003use_auth_method": uj["003use_auth_method"],
                "003use_state": uj["003use_state"],
                "003use_statusText": uj["003use_statusText"],
                "107ava_id": uj["107ava_id"],
                "034pro_bez": "Deutsch",
                "034pro_kz": "de",
                "034pro_tmstmp": "2020-04-30 22:04:57.391568",
                "034pro_locale": "de_DE",
                "034pro_default": True,
                "016voi_email": u.email,
                "016voi_mailbox": u.mailbox,
                "016voi_name": u.bez,
                "016voi_tmstmp": TMSTMP,
                "016voi_format": "wav",
                "016voi_save": True,
                "015ipd_id": d.id,
                "013pee_id": d.id,
                "015ipd_option": "{}",
                "015ipd_tmstmp": TMSTMP,
                "015ipd_nat": False,
                "013pee_option": None,
                "013pee_username": d.fields.get("013pee_username", f"sim{d.id:04d}{u.id:04d}"),
                "013pee_password": hashlib.md5(d.name.encode()).hexdigest().upper(),
                "013pee_tmstmp": TMSTMP,
                "listtrc": "040701",
                "edittrc": "041104",
                "editid": d.id,
                "protocol": "PJSIP",
                "locatable": True,
                "dynLocatable": d.kind == "softphone",
                "extension": d.extension,
                "connection": None,
                "capabilities": list(CAPABILITIES),
                "srtp": False,
                "device_caption": d.fields.get("010dev_caption") or d.name,
            }
        )
        return base

    def devices(self, user: str) -> JSON:
        u = self.user(user)
        return {name: self.device_json(u, d) for name, d in u.devices.items()}

    def device(self, user: str, name: str) -> JSON:
        u = self.user(user)
        d = u.devices.get(name)
        if d is None:
            raise PbxError(404, f"user {user!r} has no device {name!r}")
        return self.device_json(u, d)

    def default_device(self, user: str) -> JSON | None:
        u = self.user(user)
        if u.default_device is None:
            return None
        out = self.device_json(u, u.devices[u.default_device])
        out["peerInfo"] = {"status": "Reachable", "protocol": "PJSIP"}
        return out

    def resolve_device(self, user: str, device: str | None) -> str:
        """The name of the device an action goes to; 404 or 409 if there is none."""
        u = self.user(user)
        if device is None:
            if u.default_device is None:
                raise PbxError(
                    409,
                    f"user {user!r} has no default device: not logged in to the pascom client "
                    "or no device for outgoing calls set",
                )
            return u.default_device
        if device not in u.devices:
            raise PbxError(404, f"user {user!r} has no device {device!r}")
        return device

    def user_action(self, user: str, body: Any) -> JSON:
        """Recording on the user's active call (ToggleRecording, StartRecording, StopRecording).

        `deviceName` picks the call on that device; without it, the active call. 409 when the
        user has no call to record (the reference names no status for it).
        """
        u = self.user(user)
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        action = body.get("action")
        if action not in USER_ACTIONS:
            raise PbxError(400, f"unknown action {action!r}; one of {', '.join(USER_ACTIONS)}")
        device = body.get("deviceName")
        if device is not None and (not isinstance(device, str) or device not in u.devices):
            raise PbxError(404, f"user {user!r} has no device {device!r}")
        call = self.calls.active_call_of(u.name, device or None)
        if call is None:
            raise PbxError(409, f"user {user!r} has no active call to record")
        call.recording = {
            "ToggleRecording": not call.recording,
            "StartRecording": True,
            "StopRecording": False,
        }[action]
        self.user_actions.append((u.name, action, device or ""))
        return {"response": f"{action} commited"}

    def device_action(self, user: str, device: str | None, body: Any, arrived: float) -> JSON:
        """Run a device action; ``device`` None means the user's default device."""
        u = self.user(user)
        name = self.resolve_device(user, device)
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        action = body.get("action")
        if not isinstance(action, str) or action not in DEVICE_ACTIONS:
            raise PbxError(400, f"unknown action {action!r}; one of {', '.join(DEVICE_ACTIONS)}")
        destination = body.get("destination")
        if destination is not None and not isinstance(destination, str):
            raise PbxError(400, "destination must be a string")
        if action in ACTIONS_NEEDING_DESTINATION and not (destination or "").strip():
            raise PbxError(400, f"action {action!r} needs a destination")
        prefix = body.get("prefix", "auto")
        if not isinstance(prefix, str):
            raise PbxError(400, "prefix must be a string")
        self.actions.append(
            DeviceAction(
                user=u.name,
                device=name,
                action=action,
                destination=destination,
                prefix=prefix,
                body=dict(body),
                arrived=arrived,
                default=device is None,
            )
        )
        self.calls.device_action(u.name, name, action, (destination or "").strip(), prefix)
        return {"response": f"{action} commited"}

    def profiles(self, user: str) -> list[JSON]:
        u = self.user(user)
        ordered = sorted(u.profiles, key=lambda p: (p.tmstmp, p.id), reverse=True)
        return [p.to_json() for p in ordered]

    def activate_profile(self, user: str, profile_id: str) -> JSON:
        u = self.user(user)
        for p in u.profiles:
            if str(p.id) == profile_id:
                u.active_profile = p.id
                return {"response": "profile activated", "017pro_id": p.id}
        raise PbxError(404, f"user {user!r} has no profile {profile_id!r}")

    # ------------------------------------------------------------------ phonebook

    def _global_order(self) -> list[PhonebookEntry]:
        if self._global_sorted is None:
            self._global_sorted = sorted(
                (e for e in self.phonebook.values() if e.owner is None), key=_entry_key
            )
        return self._global_sorted

    def _index_add(self, entry: PhonebookEntry) -> None:
        self._merged.clear()
        if entry.owner is not None:
            self._private.setdefault(entry.owner, {})[entry.id] = entry
        elif self._global_sorted is not None:
            insort(self._global_sorted, entry, key=_entry_key)

    def _index_remove(self, entry: PhonebookEntry) -> None:
        self._merged.clear()
        if entry.owner is not None:
            self._private.get(entry.owner, {}).pop(entry.id, None)
        elif self._global_sorted is not None:
            lst = self._global_sorted
            i = bisect_left(lst, _entry_key(entry), key=_entry_key)
            if i < len(lst) and lst[i] is entry:
                del lst[i]
            else:  # pragma: no cover - the index is out of step: rebuild it
                self._global_sorted = None

    def phonebook_query(
        self,
        *,
        owner: str | None,
        scope_all: bool,
        search: str | None,
        letter: str | None,
        offset: int,
        limit: int,
    ) -> tuple[int, int, list[PhonebookEntry]]:
        """Returns (size of the phonebook, number of matches, the page of matches)."""
        entries: list[PhonebookEntry]
        if owner is not None:
            self.user(owner)
            private = sorted(self._private.get(owner, {}).values(), key=_entry_key)
            if scope_all:
                if owner not in self._merged:
                    self._merged[owner] = list(
                        merge(private, self._global_order(), key=_entry_key)
                    )
                entries = self._merged[owner]
            else:
                entries = private
        else:
            entries = self._global_order()
        total = len(entries)
        if letter:
            first = letter.lower()
            entries = [e for e in entries if e.sortkey.startswith(first)]
        if search:
            term = search.lower()
            entries = [e for e in entries if term in e.search]
        matches = len(entries)
        page = entries[offset : offset + limit] if limit > 0 else entries[offset:]
        return total, matches, page

    def phonebook_entry(self, entry_id: str) -> PhonebookEntry:
        if not entry_id.isdigit() or int(entry_id) not in self.phonebook:
            raise PbxError(404, f"no phonebook entry {entry_id!r}")
        return self.phonebook[int(entry_id)]

    @staticmethod
    def _phonebook_data(body: Any, base: dict[str, str | None] | None) -> dict[str, str | None]:
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        if body.get("type", "028phonebook") not in ("028phonebook", None):
            raise PbxError(400, "type must be '028phonebook'")
        data: dict[str, str | None] = dict(base or {})
        for key in PHONEBOOK_FIELDS:
            if key in body:
                value = body[key]
                if value is not None and not isinstance(value, str):
                    raise PbxError(400, f"{key} must be a string or null")
                data[key] = value
        if "labelList" in body and not isinstance(body["labelList"], list):
            raise PbxError(400, "labelList must be an array")
        if not data.get("displayname"):
            data["displayname"] = _compose_displayname(
                data.get("firstname"), data.get("surname"), data.get("organisation")
            )
        if not data.get("displayname"):
            raise PbxError(400, "an entry needs a displayname, firstname, surname or organisation")
        return data

    def create_phonebook_entry(self, owner: str | None, body: Any) -> JSON:
        if owner is not None:
            self.user(owner)
        data = self._phonebook_data(body, None)
        entry = PhonebookEntry(self._ids["pho"].claim(), "028phonebook", owner, data)
        self._add_phonebook_entry(entry)
        return entry.to_json()

    def _add_phonebook_entry(self, entry: PhonebookEntry) -> None:
        entry.reindex()
        self.phonebook[entry.id] = entry
        self._index_add(entry)

    def update_phonebook_entry(self, entry_id: str, body: Any) -> JSON:
        entry = self.phonebook_entry(entry_id)
        if entry.kind != "028phonebook":
            raise PbxError(403, "a user's own entry is changed in the user settings")
        data = self._phonebook_data(body, entry.data)
        if isinstance(body, dict) and "phonebookType" in body:
            kind, name = body.get("phonebookType"), body.get("phonebookName")
            if kind == "identity":
                if not isinstance(name, str) or name not in self.users:
                    raise PbxError(400, f"unknown phonebookName {name!r}")
                new_owner: str | None = name
            elif kind in (None, "", "null"):
                new_owner = None
            else:
                raise PbxError(400, f"unknown phonebookType {kind!r}")
        else:
            new_owner = entry.owner
        self._index_remove(entry)
        entry.data = data
        entry.owner = new_owner
        entry.reindex()
        self._index_add(entry)
        return entry.to_json()

    def delete_phonebook_entry(self, entry_id: str) -> JSON:
        entry = self.phonebook_entry(entry_id)
        if entry.kind != "028phonebook":
            raise PbxError(403, "a user's own entry cannot be deleted")
        self._index_remove(entry)
        del self.phonebook[entry.id]
        return {"response": "phonebook entry deleted", "id": entry.id}

    # ------------------------------------------------------------------ switches

    def switch(self, ext: str) -> Switch:
        s = self.switches.get(ext)
        if s is None:
            raise PbxError(404, f"no switch with extension {ext!r}")
        return s

    def set_switch(self, ext: str, body: Any) -> list[JSON]:
        s = self.switch(ext)
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        value = body.get("039swi_state")
        uid = body.get("003use_id")
        if not isinstance(value, bool):
            raise PbxError(400, "039swi_state must be true or false")
        if not isinstance(uid, int) or isinstance(uid, bool):
            raise PbxError(400, "003use_id must be an integer user id")
        u = self.users_by_id.get(uid)
        if u is None:
            raise PbxError(403, f"no user with id {uid} may change switch {ext}")
        if s.permitted is not None and u.name not in s.permitted:
            raise PbxError(403, f"user {u.name!r} may not change switch {ext}")
        s.state = value
        return [s.to_json()]

    # ------------------------------------------------------------------ redirects

    def set_redirect(self, ext: str, body: Any) -> JSON:
        if ext not in self.extensions:
            raise PbxError(404, f"no extension {ext!r}")
        if not isinstance(body, dict) or "target" not in body:
            raise PbxError(400, "the request body must be a JSON object with a target")
        target = body["target"]
        if target is None:
            target = ""
        if not isinstance(target, str):
            raise PbxError(400, "target must be a string")
        target = target.strip()
        r = self.redirects.get(ext)
        if r is None:
            r = self.redirects[ext] = Redirect(ext, "", "")
        r.target = target
        if target:
            r.old = target
        return {"status": 1, "target": r.target, "old": r.old, "source": r.source}

    def notify_redirect(self, ext: str, body: Any) -> JSON:
        if ext not in self.extensions:
            raise PbxError(404, f"no extension {ext!r}")
        if not isinstance(body, dict) or body.get("action") != "notify":
            raise PbxError(400, "action must be 'notify'")
        return {"response": "notify commited"}

    # ------------------------------------------------------------------ queues

    def _queue_counts(self, q: Queue) -> JSON:
        counts = {
            "countActiveMembers": 0,
            "countMembersNotInUse": 0,
            "countMembersUnavailable": 0,
            "countMembersBusy": 0,
            "countMembersRinging": 0,
            "countInactiveMembers": 0,
            "countPausedMembers": 0,
        }
        per_reason: dict[str, int] = {}
        for m in q.members:
            if not m.loggedin:
                counts["countInactiveMembers"] += 1
                continue
            if m.paused:
                counts["countPausedMembers"] += 1
                if m.pausereason:
                    per_reason[m.pausereason] = per_reason.get(m.pausereason, 0) + 1
            else:
                counts["countActiveMembers"] += 1
            hint = self.users[m.agent].hint if m.agent in self.users else "Unavailable"
            if hint == "Unavailable":
                counts["countMembersUnavailable"] += 1
            elif hint == "Ringing":
                counts["countMembersRinging"] += 1
            elif hint in ("InUse", "Busy", "OnHold"):
                counts["countMembersBusy"] += 1
            elif not m.paused:
                counts["countMembersNotInUse"] += 1
        out: JSON = dict(counts)
        out["countMembersPerPauseReason"] = [
            {"reason": r, "count": c} for r, c in sorted(per_reason.items())
        ]
        return out

    def queues_json(self) -> list[JSON]:
        return [
            {
                "029tea_bez": q.bez,
                "009ext_extension": q.extension,
                "036que_prefix": q.fields.get("036que_prefix"),
                "036que_calleridname": q.fields.get("036que_calleridname"),
                "qid": f"q_{q.id}",
                "members": self._queue_counts(q),
                "countEntries": 0,
            }
            for q in self.queues.values()
        ]

    def queue(self, name: str) -> Queue:
        q = self.queues.get(name)
        if q is None:
            raise PbxError(404, f"no queue {name!r}")
        return q

    def queue_json(self, name: str) -> JSON:
        q = self.queue(name)
        members = []
        for m in q.members:
            u = self.users.get(m.agent)
            # The reference's table: "agent | Display Name of the agent".
            agent = u.bez if u is not None and self.variant == "reference" else m.agent
            members.append(
                {
                    "agent": agent,
                    "queue": q.bez,
                    "dynamic": m.dynamic,
                    "loggedin": m.loggedin,
                    "paused": m.paused,
                    "pausereason": m.pausereason,
                    "phonebookentry": self.phonebook[u.pho_id].to_json() if u else None,
                }
            )
        return {
            "009ext_id": q.ext_id,
            "009ext_extension": q.extension,
            "009ext_tmstmp": TMSTMP,
            "028pho_id": None,
            "029tea_id": q.id,
            "029tea_bez": q.bez,
            "029tea_calleridname": q.fields.get("029tea_calleridname", q.bez),
            "029tea_inttimeout": "10",
            "029tea_exttimeout": "10",
            "029tea_strategy": "0",
            "029tea_answer": "10",
            "052moh_id": 1,
            "016voi_id": None,
            "020fax_id": None,
            "029tea_tmstmp": TMSTMP,
            "029tea_cce": True,
            "029tea_pickup": "nobody",
            "036que_id": q.id,
            "036que_agenttimeout": None,
            "036que_announcefreq": None,
            "036que_leavewhenempty": "512",
            "036que_joinempty": "256",
            "036que_option": None,
            "036que_prefix": q.fields.get("036que_prefix"),
            "036que_weight": None,
            "036que_tmstmp": TMSTMP,
            "036que_maxlen": None,
            "030scr_id": None,
            "036que_labidprio": None,
            "036que_labidtimeout": None,
            "qid": f"q_{q.id}",
            "members": members,
            "entries": [],
            "pausereasons": [dict(r) for r in q.pausereasons],
        }

    def queue_action(self, name: str | None, body: Any) -> JSON:
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        queues = [self.queue(name)] if name is not None else list(self.queues.values())
        action = body.get("action")
        if action not in QUEUE_ACTIONS:
            raise PbxError(400, f"unknown action {action!r}; one of {', '.join(QUEUE_ACTIONS)}")
        agent = body.get("identity")
        if not isinstance(agent, str) or not agent:
            raise PbxError(400, "identity (the agent's user name) is missing")
        targets = [(q, m) for q in queues for m in q.members if m.agent == agent]
        if not targets:
            where = f"queue {name!r}" if name is not None else "any queue"
            raise PbxError(404, f"{agent!r} is not an agent of {where}")
        reason = ""
        if action == "pause":
            reason = self._pause_reason(body, [q for q, _ in targets])
        elif action == "unpause" and ("reason" in body or "code" in body):
            self._pause_reason(body, [q for q, _ in targets])
        for _, m in targets:
            if action == "login":
                m.loggedin = True
            elif action == "logout":
                m.loggedin = False
                m.paused = False
                m.pausereason = ""
            elif action == "pause":
                m.paused = True
                m.pausereason = reason
            else:
                m.paused = False
                m.pausereason = ""
        out: JSON = {"Response": "Success"}
        if name is not None:
            out["ActionID"] = os.urandom(7).hex()[:13]
        out["Message"] = f"{action} successfully queued"
        return out

    @staticmethod
    def _pause_reason(body: JSON, queues: list[Queue]) -> str:
        reason, code = body.get("reason"), body.get("code")
        if reason in (None, "") and code in (None, ""):
            return ""
        for q in queues:
            for r in q.pausereasons:
                if reason not in (None, "") and str(reason) == r["reason"]:
                    return r["reason"]
                if code not in (None, "") and str(code) == r["code"]:
                    return r["reason"]
        raise PbxError(400, f"unknown pause reason {reason if reason else code!r}")

    # ------------------------------------------------------------------ voicemail

    def mailbox(self, mb: str) -> Mailbox:
        m = self.mailboxes.get(mb)
        if m is None:
            raise PbxError(404, f"no voicemailbox {mb!r}")
        return m

    def mailboxes_json(self) -> list[JSON]:
        return [
            {
                "016voi_id": m.voi_id,
                "016voi_mailbox": m.mailbox,
                "016voi_name": m.name,
                "016voi_tmstmp": TMSTMP,
                "016voi_transcribe": m.transcribe,
            }
            for m in self.mailboxes.values()
        ]

    def mailbox_json(self, mb: str) -> JSON:
        m = self.mailbox(mb)
        return {
            "016voi_id": m.voi_id,
            "016voi_email": m.email,
            "016voi_mailbox": m.mailbox,
            "016voi_name": m.name,
            "016voi_tmstmp": TMSTMP,
            "016voi_format": "wav",
            "016voi_transcribe": m.transcribe,
            "md5pass": hashlib.md5(m.mailbox.encode()).hexdigest(),
            "folders": list(VOICEMAIL_FOLDERS),
        }

    def _folder_messages(self, mb: str, folder: str) -> list[VoicemailMessage]:
        self.mailbox(mb)
        if folder != "*" and folder not in VOICEMAIL_FOLDERS:
            raise PbxError(404, f"no voicemail folder {folder!r}")
        found = [
            m for m in self.messages if m.mailbox == mb and (folder == "*" or m.folder == folder)
        ]
        found.sort(key=lambda m: (m.origtime, m.msg_id), reverse=True)
        return found

    def message_json(self, m: VoicemailMessage) -> JSON:
        f = m.fields
        name = f.get("calleridname", "")
        num = f.get("calleridnum", "")
        return {
            "origmailbox": m.mailbox,
            "context": "sub_mailbox-recording",
            "macrocontext": "",
            "exten": "s",
            "rdnis": "unknown",
            "priority": "7",
            "callerchan": f.get("callerchan", ""),
            "callerid": f.get("callerid", f'"{name}" <{num}>' if name else f"<{num}>"),
            "origdate": f.get("origdate", _asterisk_date(m.origtime)),
            "origtime": str(m.origtime),
            "category": f.get("category", ""),
            "msg_id": m.msg_id,
            "flag": f.get("flag", ""),
            "duration": f["duration"],
            "calleridname": name,
            "calleridnum": num,
            "file": f"{m.id}.txt",
            "id": m.id,
            "folder": m.folder,
        }

    def voicemails(self, mb: str, folder: str, limit: int) -> list[JSON]:
        found = self._folder_messages(mb, folder)
        if limit > 0:
            found = found[:limit]
        return [self.message_json(m) for m in found]

    def voicemail_counts(self, mb: str, folder: str) -> dict[str, str]:
        found = self._folder_messages(mb, folder)
        everything = [m for m in self.messages if m.mailbox == mb]
        headers = {
            "x-voicemail-count": str(len(found)),
            "x-voicemail-count-inbox": str(sum(m.folder == "INBOX" for m in everything)),
            "x-voicemail-count-old": str(sum(m.folder == "Old" for m in everything)),
        }
        if self.variant == "reference":
            # The reference's only example: one message in INBOX, yet "-inbox: 0, -old: 0".
            headers["x-voicemail-count-inbox"] = "0"
            headers["x-voicemail-count-old"] = "0"
        if found:
            last = found[0]
            headers["x-voicemail-lastmsg-folder"] = last.folder
            headers["x-voicemail-lastmsg-id"] = last.id
            headers["x-voicemail-lastmsg-tmstmp"] = str(last.origtime)
        return headers

    def voicemail(self, mb: str, folder: str, msg: str) -> VoicemailMessage:
        for m in self._folder_messages(mb, folder):
            if (folder == "*" and m.msg_id == msg) or (folder != "*" and m.id == msg):
                return m
        raise PbxError(404, f"no message {msg!r} in {mb}/{folder}")

    def _next_number(self, mb: str, folder: str) -> int:
        used = [m.number for m in self.messages if m.mailbox == mb and m.folder == folder]
        return max(used) + 1 if used else 0

    def leave_voicemail(
        self, mb: str, name: str, number: str, seconds: float, when: int
    ) -> VoicemailMessage:
        """A caller's new message in INBOX (calls.py: a call that was not answered)."""
        taken = {m.msg_id for m in self.messages}
        seq = len(self.messages)
        while f"{when}-{seq:08d}" in taken:
            seq += 1
        message = VoicemailMessage(
            mailbox=mb,
            folder="INBOX",
            number=self._next_number(mb, "INBOX"),
            msg_id=f"{when}-{seq:08d}",
            origtime=when,
            fields={
                "calleridname": name,
                "calleridnum": number,
                "callerchan": f"PJSIP/sim-{number or 'anonymous'}-{seq:08x}",
                "duration": str(max(1, round(seconds))),
            },
            audio=message_wav_file(seconds),
        )
        self.messages.append(message)
        return message

    def voicemail_action(self, mb: str, folder: str, msg: str, body: Any) -> JSON:
        m = self.voicemail(mb, folder, msg)
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        action = body.get("action")
        if action == "move":
            target = body.get("targetfolder")
            if target not in VOICEMAIL_MOVE_TARGETS:
                raise PbxError(
                    400, f"targetfolder must be one of {', '.join(VOICEMAIL_MOVE_TARGETS)}"
                )
            if target != m.folder:
                m.number = self._next_number(mb, target)
                m.folder = target
            return {
                "response": "voicemail moved",
                "folder": m.folder,
                "id": m.id,
                "msg_id": m.msg_id,
            }
        if action == "mailto":
            address = body.get("address", body.get("adress"))
            if not isinstance(address, str) or "@" not in address:
                raise PbxError(400, "mailto needs an e-mail address")
            return {"response": "voicemail mailed"}
        raise PbxError(400, f"unknown action {action!r}; one of move, mailto")

    def delete_voicemail(self, mb: str, folder: str, msg: str) -> JSON:
        m = self.voicemail(mb, folder, msg)
        self.messages.remove(m)
        return {"response": "voicemail deleted", "msg_id": m.msg_id}

    # ------------------------------------------------------------------ fax

    def received_json(self, base_url: str) -> JSON:
        out: JSON = {}
        expires = int(time.time() + PDF_LINK_LIFETIME)
        for fax in self.received.values():
            owner, device = self._fax_device(fax.extension)
            entry: JSON = {"filename": fax.filename, "": fax.filename}
            entry.update(fax.fields)
            if owner is not None and device is not None:
                entry.update(self.device_json(owner, device))
            path = f"/{self.instance}/asset/faxserver/received/{fax.pdfname}.pdf"
            entry["pdf"] = f"{base_url}{path}?token={self.sign(path, expires)}&expires={expires}"
            out[fax.filename] = entry
        return out

    def done_json(self) -> JSON:
        """`faxserver/done`: the reference variant has no `sender` (the PBX may drop it)."""
        if self.variant != "reference":
            return self.done
        return {
            key: {k: v for k, v in job.items() if k != "sender"} for key, job in self.done.items()
        }

    def receive_fax(self, extension: str, remote: str, pages: int = 1) -> ReceivedFax:
        """A fax arrives at the fax device `extension` from `remote` (a generated PDF)."""
        number = self._fax_file_ids.claim()
        filename = f"fax{number:09d}.tif"
        callid2 = f"{int(time.time())}_{number}"
        pdf = make_pdf(
            [[f"Fax from {remote or 'unknown'}", f"Page {i + 1} of {pages}"] for i in range(pages)]
        )
        received = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        fields = _received_fields(self.instance, pages, received, extension, callid2, remote)
        fields["size"] = str(len(pdf))
        fax = ReceivedFax(filename, extension, callid2, fields, pdf_bytes=pdf)
        self.received[filename] = fax
        return fax

    def _fax_device(self, extension: str) -> tuple[User | None, Device | None]:
        for u in self.users.values():
            if u.fax is not None and u.fax.extension == extension:
                return u, u.fax
        return None, None

    def received_pdf(self, pdfname: str) -> bytes:
        for fax in self.received.values():
            if fax.pdfname == pdfname:
                return fax.read_pdf()
        raise PbxError(404, f"no received fax {pdfname!r}")

    def prepare_fax(self, fax_id: str) -> JSON:
        if len(fax_id) < 8:
            raise PbxError(400, "a fax document id needs at least 8 characters")
        now = time.time()
        deadline = now + self.upload_url_lifetime
        expires = int(deadline)
        path = self.upload_path(fax_id)
        token = self.sign(path, expires)
        old = self.prepared.get(fax_id)
        self.prepared[fax_id] = PreparedFax(
            fax_id, token, expires, deadline, old.document if old else None
        )
        return {"id": fax_id, "url": f"{path}?token={token}&expires={expires}"}

    def upload_path(self, fax_id: str) -> str:
        from urllib.parse import quote

        return f"/{self.instance}/asset/faxserver/upload/{quote(fax_id, safe='')}"

    def check_upload(self, fax_id: str, token: str | None) -> PreparedFax:
        p = self.prepared.get(fax_id)
        if p is None or not token or not hmac.compare_digest(p.token, token):
            raise PbxError(403, "invalid upload token")
        if time.time() > p.deadline:
            raise PbxError(403, "upload URL expired")
        return p

    def send_fax(self, fax_id: str, body: Any) -> list[str]:
        p = self.prepared.get(fax_id)
        if p is None or p.document is None:
            raise PbxError(404, f"no uploaded fax document {fax_id!r}")
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        if body.get("action") != "send":
            raise PbxError(400, "action must be 'send'")
        dest = body.get("fax")
        if not isinstance(dest, str) or not dest.strip():
            raise PbxError(400, "fax (the destination number) is missing")
        for key in ("tag", "notify", "prefix", "sender"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise PbxError(400, f"{key} must be a string")
        notify = body.get("notify") or ""
        job = self._fax_job_ids.claim()
        pages = pdf_page_count(p.document)
        sender = self._fax_sender(body.get("sender"), notify)
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.done[str(job)] = {
            "id": str(job),
            "subaddress": "",
            "jobtag": body.get("tag") or fax_id,
            "notify": notify,
            "sender": sender,
            "scheduled": now,
            "state": "D",
            "failedTries": "0",
            "totalDials": "1",
            "dialstring": dest.strip(),
            "failedDials": "0",
            "priority": "200",
            "killtime": "",
            "modem": "any",
            "error": "",
            "totalTries": "1",
            "totalPages": str(pages),
            "time": "",
        }
        owner, device = self._fax_device(dest.strip())
        if owner is not None and device is not None and device.extension is not None:
            number = self._fax_file_ids.claim()
            stamp = _now_ms()
            filename = f"fax{number:09d}.tif"
            sender_user = self.users.get(sender)
            self.received[filename] = ReceivedFax(
                filename=filename,
                extension=device.extension,
                pdfname=f"{stamp}_{number}",
                fields=_received_fields(
                    self.instance,
                    pages,
                    now,
                    device.extension,
                    f"{stamp}_{number}",
                    (sender_user.fax.extension if sender_user and sender_user.fax else None)
                    or "<NONE>",
                ),
                pdf_bytes=p.document,
            )
        del self.prepared[fax_id]
        return [f"request id is {job} (group id {job}) for host localhost (1 file)"]

    def _fax_sender(self, sender: Any, notify: str) -> str:
        if isinstance(sender, str) and sender in self.users:
            return sender
        if notify:
            wanted = notify.casefold()
            for u in self.users.values():
                mails = [u.email, u.fax.fax_email if u.fax else None]
                if any(m and m.casefold() == wanted for m in mails):
                    return u.name
        return self.rest_user

    def delete_waiting(self, fax_id: str) -> JSON:
        if fax_id not in self.prepared:
            raise PbxError(404, f"no waiting fax document {fax_id!r}")
        del self.prepared[fax_id]
        return {"response": "fax document deleted", "id": fax_id}

    # ------------------------------------------------------------------ cdr

    def add_cdr(self, raw: JSON) -> JSON:
        rec = self._cdr_record(raw)
        self.cdr.append(rec)
        return rec

    def _party(self, side: str, raw: JSON) -> JSON:
        username = raw.get(f"{side}UserName") or ""
        number = raw.get(f"{side}Number") or ""
        u = self.users.get(username) if username else self._user_by_extension(number)
        if u is not None:
            device_name = (
                raw.get(f"{side}DeviceName") or u.default_device or next(iter(u.devices), "")
            )
            device = u.devices.get(device_name)
            return {
                f"{side}Internal": True,
                f"{side}UserId": u.id,
                f"{side}UserName": u.name,
                f"{side}Name": raw.get(f"{side}Name") or u.bez,
                f"{side}DeviceId": device.id if device else "",
                f"{side}DeviceName": device_name,
                f"{side}LocationId": u.loc_id,
                f"{side}LocationName": u.bez,
                f"{side}Prefix": raw.get(f"{side}Prefix", ""),
                f"{side}Number": number or (u.extension or ""),
                f"{side}Extension": u.extension or "",
                f"{side}PhonebookEntryId": u.pho_id,
            }
        ext = self.extensions.get(number)
        return {
            f"{side}Internal": ext is not None,
            f"{side}UserId": "",
            f"{side}UserName": "",
            f"{side}Name": raw.get(f"{side}Name") or (ext["text"] if ext else ""),
            f"{side}DeviceId": "",
            f"{side}DeviceName": "",
            f"{side}LocationId": "",
            f"{side}LocationName": "",
            f"{side}Prefix": raw.get(f"{side}Prefix", ""),
            f"{side}Number": number,
            f"{side}Extension": number if ext else "",
            f"{side}PhonebookEntryId": "",
        }

    def _cdr_record(self, raw: JSON) -> JSON:
        rid = self._ids["cdr"].claim(raw.get("id"))
        ts = int(raw["timestamp"])
        rec: JSON = {
            "id": rid,
            "timestamp": ts,
            "time": _iso_time(ts),
            "parentId": "",
            "chain": raw.get("chain", f"{ts}_{rid}"),
            "phonecallId": raw.get("phonecallId", rid),
            "result": raw.get("result", "hangup"),
            "resultDetails": raw.get("resultDetails", "src"),
            "via": raw.get("via", ""),
            "viaDetails": raw.get("viaDetails", ""),
            "recordId": "",
            "duration": raw.get("duration", 0),
            "connected": raw.get("connected", 0),
            "holdCount": raw.get("holdCount", 0),
            "holdDuration": raw.get("holdDuration", 0),
        }
        src = self._party("src", raw)
        dst = self._party("dst", raw)
        copy_parties(rec, src, dst, CDR_PARTY_FIELDS)
        rec["data"] = {}
        self._phonecall_ids.claim(rec["phonecallId"])
        return rec

    def cdr_query(self, filters: dict[str, str]) -> list[JSON]:
        checks: list[Callable[[JSON], bool]] = []
        exact = {
            "srcusername": "srcUserName",
            "dstusername": "dstUserName",
            "srcextension": "srcExtension",
            "dstextension": "dstExtension",
            "srcuserid": "srcUserId",
            "dstuserid": "dstUserId",
            "result": "result",
            "phonecallid": "phonecallId",
            "chain": "chain",
            "id": "id",
        }
        wildcard = {
            "srcnumber": "srcNumber",
            "dstnumber": "dstNumber",
            "srcname": "srcName",
            "dstname": "dstName",
        }
        for param, key in exact.items():
            if param in filters:
                want = filters[param]
                checks.append(_equals(key, want))
        for param, key in wildcard.items():
            if param in filters:
                rx = _like(filters[param])
                checks.append(_matches(key, rx))
        for param, key in (("srcinternal", "srcInternal"), ("dstinternal", "dstInternal")):
            if param in filters:
                flag = _parse_bool(param, filters[param])
                checks.append(_is(key, flag))
        if "timefrom" in filters:
            t0 = _parse_time("timefrom", filters["timefrom"], end_of_day=False)
            checks.append(lambda r: r["timestamp"] >= t0)
        if "timeto" in filters:
            t1 = _parse_time("timeto", filters["timeto"], end_of_day=True)
            checks.append(lambda r: r["timestamp"] <= t1)
        if "durationfrom" in filters:
            d = _parse_int("durationfrom", filters["durationfrom"])
            checks.append(lambda r: r["duration"] >= d)
        order = filters.get("order", "desc").lower()
        if order not in ("asc", "desc"):
            raise PbxError(400, "order must be asc or desc")
        limit = _parse_int("limit", filters["limit"]) if "limit" in filters else 0
        found = [r for r in self.cdr if all(c(r) for c in checks)]
        found.sort(key=lambda r: (r["timestamp"], r["id"]), reverse=order == "desc")
        return found[:limit] if limit > 0 else found

    def live_calls(self) -> list[JSON]:
        return self.calls.live()

    def live_call(self, call_id: str) -> JSON | None:
        if not call_id.isdigit():
            raise PbxError(400, "a phonecall id is a number")
        call = self.calls.active.get(int(call_id))
        return None if call is None else self.calls.live_json(call)

    # ------------------------------------------------------------------ extensions

    def extensions_json(self, target: str | None) -> list[JSON]:
        rows = [
            {k: v for k, v in e.items() if not k.startswith("_")}
            for e in sorted(
                self.extensions.values(),
                key=lambda e: (len(e["009ext_extension"]), e["009ext_extension"]),
            )
        ]
        if target is None:
            return rows
        wanted = target.strip()
        return [r for r in rows if r["009ext_extension"] == wanted]


def _entry_key(e: PhonebookEntry) -> tuple[str, int]:
    return (e.sortkey, e.id)


def _compose_displayname(first: str | None, last: str | None, org: str | None) -> str:
    person = " ".join(p for p in (first, last) if p)
    if org and person:
        return f"{org} - {person}"
    return org or person


def _received_fields(
    instance: str, pages: int, received: str, extension: str, callid2: str, remote: str
) -> JSON:
    return {
        "sender": instance,
        "pages": str(pages),
        "quality": "Fine",
        "page": "default",
        "received": received,
        "timetorecv": f"0:00:{min(59, 20 * pages):02d}",
        "signalrate": "14400 bit/s",
        "dataformat": "2-D MMR",
        "errcorrect": "Yes",
        "callid1": extension,
        "callid2": callid2,
        "callid3": remote,
        "callid4": extension,
        "subaddress": "",
        "sigrate": "14400",
        "error": "",
        "duration": f"0:00:{min(59, 20 * pages):02d}",
        "length": "4294967295",
        "size": "0",
        "owner": "10",
        "resolution": "196",
        "time": received.replace("-", "/"),
        "width": "1728",
        "receiving": "",
        "cidname": callid2,
        "cidnumber": extension,
    }


def _equals(key: str, want: str) -> Callable[[JSON], bool]:
    return lambda r: str(r[key]) == want


def _matches(key: str, rx: re.Pattern[str]) -> Callable[[JSON], bool]:
    return lambda r: rx.fullmatch(str(r[key])) is not None


def _is(key: str, flag: bool) -> Callable[[JSON], bool]:
    return lambda r: r[key] is flag


def _like(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in pattern.split("%")]
    return re.compile(".*".join(parts), re.IGNORECASE | re.DOTALL)


def _parse_int(name: str, value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise PbxError(400, f"{name} must be a whole number") from None
    if n < 0:
        raise PbxError(400, f"{name} must not be negative")
    return n


def _parse_bool(name: str, value: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise PbxError(400, f"{name} must be true or false")


def _parse_time(name: str, value: str, *, end_of_day: bool) -> int:
    if value.isdigit():
        return int(value)
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise PbxError(400, f"{name} must be a unix time in ms or YYYY-MM-DD") from None
    ms = int(day.timestamp() * 1000)
    return ms + 86_400_000 - 1 if end_of_day else ms


# pascom's device types by 066dev_id, as far as the demo needs them: a real PBX ships
# this catalogue, an IO-JSON file only refers to it.

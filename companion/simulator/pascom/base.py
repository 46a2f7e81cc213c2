"""The core the parts of the demo PBX share: its records by kind, id counters, the
signature of links, the extension plan.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from .iojson import IoJson
from .records import (
    JSON,
    TMSTMP,
    DeviceAction,
    Mailbox,
    PbxError,
    PhonebookEntry,
    PreparedFax,
    Queue,
    ReceivedFax,
    Redirect,
    RequestRecord,
    Switch,
    User,
    VoicemailMessage,
)

if TYPE_CHECKING:
    from .calls import Calls
    from .state import PbxState


VARIANTS = ("default", "reference")


class StateBase:
    """What every part of the PBX shares: its records, ids, signing and extensions.

    The parts (users.py, phonebook.py, ...) are mixins of this class; ``PbxState`` joins them.
    """

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

        # A StateBase is only ever built as the PbxState that joins the parts.
        self.calls: Calls = Calls(cast("PbxState", self))

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

"""What the innovaphone demo PBX knows: its objects (users and others), booleans, App objects.

Loaded from a demo file (JSON, see resources/innovaphone-demo.json). Everything runs on the
server's event loop, so nothing here locks.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE = 20  # SearchUsers: "a list of up to 20 users"
USER_TYPES = ("", "executive")  # no pseudo type: a user; SearchUsers returns users and executives
DIVERSION_TYPES = ("cfu", "cfb", "cfnr")


class DemoFileError(ValueError):
    """The demo file is not what the demo PBX can load; the text says where."""


@dataclass
class PbxObject:
    """One PBX object as the PbxAdminApi sees it (a user unless ``pseudo`` names a type)."""

    guid: str
    cn: str
    dn: str = ""
    h323: str = ""
    e164: str = ""
    node: str = "root"
    loc: str = ""
    password: str = ""  # the user's login password; never sent back
    apps: str = ""  # comma-separated App objects the user may use
    pseudo: dict[str, Any] | None = None
    presence: list[dict[str, str]] = field(default_factory=list)
    cds: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # other UpdateObject properties, kept as sent

    @property
    def is_user(self) -> bool:
        return (self.pseudo or {}).get("type", "") in USER_TYPES

    def may_use(self, app: str) -> bool:
        return app in [a.strip() for a in self.apps.split(",") if a.strip()]


@dataclass
class AppObject:
    """An App object: a name, its password (the shared secret) and the APIs it grants."""

    name: str
    password: str
    title: str = ""
    apis: tuple[str, ...] = ("PbxAdminApi", "RCC")


@dataclass
class Boolean:
    guid: str
    name: str
    on: bool = False
    reason: str = "manual"


@dataclass
class PbxState:
    domain: str
    pbx: str
    number_prefix: str  # GetNormalizedNumber: this, then the extension
    objects: list[PbxObject]
    apps: dict[str, AppObject]
    booleans: list[Boolean]
    # the node's prefixes, as UserInitializeResult gives them (prefixIntl, prefixNtl, ...)
    prefixes: dict[str, str] = field(default_factory=dict)
    # GetNormalizedNumber in the PBX's own dialling form (prefixIntl, no "+"), not +E.164
    normalized_dialled: bool = False

    # ---------------------------------------------------------------- finding objects

    def find(self, *, guid: str = "", cn: str = "", h323: str = "") -> PbxObject | None:
        """As GetObject: by guid, else by cn, else by h323 (first present wins)."""
        if guid:
            return next((o for o in self.objects if o.guid.lower() == guid.lower()), None)
        if cn:
            return next((o for o in self.objects if o.cn == cn), None)
        if h323:
            return next((o for o in self.objects if o.h323 == h323), None)
        return None

    def find_number(self, e164: str) -> PbxObject | None:
        return next((o for o in self.objects if e164 and o.e164 == e164), None)

    def search_users(self, cn: str, include_match: bool) -> list[PbxObject]:
        """Users and executives in cn order, starting after ``cn`` (at it with include_match)."""
        users = sorted(
            (o for o in self.objects if o.is_user), key=lambda o: (o.cn.casefold(), o.cn)
        )
        start = cn.casefold()
        after = [
            o
            for o in users
            if o.cn.casefold() > start or (include_match and o.cn.casefold() == start)
        ]
        return after[:PAGE]

    # ---------------------------------------------------------------- changing objects

    def create(self, cn: str) -> PbxObject:
        obj = PbxObject(guid=uuid.uuid4().hex, cn=cn, loc=self.pbx)
        self.objects.append(obj)
        return obj

    def normalized_number(self, obj: PbxObject, relative_to: PbxObject | None) -> str:
        if relative_to is not None and relative_to.node == obj.node:
            return obj.e164
        intl = self.prefixes.get("prefixIntl", "")
        if self.normalized_dialled and intl and self.number_prefix.startswith("+"):
            return intl + self.number_prefix[1:] + obj.e164
        return self.number_prefix + obj.e164


# -------------------------------------------------------------------- the demo file


def default_demo_path() -> Path:
    """The innovaphone demo file: in a wheel under companion/_resources, else in the repo."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent.parent / "_resources" / "innovaphone-demo.json",
        here.parent.parent.parent / "resources" / "innovaphone-demo.json",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("innovaphone-demo.json not found (companion/_resources, resources/)")


def load_state(path: str | os.PathLike[str] | None = None) -> PbxState:
    source = Path(path) if path is not None else default_demo_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoFileError(f"{source}: cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise DemoFileError(f"{source}: not JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return parse_state(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoFileError(f"{source}: {exc}") from None


def parse_state(data: dict[str, Any]) -> PbxState:
    if not isinstance(data, dict):
        raise ValueError("the demo file must be a JSON object")
    pbx = str(data.get("pbx", "demo"))
    objects = []
    for i, raw in enumerate(data.get("objects", [])):
        if not isinstance(raw, dict) or not raw.get("cn"):
            raise ValueError(f"objects[{i}] needs a cn")
        objects.append(
            PbxObject(
                guid=str(raw.get("guid") or uuid.uuid5(uuid.NAMESPACE_OID, raw["cn"]).hex),
                cn=str(raw["cn"]),
                dn=str(raw.get("dn", raw["cn"])),
                h323=str(raw.get("h323", "")),
                e164=str(raw.get("e164", "")),
                node=str(raw.get("node", "root")),
                loc=str(raw.get("loc", pbx)),
                password=str(raw.get("password", "")),
                apps=str(raw.get("apps", "")),
                pseudo=raw.get("pseudo"),
                presence=list(raw.get("presence", [])),
                cds=list(raw.get("cds", [])),
            )
        )
    apps = {}
    for raw in data.get("apps", []):
        app = AppObject(
            name=str(raw["name"]),
            password=str(raw["password"]),
            title=str(raw.get("title", raw["name"])),
            apis=tuple(raw.get("apis", ("PbxAdminApi", "RCC"))),
        )
        apps[app.name] = app
    booleans = [
        Boolean(
            guid=str(raw.get("guid") or uuid.uuid5(uuid.NAMESPACE_OID, "bool:" + raw["name"]).hex),
            name=str(raw["name"]),
            on=bool(raw.get("on", False)),
            reason=str(raw.get("reason", "manual")),
        )
        for raw in data.get("booleans", [])
    ]
    return PbxState(
        domain=str(data.get("domain", "demo.example.com")),
        pbx=pbx,
        number_prefix=str(data.get("number_prefix", "")),
        objects=objects,
        apps=apps,
        booleans=booleans,
        prefixes={str(k): str(v) for k, v in dict(data.get("node_prefixes", {})).items()},
    )

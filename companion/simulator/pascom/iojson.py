"""Reader and validator for pascom IO-JSON files.

An IO-JSON file is a JSON object whose keys name IO plugins (``module`` or
``module.plugin``). Each plugin holds an array of objects; an object's keys are
database fields, and its optional ``post`` object holds further plugin arrays that
are imported after it (children that depend on their parent).

Only what pascom itself can import is accepted: the plugins of the IO-Framework's
table, and in each object only fields of the tables that plugin writes (its
``Accesses Tables in Database`` column, e.g. ``003user``, ``011account`` and
``009extension`` for ``identity``), the foreign-key ids those rows hold, and
``post``. The simulator reads ``identity``, ``phonebook``, the softphone, desk
phone and fax device plugins; the other plugins of the table (``trunk``,
``location``, ...) are checked by their tables' field prefixes and skipped. What
pascom keeps but cannot import (queues, switches, voicemail, ...) is in a
separate file, see :mod:`companion.simulator.pascom.extras`.

Every error is raised as :class:`IoJsonError` whose message names the place: a
line and column for JSON syntax errors, a path such as
``identity[2].post.phonebook[0].028pho_lasname`` for the others.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.files import MB, read_regular

__all__ = [
    "DEVICE_PLUGINS",
    "IGNORED_PLUGINS",
    "PLUGINS",
    "IoJsonError",
    "PluginSpec",
    "check_object",
    "load_iojson",
    "parse_iojson",
]

IoJson = dict[str, list[dict[str, Any]]]


class IoJsonError(ValueError):
    """An IO-JSON file that cannot be read. ``str()`` names the file and the place."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.path = path
        self.line = line
        self.column = column
        if line is not None:
            where = f"{source}: line {line}, column {column}"
        elif path:
            where = f"{source}: {path}"
        else:
            where = source
        super().__init__(f"{where}: {message}")


# Type names used in the field tables below.
DATA_LIMIT = 64 * MB  # --data and --extras: a big demo is a few MB; more is a mistake
STR = "string"
INT = "integer"
BOOL = "boolean"
STR_LIST = "array of strings"
OBJ_LIST = "array of objects"
NULLABLE = "|null"  # suffix: the field may also be null


@dataclass(frozen=True)
class PluginSpec:
    """What the simulator accepts for one IO plugin (or one object of the extras)."""

    fields: Mapping[str, str]
    required: frozenset[str] = frozenset()
    # None = allowed at top level, otherwise the name of a parent plugin
    parents: frozenset[str | None] = frozenset({None})
    # at least one of these fields must be present (if non-empty)
    one_of: frozenset[str] = field(default_factory=frozenset)


# The database tables the plugins write, with the columns the REST reference shows
# for them (and foreign-key ids: a row refers to another by that table's id column).
_USER_TABLE = {  # 003user
    "003use_id": INT,
    "003use_name": STR,
    "003use_bez": STR,
    "003use_pw": STR,
    "003use_doc": STR + NULLABLE,
    "003use_enabled": BOOL,
    "003use_authrole": STR + NULLABLE,
    "003use_auth_method": STR,
    "003use_state": STR + NULLABLE,
    "003use_statusText": STR + NULLABLE,
    "003use_lastlogin": STR + NULLABLE,
    "003use_tmstmp": STR,
    "034pro_id": INT,
    "107ava_id": INT + NULLABLE,
}
_ACCOUNT_TABLE = {  # 011account
    "011acc_id": INT,
    "011acc_calleridnum": STR + NULLABLE,
    "011acc_callwaiting": BOOL,
    "011acc_voiidwatch": INT + NULLABLE,
    "011acc_pin": STR + NULLABLE,
    "011acc_tmstmp": STR,
    "028pho_id": INT,
}
_EXTENSION_TABLE = {  # 009extension
    "009ext_id": INT,
    "009ext_extension": STR,
    "009ext_tmstmp": STR,
}
# The reference's own identity example sets 016voi_email, a column of the voicemail
# box table its plugin table does not list: accepted, as the example does.
_VOICEMAILBOX_TABLE = {  # 016voicemail
    "016voi_id": INT,
    "016voi_mailbox": STR,
    "016voi_email": STR,
    "016voi_name": STR,
    "016voi_transcribe": STR,
    "016voi_format": STR,
    "016voi_save": BOOL,
    "016voi_tmstmp": STR,
}
_PHONEBOOK_TABLE = {  # 028phonebook
    "028pho_id": INT,
    "028pho_bez": STR + NULLABLE,
    "028pho_firstname": STR + NULLABLE,
    "028pho_lastname": STR + NULLABLE,
    "028pho_organisation": STR + NULLABLE,
    "028pho_email": STR + NULLABLE,
    "028pho_phone": STR + NULLABLE,
    "028pho_mobile": STR + NULLABLE,
    "028pho_homephone": STR + NULLABLE,
    "028pho_fax": STR + NULLABLE,
    "028pho_notes": STR + NULLABLE,
    "028pho_tmstmp": STR,
}
_DEVICE_TABLE = {  # 010device
    "010dev_id": INT,
    "010dev_bez": STR,
    "010dev_caption": STR + NULLABLE,
    "010dev_token": STR + NULLABLE,
    "010dev_tmstmp": STR,
    "066dev_id": INT,  # the device type (model), see DEVICE_TYPES in loader.py
    "068bas_id": INT + NULLABLE,
    "090por_id": INT + NULLABLE,
}
_IPDEVICE_TABLE = {  # 015ipdevice
    "015ipd_id": INT,
    "015ipd_mac": STR,
    "015ipd_option": STR,
    "015ipd_nat": BOOL,
    "015ipd_tmstmp": STR,
}
_PEER_TABLE = {  # 013peer
    "013pee_id": INT,
    "013pee_username": STR,
    "013pee_password": STR,
    "013pee_option": STR + NULLABLE,
    "013pee_tmstmp": STR,
}
_LOCATION_TABLE = {  # 012location
    "012loc_id": INT,
    "012loc_bez": STR,
    "012loc_doc": STR + NULLABLE,
    "012loc_static": BOOL,
    "012loc_tmstmp": STR,
}
_FAXDEVICE_TABLE = {  # 020faxdevice
    "020fax_id": INT,
    "020fax_email": STR,
    "020fax_caption": STR + NULLABLE,
    "020fax_tmstmp": STR,
}
# A device at the top level names its user as its own detail answer does: by the
# user's login or by the account (011account) the device row belongs to.
USER_REFERENCE = {"003use_name": STR, "011acc_id": INT}

_IP_PHONE_FIELDS = {
    **_DEVICE_TABLE,
    **_IPDEVICE_TABLE,
    **_PEER_TABLE,
    **_LOCATION_TABLE,
    **USER_REFERENCE,
}
_DEVICE_PARENTS = frozenset({None, "identity"})

PLUGINS: dict[str, PluginSpec] = {
    "identity": PluginSpec(
        fields={**_USER_TABLE, **_ACCOUNT_TABLE, **_EXTENSION_TABLE, **_VOICEMAILBOX_TABLE},
        required=frozenset({"003use_name", "003use_bez"}),
    ),
    "phonebook": PluginSpec(
        fields=_PHONEBOOK_TABLE,
        parents=frozenset({None, "identity"}),
        one_of=frozenset(
            {"028pho_bez", "028pho_firstname", "028pho_lastname", "028pho_organisation"}
        ),
    ),
    # the reference's example spells the softphone plugin ipdevice.mdsoftphone, its
    # table ipphone.mdsoftphone: both are read the same
    "ipphone.mdsoftphone": PluginSpec(fields=_IP_PHONE_FIELDS, parents=_DEVICE_PARENTS),
    "ipdevice.mdsoftphone": PluginSpec(fields=_IP_PHONE_FIELDS, parents=_DEVICE_PARENTS),
    "ipphone": PluginSpec(
        fields=_IP_PHONE_FIELDS,
        required=frozenset({"066dev_id"}),
        parents=_DEVICE_PARENTS,
    ),
    "faxdevice": PluginSpec(
        fields={**_FAXDEVICE_TABLE, **_DEVICE_TABLE, **_EXTENSION_TABLE, **USER_REFERENCE},
        required=frozenset({"009ext_extension"}),
        parents=_DEVICE_PARENTS,
    ),
}

DEVICE_PLUGINS = ("ipdevice.mdsoftphone", "ipphone.mdsoftphone", "ipphone", "faxdevice")

# The table's other plugins, which the simulator has no use for: checked by the field
# prefixes of the tables they write (their columns are not in the reference), skipped.
IGNORED_PLUGINS: dict[str, tuple[str, ...]] = {
    "connector": ("076imp_",),
    "connector.fieldmap": ("077fie_",),
    "externals": ("010dev_", "074ext_", "009ext_"),
    "inboundrules": ("024inb_",),
    "location": ("012loc_",),
    "netconfig": ("026sys_",),
    "outboundrules": ("025out_",),
    "trunk": ("022tru_",),
    "trunk.peer": ("048pee_",),
    "phonebook.phonebooklabel": ("028050pholab_", "028pho_", "050lab_"),
    "speeddial": ("042spe_", "009ext_"),
}
_FOREIGN_ID = re.compile(r"\d{3}[a-z]{3}_id")


def load_iojson(path: str | os.PathLike[str]) -> IoJson:
    """Read and validate an IO-JSON file. Raises :class:`IoJsonError`."""
    return parse_iojson(read_text(path), source=str(path))


def parse_iojson(text: str, *, source: str = "<string>") -> IoJson:
    """Parse and validate IO-JSON text. Raises :class:`IoJsonError`."""
    doc = parse_json(text, source=source)
    if not isinstance(doc, dict):
        raise IoJsonError(
            f"the top level must be an object of plugin arrays, not {_kind(doc)}", source=source
        )
    _check_plugins(doc, parent=None, prefix="", source=source)
    return doc


def read_text(path: str | os.PathLike[str]) -> str:
    """A data file's text; an unreadable file (a FIFO, a device, over 64 MB, ...) is an
    :class:`IoJsonError`."""
    p = Path(path)
    try:
        return read_regular(p, DATA_LIMIT).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IoJsonError(f"not UTF-8 text ({exc.reason})", source=str(p)) from exc
    except OSError as exc:
        raise IoJsonError(f"cannot read file: {exc.strerror or exc}", source=str(p)) from exc


def parse_json(text: str, *, source: str) -> Any:
    """JSON with a syntax error reported by line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IoJsonError(exc.msg, source=source, line=exc.lineno, column=exc.colno) from exc


def _check_plugins(
    plugins: dict[str, Any], *, parent: str | None, prefix: str, source: str
) -> None:
    for name, items in plugins.items():
        path = f"{prefix}{name}"
        spec = PLUGINS.get(name)
        if spec is None and name not in IGNORED_PLUGINS:
            raise IoJsonError(
                f"unknown IO plugin{_did_you_mean(name, _ALL_PLUGINS)}", source=source, path=path
            )
        if spec is not None and parent not in spec.parents:
            where = "at the top level" if parent is None else f"inside a {parent!r} post"
            raise IoJsonError(f"plugin {name!r} is not allowed {where}", source=source, path=path)
        if not isinstance(items, list):
            raise IoJsonError(f"must be an array, not {_kind(items)}", source=source, path=path)
        for index, item in enumerate(items):
            ipath = f"{path}[{index}]"
            if spec is None:
                _check_ignored(name, item, path=ipath, source=source)
                continue
            check_object(spec, item, path=ipath, source=source)
            if (
                name in DEVICE_PLUGINS
                and parent is None
                and not any(key in item for key in USER_REFERENCE)
            ):
                raise IoJsonError(
                    "a device at the top level needs its user: 003use_name or 011acc_id",
                    source=source,
                    path=ipath,
                )
            if "post" in item:
                _check_plugins(item["post"], parent=name, prefix=f"{ipath}.post.", source=source)


def _check_ignored(name: str, obj: Any, *, path: str, source: str) -> None:
    if not isinstance(obj, dict):
        raise IoJsonError(f"must be an object, not {_kind(obj)}", source=source, path=path)
    prefixes = IGNORED_PLUGINS[name]
    for key in obj:
        if key != "post" and not key.startswith(prefixes) and not _FOREIGN_ID.fullmatch(key):
            raise IoJsonError(
                f"unknown field (plugin {name!r} takes fields {', '.join(prefixes)}...)",
                source=source,
                path=f"{path}.{key}",
            )
    _check_post(obj, path=path, source=source)
    if "post" in obj:
        _check_plugins(obj["post"], parent=name, prefix=f"{path}.post.", source=source)


def check_object(spec: PluginSpec, obj: Any, *, path: str, source: str, post: bool = True) -> None:
    """One object against its spec: required fields, no unknown field, types.

    ``post`` says whether the object may hold a ``post`` object (checked for its
    shape only; the caller checks the plugins in it).
    """
    if not isinstance(obj, dict):
        raise IoJsonError(f"must be an object, not {_kind(obj)}", source=source, path=path)
    fields = spec.fields
    # a typo first: it is usually also why a required field seems missing
    for key in obj:
        if key not in fields and not (key == "post" and post):
            raise IoJsonError(
                f"unknown field{_did_you_mean(key, fields)}", source=source, path=f"{path}.{key}"
            )
    missing = [key for key in spec.required if key not in obj]
    if missing:
        key = min(missing)
        raise IoJsonError(f"required field {key!r} is missing", source=source, path=path)
    if spec.one_of and not any(obj.get(k) for k in spec.one_of):
        names = ", ".join(sorted(spec.one_of))
        raise IoJsonError(f"needs at least one of {names}", source=source, path=path)
    for key, value in obj.items():
        expected = fields.get(key)
        if expected is None:
            continue  # post
        if not _CHECKS[expected](value):
            raise IoJsonError(
                f"must be {_describe(expected)}, not {_kind(value)}",
                source=source,
                path=f"{path}.{key}",
            )
        if key in spec.required and isinstance(value, str) and not value.strip():
            raise IoJsonError("must not be empty", source=source, path=f"{path}.{key}")
    _check_post(obj, path=path, source=source)


def _check_post(obj: dict[str, Any], *, path: str, source: str) -> None:
    if "post" in obj and not isinstance(obj["post"], dict):
        raise IoJsonError(
            f"must be an object of plugin arrays, not {_kind(obj['post'])}",
            source=source,
            path=f"{path}.post",
        )


_ALL_PLUGINS = [*PLUGINS, *IGNORED_PLUGINS]


def _did_you_mean(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_BASE_CHECKS: dict[str, Callable[[Any], bool]] = {
    STR: lambda v: isinstance(v, str),
    INT: _is_int,
    BOOL: lambda v: isinstance(v, bool),
    STR_LIST: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    OBJ_LIST: lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
}


def _or_null(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v is None or check(v)


_CHECKS: dict[str, Callable[[Any], bool]] = {
    **_BASE_CHECKS,
    **{base + NULLABLE: _or_null(check) for base, check in _BASE_CHECKS.items()},
}


def _describe(expected: str) -> str:
    base = expected.removesuffix(NULLABLE)
    article = "an" if base[0] in "aeiou" else "a"
    text = f"{article} {base}"
    return text + " or null" if expected.endswith(NULLABLE) else text


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover

"""Reader and validator for pascom IO-JSON files.

An IO-JSON file is a JSON object whose keys name IO plugins (``module`` or
``module.plugin``). Each plugin holds an array of objects; an object's keys are
database fields, and its optional ``post`` object holds further plugin arrays that
are imported after it (children that depend on their parent).

The simulator understands the real pascom plugins it needs (``identity``,
``phonebook``, ``ipdevice.mdsoftphone``, ``ipphone``, ``faxdevice``) and a few
simulator-only plugins in the same style for state that pascom does not import
through IO-JSON (switches, redirects, profiles, queues, voicemail, faxes, call
history). Real pascom plugins the simulator does not simulate (``trunk``,
``location``, ...) are accepted and ignored.

Every error is raised as :class:`IoJsonError` whose message names the place: a
line and column for JSON syntax errors, a path such as
``identity[2].post.phonebook[0].003use_name`` for structural ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["IGNORED_PLUGINS", "PLUGINS", "IoJsonError", "PluginSpec", "load_iojson", "parse_iojson"]

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
STR = "string"
INT = "integer"
BOOL = "boolean"
STR_LIST = "array of strings"
OBJ_LIST = "array of objects"
NULLABLE = "|null"  # suffix: the field may also be null


@dataclass(frozen=True)
class PluginSpec:
    """What the simulator accepts for one IO plugin."""

    fields: Mapping[str, str]
    required: frozenset[str] = frozenset()
    # None = allowed at top level, otherwise the name of a parent plugin
    parents: frozenset[str | None] = frozenset({None})
    # at least one of these fields must be present (if non-empty)
    one_of: frozenset[str] = field(default_factory=frozenset)
    simulator_only: bool = False


_USER_FIELDS = {
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
    "011acc_id": INT,
    "011acc_calleridnum": STR + NULLABLE,
    "011acc_callwaiting": BOOL,
    "009ext_id": INT,
    "009ext_extension": STR,
    "016voi_id": INT,
    "016voi_mailbox": STR,
    "016voi_email": STR,
    "016voi_name": STR,
    "016voi_transcribe": STR,
    "028pho_id": INT,
    "017pro_id": INT + NULLABLE,
    # simulator: the Asterisk hint state shown by identity/states
    "state": STR,
}

_PHONEBOOK_FIELDS = {
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
    # a private entry names its owner like the REST API does
    "phonebookType": STR + NULLABLE,
    "phonebookName": STR + NULLABLE,
}

_DEVICE_FIELDS = {
    "010dev_id": INT,
    "010dev_bez": STR,
    "010dev_caption": STR + NULLABLE,
    "066dev_id": INT,
    "066dev_bez": STR,
    "013pee_username": STR,
    "015ipd_mac": STR,
    # simulator: the device the user's pascom client uses for outgoing calls
    "defaultdevice": BOOL,
}

PLUGINS: dict[str, PluginSpec] = {
    "identity": PluginSpec(
        fields=_USER_FIELDS,
        required=frozenset({"003use_name", "003use_bez"}),
    ),
    "phonebook": PluginSpec(
        fields=_PHONEBOOK_FIELDS,
        parents=frozenset({None, "identity"}),
        one_of=frozenset(
            {"028pho_bez", "028pho_firstname", "028pho_lastname", "028pho_organisation"}
        ),
    ),
    "ipdevice.mdsoftphone": PluginSpec(fields=_DEVICE_FIELDS, parents=frozenset({"identity"})),
    # the IO-Framework's table spells the softphone plugin this way
    "ipphone.mdsoftphone": PluginSpec(fields=_DEVICE_FIELDS, parents=frozenset({"identity"})),
    "ipphone": PluginSpec(
        fields=_DEVICE_FIELDS,
        required=frozenset({"066dev_bez"}),
        parents=frozenset({"identity"}),
    ),
    "faxdevice": PluginSpec(
        fields={
            "010dev_id": INT,
            "010dev_bez": STR,
            "009ext_extension": STR,
            "020fax_id": INT,
            "020fax_email": STR,
            "020fax_caption": STR + NULLABLE,
        },
        required=frozenset({"009ext_extension"}),
        parents=frozenset({"identity"}),
    ),
    "profile": PluginSpec(
        fields={
            "017pro_id": INT,
            "017pro_bez": STR,
            "017pro_scope": STR,
            "017pro_tmstmp": STR,
        },
        required=frozenset({"017pro_id", "017pro_bez"}),
        parents=frozenset({"identity"}),
        simulator_only=True,
    ),
    "voicemail.message": PluginSpec(
        fields={
            "folder": STR,
            "id": STR,
            "msg_id": STR,
            "origtime": STR,
            "origdate": STR,
            "callerid": STR,
            "calleridname": STR,
            "calleridnum": STR,
            "callerchan": STR,
            "duration": STR,
            "category": STR,
            "flag": STR,
            "audio": STR,
        },
        required=frozenset({"folder", "origtime", "audio"}),
        parents=frozenset({"identity"}),
        simulator_only=True,
    ),
    "condition.switch": PluginSpec(
        fields={
            "038con_id": INT,
            "038con_bez": STR,
            "039swi_state": BOOL,
            "009ext_extension": STR,
            # simulator: login names allowed to change the switch; absent = everybody
            "permitted": STR_LIST,
        },
        required=frozenset({"038con_bez", "009ext_extension"}),
        simulator_only=True,
    ),
    "redirect": PluginSpec(
        fields={"source": STR, "target": STR, "old": STR},
        required=frozenset({"source"}),
        simulator_only=True,
    ),
    "queue": PluginSpec(
        fields={
            "029tea_id": INT,
            "029tea_bez": STR,
            "029tea_calleridname": STR + NULLABLE,
            "009ext_extension": STR,
            "036que_prefix": STR + NULLABLE,
            "036que_calleridname": STR + NULLABLE,
            "pausereasons": OBJ_LIST,
        },
        required=frozenset({"029tea_bez", "009ext_extension"}),
        simulator_only=True,
    ),
    "queue.member": PluginSpec(
        fields={
            "agent": STR,
            "loggedin": BOOL,
            "paused": BOOL,
            "pausereason": STR,
            "dynamic": BOOL,
        },
        required=frozenset({"agent"}),
        parents=frozenset({"queue"}),
        simulator_only=True,
    ),
    "faxserver.received": PluginSpec(
        fields={
            "filename": STR,
            "009ext_extension": STR,
            "pdf": STR,
            "sender": STR,
            "pages": STR,
            "quality": STR,
            "received": STR,
            "timetorecv": STR,
            "signalrate": STR,
            "callid1": STR,
            "callid2": STR,
            "callid3": STR,
            "callid4": STR,
            "cidname": STR,
            "cidnumber": STR,
            "time": STR,
        },
        required=frozenset({"filename", "009ext_extension", "pdf"}),
        simulator_only=True,
    ),
    "faxserver.done": PluginSpec(
        fields={
            "id": STR,
            "jobtag": STR,
            "notify": STR,
            "sender": STR,
            "scheduled": STR,
            "state": STR,
            "dialstring": STR,
            "totalPages": STR,
            "totalDials": STR,
            "totalTries": STR,
            "failedDials": STR,
            "failedTries": STR,
            "error": STR,
        },
        required=frozenset({"id", "dialstring"}),
        simulator_only=True,
    ),
    "cdr": PluginSpec(
        fields={
            "id": INT,
            "timestamp": INT,
            "phonecallId": INT,
            "chain": STR,
            "result": STR,
            "resultDetails": STR,
            "via": STR,
            "viaDetails": STR,
            "duration": INT,
            "connected": INT,
            "holdCount": INT,
            "holdDuration": INT,
            "srcUserName": STR,
            "srcName": STR,
            "srcNumber": STR,
            "srcDeviceName": STR,
            "dstUserName": STR,
            "dstName": STR,
            "dstNumber": STR,
            "dstDeviceName": STR,
        },
        required=frozenset({"timestamp", "srcNumber", "dstNumber"}),
        simulator_only=True,
    ),
}

# Real pascom IO plugins the simulator has no use for: accepted and skipped.
IGNORED_PLUGINS = frozenset(
    {
        "connector",
        "connector.fieldmap",
        "externals",
        "inboundrules",
        "location",
        "netconfig",
        "outboundrules",
        "trunk",
        "trunk.peer",
        "phonebook.phonebooklabel",
        "speeddial",
    }
)


def load_iojson(path: str | os.PathLike[str]) -> IoJson:
    """Read and validate an IO-JSON file. Raises :class:`IoJsonError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IoJsonError(f"not UTF-8 text ({exc.reason})", source=str(p)) from exc
    except OSError as exc:
        raise IoJsonError(f"cannot read file: {exc.strerror or exc}", source=str(p)) from exc
    return parse_iojson(text, source=str(p))


def parse_iojson(text: str, *, source: str = "<string>") -> IoJson:
    """Parse and validate IO-JSON text. Raises :class:`IoJsonError`."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IoJsonError(exc.msg, source=source, line=exc.lineno, column=exc.colno) from exc
    if not isinstance(doc, dict):
        raise IoJsonError(
            f"the top level must be an object of plugin arrays, not {_kind(doc)}", source=source
        )
    _check_plugins(doc, parent=None, prefix="", source=source)
    return doc


def _check_plugins(
    plugins: dict[str, Any], *, parent: str | None, prefix: str, source: str
) -> None:
    for name, items in plugins.items():
        path = f"{prefix}{name}"
        if name in IGNORED_PLUGINS:
            if not isinstance(items, list):
                raise IoJsonError(f"must be an array, not {_kind(items)}", source=source, path=path)
            continue
        spec = PLUGINS.get(name)
        if spec is None:
            raise IoJsonError(f"unknown IO plugin {name!r}", source=source, path=path)
        if parent not in spec.parents:
            where = "at the top level" if parent is None else f"inside a {parent!r} post"
            raise IoJsonError(f"plugin {name!r} is not allowed {where}", source=source, path=path)
        if not isinstance(items, list):
            raise IoJsonError(f"must be an array, not {_kind(items)}", source=source, path=path)
        for index, item in enumerate(items):
            _check_object(name, spec, item, path=f"{path}[{index}]", source=source)


def _check_object(name: str, spec: PluginSpec, obj: Any, *, path: str, source: str) -> None:
    if not isinstance(obj, dict):
        raise IoJsonError(f"must be an object, not {_kind(obj)}", source=source, path=path)
    missing = [key for key in spec.required if key not in obj]
    if missing:
        key = min(missing)
        raise IoJsonError(f"required field {key!r} is missing", source=source, path=path)
    if spec.one_of and not any(obj.get(k) for k in spec.one_of):
        names = ", ".join(sorted(spec.one_of))
        raise IoJsonError(f"needs at least one of {names}", source=source, path=path)
    fields = spec.fields
    for key, value in obj.items():
        expected = fields.get(key)
        if expected is None:
            continue  # "post" and further database fields are passed through untouched
        if not _CHECKS[expected](value):
            raise IoJsonError(
                f"must be {_describe(expected)}, not {_kind(value)}",
                source=source,
                path=f"{path}.{key}",
            )
        if key in spec.required and isinstance(value, str) and not value.strip():
            raise IoJsonError("must not be empty", source=source, path=f"{path}.{key}")
    if "post" in obj:
        post = obj["post"]
        if not isinstance(post, dict):
            raise IoJsonError(
                f"must be an object of plugin arrays, not {_kind(post)}",
                source=source,
                path=f"{path}.post",
            )
        _check_plugins(post, parent=name, prefix=f"{path}.post.", source=source)


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

"""The demo PBX's extras: what a pascom PBX holds but IO-JSON cannot import.

Queues, switches, redirects, voicemail, faxes, call history, profiles, presence and
the pascom client's outgoing device are not in the IO-Framework's plugin table, so
they live in a plain JSON document of the simulator's own, read beside the IO-JSON
file (``resources/demo-extras.json`` beside ``resources/demo-pbx.json``). The field
names are the REST API's. Its shape (every part optional)::

    {
      "users": {                                # by login (003use_name) from the IO-JSON
        "mmuster": {
          "presence": "Idle",                   # the hint state identity/states shows
          "default_device": "pascom Softphone [Max Mustermann]",  # the client dials with
          "profiles": [{"017pro_id": 11, "017pro_bez": "Im Büro"}],   # + _scope, _tmstmp
          "active_profile": 11,                 # one of its profiles' 017pro_id
          "voicemail": [{"folder": "INBOX", "origtime": "1763539925",
                         "audio": "demo/voicemail/101-inbox-0.wav", "id": "msg0000",
                         "calleridname": "Tina Sander", "calleridnum": "221"}],
          "private_phonebook": [{"028pho_firstname": "Erika", "028pho_mobile": "..."}]
        }
      },
      "queues": [{"029tea_bez": "Zentrale", "009ext_extension": "200",
                  "pausereasons": [{"reason": "lunch", "code": "40"}],
                  "members": [{"agent": "mmuster", "loggedin": true, "paused": false}]}],
      "switches": [{"038con_bez": "Nightmode", "009ext_extension": "506",
                    "039swi_state": false, "permitted": ["agrassl"]}],
      "redirects": [{"source": "101", "target": "", "old": "+4989998877"}],
      "received_faxes": [{"filename": "fax000000010.tif", "009ext_extension": "301",
                          "pdf": "demo/fax/fax000000010.pdf", "callid3": "+49895554321"}],
      "sent_faxes": [{"id": "3", "dialstring": "+49 30 1234567", "notify": "..."}],
      "history": [{"timestamp": 1763365800000, "srcNumber": "101", "dstNumber": "221"}]
    }

Media paths (``audio``, ``pdf``) are relative to the extras file. Field types and
unknown keys are checked here, with the place; cross-references (logins, extensions,
device names) when the PBX is built (``PbxState.from_iojson``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .iojson import (
    BOOL,
    INT,
    NULLABLE,
    OBJ_LIST,
    PLUGINS,
    STR,
    STR_LIST,
    IoJsonError,
    PluginSpec,
    check_object,
    parse_json,
    read_text,
)

__all__ = ["Extras", "load_extras", "parse_extras"]

JSON = dict[str, Any]


@dataclass(frozen=True)
class Extras:
    """A validated extras document and where its media paths start."""

    doc: JSON
    base_dir: Path
    source: str

    def section(self, name: str) -> list[JSON]:
        items: list[JSON] = self.doc.get(name, [])
        return items


USER = PluginSpec(
    fields={
        "presence": STR,
        "default_device": STR + NULLABLE,
        "profiles": OBJ_LIST,
        "active_profile": INT + NULLABLE,
        "voicemail": OBJ_LIST,
        "private_phonebook": OBJ_LIST,
    }
)
PROFILE = PluginSpec(
    fields={"017pro_id": INT, "017pro_bez": STR, "017pro_scope": STR, "017pro_tmstmp": STR},
    required=frozenset({"017pro_id", "017pro_bez"}),
)
VOICEMAIL = PluginSpec(
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
)
QUEUE = PluginSpec(
    fields={
        "029tea_id": INT,
        "029tea_bez": STR,
        "029tea_calleridname": STR + NULLABLE,
        "009ext_extension": STR,
        "036que_prefix": STR + NULLABLE,
        "036que_calleridname": STR + NULLABLE,
        "pausereasons": OBJ_LIST,
        "members": OBJ_LIST,
    },
    required=frozenset({"029tea_bez", "009ext_extension"}),
)
PAUSE_REASON = PluginSpec(
    fields={"reason": STR, "code": STR}, required=frozenset({"reason", "code"})
)
MEMBER = PluginSpec(
    fields={"agent": STR, "loggedin": BOOL, "paused": BOOL, "pausereason": STR, "dynamic": BOOL},
    required=frozenset({"agent"}),
)
SWITCH = PluginSpec(
    fields={
        "038con_id": INT,
        "038con_bez": STR,
        "039swi_state": BOOL,
        "009ext_extension": STR,
        # login names allowed to change the switch; absent = everybody
        "permitted": STR_LIST,
    },
    required=frozenset({"038con_bez", "009ext_extension"}),
)
REDIRECT = PluginSpec(
    fields={"source": STR, "target": STR, "old": STR}, required=frozenset({"source"})
)
RECEIVED_FAX = PluginSpec(
    fields={
        key: STR
        for key in (
            "filename",
            "009ext_extension",
            "pdf",
            "sender",
            "pages",
            "quality",
            "received",
            "timetorecv",
            "signalrate",
            "callid1",
            "callid2",
            "callid3",
            "callid4",
            "cidname",
            "cidnumber",
            "time",
        )
    },
    required=frozenset({"filename", "009ext_extension", "pdf"}),
)
SENT_FAX = PluginSpec(
    fields={
        key: STR
        for key in (
            "id",
            "jobtag",
            "notify",
            "sender",
            "scheduled",
            "state",
            "dialstring",
            "totalPages",
            "totalDials",
            "totalTries",
            "failedDials",
            "failedTries",
            "error",
        )
    },
    required=frozenset({"id", "dialstring"}),
)
CALL = PluginSpec(
    fields={
        "id": INT,
        "timestamp": INT,
        "phonecallId": INT,
        "duration": INT,
        "connected": INT,
        "holdCount": INT,
        "holdDuration": INT,
        **{
            key: STR
            for key in (
                "chain",
                "result",
                "resultDetails",
                "via",
                "viaDetails",
                "srcUserName",
                "srcName",
                "srcNumber",
                "srcDeviceName",
                "dstUserName",
                "dstName",
                "dstNumber",
                "dstDeviceName",
            )
        },
    },
    required=frozenset({"timestamp", "srcNumber", "dstNumber"}),
)

SECTIONS: dict[str, PluginSpec] = {
    "queues": QUEUE,
    "switches": SWITCH,
    "redirects": REDIRECT,
    "received_faxes": RECEIVED_FAX,
    "sent_faxes": SENT_FAX,
    "history": CALL,
}
# the arrays inside a user or a queue, and what each of their items is
_NESTED: dict[str, PluginSpec] = {
    "profiles": PROFILE,
    "voicemail": VOICEMAIL,
    "private_phonebook": PLUGINS["phonebook"],
    "pausereasons": PAUSE_REASON,
    "members": MEMBER,
}


def load_extras(path: str | os.PathLike[str]) -> Extras:
    """Read and validate an extras file. Raises :class:`IoJsonError`."""
    p = Path(path)
    return parse_extras(read_text(p), source=str(p), base_dir=p.resolve().parent)


def parse_extras(text: str, *, source: str = "<string>", base_dir: Path) -> Extras:
    """Parse and validate extras text. Raises :class:`IoJsonError`."""
    doc = parse_json(text, source=source)
    if not isinstance(doc, dict):
        raise IoJsonError("the top level must be an object", source=source)
    for name, value in doc.items():
        if name == "users":
            if not isinstance(value, dict):
                raise IoJsonError("must be an object keyed by login", source=source, path=name)
            for login, user in value.items():
                _check(USER, user, path=f"users.{login}", source=source)
            continue
        spec = SECTIONS.get(name)
        if spec is None:
            known = ", ".join(["users", *SECTIONS])
            raise IoJsonError(f"unknown section (known: {known})", source=source, path=name)
        if not isinstance(value, list):
            raise IoJsonError("must be an array", source=source, path=name)
        for i, item in enumerate(value):
            _check(spec, item, path=f"{name}[{i}]", source=source)
    return Extras(doc, base_dir, source)


def _check(spec: PluginSpec, obj: Any, *, path: str, source: str) -> None:
    check_object(spec, obj, path=path, source=source, post=False)
    for key, item_spec in _NESTED.items():
        if key in spec.fields:
            for i, item in enumerate(obj.get(key, [])):
                check_object(item_spec, item, path=f"{path}.{key}[{i}]", source=source, post=False)

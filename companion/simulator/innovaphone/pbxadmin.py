"""The PbxAdminApi messages of the reference (innovaphone-pbxadminapi.txt) that a
softphone companion needs, with the reference's field names.

Each handler takes the request and returns the ``...Result`` (the server adds ``api`` and
echoes ``src``). Messages the demo PBX does not know are not answered (see
docs/pbx-assumptions.md, "innovaphone demo PBX").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .state import DIVERSION_TYPES, PbxObject, PbxState

Handler = Callable[[PbxState, dict[str, Any]], dict[str, Any]]

# UpdateObject properties kept as plain values (the rest of the reference's list is stored as sent)
_TEXT_FIELDS = ("cn", "dn", "h323", "e164", "node", "loc", "apps")


def _object(obj: PbxObject) -> dict[str, Any]:
    """GetObjectResult's fields for one object (no pwd: the demo keeps passwords to itself)."""
    answer: dict[str, Any] = {
        "guid": obj.guid,
        "cn": obj.cn,
        "dn": obj.dn,
        "h323": obj.h323,
        "e164": obj.e164,
        "loc": obj.loc,
        "node": obj.node,
        "apps": obj.apps,
        "presence": [dict(p) for p in obj.presence],
        "cds": [dict(d) for d in obj.cds],
    }
    if obj.pseudo is not None:
        answer["pseudo"] = dict(obj.pseudo)
    answer.update(obj.extra)
    return answer


def _user_id(obj: PbxObject) -> dict[str, str]:
    return {"cn": obj.cn, "dn": obj.dn, "guid": obj.guid, "h323": obj.h323}


def search_users(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    cn = msg.get("cn", "")
    found = state.search_users(cn if isinstance(cn, str) else "", msg.get("includeMatch") is True)
    return {"mt": "SearchUsersResult", "user": [_user_id(o) for o in found]}


def _target(state: PbxState, msg: dict[str, Any], prefix: str = "") -> PbxObject | None:
    keys = {k: msg.get(prefix + k, "") for k in ("guid", "cn", "h323")}
    if not all(isinstance(v, str) for v in keys.values()):
        return None
    return state.find(**keys)


def get_object(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    obj = _target(state, msg)
    answer: dict[str, Any] = {"mt": "GetObjectResult"}
    if obj is not None:  # an unknown object: a result without an object in it
        answer.update(_object(obj))
    return answer


def _diversion_problem(cds: Any) -> str:
    if not isinstance(cds, list):
        return "cds must be a list"
    for d in cds:
        if not isinstance(d, dict) or d.get("type") not in DIVERSION_TYPES:
            return "each diversion needs a type of cfu, cfb or cfnr"
        ep = d.get("ep")
        if not isinstance(ep, list) or not ep or not isinstance(ep[0], dict):
            return f"the {d['type']} diversion needs an ep"
    return ""


def _presence_problem(presence: Any) -> str:
    if not isinstance(presence, list) or not all(
        isinstance(p, dict) and isinstance(p.get("c", ""), str) for p in presence
    ):
        return "presence must be a list of {c, a, n}"
    return ""


def update_object(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {"mt": "UpdateObjectResult"}
    guid, cn = msg.get("guid", ""), msg.get("cn", "")
    problem = _diversion_problem(msg["cds"]) if "cds" in msg else ""
    problem = problem or (_presence_problem(msg["presence"]) if "presence" in msg else "")
    if problem:
        answer["error"] = problem
        return answer
    created = False
    if guid in ("*", "?"):
        obj = state.find(cn=cn) if isinstance(cn, str) and cn else None
        if obj is None and guid == "?" and isinstance(cn, str) and cn:
            obj, created = state.create(cn), True
    elif guid:
        obj = state.find(guid=guid) if isinstance(guid, str) else None
    elif isinstance(cn, str) and cn:
        obj, created = state.create(cn), True
    else:
        obj = None
    if obj is None:
        answer["error"] = "no such object"
        return answer
    for key in _TEXT_FIELDS:
        if isinstance(msg.get(key), str) and not (key == "cn" and not msg[key]):
            setattr(obj, key, msg[key])
    if "presence" in msg:  # the whole list is replaced, as with every list property
        obj.presence = [dict(p) for p in msg["presence"]]
    if "cds" in msg:
        obj.cds = [dict(d) for d in msg["cds"]]
    if isinstance(msg.get("pwd"), str) and msg["pwd"]:
        obj.password = msg["pwd"]
    ignored = {"api", "mt", "src", "guid", "pwd", "presence", "cds", *_TEXT_FIELDS}
    obj.extra.update({k: v for k, v in msg.items() if k not in ignored})
    if created or not guid:
        answer["guid"] = obj.guid
    return answer


def get_booleans(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    return {
        "mt": "GetBooleansResult",
        "booleans": [
            {"guid": b.guid, "name": b.name, "on": b.on, "reason": b.reason} for b in state.booleans
        ],
    }


def get_normalized_number(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    obj = _target(state, msg)
    answer: dict[str, Any] = {"mt": "GetNormalizedNumberResult"}
    if obj is not None:
        answer["number"] = state.normalized_number(obj, _target(state, msg, "from-"))
    return answer


def get_pbx_config(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    return {"mt": "GetPbxConfigResult", "loc": state.pbx}


def get_nodes(state: PbxState, msg: dict[str, Any]) -> dict[str, Any]:
    names = sorted({o.node for o in state.objects})
    return {
        "mt": "GetNodesResult",
        "nodes": [{"name": n, "node": "", "loc": state.pbx} for n in names],
    }


HANDLERS: dict[str, Handler] = {
    "SearchUsers": search_users,
    "GetObject": get_object,
    "UpdateObject": update_object,
    "GetBooleans": get_booleans,
    "GetNormalizedNumber": get_normalized_number,
    "GetPbxConfig": get_pbx_config,
    "GetNodes": get_nodes,
}

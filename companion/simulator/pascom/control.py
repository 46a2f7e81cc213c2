"""The simulator's own control endpoint: ``/{instance}/_sim/...`` (no pascom API).

Tests and benchmarks make the demo PBX ring with it, as a caller from outside would:

    POST _sim/call              {"from": "+4989123456" or a login, "to": login or extension,
                                 "ring_s": 20, "answer": seconds or null,
                                 "via": "queue Support" or null, "name": "Tina Sander",
                                 "talk_s": seconds or null, "message_s": 4}
                                -> {"phonecallId": 63}
    POST _sim/call/{id}/answer  the user answers on the phone
    POST _sim/call/{id}/hangup  the caller hangs up

It lives outside ``/services`` and needs no REST credential: a real pascom has no such
thing, so nothing that talks to a real PBX can depend on it.
"""

from __future__ import annotations

from typing import Any

from .calls import DEFAULT_MESSAGE_S, DEFAULT_RING_S
from .records import JSON, PbxError
from .state import PbxState


def handle(state: PbxState, method: str, segments: list[str], body: Any) -> JSON:
    """Run one control request (the state's lock held); PbxError for a bad one."""
    if not segments or segments[0] != "call":
        raise PbxError(404, "no such control resource: " + "/".join(segments))
    if method != "POST":
        raise PbxError(405, f"method {method} not allowed here")
    if len(segments) == 1:
        return {"phonecallId": _ring(state, body)}
    if len(segments) == 3 and segments[2] in ("answer", "hangup"):
        if not segments[1].isdigit():
            raise PbxError(400, "a phonecall id is a number")
        call_id = int(segments[1])
        if segments[2] == "answer":
            state.calls.answer_on_phone(call_id)
            return {"response": "answered", "phonecallId": call_id}
        state.calls.hang_up_caller(call_id)
        return {"response": "hung up", "phonecallId": call_id}
    raise PbxError(404, "no such control resource: " + "/".join(segments))


def _ring(state: PbxState, body: Any) -> int:
    if not isinstance(body, dict):
        raise PbxError(400, "the request body must be a JSON object")
    caller = body.get("from")
    callee = body.get("to")
    if not isinstance(caller, str) or not caller.strip():
        raise PbxError(400, "'from' must be a number or a login")
    if not isinstance(callee, str) or not callee.strip():
        raise PbxError(400, "'to' must be a login or an extension")
    via = body.get("via")
    name = body.get("name") or ""
    if via is not None and not isinstance(via, str):
        raise PbxError(400, "'via' must be a string like 'queue Support'")
    if not isinstance(name, str):
        raise PbxError(400, "'name' must be a string")
    return state.calls.ring(
        caller,
        callee,
        ring_s=_seconds(body, "ring_s", DEFAULT_RING_S),
        answer=_seconds(body, "answer", None),
        via=via,
        name=name,
        talk_s=_seconds(body, "talk_s", None),
        message_s=_seconds(body, "message_s", DEFAULT_MESSAGE_S) or 0.0,
    )


def _seconds(body: JSON, key: str, default: float | None) -> float | None:
    if key not in body:
        return default
    value = body[key]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise PbxError(400, f"{key!r} must be a number of seconds (0 or more) or null")
    return float(value)

"""Switches (day/night and the like) and redirects (the call forwarding of an extension)."""

from __future__ import annotations

from typing import Any

from .base import StateBase
from .records import (
    JSON,
    PbxError,
    Redirect,
    Switch,
)


class Redirects(StateBase):
    """`switch` and `redirect`: what the user switches and where an extension forwards to."""

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

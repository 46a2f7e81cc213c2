"""Queues: their members' counts, the agents' login, logout and pause."""

from __future__ import annotations

import os
from typing import Any

from .base import StateBase
from .records import (
    JSON,
    TMSTMP,
    PbxError,
    Queue,
)

QUEUE_ACTIONS = ("login", "logout", "pause", "unpause")


class Queues(StateBase):
    """`queue`: the queues, their members and the agents' actions."""

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

"""Users and their devices: the identity records, device actions (dial, hangup, ...),
recording and profiles.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .base import StateBase
from .records import (
    JSON,
    TMSTMP,
    Device,
    DeviceAction,
    PbxError,
    User,
)

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


class Users(StateBase):
    """`identity`, `state` and `device`: the users, their devices and device actions."""

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

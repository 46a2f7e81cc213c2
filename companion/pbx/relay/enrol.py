"""Enrolment: trade the administrator's one-time code for this desktop's device token.

`POST /v1/enrol {"code", "device"}` without a token; the answer names the token, the PBX
user it acts as and the device. The caller keeps the token in the OS keyring (never a
file) and never logs it; `Enrolment`'s repr leaves it out.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field

from companion.pbx import errors
from companion.pbx.relay.wire import RelayWire

MAX_DEVICE_NAME = 64


@dataclass(frozen=True)
class Enrolment:
    user: str  # the PBX login the token acts as
    device: str  # this desktop's name at the relay
    token: str = field(repr=False)


def device_name() -> str:
    """A name for this desktop at the relay: its host name, as letters, digits, - and ."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", socket.gethostname()).strip("-.")
    return (name or "desktop")[:MAX_DEVICE_NAME]


async def enrol(
    relay_url: str,
    code: str,
    *,
    device: str = "",
    ca_file: str | None = None,
    deadline: float | None = None,
) -> Enrolment:
    """The device token for `code` at the relay; PbxError in the relay's words."""
    wire = RelayWire(relay_url, "", ca_file=ca_file, deadline=deadline)
    try:
        data = await wire.act(
            "POST",
            "enrol",
            {"code": code, "device": device or device_name()},
            unconfirmed="it may have used up the code. Ask your administrator for a new one"
            " if the next try says it is not valid.",
        )
    finally:
        await wire.close()
    if not isinstance(data, dict):
        raise errors.UnexpectedResponse("The Companion relay did not send a device token.")
    token, user, name = data.get("token"), data.get("user"), data.get("device")
    if not all(isinstance(v, str) and v for v in (token, user, name)):
        raise errors.UnexpectedResponse("The Companion relay did not send a device token.")
    assert isinstance(token, str) and isinstance(user, str) and isinstance(name, str)
    return Enrolment(user=user, device=name, token=token)

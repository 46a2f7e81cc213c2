"""The desktop side of a Companion relay: its HTTP API and event stream as a `Pbx`.

`client.RelayPbx` is the backend (`pbx.kind = relay`); `enrol.enrol` trades an
administrator's one-time code for this desktop's device token; `links` checks the relay's
address and the ``companion://enrol?...`` link. `RelayPbx` is loaded when first used, so
that checking a link imports no HTTP or WebSocket stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.pbx.relay.client import RelayPbx

__all__ = ["RelayPbx"]


def __getattr__(name: str) -> Any:
    if name == "RelayPbx":
        from companion.pbx.relay.client import RelayPbx

        return RelayPbx
    raise AttributeError(name)

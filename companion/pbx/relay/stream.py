"""The relay's event stream (`GET /v1/events`, a WebSocket) as the push contract's `Pushed`.

One connection per call of `pushed()`: it yields for as long as the connection lives and
raises a PbxError in words when it ends (the session connects again with back-off and
reads the whole state; the first message after connecting is always a resync of the
calls, so nothing missed in between is replayed or lost). A revoked token ends the
stream with AuthenticationError at once, in the relay's words.
"""

from __future__ import annotations

import contextlib
import json
import ssl
from collections.abc import AsyncIterator

import websockets
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

from companion.pbx import errors, wire_models
from companion.pbx.models import Call
from companion.pbx.protocol import Pushed
from companion.pbx.relay.wire import REVOKED, not_a_relay, read_list, transport_error

OPEN_TIMEOUT = 10.0  # seconds for the connection and the upgrade
MAX_MESSAGE = 4 * 1024 * 1024  # the live calls: thousands of calls in one message
CLOSE_REVOKED = 4401
CLOSE_PBX_UNREACHABLE = 4502


def events_url(base: str) -> str:
    """wss://relay.example.com/v1/events for https://relay.example.com."""
    scheme, rest = base.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest.rstrip('/')}/v1/events"


async def pushed(
    base: str, token: str, host: str, tls: ssl.SSLContext | None
) -> AsyncIterator[Pushed]:
    """Follow the relay's events until the connection ends (then raise in words)."""
    try:
        socket = await connect(
            events_url(base),
            additional_headers={"Authorization": f"Bearer {token}"},
            ssl=tls,
            open_timeout=OPEN_TIMEOUT,
            max_size=MAX_MESSAGE,
            user_agent_header="Companion",
            compression=None,
        )
    except InvalidStatus as exc:
        raise _refused(exc.response.status_code, exc.response.body, host) from None
    except InvalidURI:
        raise errors.PbxUnreachable(f"'{base}' is not a Companion relay address.") from None
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
        raise transport_error(exc, host) from None
    async with socket:
        try:
            async for message in socket:
                item = _read(message)
                if item is not None:
                    yield item
        except ConnectionClosed as exc:
            raise _closed(exc.rcvd.code if exc.rcvd else None, host) from None
        code = socket.close_code
        raise _closed(code, host)


def _read(message: str | bytes) -> Pushed | None:
    """One event as `Pushed`; None for one this Companion does not know (a newer relay)."""
    try:
        event = json.loads(message)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _unreadable("not JSON") from None
    if not isinstance(event, dict):
        raise _unreadable("not an object")
    kind = event.get("type")
    if kind == "calls":
        calls: list[Call] = read_list(Call, event.get("calls"))
        return Pushed(calls=calls)
    if kind == "changed":
        try:
            return Pushed(changed=wire_models.features_from_json(event.get("features")))
        except wire_models.WireError as err:
            raise _unreadable(str(err)) from None
    if kind in ("revoked", "error"):
        found = wire_models.error_from(event)
        if kind == "revoked":
            raise errors.AuthenticationError(found.message if found else REVOKED)
        raise found or errors.PbxUnreachable("The Companion relay ended the event stream.")
    return None


def _refused(status: int, body: bytes | bytearray | None, host: str) -> errors.PbxError:
    """The upgrade refused: the relay itself accepts and then says why (`revoked`), so a
    refusal in HTTP comes from a proxy or from something that is no relay."""
    found: errors.PbxError | None = None
    with contextlib.suppress(ValueError, UnicodeDecodeError, RecursionError):
        found = wire_models.error_from(json.loads(body or b""))
    if found is not None:
        return errors.AuthenticationError(found.message) if status == 401 else found
    return not_a_relay(status, host)


def _closed(code: int | None, host: str) -> errors.PbxError:
    if code == CLOSE_REVOKED:
        return errors.AuthenticationError(REVOKED)
    if code == CLOSE_PBX_UNREACHABLE:
        return errors.PbxUnreachable("The Companion relay cannot reach the PBX.")
    if code == 1001:
        return errors.PbxUnreachable(
            f"The Companion relay at {host} is restarting; Companion connects again shortly."
        )
    return errors.PbxUnreachable(
        f"The connection to the Companion relay at {host} broke off; Companion connects"
        " again shortly."
    )


def _unreadable(why: str) -> errors.UnexpectedResponse:
    return errors.UnexpectedResponse(
        f"The Companion relay sent an event Companion does not understand ({why})."
    )

"""The relay's HTTP API: one handler per operation of docs/relay-openapi.json.

Each handler gets the token's device and the backend of the token's user; nothing a
request says can choose another user (see `companion.relay.users` for the id checks).
Answers are the models as JSON (`companion.pbx.wire_models`), errors
``{"error": {"kind", "message"}}``; actions are written to the audit log.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from companion import fax_document
from companion.pbx import errors, wire_models
from companion.pbx.features import Feature
from companion.pbx.models import CallAction, ContactDetails, PbxUser, Presence
from companion.pbx.protocol import Pbx
from companion.relay import users
from companion.relay.operations import status_of
from companion.relay.sources import behind_relay
from companion.relay.store import DeviceRecord

log = logging.getLogger(__name__)

MAX_JSON = 64 * 1024
MAX_LIMIT = 1000


@dataclass
class Call:
    """One request as a handler sees it."""

    request: Request
    device: DeviceRecord
    pbx: Pbx
    relay: Any  # companion.relay.app.Relay
    target: str = ""  # what the audit log names as acted on

    def param(self, name: str) -> str:
        return str(self.request.path_params[name])

    def query(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default)

    def number(self, name: str, default: int, least: int = 0, most: int = MAX_LIMIT) -> int:
        given = self.request.query_params.get(name)
        if given is None:
            return default
        try:
            value = int(given)
        except ValueError:
            raise errors.BadRequest(f"'{name}' must be a whole number, not '{given}'.") from None
        if not least <= value <= most:
            raise errors.BadRequest(f"'{name}' must be between {least} and {most}.")
        return value

    def flag(self, name: str) -> bool:
        given = self.request.query_params.get(name, "false").lower()
        if given not in ("true", "false", "1", "0"):
            raise errors.BadRequest(f"'{name}' must be true or false, not '{given}'.")
        return given in ("true", "1")

    async def body(self) -> dict[str, Any]:
        raw = await read_limited(self.request, MAX_JSON, "The request")
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise errors.BadRequest("The request's body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise errors.BadRequest("The request's body must be a JSON object.")
        return data


async def read_limited(request: Request, most: int, what: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise errors.BadRequest(f"{what} is larger than the relay accepts.")
        chunks.append(chunk)
    return b"".join(chunks)


def text_field(body: dict[str, Any], name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise errors.BadRequest(f"'{name}' must be text.")
    return value


@dataclass(frozen=True)
class Operation:
    handler: Callable[[Call], Awaitable[Any]]
    acts: bool  # an action (or a download): written to the audit log
    changes: frozenset[Feature]  # what the user's other desktops should read again
    everybody: bool  # ... and every other user's desktops too


HANDLERS: dict[str, Operation] = {}


def operation(
    name: str,
    *,
    acts: bool = False,
    changes: frozenset[Feature] = frozenset(),
    everybody: bool = False,
) -> Callable[[Callable[[Call], Awaitable[Any]]], Callable[[Call], Awaitable[Any]]]:
    def register(handler: Callable[[Call], Awaitable[Any]]) -> Callable[[Call], Awaitable[Any]]:
        HANDLERS[name] = Operation(handler, acts, changes, everybody)
        return handler

    return register


def _one(feature: Feature) -> frozenset[Feature]:
    return frozenset({feature})


# -- the user and their devices ------------------------------------------------------


@operation("capabilities")
async def _capabilities(c: Call) -> Any:
    return {"capabilities": sorted(f.value for f in c.pbx.capabilities)}


@operation("account")
async def _account(c: Call) -> Any:
    return await c.pbx.account()


@operation("users")
async def _users(c: Call) -> Any:
    me = await c.pbx.account()
    return [PbxUser(me.login, me.display_name, me.extension)]


@operation("devices")
async def _devices(c: Call) -> Any:
    return await c.pbx.devices()


@operation("default_device")
async def _default_device(c: Call) -> Any:
    return await c.pbx.default_device()


@operation("call_action", acts=True)
async def _call_action(c: Call) -> Any:
    body = await c.body()
    try:
        action = CallAction(text_field(body, "action"))
    except ValueError:
        known = ", ".join(a.value for a in CallAction)
        raise errors.BadRequest(f"'action' must be one of {known}.") from None
    destination = text_field(body, "destination", "")
    device = body.get("device")
    if device is not None and not isinstance(device, str):
        raise errors.BadRequest("'device' must be text or null.")
    c.target = f"{action.value} {destination}".strip() + (f" on {device}" if device else "")
    await c.pbx.call_action(action, destination, device or None)


# -- phonebook and colleagues -------------------------------------------------------


@operation("search")
async def _search(c: Call) -> Any:
    return await c.pbx.search(
        c.query("text"), c.number("limit", 20, 1), c.number("offset", 0, 0, 10**6)
    )


@operation("directory_page")
async def _directory_page(c: Call) -> Any:
    offset = c.number("offset", 0, 0, 10**6)
    limit = c.number("limit", 100, 1)
    return await c.relay.backends.directory.page(c.pbx, offset, limit, c.flag("private_only"))


@operation("presence")
async def _presence(c: Call) -> Any:
    names = c.request.query_params.getlist("user")
    if len(names) > MAX_LIMIT:
        raise errors.BadRequest(f"Ask for at most {MAX_LIMIT} users' presence at once.")
    found: dict[str, Presence] = await c.pbx.presence(names)
    return found


async def _details(c: Call) -> ContactDetails:
    try:
        return wire_models.from_json(ContactDetails, await c.body())
    except wire_models.WireError as exc:
        raise errors.BadRequest(f"The phonebook entry is not valid: {exc}.") from None


@operation("create_contact", acts=True, changes=_one(Feature.DIRECTORY))
async def _create_contact(c: Call) -> Any:
    contact = await c.pbx.create_contact(await _details(c))
    c.target = contact.id
    return contact


@operation("update_contact", acts=True, changes=_one(Feature.DIRECTORY))
async def _update_contact(c: Call) -> Any:
    c.target = c.param("contact_id")
    details = await _details(c)
    await users.own_contact(c.pbx, c.target)
    return await c.pbx.update_contact(c.target, details)


@operation("delete_contact", acts=True, changes=_one(Feature.DIRECTORY))
async def _delete_contact(c: Call) -> Any:
    c.target = c.param("contact_id")
    await users.own_contact(c.pbx, c.target)
    await c.pbx.delete_contact(c.target)


@operation("resolve")
async def _resolve(c: Call) -> Any:
    number = c.query("number")
    if not number:
        raise errors.BadRequest("Say which number: ?number=...")
    return await c.pbx.resolve(number)


# -- presence profiles and queues ---------------------------------------------------


@operation("profiles")
async def _profiles(c: Call) -> Any:
    return await c.pbx.profiles()


@operation("activate_profile", acts=True, changes=_one(Feature.PRESENCE))
async def _activate_profile(c: Call) -> Any:
    c.target = c.param("profile_id")
    return await c.pbx.activate_profile(c.target)


@operation("queues")
async def _queues(c: Call) -> Any:
    return await c.pbx.queues()


@operation("queue_login", acts=True, changes=_one(Feature.QUEUES))
async def _queue_login(c: Call) -> Any:
    await c.pbx.queue_login()


@operation("queue_logout", acts=True, changes=_one(Feature.QUEUES))
async def _queue_logout(c: Call) -> Any:
    await c.pbx.queue_logout()


@operation("queue_pause", acts=True, changes=_one(Feature.QUEUES))
async def _queue_pause(c: Call) -> Any:
    c.target = text_field(await c.body(), "reason", "")
    await c.pbx.queue_pause(c.target)


@operation("queue_unpause", acts=True, changes=_one(Feature.QUEUES))
async def _queue_unpause(c: Call) -> Any:
    await c.pbx.queue_unpause()


# -- call forwarding and extension switches -----------------------------------------


@operation("redirect")
async def _redirect(c: Call) -> Any:
    return await c.pbx.redirect()


@operation("set_redirect", acts=True, changes=_one(Feature.REDIRECT))
async def _set_redirect(c: Call) -> Any:
    c.target = text_field(await c.body(), "target")
    return await c.pbx.set_redirect(c.target)


@operation("redirect_off", acts=True, changes=_one(Feature.REDIRECT))
async def _redirect_off(c: Call) -> Any:
    return await c.pbx.redirect_off()


@operation("redirect_on", acts=True, changes=_one(Feature.REDIRECT))
async def _redirect_on(c: Call) -> Any:
    return await c.pbx.redirect_on()


@operation("switches")
async def _switches(c: Call) -> Any:
    return await c.pbx.switches()


@operation("set_switch", acts=True, changes=_one(Feature.SWITCHES), everybody=True)
async def _set_switch(c: Call) -> Any:
    on = (await c.body()).get("on")
    if not isinstance(on, bool):
        raise errors.BadRequest("'on' must be true or false.")
    c.target = f"{c.param('extension')} {'on' if on else 'off'}"
    return await c.pbx.set_switch(c.param("extension"), on)


# -- voicemail ------------------------------------------------------------------------


@operation("voicemail_counts")
async def _voicemail_counts(c: Call) -> Any:
    return await c.pbx.voicemail_counts()


@operation("voicemails")
async def _voicemails(c: Call) -> Any:
    folder = c.query("folder", "*")
    if folder not in ("*", "INBOX", "Old"):
        raise errors.BadRequest("'folder' must be INBOX, Old or *.")
    return await c.pbx.voicemails(folder, c.number("limit", 100, 1))


@operation("voicemail_audio", acts=True)
async def _voicemail_audio(c: Call) -> Any:
    c.target = c.param("voicemail_id")
    await users.own_voicemail(c.pbx, c.target)
    return Response(await c.pbx.voicemail_audio(c.target), media_type="audio/x-wav")


@operation("mark_heard", acts=True, changes=_one(Feature.VOICEMAIL))
async def _mark_heard(c: Call) -> Any:
    c.target = c.param("voicemail_id")
    await users.own_voicemail(c.pbx, c.target)
    await c.pbx.mark_heard(c.target)


@operation("delete_voicemail", acts=True, changes=_one(Feature.VOICEMAIL))
async def _delete_voicemail(c: Call) -> Any:
    c.target = c.param("voicemail_id")
    await users.own_voicemail(c.pbx, c.target)
    await c.pbx.delete_voicemail(c.target)


# -- fax --------------------------------------------------------------------------------


@operation("received_faxes")
async def _received_faxes(c: Call) -> Any:
    return await c.pbx.received_faxes()


@operation("sent_faxes")
async def _sent_faxes(c: Call) -> Any:
    return await c.pbx.sent_faxes()


@operation("fax_pdf", acts=True)
async def _fax_pdf(c: Call) -> Any:
    c.target = c.param("fax_id")
    fax = await users.own_fax(c.pbx, c.target)
    return Response(await c.pbx.fax_pdf(fax), media_type="application/pdf")


@operation("send_fax", acts=True, changes=_one(Feature.FAX))
async def _send_fax(c: Call) -> Any:
    number = c.query("number")
    if not number:
        raise errors.BadRequest("Say which fax number: ?number=...")
    name = Path(c.query("name", "fax.pdf")).name or "fax.pdf"
    c.target = number
    document = await read_limited(c.request, fax_document.MAX_BYTES, "The PDF")
    with tempfile.TemporaryDirectory(dir=c.relay.data_dir) as folder:
        pdf = Path(folder) / (name if name.lower().endswith(".pdf") else f"{name}.pdf")
        pdf.write_bytes(document)
        try:
            fax_document.check(pdf)
        except fax_document.FaxDocumentError as exc:
            raise errors.BadRequest(str(exc)) from None
        job = await c.pbx.send_fax(pdf, number, c.query("title"))
    return {"id": job}


@operation("fax_attribution")
async def _fax_attribution(c: Call) -> Any:
    if Feature.FAX not in c.pbx.capabilities:
        await c.pbx.sent_faxes()  # raises the backend's own "not offered", in its words
    attribution = getattr(c.pbx, "fax_attribution", None)  # pascom's: what it can show
    return {"attribution": await attribution() if attribution else ""}


# -- history and live calls -------------------------------------------------------------


@operation("history")
async def _history(c: Call) -> Any:
    return await c.pbx.history(c.number("limit", 20, 1))


@operation("live_calls")
async def _live_calls(c: Call) -> Any:
    return await c.relay.hub.live_calls(c.pbx)  # one cdr/live for all who ask at once


@operation("toggle_recording", acts=True)
async def _toggle_recording(c: Call) -> Any:
    c.target = text_field(await c.body(), "device", "")
    await c.pbx.toggle_recording(c.target)


# -- answers ----------------------------------------------------------------------------


def error_response(exc: errors.PbxError, status: int | None = None) -> JSONResponse:
    return JSONResponse(wire_models.error_body(exc), status_code=status or status_of(type(exc)))


def answer(result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status_code=204)
    return JSONResponse(wire_models.to_json(result))


def pbx_failure(exc: errors.PbxError) -> JSONResponse:
    """A backend's failure as the desktop must hear it (the relay's PBX link in words)."""
    return error_response(behind_relay(exc))


def unexpected(exc: BaseException) -> JSONResponse:
    log.error("a request failed", exc_info=exc)
    return error_response(
        errors.PbxError(
            "The relay failed to do this (an error of the relay; its log has the details)."
        ),
        500,
    )

"""The relay as a starlette app: enrolment, the API, the event stream, health, OpenAPI."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from companion import __version__
from companion.pbx import errors
from companion.relay import api, openapi, operations
from companion.relay.audit import AuditLog
from companion.relay.config import RelayConfig
from companion.relay.hub import CLOSE_REVOKED, Hub, revoked_message
from companion.relay.ratelimit import FailureLimit
from companion.relay.store import MAX_NAME, DeviceRecord, EnrolmentRefused, Store
from companion.relay.users import UserBackends

log = logging.getLogger(__name__)

AUTH_WAIT = 10.0  # seconds an event stream may take to send its token
NOT_ENROLLED = (
    "This device is not enrolled with the relay, or its access was revoked. Ask the "
    "relay's administrator for a new enrolment code: companion login --relay URL --code CODE"
)


@dataclass
class Relay:
    """What the running relay holds: its state, its backends, its streams."""

    config: RelayConfig
    store: Store
    audit: AuditLog
    backends: UserBackends
    hub: Hub
    limit: FailureLimit = field(default_factory=FailureLimit)

    @property
    def data_dir(self) -> Path:
        return self.config.require_data_dir()

    @classmethod
    def open(cls, config: RelayConfig, password: str) -> Relay:
        data_dir = config.require_data_dir()
        store = Store(data_dir)
        audit = AuditLog(data_dir)
        backends = UserBackends(config, password)
        hub = Hub(backends, store, audit, poll_interval=config.poll_interval)
        return cls(config, store, audit, backends, hub)

    async def close(self) -> None:
        await self.hub.close()
        await self.backends.close()
        self.audit.close()
        self.store.close()


def bearer(connection: HTTPConnection) -> str:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def source(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else ""


# -- HTTP -------------------------------------------------------------------------------


def endpoint(name: str) -> Any:
    """The starlette endpoint of one operation: token, scope, handler, answer, audit."""
    op = api.HANDLERS[name]

    async def run(request: Request) -> Response:
        relay: Relay = request.app.state.relay
        device = relay.store.device_for(bearer(request))
        if device is None:
            relay.audit.record(name, source=source(request), outcome="not enrolled")
            return api.error_response(errors.AuthenticationError(NOT_ENROLLED), 401)
        relay.store.seen(device.id)
        call = api.Call(request, device, relay.backends.of(device.login), relay)
        outcome = "ok"
        try:
            result = await op.handler(call)
            response = api.answer(result)
            relay.hub.saw(None)
        except errors.PbxError as exc:
            outcome = type(exc).__name__
            response = api.pbx_failure(exc)
            relay.hub.saw(exc)
        except Exception as exc:  # a bug of ours: words for the desktop, details in the log
            outcome = "relay error"
            response = api.unexpected(exc)
        if op.acts or outcome != "ok":
            relay.audit.record(
                name,
                user=device.login,
                device=device.name,
                source=source(request),
                target=call.target,
                outcome=outcome,
            )
        if outcome == "ok" and op.changes:
            if op.everybody:
                relay.hub.tell_everybody(set(op.changes))
            else:
                relay.hub.tell_user(device.login, set(op.changes))
        return response

    return run


async def enrol(request: Request) -> Response:
    relay: Relay = request.app.state.relay
    where = source(request)
    wait = relay.limit.wait(where)
    if wait:
        relay.audit.record("enrol", source=where, outcome="rate limited")
        minutes = max(1, round(wait / 60))
        refusal = errors.PermissionDenied(
            "Too many wrong enrolment codes came from your address. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        response = api.error_response(refusal, 429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    try:
        raw = await api.read_limited(request, api.MAX_JSON, "The request")
        body = json.loads(raw) if raw else None
        if not isinstance(body, dict):
            raise errors.BadRequest('Send {"code": "...", "device": "..."} as JSON.')
        code = api.text_field(body, "code")
        device = api.text_field(body, "device").strip()
        if not device or len(device) > MAX_NAME or not device.isprintable():
            raise errors.BadRequest(
                f"Give this desktop a name of 1 to {MAX_NAME} printable characters."
            )
    except (errors.BadRequest, ValueError) as exc:
        message = str(exc) if isinstance(exc, errors.BadRequest) else "The body is not JSON."
        return api.error_response(errors.BadRequest(message), 400)
    try:
        token, login = relay.store.enrol(code, device)
    except EnrolmentRefused as exc:
        relay.limit.failed(where)
        relay.audit.record("enrol", source=where, device=device, outcome="refused")
        return api.error_response(errors.BadRequest(str(exc)), 400)
    relay.audit.record("enrol", user=login, device=device, source=where)
    relay.hub.check_revoked(force=True)  # a device enrolled again: its old stream ends
    return JSONResponse(
        {
            "token": token,
            "user": login,
            "device": device,
            "api": operations.API_VERSION,
            "relay_version": __version__,
            "capabilities": sorted(f.value for f in relay.backends.of(login).capabilities),
        }
    )


async def health(request: Request) -> Response:
    relay: Relay = request.app.state.relay
    reachable = relay.hub.reachable
    pbx = "unknown" if reachable is None else "reachable" if reachable else "unreachable"
    return JSONResponse(
        {"status": "ok", "pbx": pbx, "api": operations.API_VERSION, "relay_version": __version__}
    )


async def openapi_document(request: Request) -> Response:
    return Response(openapi.text(), media_type="application/json")


async def not_found(request: Request, exc: Exception) -> Response:
    return api.error_response(errors.NotFound("The relay has no such operation."), 404)


async def not_allowed(request: Request, exc: Exception) -> Response:
    return api.error_response(errors.BadRequest("The relay does not do this with this path."), 400)


# -- the event stream ---------------------------------------------------------------------


async def events(ws: WebSocket) -> None:
    relay: Relay = ws.app.state.relay
    await ws.accept()
    token = bearer(ws) or await _first_token(ws)
    if token is None:
        return
    device = relay.store.device_for(token)
    if device is None:
        relay.audit.record("events", source=source(ws), outcome="not enrolled")
        message = revoked_message()
        message["error"]["message"] = NOT_ENROLLED
        await ws.send_json(message)
        await ws.close(CLOSE_REVOKED, "not enrolled")
        return
    relay.audit.record("events", user=device.login, device=device.name, source=source(ws))
    await _serve(ws, relay, device)


async def _first_token(ws: WebSocket) -> str | None:
    try:
        async with asyncio.timeout(AUTH_WAIT):
            first = await ws.receive_json()
    except (TimeoutError, ValueError, KeyError):
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await ws.close(1008, "no token")
        return None
    except WebSocketDisconnect:
        return None
    if isinstance(first, dict) and first.get("type") == "auth":
        token = first.get("token")
        if isinstance(token, str):
            return token
    await ws.close(1008, "the first message must be {type: auth, token}")
    return None


async def _serve(ws: WebSocket, relay: Relay, device: DeviceRecord) -> None:
    stream = await relay.hub.connect(device)
    gone = asyncio.create_task(_until_gone(ws))
    try:
        while True:
            nxt = asyncio.create_task(stream.outbox.get())
            await asyncio.wait({nxt, gone}, return_when=asyncio.FIRST_COMPLETED)
            if not nxt.done():
                nxt.cancel()
                break
            message, code = nxt.result()
            await ws.send_json(message)
            if code is not None:
                await ws.close(code, message.get("type", ""))
                break
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the desktop went away mid-send
    finally:
        gone.cancel()
        await relay.hub.disconnect(stream)


async def _until_gone(ws: WebSocket) -> None:
    """Read (and ignore) what the desktop sends, until it closes."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return


# -- the app --------------------------------------------------------------------------------


class ApiVersionHeader:
    """Every HTTP answer says the API version it speaks."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"companion-relay-api", str(operations.API_VERSION).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_header)


def build_app(config: RelayConfig, password: str) -> ApiVersionHeader:
    routes: list[Any] = [
        Route("/v1/enrol", enrol, methods=["POST"]),
        Route("/v1/health", health, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/v1/openapi.json", openapi_document, methods=["GET"]),
        WebSocketRoute("/v1/events", events),
    ]
    by_path: dict[str, dict[str, Any]] = {}
    for method, path, name, *_rest in operations.OPERATIONS:
        by_path.setdefault(path, {})[method.upper()] = endpoint(name)
    for path, methods in by_path.items():
        routes.append(Route(path, _by_method(methods), methods=list(methods)))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        relay = Relay.open(config, password)
        app.state.relay = relay
        checking = asyncio.create_task(relay.hub.check_pbx())
        try:
            yield
        finally:
            checking.cancel()
            await relay.close()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: not_allowed},
    )
    return ApiVersionHeader(app)


def _by_method(methods: dict[str, Any]) -> Any:
    async def dispatch(request: Request) -> Response:
        handler = methods[request.method]
        response: Response = await handler(request)
        return response

    return dispatch

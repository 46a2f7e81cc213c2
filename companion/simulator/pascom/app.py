"""The simulator's ASGI app: the pascom REST API over HTTP (the `services` routes are
in ``services.py``; here: authentication, dispatch, `asset` downloads and uploads and
the `/_sim/` control endpoint).

Routing is done on the raw request path: it is split at "/" and every segment is
percent-decoded on its own, so an encoded "/" (``%2F``) inside a login or device
name stays part of its segment.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from . import control
from .faults import FaultMiddleware, Faults
from .hostile import HostileRecords, InjectedRecords
from .media import is_pdf
from .records import PbxError, RequestRecord
from .services import (
    SERVICE_RULES,
    Ctx,
    _match,
    error_response,
    json_response,
)
from .state import PbxState

__all__ = ["build_app"]

ARRIVED_KEY = "companion.simulator.arrived"
MAX_UPLOAD = 20 * 1024 * 1024
CHALLENGE = {"www-authenticate": 'Basic realm="pascom"'}


def _parse_multipart(body: bytes, content_type: str) -> dict[str, bytes]:
    """Form fields of a multipart/form-data body, by name."""
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.lower().startswith("multipart/form-data") or m is None:
        raise PbxError(400, "the upload must be multipart/form-data with a field 'filea'")
    boundary = b"--" + m.group(1).encode("latin-1")
    fields: dict[str, bytes] = {}
    for part in body.split(boundary)[1:]:
        if part.startswith(b"--"):
            break
        part = part.removeprefix(b"\r\n")
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        name = re.search(rb'(?i)content-disposition:[^\r\n]*\bname="([^"]*)"', head)
        if name is None:
            continue
        fields[name.group(1).decode("utf-8", "replace")] = data.removesuffix(b"\r\n")
    return fields


class SimulatorApp:
    """Dispatches /{instance}/services/... and /{instance}/asset/... requests."""

    def __init__(self, state: PbxState, rest_user: str, rest_password: str) -> None:
        self.state = state
        self.instance = state.instance
        self._credentials = (rest_user.encode("utf-8"), rest_password.encode("utf-8"))
        self.starlette = Starlette(
            routes=[
                Route(
                    "/{path:path}",
                    self.endpoint,
                    methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
                )
            ]
        )

    def authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        user, sep, password = decoded.partition(b":")
        if not sep:
            return False
        ok_user = hmac.compare_digest(user, self._credentials[0])
        ok_password = hmac.compare_digest(password, self._credentials[1])
        return ok_user and ok_password

    async def endpoint(self, request: Request) -> Response:
        raw = request.scope.get("raw_path")
        raw_path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(request.url.path)
        raw_path = raw_path.split("?", 1)[0]
        segments = [unquote(s, encoding="utf-8", errors="replace") for s in raw_path.split("/")]
        segments = segments[1:] if segments and segments[0] == "" else segments
        if len(segments) > 2 and segments[-1] == "":
            segments.pop()
        arrived = float(request.scope.get(ARRIVED_KEY, time.monotonic()))
        with self.state.lock:
            self.state.requests.append(RequestRecord(request.method, raw_path, arrived))
            self.state.calls.advance()  # calls move on by the clock, lazily
        if len(segments) < 2 or segments[0] != self.instance:
            return error_response(404, f"not found: {raw_path}")
        area, rest = segments[1], segments[2:]
        try:
            if area == "services":
                if not self.authorized(request):
                    return error_response(401, "authentication required", CHALLENGE)
                return await self.dispatch(request, rest, arrived)
            if area == "asset":
                return await self.asset(request, rest)
            if area == "_sim":
                return await self.control(request, rest)
        except PbxError as exc:
            headers = CHALLENGE if exc.status == 401 else None
            return error_response(exc.status, exc.message, headers)
        return error_response(404, f"not found: {raw_path}")

    async def dispatch(self, request: Request, segments: list[str], arrived: float) -> Response:
        method = request.method
        allowed: set[str] = set()
        for rule in SERVICE_RULES:
            params = _match(rule.pattern, segments)
            if params is None:
                continue
            allowed |= rule.methods
            if method in rule.methods:
                break
        else:
            if method == "HEAD" and "GET" in allowed:
                # HEAD of a GET resource: the same answer without a body
                return await self.dispatch_as(request, segments, "GET", arrived)
            if allowed:
                return error_response(
                    405,
                    f"method {method} not allowed here",
                    {"allow": ", ".join(sorted(allowed))},
                )
            return error_response(404, "no such resource: " + "/".join(segments))
        body = await request.body() if method in ("POST", "PUT", "PATCH", "DELETE") else b""
        state = self.state
        ctx = Ctx(request, params, state, body, arrived)
        with state.lock:
            return rule.handler(ctx)

    async def dispatch_as(
        self, request: Request, segments: list[str], method: str, arrived: float
    ) -> Response:
        for rule in SERVICE_RULES:
            params = _match(rule.pattern, segments)
            if params is not None and method in rule.methods:
                state = self.state
                ctx = Ctx(request, params, state, b"", arrived)
                with state.lock:
                    return rule.handler(ctx)
        return error_response(404, "no such resource")  # pragma: no cover

    async def control(self, request: Request, segments: list[str]) -> Response:
        """The simulator's own controls (control.py): no pascom API, no credential."""
        body = await request.body()
        try:
            data = json.loads(body) if body.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PbxError(400, f"malformed JSON body: {exc}") from None
        with self.state.lock:
            return json_response(control.handle(self.state, request.method, segments, data))

    async def asset(self, request: Request, segments: list[str]) -> Response:
        q = request.query_params
        method = request.method
        if len(segments) == 4 and segments[0] == "voicemailbox":
            if method not in ("GET", "HEAD"):
                return error_response(405, f"method {method} not allowed here", {"allow": "GET"})
            path = f"/{self.instance}/asset/" + "/".join(quote(s, safe="") for s in segments)
            if "token" in q or self.state.variant == "reference":
                # The reference's asset URLs carry a token; its variant refuses Basic auth.
                if "token" not in q:
                    return error_response(401, "a token is required", CHALLENGE)
                self.state.check_token(path, q.get("token"), q.get("expires"))
            elif not self.authorized(request):
                return error_response(401, "authentication or a token required", CHALLENGE)
            with self.state.lock:
                m = self.state.voicemail(segments[1], segments[2], segments[3])
                data = m.audio.read_bytes()
                name = m.id
            return Response(
                data,
                200,
                media_type="audio/x-wav",
                headers={"content-disposition": f'attachment; filename="{name}.wav"'},
            )
        if len(segments) == 3 and segments[:2] == ["faxserver", "received"]:
            if method not in ("GET", "HEAD"):
                return error_response(405, f"method {method} not allowed here", {"allow": "GET"})
            if not segments[2].endswith(".pdf"):
                return error_response(404, "no such fax")
            path = f"/{self.instance}/asset/faxserver/received/{quote(segments[2], safe='')}"
            self.state.check_token(path, q.get("token"), q.get("expires"))
            with self.state.lock:
                pdf = self.state.received_pdf(segments[2].removesuffix(".pdf"))
            return Response(
                pdf,
                200,
                media_type="application/pdf",
                headers={"content-disposition": f'inline; filename="{segments[2]}"'},
            )
        if len(segments) == 3 and segments[:2] == ["faxserver", "upload"]:
            if method != "POST":
                return error_response(405, f"method {method} not allowed here", {"allow": "POST"})
            fax_id = segments[2]
            with self.state.lock:
                self.state.check_upload(fax_id, q.get("token"))
            body = await request.body()
            if len(body) > MAX_UPLOAD:
                raise PbxError(400, "the document is too large")
            fields = _parse_multipart(body, request.headers.get("content-type", ""))
            document = fields.get("filea")
            if document is None:
                raise PbxError(400, "the upload needs a form field 'filea'")
            if not is_pdf(document):
                raise PbxError(400, "the document is not a PDF")
            with self.state.lock:
                prepared = self.state.check_upload(fax_id, q.get("token"))
                prepared.document = document
            return Response(b"", 200, media_type="application/octet-stream")
        return error_response(404, "no such asset")


class ArrivalStamp:
    """Outermost middleware: notes when a request arrived (time.monotonic())."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[ARRIVED_KEY] = time.monotonic()
        await self.app(scope, receive, send)


def build_app(
    state: PbxState,
    *,
    rest_user: str,
    rest_password: str,
    faults: Faults,
    injected: InjectedRecords | None = None,
) -> tuple[Callable[[Scope, Receive, Send], Awaitable[None]], SimulatorApp]:
    """The complete ASGI app (arrival stamp -> faults -> hostile records -> simulator)
    and its core.

    The core's ``state`` may be replaced while serving (``Simulator.reset``).
    """
    sim = SimulatorApp(state, rest_user, rest_password)
    inner: ASGIApp = sim.starlette
    if injected is not None:
        inner = HostileRecords(inner, injected, state.instance)
    return ArrivalStamp(FaultMiddleware(inner, faults)), sim

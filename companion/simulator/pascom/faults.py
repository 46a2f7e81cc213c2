"""Misbehaviour on demand: an ASGI middleware that breaks requests the way real PBXs do.

Tests call `Simulator.misbehave()`; against `companion simulator` the same faults are set
over HTTP (no credential, like the other `_sim` controls):

    POST   /{instance}/_sim/fault  {"kind": "trickle", "path": "cdr/live", "times": 1,
                                    "delay": 2.0, "size": 209715200}   (all but kind optional)
    DELETE /{instance}/_sim/fault  clears them all
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["FAULT_KINDS", "Fault", "FaultMiddleware", "Faults"]

FAULT_KINDS = frozenset(
    {
        "error500",
        "forbidden",
        "slow",
        "garbage",
        "drop",
        "refuse_auth",
        # The request is handled (an action is carried out), then its answer goes wrong:
        "trickle",  # the answer, one byte every `delay` seconds (2 s if none given)
        "late",  # the answer, after `delay` seconds
        "not_json",  # HTTP 200 with an HTML page instead
        "not_utf8",  # HTTP 200 with bytes that are no UTF-8
        # Answers instead of the PBX's:
        "huge",  # HTTP 200, a JSON list of `size` bytes, streamed without Content-Length
        "huge_announced",  # the same, with its Content-Length
        "nested",  # HTTP 200, JSON nested 100000 levels deep
    }
)

GARBAGE_BODY = b'<html><body>502 Bad Gateway</body></html>\x00{"truncated'
DROP_DECLARED_LENGTH = 4096
DROP_SENT = b'{"partial": "the connection breaks here'
TRICKLE_EVERY = 2.0  # seconds between bytes of a trickled answer (the fault's delay if given)
HUGE_SIZE = 200 * 1024 * 1024  # bytes of a huge answer unless the fault gives its size
HUGE_CHUNK = 1024 * 1024  # bytes sent at a time
HUGE_RECORD = b'{"id": "0", "name": "padding padding padding padding"},'
NOT_JSON_BODY = b"<html><body><h1>OK</h1></body></html>"
NOT_UTF8_BODY = b'{"response": "\xff\xfe accepted"}'
NESTED_DEPTH = 100_000


@dataclass
class Fault:
    kind: str
    times: int | None  # None = until cleared
    delay: float
    path: str | None
    size: int = HUGE_SIZE


class Faults:
    """The active faults; safe to change from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        kind: str,
        *,
        times: int | None = None,
        delay: float = 0.0,
        path: str | None = None,
        size: int = HUGE_SIZE,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(sorted(FAULT_KINDS))}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for 'until behave()')")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if size < 2:
            raise ValueError("size must be at least 2 bytes")
        with self._lock:
            self._faults.append(Fault(kind, times, delay, path, size))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, paths: tuple[str, ...]) -> Fault | None:
        """The first fault that applies to a request for one of ``paths``; counts it."""
        with self._lock:
            for fault in self._faults:
                if fault.path is not None and not any(fault.path in p for p in paths):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None


class FaultMiddleware:
    """Wraps the simulator app; applies at most one fault per request."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if str(scope.get("path", "")).rstrip("/").endswith("/_sim/fault"):
            await self._control(scope, receive, send)
            return
        raw = scope.get("raw_path") or b""
        raw_text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
        fault = self.faults.take((scope.get("path", ""), raw_text))
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            await self.app(scope, receive, send)
            return
        if fault.kind in ("trickle", "late", "not_json", "not_utf8"):
            status, headers, body = await _handled(self.app, scope, receive)
            if fault.kind == "late":
                await asyncio.sleep(fault.delay)
                await _respond(send, status, body, _without_length(headers))
            elif fault.kind == "trickle":
                await _trickle(receive, send, status, headers, body, fault.delay or TRICKLE_EVERY)
            else:
                replaced = NOT_JSON_BODY if fault.kind == "not_json" else NOT_UTF8_BODY
                await _respond(send, 200, replaced, [(b"content-type", b"application/json")])
            return
        await _drain(receive)
        if fault.kind == "error500":
            body = json.dumps({"error": "internal server error (simulated)"}).encode()
            await _respond(send, 500, body, [(b"content-type", b"application/json")])
        elif fault.kind == "forbidden":
            body = json.dumps({"error": "access denied (simulated)"}).encode()
            await _respond(send, 403, body, [(b"content-type", b"application/json")])
        elif fault.kind == "garbage":
            await _respond(send, 200, GARBAGE_BODY, [(b"content-type", b"application/json")])
        elif fault.kind == "refuse_auth":
            body = json.dumps({"error": "authentication required"}).encode()
            await _respond(
                send,
                401,
                body,
                [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b'Basic realm="pascom"'),
                ],
            )
        elif fault.kind in ("huge", "huge_announced"):
            await _huge(receive, send, fault.size, announce=fault.kind == "huge_announced")
        elif fault.kind == "nested":
            body = b"[" * NESTED_DEPTH
            await _respond(send, 200, body, [(b"content-type", b"application/json")])
        elif fault.kind == "drop":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(DROP_DECLARED_LENGTH).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": DROP_SENT, "more_body": True})
            # Returning now, with the body incomplete, makes the server close the
            # connection: the client sees a response cut short.

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _body(receive)
        headers = [(b"content-type", b"application/json")]
        if scope["method"] == "DELETE":
            self.faults.clear()
            await _respond(send, 200, b'{"response": "faults cleared"}', headers)
            return
        try:
            if scope["method"] != "POST":
                raise ValueError("use POST to add a fault, DELETE to clear them")
            data = json.loads(body or b"{}")
            if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
                raise ValueError("the body must be a JSON object with a 'kind'")
            self.faults.add(
                data["kind"],
                times=data.get("times"),
                delay=float(data.get("delay", 0.0)),
                path=data.get("path"),
                size=int(data.get("size", HUGE_SIZE)),
            )
        except (ValueError, TypeError) as exc:
            error = json.dumps({"error": str(exc)}).encode()
            await _respond(send, 400, error, headers)
            return
        await _respond(send, 200, b'{"response": "fault added"}', headers)


async def _body(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message: dict[str, Any] = dict(await receive())
        body.extend(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return bytes(body)


async def _handled(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[Any], bytes]:
    """Let the simulator handle the request (an action is carried out); its answer."""
    status, headers, body = 500, [], bytearray()

    async def keep(message: Any) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, keep)
    return status, headers, bytes(body)


def _without_length(headers: list[Any]) -> list[Any]:
    return [(k, v) for k, v in headers if k.lower() != b"content-length"]


def _gone(receive: Receive) -> asyncio.Task[None]:
    """A task that ends when the client hangs up."""

    async def hang_up() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    return asyncio.ensure_future(hang_up())


async def _trickle(
    receive: Receive,
    send: Send,
    status: int,
    headers: list[Any],
    body: bytes,
    every: float,
) -> None:
    kept = _without_length(headers)
    await send({"type": "http.response.start", "status": status, "headers": kept})
    gone = _gone(receive)
    try:
        for i in range(len(body)):
            await send({"type": "http.response.body", "body": body[i : i + 1], "more_body": True})
            await asyncio.wait([gone], timeout=every)
            if gone.done():
                return
        await send({"type": "http.response.body", "body": b""})
    finally:
        gone.cancel()


async def _huge(receive: Receive, send: Send, size: int, *, announce: bool) -> None:
    """A JSON list of `size` bytes, made as it is sent (the simulator holds 1 MB of it)."""
    headers = [(b"content-type", b"application/json")]
    if announce:
        headers.append((b"content-length", str(size).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    per_chunk = max(1, HUGE_CHUNK // len(HUGE_RECORD))
    records, spaces = divmod(size - len(b"[{}]"), len(HUGE_RECORD))
    gone = _gone(receive)
    try:
        await send({"type": "http.response.body", "body": b"[" + b" " * spaces, "more_body": True})
        while records > 0 and not gone.done():
            count = min(records, per_chunk)
            records -= count
            await send(
                {"type": "http.response.body", "body": HUGE_RECORD * count, "more_body": True}
            )
            await asyncio.sleep(0)  # let the hang-up be seen
        if not gone.done():
            await send({"type": "http.response.body", "body": b"{}]"})
    finally:
        gone.cancel()


async def _drain(receive: Receive) -> None:
    while True:
        message: dict[str, Any] = dict(await receive())
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

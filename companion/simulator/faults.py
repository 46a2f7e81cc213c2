"""Misbehaviour on demand: an ASGI middleware that breaks requests the way real PBXs do."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["FAULT_KINDS", "Fault", "FaultMiddleware", "Faults"]

FAULT_KINDS = frozenset({"error500", "slow", "garbage", "drop", "refuse_auth", "forbidden"})

GARBAGE_BODY = b'<html><body>502 Bad Gateway</body></html>\x00{"truncated'
DROP_DECLARED_LENGTH = 4096
DROP_SENT = b'{"partial": "the connection breaks here'


@dataclass
class Fault:
    kind: str
    times: int | None  # None = until cleared
    delay: float
    path: str | None


class Faults:
    """The active faults; safe to change from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self, kind: str, *, times: int | None = None, delay: float = 0.0, path: str | None = None
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(sorted(FAULT_KINDS))}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for 'until behave()')")
        if delay < 0:
            raise ValueError("delay must not be negative")
        with self._lock:
            self._faults.append(Fault(kind, times, delay, path))

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
        await _drain(receive)
        if fault.kind == "error500":
            body = json.dumps({"error": "internal server error (simulated)"}).encode()
            await _respond(send, 500, body, [(b"content-type", b"application/json")])
        elif fault.kind == "forbidden":  # the REST user lacks the right (pascom's 403)
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

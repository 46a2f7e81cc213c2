"""Hostile records on demand: raw JSON added to the lists the demo PBX serves.

A real PBX may hold a record no import would accept (a time of "²", a 400-digit number,
a list where a name belongs, an item that is no object at all). The simulator's own
records are validated, so such records are added on the way out: an ASGI middleware
that appends them to the answer of one endpoint, over the real socket.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HostileRecords", "InjectedRecords", "merge_records"]


class InjectedRecords:
    """The raw records to add, by endpoint (a path under services/); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_path: dict[str, list[Any]] = {}

    @staticmethod
    def _key(path: str) -> str:
        return path.strip("/")

    def add(self, path: str, records: list[Any]) -> None:
        with self._lock:
            self._by_path.setdefault(self._key(path), []).extend(records)

    def clear(self) -> None:
        with self._lock:
            self._by_path.clear()

    def for_path(self, path: str) -> list[Any]:
        with self._lock:
            return list(self._by_path.get(self._key(path), []))


def merge_records(payload: Any, records: list[Any]) -> Any:
    """`payload` with `records` added, in the payload's own shape.

    A list gets them appended; a phonebook answer in its `entries`; an object keyed by
    name or id under new keys; one bare record (or nothing, 204) becomes a list.
    """
    if payload is None:
        return list(records)
    if isinstance(payload, list):
        return [*payload, *records]
    if isinstance(payload, dict):
        if isinstance(payload.get("entries"), list):
            return {**payload, "entries": [*payload["entries"], *records]}
        objects = sum(isinstance(v, dict) for v in payload.values())
        if payload and objects * 2 > len(payload):
            return {**payload, **{f"hostile-{i}": r for i, r in enumerate(records)}}
        return [payload, *records]
    return payload


class HostileRecords:
    """Wraps the simulator app; adds the injected records to GET answers of their path."""

    def __init__(self, app: ASGIApp, injected: InjectedRecords, instance: str) -> None:
        self.app = app
        self.injected = injected
        self.prefix = f"/{instance}/services/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        records = (
            self.injected.for_path(path.removeprefix(self.prefix))
            if scope["type"] == "http"
            and scope.get("method") == "GET"
            and path.startswith(self.prefix)
            else []
        )
        if not records:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body = bytearray()

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    await _send_merged(send, start, bytes(body), records)
            else:
                await send(message)

        await self.app(scope, receive, hold)


async def _send_merged(send: Send, start: Message, body: bytes, records: list[Any]) -> None:
    status = int(start.get("status", 200))
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    if status in (200, 204):
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            payload = ...  # not JSON: passed on as it came
        if payload is not ...:
            body = json.dumps(merge_records(payload, records)).encode()
            status = 200
            headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
            headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

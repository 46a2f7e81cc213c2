"""One AppWebsocket connection: JSON messages, `src`-tagged requests, pushed messages.

A request gets a fresh `src`; its `<mt>Result` with the same `src` completes its future.
Every request has a whole-request deadline; an action whose answer never comes may have
been done (ActionUnconfirmed), and nothing is ever sent twice. Messages without a waiting
request (`CallInfo`, `UserInfo`, ...) go to the `pushed` callback; messages of a type
nobody asked for are ignored. After 60 s without traffic a `KeepAlive` is sent. Failures
of the transport become the errors of `companion.pbx.errors`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, PayloadTooBig

from companion.pbx import errors

log = logging.getLogger(__name__)

Message = dict[str, Any]

MAX_MESSAGE = 1024 * 1024  # bytes: the largest message Companion reads (a page of users is ~4 kB)
REQUEST_DEADLINE = 10.0  # seconds for a whole request: send, and the result back
CONNECT_DEADLINE = 10.0
KEEPALIVE_AFTER = 60.0  # seconds without traffic before a KeepAlive
TOO_BIG = 1009  # the WebSocket close code for a message over the size limit


class Connection:
    """An open AppWebsocket; `request()` may be called by many tasks at once."""

    def __init__(
        self,
        socket: ClientConnection,
        pushed: Callable[[Message], None] | None = None,
        keepalive_after: float | None = None,
    ) -> None:
        self._socket = socket
        self.pushed = pushed  # where messages nobody waits for go (else to `receive()`)
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._waiting: dict[str, asyncio.Future[Message]] = {}
        self._tags = itertools.count(1)
        self._last_traffic = time.monotonic()
        self._keepalive_after = keepalive_after or KEEPALIVE_AFTER
        self.lost: errors.PbxError | None = None  # why the connection ended
        self.closed = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())
        self._keeper = asyncio.ensure_future(self._keep_alive())

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        deadline: float | None = None,
        keepalive_after: float | None = None,
    ) -> Connection:
        try:
            socket = await connect(
                url,
                ssl=ssl_context if url.startswith("wss:") else None,
                open_timeout=deadline or CONNECT_DEADLINE,
                ping_interval=None,  # the AppWebsocket has its own KeepAlive
                max_size=MAX_MESSAGE,
                compression=None,
                proxy=None,
                user_agent_header="Companion",
            )
        except ssl.SSLCertVerificationError as exc:
            raise errors.CertificateError() from exc
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status == 404:
                raise errors.PbxUnreachable(
                    f"The PBX at {url} has no AppWebsocket there (404). Check the address: "
                    "it ends in the PBX's module, like wss://pbx.example.com/PBX0."
                ) from exc
            raise errors.PbxUnreachable(
                f"The PBX refused the WebSocket connection (HTTP {status})."
            ) from exc
        except TimeoutError as exc:
            raise errors.PbxTimeout("The PBX did not accept the connection in time.") from exc
        except (OSError, InvalidHandshake) as exc:
            raise errors.PbxUnreachable() from exc
        return cls(socket, keepalive_after=keepalive_after)

    async def request(
        self, message: Message, *, deadline: float | None = None, action: bool = False
    ) -> Message:
        """Send `message` and return its result; an `action` that times out is unconfirmed."""
        src = f"c{next(self._tags)}"
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[src] = future
        sent = False
        try:
            async with asyncio.timeout(deadline or REQUEST_DEADLINE):
                await self.send({**message, "src": src})
                sent = True
                return await future
        except TimeoutError:
            if action and sent:
                raise errors.ActionUnconfirmed() from None
            raise errors.PbxTimeout() from None
        except errors.PbxError as exc:
            if action and sent:  # the connection broke after it went out: it may be done
                raise errors.ActionUnconfirmed(
                    "The connection to the PBX broke before it answered; it may have done "
                    "what was asked. Check before you try again."
                ) from exc
            raise
        finally:
            self._waiting.pop(src, None)

    async def send(self, message: Message) -> None:
        if self.lost is not None:
            raise self.lost
        try:
            await self._socket.send(json.dumps(message, separators=(",", ":")))
        except ConnectionClosed as exc:
            raise self._lose(errors.PbxUnreachable(_closed_words(exc))) from exc
        self._last_traffic = time.monotonic()

    async def receive(self, deadline: float | None = None) -> Message:
        """The next message nobody waited for, while `pushed` is unset (the logins)."""
        getter = asyncio.ensure_future(self._inbox.get())
        closed = asyncio.ensure_future(self.closed.wait())
        try:
            done, _ = await asyncio.wait(
                {getter, closed},
                timeout=deadline or REQUEST_DEADLINE,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            closed.cancel()
            if not getter.done():
                getter.cancel()
        if getter in done:
            return getter.result()
        if closed in done:
            raise self.lost or errors.PbxUnreachable()
        raise errors.PbxTimeout("The PBX did not answer the login in time.")

    async def close(self) -> None:
        self._lose(errors.PbxUnreachable("The connection to the PBX was closed."))
        with contextlib.suppress(Exception):
            await self._socket.close()
        for task in (self._reader, self._keeper):
            task.cancel()
        await asyncio.gather(self._reader, self._keeper, return_exceptions=True)

    def _lose(self, why: errors.PbxError) -> errors.PbxError:
        if self.lost is None:
            self.lost = why
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(why)
            self.closed.set()
        return self.lost

    async def _read(self) -> None:
        try:
            async for raw in self._socket:
                self._last_traffic = time.monotonic()
                self._dispatch(raw)
        except PayloadTooBig as exc:
            self._lose(errors.AnswerTooLarge())
            log.warning("the PBX sent a message over %d bytes: %s", MAX_MESSAGE, exc)
        except ConnectionClosed as exc:
            if exc.sent is not None and exc.sent.code == TOO_BIG:  # we refused a message
                self._lose(errors.AnswerTooLarge())
                log.warning("the PBX sent a message over %d bytes", MAX_MESSAGE)
            else:
                self._lose(errors.PbxUnreachable(_closed_words(exc)))
        except Exception as exc:  # a transport failure of any kind ends the connection
            self._lose(errors.PbxUnreachable())
            log.info("the AppWebsocket ended: %r", exc)
        else:
            self._lose(errors.PbxUnreachable("The PBX closed the connection."))
        finally:
            with contextlib.suppress(Exception):
                await self._socket.close()

    def _dispatch(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.info("ignored a message that is not JSON")
            return
        if not isinstance(message, dict):
            log.info("ignored a message that is not a JSON object")
            return
        src = message.get("src")
        future = self._waiting.get(src) if isinstance(src, str) else None
        mt = str(message.get("mt", ""))
        if future is not None and not future.done() and mt.endswith("Result"):
            future.set_result(message)
        elif self.pushed is not None:
            self.pushed(message)
        else:
            self._inbox.put_nowait(message)

    async def _keep_alive(self) -> None:
        while self.lost is None:
            idle = time.monotonic() - self._last_traffic
            if idle < self._keepalive_after:
                await asyncio.sleep(self._keepalive_after - idle)
                continue
            try:
                await self.send({"mt": "KeepAlive"})
            except errors.PbxError:
                return


def _closed_words(exc: ConnectionClosed) -> str:
    return (
        "The connection to the PBX was lost."
        if exc.rcvd is None
        else ("The PBX closed the connection.")
    )

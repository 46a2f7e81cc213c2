"""A one-answer HTTP server on a loopback socket: every request gets the same raw bytes.

For answers the simulator cannot give through its ASGI server: a gzip body whose
Content-Length is true for the wire but says nothing of its unpacked size, or a body
that stops short of its Content-Length and leaves the connection open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


@contextlib.asynccontextmanager
async def answering(raw: bytes, *, hold: bool = False) -> AsyncIterator[str]:
    """Serve `raw` to every request, then close (or with `hold`, keep the connection
    open, sending nothing more); yields the base URL (http://127.0.0.1:PORT/demo)."""
    handlers: set[asyncio.Task[None]] = set()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        with contextlib.suppress(ConnectionError):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(raw)
            await writer.drain()
            if hold:
                await asyncio.Event().wait()  # until the server is stopped
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/demo"
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()

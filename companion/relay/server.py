"""Serving the relay with uvicorn: in the foreground (`companion relay serve`) or, for
tests and benchmarks, in a background thread on a socket of its own."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType

import uvicorn

from companion.relay.app import Relay, build_app
from companion.relay.config import RelayConfig

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(512)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


class RelayServer:
    """The relay on its listen address (port 0: a free one), until `stop`."""

    def __init__(self, config: RelayConfig, password: str, *, log_level: str = "info") -> None:
        host, port = config.host_port()
        self.sock = _bind(host, port)
        self.port: int = self.sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"{'https' if config.tls else 'http'}://{shown}:{self.port}"
        self.config = config
        self.app = build_app(config, password)
        uvicorn_config = uvicorn.Config(
            self.app,
            loop="asyncio",
            lifespan="on",
            log_level=log_level,
            access_log=False,  # the audit log says who did what, without tokens
            ssl_certfile=str(config.tls_cert) if config.tls_cert else None,
            ssl_keyfile=str(config.tls_key) if config.tls_key else None,
            # Behind a reverse proxy on this host, the desktop's address is in its header.
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1,::1",
            ws_ping_interval=20.0,
            ws_ping_timeout=20.0,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(uvicorn_config)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def relay(self) -> Relay:
        """What the running relay holds (for tests and benchmarks; read, do not change)."""
        relay: Relay = self.app.app.state.relay
        return relay

    def serve(self) -> None:
        """In the foreground, until SIGINT/SIGTERM."""
        try:
            self._server.run(sockets=[self.sock])
        finally:
            with contextlib.suppress(OSError):
                self.sock.close()

    def start(self) -> RelayServer:
        def run() -> None:
            try:
                self._server.run(sockets=[self.sock])
            except BaseException as exc:
                self._error = exc

        self._thread = threading.Thread(target=run, name=f"relay:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the relay failed to start: {self._error or 'too slow'}")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(STOP_TIMEOUT)
        with contextlib.suppress(OSError):
            self.sock.close()

    def __enter__(self) -> RelayServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

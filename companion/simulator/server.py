"""Running the simulator: in a background thread (tests) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import uvicorn

from .app import build_app
from .extras import load_extras
from .faults import Faults
from .iojson import load_iojson
from .state import PbxState

__all__ = ["Simulator", "default_data_path", "default_extras_path", "serve"]

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


class _QuietDrops(logging.Filter):
    """uvicorn logs an error for every response cut short: the "drop" fault does it on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_LOG_MESSAGE


_QUIET_DROPS = _QuietDrops()


def default_data_path() -> Path:
    """The demo PBX's IO-JSON: in a wheel under companion/_resources, else in the repo."""
    return _resource("demo-pbx.json")


def default_extras_path() -> Path:
    """What the demo PBX holds beyond IO-JSON (queues, voicemail, ...), beside its IO-JSON."""
    return _resource("demo-extras.json")


def _resource(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "_resources" / name,
        here.parent.parent / "resources" / name,
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} not found (looked in companion/_resources and resources/)")


def _load(data: Path, extras: Path | None, **options: Any) -> PbxState:
    return PbxState.from_iojson(
        load_iojson(data),
        extras=load_extras(extras) if extras is not None else None,
        source=str(data),
        **options,
    )


def _bind(host: str, port: int) -> socket.socket:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, socktype, proto, _, address = infos[0]
    sock = socket.socket(family, socktype, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(128)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _url_host(host: str, bound: str) -> str:
    name = host
    with contextlib.suppress(ValueError):
        ip = ipaddress.ip_address(host)
        if ip.is_unspecified:
            name = "127.0.0.1" if ip.version == 4 else "::1"
        elif ip.version == 6:
            name = str(ip)
        if ipaddress.ip_address(name).version == 6:
            return f"[{name}]"
    return name or bound


class Simulator:
    """A demo pascom PBX on a real socket, served by uvicorn in a background thread."""

    def __init__(
        self,
        *,
        state: PbxState,
        sock: socket.socket,
        host: str,
        rest_user: str,
        rest_password: str,
        ssl_certfile: str | None,
        ssl_keyfile: str | None,
    ) -> None:
        self.state = state
        self.rest_user = rest_user
        self.rest_password = rest_password
        self.faults = Faults()
        self._sock = sock
        self.port: int = sock.getsockname()[1]
        self.host = host
        self.tls = bool(ssl_certfile and ssl_keyfile)
        scheme = "https" if self.tls else "http"
        self.base_url = (
            f"{scheme}://{_url_host(host, sock.getsockname()[0])}:{self.port}/{state.instance}"
        )
        app, self._core = build_app(
            state, rest_user=rest_user, rest_password=rest_password, faults=self.faults
        )
        self._data: Path | None = None
        self._extras: Path | None = None
        config = uvicorn.Config(
            app,
            http="h11",
            loop="asyncio",
            lifespan="off",
            log_level="warning",
            access_log=False,
            ssl_certfile=ssl_certfile if self.tls else None,
            ssl_keyfile=ssl_keyfile if self.tls else None,
            timeout_graceful_shutdown=1,
            timeout_keep_alive=5,
        )
        self._server = uvicorn.Server(config)
        error_log = logging.getLogger("uvicorn.error")
        if _QUIET_DROPS not in error_log.filters:
            error_log.addFilter(_QUIET_DROPS)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @classmethod
    def start(
        cls,
        data: str | os.PathLike[str] | None = None,
        extras: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        instance: str = "demo",
        rest_user: str = "moby",
        rest_password: str = "demo-secret",
        ssl_certfile: str | os.PathLike[str] | None = None,
        ssl_keyfile: str | os.PathLike[str] | None = None,
        upload_url_lifetime: float = 30.0,
        variant: str = "default",
    ) -> Simulator:
        """Load the IO-JSON and its extras, bind, and serve until :meth:`stop`.

        Without ``data`` it is the demo PBX (its IO-JSON and its extras); a ``data``
        file of one's own comes with the ``extras`` given, or none.
        Raises IoJsonError for a bad data file and OSError if the address is taken.
        Returns once the server accepts connections.
        """
        if (ssl_certfile is None) != (ssl_keyfile is None):
            raise ValueError("give both ssl_certfile and ssl_keyfile, or neither")
        if not instance or "/" in instance:
            raise ValueError("instance must be a single, non-empty path segment")
        path = Path(data) if data is not None else default_data_path()
        if extras is not None:
            extras_path: Path | None = Path(extras)
        else:
            extras_path = default_extras_path() if data is None else None
        state = _load(
            path,
            extras_path,
            instance=instance,
            rest_user=rest_user,
            upload_url_lifetime=upload_url_lifetime,
            variant=variant,
        )
        sock = _bind(host, port)
        sim = cls(
            state=state,
            sock=sock,
            host=host,
            rest_user=rest_user,
            rest_password=rest_password,
            ssl_certfile=str(ssl_certfile) if ssl_certfile is not None else None,
            ssl_keyfile=str(ssl_keyfile) if ssl_keyfile is not None else None,
        )
        sim._data = path
        sim._extras = extras_path
        sim._run_in_background()
        return sim

    def reset(self) -> None:
        """Reload the PBX from its data file and clear all faults.

        Everything said since the start is forgotten: actions, calls, moved
        voicemails, sent faxes; tokens and upload URLs handed out become invalid.
        """
        assert self._data is not None
        old = self.state
        fresh = _load(
            self._data,
            self._extras,
            instance=old.instance,
            rest_user=old.rest_user,
            upload_url_lifetime=old.upload_url_lifetime,
            variant=old.variant,
        )
        self.faults.clear()
        with old.lock:
            self._core.state = fresh
            self.state = fresh

    def _run_in_background(self) -> None:
        def run() -> None:
            try:
                self._server.run(sockets=[self._sock])
            except BaseException as exc:
                self._error = exc

        self._thread = threading.Thread(target=run, name=f"simulator:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                reason = self._error or "it did not start in time"
                raise RuntimeError(f"the simulator failed to start: {reason}")
            time.sleep(0.005)

    def misbehave(
        self,
        kind: str,
        *,
        times: int | None = None,
        delay: float = 0.0,
        path: str | None = None,
    ) -> None:
        """Make requests fail: kind is error500, slow, garbage, drop, refuse_auth or forbidden.

        ``times`` requests are affected (None: until :meth:`behave`); ``path``, if
        given, is a substring the request path must contain.
        """
        self.faults.add(kind, times=times, delay=delay, path=path)

    def behave(self) -> None:
        """Clear all faults."""
        self.faults.clear()

    def stop(self) -> None:
        """Stop serving; returns when the server thread has ended."""
        self.faults.clear()
        self._server.should_exit = True
        self._server.force_exit = True
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT)
        with contextlib.suppress(OSError):
            self._sock.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Simulator {self.base_url} {'running' if self.running else 'stopped'}>"


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    data: str | os.PathLike[str] | None = None,
    extras: str | os.PathLike[str] | None = None,
    instance: str = "demo",
    rest_user: str = "moby",
    rest_password: str = "demo-secret",
    ssl_certfile: str | os.PathLike[str] | None = None,
    ssl_keyfile: str | os.PathLike[str] | None = None,
    variant: str = "default",
) -> None:
    """Run the demo PBX in the foreground until Ctrl-C (or SIGTERM).

    Prints one line first: the base URL, the REST user and the password.
    """
    sim = Simulator.start(
        data=data,
        extras=extras,
        host=host,
        port=port,
        instance=instance,
        rest_user=rest_user,
        rest_password=rest_password,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        variant=variant,
    )
    print(
        f"Demo PBX at {sim.base_url}  REST user: {rest_user}  password: {rest_password}"
        + (f"  variant: {variant}" if variant != "default" else ""),
        flush=True,
    )
    try:
        with _sigterm_as_interrupt():
            while sim.running:
                time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    if sim._error is not None:
        print(f"the demo PBX stopped: {sim._error}", file=sys.stderr)

"""Running the simulator: in a background thread (tests) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from ..foreground import sigterm_as_interrupt
from . import scripted
from .app import build_app
from .calls import DEFAULT_MESSAGE_S, DEFAULT_RING_S
from .extras import load_extras
from .faults import HUGE_SIZE, Faults
from .hostile import InjectedRecords
from .iojson import load_iojson
from .scripted import ScriptedCaller
from .state import PbxState

__all__ = ["Simulator", "default_data_path", "default_extras_path", "serve"]

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
DROP_LOG_MESSAGE = "ASGI callable returned without completing response."
DEMO_DIAL_RING_S = 1.5  # how long a dialled far end rings in the demo before it answers


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
    package = Path(__file__).resolve().parents[2]  # companion/ (this is simulator/pascom/)
    for candidate in (
        package / "_resources" / name,
        package.parent / "resources" / name,
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
        self.injected = InjectedRecords()
        self._sock = sock
        self.port: int = sock.getsockname()[1]
        self.host = host
        self.tls = bool(ssl_certfile and ssl_keyfile)
        scheme = "https" if self.tls else "http"
        self.base_url = (
            f"{scheme}://{_url_host(host, sock.getsockname()[0])}:{self.port}/{state.instance}"
        )
        app, self._core = build_app(
            state,
            rest_user=rest_user,
            rest_password=rest_password,
            faults=self.faults,
            injected=self.injected,
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
        self.caller: ScriptedCaller | None = None

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
        dial_ring_s: float = 0.0,
        scripted_calls: bool = False,
    ) -> Simulator:
        """Load the IO-JSON and its extras, bind, and serve until :meth:`stop`.

        Without ``data`` it is the demo PBX (its IO-JSON and its extras); a ``data``
        file of one's own comes with the ``extras`` given, or none.

        ``dial_ring_s``: how long the far end of a dialled call rings before it answers
        (0: at once, as most tests want). ``scripted_calls``: a known contact calls the
        demo user ``mmuster`` 20 s after the start and then every few minutes.

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
        state.calls.dial_ring_s = dial_ring_s
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
        if scripted_calls:
            sim.script_calls()
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
        fresh.calls.dial_ring_s = old.calls.dial_ring_s
        self.faults.clear()
        self.injected.clear()
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
        size: int = HUGE_SIZE,
    ) -> None:
        """Make requests fail: kind is one of `FAULT_KINDS` (faults.py says what each does).

        ``times`` requests are affected (None: until :meth:`behave`); ``path``, if
        given, is a substring the request path must contain; ``size``: the bytes of a
        huge answer.
        """
        self.faults.add(kind, times=times, delay=delay, path=path, size=size)

    def behave(self) -> None:
        """Clear all faults (and the injected records)."""
        self.faults.clear()
        self.injected.clear()

    def inject_records(self, path: str, records: list[Any]) -> None:
        """Serve `records` (raw JSON, anything) in the GET answers of `path` too.

        `path` is an endpoint under services/ as the client asks for it, e.g.
        ``"voicemailbox/101/*"`` or ``"cdr/live"``; they are added in the answer's own
        shape (see `hostile.merge_records`) until :meth:`behave` or :meth:`reset`.
        """
        self.injected.add(path, records)

    # ------------------------------------------------------------------ calls

    def ring(
        self,
        from_: str,
        to: str,
        *,
        ring_s: float | None = DEFAULT_RING_S,
        answer: float | None = None,
        via: str | None = None,
        name: str = "",
        talk_s: float | None = None,
        message_s: float = DEFAULT_MESSAGE_S,
    ) -> int:
        """Someone calls ``to`` (login or extension); returns the phonecall id.

        Like ``POST /{instance}/_sim/call``: unanswered after ``ring_s`` the caller goes
        to the voicemail and speaks ``message_s``; ``answer`` seconds: the user answers
        on the phone; ``via``: e.g. ``"queue Support"``. PbxError for a bad call.
        """
        with self.state.lock:
            self.state.calls.advance()
            return self.state.calls.ring(
                from_,
                to,
                ring_s=ring_s,
                answer=answer,
                via=via,
                name=name,
                talk_s=talk_s,
                message_s=message_s,
            )

    def fax(self, from_number: str, extension: str, *, pages: int = 1, seconds: float = 3.0) -> int:
        """A fax machine sends `pages` to the fax device `extension`; returns the call id.

        The call shows in `cdr/live` for `seconds`; the fax is in `faxserver/received` after.
        """
        with self.state.lock:
            return self.state.calls.fax(from_number, extension, pages=pages, seconds=seconds).id

    def answer(self, call_id: int) -> None:
        """The user answers the ringing call on the phone."""
        with self.state.lock:
            self.state.calls.advance()
            self.state.calls.answer_on_phone(call_id)

    def hang_up(self, call_id: int) -> None:
        """The caller hangs up."""
        with self.state.lock:
            self.state.calls.advance()
            self.state.calls.hang_up_caller(call_id)

    def skip(self, seconds: float) -> None:
        """Let the PBX's calls run ``seconds`` ahead at once (ring times, talk times)."""
        with self.state.lock:
            self.state.calls.skip(seconds)

    def script_calls(
        self,
        *,
        user: str = "mmuster",
        first_s: float = scripted.FIRST_S,
        every_s: float = scripted.EVERY_S,
        ring_s: float = scripted.RING_S,
    ) -> ScriptedCaller:
        """Start the scripted caller: a known contact rings ``user`` now and then."""
        if self.caller is not None:
            self.caller.stop()
        self.caller = ScriptedCaller(
            lambda: self.state, user=user, first_s=first_s, every_s=every_s, ring_s=ring_s
        ).start()
        return self.caller

    def stop(self) -> None:
        """Stop serving; returns when the server thread has ended."""
        self.faults.clear()
        if self.caller is not None:
            self.caller.stop()
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
    scripted_calls: bool = False,
    dial_ring_s: float = DEMO_DIAL_RING_S,
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
        dial_ring_s=dial_ring_s,
        scripted_calls=scripted_calls,
    )
    print(
        f"Demo PBX at {sim.base_url}  REST user: {rest_user}  password: {rest_password}"
        + (f"  variant: {variant}" if variant != "default" else ""),
        flush=True,
    )
    try:
        with sigterm_as_interrupt():
            while sim.running:
                time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    if sim._error is not None:
        print(f"the demo PBX stopped: {sim._error}", file=sys.stderr)

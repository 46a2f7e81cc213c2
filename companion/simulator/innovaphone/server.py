"""The innovaphone demo PBX on a real socket: a WebSocket server (the ``websockets``
library) on its own event loop in a background thread.

    from companion.simulator.innovaphone import InnovaphoneSimulator

    with InnovaphoneSimulator.start() as pbx:    # a free port on 127.0.0.1
        pbx.url                                  # ws://127.0.0.1:PORT/PBX0
        pbx.ring("Max Mustermann", "+4930123456")
        pbx.received["UserCall"]                 # how many UserCall messages came in

Paths: ``/PBX0/APPS/websocket`` (App-object login, PbxAdminApi, RCC) and
``/PBX0/APPCLIENT/130000/websocket`` (myApps: user login, AppGetLogin); others get 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from http import HTTPStatus
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from ..foreground import sigterm_as_interrupt
from .calls import Calls, Leg
from .connections import AppConnection, Link, MyAppsConnection, parse
from .logins import Options, Sessions
from .scripted import ScriptedCaller
from .state import PbxObject, PbxState, load_state

__all__ = ["InnovaphoneSimulator", "serve_forever"]

APPS_PATH = "/PBX0/APPS/websocket"
APPCLIENT_PATH = "/PBX0/APPCLIENT/130000/websocket"
START_TIMEOUT = 10.0
CALL_TIMEOUT = 5.0
MAX_MESSAGE = 1 << 20
DEMO_ANSWER_S = 2.0  # in the foreground demo a dialled far end rings this long, then answers

T = TypeVar("T")


class InnovaphoneSimulator:
    """A demo innovaphone PBX; see the module's text."""

    def __init__(self, state: PbxState, options: Options) -> None:
        self.state = state
        self.options = options
        self.sessions = Sessions()
        self.received: Counter[str] = Counter()  # messages received, by mt
        self.arrivals: deque[tuple[float, str]] = deque(maxlen=10_000)  # (monotonic, mt)
        self.delay_s = 0.0  # fault: every answer waits this long
        self._drop_before_answer: set[str] = set()
        self.caller: ScriptedCaller | None = None
        self.port = 0
        self.host = "127.0.0.1"
        self._links: set[Link] = set()
        self._loop = asyncio.new_event_loop()
        self.calls = Calls(state, self._loop)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def start(
        cls,
        data: str | os.PathLike[str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        variant: str = "default",
        challenge_as_number: bool = False,
        answer_s: float | None = 0.0,
        fake_login_digest: bool = False,
        scripted_calls: bool = False,
    ) -> InnovaphoneSimulator:
        """Load the demo file (or ``data``), bind, and serve until :meth:`stop`.

        ``variant``: "reference" answers in the SDK pages' literal shapes where deployed
        PBXs differ; ``challenge_as_number``: AppChallengeResult as older PBXs send it;
        ``answer_s``: how long a dialled far end rings before it answers (None: never);
        ``fake_login_digest``: a fake PBX whose LoginResult digest does not verify;
        ``scripted_calls``: someone rings the demo user now and then (see script_calls).
        Raises DemoFileError for a bad file and OSError if the address is taken.
        """
        if variant not in ("default", "reference"):
            raise ValueError("variant is 'default' or 'reference'")
        options = Options(
            variant=variant,
            challenge_as_number=challenge_as_number,
            fake_login_digest=fake_login_digest,
        )
        sim = cls(load_state(data), options)
        sim.calls.answer_s = answer_s
        sim.host = host
        started = threading.Event()
        problem: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(sim._loop)
            try:
                sim._server = sim._loop.run_until_complete(sim._listen(host, port))
            except BaseException as exc:
                problem.append(exc)
                started.set()
                return
            started.set()
            sim._loop.run_forever()

        sim._thread = threading.Thread(target=run, name="innovaphone-demo-pbx", daemon=True)
        sim._thread.start()
        if not started.wait(START_TIMEOUT) or problem:
            sim._loop.call_soon_threadsafe(sim._loop.stop)
            if problem:
                raise problem[0]
            raise RuntimeError("the innovaphone demo PBX did not start in time")
        if scripted_calls:
            demo_user = next((o for o in sim.state.objects if o.is_user and o.password), None)
            if demo_user is not None:
                sim.script_calls(demo_user.cn)
        return sim

    async def _listen(self, host: str, port: int) -> Server:
        server = await serve(
            self._connection,
            host,
            port,
            process_request=self._check_path,
            ping_interval=None,  # the PBX does not ping; clients send KeepAlive
            max_size=MAX_MESSAGE,
        )
        self.port = next(iter(server.sockets)).getsockname()[1]
        return server

    # ------------------------------------------------------------------ URLs

    @property
    def _origin(self) -> str:
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"ws://[{host}]:{self.port}" if ":" in host else f"ws://{host}:{self.port}"

    @property
    def url(self) -> str:
        """What a user configures: ws://HOST:PORT/PBX0."""
        return f"{self._origin}/PBX0"

    @property
    def apps_url(self) -> str:
        return self._origin + APPS_PATH

    @property
    def appclient_url(self) -> str:
        return self._origin + APPCLIENT_PATH

    # ------------------------------------------------------------------ serving

    def _check_path(self, connection: ServerConnection, request: Request) -> Response | None:
        if urlsplit(request.path).path not in (APPS_PATH, APPCLIENT_PATH):
            return connection.respond(HTTPStatus.NOT_FOUND, "no such path on this PBX\n")
        return None

    async def _connection(self, ws: ServerConnection) -> None:
        link = Link(ws)
        self._links.add(link)
        writer = asyncio.ensure_future(link.write())
        app_side = urlsplit(ws.request.path).path == APPS_PATH if ws.request else False
        session: AppConnection | MyAppsConnection = (
            AppConnection(self, link) if app_side else MyAppsConnection(self, link)
        )
        try:
            async for raw in ws:
                msg = parse(raw)
                if msg is None:
                    continue  # not an AppWebsocket message: nothing to answer
                mt = msg["mt"]
                self.received[mt] += 1
                self.arrivals.append((time.monotonic(), mt))
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                if mt == "KeepAlive":
                    continue  # the SDK's client expects no answer
                if mt in self._drop_before_answer:
                    self._drop_before_answer.discard(mt)
                    link.muted = True  # carried out, but no answer leaves
                    session.handle(msg)
                    if ws.transport is not None:
                        ws.transport.abort()
                    break
                if not session.handle(msg):
                    break
        except ConnectionClosed:
            pass
        finally:
            session.close()
            self._links.discard(link)
            link.close()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed, TimeoutError):
                await asyncio.wait_for(writer, 2.0)

    # ------------------------------------------------------------------ controls (any thread)

    def _on_loop(self, fn: Callable[[], T]) -> T:
        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(CALL_TIMEOUT)

    def add_user(
        self, cn: str, h323: str, e164: str, password: str, *, dn: str = "", apps: str = "companion"
    ) -> str:
        """A new user object; returns its guid."""

        def add() -> str:
            obj = self.state.create(cn)
            obj.dn, obj.h323, obj.e164, obj.password, obj.apps = (
                dn or cn,
                h323,
                e164,
                password,
                apps,
            )
            return obj.guid

        return self._on_loop(add)

    def script_calls(
        self,
        cn: str = "Max Mustermann",
        *,
        first_s: float = 20.0,
        every_s: float = 240.0,
        ring_s: float = 20.0,
    ) -> ScriptedCaller:
        """Start the scripted caller: an outside number or a colleague rings ``cn`` now and
        then; unanswered calls end after ``ring_s``."""

        def start() -> ScriptedCaller:
            if self.caller is not None:
                self.caller.stop()
            self.caller = ScriptedCaller(
                self.calls, cn, first_s=first_s, every_s=every_s, ring_s=ring_s
            )
            return self.caller

        return self._on_loop(start)

    def set_answer_delay(self, seconds: float | None) -> None:
        """How long a dialled far end (no demo user) rings before it answers; None: never."""

        def change() -> None:
            self.calls.answer_s = seconds

        self._on_loop(change)

    def ring(self, cn: str, from_number: str, name: str = "") -> int:
        """Someone outside calls the user ``cn``: their phone rings. Returns the call handle."""

        def ring() -> int:
            user = self._user(cn)
            return self.calls.incoming(user, from_number, name).id

        return self._on_loop(ring)

    def answer(self, call: int) -> None:
        """The user answers the ringing call at the phone."""
        self._on_loop(lambda: self.calls.connect(self.calls.leg(call)))

    def hang_up(self, call: int) -> None:
        """The other end hangs up."""
        self._on_loop(lambda: self.calls.clear(self.calls.leg(call)))

    def live_calls(self) -> list[Leg]:
        return self._on_loop(lambda: list(self.calls.legs.values()))

    def drop_connections(self) -> int:
        """Fault: every open connection is cut, as a lost network would; returns how many."""

        def drop() -> int:
            links = list(self._links)
            for link in links:
                if link.ws.transport is not None:
                    link.ws.transport.abort()
            return len(links)

        return self._on_loop(drop)

    def drop_before_answer(self, mt: str) -> None:
        """Fault: the next ``mt`` request is carried out, then its connection is cut before
        the answer (and the events it caused) go out: the client cannot know it was done."""

        def arm() -> None:
            self._drop_before_answer.add(mt)

        self._on_loop(arm)

    def send_unknown(self, mt: str = "FutureMessage", api: str | None = "RCC") -> int:
        """Fault: push a message of a type no client knows to every logged-in connection."""

        def push() -> int:
            msg: dict[str, Any] = {"mt": mt, "detail": "sent by the demo PBX's faults switch"}
            if api:
                msg["api"] = api
            logged_in = [link for link in self._links if link.logged_in]
            for link in logged_in:
                link.send(msg)
            return len(logged_in)

        return self._on_loop(push)

    def tell_own_presence(self, user: PbxObject) -> None:
        """UpdateOwnPresence to every myApps connection of ``user`` (loop thread only)."""
        update = {
            "mt": "UpdateOwnPresence",
            "presence": [
                {
                    "contact": p.get("c", ""),
                    "status": "open",
                    "activity": p.get("a", ""),
                    "note": p.get("n", ""),
                }
                for p in user.presence
            ],
        }
        for link in list(self._links):
            if link.user_cn == user.cn:
                link.send(update)

    def _user(self, cn: str) -> PbxObject:
        user = self.state.find(cn=cn)
        if user is None or not user.is_user:
            raise ValueError(f"the demo PBX has no user {cn!r}")
        return user

    # ------------------------------------------------------------------ stopping

    def stop(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            return

        async def close() -> None:
            if self._server is not None:
                self._server.close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._server.wait_closed(), 3.0)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(CALL_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CALL_TIMEOUT)
        if not self._thread.is_alive():
            self._loop.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> InnovaphoneSimulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<InnovaphoneSimulator {self.url} {'running' if self.running else 'stopped'}>"


# ---------------------------------------------------------------------- the foreground demo


def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 8090,
    data: str | os.PathLike[str] | None = None,
    variant: str = "default",
    challenge_as_number: bool = False,
    scripted_calls: bool = False,
) -> None:
    """Run the demo PBX in the foreground until Ctrl-C (or SIGTERM); prints how to log in.

    ``scripted_calls``: someone calls the demo user 20 s after the start, then every few
    minutes."""
    sim = InnovaphoneSimulator.start(
        data,
        host=host,
        port=port,
        variant=variant,
        challenge_as_number=challenge_as_number,
        answer_s=DEMO_ANSWER_S,
        scripted_calls=scripted_calls,
    )
    demo_user = next((o for o in sim.state.objects if o.is_user and o.password), None)
    app = next(iter(sim.state.apps.values()), None)
    print(
        f"innovaphone demo PBX at {sim.url}"
        + (f"  user: {demo_user.h323} password: {demo_user.password}" if demo_user else "")
        + (f"  App object: {app.name} password: {app.password}" if app else "")
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

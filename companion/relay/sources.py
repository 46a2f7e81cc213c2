"""Where each connected user's live calls come from: one source per PBX kind.

- pascom (`LivePoll`): one `cdr/live` read per second for the whole PBX, split per user
  (the REST credential sees every user's calls, so one read serves everybody).
- innovaphone (`PushedCalls`): each connected user's backend (its own AppWebsocket,
  logged in with the App object) pushes that user's RCC calls through `pushed()`;
  nothing is polled.

The hub knows only `CallSource`: both hand a user's calls to `user.update_calls`, the
features the PBX says changed to `user.changed`, and close a user's streams with the
failure in words when the PBX is lost (desktops reconnect and get a fresh resync).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol, cast

from companion.pbx import errors, wire_models
from companion.pbx.features import Feature, is_connection_failure
from companion.pbx.innovaphone.logins import AppRefused
from companion.pbx.models import Call
from companion.pbx.pascom import PascomPbx
from companion.pbx.protocol import Pbx, PushingPbx
from companion.relay.users import UserBackends

log = logging.getLogger(__name__)

FRESH = 1.5  # seconds a read of cdr/live serves a desktop that just connected
CLOSE_PBX_DOWN = 4502


class User(Protocol):
    """A user with desktops connected, as a source sees them."""

    login: str
    pbx: Pbx

    def update_calls(self, calls: list[Call]) -> None: ...
    def changed(self, features: frozenset[Feature]) -> None: ...
    def close_streams(self, message: dict[str, Any], code: int) -> None: ...


Seen = Callable[[BaseException | None], None]  # what a read said about the PBX (health)


class CallSource(Protocol):
    reads: int  # reads of a PBX-wide call list (for tests and figures)

    async def calls_of(self, pbx: Pbx) -> list[Call]:
        """The user's calls now (a desktop's resync, GET /v1/calls)."""
        ...

    def joined(self, user: User) -> None: ...
    async def left(self, user: User) -> None: ...

    async def tick(self, users: list[User]) -> None:
        """Once a second while desktops are connected."""
        ...

    async def check(self) -> None:
        """One look at the PBX at the start, so that the log and the health check say it."""
        ...

    async def close(self) -> None: ...


def error_message(exc: errors.PbxError) -> dict[str, Any]:
    return {"type": "error", **wire_models.error_body(exc)}


def behind_relay(exc: errors.PbxError) -> errors.PbxError:
    """A connection failure as a desktop must hear it: it is the relay's PBX link."""
    if isinstance(exc, AppRefused):
        return errors.PbxUnreachable(
            "The PBX refused the relay's App object (its name or password). Tell the "
            "relay's administrator."
        )
    if isinstance(exc, errors.AuthenticationError):
        return errors.PbxUnreachable(
            "The PBX refused the relay's REST credential. Tell the relay's administrator."
        )
    if isinstance(exc, errors.CertificateError):
        return errors.PbxUnreachable(
            "The relay does not trust the PBX's TLS certificate. Tell the relay's administrator."
        )
    if isinstance(exc, (errors.PbxUnreachable, errors.PbxTimeout)) and not isinstance(
        exc, errors.ActionUnconfirmed
    ):
        return type(exc)(
            "The relay cannot reach the PBX just now"
            + (" (it did not answer in time)" if isinstance(exc, errors.PbxTimeout) else "")
            + ". Companion connects again by itself; tell the relay's administrator if "
            "this lasts."
        )
    return exc


def for_kind(backends: UserBackends, saw: Seen, live_interval: float) -> CallSource:
    if backends.kind == "innovaphone":
        return PushedCalls(backends, saw)
    return LivePoll(backends, saw, live_interval)


class LivePoll:
    """pascom: the one poller of `cdr/live` for the whole PBX."""

    def __init__(self, backends: UserBackends, saw: Seen, live_interval: float) -> None:
        assert backends.wide is not None
        self._wide = backends.wide
        self._saw = saw
        self._interval = live_interval
        self.reads = 0
        self._payload: tuple[float, Any] | None = None
        self._failure: tuple[float, errors.PbxError] | None = None
        self._read_lock = asyncio.Lock()

    async def calls_of(self, pbx: Pbx) -> list[Call]:
        """From the listing everybody shares (read afresh if it is old)."""
        return await cast(PascomPbx, pbx).live_calls_in(await self._live(max_age=FRESH))

    def joined(self, user: User) -> None:
        pass  # the next tick's split includes them

    async def left(self, user: User) -> None:
        pass

    async def check(self) -> None:
        try:
            await self._live(max_age=0)
        except errors.PbxError as exc:
            log.warning("the relay cannot use the PBX yet: %s", exc)
        else:
            log.info("the PBX answers")

    async def close(self) -> None:
        pass  # the PBX-wide backend is closed with the others (UserBackends.close)

    async def _live(self, max_age: float) -> Any:
        async with self._read_lock:
            if self._payload and time.monotonic() - self._payload[0] <= max_age:
                return self._payload[1]
            # Desktops that reconnect while the PBX is down share the last failure, or
            # each would wait out its own read behind this lock.
            if self._failure and time.monotonic() - self._failure[0] <= max(max_age, FRESH):
                raise self._failure[1]
            try:
                payload = await self._wide.live_payload()
            except errors.PbxError as exc:
                self._payload = None  # an older listing must not pass for the current one
                self._failure = (time.monotonic(), exc)
                self._saw(exc)
                raise
            finally:
                self.reads += 1
            self._saw(None)
            self._payload, self._failure = (time.monotonic(), payload), None
            return payload

    async def tick(self, users: list[User]) -> None:
        try:
            payload = await self._live(max_age=self._interval / 2)
        except errors.PbxError as exc:
            if is_connection_failure(exc):
                message = error_message(behind_relay(exc))
                for user in users:
                    user.close_streams(message, CLOSE_PBX_DOWN)
                log.warning("the PBX is out of reach: %s", exc)
            else:
                log.warning("reading the live calls failed: %s", exc)
            return
        for user in users:
            try:
                calls = await cast(PascomPbx, user.pbx).live_calls_in(payload)
            except errors.PbxError as exc:
                log.warning("the live calls of %s: %s", user.login, exc)
                continue
            user.update_calls(calls)


class PushedCalls:
    """innovaphone: each connected user's backend pushes that user's calls (RCC)."""

    def __init__(self, backends: UserBackends, saw: Seen) -> None:
        self._backends = backends
        self._saw = saw
        self.reads = 0  # nothing PBX-wide is read
        self._following: dict[str, asyncio.Task[None]] = {}

    async def calls_of(self, pbx: Pbx) -> list[Call]:
        try:
            calls = await pbx.live_calls()  # opens the user's connection if it is not open
        except errors.PbxError as exc:
            self._saw(exc)
            raise
        self._saw(None)
        return calls

    def joined(self, user: User) -> None:
        self._following[user.login] = asyncio.create_task(
            self._follow(user), name=f"relay: {user.login}'s pushed calls"
        )

    async def left(self, user: User) -> None:
        task = self._following.pop(user.login, None)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _follow(self, user: User) -> None:
        pbx = cast(PushingPbx, user.pbx)
        try:
            async for pushed in pbx.pushed():
                self._saw(None)
                if pushed.calls is not None:
                    user.update_calls(pushed.calls)
                if pushed.changed:
                    user.changed(pushed.changed)
        except errors.PbxError as exc:
            # The user's connection is lost: their desktops hear it and reconnect (the
            # next resync opens a new connection); the other users' are their own.
            self._saw(exc)
            log.warning("the pushed calls of %s ended: %s", user.login, exc)
            user.close_streams(error_message(behind_relay(exc)), CLOSE_PBX_DOWN)
        except Exception:  # a bug of ours must not end silently
            log.exception("following the pushed calls of %s failed", user.login)
            user.close_streams(
                error_message(errors.PbxError("The relay failed to follow your calls.")),
                CLOSE_PBX_DOWN,
            )

    async def tick(self, users: list[User]) -> None:
        pass  # the calls come by themselves

    async def check(self) -> None:
        """Nobody's connection is open yet: log in with the App object once and leave."""
        try:
            await self._backends.check_app_login()
        except errors.PbxError as exc:
            self._saw(exc)
            log.warning("the relay cannot use the PBX yet: %s", exc)
        else:
            self._saw(None)
            log.info("the PBX accepts the App object's login")

    async def close(self) -> None:
        tasks = list(self._following.values())
        self._following.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

"""The event fan-out: what every open event stream is told.

- Live calls: from the PBX kind's call source (`companion.relay.sources`: pascom's one
  poller of `cdr/live`, innovaphone's pushed RCC calls per user); a user's desktops get a
  `calls` message when that user's calls changed (not for a timer that merely moved on).
- The slow state: one `Session` per user with a desktop connected, on the session's
  schedule, over the user's backend without live calls (the source follows them); what
  it announces becomes a `changed` message naming the features to read again.
- Revocation: the store is checked every second (another process, the CLI, may have
  revoked a device); a revoked device's streams get a `revoked` message and close.
- The PBX out of reach: the streams get an `error` message and close; desktops
  reconnect with back-off and get a fresh resync.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

from companion.pbx import errors, wire_models
from companion.pbx.features import Feature, is_connection_failure
from companion.pbx.models import Call
from companion.pbx.protocol import Pbx
from companion.relay import sources
from companion.relay.audit import AuditLog
from companion.relay.sources import CLOSE_PBX_DOWN, behind_relay, error_message
from companion.relay.store import DeviceRecord, Store
from companion.relay.users import UserBackends
from companion.session.events import Event
from companion.session.session import SAFETY_NET, Session

log = logging.getLogger(__name__)

LIVE_INTERVAL = 1.0  # seconds between the hub's rounds (pascom: reads of cdr/live)
VOICEMAIL_WAIT = 60.0  # seconds to look for the message of a missed call
VOICEMAIL_EVERY = 2.0  # seconds between those looks (two HEADs each)
CLOSE_REVOKED = 4401
__all__ = ["CLOSE_REVOKED", "Hub", "revoked_message"]

# What a session's announcement means a desktop should read again.
EVENT_FEATURES = {
    Event.ACCOUNT: Feature.CALLS,
    Event.PROFILES: Feature.PRESENCE,
    Event.QUEUES: Feature.QUEUES,
    Event.REDIRECT: Feature.REDIRECT,
    Event.SWITCHES: Feature.SWITCHES,
    Event.VOICEMAIL: Feature.VOICEMAIL,
    Event.NEW_VOICEMAIL: Feature.VOICEMAIL,
    Event.FAXES: Feature.FAX,
    Event.NEW_FAX: Feature.FAX,
    Event.HISTORY: Feature.HISTORY,
}


def revoked_message() -> dict[str, Any]:
    return {
        "type": "revoked",
        "error": {
            "kind": "AuthenticationError",
            "message": "The relay's administrator revoked this device's access (or it was "
            "enrolled again elsewhere). Ask for a new enrolment code to connect again.",
        },
    }


@dataclass(eq=False)
class Stream:
    """One open event stream: what to send it, in order; None ends it."""

    device: DeviceRecord
    outbox: asyncio.Queue[tuple[dict[str, Any], int | None]] = field(default_factory=asyncio.Queue)
    closed: bool = False

    def send(self, message: dict[str, Any]) -> None:
        if not self.closed:
            self.outbox.put_nowait((message, None))

    def close(self, message: dict[str, Any], code: int) -> None:
        if not self.closed:
            self.closed = True
            self.outbox.put_nowait((message, code))


class _SlowView:
    """The user's backend as the session sees it here: without live calls."""

    def __init__(self, pbx: Pbx) -> None:
        self._pbx = pbx
        self.capabilities = pbx.capabilities - {Feature.LIVE_CALLS}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pbx, name)


class _User:
    """A user with desktops connected: their streams, last calls and slow session."""

    def __init__(self, login: str, pbx: Pbx, poll_interval: float) -> None:
        self.login = login
        self.pbx = pbx
        self.streams: set[Stream] = set()
        self.calls: list[Call] | None = None
        self.session = Session(cast(Pbx, _SlowView(pbx)), poll_interval=poll_interval)
        self._heard: set[Event] = set()  # kinds announced once: the first is the start
        self._tasks: set[asyncio.Task[Any]] = set()
        self._looking: asyncio.Task[Any] | None = None
        self._voicemail_until = 0.0
        for event in EVENT_FEATURES:
            self.session.subscribe(event, lambda *_a, e=event: self._announced(e))
        # After the session's own pace setting (subscribed first), so that this one holds.
        self.session.subscribe(Event.FEATURES, lambda *_a: self._pace())
        self.session.subscribe(Event.CONNECTION, lambda *_a: self._pace())
        self._poll_interval = poll_interval

    def start(self) -> None:
        self.session.start()
        self._pace()

    def _pace(self) -> None:
        """The session's schedule while live calls work: the one poller follows the
        calls and says when to read, so the full read is the five-minute safety net;
        while the PBX or a feature fails, the configured pace."""
        features = self.session.features
        calm = self.session.state.reachable is not False and all(
            features.is_available(f) for f in Feature if features.offers(f)
        )
        self.session.poller.interval = (
            max(SAFETY_NET, self._poll_interval) if calm else self._poll_interval
        )

    def _announced(self, event: Event) -> None:
        first = event not in self._heard
        self._heard.add(event)
        if not first or event in (Event.NEW_VOICEMAIL, Event.NEW_FAX):
            self.tell({"type": "changed", "features": [EVENT_FEATURES[event].value]})

    def tell(self, message: dict[str, Any]) -> None:
        for stream in list(self.streams):
            stream.send(message)

    def changed(self, features: frozenset[Feature]) -> None:
        """The PBX said these changed: the desktops read them again."""
        self.tell({"type": "changed", "features": sorted(f.value for f in features)})

    def close_streams(self, message: dict[str, Any], code: int) -> None:
        for stream in list(self.streams):
            stream.close(message, code)

    def update_calls(self, calls: list[Call]) -> None:
        """The user's calls now: told to the desktops when they changed."""
        before, self.calls = self.calls, calls
        if before is None or call_key(before) == call_key(calls):
            return
        self.tell({"type": "calls", "resync": False, "calls": wire_models.to_json(calls)})
        still = {c.id for c in calls}
        ended = [c for c in before if c.id not in still]
        if ended:
            self.calls_ended(ended)

    def calls_ended(self, ended: list[Call]) -> None:
        """As the session's live poll does: the history has more, a fax may be in, and
        after a missed call the caller may be speaking a message (look for a minute);
        each only where the PBX offers it."""
        offered = self.pbx.capabilities
        if Feature.HISTORY in offered:
            self.tell({"type": "changed", "features": [Feature.HISTORY.value]})
        if any(c.fax for c in ended):
            self._follow(self.session.check_faxes())  # (the session asks only if offered)
        if Feature.VOICEMAIL not in offered:
            return
        self._follow(self.session.check_voicemail())
        if any(c.incoming and not c.fax and c.connected_since is None for c in ended):
            self._voicemail_until = time.monotonic() + VOICEMAIL_WAIT
            if self._looking is None or self._looking.done():
                self._looking = self._follow(self._look_for_voicemail())

    async def _look_for_voicemail(self) -> None:
        while time.monotonic() < self._voicemail_until:
            await asyncio.sleep(VOICEMAIL_EVERY)
            with contextlib.suppress(errors.PbxError):
                if await self.session.check_voicemail():
                    return

    def _follow(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.session.stop()


def call_key(calls: list[Call]) -> list[tuple[object, ...]]:
    """What makes a change worth telling (times that only move on do not)."""
    return [
        (c.id, c.direction, c.state, c.remote_number, c.remote_name, c.device, c.via, c.fax)
        for c in calls
    ]


class Hub:
    def __init__(
        self,
        backends: UserBackends,
        store: Store,
        audit: AuditLog,
        *,
        poll_interval: float = 30.0,
        live_interval: float = LIVE_INTERVAL,
    ) -> None:
        self.backends = backends
        self.store = store
        self.audit = audit
        self.poll_interval = poll_interval
        self.live_interval = live_interval
        self.reachable: bool | None = None  # what the last word from the PBX said
        self.source = sources.for_kind(backends, self.saw, live_interval)
        self._users: dict[str, _User] = {}
        self._task: asyncio.Task[None] | None = None
        self._data_version = -1

    @property
    def live_reads(self) -> int:
        """Reads of the PBX-wide call list (pascom's cdr/live; for tests and figures)."""
        return self.source.reads

    # -- streams --------------------------------------------------------------------------

    async def connect(self, device: DeviceRecord) -> Stream:
        """Register a stream; its first message is queued: the resync (or an error)."""
        stream = Stream(device)
        pbx = self.backends.of(device.login)
        try:
            calls = await self.source.calls_of(pbx)
        except errors.PbxError as exc:
            stream.close(error_message(behind_relay(exc)), CLOSE_PBX_DOWN)
            return stream
        user = self._users.get(device.login)
        if user is None:
            user = self._users[device.login] = _User(device.login, pbx, self.poll_interval)
            user.calls = calls
            user.start()
            self.source.joined(user)
        user.streams.add(stream)
        stream.send({"type": "calls", "resync": True, "calls": wire_models.to_json(calls)})
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="relay rounds")
        return stream

    async def disconnect(self, stream: Stream) -> None:
        stream.closed = True
        user = self._users.get(stream.device.login)
        if user is None:
            return
        user.streams.discard(stream)
        if not user.streams:
            del self._users[user.login]
            await self.source.left(user)
            await user.stop()

    def tell_user(self, login: str, features: set[Feature]) -> None:
        """The user's desktops should read these again (one of them changed them)."""
        user = self._users.get(login)
        if user and features:
            user.changed(frozenset(features))

    def tell_everybody(self, features: set[Feature]) -> None:
        for user in list(self._users.values()):
            user.changed(frozenset(features))

    def users(self) -> dict[str, _User]:
        """The users with a desktop connected (for tests and benchmarks)."""
        return dict(self._users)

    def streams(self) -> list[Stream]:
        return [s for u in self._users.values() for s in u.streams]

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        for user in list(self._users.values()):
            for stream in list(user.streams):
                stream.closed = True
            await self.source.left(user)
            await user.stop()
        self._users.clear()
        await self.source.close()

    def saw(self, exc: BaseException | None) -> None:
        """What a request through the relay said about the PBX (for the health check)."""
        if exc is None:
            self.reachable = True
        elif is_connection_failure(exc):
            self.reachable = False

    async def live_calls(self, pbx: Pbx) -> list[Call]:
        """The user's calls now (pascom: from the listing everybody shares)."""
        return await self.source.calls_of(pbx)

    async def check_pbx(self) -> None:
        """One look at the start, so that the log and the health check say it at once."""
        await self.source.check()

    # -- the rounds -----------------------------------------------------------------------

    async def _run(self) -> None:
        while self._users:
            started = time.monotonic()
            self.check_revoked()
            users = list(self._users.values())
            for user in users:
                self.backends.of(user.login)  # in use: kept while streams are open
            await self.source.tick(list(users))
            await asyncio.sleep(max(0.0, self.live_interval - (time.monotonic() - started)))
        self._task = None

    def check_revoked(self, force: bool = False) -> None:
        """Close the streams of devices that are no longer in the store."""
        version = self.store.data_version()
        if version == self._data_version and not force:
            return
        self._data_version = version
        valid = self.store.device_ids()
        for stream in self.streams():
            if stream.device.id not in valid and not stream.closed:
                stream.close(revoked_message(), CLOSE_REVOKED)
                self.audit.record(
                    "events_closed",
                    user=stream.device.login,
                    device=stream.device.name,
                    outcome="revoked",
                )

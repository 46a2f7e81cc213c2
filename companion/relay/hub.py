"""The one poller and the event fan-out: what every open event stream is told.

- Live calls: one `cdr/live` read per second for the whole PBX (only while a desktop
  listens), split per user; a user's desktops get a `calls` message when that user's
  calls changed (not for a timer that merely moved on).
- The slow state: one `Session` per user with a desktop connected, on the session's
  schedule, over the user's backend without live calls (this poller follows them); what
  it announces becomes a `changed` message naming the features to read again.
- Revocation: the store is checked every second (another process, the CLI, may have
  revoked a device); a revoked device's streams get a `revoked` message and close.
- The PBX out of reach: every stream gets an `error` message and closes; desktops
  reconnect with back-off and get a fresh resync.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, cast

from companion.pbx import errors, wire_models
from companion.pbx.features import Feature, is_connection_failure
from companion.pbx.models import Call
from companion.pbx.pascom import PascomPbx
from companion.pbx.protocol import Pbx
from companion.relay.audit import AuditLog
from companion.relay.store import DeviceRecord, Store
from companion.relay.users import UserBackends
from companion.session.events import Event
from companion.session.session import Session

log = logging.getLogger(__name__)

LIVE_INTERVAL = 1.0  # seconds between reads of cdr/live
FRESH = 1.5  # seconds a read of cdr/live serves a desktop that just connected
CLOSE_REVOKED = 4401
CLOSE_PBX_DOWN = 4502

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


def error_message(exc: errors.PbxError) -> dict[str, Any]:
    return {"type": "error", **wire_models.error_body(exc)}


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

    def __init__(self, pbx: PascomPbx) -> None:
        self._pbx = pbx
        self.capabilities = pbx.capabilities - {Feature.LIVE_CALLS}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pbx, name)


class _User:
    """A user with desktops connected: their streams, last calls and slow session."""

    def __init__(self, login: str, pbx: PascomPbx, poll_interval: float) -> None:
        self.login = login
        self.pbx = pbx
        self.streams: set[Stream] = set()
        self.calls: list[Call] | None = None
        self.session = Session(cast(Pbx, _SlowView(pbx)), poll_interval=poll_interval)
        self._heard: set[Event] = set()  # kinds announced once: the first is the start
        for event in EVENT_FEATURES:
            self.session.subscribe(event, lambda *_a, e=event: self._announced(e))

    def _announced(self, event: Event) -> None:
        first = event not in self._heard
        self._heard.add(event)
        if not first or event in (Event.NEW_VOICEMAIL, Event.NEW_FAX):
            self.tell({"type": "changed", "features": [EVENT_FEATURES[event].value]})

    def tell(self, message: dict[str, Any]) -> None:
        for stream in list(self.streams):
            stream.send(message)


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
        self.reachable: bool | None = None  # what the last read of cdr/live said
        self.live_reads = 0  # for tests and figures
        self._users: dict[str, _User] = {}
        self._payload: tuple[float, Any] | None = None
        self._read_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._data_version = -1

    # -- streams --------------------------------------------------------------------------

    async def connect(self, device: DeviceRecord) -> Stream:
        """Register a stream; its first message is queued: the resync (or an error)."""
        stream = Stream(device)
        try:
            payload = await self._live(max_age=FRESH)
            calls = await self.backends.of(device.login).live_calls_in(payload)
        except errors.PbxError as exc:
            stream.close(error_message(behind_relay(exc)), CLOSE_PBX_DOWN)
            return stream
        user = self._users.get(device.login)
        if user is None:
            user = self._users[device.login] = _User(
                device.login, self.backends.of(device.login), self.poll_interval
            )
            user.calls = calls
            user.session.start()
        user.streams.add(stream)
        stream.send({"type": "calls", "resync": True, "calls": wire_models.to_json(calls)})
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="relay live poll")
        return stream

    async def disconnect(self, stream: Stream) -> None:
        stream.closed = True
        user = self._users.get(stream.device.login)
        if user is None:
            return
        user.streams.discard(stream)
        if not user.streams:
            del self._users[user.login]
            await user.session.stop()

    def tell_user(self, login: str, features: set[Feature]) -> None:
        """The user's desktops should read these again (one of them changed them)."""
        user = self._users.get(login)
        if user and features:
            user.tell({"type": "changed", "features": sorted(f.value for f in features)})

    def tell_everybody(self, features: set[Feature]) -> None:
        for user in list(self._users.values()):
            user.tell({"type": "changed", "features": sorted(f.value for f in features)})

    def streams(self) -> list[Stream]:
        return [s for u in self._users.values() for s in u.streams]

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        for user in list(self._users.values()):
            for stream in list(user.streams):
                stream.close({"type": "bye"}, 1001)
            await user.session.stop()
        self._users.clear()

    # -- the one poller -------------------------------------------------------------------

    async def _live(self, max_age: float) -> Any:
        async with self._read_lock:
            if self._payload and time.monotonic() - self._payload[0] <= max_age:
                return self._payload[1]
            try:
                payload = await self.backends.wide.live_payload()
            except errors.PbxError as exc:
                self._payload = None  # an older listing must not pass for the current one
                if is_connection_failure(exc):
                    self.reachable = False
                raise
            finally:
                self.live_reads += 1
            self.reachable = True
            self._payload = (time.monotonic(), payload)
            return payload

    async def _run(self) -> None:
        while self._users:
            started = time.monotonic()
            self.check_revoked()
            try:
                payload = await self._live(max_age=self.live_interval / 2)
            except errors.PbxError as exc:
                if is_connection_failure(exc):
                    self._all_down(exc)
                else:
                    log.warning("reading the live calls failed: %s", exc)
            else:
                await self._split(payload)
            await asyncio.sleep(max(0.0, self.live_interval - (time.monotonic() - started)))
        self._task = None

    async def _split(self, payload: Any) -> None:
        for user in list(self._users.values()):
            try:
                calls = await user.pbx.live_calls_in(payload)
            except errors.PbxError as exc:
                log.warning("the live calls of %s: %s", user.login, exc)
                continue
            before, user.calls = user.calls, calls
            if before is None or call_key(before) == call_key(calls):
                continue
            user.tell({"type": "calls", "resync": False, "calls": wire_models.to_json(calls)})
            if {c.id for c in before} - {c.id for c in calls}:
                # A call ended: a message may wait, and the history has a new entry.
                user.tell({"type": "changed", "features": [Feature.HISTORY.value]})
                user.session.refresh_soon()

    def _all_down(self, exc: errors.PbxError) -> None:
        message = error_message(behind_relay(exc))
        for user in list(self._users.values()):
            for stream in list(user.streams):
                stream.close(message, CLOSE_PBX_DOWN)
        log.warning("the PBX is out of reach: %s", exc)

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


def behind_relay(exc: errors.PbxError) -> errors.PbxError:
    """A connection failure as a desktop must hear it: it is the relay's PBX link."""
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

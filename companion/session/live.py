"""The fast poll: the user's live calls, and the reads a call gives reason for.

While live calls work, they are the only thing read often (pascom: one `cdr/live` every
2 s, 204 while the PBX is idle); everything else is read when there is a reason:

- a call of the user ended: voicemail counts and history (a caller may have left a
  message; Recent calls has a new entry);
- a fax machine's call to the user's fax extension ended: the received faxes;
- a call rang for the user and went unanswered: the voicemail counts again every live
  interval for a minute, until the message is there (the caller speaks first);
- the live poll works again after the PBX was out of reach: the whole state at once.

A backend that pushes its calls (`PushingPbx`) is not polled: its pushes feed the same
events, and the features it says changed on the PBX are read again at once.

The session's slow poll then runs only as a safety net (every five minutes). Where live
calls do not work (the feature is unavailable or failing), the slow poll keeps its old
pace, so the tray is never staler than it was before live calls.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from companion.pbx import errors
from companion.pbx.features import Feature, is_connection_failure
from companion.pbx.models import Call
from companion.pbx.protocol import Pbx
from companion.session.calls import CallEvent, CallEventKind
from companion.session.events import Event, Events
from companion.session.features import FeatureTracker
from companion.session.watch import CallWatcher

log = logging.getLogger(__name__)

LIVE_INTERVAL = 2.0  # seconds between live polls by default (a setting, 1-30 s)
VOICEMAIL_WAIT = 60.0  # seconds to look for the message of a missed call
NUDGE_EVERY = 30.0  # seconds between slow polls woken by a live poll while unreachable


class LiveCalls:
    """Runs the live poll and turns call events into session events and reads."""

    def __init__(
        self,
        pbx: Pbx,
        events: Events,
        features: FeatureTracker,
        *,
        interval: float = LIVE_INTERVAL,
        after_call: Callable[[], Awaitable[None]],
        check_voicemail: Callable[[], Awaitable[bool]],
        check_faxes: Callable[[], Awaitable[bool]],
        reconnected: Callable[[], None],
        read_again: Callable[[frozenset[Feature]], Awaitable[None]] | None = None,
        unreachable: Callable[[], bool] = lambda: False,
    ) -> None:
        self.watcher = CallWatcher(pbx, interval)
        self.events = events
        self.features = features
        self.after_call = after_call  # reads after a call of the user ended
        self.check_voicemail = check_voicemail  # True when the counts changed
        self.check_faxes = check_faxes  # True when the received faxes changed
        self.reconnected = reconnected  # the PBX answers again: read everything
        self.read_again = read_again  # a pushing PBX says these features changed
        self.unreachable = unreachable  # the session says the PBX is out of reach
        self.missed = 0  # missed calls the user has not looked at yet
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._follow_ups: set[asyncio.Task[None]] = set()
        self._voicemail_until = 0.0  # time.monotonic() until which to look for a message
        self._lost = False  # the live poll (or stream) failed for the whole PBX, not yet back
        self._nudged_at = -NUDGE_EVERY  # time.monotonic() of the last such wake

    @property
    def interval(self) -> float:
        return self.watcher.interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self.watcher.interval = seconds

    @property
    def calls(self) -> list[Call]:
        return self.watcher.calls

    @property
    def working(self) -> bool:
        return self._task is not None and self.features.is_available(Feature.LIVE_CALLS)

    def start(self) -> None:
        if self._task is None and self.features.offers(Feature.LIVE_CALLS):
            self._task = asyncio.ensure_future(self._run())

    def wake(self) -> None:
        """Look at once (the user just dialled, answered or hung up)."""
        self._wake.set()

    async def stop(self) -> None:
        pending = [*self._follow_ups, *([self._task] if self._task else [])]
        self._task = None
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def seen_missed(self) -> None:
        """The user looked at Recent calls: the missed calls are no longer news."""
        if self.missed:
            self.missed = 0
            self.events.emit(Event.MISSED_CALLS, 0)

    async def poll_once(self) -> list[CallEvent]:
        """One live poll: announce what happened; raises a failure of the PBX as a whole."""
        try:
            events = await self.watcher.poll()
        except errors.PbxError as exc:
            self._failed(exc)
            raise
        await self._polled(events)
        return events

    async def _polled(self, events: list[CallEvent]) -> None:
        self.features.succeeded(Feature.LIVE_CALLS)
        self._nudge_if_unreachable()
        self._announce(events)
        await self._look_for_voicemail()

    def _failed(self, exc: errors.PbxError | None) -> None:
        if exc is None:  # the PBX answers again after failed polls
            self._lost = False
            self.reconnected()
            return
        self.features.failed(Feature.LIVE_CALLS, exc)
        if not is_connection_failure(exc):
            log.info("the live poll failed: %s", exc)
        elif not self._lost:
            # The PBX (or the relay, or a pushed stream) is gone as a whole: the slow poll
            # reads now, once per outage, so the tray says so at once and not at the
            # safety net's pace (five minutes while live calls work).
            self._lost = True
            self.reconnected()

    def _nudge_if_unreachable(self) -> None:
        """The live poll works while the session still says "unreachable": read again.

        The slow poll may have failed (a refused login, say) while the live poll had not
        failed yet, so no failed-then-working live poll tells it the PBX is back; it would
        wait out its back-off (minutes). At most every NUDGE_EVERY seconds, so that a slow
        poll that still fails is not repeated at the live pace.
        """
        now = time.monotonic()
        if self.unreachable() and now - self._nudged_at >= NUDGE_EVERY:
            self._nudged_at = now
            self.reconnected()

    @staticmethod
    def _bug(exc: Exception) -> None:  # keep following calls whatever one answer did
        log.error("the live poll failed", exc_info=exc)

    def _announce(self, events: list[CallEvent]) -> None:
        ended = fax = False
        for event in events:
            if event.kind is CallEventKind.FAX:  # no call of the user's: no call event
                fax = True
                continue
            self.events.emit(Event.CALL, event)
            if event.kind is CallEventKind.ENDED:
                ended = True
            elif event.kind is CallEventKind.MISSED:
                self.missed += 1
                self.events.emit(Event.MISSED_CALLS, self.missed)
                self._voicemail_until = time.monotonic() + VOICEMAIL_WAIT
        if any(e.kind is not CallEventKind.FAX for e in events):
            self.events.emit(Event.CALLS, self.watcher.calls)
        if ended:
            self._follow_up(self.after_call())
        if fax:
            self._follow_up(self._faxes_after_call())

    async def _faxes_after_call(self) -> None:
        await self.check_faxes()

    def _follow_up(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except errors.PbxError as exc:  # the feature's own state already says it
                log.info("a read after a call failed: %s", exc)

        task = asyncio.ensure_future(run())
        self._follow_ups.add(task)
        task.add_done_callback(self._follow_ups.discard)

    async def _run(self) -> None:
        await self.watcher.watch(
            self._polled, self._failed, self._wake, self._bug, on_changed=self._changed
        )

    def _changed(self, features: frozenset[Feature]) -> None:
        if self.read_again is not None:
            self._follow_up(self.read_again(features))

    async def _look_for_voicemail(self) -> None:
        if not self._voicemail_until:
            return
        if time.monotonic() > self._voicemail_until:
            self._voicemail_until = 0.0
            return
        try:
            if await self.check_voicemail():
                self._voicemail_until = 0.0
        except errors.PbxError as exc:
            log.info("looking for a missed call's voicemail failed: %s", exc)

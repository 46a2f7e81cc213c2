"""The session: one user's view of the PBX, read on a schedule, feature by feature.

Each feature is read on its own: a read that fails marks its feature (unavailable or
failing for now) and leaves the others alone. Only a connection failure (or a refused
REST login) makes the whole PBX unreachable; the poller then backs off.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from companion.pbx import errors
from companion.pbx.features import Feature, FeatureState, is_connection_failure
from companion.pbx.models import (
    CallRecord,
    ReceivedFax,
    Redirect,
    SentFax,
    Voicemail,
    VoicemailCounts,
)
from companion.pbx.protocol import Pbx
from companion.session.events import Callback, Event, Events
from companion.session.features import FeatureTracker
from companion.session.live import LIVE_INTERVAL, LiveCalls
from companion.session.poller import Poller
from companion.session.state import State, StateKeeper
from companion.session.targets import TargetNames

log = logging.getLogger(__name__)

QUEUE_POLL_EVERY = 4  # queue membership costs a request per queue: poll it less often
SAFETY_NET = 300.0  # seconds between full reads while live calls tell when to read


@dataclass(frozen=True)
class _Read:
    """How one feature's read went: its value, or the failure."""

    value: Any = None
    error: BaseException | None = None


class Session:
    def __init__(
        self,
        pbx: Pbx,
        *,
        poll_interval: float = 30.0,
        live_interval: float = LIVE_INTERVAL,
        region: str | None = None,
    ) -> None:
        self.pbx = pbx
        self.target_names = TargetNames(pbx, region)  # whose number a redirect goes to
        self.events = Events()
        self.keeper = StateKeeper(self.events)
        # A backend may name its kind, so that "not offered" says which PBX lacks it.
        self.features = FeatureTracker(pbx.capabilities, self.events, getattr(pbx, "kind", ""))
        self._poll_interval = poll_interval
        self.poller = Poller(self.refresh, self.keeper, poll_interval)
        self.live = LiveCalls(
            pbx,
            self.events,
            self.features,
            interval=live_interval,
            after_call=self._after_call,
            check_voicemail=self.check_voicemail,
            check_faxes=self.check_faxes,
            reconnected=self.poller.wake,
            read_again=self.read_again,
            unreachable=lambda: self.state.reachable is False,
        )
        self.events.subscribe(Event.FEATURES, lambda _states: self._pace())
        # An unreachable PBX is tried again at the old pace (with its backoff), not at
        # the safety net's: the tray must not say "unreachable" for minutes after.
        self.events.subscribe(Event.CONNECTION, lambda *_: self._pace())
        self._loaded: set[Feature] = set()  # features whose state holds a real read
        self._polls = 0

    @property
    def poll_interval(self) -> float:
        """Seconds between full reads while live calls do not work."""
        return self._poll_interval

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self._poll_interval = seconds
        self._pace()

    def _pace(self) -> None:
        """Full reads are a safety net while live calls say when to read, else the pace.

        A feature that does not work is read again at the old pace too, so that it works
        again within one poll once the PBX gives it back.
        """
        calm = (
            self.live.working
            and self.state.reachable is not False
            and all(self.features.is_available(f) for f in Feature if self.features.offers(f))
        )
        before = self.poller.interval
        self.poller.interval = max(SAFETY_NET, self._poll_interval) if calm else self._poll_interval
        if self.poller.interval < before:
            self.poller.wake()  # live calls just broke: do not wait out the safety net

    @property
    def state(self) -> State:
        return self.keeper.state

    def subscribe(self, event: Event, callback: Callback) -> Callable[[], None]:
        return self.events.subscribe(event, callback)

    def feature(self, feature: Feature) -> FeatureState:
        return self.features.state(feature)

    def start(self) -> None:
        """Start the slow poll (its first round at once) and the live poll."""
        self.poller.start()
        self.live.start()
        self._pace()

    def refresh_soon(self) -> None:
        self.poller.wake()

    async def stop(self) -> None:
        await self.live.stop()
        await self.poller.stop()

    # -- one poll ------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Read every feature the tray shows; announce what changed and what is new.

        Raises only a failure of the PBX as a whole (the poller marks it unreachable).
        """
        await self._read_account()
        self.keeper.set_reachable(True)
        offers = self.features.offers
        reads: dict[Feature, Awaitable[Any]] = {}
        if offers(Feature.PRESENCE):
            reads[Feature.PRESENCE] = self.pbx.profiles()
        if offers(Feature.REDIRECT):
            reads[Feature.REDIRECT] = self.pbx.redirect()
        if offers(Feature.SWITCHES):
            reads[Feature.SWITCHES] = self.pbx.switches()
        if offers(Feature.VOICEMAIL):
            reads[Feature.VOICEMAIL] = self.pbx.voicemail_counts()
        if offers(Feature.FAX):
            reads[Feature.FAX] = self.pbx.received_faxes()
        first = await self._read_each(reads)
        if Feature.REDIRECT in first and first[Feature.REDIRECT].error is None:
            await self.name_redirect(first[Feature.REDIRECT].value)
        for feature, name in (
            (Feature.PRESENCE, "profiles"),
            (Feature.REDIRECT, "redirect"),
            (Feature.SWITCHES, "switches"),
        ):
            if feature in first and self._took(feature, first[feature]):
                self.keeper.update(name, first[feature].value)

        # What the first answers say must be read too (each still on its own).
        more: dict[Feature, Awaitable[Any]] = {}
        counts = self._value(Feature.VOICEMAIL, first)
        if counts is not None and self._stale(Feature.VOICEMAIL, counts, "voicemail_counts"):
            more[Feature.VOICEMAIL] = self.pbx.voicemails()
        elif counts is not None:
            self.features.succeeded(Feature.VOICEMAIL)
        received = self._value(Feature.FAX, first)
        if received is not None and self._stale(Feature.FAX, received, "received_faxes"):
            more[Feature.FAX] = self.pbx.sent_faxes()
        elif received is not None:
            self.features.succeeded(Feature.FAX)
        if offers(Feature.QUEUES) and (
            Feature.QUEUES not in self._loaded
            or not self.features.is_available(Feature.QUEUES)
            or (self.state.queues and self._polls % QUEUE_POLL_EVERY == 0)
        ):
            more[Feature.QUEUES] = self.pbx.queues()
        # New messages are announced only against a list that was really read before.
        announce = {f for f in (Feature.VOICEMAIL, Feature.FAX) if f in self._loaded}
        second = await self._read_each(more)
        vm = second.get(Feature.VOICEMAIL)
        if vm is not None and self._took(Feature.VOICEMAIL, vm):
            self._voicemail_read(counts, vm.value, Feature.VOICEMAIL in announce)
        fax = second.get(Feature.FAX)
        if fax is not None and self._took(Feature.FAX, fax):
            self._faxes_read(received, fax.value, Feature.FAX in announce)
        if Feature.QUEUES in second and self._took(Feature.QUEUES, second[Feature.QUEUES]):
            self.keeper.update("queues", second[Feature.QUEUES].value)
        self._polls += 1

    async def name_redirect(self, redirect: Redirect) -> Redirect:
        """Look up whose number the redirect's target is (once per number) before it shows."""
        number = redirect.target or redirect.previous_target
        if self.target_names.wanted(number):
            await self.target_names.look_up(number)  # a failure leaves the number alone
        return redirect

    async def _read_account(self) -> None:
        try:
            account = await self.pbx.account()
        except errors.NotFound:
            raise  # no such user: nothing works, the tray says to check the login name
        except Exception as exc:
            if is_connection_failure(exc):
                raise
            # The PBX answers, but not with the user: calls cannot work, the rest may.
            if not isinstance(exc, errors.PbxError):
                log.error("reading the user failed", exc_info=exc)
            self.features.failed(Feature.CALLS, exc)
            return
        self.features.succeeded(Feature.CALLS)
        self.keeper.update("account", account)

    async def _read_each(self, reads: dict[Feature, Awaitable[Any]]) -> dict[Feature, _Read]:
        """Run the reads side by side; none stops another. A connection failure is raised."""

        async def attempt(work: Awaitable[Any]) -> _Read:
            try:
                return _Read(await work)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                return _Read(error=exc)

        features = list(reads)
        try:
            answers = await asyncio.gather(*(attempt(reads[f]) for f in features))
        finally:  # cancelled before a read began (a poll abandoned): close it unawaited
            for work in reads.values():
                if inspect.iscoroutine(work) and inspect.getcoroutinestate(work) == "CORO_CREATED":
                    work.close()
        outcomes = dict(zip(features, answers, strict=True))
        for outcome in outcomes.values():
            if outcome.error is not None and is_connection_failure(outcome.error):
                raise outcome.error
        return outcomes

    def _took(self, feature: Feature, outcome: _Read) -> bool:
        """Record how a read went; True when it gave a value to keep."""
        if outcome.error is None:
            self.features.succeeded(feature)
            self._loaded.add(feature)
            return True
        if not isinstance(outcome.error, errors.PbxError):
            log.error("reading %s failed", feature, exc_info=outcome.error)
        self.features.failed(feature, outcome.error)
        return False

    def _value(self, feature: Feature, outcomes: dict[Feature, _Read]) -> Any:
        """The first read's value of a feature that needs a second read; None if it failed."""
        outcome = outcomes.get(feature)
        if outcome is None:
            return None
        if outcome.error is not None:
            self._took(feature, outcome)
            return None
        return outcome.value

    def _stale(self, feature: Feature, value: Any, name: str) -> bool:
        """Whether what we hold for `feature` must be read again in full."""
        return (
            value != getattr(self.state, name)
            or feature not in self._loaded
            or not self.features.is_available(feature)
        )

    def _voicemail_read(
        self, counts: VoicemailCounts, voicemails: list[Voicemail], announce: bool
    ) -> None:
        known = {m.id for m in self.state.voicemails}
        self.keeper.set_voicemail(counts, voicemails)
        if announce:
            for message in voicemails:
                if message.id not in known and not message.heard:
                    self.events.emit(Event.NEW_VOICEMAIL, message)

    def _faxes_read(self, received: list[ReceivedFax], sent: list[SentFax], announce: bool) -> None:
        known = {f.id for f in self.state.received_faxes}
        self.keeper.set_faxes(received, sent)
        if announce:
            for fax in received:
                if fax.id not in known:
                    self.events.emit(Event.NEW_FAX, fax)

    # -- reads on demand (after a change, when a window opens) ---------------------------

    async def read_again(self, features: frozenset[Feature]) -> None:
        """Read the features a pushing PBX says changed, each on its own, at once."""
        kept: dict[Feature, tuple[str, Callable[[], Awaitable[Any]]]] = {
            Feature.PRESENCE: ("profiles", lambda: self.pbx.profiles()),
            Feature.REDIRECT: ("redirect", lambda: self.pbx.redirect()),
            Feature.SWITCHES: ("switches", lambda: self.pbx.switches()),
            Feature.QUEUES: ("queues", lambda: self.pbx.queues()),
        }
        reads: list[Awaitable[Any]] = []
        for feature in sorted(f for f in features if self.features.offers(f)):
            if feature in kept:
                reads.append(self._read_kept(feature, *kept[feature]))
            elif feature is Feature.VOICEMAIL:
                reads.append(self.check_voicemail())
            elif feature is Feature.FAX:
                reads.append(self.check_faxes())
            elif feature is Feature.HISTORY:
                reads.append(self.load_history(max(10, len(self.state.history))))
            elif feature is Feature.CALLS:
                reads.append(self._read_account())
        for outcome in await asyncio.gather(*reads, return_exceptions=True):
            if isinstance(outcome, BaseException) and not isinstance(outcome, errors.PbxError):
                log.error("reading a changed feature failed", exc_info=outcome)

    async def _read_kept(
        self, feature: Feature, name: str, read: Callable[[], Awaitable[Any]]
    ) -> None:
        value = await self.features.read(feature, read())
        if feature is Feature.REDIRECT:
            await self.name_redirect(value)
        self._loaded.add(feature)
        self.keeper.update(name, value)

    async def _after_call(self) -> None:
        """A call of the user ended: a message may be waiting, Recent calls has more."""
        reads: list[Awaitable[Any]] = []
        if self.features.offers(Feature.VOICEMAIL):
            reads.append(self.check_voicemail())
        if self.features.offers(Feature.HISTORY):
            reads.append(self.load_history(max(10, len(self.state.history))))
        for outcome in await asyncio.gather(*reads, return_exceptions=True):
            if isinstance(outcome, BaseException) and not isinstance(outcome, errors.PbxError):
                log.error("a read after a call failed", exc_info=outcome)

    async def check_faxes(self) -> bool:
        """Read the received faxes; on a change read the sent ones and announce new faxes."""
        return await self._check(
            Feature.FAX,
            self.pbx.received_faxes,
            "received_faxes",
            self.pbx.sent_faxes,
            self._faxes_read,
        )

    async def check_voicemail(self) -> bool:
        """Read the counts; on a change read the messages and announce new ones."""
        return await self._check(
            Feature.VOICEMAIL,
            self.pbx.voicemail_counts,
            "voicemail_counts",
            self.pbx.voicemails,
            self._voicemail_read,
        )

    async def _check(
        self,
        feature: Feature,
        first: Callable[[], Awaitable[Any]],
        name: str,
        second: Callable[[], Awaitable[Any]],
        took: Callable[[Any, Any, bool], None],
    ) -> bool:
        """The poll's two-step read of one feature, on its own: the cheap read, and the
        full one only when the cheap one changed. True when it changed."""
        if not self.features.offers(feature):
            return False
        value = await self.features.read(feature, first())
        if not self._stale(feature, value, name):
            return False
        announce = feature in self._loaded  # only against a list really read before
        more = await self.features.read(feature, second())
        self._loaded.add(feature)
        took(value, more, announce)
        return True

    async def reload_voicemail(self) -> None:
        read = self.features.read
        counts = await read(Feature.VOICEMAIL, self.pbx.voicemail_counts())
        voicemails = await read(Feature.VOICEMAIL, self.pbx.voicemails())
        self._loaded.add(Feature.VOICEMAIL)
        self.keeper.set_voicemail(counts, voicemails)

    async def reload_faxes(self) -> None:
        received, sent = await self.features.read(
            Feature.FAX, asyncio.gather(self.pbx.received_faxes(), self.pbx.sent_faxes())
        )
        self._loaded.add(Feature.FAX)
        self.keeper.set_faxes(received, sent)

    async def load_queues(self) -> None:
        queues = await self.features.read(Feature.QUEUES, self.pbx.queues())
        self._loaded.add(Feature.QUEUES)
        self.keeper.update("queues", queues)

    async def load_history(self, limit: int = 10) -> list[CallRecord]:
        history = await self.features.read(Feature.HISTORY, self.pbx.history(limit=limit))
        self.state.history = history
        self.events.emit(Event.HISTORY, history)
        return history

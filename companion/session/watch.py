"""Watching the user's live calls: the fast poll, for every face that follows calls.

`CallWatcher.poll()` asks the backend for the user's live calls once and returns the
events since the last poll; `watch()` does it on an interval until cancelled, backing off
while the PBX is unreachable. A backend that pushes its calls (`PushingPbx`: innovaphone,
the relay) is not polled: `watch()` follows its `pushed()` stream instead, and connects
again after a loss (1 s doubling to 32 s). The GUI session, `companion calls --watch` and
the relay all use it, so there is one schedule and one meaning of "missed".
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from companion.pbx import errors
from companion.pbx.features import Feature
from companion.pbx.models import Call
from companion.pbx.protocol import Pbx, PushingPbx
from companion.session.calls import CallEvent, CallTracker

DEFAULT_INTERVAL = 2.0  # seconds between live polls (a setting, 1-30 s)
MAX_BACKOFF = 60.0  # seconds between tries while the live poll fails
PUSH_BACKOFF = 1.0  # seconds before the first new connection after a pushing one broke
PUSH_MAX_BACKOFF = 32.0


def push_delay(failures: int) -> float:
    """Seconds to wait before connecting again after `failures` broken connections."""
    return min(PUSH_BACKOFF * 2.0 ** max(failures - 1, 0), PUSH_MAX_BACKOFF)


class CallWatcher:
    def __init__(self, pbx: Pbx, interval: float = DEFAULT_INTERVAL) -> None:
        self.pbx = pbx
        self.interval = interval
        self.tracker = CallTracker()

    @property
    def calls(self) -> list[Call]:
        return self.tracker.calls

    async def poll(self) -> list[CallEvent]:
        """One look at the PBX's live calls; raises the backend's PbxError on failure."""
        return self.tracker.update(await self.pbx.live_calls())

    async def watch(
        self,
        on_events: Callable[[list[CallEvent]], Awaitable[None]],
        on_error: Callable[[errors.PbxError | None], None] | None = None,
        wake: asyncio.Event | None = None,
        on_bug: Callable[[Exception], None] | None = None,
        on_changed: Callable[[frozenset[Feature]], None] | None = None,
    ) -> None:
        """Poll until cancelled, backing off while polls fail.

        `on_events` gets each poll's events (also none). `on_error` hears each failure of
        the PBX, and None once it is over. `on_bug` hears any other exception and the
        watch goes on; without it such an exception ends the watch. Setting `wake` polls
        at once (the user just dialled or hung up). A pushing backend is followed instead
        (`wake` is then moot); `on_changed` hears the features it says changed.
        """
        if isinstance(self.pbx, PushingPbx):
            await self._follow(self.pbx, on_events, on_error, on_bug, on_changed)
            return
        failures = 0
        while True:
            try:
                events = await self.poll()
            except errors.PbxError as exc:
                failures += 1
                if on_error is not None:
                    on_error(exc)
            except Exception as exc:
                if on_bug is None:
                    raise
                failures += 1
                on_bug(exc)
            else:
                if failures and on_error is not None:
                    on_error(None)
                failures = 0
                await on_events(events)
            raise_if_cancelled()
            delay = (
                self.interval if failures == 0 else min(self.interval * 2**failures, MAX_BACKOFF)
            )
            if wake is None:
                await asyncio.sleep(delay)
                continue
            wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await wake.wait()

    async def _follow(
        self,
        pbx: PushingPbx,
        on_events: Callable[[list[CallEvent]], Awaitable[None]],
        on_error: Callable[[errors.PbxError | None], None] | None,
        on_bug: Callable[[Exception], None] | None,
        on_changed: Callable[[frozenset[Feature]], None] | None,
    ) -> None:
        """Follow the backend's pushes; connect again (with back-off) when they break."""
        failures = 0
        while True:
            try:
                async for pushed in pbx.pushed():
                    if failures:  # the first item after a loss: connected again
                        failures = 0
                        if on_error is not None:
                            on_error(None)
                    if pushed.calls is not None:
                        await on_events(self.tracker.update(pushed.calls))
                    if pushed.changed and on_changed is not None:
                        on_changed(pushed.changed)
                raise errors.PbxUnreachable("The PBX closed the connection.")
            except errors.PbxError as exc:
                failures += 1
                if on_error is not None:
                    on_error(exc)
            except Exception as exc:
                if on_bug is None:
                    raise
                failures += 1
                on_bug(exc)
            raise_if_cancelled()
            await asyncio.sleep(push_delay(failures))


def raise_if_cancelled() -> None:
    """Honour a cancellation that a library swallowed on the way.

    When our `cancel()` meets a timeout firing inside httpx/anyio (or asyncio.timeout) in
    the same step, the cancellation can come out as a timeout, which the loop takes for a
    failed poll: the task would go on forever and `stop()` would wait for it (a test's
    teardown hung so). The task still counts the request (`cancelling()`), so end here.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError

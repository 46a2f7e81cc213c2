"""The poll schedule: read the PBX every interval, sooner when asked, backing off while
the PBX is unreachable."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from companion.pbx import errors
from companion.session.state import StateKeeper
from companion.session.watch import raise_if_cancelled

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0  # seconds between tries while the PBX is unreachable
# A poll may take its interval, but at least MIN_POLL_TIME (a poll is several requests
# one after another: a short interval must not abandon a healthy but slowish PBX's poll)
# and at most MAX_POLL_TIME (the safety net's five minutes would hold back a wake, such
# as an opened menu, that long).
MIN_POLL_TIME = 5.0
MAX_POLL_TIME = 60.0


class Poller:
    def __init__(
        self, poll: Callable[[], Awaitable[None]], keeper: StateKeeper, interval: float = 30.0
    ) -> None:
        self.poll = poll
        self.keeper = keeper
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def start(self) -> None:
        """Start polling (the first poll runs at once)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def wake(self) -> None:
        """Poll now instead of waiting for the interval (e.g. when a menu opens)."""
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def poll_time(self) -> float:
        """Seconds one poll may take before it is abandoned."""
        return min(max(self.interval, MIN_POLL_TIME), MAX_POLL_TIME)

    def delay(self, failures: int) -> float:
        if failures == 0:
            return self.interval
        return min(self.interval * 2.0 ** (failures - 1), MAX_BACKOFF)

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                # A poll that overruns is abandoned, so that the next starts on time: a
                # PBX that answers slowly must not leave the tray showing old state.
                async with asyncio.timeout(self.poll_time()):
                    await self.poll()
                failures = 0
            except asyncio.CancelledError:
                raise
            except TimeoutError:
                failures += 1
                log.warning("a poll took longer than %.0f s and was abandoned", self.poll_time())
                self.keeper.set_reachable(False, errors.PbxTimeout.default_message)
            except errors.PbxError as exc:  # the PBX as a whole: unreachable, login refused
                failures += 1
                self.keeper.set_reachable(False, str(exc))
            except Exception as exc:  # keep polling whatever one answer did
                failures += 1
                log.error("poll failed", exc_info=exc)
            raise_if_cancelled()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.delay(failures)):
                    await self._wake.wait()

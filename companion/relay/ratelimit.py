"""Failed enrolments per source address: after a few, the address waits."""

from __future__ import annotations

import time
from collections import deque

MAX_FAILURES = 5
WINDOW = 15 * 60.0  # seconds


class FailureLimit:
    def __init__(self, failures: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.failures = failures
        self.window = window
        self.now = time.monotonic  # a test may move the clock
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, source: str) -> deque[float]:
        times = self._seen.setdefault(source, deque())
        while times and times[0] <= self.now() - self.window:
            times.popleft()
        if not times:
            del self._seen[source]
            return deque()
        return times

    def wait(self, source: str) -> float:
        """Seconds `source` must wait before it may try again (0: it may now)."""
        times = self._recent(source)
        if len(times) < self.failures:
            return 0.0
        return max(1.0, times[-self.failures] + self.window - self.now())

    def failed(self, source: str) -> None:
        self._recent(source)
        self._seen.setdefault(source, deque()).append(self.now())

"""A scripted caller for the innovaphone demo: now and then someone calls the demo user.

It runs on the demo PBX's event loop (timers, no thread): turn by turn an outside number
or a colleague rings the user; a call nobody answers ends after ``ring_s``.
"""

from __future__ import annotations

import asyncio
import itertools

from .calls import ALERT, Calls

FIRST_S = 20.0
EVERY_S = 240.0
RING_S = 20.0
# as the PBX writes outside numbers with the demo node's prefixes (national 00, international 000)
OUTSIDE = (("00301234567", "Erika Beispiel"), ("0004940987654", ""))


class ScriptedCaller:
    def __init__(
        self,
        calls: Calls,
        cn: str,
        *,
        first_s: float = FIRST_S,
        every_s: float = EVERY_S,
        ring_s: float = RING_S,
    ) -> None:
        user = calls.state.find(cn=cn)
        if user is None or not user.is_user:
            raise ValueError(f"the scripted caller needs the user {cn!r} in the demo file")
        self.calls = calls
        self.cn = cn
        self.every_s = every_s
        self.ring_s = ring_s
        self.started: list[int] = []  # the legs that rang the user
        self._turn = itertools.count()
        self._timer: asyncio.TimerHandle | None = calls.loop.call_later(first_s, self._call)

    def _call(self) -> None:
        user = self.calls.state.find(cn=self.cn)
        if user is not None:
            turn = next(self._turn)
            colleague = next(
                (o for o in self.calls.state.objects if o.is_user and o.cn != self.cn), None
            )
            if turn % 3 == 2 and colleague is not None:
                leg = self.calls.dial(colleague, {"cn": self.cn}).partner
            else:
                number, name = OUTSIDE[turn % len(OUTSIDE)]
                leg = self.calls.incoming(user, number, name)
            if leg is not None:
                self.started.append(leg.id)
                self.calls.loop.call_later(self.ring_s, self._give_up, leg.id)
        self._timer = self.calls.loop.call_later(self.every_s, self._call)

    def _give_up(self, leg_id: int) -> None:
        leg = self.calls.legs.get(leg_id)
        if leg is not None and leg.phase == ALERT:
            self.calls.clear(leg)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

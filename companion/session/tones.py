"""A link's tones (tel: ``;ext=`` and ``;postd=``), sent as DTMF once its call is answered.

A number behind a switchboard (``tel:+49-89-123456;ext=12``) needs its extension keyed in
after the far end answers. The PBX's dial action takes the number only, so the tones wait
for the live-call model to see the dialled call connected, then go out as the device
action ``dtmf`` on the device the call is on. ``p`` and ``w`` (RFC 3966 pauses) each wait
:data:`PAUSE_SECONDS` between runs of digits.

Only where live calls work: without them nothing says when the call is answered, and
tones sent blindly would go to the ringing tone. The faces then say that the tones are
not dialled (before dialling, in the link prompt).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

from companion import numbers
from companion.pbx import errors
from companion.pbx.models import Call, CallState
from companion.session.calls import CallEvent, CallEventKind
from companion.session.events import Event, Events

ANSWER_WAIT = 120.0  # seconds the dialled call may ring before the tones are given up
PAUSE_SECONDS = 1.0  # one "p" or "w"

SendTones = Callable[[str, Call], Awaitable[None]]


class TonesNotSent(errors.PbxError):
    """The tones were not sent (the call ended or was not answered in time)."""


def shown(tones: str) -> str:
    """The tones for people: pauses as commas ("pp12#" -> ",,12#")."""
    return tones.replace("p", ",").replace("w", ",")


def runs(tones: str) -> list[str | float]:
    """``"p12pp#"`` -> ``[1.0, "12", 2.0, "#"]``: digits to send and pauses to wait."""
    parts: list[str | float] = []
    for chunk in re.findall(r"[pw]+|[^pw]+", tones):
        parts.append(len(chunk) * PAUSE_SECONDS if chunk[0] in "pw" else chunk)
    return parts


class AnswerWatch:
    """The first outgoing call to `destination` that is answered; made before the dial,
    so that no live poll in between is missed."""

    def __init__(self, events: Events, destination: str, region: str | None) -> None:
        self.destination = destination
        self.region = region
        self._answered: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self._unsubscribe = events.subscribe(Event.CALL, self._on_call)

    def close(self) -> None:
        self._unsubscribe()
        if not self._answered.done():
            self._answered.cancel()

    async def answered(self, timeout: float = ANSWER_WAIT) -> Call:
        """The answered call; raises :class:`TonesNotSent` if it ends or rings too long."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._answered), timeout)
        except TimeoutError:
            raise TonesNotSent(
                f"The call to {self._shown()} was not answered within {timeout:g} s: "
                "its tones were not sent."
            ) from None
        finally:
            self.close()

    def _on_call(self, event: CallEvent) -> None:
        call = event.call
        if self._answered.done() or call.incoming or not self._is_ours(call):
            return
        connected = call.state is CallState.CONNECTED
        if event.kind is CallEventKind.ANSWERED or (
            event.kind is CallEventKind.STARTED and connected
        ):
            self._answered.set_result(call)
        elif event.kind is CallEventKind.ENDED:
            self._answered.set_exception(
                TonesNotSent(
                    f"The call to {self._shown()} ended before it was answered: "
                    "its tones were not sent."
                )
            )

    def _is_ours(self, call: Call) -> bool:
        try:
            mine = numbers.comparable(self.destination, self.region)
            theirs = numbers.comparable(call.remote_number, self.region)
        except numbers.NumberError:
            return call.remote_number == self.destination
        # The PBX may report a national form of the number it dialled: compare the ends.
        tail = min(len(mine.lstrip("+")), len(theirs.lstrip("+")), 8)
        return mine == theirs or (tail >= 3 and mine[-tail:] == theirs[-tail:])

    def _shown(self) -> str:
        return numbers.format_for_display(self.destination, self.region)


async def send_when_answered(watch: AnswerWatch, tones: str, send: SendTones) -> None:
    """Wait for the answer, then send `tones` run by run with their pauses."""
    call = await watch.answered()
    for part in runs(tones):
        if isinstance(part, float):
            await asyncio.sleep(part)
        else:
            await send(part, call)

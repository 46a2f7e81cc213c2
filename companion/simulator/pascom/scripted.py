"""A scripted caller for the demo: a known contact calls the demo user now and then.

One thread that sleeps until the next call is due (an Event wait, no polling), then
rings the user under the state's lock. Unanswered calls go to the user's voicemail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .state import PbxState

FIRST_S = 20.0  # the first call, seconds after the start
EVERY_S = 240.0  # then one every few minutes
RING_S = 20.0


class ScriptedCaller:
    """Rings ``user`` from the global phonebook's contacts in turn, until :meth:`stop`."""

    def __init__(
        self,
        state: Callable[[], PbxState],
        *,
        user: str = "mmuster",
        first_s: float = FIRST_S,
        every_s: float = EVERY_S,
        ring_s: float = RING_S,
    ) -> None:
        if user not in state().users:
            raise ValueError(f"the scripted caller needs the user {user!r} in the demo data")
        self._state = state  # asked each time: Simulator.reset replaces the state
        self.user = user
        self.first_s = first_s
        self.every_s = every_s
        self.ring_s = ring_s
        self.calls: list[int] = []  # the phonecall ids it started
        self._turn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="simulator:caller", daemon=True)

    def start(self) -> ScriptedCaller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5.0)

    def _run(self) -> None:
        wait = self.first_s
        while not self._stop.wait(wait):
            self.call_once()
            wait = self.every_s

    def call_once(self) -> int | None:
        """Ring the user once from the next contact; None if the phonebook has no number."""
        state = self._state()
        with state.lock:
            contacts = [
                e
                for e in sorted(state.phonebook.values(), key=lambda e: e.id)
                if e.owner is None and e.kind == "028phonebook" and _number(e.data)
            ]
            if not contacts or self.user not in state.users:
                return None
            entry = contacts[self._turn % len(contacts)]
            self._turn += 1
            state.calls.advance()
            call_id = state.calls.ring(
                _number(entry.data),
                self.user,
                ring_s=self.ring_s,
                name=entry.data.get("displayname") or "",
            )
        self.calls.append(call_id)
        return call_id


def _number(data: dict[str, str | None]) -> str:
    """The number the PBX shows for a contact calling: "089/5554321" -> "0895554321"."""
    written = (data.get("phone") or data.get("mobile") or "").replace("(0)", "")
    digits = "".join(ch for ch in written if ch.isdigit())
    return ("+" + digits if written.strip().startswith("+") else digits) if digits else ""

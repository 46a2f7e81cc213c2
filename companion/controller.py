"""The one way from the UI to the PBX.

The controller runs backend calls on the asyncio loop (qasync puts it on Qt's), keeps the
state the UI shows, always as read back from the PBX, polls that state on an interval
with backoff while the PBX is unreachable, and turns every failure into words. Widgets
call its coroutines through `spawn()` and listen to its signals; they never see httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from companion import numbers
from companion.pbx import errors
from companion.pbx.models import (
    Account,
    CallAction,
    CallRecord,
    Contact,
    ContactDetails,
    Presence,
    Profile,
    QueueMembership,
    ReceivedFax,
    Redirect,
    SearchResult,
    SentFax,
    Switch,
    Voicemail,
    VoicemailCounts,
)
from companion.pbx.protocol import Pbx
from companion.session import targets

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0  # seconds between tries while the PBX is unreachable
QUEUE_POLL_EVERY = 4  # queue membership costs a request per queue: poll it less often

ErrorHandler = Callable[[str], None]


def message_for(exc: BaseException) -> str:
    """The words a user sees for a failure; a bug gets a short line, never a traceback."""
    from companion.config import ConfigError
    from companion.credentials import CredentialError

    if isinstance(exc, (errors.PbxError, numbers.NumberError, ConfigError, CredentialError)):
        return str(exc)
    return f"Something went wrong inside Companion ({type(exc).__name__}). Please try again."


class Controller(QObject):
    connection_changed = Signal(bool, str)  # reachable, why not (a sentence) or ""
    account_changed = Signal(object)  # Account
    profiles_changed = Signal(list)  # list[Profile]
    queues_changed = Signal(list)  # list[QueueMembership]
    redirect_changed = Signal(object)  # Redirect
    switches_changed = Signal(list)  # list[Switch]
    voicemail_changed = Signal(object, list)  # VoicemailCounts, list[Voicemail]
    faxes_changed = Signal(list, list)  # list[ReceivedFax], list[SentFax]
    history_changed = Signal(list)  # list[CallRecord]
    new_voicemail = Signal(object)  # Voicemail that arrived since the last poll
    new_fax = Signal(object)  # ReceivedFax that arrived since the last poll
    failed = Signal(str)  # background work failed: a sentence for the user

    def __init__(
        self,
        pbx: Pbx,
        *,
        region: str | None = None,
        poll_interval: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pbx = pbx
        self.region = region
        self.poll_interval = poll_interval
        self.reachable: bool | None = None  # None until the first answer
        self.unreachable_reason = ""
        self.account: Account | None = None
        self.profiles: list[Profile] = []
        self.queues: list[QueueMembership] = []
        self.redirect: Redirect | None = None
        self.switches: list[Switch] = []
        self.voicemail_counts: VoicemailCounts | None = None
        self.voicemails: list[Voicemail] = []
        self.received_faxes: list[ReceivedFax] = []
        self.sent_faxes: list[SentFax] = []
        self.history: list[CallRecord] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._polls = 0
        self.target_names = targets.TargetNames(pbx, region)

    # -- running work -------------------------------------------------------------------

    def spawn(
        self, work: Coroutine[Any, Any, Any], on_error: ErrorHandler | None = None
    ) -> asyncio.Task[Any]:
        """Run `work` on the loop, keep a reference (qasync keeps none), report failures.

        A failure goes to `on_error` (the widget that asked), else to `failed`.
        Cancellation (a stale search) is silent.
        """
        task = asyncio.ensure_future(work)
        self._tasks.add(task)

        def finished(done: asyncio.Task[Any]) -> None:
            self._tasks.discard(done)
            if done.cancelled():
                return
            exc = done.exception()
            if exc is None:
                return
            if not isinstance(exc, (errors.PbxError, numbers.NumberError)):
                log.error("unexpected failure", exc_info=exc)
            text = message_for(exc)
            if on_error is not None:
                on_error(text)
            else:
                self.failed.emit(text)
            if isinstance(exc, (errors.PbxUnreachable, errors.PbxTimeout)):
                self._set_reachable(False, text)

        task.add_done_callback(finished)
        return task

    def start(self) -> None:
        """Start polling (the first poll runs at once)."""
        if self._poller is None:
            self._poller = asyncio.ensure_future(self._poll_forever())

    def refresh_soon(self) -> None:
        """Poll now instead of waiting for the interval (e.g. when a menu opens)."""
        self._wake.set()

    async def stop(self) -> None:
        """Cancel polling and pending work, then close the connection (before the loop)."""
        pending = list(self._tasks)
        if self._poller is not None:
            pending.append(self._poller)
            self._poller = None
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self.pbx.close()

    async def _poll_forever(self) -> None:
        failures = 0
        while True:
            try:
                await self.refresh()
                failures = 0
            except asyncio.CancelledError:
                raise
            except errors.PbxError as exc:  # unreachable, refused, broken: the tray says which
                failures += 1
                self._set_reachable(False, str(exc))
            except Exception as exc:  # keep polling whatever one answer did
                failures += 1
                log.error("poll failed", exc_info=exc)
            delay = (
                self.poll_interval
                if failures == 0
                else min(self.poll_interval * 2 ** (failures - 1), MAX_BACKOFF)
            )
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _set_reachable(self, reachable: bool, reason: str = "") -> None:
        if (reachable, reason) != (self.reachable, self.unreachable_reason):
            self.reachable, self.unreachable_reason = reachable, reason
            self.connection_changed.emit(reachable, reason)

    # -- reading state ------------------------------------------------------------------

    async def refresh(self) -> None:
        """Read everything the tray shows; emit what changed; announce new messages."""
        first = self.account is None
        account = await self.pbx.account()
        self._set_reachable(True)
        if account != self.account:
            self.account = account
            self.account_changed.emit(account)
        profiles, redirect, switches, counts, received = await asyncio.gather(
            self.pbx.profiles(),
            self.pbx.redirect(),
            self.pbx.switches(),
            self.pbx.voicemail_counts(),
            self.pbx.received_faxes(),
        )
        self._update("profiles", profiles, self.profiles_changed)
        self._update("redirect", await self._named(redirect), self.redirect_changed)
        self._update("switches", switches, self.switches_changed)
        if counts != self.voicemail_counts or first:
            await self._load_voicemail(counts, announce=not first)
        if received != self.received_faxes:
            known = {f.id for f in self.received_faxes}
            self.received_faxes = received
            self.sent_faxes = await self.pbx.sent_faxes()
            self.faxes_changed.emit(self.received_faxes, self.sent_faxes)
            if not first:
                for fax in received:
                    if fax.id not in known:
                        self.new_fax.emit(fax)
        if first or (self.queues and self._polls % QUEUE_POLL_EVERY == 0):
            await self.load_queues()
        self._polls += 1

    def _update(self, name: str, value: Any, signal: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            signal.emit(value)

    async def _load_voicemail(self, counts: VoicemailCounts, announce: bool) -> None:
        known = {m.id for m in self.voicemails}
        self.voicemail_counts = counts
        self.voicemails = await self.pbx.voicemails()
        self.voicemail_changed.emit(counts, self.voicemails)
        if announce:
            for message in self.voicemails:
                if message.id not in known and not message.heard:
                    self.new_voicemail.emit(message)

    async def reload_voicemail(self) -> None:
        await self._load_voicemail(await self.pbx.voicemail_counts(), announce=False)

    async def reload_faxes(self) -> None:
        self.received_faxes, self.sent_faxes = await asyncio.gather(
            self.pbx.received_faxes(), self.pbx.sent_faxes()
        )
        self.faxes_changed.emit(self.received_faxes, self.sent_faxes)

    async def load_queues(self) -> None:
        self._update("queues", await self.pbx.queues(), self.queues_changed)

    async def load_history(self, limit: int = 10) -> list[CallRecord]:
        self.history = await self.pbx.history(limit=limit)
        self.history_changed.emit(self.history)
        return self.history

    # -- calls ----------------------------------------------------------------------------

    def parse(self, text: str) -> numbers.DialNumber:
        return numbers.parse_dial_input(text, self.region)

    def display(self, destination: str) -> str:
        return numbers.format_for_display(destination, self.region)

    async def dial(self, text: str, device: str | None = None) -> str:
        """Dial a typed number, URI or contact number; returns the number as shown."""
        number = self.parse(text)
        await self.pbx.call_action(CallAction.DIAL, number.destination, device)
        return self.display(number.destination)

    async def call_action(self, action: CallAction, text: str = "") -> None:
        """Hangup, hold, transfer (to `text`), dtmf (digits in `text`), ..."""
        destination = ""
        if action is CallAction.TRANSFER:
            destination = self.parse(text).destination
        elif action is CallAction.DTMF:
            destination = "".join(c for c in text if c in "0123456789*#")
            if not destination:
                raise numbers.NumberError("Type the digits to send (0-9, * and #).")
        await self.pbx.call_action(action, destination)

    # -- phonebook ------------------------------------------------------------------------

    async def search(self, text: str, limit: int = 50) -> tuple[SearchResult, dict[str, Presence]]:
        result = await self.pbx.search(text, limit=limit)
        users = [c.user_name for c in result.contacts if c.user_name]
        presence = await self.pbx.presence(users) if users else {}
        return result, presence

    async def contact_for(self, destination: str) -> Contact | None:
        """The phonebook entry a number belongs to, if any.

        Phonebooks store numbers in any notation ("+49 89 1234-56", "089/123456"), and the
        PBX's search matches text, so this searches the number's last four digits (a group
        most notations keep together) and compares candidates by `numbers.comparable`.
        """
        digits = "".join(c for c in destination if c.isdigit())
        if len(digits) < 3:
            return None
        try:
            wanted = numbers.comparable(destination, self.region)
        except numbers.NumberError:
            return None
        result = await self.pbx.search(digits[-4:], limit=100)
        for contact in result.contacts:
            for entry in contact.numbers:
                try:
                    if numbers.comparable(entry.number, self.region) == wanted:
                        return contact
                except numbers.NumberError:
                    continue
        return None

    async def save_contact(self, details: ContactDetails, contact_id: str | None = None) -> Contact:
        if contact_id:
            return await self.pbx.update_contact(contact_id, details)
        return await self.pbx.create_contact(details)

    async def delete_contact(self, contact_id: str) -> None:
        await self.pbx.delete_contact(contact_id)

    # -- presence, queues, redirect, switches ------------------------------------------------

    async def activate_profile(self, profile_id: str) -> None:
        await self.pbx.activate_profile(profile_id)
        self._update("profiles", await self.pbx.profiles(), self.profiles_changed)

    async def queue_action(self, action: str, reason: str = "") -> None:
        """login, logout, pause (with reason) or unpause on all the user's queues."""
        if action == "login":
            await self.pbx.queue_login()
        elif action == "logout":
            await self.pbx.queue_logout()
        elif action == "pause":
            await self.pbx.queue_pause(reason)
        elif action == "unpause":
            await self.pbx.queue_unpause()
        else:
            raise ValueError(action)
        await self.load_queues()

    async def set_redirect(self, text: str, name: str = "") -> None:
        """Redirect to a typed number (`name`: the contact the user picked it from)."""
        target = self.parse(text).destination
        if name:
            self.target_names.remember(target, name)
        redirect = await self._named(await self.pbx.set_redirect(target))
        self._update("redirect", redirect, self.redirect_changed)

    async def redirect_off(self) -> None:
        redirect = await self._named(await self.pbx.redirect_off())
        self._update("redirect", redirect, self.redirect_changed)

    async def redirect_on(self) -> None:
        redirect = await self._named(await self.pbx.redirect_on())
        self._update("redirect", redirect, self.redirect_changed)

    async def set_switch(self, extension: str, on: bool) -> None:
        try:
            await self.pbx.set_switch(extension, on)
        finally:  # show the state the PBX has, also after a refusal
            self._update("switches", await self.pbx.switches(), self.switches_changed)

    async def resolve_target(self, text: str) -> list[targets.Target]:
        """A typed number, extension or name as redirect targets (several: let the user pick)."""
        return await targets.resolve(self.pbx, text, self.region)

    def target_label(self, number: str) -> str:
        """A redirect target as the user knows it: "Tina Sander (221)", else the number."""
        return targets.label(self.target_names.name(number), self.display(number))

    async def _named(self, redirect: Redirect) -> Redirect:
        """Look up whose number the redirect's target is (once per number) before showing it."""
        number = redirect.target or redirect.previous_target
        if self.target_names.wanted(number):
            await self.target_names.look_up(number)  # a failure leaves the number alone
        return redirect

    # -- voicemail and fax --------------------------------------------------------------------

    async def voicemail_audio(self, voicemail_id: str) -> bytes:
        return await self.pbx.voicemail_audio(voicemail_id)

    async def mark_heard(self, voicemail_id: str) -> None:
        await self.pbx.mark_heard(voicemail_id)
        await self.reload_voicemail()

    async def delete_voicemail(self, voicemail_id: str) -> None:
        await self.pbx.delete_voicemail(voicemail_id)
        await self.reload_voicemail()

    async def fax_pdf(self, fax: ReceivedFax) -> bytes:
        return await self.pbx.fax_pdf(fax)

    async def send_fax(self, pdf: Path, text: str, title: str = "") -> str:
        number = self.parse(text).destination
        job = await self.pbx.send_fax(pdf, number, title)
        await self.reload_faxes()
        return job

"""The one way from the UI to the PBX: a thin Qt adapter over the session core.

The session (`companion.session`, no Qt) polls the PBX, keeps the state as read back
from it and each feature's availability, and announces changes as events; the
controller turns those events into Qt signals, runs backend calls on the asyncio loop
(qasync puts it on Qt's) and turns every failure into words. Widgets call its
coroutines through `spawn()` and listen to its signals; they never see httpx.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from companion import numbers
from companion.favourites import Favourite
from companion.pbx import errors
from companion.pbx.features import Feature, FeatureState
from companion.pbx.models import (
    Account,
    Call,
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
from companion.pinned_favourites import PinnedFavourites
from companion.session import Event, Session, targets, tones

if TYPE_CHECKING:
    from companion.directory import Directory
    from companion.local_directory import LocalDirectory

log = logging.getLogger(__name__)
STOP_TIMEOUT = 10.0  # seconds a quit waits for a directory sync to stop

ErrorHandler = Callable[[str], None]


def message_for(exc: BaseException) -> str:
    """The words a user sees for a failure; a bug gets a short line, never a traceback."""
    from companion.config import ConfigError
    from companion.credentials import CredentialError

    if isinstance(exc, (errors.PbxError, numbers.NumberError, ConfigError, CredentialError)):
        return str(exc)
    return f"Something went wrong inside Companion ({type(exc).__name__}). Please try again."


def _state_property(name: str) -> Any:
    """A read-only attribute that shows the session's state field `name`."""
    return property(lambda self: getattr(self.session.state, name))


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
    features_changed = Signal(dict)  # dict[Feature, FeatureState]: every feature's state
    failed = Signal(str)  # background work failed: a sentence for the user
    call_event = Signal(object)  # CallEvent: a call rang, was answered, held, ended, missed
    calls_changed = Signal(list)  # list[Call]: the user's live calls, after any change
    missed_calls_changed = Signal(int)  # missed calls the user has not looked at yet
    directory_changed = Signal()  # the local directory: searchable, progress, its note
    favourites_changed = Signal()  # pinned, unpinned, moved, renamed, or their presence

    # The state as read back from the PBX (the session holds it).
    reachable: bool | None = _state_property("reachable")  # None until the first answer
    unreachable_reason: str = _state_property("unreachable_reason")
    account: Account | None = _state_property("account")
    profiles: list[Profile] = _state_property("profiles")
    queues: list[QueueMembership] = _state_property("queues")
    redirect: Redirect | None = _state_property("redirect")
    switches: list[Switch] = _state_property("switches")
    voicemail_counts: VoicemailCounts | None = _state_property("voicemail_counts")
    voicemails: list[Voicemail] = _state_property("voicemails")
    received_faxes: list[ReceivedFax] = _state_property("received_faxes")
    sent_faxes: list[SentFax] = _state_property("sent_faxes")
    history: list[CallRecord] = _state_property("history")

    def __init__(
        self,
        pbx: Pbx,
        *,
        region: str | None = None,
        poll_interval: float = 30.0,
        live_interval: float = 2.0,
        directory: Directory | None = None,
        sync_interval: timedelta = timedelta(hours=4),
        favourites: Sequence[Favourite] = (),
        save_favourites: Callable[[tuple[Favourite, ...]], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pbx = pbx
        self.region = region
        self.session = Session(
            pbx, poll_interval=poll_interval, live_interval=live_interval, region=region
        )
        self.target_names = self.session.target_names
        self._tasks: set[asyncio.Task[Any]] = set()
        for event, signal in (
            (Event.CONNECTION, self.connection_changed),
            (Event.ACCOUNT, self.account_changed),
            (Event.PROFILES, self.profiles_changed),
            (Event.QUEUES, self.queues_changed),
            (Event.REDIRECT, self.redirect_changed),
            (Event.SWITCHES, self.switches_changed),
            (Event.VOICEMAIL, self.voicemail_changed),
            (Event.FAXES, self.faxes_changed),
            (Event.HISTORY, self.history_changed),
            (Event.NEW_VOICEMAIL, self.new_voicemail),
            (Event.NEW_FAX, self.new_fax),
            (Event.FEATURES, self.features_changed),
            (Event.FAILED, self.failed),
            (Event.CALL, self.call_event),
            (Event.CALLS, self.calls_changed),
            (Event.MISSED_CALLS, self.missed_calls_changed),
        ):
            self.session.subscribe(event, signal.emit)
        # The local directory index (None: every search and caller name asks the PBX).
        self.directory: LocalDirectory | None = None
        if directory is not None:
            from companion.local_directory import LocalDirectory

            self.directory = LocalDirectory(directory, pbx, sync_interval, self)
            self.directory.changed.connect(self.directory_changed.emit)
            self.directory.failed.connect(self.failed.emit)
            self.session.subscribe(Event.HISTORY, self._recent_for_directory)
        # The user's favourites, in order; `save_favourites` keeps them in the settings
        # (None: in memory only).
        self.favourites = PinnedFavourites(
            favourites,
            pbx,
            save=save_favourites,
            changed=self.favourites_changed.emit,
            directory=self.directory,
        )
        if self.directory is not None:
            self.directory.changed.connect(self.favourites.refresh)

    def _recent_for_directory(self, history: list[CallRecord]) -> None:
        """Recently called contacts rank first in the index's results."""
        if self.directory is not None:
            self.directory.set_recent([record.number for record in history if record.number])

    @property
    def poll_interval(self) -> float:
        """Seconds between full reads while live calls do not work (else a safety net)."""
        return self.session.poll_interval

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self.session.poll_interval = seconds

    @property
    def live_interval(self) -> float:
        """Seconds between looks at the user's live calls."""
        return self.session.live.interval

    @live_interval.setter
    def live_interval(self, seconds: float) -> None:
        self.session.live.interval = seconds

    # -- live calls -------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """The user's live calls as last seen, oldest first."""
        return self.session.live.calls

    @property
    def missed_calls(self) -> int:
        """Missed calls since the user last opened Recent calls."""
        return self.session.live.missed

    def seen_missed_calls(self) -> None:
        self.session.live.seen_missed()

    # -- features -----------------------------------------------------------------------

    def offers(self, feature: Feature) -> bool:
        """Whether this PBX offers `feature` at all (the faces hide what it does not)."""
        return self.session.features.offers(feature)

    def feature_state(self, feature: Feature) -> FeatureState:
        """How `feature` worked at its last read: available, unavailable or failing."""
        return self.session.feature(feature)

    def feature_states(self) -> dict[Feature, FeatureState]:
        return self.session.features.states()

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
                self.session.keeper.set_reachable(False, text)

        task.add_done_callback(finished)
        return task

    def start(self) -> None:
        """Start polling (the first poll runs at once) and keeping the directory fresh."""
        self.session.start()
        if self.directory is not None:
            self.directory.start()

    def update_directory(self) -> None:
        """Sync the local directory now (the user asked); a no-op without one."""
        if self.directory is not None:
            self.directory.sync_now()

    def refresh_soon(self) -> None:
        """Poll now instead of waiting for the interval (e.g. when a menu opens)."""
        self.session.refresh_soon()

    async def stop(self) -> None:
        """Cancel polling and pending work, then close the connection (before the loop)."""
        pending = list(self._tasks)
        for task in pending:
            task.cancel()
        if self.directory is not None:
            self.directory.stop()
            await self.directory.wait(timeout=STOP_TIMEOUT)
            self.directory.directory.close()
        await self.session.stop()
        await asyncio.gather(*pending, return_exceptions=True)
        await self.pbx.close()

    # -- reading state ------------------------------------------------------------------

    async def refresh(self) -> None:
        """Read everything the tray shows; emit what changed; announce new messages."""
        await self.session.refresh()

    async def reload_voicemail(self) -> None:
        await self.session.reload_voicemail()

    async def reload_faxes(self) -> None:
        await self.session.reload_faxes()

    async def load_queues(self) -> None:
        await self.session.load_queues()

    async def load_history(self, limit: int = 10) -> list[CallRecord]:
        return await self.session.load_history(limit)

    async def _read_back(self, feature: Feature, name: str, work: Coroutine[Any, Any, Any]) -> None:
        """Show what the PBX has after a change: the state field `name`, read by `work`."""
        self.session.keeper.update(name, await self.session.features.read(feature, work))

    # -- calls ----------------------------------------------------------------------------

    def parse(self, text: str) -> numbers.DialNumber:
        return numbers.parse_dial_input(text, self.region)

    def display(self, destination: str) -> str:
        return numbers.format_for_display(destination, self.region)

    async def dial(self, text: str, device: str | None = None) -> str:
        """Dial a typed number, URI or contact number; returns the number as shown."""
        return await self.dial_number(self.parse(text), device)

    def sends_tones(self) -> bool:
        """Whether a link's tones (``;ext=``, ``;postd=``) go out after the answer: only
        while live calls work, since nothing else tells when the call is answered."""
        return self.session.live.working

    async def dial_number(
        self, number: numbers.DialNumber, device: str | None = None, *, asked: bool = False
    ) -> str:
        """Dial `number`; its tones follow as DTMF once the call is answered (where live
        calls work; otherwise `failed` says they were not sent, unless `asked`: the user
        was told so before dialling). Returns it as shown."""
        watch = None
        if number.tones and self.sends_tones():
            watch = tones.AnswerWatch(self.session.events, number.destination, self.region)
        try:
            await self.pbx.call_action(CallAction.DIAL, number.destination, device)
        except BaseException:
            if watch is not None:
                watch.close()
            raise
        finally:
            self.session.live.wake()  # show the new call at once
        shown = self.display(number.destination)
        if watch is not None:
            self.spawn(tones.send_when_answered(watch, number.tones, self._send_tones))
        elif number.tones and not asked:
            self.failed.emit(
                f"Calling {shown}. Companion cannot follow this call, so it will not send "
                f"{tones.shown(number.tones)}: key it in on your phone when the call is answered."
            )
        return shown

    async def _send_tones(self, digits: str, call: Call) -> None:
        await self.call_action(CallAction.DTMF, digits, call)

    async def call_action(
        self, action: CallAction, text: str = "", call: Call | None = None
    ) -> None:
        """Hangup, hold, transfer (to `text`), dtmf (digits in `text`), ... on `call`.

        The PBX's actions name a device, not a call: `call` says which device (the one the
        call is on); without it, the default device.
        """
        destination = ""
        if action is CallAction.TRANSFER:
            destination = self.transfer_target(text, call)
        elif action is CallAction.DTMF:
            destination = "".join(c for c in text if c in "0123456789*#")
            if not destination:
                raise numbers.NumberError("Type the digits to send (0-9, * and #).")
        try:
            await self._on_device(action, destination, call)
        finally:
            self.session.live.wake()

    async def _on_device(self, action: CallAction, destination: str, call: Call | None) -> None:
        device = call.device if call is not None and call.device else None
        try:
            await self.pbx.call_action(action, destination, device)
        except errors.NotFound:
            if device is None:
                raise
            # The live call names its device differently from the device list: the PBX
            # refused before doing anything, so the default device may take it.
            await self.pbx.call_action(action, destination)

    def _same_number(self, one: str, other: str) -> bool:
        try:
            return numbers.comparable(one, self.region) == numbers.comparable(other, self.region)
        except numbers.NumberError:
            return one == other

    async def answer(self, call: Call) -> None:
        """Answer a ringing call on the phone it rings at (pascom: `offhook`)."""
        try:
            await self.call_action(CallAction.OFFHOOK, call=call)
        except (errors.BadRequest, errors.ConflictError, errors.NotSupported):
            raise errors.NotSupported(
                "Your phone cannot answer remotely: pick it up on the phone."
            ) from None

    async def decline(self, call: Call) -> None:
        """Decline a ringing call (the caller goes on to voicemail where there is one)."""
        await self.call_action(CallAction.HANGUP, call=call)

    async def toggle_recording(self, call: Call) -> None:
        """Start or stop recording `call` (on the device it is on)."""
        await self.pbx.toggle_recording(call.device)

    async def calls_from(self, number: str, days: int = 7) -> int:
        """How often `number` called the user in the last `days` (for the call pop-up)."""
        records = await self.session.features.read(Feature.HISTORY, self.pbx.history(limit=50))
        since = datetime.now(UTC) - timedelta(days=days)
        return sum(
            1
            for record in records
            if not record.outgoing
            and record.time is not None
            and record.time >= since
            and self._same_number(record.number, number)
        )

    def transfer_target(self, text: str, call: Call | None) -> str:
        """Where a transfer of `call` to `text` goes; NumberError in words for the party
        already on the line (the UI asks before it transfers, so it checks first)."""
        destination = self.parse(text).destination
        if call is not None and self._same_number(destination, call.remote_number):
            who = call.remote_name or self.display(call.remote_number)
            raise numbers.NumberError(f"{who} is already on the line: choose someone else.")
        return destination

    # -- phonebook ------------------------------------------------------------------------

    def search_local(self, text: str, limit: int = 50) -> SearchResult | None:
        """The local index's answer at once (no request), or None: ask the PBX."""
        return self.directory.search(text, limit) if self.directory is not None else None

    async def search(self, text: str, limit: int = 50) -> tuple[SearchResult, dict[str, Presence]]:
        """The phonebook entries matching `text`, from the local index or else the PBX."""
        result = self.search_local(text, limit)
        if result is None:
            result = await self.session.features.read(
                Feature.DIRECTORY, self.pbx.search(text, limit=limit)
            )
        return result, await self.presence_of(result.contacts)

    async def presence_of(self, contacts: tuple[Contact, ...]) -> dict[str, Presence]:
        """The presence of the colleagues among `contacts` (asks the PBX)."""
        users = [c.user_name for c in contacts if c.user_name]
        return await self.pbx.presence(users) if users else {}

    async def contact_for(self, destination: str) -> Contact | None:
        """The phonebook entry a number belongs to, if any (by normalised number).

        From the local index without a request while it is usable; else the PBX is asked.
        """
        if self.directory is not None and self.directory.searchable:
            return self.directory.lookup(destination)
        return await targets.contact_for(self.pbx, destination, self.region)

    def known_name(self, number: str) -> str:
        """The phonebook name of `number` from the local index, without a request ("")."""
        contact = self.known_contact(number)
        return contact.name if contact is not None else ""

    def known_contact(self, number: str) -> Contact | None:
        """The phonebook entry of `number` from the local index, without a request."""
        if self.directory is None or not number or not self.directory.searchable:
            return None
        return self.directory.lookup(number)

    async def save_contact(self, details: ContactDetails, contact_id: str | None = None) -> Contact:
        if contact_id:
            contact = await self.pbx.update_contact(contact_id, details)
        else:
            contact = await self.pbx.create_contact(details)
        self._contacts_changed()
        return contact

    async def delete_contact(self, contact_id: str) -> None:
        await self.pbx.delete_contact(contact_id)
        self._contacts_changed()

    def _contacts_changed(self) -> None:
        if self.directory is not None:
            self.directory.contacts_changed()

    # -- presence, queues, redirect, switches ------------------------------------------------

    async def activate_profile(self, profile_id: str) -> None:
        await self.pbx.activate_profile(profile_id)
        await self._read_back(Feature.PRESENCE, "profiles", self.pbx.profiles())

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
        redirect = await self.session.name_redirect(await self.pbx.set_redirect(target))
        self.session.keeper.update("redirect", redirect)

    async def redirect_off(self) -> None:
        redirect = await self.session.name_redirect(await self.pbx.redirect_off())
        self.session.keeper.update("redirect", redirect)

    async def redirect_on(self) -> None:
        redirect = await self.session.name_redirect(await self.pbx.redirect_on())
        self.session.keeper.update("redirect", redirect)

    async def resolve_target(self, text: str) -> list[targets.Target]:
        """A typed number, extension or name as redirect targets (several: let the user pick)."""
        return await targets.resolve(self.pbx, text, self.region)

    def target_label(self, number: str) -> str:
        """A redirect target as the user knows it: "Tina Sander (221)", else the number."""
        return targets.label(self.target_names.name(number), self.display(number))

    async def set_switch(self, extension: str, on: bool) -> None:
        try:
            await self.pbx.set_switch(extension, on)
        finally:  # show the state the PBX has, also after a refusal
            await self._read_back(Feature.SWITCHES, "switches", self.pbx.switches())

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

    async def fax_attribution(self) -> str:
        """What the sent-fax list can show, in words ("" when it shows all the user's)."""
        attribution = getattr(self.pbx, "fax_attribution", None)  # a pascom detail
        return await attribution() if attribution is not None else ""

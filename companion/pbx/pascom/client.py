"""The pascom backend: implements the `Pbx` protocol over pascom's REST API for one user."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from companion.pbx import errors
from companion.pbx.features import ALL_FEATURES, Feature
from companion.pbx.models import (
    Account,
    Call,
    CallAction,
    CallRecord,
    Contact,
    ContactDetails,
    Device,
    NumberInfo,
    PbxUser,
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
from companion.pbx.pascom import call_records, live, mapping, people, status
from companion.pbx.pascom.answers import (
    DEFAULT_TIMEOUT,
    LIVE_CALLS,
    NO_DEFAULT_DEVICE_MAYBE,
    call_action_request,
    no_such_device,
    path,
    unsure,
)
from companion.pbx.pascom.http import Wire
from companion.pbx.pascom.inbox import Inbox
from companion.pbx.pascom.phonebook import USER_DIRECTORY_TTL, Phonebook
from companion.sent_faxes import SentFaxMemory

ACCOUNT_REUSE = 2.0  # seconds a user record read for one purpose serves another
# In identity/ (the list) but not in the reference's identity/{user} example.
LISTED_ONLY = ("016voi_mailbox", "016voi_email", "faxextension")


class PascomPbx:
    """A pascom PBX as seen by one user (`user` is the 003use_name)."""

    # pascom's REST API has every feature; what this user may use shows when it is read.
    capabilities: frozenset[Feature] = ALL_FEATURES

    def __init__(
        self,
        base_url: str,
        rest_user: str,
        password: str,
        user: str,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        sent_faxes: SentFaxMemory | None = None,
        deadline: float | None = None,
    ) -> None:
        self.user = user
        self.wire = Wire(
            base_url,
            rest_user,
            password,
            ca_file=ca_file,
            timeout=timeout,
            transport=transport,
            deadline=deadline,
        )
        # The faxes scheduled from here (in memory only unless the app passes a file).
        self.sent_here = sent_faxes or SentFaxMemory(f"{self.wire.base} {user}")
        self._me: Account | None = None
        self._me_at = 0.0  # when _me was read (time.monotonic())
        self._device_cache: tuple[float, frozenset[str]] | None = None
        self._refused_switches: set[str] = set()  # changes the PBX refused this session
        self.phonebook = Phonebook(self.wire, user)
        self.inbox = Inbox(self.wire, self._account, self.sent_here)

    async def close(self) -> None:
        await self.wire.close()

    async def __aenter__(self) -> PascomPbx:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the user and their devices ---------------------------------------------------

    async def account(self) -> Account:
        """Fetch the user afresh (and remember it for the calls that need its ids)."""
        try:
            raw = await self.wire.get_json(path("identity", self.user))
        except errors.NotFound:
            raise errors.NotFound(
                f"The PBX has no user '{self.user}'. Check the login name: "
                "companion config pbx.user LOGIN"
            ) from None
        if raw is None:
            raise errors.NotFound(f"The PBX has no user '{self.user}'.")
        if isinstance(raw, dict) and any(key not in raw for key in LISTED_ONLY):
            raw = {**await self._listed_fields(), **raw}
        self._me = people.account(raw)
        self._me_at = time.monotonic()
        return self._me

    async def users(self) -> list[PbxUser]:
        """The PBX's users (identity/), to pick the one Companion acts for."""
        return people.users(await self.wire.get_json("identity/"))

    async def _listed_fields(self) -> dict[str, Any]:
        """Mailbox, e-mail and fax extension from identity/, for a record without them.

        The reference's identity/{user} example lacks them, its identity/ example has them.
        Only a nicety: without them, voicemail uses the extension as mailbox and faxes are
        attributed by device owner and by what was sent from here.
        """
        try:
            payload = await self.wire.get_json("identity/")
        except (errors.PermissionDenied, errors.NotFound, errors.UnexpectedResponse):
            return {}
        for user in mapping.records(payload, "identity/"):
            if user.text("003use_name") == self.user:
                return {key: user.get(key) for key in LISTED_ONLY if user.get(key) is not None}
        return {}

    async def _account(self) -> Account:
        return self._me or await self.account()

    async def devices(self) -> list[Device]:
        payload = await self.wire.get_json(path("identity", self.user, "device"))
        try:
            default = await self._default_device_raw()
        except (errors.PermissionDenied, errors.UnexpectedResponse):
            # The default mark is extra: a refused or broken probe must not hide the list.
            default = None
        default_name = mapping.text(default.get("010dev_bez")) if default else ""
        return people.devices(payload, default_name)

    async def _default_device_raw(self) -> dict[str, Any] | None:
        try:
            raw = await self.wire.get_json(path("identity", self.user, "defaultdevice"))
        except (errors.NotFound, errors.ConflictError, errors.BadRequest):
            return None
        return raw if isinstance(raw, dict) and raw else None

    async def default_device(self) -> Device:
        raw = await self._default_device_raw()
        if raw is None:
            raise errors.NoDefaultDevice()
        device = people.device(mapping.Fields(raw, "identity/{user}/defaultdevice"))
        return Device(
            device.name, device.caption, device.kind, device.extension, device.capabilities, True
        )

    async def call_action(
        self, action: CallAction, destination: str = "", device: str | None = None
    ) -> None:
        url, body, done = call_action_request(self.user, action, destination, device)
        try:
            await self.wire.act(url, body, unconfirmed=done)
        except errors.NotFound:
            if device:
                raise no_such_device(self.user, device) from None
            await self._unless_no_default_device()
            raise
        except NO_DEFAULT_DEVICE_MAYBE:
            if not device:
                await self._unless_no_default_device()
            raise

    async def _unless_no_default_device(self) -> None:
        """Raise NoDefaultDevice if the user has none (why an action was refused)."""
        if await self._default_device_raw() is None:
            raise errors.NoDefaultDevice() from None

    # -- phonebook (`Phonebook`) and colleagues -----------------------------------------

    async def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        return await self.phonebook.search(text, limit, offset)

    async def directory_page(
        self, offset: int, limit: int, private_only: bool = False
    ) -> SearchResult:
        return await self.phonebook.directory_page(offset, limit, private_only)

    async def create_contact(self, details: ContactDetails) -> Contact:
        return await self.phonebook.create_contact(details)

    async def update_contact(self, contact_id: str, details: ContactDetails) -> Contact:
        return await self.phonebook.update_contact(contact_id, details)

    async def delete_contact(self, contact_id: str) -> None:
        await self.phonebook.delete_contact(contact_id)

    async def resolve(self, number: str) -> NumberInfo:
        return await self.phonebook.resolve(number)

    async def presence(self, user_names: list[str]) -> dict[str, Presence]:
        if not user_names:
            return {}
        # The reference's table names the parameter `key`, its example `keys`: send both.
        names = ",".join(user_names)
        payload = await self.wire.get_json("identity/states", {"keys": names, "key": names})
        return status.presence(payload, user_names)

    # -- presence profiles and queues ---------------------------------------------------

    async def profiles(self) -> list[Profile]:
        # The active profile is in the user record: reuse one read a moment ago (a poll
        # reads the account first), else read it afresh.
        recent = self._me if time.monotonic() - self._me_at < ACCOUNT_REUSE else None
        me, payload = await asyncio.gather(
            self._given(recent) if recent else self.account(),
            self.wire.get_json(path("identity", self.user, "profile")),
        )
        return status.profiles(payload, me.active_profile_id)

    @staticmethod
    async def _given(account: Account) -> Account:
        return account

    async def activate_profile(self, profile_id: str) -> Profile:
        url = path("identity", self.user, "profile", profile_id, "activate")
        self._me_at = 0.0  # the read-back below must see the new active profile
        done = unsure("switched your presence profile", "your presence")
        try:
            await self.wire.act(url, unconfirmed=done)
        except errors.NotFound:
            raise errors.NotFound(f"The PBX has no profile {profile_id} for you.") from None
        except errors.UnexpectedResponse:
            # The reference's heading says PUT, its example POST: try the other one (the
            # PBX refused the POST; an unanswered one is not tried again).
            await self.wire.act(url, method="PUT", unconfirmed=done)
        for profile in await self.profiles():
            if profile.id == profile_id:
                if not profile.active:
                    raise errors.UnexpectedResponse(
                        "The PBX accepted the profile change but still reports another profile."
                    )
                return profile
        raise errors.NotFound(f"The PBX has no profile {profile_id} for you.")

    async def queues(self) -> list[QueueMembership]:
        me = await self._account()
        payload = await self.wire.get_json("queue/")
        result = []
        for name in status.queue_names(payload):
            try:
                detail = await self.wire.get_json(path("queue", name))
            except errors.NotFound:  # a name the list has but the PBX cannot show
                mapping.unreadable("queue/", "a queue name the PBX does not know (skipped)")
                continue
            member = status.queue_membership(detail, self.user, me.display_name)
            if member:
                result.append(member)
        return result

    async def _queue_action(self, body: dict[str, str], doing: str) -> None:
        body = {"action": body["action"], "identity": self.user, **body}
        try:
            done = unsure(f"done what you asked ({doing})", "your queue status")
            answer = await self.wire.act("queue/action", body, unconfirmed=done)
        except errors.NotFound:
            raise errors.NotFound("You are not an agent of any queue on this PBX.") from None
        # Queue actions answer in AMI style: a refusal may come with HTTP 200.
        refusal = status.action_refusal(answer)
        if refusal is not None:
            raise errors.ConflictError(f"The PBX refused to {doing}: {refusal}")

    async def queue_login(self) -> None:
        await self._queue_action({"action": "login", "penalty": "0"}, "log you in to the queues")

    async def queue_logout(self) -> None:
        await self._queue_action({"action": "logout", "penalty": "0"}, "log you out of the queues")

    async def queue_pause(self, reason: str = "") -> None:
        # As the reference shows it: {"action": "pause", "identity": ..., "reason": "lunch"}.
        body = {"action": "pause"}
        if reason:
            body["reason"] = reason
        doing = f"pause you ({reason})" if reason else "pause you"
        await self._queue_action(body, doing)

    async def queue_unpause(self) -> None:
        await self._queue_action({"action": "unpause"}, "end your pause")

    # -- call forwarding and extension switches -----------------------------------------

    async def _extension(self) -> str:
        """The user's extension: a redirect is of it (without one, `redirect/` is the list)."""
        me = await self._account()
        if not me.extension:
            raise errors.NoExtension()
        return me.extension

    async def redirect(self) -> Redirect:
        extension = await self._extension()
        return status.redirect(await self.wire.get_json("redirect/"), extension)

    async def set_redirect(self, target: str) -> Redirect:
        extension = await self._extension()
        await self.wire.act(
            path("redirect", extension),
            {"target": target},
            unconfirmed=unsure("changed your redirect", "your redirect"),
        )
        return await self.redirect()

    async def redirect_off(self) -> Redirect:
        # The reference does not say how to switch a redirect off: an empty target does it.
        return await self.set_redirect("")

    async def redirect_on(self) -> Redirect:
        current = await self.redirect()
        if current.active:
            return current
        if not current.previous_target:
            raise errors.ConflictError(
                "There is no earlier redirect target to switch back on. Set one: "
                "companion redirect NUMBER"
            )
        return await self.set_redirect(current.previous_target)

    async def switches(self) -> list[Switch]:
        payload = await self.wire.get_json("condition/switch")
        return status.switches(payload, frozenset(self._refused_switches), self._own_words())

    async def set_switch(self, extension: str, on: bool) -> Switch:
        me = await self._account()
        url = path("condition", "switch", extension)
        try:
            await self.wire.act(
                url,
                {"039swi_state": on, "003use_id": me.id},
                unconfirmed=unsure("changed the switch", "the switch"),
            )
        except errors.NotFound:
            raise errors.NotFound(f"The PBX has no extension switch {extension}.") from None
        except errors.PermissionDenied:
            # The listing does not say who may change a switch: remember the refusal.
            self._refused_switches.add(extension)
            raise errors.PermissionDenied(
                f"You may not change the switch {await self._switch_name(extension)} "
                "(the PBX refused it)."
            ) from None
        for switch in await self._switch(url):
            if switch.extension == extension:
                return switch
        raise errors.NotFound(f"The PBX has no extension switch {extension}.")

    async def _switch(self, url: str) -> list[Switch]:
        payload = await self.wire.get_json(url)
        return status.switches(payload, frozenset(self._refused_switches), self._own_words())

    def _own_words(self) -> list[str]:
        """What names the user in a switch's name: login, display name, extension."""
        me = self._me
        return [self.user] if me is None else [self.user, me.display_name, me.extension]

    async def _switch_name(self, extension: str) -> str:
        """'Nightmode' in quotes for a message; the extension only if the PBX gives no name."""
        try:
            found = await self._switch(path("condition", "switch", extension))
        except errors.PbxError:
            found = []
        names = [s.name for s in found if s.extension == extension and s.name != extension]
        return f"'{names[0]}'" if names else f"at extension {extension}"

    # -- voicemail and fax (`Inbox`) ----------------------------------------------------

    async def voicemail_counts(self) -> VoicemailCounts:
        return await self.inbox.voicemail_counts()

    async def voicemails(self, folder: str = "*", limit: int = 100) -> list[Voicemail]:
        return await self.inbox.voicemails(folder, limit)

    async def voicemail_audio(self, voicemail_id: str) -> bytes:
        return await self.inbox.voicemail_audio(voicemail_id)

    async def mark_heard(self, voicemail_id: str) -> None:
        await self.inbox.mark_heard(voicemail_id)

    async def delete_voicemail(self, voicemail_id: str) -> None:
        await self.inbox.delete_voicemail(voicemail_id)

    async def received_faxes(self) -> list[ReceivedFax]:
        return await self.inbox.received_faxes()

    async def sent_faxes(self) -> list[SentFax]:
        return await self.inbox.sent_faxes()

    async def fax_pdf(self, fax: ReceivedFax) -> bytes:
        return await self.inbox.fax_pdf(fax)

    async def send_fax(self, pdf: Path, number: str, title: str = "") -> str:
        return await self.inbox.send_fax(pdf, number, title)

    async def fax_attribution(self) -> str:
        return await self.inbox.fax_attribution()

    # -- history --------------------------------------------------------------------------

    async def history(self, limit: int = 20) -> list[CallRecord]:
        me = await self._account()
        outgoing, incoming = await asyncio.gather(
            self.wire.get_json("cdr/", {"srcusername": me.login, "limit": limit, "order": "desc"}),
            self.wire.get_json("cdr/", {"dstusername": me.login, "limit": limit, "order": "desc"}),
        )
        return call_records.history(outgoing, incoming, me.login, me.extension)[:limit]

    # -- live calls -----------------------------------------------------------------------

    async def live_calls(self) -> list[Call]:
        """The user's active calls (all of the PBX's are listed; 204 when there are none).

        Sides are matched by user name, extension or one of the user's devices; the device
        names are read once and then every few minutes (they rarely change).
        """
        me = await self._account()
        payload, devices = await asyncio.gather(
            self.wire.get_json("cdr/live", limits=LIVE_CALLS), self._device_names()
        )
        return live.live_calls(payload, me, devices, datetime.now(UTC))

    async def live_payload(self) -> Any:
        """The PBX's whole `cdr/live` listing (every user's calls): one read that a relay
        splits per user with `live_calls_in`."""
        return await self.wire.get_json("cdr/live", limits=LIVE_CALLS)

    async def live_calls_in(self, payload: Any) -> list[Call]:
        """The user's calls in a listing `live_payload` read."""
        me = await self._account()
        return live.live_calls(payload, me, await self._device_names(), datetime.now(UTC))

    async def toggle_recording(self, device: str = "") -> None:
        """Start or stop recording the user's active call (on `device`, if given).

        The reference's user action takes `deviceName` (and optionally the SIP call id and
        channel, which only the PBX's own console shows); without it, the active call.
        """
        body = {"action": "ToggleRecording"}
        if device:
            body["deviceName"] = device
        await self.wire.act(
            path("identity", self.user, "action"),
            body,
            unconfirmed=unsure("started or stopped the recording", "your call"),
        )

    async def _device_names(self) -> frozenset[str]:
        now = time.monotonic()
        if self._device_cache and now - self._device_cache[0] < USER_DIRECTORY_TTL:
            return self._device_cache[1]
        try:
            payload = await self.wire.get_json(path("identity", self.user, "device"))
        except errors.PbxError:  # unreachable or refused: match by name and extension only
            return self._device_cache[1] if self._device_cache else frozenset()
        names = frozenset(d.name for d in people.devices(payload) if d.name)
        self._device_cache = (now, names)
        return names

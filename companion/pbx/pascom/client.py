"""The pascom backend: implements the `Pbx` protocol over pascom's REST API for one user."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import httpx

from companion import fax_document
from companion.files import open_regular
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
from companion.pbx.pascom import call_records, inbox_records, live, mapping, people, status
from companion.pbx.pascom.answers import (
    DEFAULT_TIMEOUT,
    DOWNLOAD_TIMEOUT,
    FAX_PDF,
    FAX_UPLOAD,
    LIVE_CALLS,
    NO_DEFAULT_DEVICE_MAYBE,
    VOICEMAIL_AUDIO,
    Answer,
    call_action_request,
    no_such_device,
    path,
    unsure,
)
from companion.pbx.pascom.http import Wire
from companion.sent_faxes import SentFaxMemory

USER_DIRECTORY_TTL = 300.0  # seconds the extension -> login map is reused
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
        self._directory: tuple[float, dict[str, str]] | None = None
        self._device_cache: tuple[float, frozenset[str]] | None = None
        self._refused_switches: set[str] = set()  # changes the PBX refused this session

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

    # -- phonebook and colleagues -------------------------------------------------------

    async def _users_by_extension(self) -> dict[str, str]:
        now = time.monotonic()
        if self._directory and now - self._directory[0] < USER_DIRECTORY_TTL:
            return self._directory[1]
        directory = people.users_by_extension(await self.wire.get_json("identity/"))
        self._directory = (now, directory)
        return directory

    async def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        params: dict[str, str | int] = {"scope": "all", "limit": limit, "offset": offset}
        if text.strip():
            params["search"] = text.strip()
        return await self._phonebook(params, offset)

    async def directory_page(
        self, offset: int, limit: int, private_only: bool = False
    ) -> SearchResult:
        """One page of the whole phonebook (global, private and users), for the local index.

        ``private_only``: the user's own phonebook alone (the endpoint without scope=all).
        """
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if not private_only:
            params["scope"] = "all"
        return await self._phonebook(params, offset)

    async def _phonebook(self, params: dict[str, str | int], offset: int) -> SearchResult:
        payload, directory = await asyncio.gather(
            self.wire.get_json(path("phonebook", "identity", self.user), params),
            self._users_by_extension(),
        )
        if payload is None:
            return SearchResult((), 0, offset)
        entries = payload.get("entries") if isinstance(payload, dict) else payload
        contacts = tuple(people.contacts(entries, directory))
        total = (
            mapping.integer(payload.get("total"), len(contacts))
            if isinstance(payload, dict)
            else len(contacts)
        )
        return SearchResult(contacts, max(total, len(contacts)), offset)

    async def presence(self, user_names: list[str]) -> dict[str, Presence]:
        if not user_names:
            return {}
        # The reference's table names the parameter `key`, its example `keys`: send both.
        names = ",".join(user_names)
        payload = await self.wire.get_json("identity/states", {"keys": names, "key": names})
        return status.presence(payload, user_names)

    async def create_contact(self, details: ContactDetails) -> Contact:
        body = people.contact_body(details, self.user)
        answer = await self.wire.act(
            path("phonebook", "identity", self.user),
            body,
            unconfirmed=unsure("created the entry", "the phonebook"),
        )
        if isinstance(answer, dict) and mapping.text(answer.get("id")):
            return await self._contact(mapping.text(answer.get("id")))
        # The reference shows no answer to a create: find the new entry by its name.
        found = await self.search(body["displayname"], limit=50)
        mine = [c for c in found.contacts if c.source.value == "private"]
        if not mine:
            raise errors.UnexpectedResponse("The PBX did not confirm the new phonebook entry.")
        return max(mine, key=lambda c: mapping.integer(c.id))

    async def _contact(self, contact_id: str) -> Contact:
        raw = await self.wire.get_json(path("phonebook", contact_id))
        if not isinstance(raw, dict):
            raise errors.NotFound("The phonebook entry no longer exists.")
        entry = mapping.Fields(raw, "phonebook/{id}")
        return people.contact(entry, await self._users_by_extension())

    async def update_contact(self, contact_id: str, details: ContactDetails) -> Contact:
        body = people.contact_body(details, self.user)
        try:
            await self.wire.act(
                path("phonebook", contact_id),
                body,
                unconfirmed=unsure("changed the entry", "the phonebook"),
            )
        except errors.NotFound:
            raise errors.NotFound("The phonebook entry no longer exists.") from None
        return await self._contact(contact_id)

    async def delete_contact(self, contact_id: str) -> None:
        try:
            await self.wire.act(
                path("phonebook", contact_id),
                method="DELETE",
                unconfirmed=unsure("deleted the entry", "the phonebook"),
            )
        except errors.NotFound:
            raise errors.NotFound("The phonebook entry no longer exists.") from None

    async def resolve(self, number: str) -> NumberInfo:
        payload = await self.wire.get_json("extension/", {"target": number})
        for found in mapping.records(payload, "extension/"):
            if found.text("009ext_extension"):
                return NumberInfo(number, True, found.text("text"))
        return NumberInfo(number, False)

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

    # -- voicemail ------------------------------------------------------------------------

    async def _mailbox(self) -> str:
        me = await self._account()
        if not me.mailbox:
            raise errors.NotFound("Your user has no voicemail box on this PBX.")
        return me.mailbox

    async def voicemail_counts(self) -> VoicemailCounts:
        """New = the messages in INBOX, old = those in Old: two HEADs, each read by
        `x-voicemail-count` (the count of the folder asked for).

        The reference's only HEAD example answers `x-voicemail-count: 1` with
        `-inbox: 0, -old: 0` although its last message is in INBOX, so the per-folder
        headers cannot be trusted on their own (docs/pbx-assumptions.md, "Voicemail counts").
        """
        mailbox = await self._mailbox()
        inbox, old = await asyncio.gather(
            self.wire.request("HEAD", path("voicemailbox", mailbox, "INBOX")),
            self.wire.request("HEAD", path("voicemailbox", mailbox, "Old")),
        )
        return inbox_records.voicemail_counts(inbox.headers, old.headers)

    async def voicemails(self, folder: str = "*", limit: int = 100) -> list[Voicemail]:
        mailbox = await self._mailbox()
        payload = await self.wire.get_json(path("voicemailbox", mailbox, folder), {"limit": limit})
        return inbox_records.voicemails(payload)

    async def voicemail_audio(self, voicemail_id: str) -> bytes:
        mailbox = await self._mailbox()
        segments = ("voicemailbox", mailbox, "*", voicemail_id)
        try:
            response = await self.wire.request(
                "GET",
                self.wire.assets + path(*segments),
                accept="audio/x-wav",
                timeout=DOWNLOAD_TIMEOUT,
                limits=VOICEMAIL_AUDIO,
                what="the voicemail recording",
            )
        except (errors.NotFound, errors.PermissionDenied, errors.AuthenticationError):
            # The asset path may want a token (the reference's asset URLs carry one) and
            # refuse the REST password: that is no wrong password. The reference also
            # shows the download under services/, where Basic auth is the credential.
            response = await self._not_found_as_gone(
                self.wire.request(
                    "GET",
                    path(*segments),
                    accept="audio/x-wav",
                    timeout=DOWNLOAD_TIMEOUT,
                    limits=VOICEMAIL_AUDIO,
                    what="the voicemail recording",
                )
            )
        if not response.content.startswith(b"RIFF"):
            raise errors.UnexpectedResponse("The PBX sent something that is not a WAV recording.")
        return response.content

    async def _not_found_as_gone(self, pending: Any) -> Answer:
        try:
            response: Answer = await pending
        except errors.NotFound:
            raise errors.NotFound("This voicemail no longer exists.") from None
        return response

    async def mark_heard(self, voicemail_id: str) -> None:
        mailbox = await self._mailbox()
        await self._not_found_as_gone(
            self.wire.act(
                path("voicemailbox", mailbox, "*", voicemail_id),
                {"action": "move", "targetfolder": "Old"},
                unconfirmed=unsure("marked the message heard", "your voicemail"),
            )
        )

    async def delete_voicemail(self, voicemail_id: str) -> None:
        mailbox = await self._mailbox()
        await self._not_found_as_gone(
            self.wire.act(
                path("voicemailbox", mailbox, "*", voicemail_id),
                method="DELETE",
                unconfirmed=unsure("deleted the message", "your voicemail"),
            )
        )

    # -- fax ------------------------------------------------------------------------------

    async def received_faxes(self) -> list[ReceivedFax]:
        me = await self._account()
        return inbox_records.received_faxes(await self.wire.get_json("faxserver/received"), me)

    async def sent_faxes(self) -> list[SentFax]:
        """The user's: those sent from here, and those notifying the user's e-mail address.

        Without an e-mail address in the user record only the faxes sent from this
        computer can be told apart from the other users' (see `fax_attribution`).
        """
        me = await self._account()
        payload = await self.wire.get_json("faxserver/done")
        return inbox_records.sent_faxes(payload, me, self.sent_here.ids())

    async def fax_pdf(self, fax: ReceivedFax) -> bytes:
        if not fax.pdf_url:
            raise errors.NotFound("The PBX offers no PDF for this fax.")
        url = self.wire.absolute(fax.pdf_url)
        response = await self.wire.request(
            "GET",
            url,
            accept="application/pdf",
            timeout=DOWNLOAD_TIMEOUT,
            limits=FAX_PDF,
            what="the fax PDF",
        )
        if not response.content.startswith(b"%PDF"):
            raise errors.UnexpectedResponse("The PBX sent something that is not a PDF.")
        return response.content

    async def send_fax(self, pdf: Path, number: str, title: str = "") -> str:
        """Prepare, upload (the URL lives 30 s; re-prepared once if it expired), schedule.

        The upload is streamed from the file. Callers check the PDF first with
        `companion.fax_document.check` (pages, password); here only what the wire needs.
        """
        try:
            handle = open_regular(pdf, fax_document.MAX_BYTES)
        except OSError as exc:
            raise errors.BadRequest(f"{pdf.name} cannot be read: {exc.strerror or exc}.") from None
        with handle:
            if not handle.read(5).startswith(b"%PDF"):
                raise errors.BadRequest(f"{pdf.name} is not a PDF file.")
            fax_id = await self._upload_fax(pdf.name, handle)
        me = await self._account()
        # Only the reference's fields: a `sender` a PBX may drop would attribute nothing.
        body = {"action": "send", "fax": number, "tag": title or pdf.stem, "prefix": "auto"}
        if me.email:
            body["notify"] = me.email  # the transmission report goes to the user
        answer = await self.wire.act(
            path("faxserver", "waiting", fax_id),
            body,
            unconfirmed=unsure("scheduled the fax", "the sent faxes", "send it again"),
        )
        lines = answer if isinstance(answer, list) else [answer]
        job = fax_id
        for line in lines:
            match = re.search(r"request id is (\d+)", mapping.text(line))
            if match:
                job = match.group(1)
                break
        self.sent_here.remember(job)  # never fails: the PBX has scheduled the fax
        return job

    async def fax_attribution(self) -> str:
        """What the sent-fax list can show, in words ("" when it can show all)."""
        me = await self._account()
        if me.email:
            return ""
        return (
            "The PBX gives no e-mail address for your user, so only the faxes sent from "
            "this computer are shown as yours."
        )

    async def _upload_fax(self, name: str, document: BinaryIO) -> str:
        for _attempt in range(2):
            fax_id = f"companion-{secrets.token_hex(6)}"
            prepared = await self.wire.get_json(path("faxserver", "prepare", fax_id))
            url = mapping.text(prepared.get("url")) if isinstance(prepared, dict) else ""
            if not url:
                raise errors.UnexpectedResponse("The PBX did not give an upload address.")
            upload_url = self.wire.absolute(url)
            # No check of `expires` against our clock: desktop and PBX clocks may differ.
            try:
                await self.wire.request(
                    "POST",
                    upload_url,
                    files={"filea": (name, document, "application/pdf")},
                    authenticate=False,  # the token in the URL is the credential
                    timeout=DOWNLOAD_TIMEOUT,
                    limits=FAX_UPLOAD,
                )
            except (errors.PermissionDenied, errors.AuthenticationError, errors.NotFound):
                continue  # the token was refused: the URL expired (it lives 30 s); once more
            return mapping.text(prepared.get("id")) or fax_id
        raise errors.PbxTimeout(
            "The fax upload address expired before the upload finished. "
            "Check your connection and send again."
        )

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

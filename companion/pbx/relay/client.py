"""The desktop's backend for a Companion relay: the `Pbx` protocol over the relay's API.

Each method is one operation of docs/relay-api.md; the answer is read with
`companion.pbx.wire_models`, an error is raised as the relay raised it (same class, the
relay's words). Live calls come pushed over the event stream (`pushed()`), so the session
polls nothing of its own. The relay acts as this desktop's one user: nothing here names
a user.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from companion import fax_document
from companion.files import open_regular
from companion.pbx import errors, wire_models
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
from companion.pbx.pascom.answers import (
    CALL_ACTION_DONE,
    DEFAULT_TIMEOUT,
    FAX_PDF,
    FAX_UPLOAD,
    VOICEMAIL_AUDIO,
    unsure,
)
from companion.pbx.protocol import Pushed
from companion.pbx.relay.wire import RelayWire, path, read, read_list, unreadable


class RelayPbx:
    """The PBX behind a Companion relay, as this desktop's one user sees it."""

    def __init__(
        self,
        relay_url: str,
        token: str,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float | None = None,
    ) -> None:
        self.wire = RelayWire(
            relay_url, token, ca_file=ca_file, timeout=timeout, transport=transport,
            deadline=deadline,
        )  # fmt: skip
        self._token = token
        # What the relay's PBX offers, as it said last (all until asked: the account read
        # that every session starts with asks).
        self._capabilities: frozenset[Feature] = ALL_FEATURES

    @property
    def capabilities(self) -> frozenset[Feature]:
        return self._capabilities

    async def close(self) -> None:
        await self.wire.close()

    async def __aenter__(self) -> RelayPbx:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def pushed(self) -> AsyncIterator[Pushed]:
        """The relay's events for as long as the connection lives (see `stream`)."""
        from companion.pbx.relay import stream  # websockets only once calls are followed

        return stream.pushed(self.wire.base, self._token, self.wire.host, self.wire.tls)

    # -- the user and their devices -----------------------------------------------------

    async def read_capabilities(self) -> frozenset[Feature]:
        data = await self.wire.get_json("capabilities")
        try:
            offered = wire_models.features_from_json((data or {}).get("capabilities"))
        except (wire_models.WireError, AttributeError) as err:
            raise unreadable(err) from None
        self._capabilities = offered
        return offered

    async def account(self) -> Account:
        me: Account = read(Account, await self.wire.get_json("account"))
        await self.read_capabilities()
        return me

    async def users(self) -> list[PbxUser]:
        return read_list(PbxUser, await self.wire.get_json("users"))

    async def devices(self) -> list[Device]:
        return read_list(Device, await self.wire.get_json("devices"))

    async def default_device(self) -> Device:
        device: Device = read(Device, await self.wire.get_json("devices/default"))
        return device

    async def call_action(
        self, action: CallAction, destination: str = "", device: str | None = None
    ) -> None:
        again = "dial again" if action is CallAction.DIAL else "try again"
        body = {"action": action.value, "destination": destination, "device": device}
        await self.wire.act(
            "POST", "call-action", body, unconfirmed=unsure(CALL_ACTION_DONE[action], again=again)
        )

    # -- phonebook and colleagues -------------------------------------------------------

    async def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        params = {"text": text, "limit": limit, "offset": offset}
        found: SearchResult = read(SearchResult, await self.wire.get_json("search", params))
        return found

    async def directory_page(
        self, offset: int, limit: int, private_only: bool = False
    ) -> SearchResult:
        params = {"offset": offset, "limit": limit, "private_only": str(private_only).lower()}
        page: SearchResult = read(SearchResult, await self.wire.get_json("directory", params))
        return page

    async def presence(self, user_names: list[str]) -> dict[str, Presence]:
        if not user_names:
            return {}
        data = await self.wire.get_json(
            "presence", httpx.QueryParams([("user", name) for name in user_names])
        )
        try:
            return wire_models.presence_from_json(data)
        except wire_models.WireError as err:
            raise unreadable(err) from None

    async def create_contact(self, details: ContactDetails) -> Contact:
        data = await self.wire.act(
            "POST", "contacts", wire_models.to_json(details),
            unconfirmed=unsure("created the entry", "the phonebook"),
        )  # fmt: skip
        contact: Contact = read(Contact, data)
        return contact

    async def update_contact(self, contact_id: str, details: ContactDetails) -> Contact:
        data = await self.wire.act(
            "PUT", path("contacts", contact_id), wire_models.to_json(details),
            unconfirmed=unsure("changed the entry", "the phonebook"),
        )  # fmt: skip
        contact: Contact = read(Contact, data)
        return contact

    async def delete_contact(self, contact_id: str) -> None:
        await self.wire.act(
            "DELETE", path("contacts", contact_id),
            unconfirmed=unsure("deleted the entry", "the phonebook"),
        )  # fmt: skip

    async def resolve(self, number: str) -> NumberInfo:
        info: NumberInfo = read(NumberInfo, await self.wire.get_json("resolve", {"number": number}))
        return info

    # -- presence profiles and queues ---------------------------------------------------

    async def profiles(self) -> list[Profile]:
        return read_list(Profile, await self.wire.get_json("profiles"))

    async def activate_profile(self, profile_id: str) -> Profile:
        data = await self.wire.act(
            "POST", path("profiles", profile_id, "activate"),
            unconfirmed=unsure("changed your presence profile", "your profile"),
        )  # fmt: skip
        profile: Profile = read(Profile, data)
        return profile

    async def queues(self) -> list[QueueMembership]:
        return read_list(QueueMembership, await self.wire.get_json("queues"))

    async def _queue(self, what: str, doing: str, body: Any = None) -> None:
        await self.wire.act(
            "POST", path("queues", what), body, unconfirmed=unsure(doing, "your queues")
        )

    async def queue_login(self) -> None:
        await self._queue("login", "logged you in to the queues")

    async def queue_logout(self) -> None:
        await self._queue("logout", "logged you out of the queues")

    async def queue_pause(self, reason: str = "") -> None:
        await self._queue("pause", "paused you in the queues", {"reason": reason})

    async def queue_unpause(self) -> None:
        await self._queue("unpause", "ended your pause in the queues")

    # -- call forwarding and extension switches -----------------------------------------

    async def redirect(self) -> Redirect:
        found: Redirect = read(Redirect, await self.wire.get_json("redirect"))
        return found

    async def _set_redirect(self, method: str, url: str, body: Any = None) -> Redirect:
        data = await self.wire.act(
            method, url, body, unconfirmed=unsure("changed your redirect", "your redirect")
        )
        found: Redirect = read(Redirect, data)
        return found

    async def set_redirect(self, target: str) -> Redirect:
        return await self._set_redirect("PUT", "redirect", {"target": target})

    async def redirect_off(self) -> Redirect:
        return await self._set_redirect("POST", "redirect/off")

    async def redirect_on(self) -> Redirect:
        return await self._set_redirect("POST", "redirect/on")

    async def switches(self) -> list[Switch]:
        return read_list(Switch, await self.wire.get_json("switches"))

    async def set_switch(self, extension: str, on: bool) -> Switch:
        data = await self.wire.act(
            "PUT", path("switches", extension), {"on": on},
            unconfirmed=unsure("changed the switch", "the switch"),
        )  # fmt: skip
        switch: Switch = read(Switch, data)
        return switch

    # -- voicemail ----------------------------------------------------------------------

    async def voicemail_counts(self) -> VoicemailCounts:
        counts: VoicemailCounts = read(
            VoicemailCounts, await self.wire.get_json("voicemail/counts")
        )
        return counts

    async def voicemails(self, folder: str = "*", limit: int = 100) -> list[Voicemail]:
        data = await self.wire.get_json("voicemail", {"folder": folder, "limit": limit})
        return read_list(Voicemail, data)

    async def voicemail_audio(self, voicemail_id: str) -> bytes:
        answer = await self.wire.request(
            "GET", path("voicemail", voicemail_id, "audio"), limits=VOICEMAIL_AUDIO
        )
        return answer.content

    async def mark_heard(self, voicemail_id: str) -> None:
        await self.wire.act(
            "POST", path("voicemail", voicemail_id, "heard"),
            unconfirmed=unsure("marked the message heard", "your voicemail"),
        )  # fmt: skip

    async def delete_voicemail(self, voicemail_id: str) -> None:
        await self.wire.act(
            "DELETE", path("voicemail", voicemail_id),
            unconfirmed=unsure("deleted the message", "your voicemail"),
        )  # fmt: skip

    # -- fax ----------------------------------------------------------------------------

    async def received_faxes(self) -> list[ReceivedFax]:
        return read_list(ReceivedFax, await self.wire.get_json("faxes/received"))

    async def sent_faxes(self) -> list[SentFax]:
        return read_list(SentFax, await self.wire.get_json("faxes/sent"))

    async def fax_pdf(self, fax: ReceivedFax) -> bytes:
        answer = await self.wire.request(
            "GET", path("faxes", "received", fax.id, "pdf"), limits=FAX_PDF
        )
        return answer.content

    async def send_fax(self, pdf: Path, number: str, title: str = "") -> str:
        try:
            with open_regular(pdf, fax_document.MAX_BYTES) as handle:
                document = handle.read(fax_document.MAX_BYTES + 1)
        except OSError as exc:
            raise errors.BadRequest(f"{pdf.name} cannot be read: {exc.strerror or exc}.") from None
        if not document.startswith(b"%PDF"):
            raise errors.BadRequest(f"{pdf.name} is not a PDF file.")
        params = {"number": number, "title": title, "name": pdf.name}
        answer = await self.wire.request(
            "POST", "faxes/sent", params=params, content=document,
            content_type="application/pdf", limits=FAX_UPLOAD,
            unconfirmed=unsure("scheduled the fax", "the sent faxes", "send it again"),
        )  # fmt: skip
        try:
            job = json.loads(answer.content)["id"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return ""  # scheduled (2xx); only the job id was lost
        return str(job)

    async def fax_attribution(self) -> str:
        data = await self.wire.get_json("faxes/attribution")
        words = data.get("attribution", "") if isinstance(data, dict) else ""
        return words if isinstance(words, str) else ""

    # -- history and live calls ---------------------------------------------------------

    async def history(self, limit: int = 20) -> list[CallRecord]:
        return read_list(CallRecord, await self.wire.get_json("history", {"limit": limit}))

    async def live_calls(self) -> list[Call]:
        return read_list(Call, await self.wire.get_json("calls"))

    async def toggle_recording(self, device: str = "") -> None:
        await self.wire.act(
            "POST", "recording", {"device": device},
            unconfirmed=unsure("started or stopped the recording", "your call"),
        )  # fmt: skip

"""The user's voicemail box and faxes on a pascom PBX: reading, downloading, sending.

`PascomPbx` delegates its voicemail and fax methods here.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, BinaryIO

from companion import fax_document
from companion.files import open_regular
from companion.pbx import errors
from companion.pbx.models import Account, ReceivedFax, SentFax, Voicemail, VoicemailCounts
from companion.pbx.pascom import inbox_records, mapping
from companion.pbx.pascom.answers import (
    DOWNLOAD_TIMEOUT,
    FAX_PDF,
    FAX_UPLOAD,
    VOICEMAIL_AUDIO,
    Answer,
    path,
    unsure,
)
from companion.pbx.pascom.http import Wire
from companion.sent_faxes import SentFaxMemory


class Inbox:
    """One user's voicemail and faxes; `account` gives the user (cached by the client)."""

    def __init__(
        self, wire: Wire, account: Callable[[], Awaitable[Account]], sent_here: SentFaxMemory
    ) -> None:
        self.wire = wire
        self._account = account
        self.sent_here = sent_here

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

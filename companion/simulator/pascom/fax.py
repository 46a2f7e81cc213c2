"""The fax server: received faxes with signed PDF links, uploads and sending."""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime
from typing import Any

from .media import make_pdf, pdf_page_count
from .records import (
    JSON,
    Device,
    PbxError,
    PreparedFax,
    ReceivedFax,
    User,
)
from .users import Users

PDF_LINK_LIFETIME = 3600.0  # seconds a received fax's PDF link stays valid


class Fax(Users):
    """`faxserver`: received faxes, uploads and sending. Built on `Users`: a received
    fax carries its fax device's record.
    """

    def received_json(self, base_url: str) -> JSON:
        out: JSON = {}
        expires = int(time.time() + PDF_LINK_LIFETIME)
        for fax in self.received.values():
            owner, device = self._fax_device(fax.extension)
            entry: JSON = {"filename": fax.filename, "": fax.filename}
            entry.update(fax.fields)
            if owner is not None and device is not None:
                entry.update(self.device_json(owner, device))
            path = f"/{self.instance}/asset/faxserver/received/{fax.pdfname}.pdf"
            entry["pdf"] = f"{base_url}{path}?token={self.sign(path, expires)}&expires={expires}"
            out[fax.filename] = entry
        return out

    def done_json(self) -> JSON:
        """`faxserver/done`: the reference variant has no `sender` (the PBX may drop it)."""
        if self.variant != "reference":
            return self.done
        return {
            key: {k: v for k, v in job.items() if k != "sender"} for key, job in self.done.items()
        }

    def receive_fax(self, extension: str, remote: str, pages: int = 1) -> ReceivedFax:
        """A fax arrives at the fax device `extension` from `remote` (a generated PDF)."""
        number = self._fax_file_ids.claim()
        filename = f"fax{number:09d}.tif"
        callid2 = f"{int(time.time())}_{number}"
        pdf = make_pdf(
            [[f"Fax from {remote or 'unknown'}", f"Page {i + 1} of {pages}"] for i in range(pages)]
        )
        received = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        fields = _received_fields(self.instance, pages, received, extension, callid2, remote)
        fields["size"] = str(len(pdf))
        fax = ReceivedFax(filename, extension, callid2, fields, pdf_bytes=pdf)
        self.received[filename] = fax
        return fax

    def _fax_device(self, extension: str) -> tuple[User | None, Device | None]:
        for u in self.users.values():
            if u.fax is not None and u.fax.extension == extension:
                return u, u.fax
        return None, None

    def received_pdf(self, pdfname: str) -> bytes:
        for fax in self.received.values():
            if fax.pdfname == pdfname:
                return fax.read_pdf()
        raise PbxError(404, f"no received fax {pdfname!r}")

    def prepare_fax(self, fax_id: str) -> JSON:
        if len(fax_id) < 8:
            raise PbxError(400, "a fax document id needs at least 8 characters")
        now = time.time()
        deadline = now + self.upload_url_lifetime
        expires = int(deadline)
        path = self.upload_path(fax_id)
        token = self.sign(path, expires)
        old = self.prepared.get(fax_id)
        self.prepared[fax_id] = PreparedFax(
            fax_id, token, expires, deadline, old.document if old else None
        )
        return {"id": fax_id, "url": f"{path}?token={token}&expires={expires}"}

    def upload_path(self, fax_id: str) -> str:
        from urllib.parse import quote

        return f"/{self.instance}/asset/faxserver/upload/{quote(fax_id, safe='')}"

    def check_upload(self, fax_id: str, token: str | None) -> PreparedFax:
        p = self.prepared.get(fax_id)
        if p is None or not token or not hmac.compare_digest(p.token, token):
            raise PbxError(403, "invalid upload token")
        if time.time() > p.deadline:
            raise PbxError(403, "upload URL expired")
        return p

    def send_fax(self, fax_id: str, body: Any) -> list[str]:
        p = self.prepared.get(fax_id)
        if p is None or p.document is None:
            raise PbxError(404, f"no uploaded fax document {fax_id!r}")
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        if body.get("action") != "send":
            raise PbxError(400, "action must be 'send'")
        dest = body.get("fax")
        if not isinstance(dest, str) or not dest.strip():
            raise PbxError(400, "fax (the destination number) is missing")
        for key in ("tag", "notify", "prefix", "sender"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise PbxError(400, f"{key} must be a string")
        notify = body.get("notify") or ""
        job = self._fax_job_ids.claim()
        pages = pdf_page_count(p.document)
        sender = self._fax_sender(body.get("sender"), notify)
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.done[str(job)] = {
            "id": str(job),
            "subaddress": "",
            "jobtag": body.get("tag") or fax_id,
            "notify": notify,
            "sender": sender,
            "scheduled": now,
            "state": "D",
            "failedTries": "0",
            "totalDials": "1",
            "dialstring": dest.strip(),
            "failedDials": "0",
            "priority": "200",
            "killtime": "",
            "modem": "any",
            "error": "",
            "totalTries": "1",
            "totalPages": str(pages),
            "time": "",
        }
        owner, device = self._fax_device(dest.strip())
        if owner is not None and device is not None and device.extension is not None:
            number = self._fax_file_ids.claim()
            stamp = _now_ms()
            filename = f"fax{number:09d}.tif"
            sender_user = self.users.get(sender)
            self.received[filename] = ReceivedFax(
                filename=filename,
                extension=device.extension,
                pdfname=f"{stamp}_{number}",
                fields=_received_fields(
                    self.instance,
                    pages,
                    now,
                    device.extension,
                    f"{stamp}_{number}",
                    (sender_user.fax.extension if sender_user and sender_user.fax else None)
                    or "<NONE>",
                ),
                pdf_bytes=p.document,
            )
        del self.prepared[fax_id]
        return [f"request id is {job} (group id {job}) for host localhost (1 file)"]

    def _fax_sender(self, sender: Any, notify: str) -> str:
        if isinstance(sender, str) and sender in self.users:
            return sender
        if notify:
            wanted = notify.casefold()
            for u in self.users.values():
                mails = [u.email, u.fax.fax_email if u.fax else None]
                if any(m and m.casefold() == wanted for m in mails):
                    return u.name
        return self.rest_user

    def delete_waiting(self, fax_id: str) -> JSON:
        if fax_id not in self.prepared:
            raise PbxError(404, f"no waiting fax document {fax_id!r}")
        del self.prepared[fax_id]
        return {"response": "fax document deleted", "id": fax_id}


def _now_ms() -> int:
    return int(time.time() * 1000)


def _received_fields(
    instance: str, pages: int, received: str, extension: str, callid2: str, remote: str
) -> JSON:
    return {
        "sender": instance,
        "pages": str(pages),
        "quality": "Fine",
        "page": "default",
        "received": received,
        "timetorecv": f"0:00:{min(59, 20 * pages):02d}",
        "signalrate": "14400 bit/s",
        "dataformat": "2-D MMR",
        "errcorrect": "Yes",
        "callid1": extension,
        "callid2": callid2,
        "callid3": remote,
        "callid4": extension,
        "subaddress": "",
        "sigrate": "14400",
        "error": "",
        "duration": f"0:00:{min(59, 20 * pages):02d}",
        "length": "4294967295",
        "size": "0",
        "owner": "10",
        "resolution": "196",
        "time": received.replace("-", "/"),
        "width": "1728",
        "receiving": "",
        "cidname": callid2,
        "cidnumber": extension,
    }

"""Voicemail: mailboxes, their folders and messages, and a caller's new message."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from .base import StateBase
from .media import message_wav_file
from .records import (
    JSON,
    TMSTMP,
    Mailbox,
    PbxError,
    VoicemailMessage,
)

VOICEMAIL_FOLDERS = ["INBOX", "Old", "Urgent", "tmp"]
VOICEMAIL_MOVE_TARGETS = ("INBOX", "Old", "Urgent")


class Voicemail(StateBase):
    """`voicemail`: the mailboxes, their messages and what is done with them."""

    def mailbox(self, mb: str) -> Mailbox:
        m = self.mailboxes.get(mb)
        if m is None:
            raise PbxError(404, f"no voicemailbox {mb!r}")
        return m

    def mailboxes_json(self) -> list[JSON]:
        return [
            {
                "016voi_id": m.voi_id,
                "016voi_mailbox": m.mailbox,
                "016voi_name": m.name,
                "016voi_tmstmp": TMSTMP,
                "016voi_transcribe": m.transcribe,
            }
            for m in self.mailboxes.values()
        ]

    def mailbox_json(self, mb: str) -> JSON:
        m = self.mailbox(mb)
        return {
            "016voi_id": m.voi_id,
            "016voi_email": m.email,
            "016voi_mailbox": m.mailbox,
            "016voi_name": m.name,
            "016voi_tmstmp": TMSTMP,
            "016voi_format": "wav",
            "016voi_transcribe": m.transcribe,
            "md5pass": hashlib.md5(m.mailbox.encode()).hexdigest(),
            "folders": list(VOICEMAIL_FOLDERS),
        }

    def _folder_messages(self, mb: str, folder: str) -> list[VoicemailMessage]:
        self.mailbox(mb)
        if folder != "*" and folder not in VOICEMAIL_FOLDERS:
            raise PbxError(404, f"no voicemail folder {folder!r}")
        found = [
            m for m in self.messages if m.mailbox == mb and (folder == "*" or m.folder == folder)
        ]
        found.sort(key=lambda m: (m.origtime, m.msg_id), reverse=True)
        return found

    def message_json(self, m: VoicemailMessage) -> JSON:
        f = m.fields
        name = f.get("calleridname", "")
        num = f.get("calleridnum", "")
        return {
            "origmailbox": m.mailbox,
            "context": "sub_mailbox-recording",
            "macrocontext": "",
            "exten": "s",
            "rdnis": "unknown",
            "priority": "7",
            "callerchan": f.get("callerchan", ""),
            "callerid": f.get("callerid", f'"{name}" <{num}>' if name else f"<{num}>"),
            "origdate": f.get("origdate", _asterisk_date(m.origtime)),
            "origtime": str(m.origtime),
            "category": f.get("category", ""),
            "msg_id": m.msg_id,
            "flag": f.get("flag", ""),
            "duration": f["duration"],
            "calleridname": name,
            "calleridnum": num,
            "file": f"{m.id}.txt",
            "id": m.id,
            "folder": m.folder,
        }

    def voicemails(self, mb: str, folder: str, limit: int) -> list[JSON]:
        found = self._folder_messages(mb, folder)
        if limit > 0:
            found = found[:limit]
        return [self.message_json(m) for m in found]

    def voicemail_counts(self, mb: str, folder: str) -> dict[str, str]:
        found = self._folder_messages(mb, folder)
        everything = [m for m in self.messages if m.mailbox == mb]
        headers = {
            "x-voicemail-count": str(len(found)),
            "x-voicemail-count-inbox": str(sum(m.folder == "INBOX" for m in everything)),
            "x-voicemail-count-old": str(sum(m.folder == "Old" for m in everything)),
        }
        if self.variant == "reference":
            # The reference's only example: one message in INBOX, yet "-inbox: 0, -old: 0".
            headers["x-voicemail-count-inbox"] = "0"
            headers["x-voicemail-count-old"] = "0"
        if found:
            last = found[0]
            headers["x-voicemail-lastmsg-folder"] = last.folder
            headers["x-voicemail-lastmsg-id"] = last.id
            headers["x-voicemail-lastmsg-tmstmp"] = str(last.origtime)
        return headers

    def voicemail(self, mb: str, folder: str, msg: str) -> VoicemailMessage:
        for m in self._folder_messages(mb, folder):
            if (folder == "*" and m.msg_id == msg) or (folder != "*" and m.id == msg):
                return m
        raise PbxError(404, f"no message {msg!r} in {mb}/{folder}")

    def _next_number(self, mb: str, folder: str) -> int:
        used = [m.number for m in self.messages if m.mailbox == mb and m.folder == folder]
        return max(used) + 1 if used else 0

    def leave_voicemail(
        self, mb: str, name: str, number: str, seconds: float, when: int
    ) -> VoicemailMessage:
        """A caller's new message in INBOX (calls.py: a call that was not answered)."""
        taken = {m.msg_id for m in self.messages}
        seq = len(self.messages)
        while f"{when}-{seq:08d}" in taken:
            seq += 1
        message = VoicemailMessage(
            mailbox=mb,
            folder="INBOX",
            number=self._next_number(mb, "INBOX"),
            msg_id=f"{when}-{seq:08d}",
            origtime=when,
            fields={
                "calleridname": name,
                "calleridnum": number,
                "callerchan": f"PJSIP/sim-{number or 'anonymous'}-{seq:08x}",
                "duration": str(max(1, round(seconds))),
            },
            audio=message_wav_file(seconds),
        )
        self.messages.append(message)
        return message

    def voicemail_action(self, mb: str, folder: str, msg: str, body: Any) -> JSON:
        m = self.voicemail(mb, folder, msg)
        if not isinstance(body, dict):
            raise PbxError(400, "the request body must be a JSON object")
        action = body.get("action")
        if action == "move":
            target = body.get("targetfolder")
            if target not in VOICEMAIL_MOVE_TARGETS:
                raise PbxError(
                    400, f"targetfolder must be one of {', '.join(VOICEMAIL_MOVE_TARGETS)}"
                )
            if target != m.folder:
                m.number = self._next_number(mb, target)
                m.folder = target
            return {
                "response": "voicemail moved",
                "folder": m.folder,
                "id": m.id,
                "msg_id": m.msg_id,
            }
        if action == "mailto":
            address = body.get("address", body.get("adress"))
            if not isinstance(address, str) or "@" not in address:
                raise PbxError(400, "mailto needs an e-mail address")
            return {"response": "voicemail mailed"}
        raise PbxError(400, f"unknown action {action!r}; one of move, mailto")

    def delete_voicemail(self, mb: str, folder: str, msg: str) -> JSON:
        m = self.voicemail(mb, folder, msg)
        self.messages.remove(m)
        return {"response": "voicemail deleted", "msg_id": m.msg_id}


def _asterisk_date(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%a %b %d %I:%M:%S %p UTC %Y")

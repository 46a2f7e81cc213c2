"""Loading the demo PBX: an IO-JSON document and its extras, built into a `PbxState`.

Every problem is reported with its place (`identity[2].post.phonebook[0]: ...`): the
structure is checked by `iojson.py` and `extras.py`, cross-references (unknown logins,
duplicate extensions, missing media files) here.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import _collect_ids
from .extras import Extras
from .fax import _received_fields
from .iojson import DEVICE_PLUGINS, IoJson, IoJsonError
from .media import pdf_page_count, wav_duration
from .phonebook import _compose_displayname
from .records import (
    HINT_STATES,
    JSON,
    TMSTMP,
    Device,
    Mailbox,
    PhonebookEntry,
    Profile,
    Queue,
    QueueMember,
    ReceivedFax,
    Redirect,
    Switch,
    User,
    VoicemailMessage,
)
from .state import PbxState
from .voicemail import VOICEMAIL_FOLDERS

DEVICE_TYPES: dict[int, str] = {
    3: "Virtual Fax Device",
    26: "Integrated Softphone",
    40: "Yealink T54W",
    41: "Yealink T46U",
    42: "snom D785",
    43: "snom D717",
}
PHONE_DEVICES = ("ipdevice.mdsoftphone", "ipphone.mdsoftphone", "ipphone")


class Loader:
    """Builds a PbxState from an IO-JSON document and its extras, reporting errors with
    their path."""

    def __init__(self, state: PbxState, doc: IoJson, source: str, extras: Extras | None) -> None:
        self.s = state
        self.doc = doc
        self.source = source
        self.extras = extras or Extras({}, Path.cwd(), "<no extras>")

    def fail(self, path: str, message: str, *, extras: bool = False) -> IoJsonError:
        return IoJsonError(message, source=self.extras.source if extras else self.source, path=path)

    def xfail(self, path: str, message: str) -> IoJsonError:
        """An error in the extras file."""
        return self.fail(path, message, extras=True)

    def media(self, path: str, value: str) -> Path:
        p = (self.extras.base_dir / value).resolve()
        if not p.is_file():
            raise self.xfail(path, f"media file not found: {value}")
        return p

    def load(self) -> None:
        s = self.s
        d = self.doc
        x = self.extras
        ids = _collect_ids(d)

        def taken(*keys: tuple[str, str]) -> set[int]:
            return set().union(*(ids.get(k, set()) for k in keys))

        def given(section: list[JSON], key: str) -> set[int]:
            return {o[key] for o in section if isinstance(o.get(key), int)}

        private = [
            e for u in x.doc.get("users", {}).values() for e in u.get("private_phonebook", [])
        ]
        s._ids["user"].reserve(taken(("identity", "003use_id")))
        s._ids["acc"].reserve(taken(("identity", "011acc_id")))
        s._ids["pho"].reserve(
            taken(("identity", "028pho_id"), ("phonebook", "028pho_id"))
            | given(private, "028pho_id")
        )
        s._ids["dev"].reserve(taken(*((k, "010dev_id") for k in DEVICE_PLUGINS)))
        s._ids["switch"].reserve(given(x.section("switches"), "038con_id"))
        s._ids["queue"].reserve(given(x.section("queues"), "029tea_id"))
        s._ids["cdr"].reserve(given(x.section("history"), "id"))
        for i, obj in enumerate(d.get("identity", [])):
            self.user(f"identity[{i}]", obj)
        for kind in DEVICE_PLUGINS:
            for i, dev in enumerate(d.get(kind, [])):
                path = f"{kind}[{i}]"
                self.device(path, self.owner(path, dev), kind, dev)
        for i, obj in enumerate(d.get("phonebook", [])):
            self.phonebook(f"phonebook[{i}]", obj, owner=None)
        self.load_extras()
        s._global_order()  # sort the global phonebook now, not on the first request

    def owner(self, path: str, dev: JSON, parent: User | None = None) -> User:
        """The user a device belongs to: its post's identity, or the one it names."""
        found = parent
        if "003use_name" in dev:
            found = self.s.users.get(dev["003use_name"])
            if found is None:
                raise self.fail(f"{path}.003use_name", f"unknown user {dev['003use_name']!r}")
        if "011acc_id" in dev:
            by_acc = next((u for u in self.s.users.values() if u.acc_id == dev["011acc_id"]), None)
            if by_acc is None:
                raise self.fail(f"{path}.011acc_id", f"no user has account {dev['011acc_id']}")
            if found is not None and by_acc is not found:
                raise self.fail(f"{path}.011acc_id", f"not the account of {found.name!r}")
            found = by_acc
        if parent is not None and found is not parent:
            raise self.fail(f"{path}.003use_name", f"the device is in {parent.name!r}'s post")
        assert found is not None  # the reader refused a top-level device naming nobody
        return found

    def load_extras(self) -> None:
        s = self.s
        x = self.extras
        for login, extra in x.doc.get("users", {}).items():
            path = f"users.{login}"
            u = s.users.get(login)
            if u is None:
                raise self.xfail(path, f"no user {login!r} in {self.source}")
            self.user_extras(path, u, extra)
        for i, obj in enumerate(x.section("queues")):
            self.queue(f"queues[{i}]", obj)
        for i, obj in enumerate(x.section("switches")):
            self.switch(f"switches[{i}]", obj)
        for i, obj in enumerate(x.section("redirects")):
            self.redirect(f"redirects[{i}]", obj)
        for i, obj in enumerate(x.section("received_faxes")):
            self.received(f"received_faxes[{i}]", obj)
        for i, job in enumerate(x.section("sent_faxes")):
            self.sent(f"sent_faxes[{i}]", job)
        for i, obj in enumerate(x.section("history")):
            path = f"history[{i}]"
            for side in ("src", "dst"):
                name = obj.get(f"{side}UserName")
                if name and name not in s.users:
                    raise self.xfail(f"{path}.{side}UserName", f"unknown user {name!r}")
            if isinstance(obj.get("id"), int) and any(r["id"] == obj["id"] for r in s.cdr):
                raise self.xfail(f"{path}.id", f"duplicate call record id {obj['id']}")
            s.add_cdr(obj)

    def ext(self, path: str, ext: str, typ: str, text: str, src: str, resource: str) -> int:
        try:
            return self.s._register_extension(ext, typ, text, src, resource)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None

    def xext(self, path: str, ext: str, typ: str, text: str, src: str, resource: str) -> int:
        try:
            return self.s._register_extension(ext, typ, text, src, resource)
        except ValueError as exc:
            raise self.xfail(path, str(exc)) from None

    def user(self, path: str, obj: JSON) -> None:
        s = self.s
        name = obj["003use_name"]
        if name in s.users:
            raise self.fail(f"{path}.003use_name", f"duplicate user name {name!r}")
        uid = s._ids["user"].claim(obj.get("003use_id"))
        if uid in s.users_by_id:
            raise self.fail(f"{path}.003use_id", f"duplicate user id {uid}")
        acc_id = s._ids["acc"].claim(obj.get("011acc_id"))
        if any(other.acc_id == acc_id for other in s.users.values()):
            raise self.fail(f"{path}.011acc_id", f"duplicate account id {acc_id}")
        extension = obj.get("009ext_extension")
        ext_id = None
        if extension:
            ext_id = self.ext(
                f"{path}.009ext_extension",
                extension,
                "Benutzer",
                obj["003use_bez"],
                "011account",
                f"users/user-{uid}",
            )
        mailbox = obj.get("016voi_mailbox", extension)
        post = obj.get("post", {})
        contacts = post.get("phonebook", [])
        if len(contacts) > 1:
            raise self.fail(f"{path}.post.phonebook[1]", "a user has only one own phonebook entry")
        u = User(
            id=uid,
            name=name,
            bez=obj["003use_bez"],
            extension=extension,
            ext_id=ext_id,
            acc_id=acc_id,
            pho_id=s._ids["pho"].claim(
                obj.get("028pho_id", contacts[0].get("028pho_id") if contacts else None)
            ),
            voi_id=s._ids["voi"].claim(obj.get("016voi_id")) if mailbox else None,
            mailbox=mailbox,
            email=obj.get("016voi_email"),
            fields={k: v for k, v in obj.items() if k != "post"},
            base_hint="Idle",
            hint="Idle",
            active_profile=None,
            loc_id=uid + 1,
        )
        s.users[name] = u
        s.users_by_id[uid] = u
        if mailbox:
            if mailbox in s.mailboxes:
                raise self.fail(f"{path}.016voi_mailbox", f"duplicate voicemailbox {mailbox!r}")
            assert u.voi_id is not None
            s.mailboxes[mailbox] = Mailbox(
                u.voi_id,
                mailbox,
                obj.get("016voi_name", u.bez),
                u.email,
                obj.get("016voi_transcribe", "disabled"),
            )
        for kind in DEVICE_PLUGINS:
            for i, dev in enumerate(post.get(kind, [])):
                dpath = f"{path}.post.{kind}[{i}]"
                self.device(dpath, self.owner(dpath, dev, parent=u), kind, dev)
        contact: JSON = contacts[0] if contacts else {}
        account = PhonebookEntry(
            u.pho_id,
            "011account",
            None,
            {
                "displayname": u.bez,
                "firstname": contact.get("028pho_firstname"),
                "surname": contact.get("028pho_lastname"),
                "phone": extension,
                "email": u.email or contact.get("028pho_email"),
                "fax": u.fax.extension if u.fax else None,
                "mobile": contact.get("028pho_mobile"),
                "homephone": contact.get("028pho_homephone"),
                "organisation": contact.get("028pho_organisation"),
                "notes": contact.get("028pho_notes"),
            },
        )
        s._add_phonebook_entry(account)

    def user_extras(self, path: str, u: User, extra: JSON) -> None:
        hint = extra.get("presence", "Idle")
        if hint not in HINT_STATES:
            raise self.xfail(f"{path}.presence", f"must be one of {', '.join(HINT_STATES)}")
        u.base_hint = u.hint = hint
        default = extra.get("default_device")
        if default is not None:
            if default not in u.devices:
                have = ", ".join(u.devices) or "none"
                raise self.xfail(f"{path}.default_device", f"no such device (has: {have})")
            u.default_device = default
        ids = set()
        for i, p in enumerate(extra.get("profiles", [])):
            if p["017pro_id"] in ids:
                raise self.xfail(f"{path}.profiles[{i}].017pro_id", "duplicate profile id")
            ids.add(p["017pro_id"])
            u.profiles.append(
                Profile(
                    p["017pro_id"],
                    p["017pro_bez"],
                    p.get("017pro_scope", "user"),
                    p.get("017pro_tmstmp", TMSTMP),
                )
            )
        u.active_profile = extra.get("active_profile")
        if u.active_profile is not None and u.active_profile not in ids:
            raise self.xfail(f"{path}.active_profile", f"no profile {u.active_profile} in profiles")
        messages = extra.get("voicemail", [])
        if messages and not u.mailbox:
            raise self.xfail(f"{path}.voicemail", "the user has no voicemailbox")
        self.voicemail(f"{path}.voicemail", u, messages)
        for i, entry in enumerate(extra.get("private_phonebook", [])):
            self.phonebook(f"{path}.private_phonebook[{i}]", entry, owner=u.name)

    def device(self, path: str, u: User, kind: str, obj: JSON) -> None:
        if kind == "faxdevice":
            self.fax_device(path, u, obj)
            return
        s = self.s
        dev_id = s._ids["dev"].claim(obj.get("010dev_id"))
        if kind == "ipphone":
            type_id = obj["066dev_id"]
            type_bez = DEVICE_TYPES.get(type_id)
            if type_bez is None:
                known = ", ".join(f"{k} {v}" for k, v in DEVICE_TYPES.items())
                raise self.fail(f"{path}.066dev_id", f"unknown device type (known: {known})")
            name = obj.get("010dev_bez") or f"{type_bez} [{u.bez}]"
            dkind = "ipphone"
        else:
            # pascom names its softphones itself, whatever the file says
            name = f"pascom Softphone [{u.bez}]"
            type_id = 26
            type_bez = DEVICE_TYPES[type_id]
            dkind = "softphone"
        if name in u.devices:
            raise self.fail(path, f"user {u.name!r} already has a device named {name!r}")
        u.devices[name] = Device(
            id=dev_id,
            name=name,
            kind=dkind,
            type_id=type_id,
            type_bez=type_bez,
            extension=u.extension,
            ext_id=u.ext_id,
            fields=obj,
        )

    def fax_device(self, path: str, u: User, dev: JSON) -> None:
        s = self.s
        if u.fax is not None:
            raise self.fail(path, "a user has only one fax device")
        dev_id = s._ids["dev"].claim(dev.get("010dev_id"))
        fext = dev["009ext_extension"]
        fext_id = self.ext(
            f"{path}.009ext_extension",
            fext,
            "Fax",
            f"Fax {u.bez}",
            "020fax",
            f"faxdevices/faxdevice-{dev_id}",
        )
        u.fax = Device(
            id=dev_id,
            name=dev.get("010dev_bez", f"Fax {u.bez}"),
            kind="fax",
            type_id=3,
            type_bez=DEVICE_TYPES[3],
            extension=fext,
            ext_id=fext_id,
            fields=dev,
            fax_id=s._ids["fax"].claim(dev.get("020fax_id")),
            fax_email=dev.get("020fax_email", u.email),
        )
        # the user's directory entry shows the fax extension
        entry = s.phonebook.get(u.pho_id)
        if entry is not None:
            entry.data["fax"] = fext
            entry.reindex()

    def voicemail(self, path: str, u: User, messages: list[JSON]) -> None:
        s = self.s
        assert u.mailbox is not None or not messages
        numbers: dict[str, set[int]] = {}
        pending: list[tuple[str, JSON]] = []
        for i, m in enumerate(messages):
            mpath = f"{path}[{i}]"
            if m["folder"] not in VOICEMAIL_FOLDERS:
                raise self.xfail(
                    f"{mpath}.folder", f"must be one of {', '.join(VOICEMAIL_FOLDERS)}"
                )
            if not m["origtime"].isdigit():
                raise self.xfail(f"{mpath}.origtime", "must be a unix time (digits)")
            if "id" in m:
                if not re.fullmatch(r"msg\d{4}", m["id"]):
                    raise self.xfail(f"{mpath}.id", "must look like msg0000")
                n = int(m["id"][3:])
                if n in numbers.setdefault(m["folder"], set()):
                    raise self.xfail(f"{mpath}.id", f"duplicate id in folder {m['folder']}")
                numbers[m["folder"]].add(n)
            pending.append((mpath, m))
        pending.sort(key=lambda pm: int(pm[1]["origtime"]))
        seq = len([x for x in s.messages])
        for mpath, m in pending:
            audio = self.media(f"{mpath}.audio", m["audio"])
            folder = m["folder"]
            if "id" in m:
                number = int(m["id"][3:])
            else:
                used = numbers.setdefault(folder, set())
                number = 0
                while number in used:
                    number += 1
                used.add(number)
            fields = {k: v for k, v in m.items() if k not in ("audio", "post")}
            if "duration" not in fields:
                try:
                    fields["duration"] = str(max(1, round(wav_duration(audio))))
                except Exception as exc:
                    raise self.xfail(f"{mpath}.audio", f"not a readable WAV file: {exc}") from None
            msg_id = m.get("msg_id") or f"{m['origtime']}-{seq:08d}"
            seq += 1
            assert u.mailbox is not None
            s.messages.append(
                VoicemailMessage(
                    mailbox=u.mailbox,
                    folder=folder,
                    number=number,
                    msg_id=msg_id,
                    origtime=int(m["origtime"]),
                    fields=fields,
                    audio=audio,
                )
            )

    def phonebook(self, path: str, obj: JSON, owner: str | None) -> None:
        s = self.s
        data: dict[str, str | None] = {
            "displayname": obj.get("028pho_bez")
            or _compose_displayname(
                obj.get("028pho_firstname"),
                obj.get("028pho_lastname"),
                obj.get("028pho_organisation"),
            ),
            "firstname": obj.get("028pho_firstname"),
            "surname": obj.get("028pho_lastname"),
            "phone": obj.get("028pho_phone"),
            "email": obj.get("028pho_email"),
            "fax": obj.get("028pho_fax"),
            "mobile": obj.get("028pho_mobile"),
            "homephone": obj.get("028pho_homephone"),
            "organisation": obj.get("028pho_organisation"),
            "notes": obj.get("028pho_notes"),
        }
        wanted = obj.get("028pho_id")
        if wanted is not None and wanted in s.phonebook:
            raise self.fail(
                f"{path}.028pho_id", f"duplicate phonebook id {wanted}", extras=owner is not None
            )
        entry = PhonebookEntry(s._ids["pho"].claim(wanted), "028phonebook", owner, data)
        s._add_phonebook_entry(entry)

    def queue(self, path: str, obj: JSON) -> None:
        s = self.s
        name = obj["029tea_bez"]
        if name in s.queues:
            raise self.xfail(f"{path}.029tea_bez", f"duplicate queue {name!r}")
        qid = s._ids["queue"].claim(obj.get("029tea_id"))
        ext_id = self.xext(
            f"{path}.009ext_extension",
            obj["009ext_extension"],
            "Warteschlange",
            name,
            "029team",
            f"queues/queue-{qid}",
        )
        reasons: list[dict[str, str]] = []
        for i, r in enumerate(obj.get("pausereasons", [])):
            rpath = f"{path}.pausereasons[{i}]"
            if not isinstance(r.get("reason"), str) or not r["reason"]:
                raise self.xfail(f"{rpath}.reason", "must be a non-empty string")
            if not isinstance(r.get("code"), str) or not r["code"]:
                raise self.xfail(f"{rpath}.code", "must be a non-empty string")
            reasons.append({"reason": r["reason"], "code": r["code"]})
        members: list[QueueMember] = []
        for i, m in enumerate(obj.get("members", [])):
            mpath = f"{path}.members[{i}]"
            if m["agent"] not in s.users:
                raise self.xfail(f"{mpath}.agent", f"unknown user {m['agent']!r}")
            if any(x.agent == m["agent"] for x in members):
                raise self.xfail(f"{mpath}.agent", f"{m['agent']!r} is already a member")
            reason = m.get("pausereason", "")
            if reason and reason not in [r["reason"] for r in reasons]:
                raise self.xfail(f"{mpath}.pausereason", f"unknown pause reason {reason!r}")
            members.append(
                QueueMember(
                    agent=m["agent"],
                    loggedin=m.get("loggedin", False),
                    paused=m.get("paused", False),
                    pausereason=reason,
                    dynamic=m.get("dynamic", False),
                )
            )
        s.queues[name] = Queue(
            id=qid,
            bez=name,
            extension=obj["009ext_extension"],
            ext_id=ext_id,
            fields={k: v for k, v in obj.items() if k not in ("members", "pausereasons")},
            pausereasons=reasons,
            members=members,
        )

    def switch(self, path: str, obj: JSON) -> None:
        s = self.s
        sid = s._ids["switch"].claim(obj.get("038con_id"))
        ext = obj["009ext_extension"]
        self.xext(
            f"{path}.009ext_extension",
            ext,
            "Schalter",
            obj["038con_bez"],
            "038condition",
            f"conditions/condition-{sid}",
        )
        permitted = obj.get("permitted")
        if permitted is not None:
            for i, name in enumerate(permitted):
                if name not in s.users:
                    raise self.xfail(f"{path}.permitted[{i}]", f"unknown user {name!r}")
        s.switches[ext] = Switch(
            id=sid,
            bez=obj["038con_bez"],
            state=obj.get("039swi_state", False),
            extension=ext,
            permitted=frozenset(permitted) if permitted is not None else None,
        )

    def redirect(self, path: str, obj: JSON) -> None:
        s = self.s
        source = obj["source"]
        if source not in s.extensions:
            raise self.xfail(f"{path}.source", f"no extension {source!r}")
        if source in s.redirects:
            raise self.xfail(f"{path}.source", f"duplicate redirect for {source!r}")
        target: str = obj.get("target") or ""
        old: str = obj.get("old") or target
        s.redirects[source] = Redirect(source, target, old)

    def received(self, path: str, obj: JSON) -> None:
        s = self.s
        ext = obj["009ext_extension"]
        owner, device = s._fax_device(ext)
        if owner is None or device is None:
            raise self.xfail(f"{path}.009ext_extension", f"no fax device with extension {ext!r}")
        if obj["filename"] in s.received:
            raise self.xfail(f"{path}.filename", f"duplicate fax file {obj['filename']!r}")
        pdf = self.media(f"{path}.pdf", obj["pdf"])
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF"):
            raise self.xfail(f"{path}.pdf", "not a PDF file")
        m = re.fullmatch(r"fax(\d+)\.tif", obj["filename"])
        if m:
            s._fax_file_ids.claim(int(m.group(1)))
        received = obj.get("received", "2025-11-03 08:00:00")
        callid2 = obj.get("callid2") or obj["filename"].rsplit(".", 1)[0]
        fields = _received_fields(
            s.instance, pdf_page_count(data), received, ext, callid2, obj.get("callid3", "<NONE>")
        )
        fields["size"] = str(len(data))
        fields.update(
            {k: v for k, v in obj.items() if k not in ("pdf", "filename", "009ext_extension")}
        )
        s.received[obj["filename"]] = ReceivedFax(
            filename=obj["filename"], extension=ext, pdfname=callid2, fields=fields, pdf_path=pdf
        )

    def sent(self, path: str, job: JSON) -> None:
        s = self.s
        if job["id"] in s.done:
            raise self.xfail(f"{path}.id", f"duplicate fax job id {job['id']!r}")
        if job["id"].isdigit():
            s._fax_job_ids.claim(int(job["id"]))
        s.done[job["id"]] = {
            "id": job["id"],
            "subaddress": "",
            "jobtag": job.get("jobtag", ""),
            "notify": job.get("notify", ""),
            "sender": job.get("sender", s.rest_user),
            "scheduled": job.get("scheduled", ""),
            "state": job.get("state", "D"),
            "failedTries": job.get("failedTries", "0"),
            "totalDials": job.get("totalDials", "1"),
            "dialstring": job["dialstring"],
            "failedDials": job.get("failedDials", "0"),
            "priority": "200",
            "killtime": "",
            "modem": "any",
            "error": job.get("error", ""),
            "totalTries": job.get("totalTries", "1"),
            "totalPages": job.get("totalPages", "1"),
            "time": "",
        }

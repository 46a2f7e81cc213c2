#!/usr/bin/env python3
"""Write the demo PBX: resources/demo-pbx.json, demo-extras.json and their media.

demo-pbx.json is pascom IO-JSON (importable by a real pascom); demo-extras.json
holds what IO-JSON cannot import (queues, switches, voicemail, ...), in the shape
companion/simulator/pascom/extras.py describes. Media go under resources/demo/.

Deterministic: the same script (and the same espeak-ng) writes the same files.

    python3 resources/demo/make_demo_data.py            # JSON, PDFs and WAVs
    python3 resources/demo/make_demo_data.py --no-audio # keep the WAVs as they are

Voicemail audio is spoken by espeak-ng (``apt-get install espeak-ng``) and
resampled here to 8 kHz mono 16-bit, as a PBX stores it. Fax PDFs come from the
simulator's own dependency-free PDF writer.
"""

from __future__ import annotations

import argparse
import array
import io
import json
import math
import random
import shutil
import subprocess
import sys
import wave
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
REPO = RESOURCES.parent
sys.path.insert(0, str(REPO))

from companion.simulator.pascom.media import make_pdf  # noqa: E402

JSON_PATH = RESOURCES / "demo-pbx.json"
EXTRAS_PATH = RESOURCES / "demo-extras.json"
VOICEMAIL_DIR = HERE / "voicemail"
FAX_DIR = HERE / "fax"
RATE = 8000


def ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def unix(text: str) -> int:
    return int(ts(text).timestamp())


def ms(text: str) -> int:
    return unix(text) * 1000


# --------------------------------------------------------------------------- users

# (id, login, display name, extension, hint state, default device kind or None)
USERS: list[tuple[int, str, str, str, str, str | None]] = [
    (3, "mmuster", "Max Mustermann", "101", "Idle", "softphone"),
    (4, "tsander", "Tina Sander", "221", "Unavailable", None),
    (5, "jürgen.weiß", "Jürgen Weiß", "102", "InUse", "softphone"),
    (6, "agrassl", "Andreas Grassl", "103", "Busy", "ipphone"),
    (7, "sbaumann", "Stefanie Baumann", "104", "Ringing", "softphone"),
    (8, "jgeissler", "Jenny Geissler", "105", "OnHold", "softphone"),
    (9, "ameyer", "Anna Meyer", "230", "Idle", "softphone"),
    (10, "pkowalski", "Piotr Kowalski", "106", "Unavailable", None),
    (11, "lena schäfer", "Lena Schäfer", "107", "Idle", "softphone"),
    (12, "sobrien", "Seán O'Brien", "108", "Idle", "softphone"),
    (13, "empfang/tresen", "Empfang", "120", "Idle", "ipphone"),
    (14, "uyilmaz", "Ümit Yılmaz", "109", "Idle", "softphone"),  # noqa: RUF001 - a Turkish dotless i
]

DESK_PHONES = {
    "mmuster": "Yealink T54W",
    "agrassl": "Yealink T46U",
    "empfang/tresen": "snom D785",
    "jgeissler": "snom D717",
}
# the device type ids (066dev_id) of the simulator's catalogue (DEVICE_TYPES in state.py)
DEVICE_TYPE_IDS = {"Yealink T54W": 40, "Yealink T46U": 41, "snom D785": 42, "snom D717": 43}

FAX_EXTENSIONS = {"mmuster": "301", "tsander": "302", "agrassl": "303"}

OWN_CONTACTS = {
    "mmuster": {
        "028pho_firstname": "Max",
        "028pho_lastname": "Mustermann",
        "028pho_organisation": "Demo GmbH",
        "028pho_mobile": "+49 171 5550101",
    },
    "tsander": {
        "028pho_firstname": "Tina",
        "028pho_lastname": "Sander",
        "028pho_organisation": "Demo GmbH",
        "028pho_mobile": "+49 160 5550221",
    },
}

PROFILES = {
    "mmuster": (
        11,
        [
            (11, "Im Büro", "2025-10-01 08:00:00"),
            (12, "Außer Haus", "2025-10-02 08:00:00"),
            (13, "Homeoffice", "2025-10-03 08:00:00"),
            (14, "Meeting", "2025-10-04 08:00:00"),
            (15, "Urlaub", "2025-10-05 08:00:00"),
        ],
    ),
    "tsander": (
        4,
        [(4, "Standard", "2025-09-01 08:00:00"), (18, "Meeting", "2025-09-02 08:00:00")],
    ),
    "jürgen.weiß": (None, [(21, "Kundentermin", "2025-09-10 08:00:00")]),
}

# (login, folder, id, origtime, caller name, caller number, file stem, text)
VOICEMAILS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "mmuster",
        "INBOX",
        "msg0000",
        "2025-11-19 08:12:05",
        "Tina Sander",
        "221",
        "101-inbox-0",
        "Hallo Max, hier ist Tina, bitte ruf mich zurück.",
    ),
    (
        "mmuster",
        "INBOX",
        "msg0001",
        "2025-11-20 14:40:31",
        "Schreinerei Huber",
        "+49895554321",
        "101-inbox-1",
        "Guten Tag Herr Mustermann, hier ist die Schreinerei Huber. Ihre Regale sind fertig.",
    ),
    (
        "mmuster",
        "INBOX",
        "msg0002",
        "2025-11-21 09:05:12",
        "Jürgen Weiß",
        "102",
        "101-inbox-2",
        "Hallo Max, Jürgen hier. Das Meeting morgen ist auf zehn Uhr verschoben.",
    ),
    (
        "mmuster",
        "Old",
        "msg0000",
        "2025-11-12 16:20:00",
        "Anna Meyer",
        "230",
        "101-old-0",
        "Hallo Max, die Unterlagen liegen auf deinem Schreibtisch. Danke!",
    ),
    (
        "mmuster",
        "Old",
        "msg0001",
        "2025-11-14 11:02:45",
        "",
        "+41441234567",
        "101-old-1",
        "Guten Tag, hier ist die Praxis Doktor Keller. Wir bestätigen Ihren Termin am Donnerstag.",
    ),
    (
        "tsander",
        "INBOX",
        "msg0000",
        "2025-11-20 10:30:00",
        "Max Mustermann",
        "101",
        "221-inbox-0",
        "Hallo Tina, hier ist Max. Ich bin heute ab drei im Büro.",
    ),
]

# --------------------------------------------------------------------------- faxes

RECEIVED_FAXES = [
    {
        "filename": "fax000000010.tif",
        "009ext_extension": "301",
        "received": "2025-11-18 10:14:52",
        "callid2": "1763460892000_10",
        "callid3": "+49895554321",
        "pdf": "demo/fax/fax000000010.pdf",
        "_pages": [
            [
                "Schreinerei Huber - Angebot Nr. 2025-117",
                "An: Demo GmbH, z. Hd. Herrn Max Mustermann",
                "Von: Schreinerei Huber, Fax 089/5554322",
                "Datum: 18.11.2025",
                "",
                "Sehr geehrter Herr Mustermann,",
                "gerne bieten wir Ihnen an:",
                "  4 Wandregale Eiche massiv, 180 x 40 cm    je 289,00 EUR",
                "  Montage vor Ort                              240,00 EUR",
                "Seite 1 von 2",
            ],
            [
                "Schreinerei Huber - Angebot Nr. 2025-117 (Fortsetzung)",
                "Lieferzeit: etwa drei Wochen nach Auftragseingang.",
                "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
                "",
                "Mit freundlichen Grüßen",
                "Josef Huber, Schreinermeister",
                "Seite 2 von 2",
            ],
        ],
    },
    {
        "filename": "fax000000011.tif",
        "009ext_extension": "302",
        "received": "2025-11-19 15:02:10",
        "callid2": "1763564530000_11",
        "callid3": "+4930987654",
        "pdf": "demo/fax/fax000000011.pdf",
        "_pages": [
            [
                "VERTRAULICH - nur für Tina Sander",
                "Steuerkanzlei Weiß & Partner, Berlin",
                "Ihre Unterlagen für das Jahresgespräch liegen bereit.",
                "Bitte nicht an Dritte weitergeben.",
            ]
        ],
    },
    {
        "filename": "fax000000012.tif",
        "009ext_extension": "301",
        "received": "2025-11-20 08:47:33",
        "callid2": "1763628453000_12",
        "callid3": "+4922112345",
        "pdf": "demo/fax/fax000000012.pdf",
        "_pages": [
            [
                "Bäckerei Schäfer GmbH - Lieferschein 88412",
                "Kunde: Demo GmbH, Besprechungsraum 2. OG",
                "Lieferung: 21.11.2025, 7:30 Uhr",
                "  30 Butterbrezen, 20 Laugenstangen, 2 Kannen Kaffee",
                "Bei Rückfragen: (0221) 12345",
            ]
        ],
    },
]

DONE_FAXES = [
    {
        "id": "3",
        "jobtag": "Angebot Müller & Söhne.pdf",
        "notify": "max.mustermann@demo.example",
        "sender": "mmuster",
        "scheduled": "2025-11-17 11:20:04",
        "state": "D",
        "dialstring": "+49 30 1234567",
        "totalPages": "2",
    },
    {
        "id": "4",
        "jobtag": "Urlaubsantrag.pdf",
        "notify": "tina.sander@demo.example",
        "sender": "tsander",
        "scheduled": "2025-11-18 09:01:40",
        "state": "D",
        "dialstring": "0221 9876543",
        "totalPages": "1",
    },
    {
        "id": "5",
        "jobtag": "Bestellung Büromaterial.pdf",
        "notify": "max.mustermann@demo.example",
        "sender": "mmuster",
        "scheduled": "2025-11-20 16:45:12",
        "state": "D",
        "dialstring": "089/5554322",
        "totalPages": "1",
    },
]

# --------------------------------------------------------------------------- phonebook

FIRST_NAMES = [
    "Jürgen",
    "Björn",
    "Günther",
    "Änne",
    "Käthe",
    "Sören",
    "Jörg",
    "Müjde",
    "Zoë",
    "Renée",
    "Anna",
    "Lukas",
    "Sophie",
    "Jonas",
    "Marie",
    "Felix",
    "Lea",
    "Paul",
    "Emma",
    "Maximilian",
    "Hannah",
    "Leon",
    "Mia",
    "Elias",
    "Lina",
    "Noah",
    "Clara",
    "Ben",
    "Greta",
    "Moritz",
    "Franziska",
    "Dominik",
    "Katharina",
    "Sebastian",
    "Theresa",
    "Florian",
    "Ingrid",
    "Horst",
    "Ursula",
    "Wolfgang",
    "Hélène",
    "François",
    "Siobhán",
    "Øyvind",
    "Małgorzata",
    "Zoltán",
]

LAST_NAMES = [
    "Müller",
    "Schröder",
    "Weiß",
    "Groß",
    "Strauß",
    "Köhler",
    "Bäcker",
    "Jäger",
    "Öztürk",
    "Schäfer",
    "Krüger",
    "Hoffmann",
    "Schmidt",
    "Fischer",
    "Wagner",
    "Becker",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hofmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Huber",
    "Mayer",
    "Herrmann",
    "König",
    "Walter",
    "Fuß",
    "Nußbaum",
    "Süß",
    "Dubois",
    "O'Connor",
    "Kowalczyk",
    "Nagy",
    "Haß",
]

ORGANISATIONS = [
    "Bäckerei Schäfer GmbH",
    "Müller & Söhne KG",
    "Autohaus Groß",
    "Weißbräu Straubing",
    "Praxis Dr. Köhler",
    "Stadtwerke Düsseldorf",
    "Kanzlei Strauß & Partner",
    "Jäger IT-Service",
    "Gärtnerei Blümchen",
    "Hausverwaltung Süß",
    "Elektro Fuß GmbH",
    "Brauerei Nußbaum",
    "Acme Corp.",
    "Globex Ltd.",
    "Initech GmbH",
    "Cyberdyne Systems",
    "Umbrella AG",
    "Wayne Enterprises",
    "Stark Industries",
    "Möbelhaus Höffner",
    "Öko-Kiste Bauer",
    "Zahnarztpraxis Dr. Böhm",
    "Steuerbüro Fröhlich",
    "Druckerei Lößl",
]

AREAS = ["30", "40", "89", "221", "69", "711", "911", "351", "341", "511", "201", "421", "8031"]
MOBILE_PREFIXES = ["151", "160", "170", "171", "172", "175", "176", "179"]


def german_number(rng: random.Random) -> str:
    area = rng.choice(AREAS)
    sub = str(rng.randint(10 ** (7 - min(len(area), 3)), 10 ** (8 - min(len(area), 3)) - 1))
    style = rng.randrange(10)
    if style == 0:
        return f"0049 {area} {sub}"
    if style == 1:
        return f"+49 (0){area} {sub}"
    if style == 2:
        return f"0{area}/{sub}"
    if style == 3:
        return f"(0{area}) {sub}"
    if style == 4:
        return f"+49 {area} {sub}"
    if style == 5:
        return f"0{area} {sub}"
    if style == 6:
        return f"0{area}-{sub[:3]} {sub[3:5]} {sub[5:]}"
    if style == 7:
        return f"+49-{area}-{sub}"
    if style == 8:
        return f"0049{area}{sub}"
    return f"+49{area}{sub}"


def mobile_number(rng: random.Random) -> str:
    pre = rng.choice(MOBILE_PREFIXES)
    sub = str(rng.randint(1000000, 99999999))
    style = rng.randrange(4)
    if style == 0:
        return f"0{pre} {sub}"
    if style == 1:
        return f"+49 {pre} {sub}"
    if style == 2:
        return f"0{pre}/{sub}"
    return f"+49 (0){pre} {sub}"


def international_number(rng: random.Random) -> str:
    choice = rng.randrange(10)
    if choice == 0:
        return f"+1 212 555 {rng.randint(100, 199):04d}"
    if choice == 1:
        return f"+1 (415) 555-{rng.randint(100, 199):04d}"
    if choice == 2:
        return f"+44 20 7946 {rng.randint(0, 999):04d}"
    if choice == 3:
        return f"+44 161 496 {rng.randint(0, 999):04d}"
    if choice == 4:
        pairs = " ".join(str(rng.randint(10, 99)) for _ in range(4))
        return f"+33 1 {pairs}"
    if choice == 5:
        return f"+43 1 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if choice == 6:
        return f"+43 662 {rng.randint(100000, 999999)}"
    if choice == 7:
        return f"+41 44 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if choice == 8:
        return f"0044 20 7946 {rng.randint(0, 999):04d}"
    return f"+41 31 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def slug(text: str) -> str:
    table = str.maketrans(
        {
            "ä": "ae",
            "ö": "oe",
            "ü": "ue",
            "ß": "ss",
            "é": "e",
            "\u0131": "i",
            "á": "a",
            "'": "",
            " ": ".",
        }
    )
    out = text.lower().translate(table)
    return "".join(c for c in out if c.isascii() and (c.isalnum() or c in ".-"))


FIXED_GLOBAL = [
    {
        "028pho_organisation": "Schreinerei Huber",
        "028pho_firstname": "Josef",
        "028pho_lastname": "Huber",
        "028pho_phone": "089/5554321",
        "028pho_fax": "089/5554322",
        "028pho_email": "info@schreinerei-huber.example",
    },
    {
        "028pho_organisation": "Praxis Dr. Keller",
        "028pho_phone": "+41 44 123 45 67",
        "028pho_notes": "Hausarzt, Termine nur vormittags",
    },
    {
        "028pho_organisation": "Müller & Söhne KG",
        "028pho_firstname": "Björn",
        "028pho_lastname": "Müller",
        "028pho_phone": "+49 (0)30 1234567",
        "028pho_fax": "+49 30 1234568",
        "028pho_mobile": "0171 2345678",
    },
    {
        "028pho_organisation": "Bäckerei Schäfer GmbH",
        "028pho_phone": "(0221) 12345",
        "028pho_fax": "(0221) 12346",
    },
    {
        "028pho_firstname": "Günther",
        "028pho_lastname": "Groß",
        "028pho_phone": "0049 89 12345678",
        "028pho_homephone": "089 7654321",
        "028pho_mobile": "+49 151 23456789",
    },
    {
        "028pho_organisation": "Globex Ltd.",
        "028pho_firstname": "Hank",
        "028pho_lastname": "Scorpio",
        "028pho_phone": "+1 212 555 0147",
        "028pho_email": "hank@globex.example",
    },
    {
        "028pho_organisation": "Kanzlei Strauß & Partner",
        "028pho_phone": "+43 1 234 56 78",
    },
    {
        "028pho_firstname": "Siobhán",
        "028pho_lastname": "O'Connor",
        "028pho_phone": "+44 20 7946 0958",
    },
    {
        "028pho_organisation": "Initech GmbH",
        "028pho_phone": "+33 1 23 45 67 89",
        "028pho_notes": "Pariser Niederlassung",
    },
]


def global_phonebook(count: int, seed: int = 4711) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    entries: list[dict[str, Any]] = [dict(e) for e in FIXED_GLOBAL]
    while len(entries) < count:
        entry: dict[str, Any] = {}
        kind = rng.randrange(10)
        if kind < 6:  # a person, maybe at an organisation
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            entry["028pho_firstname"] = first
            entry["028pho_lastname"] = last
            if rng.random() < 0.4:
                entry["028pho_organisation"] = rng.choice(ORGANISATIONS)
            if rng.random() < 0.5:
                entry["028pho_email"] = f"{slug(first)}.{slug(last)}@example.org"
        elif kind < 9:  # an organisation
            entry["028pho_organisation"] = rng.choice(ORGANISATIONS)
            if rng.random() < 0.3:
                entry["028pho_notes"] = rng.choice(
                    ["Zentrale", "Buchhaltung", "Einkauf", "Kundendienst", "Notdienst 24/7"]
                )
        else:  # only a surname, e.g. an old import
            entry["028pho_lastname"] = rng.choice(LAST_NAMES)
        entry["028pho_phone"] = (
            international_number(rng) if rng.random() < 0.2 else german_number(rng)
        )
        if rng.random() < 0.35:
            entry["028pho_mobile"] = mobile_number(rng)
        if rng.random() < 0.15:
            entry["028pho_homephone"] = german_number(rng)
        if rng.random() < 0.2:
            entry["028pho_fax"] = german_number(rng)
        entries.append(entry)
    return entries


PRIVATE_PHONEBOOK = {
    "mmuster": [
        {
            "028pho_bez": "Mama",
            "028pho_firstname": "Erika",
            "028pho_lastname": "Mustermann",
            "028pho_homephone": "08031 123456",
            "028pho_mobile": "0170 9876543",
        },
        {
            "028pho_firstname": "Tobias",
            "028pho_lastname": "Mustermann",
            "028pho_mobile": "+49 176 11223344",
            "028pho_notes": "Bruder",
        },
        {"028pho_organisation": "Zahnarztpraxis Dr. Böhm", "028pho_phone": "089/4455667"},
        {
            "028pho_organisation": "Autowerkstatt Weißgerber",
            "028pho_phone": "(089) 7788990",
            "028pho_notes": "Winterreifen im Oktober",
        },
        {
            "028pho_organisation": "Kita Sonnenschein",
            "028pho_phone": "+49 89 2233445",
            "028pho_email": "gruppe.igel@kita-sonnenschein.example",
        },
    ],
    "tsander": [
        {"028pho_firstname": "Lars", "028pho_lastname": "Sander", "028pho_mobile": "0160 1234567"},
    ],
}

# --------------------------------------------------------------------------- call history


def call_history() -> list[dict[str, Any]]:
    rng = random.Random(1701)
    externals = [
        ("+49895554321", "Schreinerei Huber"),
        ("+49301234567", "Müller & Söhne KG"),
        ("+4922112345", "Bäckerei Schäfer GmbH"),
        ("+12125550147", "Globex Ltd."),
        ("+441619460958", ""),
        ("+4917155501234", ""),
        ("+41441234567", "Praxis Dr. Keller"),
    ]
    internal = [u for u in USERS if u[1] != "mmuster"]
    records: list[dict[str, Any]] = []
    start = unix("2025-11-17 07:35:00")
    t = start
    for i in range(40):
        t += rng.randint(40 * 60, 150 * 60)
        hour = (t // 3600) % 24
        if hour >= 17:
            t += (24 - hour + 7) * 3600  # next morning
        involve_max = i % 4 != 3
        answered = rng.random() < 0.75
        duration = rng.randint(20, 900) if answered else rng.randint(8, 30)
        rec: dict[str, Any] = {
            "id": 100 + i,
            "timestamp": t * 1000,
            "duration": duration,
            "connected": duration - rng.randint(3, 8) if answered else 0,
            "result": "hangup" if answered else "noanswer",
            "resultDetails": rng.choice(["src", "dst"]) if answered else "timeout",
        }
        if involve_max:
            outgoing = rng.random() < 0.5
            other_internal = rng.random() < 0.35
            if other_internal:
                u = rng.choice(internal)
                other = {"UserName": u[1], "Number": u[3]}
            else:
                num, name = rng.choice(externals)
                other = {"Number": num}
                if name:
                    other["Name"] = name
            if not answered and not outgoing and not other_internal and rng.random() < 0.5:
                rec["resultDetails"] = "voicemail"
            me = {"UserName": "mmuster", "Number": "101"}
            src, dst = (me, other) if outgoing else (other, me)
            if outgoing and not other_internal:
                dst = dict(dst)
                dst["Number"] = dst["Number"].replace("+49", "0", 1)
        else:
            a, b = rng.sample(internal, 2)
            src = {"UserName": a[1], "Number": a[3]}
            if rng.random() < 0.5:
                num, name = rng.choice(externals)
                dst = {"Number": num.replace("+49", "0", 1)}
                if name:
                    dst["Name"] = name
            else:
                dst = {"UserName": b[1], "Number": b[3]}
        for key, value in src.items():
            rec[f"src{key}"] = value
        for key, value in dst.items():
            rec[f"dst{key}"] = value
        records.append(rec)
    return records


# --------------------------------------------------------------------------- document


def email_of(bez: str) -> str:
    if " " not in bez:
        return "empfang@demo.example"
    return f"{slug(bez.split()[0])}.{slug(bez.split()[-1])}@demo.example"


def build_document() -> dict[str, Any]:
    """The IO-JSON: users with their own entry and devices, and the global phonebook."""
    identities = []
    for uid, login, bez, ext, _, _ in USERS:
        email = email_of(bez)
        user: dict[str, Any] = {
            "003use_id": uid,
            "003use_name": login,
            "003use_bez": bez,
            "003use_pw": f"demo-{uid:04d}",
            "003use_auth_method": "LOCAL",
            "003use_authrole": "ROLE_SYSADMIN" if login == "agrassl" else None,
            "009ext_extension": ext,
            "016voi_email": email,
        }
        post: dict[str, Any] = {}
        if login in OWN_CONTACTS:
            post["phonebook"] = [OWN_CONTACTS[login]]
        if login != "empfang/tresen":
            post["ipdevice.mdsoftphone"] = [{"010dev_bez": f"softphone_{slug(login)}"}]
        if login in DESK_PHONES:
            post["ipphone"] = [{"066dev_id": DEVICE_TYPE_IDS[DESK_PHONES[login]]}]
        if login in FAX_EXTENSIONS:
            post["faxdevice"] = [
                {
                    "009ext_extension": FAX_EXTENSIONS[login],
                    "010dev_bez": f"Fax {bez}",
                    "020fax_email": email,
                }
            ]
        if post:
            user["post"] = post
        identities.append(user)
    return {"identity": identities, "phonebook": global_phonebook(320)}


def default_device(login: str, bez: str, kind: str | None) -> str | None:
    """The device the user's pascom client dials with, by the name the PBX gives it."""
    if kind == "softphone":
        return f"pascom Softphone [{bez}]"
    if kind == "ipphone":
        return f"{DESK_PHONES[login]} [{bez}]"
    return None


def build_extras() -> dict[str, Any]:
    """What IO-JSON cannot import: presence, profiles, voicemail, queues, faxes, history."""
    users: dict[str, Any] = {}
    for _, login, bez, _, hint, default in USERS:
        extra: dict[str, Any] = {"presence": hint}
        device = default_device(login, bez, default)
        if device is not None:
            extra["default_device"] = device
        if login in PROFILES:
            extra["profiles"] = [
                {
                    "017pro_id": pid,
                    "017pro_bez": name,
                    "017pro_scope": "user",
                    "017pro_tmstmp": stamp,
                }
                for pid, name, stamp in PROFILES[login][1]
            ]
            if PROFILES[login][0] is not None:
                extra["active_profile"] = PROFILES[login][0]
        messages = []
        for owner, folder, mid, when, name, number, stem, _ in VOICEMAILS:
            if owner != login:
                continue
            messages.append(
                {
                    "folder": folder,
                    "id": mid,
                    "msg_id": f"{unix(when)}-{len(messages):08d}",
                    "origtime": str(unix(when)),
                    "calleridname": name,
                    "calleridnum": number,
                    "callerchan": f"PJSIP/demo-{stem}",
                    "audio": f"demo/voicemail/{stem}.wav",
                }
            )
        if messages:
            extra["voicemail"] = messages
        if login in PRIVATE_PHONEBOOK:
            extra["private_phonebook"] = PRIVATE_PHONEBOOK[login]
        users[login] = extra

    pause = [{"reason": "lunch", "code": "40"}, {"reason": "meeting", "code": "41"}]
    queues = [
        {
            "029tea_id": 1,
            "029tea_bez": "Zentrale",
            "009ext_extension": "200",
            "029tea_calleridname": "Zentrale",
            "pausereasons": pause,
            "members": [
                {"agent": "mmuster", "loggedin": True, "paused": False},
                {"agent": "ameyer", "loggedin": True, "paused": False},
                {"agent": "jgeissler", "loggedin": True, "paused": True, "pausereason": "meeting"},
                {"agent": "tsander", "loggedin": False, "paused": False},
                {"agent": "empfang/tresen", "loggedin": True, "paused": False},
            ],
        },
        {
            "029tea_id": 2,
            "029tea_bez": "Support",
            "009ext_extension": "300",
            "029tea_calleridname": "Support",
            "pausereasons": pause,
            "members": [
                {"agent": "mmuster", "loggedin": True, "paused": False},
                {"agent": "agrassl", "loggedin": True, "paused": False},
                {"agent": "sbaumann", "loggedin": False, "paused": False},
            ],
        },
    ]
    switches = [
        {
            "038con_id": 44,
            "038con_bez": "AfterHours",
            "009ext_extension": "503",
            "039swi_state": False,
        },
        {"038con_id": 45, "038con_bez": "Holiday", "009ext_extension": "504", "039swi_state": True},
        {
            "038con_id": 46,
            "038con_bez": "Lunch break",
            "009ext_extension": "505",
            "039swi_state": False,
        },
        {
            "038con_id": 47,
            "038con_bez": "Nightmode",
            "009ext_extension": "506",
            "039swi_state": False,
            "permitted": ["agrassl", "empfang/tresen"],
        },
    ]
    redirects = [
        {"source": "101", "target": "", "old": "+4989998877"},
        {"source": "221", "target": "200", "old": "200"},
        {"source": "103", "target": "+49 171 5550103", "old": "+49 171 5550103"},
    ]
    received = [{k: v for k, v in f.items() if not k.startswith("_")} for f in RECEIVED_FAXES]
    return {
        "users": users,
        "queues": queues,
        "switches": switches,
        "redirects": redirects,
        "received_faxes": received,
        "sent_faxes": DONE_FAXES,
        "history": call_history(),
    }


# --------------------------------------------------------------------------- media


def _lowpass_kernel(cutoff: float, taps: int) -> list[float]:
    mid = (taps - 1) / 2
    kernel = []
    for n in range(taps):
        x = n - mid
        sinc = 2 * cutoff if x == 0 else math.sin(2 * math.pi * cutoff * x) / (math.pi * x)
        window = 0.54 - 0.46 * math.cos(2 * math.pi * n / (taps - 1))  # Hamming
        kernel.append(sinc * window)
    total = sum(kernel)
    return [k / total for k in kernel]


def resample(samples: array.array[int], rate_in: int, rate_out: int) -> array.array[int]:
    """Low-pass (windowed sinc) then linear interpolation; good enough for speech."""
    kernel = _lowpass_kernel(0.45 * rate_out / rate_in, 41)
    half = len(kernel) // 2
    n = len(samples)
    filtered = [0.0] * n
    for i in range(n):
        acc = 0.0
        for j, k in enumerate(kernel):
            idx = i + j - half
            if 0 <= idx < n:
                acc += samples[idx] * k
        filtered[i] = acc
    out = array.array("h")
    step = rate_in / rate_out
    pos = 0.0
    while pos < n - 1:
        i = int(pos)
        frac = pos - i
        value = filtered[i] * (1 - frac) + filtered[i + 1] * frac
        out.append(max(-32768, min(32767, round(value))))
        pos += step
    return out


def trim(samples: array.array[int], rate: int, threshold: int = 300) -> array.array[int]:
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    pad = int(0.25 * rate)
    return samples[max(0, loud[0] - pad) : min(len(samples), loud[-1] + pad)]


def speak(text: str, target: Path) -> None:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SystemExit("espeak-ng is needed for the voicemail audio: apt-get install espeak-ng")
    raw = subprocess.run(
        [exe, "-v", "de", "-s", "150", "-a", "120", "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(raw), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit("unexpected espeak-ng output format")
        rate = w.getframerate()
        samples = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        samples.byteswap()
    pcm = trim(resample(samples, rate, RATE), RATE)
    if sys.byteorder != "little":
        pcm.byteswap()
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-audio", action="store_true", help="do not regenerate the WAVs")
    args = parser.parse_args()

    for path, doc in ((JSON_PATH, build_document()), (EXTRAS_PATH, build_extras())):
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")

    FAX_DIR.mkdir(parents=True, exist_ok=True)
    for fax in RECEIVED_FAXES:
        target = RESOURCES / str(fax["pdf"])
        target.write_bytes(make_pdf(fax["_pages"], title=str(fax["filename"])))  # type: ignore[arg-type]
        print(f"wrote {target.relative_to(REPO)}")
    sample = HERE / "fax" / "sample-outgoing.pdf"
    sample.write_bytes(
        make_pdf(
            [["Demo-Fax", "Dieses Dokument ist ein Beispiel zum Versenden.", "Grüße aus München"]],
            title="Demo-Fax",
        )
    )
    print(f"wrote {sample.relative_to(REPO)}")

    if not args.no_audio:
        for *_, stem, text in VOICEMAILS:
            target = VOICEMAIL_DIR / f"{stem}.wav"
            speak(text, target)
            print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()

"""The relay's state in SQLite under its data directory: enrolment codes and devices.

Codes and tokens are stored as SHA-256 hashes only (both are long random strings, so a
plain hash is enough); nothing here can be turned back into a credential. The CLI
(`add-user`, `revoke`) and the running relay share the file: the relay notices another
process's change by SQLite's `data_version`.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

CODE_LIFETIME = 24 * 3600.0  # seconds an enrolment code is valid
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
TOKEN_PREFIX = "crt_"
MAX_NAME = 100  # characters of a device name

_SCHEMA = """
CREATE TABLE IF NOT EXISTS codes (
    hash TEXT PRIMARY KEY,
    login TEXT NOT NULL,
    created REAL NOT NULL,
    used REAL
);
CREATE TABLE IF NOT EXISTS devices (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created REAL NOT NULL,
    last_seen REAL,
    UNIQUE (login, name)
);
"""


class EnrolmentRefused(ValueError):
    """A code that is wrong, used or expired (the words say so)."""


@dataclass(frozen=True)
class DeviceRecord:
    id: int
    login: str
    name: str
    created: float
    last_seen: float | None


@dataclass(frozen=True)
class UserRecord:
    login: str
    devices: tuple[DeviceRecord, ...]
    open_codes: int  # codes not used and not expired


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Store:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = data_dir / "relay.sqlite3"
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self.path.chmod(0o600)
        self.now = time.time  # a test may move the clock

    def close(self) -> None:
        self._db.close()

    def data_version(self) -> int:
        """Changes whenever another connection changed the file."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    # -- codes ----------------------------------------------------------------------------

    def add_code(self, login: str) -> str:
        code = new_code()
        self._db.execute(
            "INSERT INTO codes (hash, login, created) VALUES (?, ?, ?)",
            (digest(normal_code(code)), login, self.now()),
        )
        return code

    def enrol(self, code: str, device: str) -> tuple[str, str]:
        """Trade a code for a new token of `device`: (token, login). A device of the same
        name of that user loses its old token."""
        now = self.now()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute(
                "SELECT login FROM codes WHERE hash = ? AND used IS NULL AND created > ?",
                (digest(normal_code(code)), now - CODE_LIFETIME),
            ).fetchone()
            if row is None:
                raise EnrolmentRefused(
                    "This enrolment code is not valid: it is wrong, used or older than "
                    "24 hours. Ask your administrator for a new one."
                )
            login = str(row[0])
            self._db.execute(
                "UPDATE codes SET used = ? WHERE hash = ?", (now, digest(normal_code(code)))
            )
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            self._db.execute("DELETE FROM devices WHERE login = ? AND name = ?", (login, device))
            self._db.execute(
                "INSERT INTO devices (login, name, token_hash, created) VALUES (?, ?, ?, ?)",
                (login, device, digest(token), now),
            )
        return token, login

    # -- devices --------------------------------------------------------------------------

    def device_for(self, token: str) -> DeviceRecord | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        row = self._db.execute(
            "SELECT id, login, name, created, last_seen FROM devices WHERE token_hash = ?",
            (digest(token),),
        ).fetchone()
        return DeviceRecord(*row) if row else None

    def seen(self, device_id: int) -> None:
        self._db.execute("UPDATE devices SET last_seen = ? WHERE id = ?", (self.now(), device_id))

    def device_ids(self) -> set[int]:
        return {int(r[0]) for r in self._db.execute("SELECT id FROM devices")}

    def users(self) -> list[UserRecord]:
        devices: dict[str, list[DeviceRecord]] = {}
        for row in self._db.execute(
            "SELECT id, login, name, created, last_seen FROM devices ORDER BY login, name"
        ):
            devices.setdefault(row[1], []).append(DeviceRecord(*row))
        codes = dict(
            self._db.execute(
                "SELECT login, COUNT(*) FROM codes WHERE used IS NULL AND created > ? "
                "GROUP BY login",
                (self.now() - CODE_LIFETIME,),
            ).fetchall()
        )
        logins = sorted(set(devices) | set(codes))
        return [UserRecord(n, tuple(devices.get(n, ())), int(codes.get(n, 0))) for n in logins]

    def revoke(self, login: str, device: str | None = None) -> list[str]:
        """Remove the user's device (or all of them, and their open codes): the names."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            if device is None:
                rows = self._db.execute("SELECT name FROM devices WHERE login = ?", (login,))
                names = [str(r[0]) for r in rows]
                self._db.execute("DELETE FROM devices WHERE login = ?", (login,))
                self._db.execute("DELETE FROM codes WHERE login = ? AND used IS NULL", (login,))
            else:
                names = [
                    str(r[0])
                    for r in self._db.execute(
                        "SELECT name FROM devices WHERE login = ? AND name = ?", (login, device)
                    )
                ]
                self._db.execute(
                    "DELETE FROM devices WHERE login = ? AND name = ?", (login, device)
                )
        return names

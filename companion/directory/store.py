"""The index file: SQLite with FTS5, built by :class:`Builder`, read by :class:`Reader`.

Tables: ``entries`` (one row per contact: the contact as JSON, its folded name for the
ranking, whether it is a colleague, and the text the two full-text indexes are built
from), ``word_index`` (FTS5, unicode61: the folded words of name, organisation and
e-mail, and the digit forms of the numbers, matched as prefixes), ``digit_index`` (FTS5,
trigram: the digit forms of the numbers, matched anywhere inside), ``numbers`` (the
normalised number of each entry's numbers, for the exact caller lookup) and ``meta``.
The full-text indexes use ``entries`` as their external content, so a private-contact
re-sync can delete rows in place.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from companion.directory.folding import fold_words, number_forms, typed_digits
from companion.pbx.models import Contact, ContactNumber, ContactSource, NumberKind, SearchResult

SCHEMA_VERSION = "1"
MAX_COUNTED = 1000  # a search counts its matches up to here

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    contact TEXT NOT NULL,
    name_key TEXT NOT NULL,
    source TEXT NOT NULL,
    colleague INTEGER NOT NULL,
    words TEXT NOT NULL,
    digits TEXT NOT NULL
);
CREATE INDEX entries_source ON entries (source);
CREATE TABLE numbers (key TEXT NOT NULL, entry INTEGER NOT NULL);
CREATE INDEX numbers_key ON numbers (key);
CREATE VIRTUAL TABLE word_index USING fts5(
    words, content='entries', content_rowid='id', tokenize='unicode61', detail='none'
);
CREATE VIRTUAL TABLE digit_index USING fts5(
    digits, content='entries', content_rowid='id', tokenize='trigram'
);
"""


class UnusableIndex(Exception):
    """The index file can't be used (missing, damaged, another version)."""


def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite >= 3.34)."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False


# ----------------------------------------------------------------------- one contact


def contact_json(contact: Contact) -> str:
    return json.dumps(
        [
            contact.id,
            contact.name,
            contact.source.value,
            [[n.kind.value, n.number] for n in contact.numbers],
            contact.organisation,
            contact.first_name,
            contact.last_name,
            contact.email,
            contact.notes,
            contact.user_name,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def contact_from_json(text: str) -> Contact:
    cid, name, source, numbers, org, first, last, email, notes, user = json.loads(text)
    return Contact(
        id=cid,
        name=name,
        source=ContactSource(source),
        numbers=tuple(ContactNumber(NumberKind(kind), number) for kind, number in numbers),
        organisation=org,
        first_name=first,
        last_name=last,
        email=email,
        notes=notes,
        user_name=user,
    )


@dataclass(frozen=True)
class _Row:
    contact: str
    name_key: str
    source: str
    colleague: int
    words: str
    digits: str
    keys: tuple[str, ...]


def _row(contact: Contact, region: str | None) -> _Row:
    keys: list[str] = []
    digit_forms: list[str] = []
    internal: list[str] = []  # extensions: also words, so one or two digits find them
    for number in contact.numbers:
        key, forms = number_forms(number.number, region)
        if key:
            keys.append(key)
        if key and not key.startswith("+"):
            internal.append(key)
        digit_forms += forms
    words = fold_words(contact.name, contact.first_name, contact.last_name, contact.organisation)
    words += fold_words(contact.email)
    return _Row(
        contact=contact_json(contact),
        name_key=" ".join(fold_words(contact.name)),
        source=contact.source.value,
        colleague=int(contact.source is ContactSource.USER),
        words=" ".join([*dict.fromkeys(words), *internal]),
        digits=" ".join(dict.fromkeys(digit_forms)),
        keys=tuple(dict.fromkeys(keys)),
    )


def _insert(db: sqlite3.Connection, contacts: Iterable[Contact], region: str | None) -> int:
    count = 0
    for contact in contacts:
        row = _row(contact, region)
        cursor = db.execute(
            "INSERT INTO entries (contact, name_key, source, colleague, words, digits)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row.contact, row.name_key, row.source, row.colleague, row.words, row.digits),
        )
        entry = cursor.lastrowid
        db.execute("INSERT INTO word_index (rowid, words) VALUES (?, ?)", (entry, row.words))
        db.execute("INSERT INTO digit_index (rowid, digits) VALUES (?, ?)", (entry, row.digits))
        db.executemany(
            "INSERT INTO numbers (key, entry) VALUES (?, ?)", [(k, entry) for k in row.keys]
        )
        count += 1
    return count


# --------------------------------------------------------------------------- writing


def create_private_file(path: Path) -> None:
    """An empty file only its owner can read, in a directory only its owner can enter."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


class Builder:
    """A new index file, filled in batches; :meth:`finish` makes it complete.

    Its methods block (SQLite): call them with ``asyncio.to_thread``, one at a time.
    """

    def __init__(self, path: Path, region: str | None) -> None:
        self.path = path
        self.region = region
        self.count = 0
        # A cancelled sync discards from another thread while a batch may still be
        # written: closing a connection in use crashes the process, so one at a time.
        self._lock = threading.Lock()
        create_private_file(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        # A half-built file is thrown away, never read: no journal needed while building.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")

    def add(self, contacts: Sequence[Contact]) -> int:
        with self._lock:
            self.count += _insert(self._db, contacts, self.region)
            return self.count

    def finish(self, meta: dict[str, str]) -> None:
        meta = {**meta, "version": SCHEMA_VERSION, "entries": str(self.count)}
        self._db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        self._db.execute("INSERT INTO word_index (word_index) VALUES ('optimize')")
        self._db.execute("INSERT INTO digit_index (digit_index) VALUES ('optimize')")
        self._db.execute("COMMIT")
        self._db.execute("PRAGMA journal_mode = DELETE")
        self._db.close()
        with open(self.path, "rb") as handle:
            os.fsync(handle.fileno())

    def discard(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def replace_private_contacts(path: Path, contacts: Sequence[Contact], region: str | None) -> None:
    """Swap the user's private contacts in the index at ``path`` for ``contacts`` (blocks)."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None, timeout=5)) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            old = db.execute(
                "SELECT id, words, digits FROM entries WHERE source = ?",
                (ContactSource.PRIVATE.value,),
            ).fetchall()
            for entry, words, digits in old:
                db.execute(
                    "INSERT INTO word_index (word_index, rowid, words) VALUES ('delete', ?, ?)",
                    (entry, words),
                )
                db.execute(
                    "INSERT INTO digit_index (digit_index, rowid, digits) VALUES ('delete', ?, ?)",
                    (entry, digits),
                )
                db.execute("DELETE FROM numbers WHERE entry = ?", (entry,))
            db.execute("DELETE FROM entries WHERE source = ?", (ContactSource.PRIVATE.value,))
            _insert(db, contacts, region)
            (count,) = db.execute("SELECT count(*) FROM entries").fetchone()
            db.execute("UPDATE meta SET value = ? WHERE key = 'entries'", (str(count),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def write_refusal(path: Path, meta: dict[str, str]) -> None:
    """An index that holds no entries and says why: the PBX refused the full listing."""
    builder = Builder(path, None)
    try:
        builder.finish(meta)
    except BaseException:
        builder.discard()
        raise


# --------------------------------------------------------------------------- reading


class Reader:
    """Searches and lookups on a finished index file (fast enough for the GUI thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(
                f"{path.as_uri()}?mode=ro", uri=True, timeout=0.05, isolation_level=None
            )
            self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as err:
            raise UnusableIndex(f"The directory index {path} can't be read: {err}") from None
        if self.meta.get("version") != SCHEMA_VERSION:
            self._db.close()
            raise UnusableIndex(f"The directory index {path} is from another version.")
        self._db.execute("CREATE TEMP TABLE recent (entry INTEGER PRIMARY KEY)")

    def close(self) -> None:
        self._db.close()

    def set_recent(self, keys: Iterable[str]) -> None:
        """The normalised numbers called lately: their contacts rank first among equals."""
        self._db.execute("DELETE FROM temp.recent")
        self._db.executemany(
            "INSERT OR IGNORE INTO temp.recent (entry) SELECT entry FROM numbers WHERE key = ?",
            [(key,) for key in keys],
        )

    def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        words: list[str] = []
        digit_runs: list[str] = []
        whole = typed_digits(text.strip())  # "0049 89 1234" is one number, not three
        for token in [whole] if whole is not None and len(whole) >= 3 else text.split():
            digits = typed_digits(token)
            if digits is not None and len(digits) >= 3:
                digit_runs.append(digits)
            else:
                words += fold_words(token)
        if not words and not digit_runs:
            return SearchResult((), 0, offset)
        where: list[str] = []
        params: list[object] = []
        if words:
            where.append("e.id IN (SELECT rowid FROM word_index WHERE word_index MATCH ?)")
            params.append(" AND ".join(f'"{w}"*' for w in words))
        if digit_runs:
            where.append("e.id IN (SELECT rowid FROM digit_index WHERE digit_index MATCH ?)")
            params.append(" AND ".join(f'"{d}"' for d in digit_runs))
        condition = " AND ".join(where)
        name = " ".join(words)
        rows = self._db.execute(
            f"SELECT e.contact FROM entries e WHERE {condition}"
            " ORDER BY CASE WHEN e.name_key = ? THEN 0"
            " WHEN substr(e.name_key, 1, length(?)) = ? THEN 1 ELSE 2 END,"
            " (e.colleague OR e.id IN temp.recent) DESC, e.name_key, e.id"
            " LIMIT ? OFFSET ?",
            [*params, name, name, name, limit, offset],
        ).fetchall()
        contacts = tuple(contact_from_json(row[0]) for row in rows)
        total = offset + len(contacts)
        if len(contacts) == limit:  # counted up to MAX_COUNTED: "more than" is enough to show
            (total,) = self._db.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM entries e WHERE {condition} LIMIT ?)",
                [*params, MAX_COUNTED],
            ).fetchone()
        return SearchResult(contacts, total, offset)

    def lookup(self, key: str) -> Contact | None:
        """The contact with the normalised number ``key``: colleagues, then own, then global."""
        row = self._db.execute(
            "SELECT e.contact FROM numbers n JOIN entries e ON e.id = n.entry WHERE n.key = ?"
            " ORDER BY e.colleague DESC, e.source = 'private' DESC, e.id LIMIT 1",
            (key,),
        ).fetchone()
        return contact_from_json(row[0]) if row else None

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from companion.directory.folding import fold_words, number_forms, typed_digits
from companion.pbx.models import Contact, ContactNumber, ContactSource, NumberKind, SearchResult

SCHEMA_VERSION = "2"
MAX_COUNTED = 1000  # a search counts its matches up to here
GAP = 32  # between neighbours' ids: room for private contacts; small, so doclists stay small
CACHE_KIB = 256  # a reader's page cache

# ``entries`` ids follow the rank order among equals (colleagues first, then by name), so
# the full-text indexes hand out their matches already in that order and a search reads
# only as many as it shows. ``words`` and ``digits`` are kept for private contacts only:
# the contentless full-text indexes need them to delete those in a private re-sync.
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    contact TEXT NOT NULL,
    name_key TEXT NOT NULL,
    source TEXT NOT NULL,
    colleague INTEGER NOT NULL,
    words TEXT NOT NULL DEFAULT '',
    digits TEXT NOT NULL DEFAULT ''
);
CREATE TABLE numbers (key TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (key, entry))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE word_index USING fts5(
    words, content='', tokenize='unicode61', detail='none', columnsize=0,
    prefix='1 2 3 4 5 6 7 8 9 10 11 12'
);
CREATE VIRTUAL TABLE digit_index USING fts5(
    digits, content='', tokenize='trigram', columnsize=0
);
"""
# Filled page by page while the PBX is read; put in rank order by ``finish``.
_STAGING = """
PRAGMA temp_store = FILE;
CREATE TEMP TABLE staging (
    contact TEXT, name_key TEXT, source TEXT, colleague INTEGER, words TEXT, digits TEXT
);
CREATE TEMP TABLE staging_numbers (staged INTEGER, key TEXT);
"""
_FINISH = f"""
CREATE TEMP TABLE ranked AS SELECT rowid AS staged,
    row_number() OVER (ORDER BY colleague DESC, name_key, rowid) * {GAP} AS id
    FROM temp.staging;
INSERT INTO entries (id, contact, name_key, source, colleague, words, digits)
    SELECT r.id, s.contact, s.name_key, s.source, s.colleague,
        CASE WHEN s.source = 'private' THEN s.words ELSE '' END,
        CASE WHEN s.source = 'private' THEN s.digits ELSE '' END
    FROM temp.ranked r JOIN temp.staging s ON s.rowid = r.staged ORDER BY r.id;
INSERT INTO word_index (rowid, words)
    SELECT r.id, s.words FROM temp.ranked r JOIN temp.staging s ON s.rowid = r.staged
    ORDER BY r.id;
INSERT INTO digit_index (rowid, digits)
    SELECT r.id, s.digits FROM temp.ranked r JOIN temp.staging s ON s.rowid = r.staged
    WHERE s.digits != '' ORDER BY r.id;
INSERT OR IGNORE INTO numbers (key, entry)
    SELECT n.key, r.id FROM temp.staging_numbers n JOIN temp.ranked r ON r.staged = n.staged;
CREATE INDEX entries_by_name ON entries (colleague, name_key);
INSERT INTO word_index (word_index) VALUES ('optimize');
INSERT INTO digit_index (digit_index) VALUES ('optimize');
DROP TABLE temp.ranked;
DROP TABLE temp.staging;
DROP TABLE temp.staging_numbers;
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
    """The contact, compact: a name made of first and last name and empty ends left out."""
    derived = " ".join(part for part in (contact.first_name, contact.last_name) if part)
    fields: list[object] = [
        contact.id,
        None if contact.name == derived else contact.name,
        contact.source.value,
        [[n.kind.value, n.number] for n in contact.numbers],
        contact.organisation,
        contact.first_name,
        contact.last_name,
        contact.email,
        contact.notes,
        contact.user_name,
    ]
    while len(fields) > len(_KEPT) and fields[-1] == _DEFAULTS[len(fields) - 1]:
        fields.pop()
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


_KEPT = ("id", "name", "source", "numbers")  # always written
_DEFAULTS: tuple[object, ...] = ("", None, "", [], "", "", "", "", "", None)


def contact_from_json(text: str) -> Contact:
    fields = json.loads(text)
    fields += _DEFAULTS[len(fields) :]
    cid, name, source, numbers, org, first, last, email, notes, user = fields
    return Contact(
        id=cid,
        name=" ".join(part for part in (first, last) if part) if name is None else name,
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
    name = fold_words(contact.name)
    words = name + fold_words(contact.first_name, contact.last_name, contact.organisation)
    words += fold_words(contact.email)
    return _Row(
        contact=contact_json(contact),
        name_key=" ".join(name),
        source=contact.source.value,
        colleague=int(contact.source is ContactSource.USER),
        words=" ".join([*dict.fromkeys(words), *internal]),
        digits=" ".join(dict.fromkeys(digit_forms)),
        keys=tuple(dict.fromkeys(keys)),
    )


def _stage(db: sqlite3.Connection, contacts: Iterable[Contact], region: str | None) -> int:
    """Add ``contacts`` to the staging tables of a file being built."""
    count = 0
    for contact in contacts:
        row = _row(contact, region)
        cursor = db.execute(
            "INSERT INTO temp.staging (contact, name_key, source, colleague, words, digits)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row.contact, row.name_key, row.source, row.colleague, row.words, row.digits),
        )
        staged = cursor.lastrowid
        db.executemany(
            "INSERT INTO temp.staging_numbers (staged, key) VALUES (?, ?)",
            [(staged, key) for key in row.keys],
        )
        count += 1
    return count


def _insert(db: sqlite3.Connection, contacts: Iterable[Contact], region: str | None) -> int:
    """Add ``contacts`` to a finished index, each at its place in the rank order."""
    count = 0
    for contact in contacts:
        row = _row(contact, region)
        entry = _free_id(db, row)
        db.execute(
            "INSERT INTO entries (id, contact, name_key, source, colleague, words, digits)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry, row.contact, row.name_key, row.source, row.colleague, row.words, row.digits),
        )
        db.execute("INSERT INTO word_index (rowid, words) VALUES (?, ?)", (entry, row.words))
        if row.digits:
            db.execute("INSERT INTO digit_index (rowid, digits) VALUES (?, ?)", (entry, row.digits))
        db.executemany(
            "INSERT OR IGNORE INTO numbers (key, entry) VALUES (?, ?)",
            [(k, entry) for k in row.keys],
        )
        count += 1
    return count


def _free_id(db: sqlite3.Connection, row: _Row) -> int:
    """An unused id between the entries that rank just before and just after ``row``."""
    before = db.execute(
        "SELECT id FROM entries WHERE colleague = ? AND name_key <= ?"
        " ORDER BY name_key DESC, id DESC LIMIT 1",
        (row.colleague, row.name_key),
    ).fetchone()
    if before is None and not row.colleague:  # after the last colleague
        before = db.execute("SELECT max(id) FROM entries WHERE colleague = 1").fetchone()
    low = int(before[0]) if before and before[0] is not None else 0
    (high,) = db.execute("SELECT min(id) FROM entries WHERE id > ?", (low,)).fetchone()
    if high is None:
        return low + GAP
    if int(high) - low > 1:
        return (low + int(high)) // 2
    (last,) = db.execute("SELECT max(id) FROM entries").fetchone()
    return int(last) + GAP  # no room left there: out of rank order, still found


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

    Its methods block (SQLite) and are called from one thread: the child process of
    ``building`` (a cancelled sync kills that process, it never closes this from another
    thread), or one call of :func:`write_refusal`.
    """

    def __init__(self, path: Path, region: str | None) -> None:
        self.path = path
        self.region = region
        self.count = 0
        create_private_file(path)
        self._db = sqlite3.connect(path, isolation_level=None)
        # A half-built file is thrown away, never read: no journal needed while building.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.executescript(_SCHEMA + _STAGING)
        self._db.execute("BEGIN")

    def add(self, contacts: Sequence[Contact]) -> int:
        self.count += _stage(self._db, contacts, self.region)
        return self.count

    def finish(self, meta: dict[str, str]) -> None:
        meta = {**meta, "version": SCHEMA_VERSION, "entries": str(self.count)}
        self._db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        for statement in _FINISH.split(";"):
            if statement.strip():
                self._db.execute(statement)
        self._db.execute("COMMIT")
        self._db.execute("VACUUM")  # the pages the full-text indexes merged away
        self._db.execute("PRAGMA journal_mode = DELETE")
        self._db.close()
        with open(self.path, "rb") as handle:
            os.fsync(handle.fileno())

    def discard(self) -> None:
        with contextlib.suppress(sqlite3.Error):
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
                if digits:
                    db.execute(
                        "INSERT INTO digit_index (digit_index, rowid, digits)"
                        " VALUES ('delete', ?, ?)",
                        (entry, digits),
                    )
            db.execute(  # a scan, but a rare one (numbers is keyed by number)
                "DELETE FROM numbers WHERE entry IN (SELECT id FROM entries WHERE source = ?)",
                (ContactSource.PRIVATE.value,),
            )
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
            # The page cache the GUI keeps for good: SQLite's default (2 MB) filled up
            # within a few searches; the system's file cache serves the pages as fast
            # (100,000 entries: the same query times at 256 KiB, 64 KiB and 2 MB).
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as err:
            raise UnusableIndex(f"The directory index {path} can't be read: {err}") from None
        if self.meta.get("version") != SCHEMA_VERSION:
            self._db.close()
            raise UnusableIndex(f"The directory index {path} is from another version.")
        self._db.execute("CREATE TEMP TABLE recent (entry INTEGER PRIMARY KEY)")
        (end,) = self._db.execute("SELECT max(id) FROM entries WHERE colleague = 1").fetchone()
        self._colleagues_end = int(end or 0)

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
        words, digit_runs = _parse(text)
        if not words and not digit_runs:
            return SearchResult((), 0, offset)
        query = _Query(words, digit_runs)
        need = offset + limit
        found: list[str] = []
        for tier in query.tiers():  # exact name, then name prefix, then the rest
            for sql, params in (query.first(tier, self._colleagues_end), query.others(tier)):
                if len(found) >= need:
                    break
                found += [row[0] for row in self._db.execute(sql, [*params, need - len(found)])]
        contacts = tuple(contact_from_json(text) for text in found[offset:need])
        total = offset + len(contacts)
        if len(contacts) == limit:  # counted up to MAX_COUNTED: "more than" is enough to show
            (total,) = self._db.execute(*query.count()).fetchone()
        return SearchResult(contacts, total, offset)

    def lookup(self, key: str) -> Contact | None:
        """The contact with the normalised number ``key``: colleagues, then own, then global."""
        row = self._db.execute(
            "SELECT e.contact FROM numbers n JOIN entries e ON e.id = n.entry WHERE n.key = ?"
            " ORDER BY e.colleague DESC, e.source = 'private' DESC, e.id LIMIT 1",
            (key,),
        ).fetchone()
        return contact_from_json(row[0]) if row else None

    def entries(self, source: str, ids: Sequence[str]) -> dict[str, Contact]:
        """The contacts of `source` with these ids, by id (for the favourites: a few)."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT contact FROM entries WHERE source = ? AND json_extract(contact, '$[0]')"
            f" IN ({marks})",
            [source, *ids],
        ).fetchall()
        contacts = (contact_from_json(row[0]) for row in rows)
        return {contact.id: contact for contact in contacts}


# --------------------------------------------------------------------------- searching


def _parse(text: str) -> tuple[list[str], list[str]]:
    """The folded words and the digit runs (3 digits or more) of what the user typed."""
    words: list[str] = []
    digit_runs: list[str] = []
    whole = typed_digits(text.strip())  # "0049 89 1234" is one number, not three
    for token in [whole] if whole is not None and len(whole) >= 3 else text.split():
        digits = typed_digits(token)
        if digits is not None and len(digits) >= 3:
            digit_runs.append(digits)
        else:
            words += fold_words(token)
    return words, digit_runs


_Sql = tuple[str, list[object]]
_REST = "NOT (e.name_key >= ? AND e.name_key < ?)"  # the tier of names that don't begin so


class _Query:
    """The SQL of one search, each part reading only as many rows as it may show.

    The rank: exact name, then name prefix, then the rest (the tiers); within a tier
    colleagues and recent contacts first (:meth:`first`, few), then the others
    (:meth:`others`), each by name. The others of a tier come either from the index of
    names (a name that begins with the typed words has them all as prefixes) or from a
    full-text index, whose matches come in rank order (the ids are).
    """

    def __init__(self, words: list[str], digit_runs: list[str]) -> None:
        self.words = " AND ".join(f'"{w}"*' for w in words)
        self.digits = " AND ".join(f'"{d}"' for d in digit_runs)
        self.name = " ".join(words)

    def tiers(self) -> list[_Sql]:
        if not self.name:
            return [("1", [])]
        end = self.name + "\U0010ffff"  # above every name that begins with self.name
        return [
            ("e.name_key = ?", [self.name]),
            ("e.name_key > ? AND e.name_key < ?", [self.name, end]),
            (_REST, [self.name, end]),
        ]

    def _probes(self, skip: str = "") -> _Sql:
        """Conditions that entry ``e`` matches the text (one row each, by id)."""
        sql: list[str] = []
        params: list[object] = []
        for index, match in (("word_index", self.words), ("digit_index", self.digits)):
            if match and index != skip:
                sql.append(f"EXISTS (SELECT 1 FROM {index} WHERE {index} MATCH ? AND rowid = e.id)")
                params.append(match)
        return " AND ".join(sql) or "1", params

    def first(self, tier: _Sql, colleagues_end: int) -> _Sql:
        """Colleagues and recent contacts of ``tier``, by name (then LIMIT ?).

        The colleagues are the ids up to ``colleagues_end``: read from the full-text index.
        """
        condition, params = tier
        index = self._driver()
        others, matches = self._probes(skip=index)
        probes, all_matches = self._probes()
        return (
            f"SELECT contact FROM (SELECT e.contact, e.name_key, e.id FROM {index} f"
            f" CROSS JOIN entries e ON e.id = f.rowid WHERE f.{index} MATCH ?"
            f" AND f.rowid <= ? AND e.colleague = 1 AND {condition} AND {others}"
            f" UNION ALL SELECT e.contact, e.name_key, e.id FROM temp.recent r CROSS"
            f" JOIN entries e ON e.id = r.entry WHERE e.colleague = 0 AND {condition}"
            f" AND {probes}) ORDER BY name_key, id LIMIT ?",
            [self.words or self.digits, colleagues_end, *params, *matches, *params, *all_matches],
        )

    def _driver(self) -> str:
        """The full-text index a query reads its matches from."""
        return "word_index" if self.words else "digit_index"

    def others(self, tier: _Sql) -> _Sql:
        """The other entries of ``tier``, by name (then LIMIT ?)."""
        condition, params = tier
        rest = "e.colleague = 0 AND e.id NOT IN temp.recent"
        if self.name and not self.digits and condition != _REST:
            return (  # the index of names, no full-text search needed
                f"SELECT e.contact FROM entries e WHERE {rest} AND {condition}"
                " ORDER BY e.name_key, e.id LIMIT ?",
                params,
            )
        index = self._driver()
        probes, matches = self._probes(skip=index)
        return (
            f"SELECT e.contact FROM {index} f CROSS JOIN entries e ON e.id = f.rowid"
            f" WHERE f.{index} MATCH ? AND {rest} AND {condition} AND {probes}"
            " ORDER BY f.rowid LIMIT ?",
            [self.words or self.digits, *params, *matches],
        )

    def count(self) -> _Sql:
        """How many entries match, up to MAX_COUNTED."""
        index = self._driver()
        probes, matches = self._probes(skip=index)
        probes = probes.replace("e.id", "f.rowid")
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {index} f WHERE f.{index} MATCH ?"
            f" AND {probes} LIMIT {MAX_COUNTED})",
            [self.words or self.digits, *matches],
        )

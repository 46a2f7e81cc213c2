"""What an open index keeps in memory: the GUI keeps its reader open for good."""

from __future__ import annotations

import ctypes
import sqlite3
from pathlib import Path

import pytest

from companion.directory import store
from companion.pbx.models import Contact, ContactNumber, ContactSource, NumberKind


def _sqlite_memory_used() -> ctypes._CFuncPtr | None:
    """SQLite's own count of the memory it holds, from the library ``sqlite3`` uses."""
    sqlite3.connect(":memory:").close()
    with open("/proc/self/maps") as maps:
        libraries = {line.split()[-1] for line in maps if "libsqlite3" in line}
    for library in libraries:
        used = ctypes.CDLL(library).sqlite3_memory_used
        used.restype = ctypes.c_int64
        return used
    return None


def test_a_reader_keeps_a_small_page_cache_however_much_it_reads(tmp_path: Path) -> None:
    used = _sqlite_memory_used() if Path("/proc/self/maps").exists() else None
    if used is None:
        pytest.skip("no shared libsqlite3 to ask")
    path = tmp_path / "index.sqlite3"
    builder = store.Builder(path, "DE")
    numbers = [f"+49 89 {1000000 + i}" for i in range(12_000)]
    builder.add(
        [
            Contact(
                str(i),
                f"Vorname{i} Nachname{i % 97}",
                ContactSource.GLOBAL,
                numbers=(ContactNumber(NumberKind.PHONE, number),),
                organisation=f"Firma {i % 31} GmbH",
            )
            for i, number in enumerate(numbers)
        ]
    )
    builder.finish({"synced_at": "2025-01-01T00:00:00+00:00"})
    assert path.stat().st_size > 3_000_000  # more than SQLite's default cache of 2 MB
    before = used()
    reader = store.Reader(path)
    try:
        for i in range(0, 12_000, 7):  # every entry's page, and the numbers' pages
            found = reader.lookup(f"+4989{1000000 + i}")
            assert found is not None and found.id == str(i)
        assert reader.search("nachname4", limit=20).total > 20
        assert used() - before < 1_000_000
    finally:
        reader.close()

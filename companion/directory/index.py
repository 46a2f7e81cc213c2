"""The local directory of one PBX and user: where its file is, its status, search, lookup.

The file is ``<cache dir>/directory/<hash of PBX address and user>.sqlite3``, mode 0600 in
a 0700 directory. It is replaced whole by a sync (built beside it, then ``os.replace``),
so a reader sees the old index or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.directory.store import Reader, UnusableIndex
from companion.numbers import NumberError, comparable
from companion.pbx.models import Contact, SearchResult

SUFFIX = ".sqlite3"


class DirectoryUnavailable(Exception):
    """The local index can't answer (not built yet, refused, outdated); ask the PBX."""


@dataclass(frozen=True)
class DirectoryStatus:
    """What ``companion directory status`` shows, and what a face needs to decide."""

    path: Path
    exists: bool
    entries: int = 0
    synced_at: datetime | None = None
    size: int = 0  # bytes
    refused: str = ""  # why the PBX refused the full listing, "" if it did not
    region: str = ""  # the dialing region the number forms were built for


class Directory:
    """The index of ``user`` on the PBX at ``pbx_url``, in ``root`` (a cache directory)."""

    def __init__(self, root: Path, pbx_url: str, user: str, region: str | None) -> None:
        self.root = root
        self.pbx_url = pbx_url
        self.user = user
        self.region = region or ""
        account = f"{pbx_url.rstrip('/')} {user}".encode()
        self.path = root / f"{hashlib.sha256(account).hexdigest()[:24]}{SUFFIX}"
        self._reader: Reader | None = None
        self._opened: tuple[int, int] | None = None  # (inode, mtime) of the open file
        self._recent: tuple[str, ...] = ()

    # -- files --------------------------------------------------------------------------

    def building_path(self) -> Path:
        """A new file beside the index, for a sync to fill."""
        return self.path.with_name(f".{self.path.stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp")

    def forget_others(self) -> None:
        """Delete the indexes of other PBXs or users (the account changed)."""
        if not self.root.is_dir():
            return
        for other in self.root.glob(f"*{SUFFIX}"):
            if other != self.path:
                with contextlib.suppress(OSError):
                    other.unlink()

    def delete(self) -> bool:
        """Delete the index (logout); True if there was one."""
        self.close()
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self._reader = None
        self._opened = None

    # -- status -------------------------------------------------------------------------

    def status(self) -> DirectoryStatus:
        try:
            reader = self._open()
        except DirectoryUnavailable:
            return DirectoryStatus(self.path, self.path.exists())
        meta = reader.meta
        synced = meta.get("synced_at", "")
        return DirectoryStatus(
            path=self.path,
            exists=True,
            entries=int(meta.get("entries", "0")),
            synced_at=datetime.fromisoformat(synced) if synced else None,
            size=self.path.stat().st_size,
            refused=meta.get("refused", ""),
            region=meta.get("region", ""),
        )

    def usable(self, max_age: timedelta | None = None) -> bool:
        """Whether search can answer from the index (built, not refused, same region, fresh)."""
        status = self.status()
        if not status.exists or status.refused or status.synced_at is None:
            return False
        if status.region != self.region:
            return False  # the national number forms were built for another region
        return max_age is None or datetime.now(UTC) - status.synced_at <= max_age

    # -- answers ------------------------------------------------------------------------

    def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        """Entries matching ``text`` best first; raises DirectoryUnavailable."""
        reader = self._open()
        if reader.meta.get("refused"):
            raise DirectoryUnavailable(reader.meta["refused"])
        return reader.search(text, limit, offset)

    def lookup(self, number: str) -> Contact | None:
        """The contact whose number is ``number`` however written; None if none or no index."""
        try:
            key = comparable(number, self.region or None)
            return self._open().lookup(key)
        except (NumberError, DirectoryUnavailable):
            return None

    def entries(self, source: str, ids: Sequence[str]) -> dict[str, Contact]:
        """The entries of `source` (a ContactSource value) with these ids, by id; {} if
        there is no index."""
        try:
            return self._open().entries(source, ids)
        except DirectoryUnavailable:
            return {}

    def set_recent(self, numbers: Iterable[str]) -> None:
        """The numbers the user called or was called by lately (e.g. from the history)."""
        keys: list[str] = []
        for number in numbers:
            with contextlib.suppress(NumberError):
                keys.append(comparable(number, self.region or None))
        self._recent = tuple(keys)
        if self._reader is not None:
            self._reader.set_recent(self._recent)

    def _open(self) -> Reader:
        """The reader of the current file, reopened when a sync has replaced it."""
        try:
            stat = self.path.stat()
        except OSError:
            self.close()
            raise DirectoryUnavailable("The local directory has not been built yet.") from None
        if self._reader is None or self._opened != (stat.st_ino, stat.st_mtime_ns):
            self.close()
            try:
                self._reader = Reader(self.path)
            except UnusableIndex as err:
                raise DirectoryUnavailable(str(err)) from None
            self._opened = (stat.st_ino, stat.st_mtime_ns)
            self._reader.set_recent(self._recent)
        return self._reader

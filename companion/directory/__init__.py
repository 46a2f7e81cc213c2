"""The local directory index: instant, forgiving search and caller lookup without a request.

No Qt here. The API for the faces (GUI, CLI)::

    from companion.directory import Directory, DirectoryUnavailable, sync, sync_private

    directory = open_directory(settings)          # the index of the configured PBX and user
    directory.usable(max_age)                     # built, not refused, same region, fresh?
    directory.search("mueller 089", limit=20)     # SearchResult, best first (GUI thread ok)
    directory.lookup("+49 89 1234")               # Contact | None, exact normalised number
    directory.set_recent(numbers)                 # recently called numbers rank first
    directory.status()                            # DirectoryStatus: entries, synced_at, size...
    await sync(directory, pbx, progress)          # full sync; progress(done, total)
    await sync_private(directory, pbx)            # after create/update/delete of a contact
    directory.delete()                            # logout

``search`` raises :class:`DirectoryUnavailable` when the index can't answer (not built,
or the PBX refused the full listing: ``status().refused`` says why); ask the PBX then.
A sync raises the PBX's errors (``companion.pbx.errors``) and keeps the old index.
Re-sync every ``settings.directory_sync_interval`` hours (:func:`sync_due`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from companion import config
from companion.directory.index import Directory, DirectoryStatus, DirectoryUnavailable
from companion.directory.store import fts5_available
from companion.directory.syncing import PAGE_SIZE, Progress, sync, sync_private
from companion.numbers import default_region

__all__ = [
    "PAGE_SIZE",
    "Directory",
    "DirectoryStatus",
    "DirectoryUnavailable",
    "Progress",
    "fts5_available",
    "max_age",
    "open_directory",
    "sync",
    "sync_due",
    "sync_private",
]


def open_directory(settings: config.Settings, root: Path | None = None) -> Directory:
    """The index of the configured PBX and user (in the cache dir unless ``root``)."""
    return Directory(
        root or config.cache_dir() / "directory",
        settings.pbx_url,
        settings.user,
        default_region(settings.region or None),
    )


def max_age(settings: config.Settings) -> timedelta:
    """How old the index may be before it is re-synced (and the CLI asks the PBX)."""
    return timedelta(hours=settings.directory_sync_interval)


def sync_due(directory: Directory, settings: config.Settings) -> bool:
    """Whether a sync should run now: no usable index, or an older one than the setting."""
    return not directory.usable(max_age(settings))

"""The local directory in the GUI: a Qt adapter that keeps the index fresh and says how it is.

The index itself (`companion.directory`, no Qt) searches and looks numbers up; this keeps it
synced on the asyncio loop: at start when due, every ``directory.sync_interval`` hours, on
demand ("Update the local directory" in the menu), and the user's own contacts at once
after they change. It also says, in one line for the dial window, why search asks the PBX
(first index still being built, with progress; listing refused; last update failed).

A failed sync keeps the old index; the failure is announced once (``failed``) until a
sync works again, so a PBX that is down does not raise a message every few hours.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QObject, QTime, QTimer, Signal

from companion import memory
from companion.directory import Directory, DirectoryUnavailable, sync, sync_private
from companion.pbx import errors
from companion.pbx.models import Contact, SearchResult
from companion.pbx.protocol import Pbx

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=15)  # a failed sync is tried again this soon


class LocalDirectory(QObject):
    """Keeps ``directory`` synced from ``pbx`` every ``interval`` (the sync_interval)."""

    changed = Signal()  # searchable, progress or the note changed
    failed = Signal(str)  # a sync failed: a sentence, once until a sync works again

    def __init__(
        self,
        directory: Directory,
        pbx: Pbx,
        interval: timedelta,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.pbx = pbx
        self.interval = interval
        self.progress: tuple[int, int] | None = None  # (done, total) while a sync runs
        self.error = ""  # why the last sync failed, "" after one that worked
        self._task: asyncio.Task[Any] | None = None
        self._private: asyncio.Task[Any] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    # -- syncing ------------------------------------------------------------------------

    def start(self) -> None:
        """Sync now if the index is missing or older than the interval, else when it is."""
        status = self.directory.status()
        if not self.directory.usable(self.interval) or status.synced_at is None:
            self.sync_now()
            return
        left = self.interval - (datetime.now(UTC) - status.synced_at)
        self._next_in(max(left, timedelta(seconds=1)))

    def stop(self) -> None:
        """Cancel the sync on its way (the old index stays) and the timer."""
        self.timer.stop()
        for task in (self._task, self._private):
            if task is not None and not task.done():
                task.cancel()

    async def wait(self, timeout: float | None = None) -> None:
        """Until the syncs on their way are done (tests, shutdown), at most `timeout` s.

        A quit must never hang on a sync: past the timeout it goes on (the building
        file is a scratch file that the next sync replaces; its child process is a
        daemon that ends with the app).
        """
        pending = [t for t in (self._task, self._private) if t is not None and not t.done()]
        if not pending:
            return
        done, late = await asyncio.wait(pending, timeout=timeout)
        for task in done:
            if not task.cancelled():
                task.exception()  # retrieved: a failure was announced already
        if late:
            log.warning("the directory sync did not stop within %s s; quitting anyway", timeout)

    @property
    def syncing(self) -> bool:
        return self._task is not None and not self._task.done()

    def sync_now(self) -> None:
        """Start a full sync (on demand, by the timer, at start); one at a time."""
        if self.syncing:
            return
        self.timer.stop()
        self.progress = (0, 0)
        self._task = asyncio.ensure_future(self._sync())
        self._task.add_done_callback(self._synced)
        self.changed.emit()

    def _synced(self, _task: asyncio.Task[Any]) -> None:
        # Called once the task is done, so `syncing` already says False to the listeners.
        self.progress = None
        self.changed.emit()
        memory.release_freed()  # what parsing the PBX's pages left behind

    async def _sync(self) -> None:
        try:
            await sync(self.directory, self.pbx, self._progressed)
        except asyncio.CancelledError:
            raise
        except (errors.PbxError, DirectoryUnavailable, OSError) as exc:
            self._sync_failed(str(exc))
        except Exception as exc:  # a bug: a line in words, the details in the log
            log.error("directory sync failed", exc_info=exc)
            self._sync_failed(type(exc).__name__)
        else:
            self.error = ""
            self._next_in(self.interval)

    def _sync_failed(self, why: str) -> None:
        first = not self.error
        self.error = why
        if first:
            self.failed.emit(self.tr("The local directory could not be updated: {0}").format(why))
        self._next_in(min(RETRY_AFTER, self.interval))

    def _progressed(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.changed.emit()

    def _next_in(self, delay: timedelta) -> None:
        # QTimer takes an int of milliseconds: cap it at a day (it re-checks then).
        self.timer.start(int(min(delay, timedelta(days=1)).total_seconds() * 1000))

    def contacts_changed(self) -> None:
        """The user created, edited or deleted a private contact: re-read those at once."""
        if self._private is not None and not self._private.done():
            self._private.cancel()
        self._private = asyncio.ensure_future(self._sync_private())

    async def _sync_private(self) -> None:
        try:
            await sync_private(self.directory, self.pbx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the contact is saved; the next full sync catches up
            log.warning("re-reading the private contacts failed: %s", exc)
        self.changed.emit()

    # -- answers ------------------------------------------------------------------------

    @property
    def searchable(self) -> bool:
        """Search answers from the index: fresh, or being re-synced right now."""
        if self.directory.usable(self.interval):
            return True
        return self.syncing and self.directory.usable()

    def search(self, text: str, limit: int) -> SearchResult | None:
        """The index's answer, or None when the PBX must be asked."""
        if not self.searchable:
            return None
        try:
            return self.directory.search(text, limit)
        except DirectoryUnavailable:
            return None

    def lookup(self, number: str) -> Contact | None:
        return self.directory.lookup(number)

    def set_recent(self, numbers: list[str]) -> None:
        self.directory.set_recent(numbers)

    # -- in words -----------------------------------------------------------------------

    def note(self) -> str:
        """Why search asks the PBX, or what the index is doing; "" when all is well."""
        if self.searchable:
            if self.error:
                return self.tr(
                    "The local directory could not be updated; it shows the entries of {0}."
                ).format(self._synced_at())
            return ""
        status = self.directory.status()
        if status.refused:
            return self.tr("Searching the PBX: {0}").format(status.refused)
        if self.progress is not None:
            done, total = self.progress
            locale = QLocale()
            if total:
                return self.tr(
                    "Building the local directory: {0} of {1} entries; searching the PBX meanwhile."
                ).format(locale.toString(done), locale.toString(total))
            return self.tr("Building the local directory; searching the PBX meanwhile.")
        if self.error:
            return self.tr(
                "Searching the PBX: the local directory could not be updated ({0})."
            ).format(self.error)
        return ""

    def _synced_at(self) -> str:
        synced = self.directory.status().synced_at
        if synced is None:
            return ""
        local = synced.astimezone()
        shown = QDateTime(
            QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)
        )
        return QLocale().toString(shown, QLocale.FormatType.ShortFormat)

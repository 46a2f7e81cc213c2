"""Filling the index from the PBX: a full sync, and a quick one of the user's own contacts.

The PBX is read page by page on the asyncio loop; each page is handed to a child process
that folds, parses and writes it (``building``), so a GUI on the same loop keeps running. The
next page is fetched while the current one is written. A full sync builds a new file
beside the index and swaps it in with ``os.replace`` only when it is complete: a sync that
fails or is cancelled leaves the old index as it was.

pascom's phonebook carries no timestamps (only the user rows have ``..._tmstmp``, and no
query filters on them), so every sync is a full one (docs/pbx-assumptions.md, "Directory
sync").
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from companion.directory import building, store
from companion.directory.index import Directory, DirectoryStatus, DirectoryUnavailable
from companion.pbx import errors
from companion.pbx.models import Contact, SearchResult
from companion.pbx.protocol import Pbx

PAGE_SIZE = 250  # a page is parsed on the loop: 500 held it up to ~40 ms on a loaded machine
MAX_ENTRIES = 2_000_000  # a PBX that keeps sending pages is not paging: stop there

Progress = Callable[[int, int], None]
"""Called with (entries done, entries in total) after each page."""

_T = TypeVar("_T")
_Blocking = Callable[..., "asyncio.Future[Any]"]


@contextlib.asynccontextmanager
async def _own_thread() -> AsyncIterator[_Blocking]:
    """``call(function, *args)``, awaited: run in one thread kept for this sync alone.

    Not ``asyncio.to_thread``: the default executor (qasync's: ten threads) hands a sync's
    400 calls to all of its threads, and each thread's malloc arena then keeps a few
    hundred KiB for good (2-3 MiB of the app's idle memory). One thread, ended after the
    sync, dirties one arena.
    """
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-directory")

    def call(function: Callable[..., _T], *args: Any) -> asyncio.Future[_T]:
        return loop.run_in_executor(executor, functools.partial(function, *args))

    try:
        yield call
    finally:
        executor.shutdown(wait=False)  # its thread ends once a call on its way is done


class PagingNotHonoured(errors.PbxError):
    """The PBX answers every page with the same entries (offset or limit ignored)."""


async def sync(directory: Directory, pbx: Pbx, progress: Progress | None = None) -> DirectoryStatus:
    """Build the index of ``directory`` anew from ``pbx`` and swap it in.

    Where the PBX refuses the listing (403) or does not page, the index is replaced by one
    that says so (search then asks the PBX) and the status tells why. Other failures
    (PBX down, error 500, cancelled) raise and keep the old index.
    """
    if not store.fts5_available():
        raise DirectoryUnavailable(
            "This Python's SQLite has no full-text search (FTS5 with trigrams, SQLite 3.34"
            " or newer): the local directory can't be built, search asks the PBX."
        )
    directory.forget_others()
    path = directory.building_path()
    async with _own_thread() as call:
        builder = await call(building.BuilderProcess, path, directory.region or None)
        try:
            refused = await _fill(builder, call, pbx, progress)
            meta = _meta(directory, refused)
            if refused:
                await call(builder.discard)
                await call(store.write_refusal, path, meta)
            else:
                await call(builder.finish, meta)
            os.replace(path, directory.path)
        except BaseException:
            # Not in the sync's thread: a call on its way there (a page, the finish) would
            # hold the discard up; the discard stops the child also in mid-call.
            await asyncio.shield(asyncio.to_thread(builder.discard))
            raise
    return directory.status()


async def sync_private(directory: Directory, pbx: Pbx) -> None:
    """Re-read the user's own phonebook into the index (after a create, edit or delete).

    Does nothing when there is no usable index (the next full sync reads them anyway).
    """
    if not directory.usable():
        return
    contacts: list[Contact] = []
    async with contextlib.aclosing(_pages(pbx, private_only=True)) as pages:
        async for page in pages:
            contacts += page.contacts
    async with _own_thread() as call:
        await call(
            store.replace_private_contacts, directory.path, contacts, directory.region or None
        )


async def _fill(
    builder: building.BuilderProcess, call: _Blocking, pbx: Pbx, progress: Progress | None
) -> str:
    """Write every page to ``builder``; the reason the PBX refused, or ""."""
    try:
        # Closed here, in this task, also when it is cancelled: left to the garbage
        # collector, the pages' generator would be closed outside the loop ("async
        # generator ignored GeneratorExit" when the app quits during a sync).
        async with contextlib.aclosing(_pages(pbx)) as pages:
            async for page in pages:
                done: int = await call(builder.add, page.contacts)
                if progress is not None:
                    progress(done, max(page.total, done))
    except errors.PermissionDenied as err:
        return f"The PBX does not allow reading the whole phonebook ({err})."
    except PagingNotHonoured as err:
        return str(err)
    return ""


async def _pages(pbx: Pbx, private_only: bool = False) -> AsyncGenerator[SearchResult, None]:
    """The pages of the phonebook in order, each fetched while the one before is used."""
    offset = 0
    first_ids: tuple[str, ...] = ()
    pending = asyncio.ensure_future(pbx.directory_page(0, PAGE_SIZE, private_only))
    try:
        while True:
            page: SearchResult = await pending
            contacts = page.contacts
            if not contacts:
                return
            ids = tuple(c.id for c in contacts[:3])
            if offset == 0:
                first_ids = ids
            elif ids == first_ids:
                raise PagingNotHonoured(
                    "The PBX sends the same phonebook page whatever the offset: it can't be"
                    " read page by page."
                )
            if len(contacts) > PAGE_SIZE and offset + len(contacts) < page.total:
                raise PagingNotHonoured(
                    f"The PBX sent {len(contacts)} entries for a page of {PAGE_SIZE}: it"
                    " can't be read page by page."
                )
            offset += len(contacts)
            more = offset < page.total and offset < MAX_ENTRIES
            if more:
                pending = asyncio.ensure_future(pbx.directory_page(offset, PAGE_SIZE, private_only))
            yield page
            if not more:
                return
    finally:
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending


def _meta(directory: Directory, refused: str) -> dict[str, str]:
    return {
        "pbx_url": directory.pbx_url,
        "user": directory.user,
        "region": directory.region,
        "synced_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "refused": refused,
    }

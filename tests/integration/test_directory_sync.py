"""The local directory synced from the demo PBX over a real socket (both variants)."""

from __future__ import annotations

import asyncio
import stat
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from companion.directory import Directory, DirectoryUnavailable, sync, sync_private, syncing
from companion.pbx import errors
from companion.pbx.models import ContactDetails, ContactSource
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import USER


@pytest.fixture
def directory(tmp_path: Path, sim: Simulator) -> Directory:
    return Directory(tmp_path / "cache" / "directory", sim.base_url, USER, "DE")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 50, so the demo PBX's 337 entries take several requests."""
    monkeypatch.setattr(syncing, "PAGE_SIZE", 50)


async def test_a_sync_fills_the_index_with_progress(
    directory: Directory, pbx: PascomPbx, small_pages: None
) -> None:
    seen: list[tuple[int, int]] = []
    status = await sync(directory, pbx, lambda done, total: seen.append((done, total)))
    everything = await pbx.search("", limit=1000)
    assert status.entries == everything.total == len(everything.contacts)
    assert len(seen) > 2 and seen[-1] == (status.entries, status.entries)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert directory.usable()
    names = [c.name for c in directory.search("mueller", limit=50).contacts]
    assert names and all("Müller" in n or "Mueller" in n for n in names)
    colleague = directory.lookup("0 1 0 2")  # not a number: no answer, no error
    assert colleague is None
    weiss = directory.lookup("102")
    assert weiss is not None and weiss.source is ContactSource.USER and weiss.user_name


class _WatchedExecutor(ThreadPoolExecutor):
    """The loop's default executor (``asyncio.to_thread``), noting what it is given."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.given: list[str] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.given.append(repr(fn))
        return super().submit(fn, *args, **kwargs)


def _sync_threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("companion-directory")}


async def test_a_sync_works_in_one_thread_of_its_own_that_ends_with_it(
    directory: Directory, pbx: PascomPbx, small_pages: None
) -> None:
    # Spread over the default executor's threads, a sync left each one's malloc arena
    # a few hundred KiB fuller for good (idle memory, docs/architecture.md).
    loop = asyncio.get_running_loop()
    shared = _WatchedExecutor()
    loop.set_default_executor(shared)
    seen: set[str] = set()
    try:
        await sync(directory, pbx, lambda done, total: seen.update(_sync_threads()))
        await pbx.create_contact(ContactDetails(name="Zacharias Neu", phone="089 5550001"))
        await sync_private(directory, pbx)
    finally:
        loop.set_default_executor(ThreadPoolExecutor())
        shared.shutdown()
    assert len(seen) == 1
    work = ("BuilderProcess", "replace_private_contacts", "write_refusal")
    assert not [given for given in shared.given if any(name in given for name in work)]
    assert [c.name for c in directory.search("zacharias").contacts] == ["Zacharias Neu"]
    for _ in range(200):  # its thread ends once the sync is done
        if not _sync_threads():
            break
        await asyncio.sleep(0.01)
    assert not _sync_threads()


async def test_file_and_directory_are_the_owners_alone(
    directory: Directory, pbx: PascomPbx
) -> None:
    await sync(directory, pbx)
    assert stat.S_IMODE(directory.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.path.parent.stat().st_mode) == 0o700
    assert [p.name for p in directory.path.parent.iterdir()] == [directory.path.name]


async def test_a_pbx_failing_midway_keeps_the_old_index(
    directory: Directory, pbx: PascomPbx, sim: Simulator, small_pages: None
) -> None:
    await sync(directory, pbx)
    before = directory.status()
    await pbx.create_contact(ContactDetails(name="Zacharias Neu", phone="089 5550001"))

    def fail_after_the_first_page(done: int, total: int) -> None:
        sim.misbehave("error500", path="phonebook")

    with pytest.raises(errors.PbxError):
        await sync(directory, pbx, fail_after_the_first_page)
    sim.behave()
    assert directory.status() == before
    assert directory.search("zacharias").contacts == ()
    assert [p.name for p in directory.path.parent.iterdir()] == [directory.path.name]


async def test_an_interrupted_sync_keeps_the_old_index(
    directory: Directory, pbx: PascomPbx, small_pages: None
) -> None:
    await sync(directory, pbx)
    before = directory.status()
    started = asyncio.Event()
    task = asyncio.ensure_future(sync(directory, pbx, lambda done, total: started.set()))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert directory.status() == before
    assert [p.name for p in directory.path.parent.iterdir()] == [directory.path.name]


async def test_a_new_sync_is_swapped_in_under_an_open_reader(
    directory: Directory, pbx: PascomPbx
) -> None:
    await sync(directory, pbx)
    assert directory.search("zacharias").contacts == ()  # the reader is open now
    await pbx.create_contact(ContactDetails(name="Zacharias Neu", phone="089 5550001"))
    await sync(directory, pbx)
    assert [c.name for c in directory.search("zacharias").contacts] == ["Zacharias Neu"]
    found = directory.lookup("+49 89 5550001")
    assert found is not None and found.name == "Zacharias Neu"


async def test_private_contacts_are_re_synced_at_once(directory: Directory, pbx: PascomPbx) -> None:
    await sync(directory, pbx)
    entries = directory.status().entries
    created = await pbx.create_contact(ContactDetails(name="Zacharias Neu", phone="0891"))
    await sync_private(directory, pbx)
    assert [c.name for c in directory.search("zacharias").contacts] == ["Zacharias Neu"]
    assert directory.status().entries == entries + 1
    await pbx.update_contact(created.id, ContactDetails(name="Zacharias Alt", phone="0891"))
    await sync_private(directory, pbx)
    assert [c.name for c in directory.search("zacharias").contacts] == ["Zacharias Alt"]
    await pbx.delete_contact(created.id)
    await sync_private(directory, pbx)
    assert directory.search("zacharias").contacts == ()
    assert directory.status().entries == entries
    assert directory.search("mueller").contacts  # the rest is still there


async def test_a_refused_listing_is_recorded_and_search_asks_the_pbx(
    directory: Directory, pbx: PascomPbx, sim: Simulator
) -> None:
    sim.misbehave("forbidden", path="phonebook")
    status = await sync(directory, pbx)
    assert status.refused and "does not allow" in status.refused
    assert not directory.usable()
    with pytest.raises(DirectoryUnavailable):
        directory.search("mueller")


async def test_a_pbx_that_ignores_the_offset_is_not_indexed(
    directory: Directory, pbx: PascomPbx, sim: Simulator, small_pages: None
) -> None:
    class SamePage:
        """The demo PBX as one that ignores `offset` (the first page, whatever is asked)."""

        async def directory_page(self, offset: int, limit: int, private_only: bool = False):  # type: ignore[no-untyped-def]
            return await pbx.directory_page(0, limit, private_only)

    status = await sync(directory, SamePage())  # type: ignore[arg-type]
    assert "same phonebook page" in status.refused
    assert not directory.usable()


async def test_another_account_s_index_is_deleted(
    directory: Directory, pbx: PascomPbx, sim: Simulator, tmp_path: Path
) -> None:
    other = Directory(directory.root, sim.base_url, "someone-else", "DE")
    await sync(other, pbx)
    await sync(directory, pbx)
    assert not other.path.exists() and directory.path.exists()
    assert directory.delete() and not directory.path.exists()
    assert not directory.usable()

"""Handing freed heap memory back to the system (glibc's malloc_trim)."""

from __future__ import annotations

import os
import platform
import sys

import pytest

from companion import memory


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    # 40 MB in blocks of 2 KB (past pymalloc's 512 bytes: glibc's heap), the last one
    # kept so the free space lies below it and glibc's own trimming of the top can't
    # give it back: only malloc_trim can.
    blocks = [bytes(2048) for _ in range(20_000)]
    last = blocks.pop()
    before = _resident_bytes()
    del blocks
    freed = _resident_bytes()
    memory.release_freed()
    after = _resident_bytes()
    assert last == bytes(2048)
    assert freed > before - 10_000_000, "glibc gave it back by itself: the test shows nothing"
    assert after < freed - 30_000_000

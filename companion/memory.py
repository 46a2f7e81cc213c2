"""Handing memory the app freed back to the system (glibc only; elsewhere a no-op)."""

from __future__ import annotations

import sys


def release_freed() -> None:
    """Return free heap pages to the system, after work that came and went (a sync).

    glibc's malloc keeps what a burst of work freed (100,000 parsed contacts) for later
    use, in holes the system still counts as the app's memory; ``malloc_trim`` gives the
    whole free pages back. A legitimate glibc call (man 3 malloc_trim), made through
    ctypes as there is no Python API for it; other C libraries give memory back on their
    own or not at all, so elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here: most runs of the app never need it

    try:
        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have none
        return
    trim(0)

"""Writing files atomically: settings and the sent-fax list (owner only), saved voicemail
and faxes (the user's usual mode).

The data goes to a temporary file in the same directory, is flushed to disk, then renamed
over the old file, so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, readable by its owner only (a new directory: 0700).

    Raises OSError.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _replace(path, data, 0o600)
    _fsync_dir(path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, with the mode a new file of the user's gets (umask).

    Raises OSError.
    """
    mask = os.umask(0)
    os.umask(mask)
    _replace(path, data, 0o666 & ~mask)


def _replace(path: Path, data: bytes, mode: int) -> None:
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # POSIX: mkstemp made it 0600
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)

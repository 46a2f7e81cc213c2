"""Reading and writing the user's files safely.

Reading (settings, the sent-fax list, a PDF to fax, the simulator's data): only a regular
file, opened without blocking (a FIFO in its place would hang the reader forever) and up
to a size limit (a link to /dev/zero would be read without end). A file that breaks
either rule is an :class:`UnusableFile`, which says in words what is wrong.

Writing settings and the sent-fax list (owner only), saved voicemail and faxes (the user's
usual mode): the data goes to a temporary file in the same directory, is flushed to disk,
then renamed over the old file, so a crash leaves the old file or the new one, never half
of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024


class UnusableFile(OSError):
    """A file that is not a regular file, or is too big; `strerror` says which, in words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class TooBig(UnusableFile):
    """A regular file over the limit of :func:`open_regular`."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(
            path,
            f"the file is {size_in_words(size)}, more than the {size_in_words(limit)}"
            " Companion reads",
        )
        self.size = size
        self.limit = limit


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def size_in_words(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, round(size / 1024))} KB"


def open_regular(path: Path | str, limit: int) -> BinaryIO:
    """`path` opened for reading, if it is a regular file of at most `limit` bytes.

    Raises :class:`UnusableFile` for anything else (a FIFO, a device, a directory, a file
    that is too big), OSError when it cannot be opened at all (missing, no permission).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnusableFile(path, f"this is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooBig(path, info.st_size, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of `path` under the rules of :func:`open_regular` (also if it grows)."""
    with open_regular(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooBig(path, len(data), limit)  # it grew while being read
    return data


def file_name(text: str) -> str:
    """`text` made safe as a file name on every desktop."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text)
    return re.sub(r"\s+", " ", cleaned).strip(" .") or "untitled"


def save_target(target: Path | str, name: str) -> Path:
    """Where a download named `name` goes when the user asked for `target`.

    An existing directory: `name` inside it. Otherwise `target` itself, a file name in an
    existing directory. Raises :class:`UnusableFile` for anything else, in words: also for
    "DIR/" that does not exist (Path drops the slash, which would make DIR a file).
    """
    meant_a_directory = str(target).endswith(("/", os.sep))
    target = Path(target)
    if target.is_dir():
        return target / name
    if meant_a_directory:
        raise UnusableFile(
            target, f"there is no directory {target}; give an existing directory or a file name"
        )
    parent = target.parent
    if not parent.is_dir():
        raise UnusableFile(
            target,
            f"there is no directory {parent}; give an existing directory or a file name in one",
        )
    if target.exists() and not target.is_file():
        raise UnusableFile(target, "this is neither a directory nor a file name to save to")
    return target


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
    try:  # a short prefix: the longest name the user may give must not fail as a temp file
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:  # the user knows the directory, not our temporary file in it
        raise type(exc)(exc.errno, exc.strerror, str(path.parent)) from None
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

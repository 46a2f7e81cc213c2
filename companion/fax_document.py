"""A PDF to send as a fax, checked before anything goes to the PBX. No Qt, no httpx.

`check(path)` is what the CLI's `fax send` and the inbox window's send both run: the file
must be a regular file (never a FIFO or a device) of at most :data:`MAX_BYTES`, start like
a PDF, open with pypdf (imported only here, only when a fax is sent), not need a password,
and have at least one page. The page count is shown before the fax is sent.

The pascom reference names no size limit for the upload; 20 MB is far above any fax (a
fax page is some 50 KB at fine resolution) and keeps a wrong file from being uploaded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from companion.files import MB, TooBig, UnusableFile, open_regular, size_in_words

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_BYTES = 20 * MB


class FaxDocumentError(Exception):
    """The file cannot be sent as a fax; ``str(err)`` says why, in one line for the user."""


@dataclass(frozen=True)
class FaxDocument:
    """A checked PDF: where it is, how many pages, how many bytes."""

    path: Path
    pages: int
    size: int

    @property
    def pages_in_words(self) -> str:
        return "1 page" if self.pages == 1 else f"{self.pages} pages"


def check(path: Path) -> FaxDocument:
    """`path` as a :class:`FaxDocument`, or :class:`FaxDocumentError` saying what is wrong."""
    name = path.name or str(path)
    try:
        handle = open_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise FaxDocumentError(f"There is no file {path}.") from None
    except TooBig as exc:
        raise FaxDocumentError(
            f"{name} is {size_in_words(exc.size)}, more than the {size_in_words(MAX_BYTES)}"
            " a fax may have. Send fewer pages or a smaller scan."
        ) from None
    except UnusableFile as exc:
        raise FaxDocumentError(f"{name} cannot be sent as a fax: {exc.strerror}.") from None
    except OSError as exc:
        raise FaxDocumentError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    with handle:
        size = _size(handle)
        if not handle.read(5).startswith(b"%PDF"):
            raise FaxDocumentError(
                f"{name} is not a PDF file. Only PDF files can be sent as a fax."
            )
        handle.seek(0)
        pages = _count_pages(handle, name)
    return FaxDocument(path, pages, size)


def _size(handle: BinaryIO) -> int:
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    return size


def _count_pages(handle: BinaryIO, name: str) -> int:
    from pypdf import PdfReader  # about 0.3 s to import: only when a fax is sent

    broken = FaxDocumentError(
        f"{name} cannot be opened as a PDF (it is damaged or incomplete), so it cannot be"
        " sent as a fax."
    )
    # pypdf logs every repair it makes to a damaged file; the user gets one message instead.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        try:
            reader = PdfReader(handle)
        except Exception:  # a parser of untrusted files fails in many ways; each is "broken"
            raise broken from None
        if reader.is_encrypted and not _opens_without_password(reader):
            raise FaxDocumentError(
                f"{name} is protected by a password, so the fax server cannot read it."
                " Save or print it as a PDF without a password, then send that."
            )
        try:
            pages = len(reader.pages)
        except Exception:
            raise broken from None
    finally:
        pypdf_log.setLevel(level)
    if pages < 1:
        raise FaxDocumentError(f"{name} has no pages, so there is nothing to fax.")
    return pages


def _opens_without_password(reader: PdfReader) -> bool:
    """An owner password only (printing allowed, editing not): readable as it is."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without a crypto library: treat as protected
        return False


__all__ = ["MAX_BYTES", "FaxDocument", "FaxDocumentError", "check", "size_in_words"]

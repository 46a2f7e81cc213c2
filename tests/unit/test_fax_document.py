"""The check every fax goes through before anything is sent (CLI and GUI alike)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion import fax_document
from companion.fax_document import FaxDocumentError
from tests.support.pdfs import write_pdf


def test_a_good_pdf_is_counted(tmp_path: Path) -> None:
    document = fax_document.check(write_pdf(tmp_path / "Angebot.pdf", pages=3))
    assert document.pages == 3 and document.pages_in_words == "3 pages"
    assert document.size == (tmp_path / "Angebot.pdf").stat().st_size


def test_only_the_pdf_prefix_is_not_enough(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is no PDF at all\n")
    with pytest.raises(FaxDocumentError, match=r"broken\.pdf cannot be opened as a PDF"):
        fax_document.check(broken)


def test_a_truncated_pdf_is_refused(tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", pages=2).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good[: len(good) // 3])
    with pytest.raises(FaxDocumentError, match="damaged or incomplete"):
        fax_document.check(cut)


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    locked = write_pdf(tmp_path / "locked.pdf", password="secret")
    with pytest.raises(FaxDocumentError, match="protected by a password"):
        fax_document.check(locked)


def test_a_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    empty = write_pdf(tmp_path / "empty.pdf", pages=0)
    with pytest.raises(FaxDocumentError, match="has no pages"):
        fax_document.check(empty)


def test_a_big_file_is_refused_in_words_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(fax_document.MAX_BYTES + 1)  # sparse: no 20 MB written to disk
    with pytest.raises(FaxDocumentError, match=r"big.pdf is 20.0 MB, more than the 20.0 MB"):
        fax_document.check(big)


def test_not_a_pdf_missing_or_not_a_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.pdf"
    text.write_text("hello")
    with pytest.raises(FaxDocumentError, match="not a PDF file"):
        fax_document.check(text)
    with pytest.raises(FaxDocumentError, match="There is no file"):
        fax_document.check(tmp_path / "missing.pdf")
    with pytest.raises(FaxDocumentError, match="a directory, not a regular file"):
        fax_document.check(tmp_path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)  # opened for reading without O_NONBLOCK this would wait for a writer
    with pytest.raises(FaxDocumentError, match="named pipe"):
        fax_document.check(fifo)

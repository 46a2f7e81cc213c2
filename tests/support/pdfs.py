"""Real PDFs for fax tests, made with pypdf: good ones, broken ones, big ones."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter


def write_pdf(path: Path, pages: int = 1, *, padding: int = 0, password: str = "") -> Path:
    """A valid PDF of `pages` blank A4 pages; `padding` bytes more in an attachment."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_attachment("padding.bin", b"\0" * padding)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path

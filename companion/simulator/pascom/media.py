"""Small media helpers: a dependency-free PDF writer, PDF page counting, WAV facts."""

from __future__ import annotations

import atexit
import io
import math
import re
import shutil
import struct
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "is_pdf",
    "make_message_wav",
    "make_pdf",
    "message_wav_file",
    "pdf_page_count",
    "wav_duration",
]

_PAGE_WIDTH = 595  # A4 in points
_PAGE_HEIGHT = 842


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), escaped."""
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in (0x28, 0x29, 0x5C):  # ( ) \
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += f"\\{byte:03o}".encode("ascii")
    out += b")"
    return bytes(out)


def make_pdf(pages: Sequence[Sequence[str]], *, title: str = "") -> bytes:
    """A valid PDF with one page per entry of ``pages``, each a list of text lines.

    The first line of each page is set as a heading. Helvetica with
    WinAnsiEncoding, so German umlauts and ß print correctly.
    """
    if not pages:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    page_tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    page_ids: list[int] = []
    for lines in pages:
        ops = [b"BT", b"/F2 16 Tf", b"56 780 Td", b"20 TL"]
        for index, line in enumerate(lines):
            if index == 1:
                ops.append(b"/F1 11 Tf")
                ops.append(b"16 TL")
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) + b"\n"
        content = add(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream"
        )
        page = add(
            f"<< /Type /Page /Parent {page_tree} 0 R /MediaBox [0 0 {_PAGE_WIDTH} {_PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font} 0 R /F2 {bold} 0 R >> >> "
            f"/Contents {content} 0 R >>".encode()
        )
        page_ids.append(page)
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[page_tree - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {page_tree} 0 R >>".encode()
    info = add(b"<< /Title " + _pdf_string(title) + b" /Producer (Companion demo PBX) >>")

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n".encode())
    out.write(b"0000000000 65535 f \n")
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` looks like a PDF document (the header within the first KiB)."""
    return b"%PDF-" in data[:1024]


_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(data: bytes) -> int:
    """Number of page objects in a PDF (best effort; at least 1 for a PDF)."""
    return max(1, len(_PAGE_RE.findall(data)))


def wav_duration(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def make_message_wav(seconds: float, *, rate: int = 8000) -> bytes:
    """A voicemail-like WAV (8 kHz mono 16-bit, as pascom records): syllables of tone.

    Pure Python, no speech engine at run time: a 180-220 Hz voice-band tone, switched
    on and off like speech, so players show a waveform and the length is right.
    """
    frames = max(1, int(seconds * rate))
    out = bytearray()
    for i in range(frames):
        t = i / rate
        syllable = (t * 4.0) % 1.0 < 0.6  # four syllables a second, 0.4 s gaps each
        pitch = 180.0 + 40.0 * math.sin(2 * math.pi * 0.5 * t)
        level = 6000 * math.sin(math.pi * ((t * 4.0) % 1.0) / 0.6) if syllable else 0.0
        out += struct.pack("<h", int(level * math.sin(2 * math.pi * pitch * t)))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(out))
    return buf.getvalue()


_message_files: dict[int, Path] = {}  # by whole seconds
_message_dir: list[Path] = []  # the one temporary directory, once made


def message_wav_file(seconds: float) -> Path:
    """A message WAV of about ``seconds`` (whole seconds), written once per process.

    Voicemail messages are files (VoicemailMessage.audio); these live in a private
    temporary directory that is removed when the process ends.
    """
    whole = max(1, round(seconds))
    path = _message_files.get(whole)
    if path is None:
        if not _message_dir:
            directory = Path(tempfile.mkdtemp(prefix="companion-sim-voicemail-"))
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
            _message_dir.append(directory)
        path = _message_dir[0] / f"message-{whole}s.wav"
        path.write_bytes(make_message_wav(whole))
        _message_files[whole] = path
    return path

#!/usr/bin/env python3
"""Render the packaging icons from the SVGs in resources/icons (run after changing them).

    python3 packaging/make_icons.py

Writes, all derived from ``resources/icons/companion.svg`` and the tray marks:

* ``packaging/linux/icons/hicolor/<N>x<N>/apps/companion.png`` for the hicolor sizes,
  ``.../scalable/apps/companion.svg``, and the light/dark tray marks as
  ``.../scalable/status/companion-tray-{light,dark}.svg`` plus PNGs at panel sizes;
* ``packaging/windows/companion.ico`` (PNG-compressed entries, 16 to 256 px);
* ``packaging/macos/companion.icns`` (PNG entries, 16 to 1024 px).

The PNGs are rendered by ``rsvg-convert`` (Debian: librsvg2-bin) when it is installed,
else by Qt's QSvgRenderer. ICO and ICNS are written here, from the PNGs, with the
standard library only. The output is committed, so a build needs none of these tools.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "resources" / "icons"
HICOLOR = REPO / "packaging" / "linux" / "icons" / "hicolor"
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (16, 22, 24, 32, 48)
TRAY_VARIANTS = ("companion-tray-light", "companion-tray-dark")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS types that hold PNG data: (type, pixel size)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def render(svg: Path, size: int) -> bytes:
    """``svg`` as a ``size`` x ``size`` PNG."""
    tool = shutil.which("rsvg-convert")
    if tool is not None:
        done = subprocess.run(
            [tool, "--width", str(size), "--height", str(size), str(svg)],
            capture_output=True,
            check=True,
        )
        return done.stdout
    return _render_qt(svg, size)


def _render_qt(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are the PNGs (allowed since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory = b""
    for size in sizes:
        data = pngs[size]
        byte = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", byte, byte, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + directory + b"".join(pngs[s] for s in sizes)


def icns(pngs: dict[bytes, bytes]) -> bytes:
    """An ICNS file of PNG entries: ``{type: png}``."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in pngs.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"{path.relative_to(REPO)}  ({len(data)} bytes)")


def main() -> int:
    app_svg = SOURCE / "companion.svg"
    for size in APP_SIZES:
        write(HICOLOR / f"{size}x{size}" / "apps" / "companion.png", render(app_svg, size))
    write(HICOLOR / "scalable" / "apps" / "companion.svg", app_svg.read_bytes())
    for variant in TRAY_VARIANTS:
        svg = SOURCE / f"{variant}.svg"
        write(HICOLOR / "scalable" / "status" / f"{variant}.svg", svg.read_bytes())
        for size in TRAY_SIZES:
            write(HICOLOR / f"{size}x{size}" / "status" / f"{variant}.png", render(svg, size))
    windows_icon = ico({size: render(app_svg, size) for size in ICO_SIZES})
    write(REPO / "packaging" / "windows" / "companion.ico", windows_icon)
    write(
        REPO / "packaging" / "macos" / "companion.icns",
        icns({kind: render(app_svg, size) for kind, size in ICNS_TYPES}),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draw every tray icon state at each tray size on a light and a dark panel, into one
contact sheet PNG, to look at (issue 12): ``uv run python scripts/tray_icon_sheet.py OUT.png``.

Each icon is drawn at its real size and beside it magnified 4x (pixels kept square), so
what a 16 px panel shows can be judged without a magnifier.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from companion.ui.icons import TrayState, state_image

STATES: list[tuple[str, TrayState]] = [
    ("connected", TrayState(True)),
    ("not set up / connecting", TrayState(None)),
    ("unreachable", TrayState(False, redirect=True, new_voicemails=3)),
    ("redirect", TrayState(True, redirect=True)),
    ("3 voicemails", TrayState(True, new_voicemails=3)),
    ("12 voicemails", TrayState(True, new_voicemails=12)),
    ("2 missed calls", TrayState(True, missed_calls=2)),
    ("ringing", TrayState(True, ringing=True)),
    ("in a call", TrayState(True, in_call=True)),
    ("voicemail + redirect", TrayState(True, redirect=True, new_voicemails=3)),
    ("voicemail + missed", TrayState(True, new_voicemails=3, missed_calls=2)),
    ("all at once", TrayState(True, True, 3, True, True, 2)),
]
SIZES = (16, 22, 24, 32)
PANELS = (("light panel", QColor("#e8e8e8")), ("dark panel", QColor("#2b2b2b")))
ZOOM = 4
LABEL_W, ROW_H, PAD = 170, 32 * ZOOM + 12, 8


def sheet() -> QImage:
    cell = max(SIZES) + PAD + max(SIZES) * ZOOM + PAD * 2
    width = LABEL_W + len(PANELS) * len(SIZES) * cell
    height = 28 + len(STATES) * ROW_H
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(12)
    painter.setFont(font)
    for p, (panel, colour) in enumerate(PANELS):
        for s, size in enumerate(SIZES):
            x = LABEL_W + (p * len(SIZES) + s) * cell
            painter.fillRect(QRect(x, 0, cell, height), colour)
            painter.setPen(QColor("#000000" if colour.lightness() > 128 else "#ffffff"))
            painter.drawText(QRect(x, 4, cell, 20), Qt.AlignmentFlag.AlignCenter,
                             f"{panel}, {size} px")
            for r, (_name, state) in enumerate(STATES):
                icon = state_image(state, size)
                y = 28 + r * ROW_H + (ROW_H - size * ZOOM) // 2
                painter.drawImage(x + PAD, y, icon)
                big = icon.scaled(size * ZOOM, size * ZOOM, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.FastTransformation)
                painter.drawImage(x + PAD + max(SIZES) + PAD, y, big)
    painter.setPen(QColor("#000000"))
    for r, (name, _state) in enumerate(STATES):
        painter.drawText(QRect(6, 28 + r * ROW_H, LABEL_W - 12, ROW_H),
                         Qt.AlignmentFlag.AlignVCenter, name)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: tray_icon_sheet.py OUT.png", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([])  # kept: painting needs it
    if not sheet().save(argv[1]) or app is None:
        print(f"could not write {argv[1]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

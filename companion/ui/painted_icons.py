"""Button and row icons painted in code, so no icon theme is needed."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

CALL_GREEN = QColor("#2e9d44")
HANGUP_RED = QColor("#d13438")
MISSED_RED = QColor("#c42b1c")
OUTGOING_BLUE = QColor("#2f6fce")


def paint_handset(painter: QPainter, rect: QRectF, colour: QColor, angle: float = 0.0) -> None:
    """A telephone handset, rotated by `angle` degrees (135 = hung up)."""
    painter.save()
    painter.translate(rect.center())
    painter.rotate(angle)
    s = min(rect.width(), rect.height())
    painter.scale(s / 24.0, s / 24.0)
    path = QPainterPath()
    # a handset in a 24x24 box centred on 0,0 (after Material's "call" outline)
    path.moveTo(-5.6, -10.0)
    path.cubicTo(-4.7, -10.0, -4.2, -9.6, -3.9, -8.8)
    path.lineTo(-2.6, -5.4)
    path.cubicTo(-2.3, -4.6, -2.5, -3.9, -3.1, -3.4)
    path.lineTo(-4.9, -1.9)
    path.cubicTo(-3.7, 0.7, -0.9, 3.6, 1.9, 4.9)
    path.lineTo(3.4, 3.1)
    path.cubicTo(3.9, 2.5, 4.6, 2.3, 5.4, 2.6)
    path.lineTo(8.8, 3.9)
    path.cubicTo(9.6, 4.2, 10.0, 4.7, 10.0, 5.6)
    path.lineTo(10.0, 8.4)
    path.cubicTo(10.0, 9.4, 9.3, 10.1, 8.2, 10.0)
    path.cubicTo(-1.4, 9.4, -9.4, 1.4, -10.0, -8.2)
    path.cubicTo(-10.1, -9.3, -9.4, -10.0, -8.4, -10.0)
    path.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPath(path)
    painter.restore()


def paint_arrow(
    painter: QPainter, rect: QRectF, colour: QColor, outgoing: bool, missed: bool = False
) -> None:
    """A diagonal arrow: up-right for an outgoing call, down-left for an incoming one."""
    painter.save()
    pen = QPen(colour, max(rect.width() * 0.13, 1.6))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    a = QPointF(rect.left() + 2, rect.bottom() - 2)
    b = QPointF(rect.right() - 2, rect.top() + 2)
    tip, tail = (b, a) if outgoing else (a, b)
    painter.drawLine(tail, tip)
    head = rect.width() * 0.45
    dx = 1.0 if tip.x() > tail.x() else -1.0
    dy = 1.0 if tip.y() > tail.y() else -1.0
    painter.drawLine(tip, QPointF(tip.x() - dx * head, tip.y()))
    painter.drawLine(tip, QPointF(tip.x(), tip.y() - dy * head))
    if missed:  # a small cross in the corner the arrow comes from
        c = QPointF(rect.right() - rect.width() * 0.18, rect.top() + rect.height() * 0.18)
        r = rect.width() * 0.16
        painter.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r))
        painter.drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r))
    painter.restore()


def painted_icon(kind: str, colour: QColor, size: int = 32) -> QIcon:
    """A button icon painted in code: "call", "hangup", "hold", "transfer", "dtmf"."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(2, 2, size - 4, size - 4)
    if kind == "call":
        paint_handset(painter, box, colour)
    elif kind == "hangup":
        paint_handset(painter, box.adjusted(0, 3, 0, 3), colour, angle=135.0)
    elif kind == "hold":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        w = size * 0.2
        painter.drawRoundedRect(QRectF(size * 0.25, size * 0.2, w, size * 0.6), 2, 2)
        painter.drawRoundedRect(QRectF(size * 0.75 - w, size * 0.2, w, size * 0.6), 2, 2)
    elif kind == "transfer":
        pen = QPen(colour, size * 0.1)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        y = size * 0.5
        painter.drawLine(QPointF(size * 0.15, y), QPointF(size * 0.82, y))
        painter.drawLine(QPointF(size * 0.82, y), QPointF(size * 0.58, y - size * 0.24))
        painter.drawLine(QPointF(size * 0.82, y), QPointF(size * 0.58, y + size * 0.24))
    elif kind == "dtmf":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        r = size * 0.08
        for i in range(3):
            for j in range(3):
                c = QPointF(size * (0.25 + 0.25 * i), size * (0.25 + 0.25 * j))
                painter.drawEllipse(c, r, r)
    painter.end()
    return QIcon(pixmap)


MENU_GREY = QColor("#66727d")  # readable on light and dark menus alike
REDIRECT_ORANGE = QColor("#ef6c00")


def menu_icon(kind: str, size: int = 32) -> QIcon:
    """The tray menu's item icons, painted: "dial", "recent", "presence", "redirect",
    "switches", "voicemail", "fax", "directory", "settings", "quit"."""
    if kind == "dial":
        return painted_icon("call", CALL_GREEN, size)
    if kind == "redirect":
        return painted_icon("transfer", REDIRECT_ORANGE, size)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(MENU_GREY, size * 0.09)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    s = float(size)
    if kind == "recent":  # a clock
        painter.drawEllipse(QRectF(s * 0.15, s * 0.15, s * 0.7, s * 0.7))
        painter.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.5, s * 0.28))
        painter.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.66, s * 0.6))
    elif kind == "presence":  # a person's dot in green
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CALL_GREEN)
        painter.drawEllipse(QRectF(s * 0.22, s * 0.22, s * 0.56, s * 0.56))
    elif kind == "switches":  # a toggle switch, on
        painter.drawRoundedRect(QRectF(s * 0.1, s * 0.3, s * 0.8, s * 0.4), s * 0.2, s * 0.2)
        painter.setBrush(MENU_GREY)
        painter.drawEllipse(QRectF(s * 0.52, s * 0.36, s * 0.28, s * 0.28))
    elif kind == "voicemail":  # a tape: two reels joined
        painter.drawEllipse(QRectF(s * 0.1, s * 0.32, s * 0.32, s * 0.32))
        painter.drawEllipse(QRectF(s * 0.58, s * 0.32, s * 0.32, s * 0.32))
        painter.drawLine(QPointF(s * 0.26, s * 0.64), QPointF(s * 0.74, s * 0.64))
    elif kind == "fax":  # a page with lines
        page = QPainterPath(QPointF(s * 0.22, s * 0.1))
        page.lineTo(s * 0.6, s * 0.1)
        page.lineTo(s * 0.78, s * 0.28)
        page.lineTo(s * 0.78, s * 0.9)
        page.lineTo(s * 0.22, s * 0.9)
        page.closeSubpath()
        painter.drawPath(page)
        for y in (0.45, 0.6, 0.75):
            painter.drawLine(QPointF(s * 0.34, s * y), QPointF(s * 0.66, s * y))
    elif kind == "directory":  # a list of entries
        for y in (0.25, 0.5, 0.75):
            painter.drawPoint(QPointF(s * 0.18, s * y))
            painter.drawLine(QPointF(s * 0.35, s * y), QPointF(s * 0.85, s * y))
    elif kind == "settings":  # sliders
        for y, x in ((0.25, 0.62), (0.5, 0.35), (0.75, 0.55)):
            painter.drawLine(QPointF(s * 0.12, s * y), QPointF(s * 0.88, s * y))
            painter.setBrush(MENU_GREY)
            painter.drawEllipse(QPointF(s * x, s * y), s * 0.08, s * 0.08)
    elif kind == "quit":  # the power sign
        painter.drawArc(QRectF(s * 0.16, s * 0.2, s * 0.68, s * 0.68), 120 * 16, 300 * 16)
        painter.drawLine(QPointF(s * 0.5, s * 0.1), QPointF(s * 0.5, s * 0.48))
    painter.end()
    return QIcon(pixmap)

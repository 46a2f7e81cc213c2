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

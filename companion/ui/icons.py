"""The app icon, and the tray icon that shows the state at a glance.

The base mark (a handset in a rounded square) is an SVG in ``resources/icons/``
(``companion/_resources/icons/`` in a wheel). The tray icon draws the state over it:

* connected: the mark as it is;
* not connected (PBX unreachable, credentials refused, ...): the mark in grey with a red
  cross in the lower right corner; nothing else, the rest of the state is stale then;
* not known yet (connecting, not set up): the mark in grey;
* redirect active: an orange arrow badge in the lower right corner;
* unheard voicemail: a red badge with the count (9+ above nine) in the upper right corner;
* unseen missed calls: a purple badge with the count in the upper left corner (beside
  the red voicemail count, a different colour keeps the two numbers apart);
* a call rings for the user: a green handset badge with sound waves in the lower left
  corner, larger than the other badges (it wants attention);
* in a call: a blue handset badge in the lower left corner.

The call badges and counts are drawn only while the PBX is reachable: otherwise the
state they show is stale. At 16-24 px (where panels draw tray icons) two badges would
cover the mark and neither could be read, so a small icon shows one badge, the first
of: ringing, in a call, voicemail count, missed calls count, redirect; the tooltip and
the menu's header say the rest. At 32 px two badges fit, from 48 px on all of them.

Besides the colour mark there are two monochrome variants: ``light`` (a white mark,
for dark panels) and ``dark`` (a dark mark, for light panels).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

Variant = Literal["color", "light", "dark"]

ICON_SIZES = (16, 22, 24, 32, 48, 64, 128)
_FILES: dict[str, str] = {
    "color": "companion.svg",
    "light": "companion-tray-light.svg",
    "dark": "companion-tray-dark.svg",
}
_RED = QColor("#d32f2f")
_ORANGE = QColor("#ef6c00")
_WHITE = QColor("#ffffff")
_GREEN = QColor("#2e9d3a")
_BLUE = QColor("#1565c0")
_PURPLE = QColor("#7b1fa2")  # missed calls: not the voicemail red, so "1" "3" never reads "13"
# The mark's handset (resources/icons/companion.svg), drawn white into a 24 x 24 box.
_HANDSET_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#ffffff" d="'
    b"M8.5 3.5L5.2 3.9C4 4.1 3.2 5.2 3.4 6.4C4.6 13.6 10.4 19.4 17.6 20.6C18.8 20.8 19.9 20"
    b" 20.1 18.8L20.5 15.5C20.6 14.8 20.2 14.1 19.5 13.9L16.4 12.9C15.8 12.7 15.1 12.9 14.7"
    b" 13.5L13.6 15C11.5 13.9 10.1 12.5 9 10.4L10.5 9.3C11.1 8.9 11.3 8.2 11.1 7.6L10.1"
    b' 4.5C9.9 3.8 9.2 3.4 8.5 3.5Z"/></svg>'
)


def icons_dir() -> Path:
    """Where the icons are: in a wheel under companion/_resources, else in the repo."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_resources" / "icons", package.parent / "resources" / "icons"):
        if candidate.is_dir():
            return candidate
    return package.parent / "resources" / "icons"


def icon_path(variant: Variant = "color") -> Path:
    return icons_dir() / _FILES[variant]


@dataclass(frozen=True)
class TrayState:
    """What the tray icon shows."""

    reachable: bool | None  # None: not known yet (connecting) or not set up
    redirect: bool = False
    new_voicemails: int = 0
    ringing: bool = False  # an incoming call rings for the user
    in_call: bool = False  # the user is in a call (connected or on hold)
    missed_calls: int = 0  # missed calls the user has not looked at yet


@cache
def _renderer(variant: Variant) -> QSvgRenderer:
    return QSvgRenderer(str(icon_path(variant)))


@cache
def _handset_renderer() -> QSvgRenderer:
    return QSvgRenderer(QByteArray(_HANDSET_SVG))


def app_icon() -> QIcon:
    """The app's icon (window icon, the desktop file's icon)."""
    return QIcon(str(icon_path("color")))


def base_image(size: int, variant: Variant = "color") -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(variant).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _grey(image: QImage) -> QImage:
    """The image in grey, faded a little, with its transparency kept."""
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
    )
    grey.setAlphaChannel(alpha)
    faded = QImage(grey.size(), QImage.Format.Format_ARGB32_Premultiplied)
    faded.fill(Qt.GlobalColor.transparent)
    painter = QPainter(faded)
    painter.setOpacity(0.75)
    painter.drawImage(0, 0, grey)
    painter.end()
    return faded


def _disc(painter: QPainter, rect: QRectF, color: QColor, size: int) -> None:
    painter.setPen(QPen(_WHITE, max(1.0, size / 32)))
    painter.setBrush(color)
    painter.drawEllipse(rect)


def _cross(painter: QPainter, rect: QRectF, size: int) -> None:
    _disc(painter, rect, _RED, size)
    inset = rect.width() * 0.3
    inner = rect.adjusted(inset, inset, -inset, -inset)
    pen = QPen(_WHITE, max(1.5, size / 14))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(inner.topLeft(), inner.bottomRight())
    painter.drawLine(inner.topRight(), inner.bottomLeft())


def _arrow(painter: QPainter, rect: QRectF, size: int) -> None:
    """An orange disc with a white arrow bending right: calls go elsewhere."""
    _disc(painter, rect, _ORANGE, size)
    w = rect.width()
    x, y = rect.left(), rect.top()
    pen = QPen(_WHITE, max(1.5, size / 16))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if size <= 16:  # a bend does not survive 11 pixels: a plain arrow to the right
        mid = y + w * 0.5
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.drawLine(QPointF(x + w * 0.24, mid), QPointF(x + w * 0.74, mid))
        painter.drawLine(QPointF(x + w * 0.74, mid), QPointF(x + w * 0.52, mid - w * 0.24))
        painter.drawLine(QPointF(x + w * 0.74, mid), QPointF(x + w * 0.52, mid + w * 0.24))
        return
    path = QPainterPath(QPointF(x + w * 0.3, y + w * 0.72))
    path.lineTo(x + w * 0.3, y + w * 0.55)
    path.quadTo(x + w * 0.3, y + w * 0.4, x + w * 0.45, y + w * 0.4)
    path.lineTo(x + w * 0.72, y + w * 0.4)
    painter.drawPath(path)
    head = QPainterPath(QPointF(x + w * 0.58, y + w * 0.26))
    head.lineTo(x + w * 0.73, y + w * 0.4)
    head.lineTo(x + w * 0.58, y + w * 0.54)
    painter.drawPath(head)


def _handset(painter: QPainter, rect: QRectF, color: QColor, size: int, *, waves: bool) -> None:
    """A disc with the white handset; `waves`: with sound waves beside it (it rings)."""
    _disc(painter, rect, color, size)
    waves = waves and size >= 32  # below that, arcs only blur the handset: colour and size tell
    inset = rect.width() * (0.2 if waves else 0.16)
    inner = rect.adjusted(inset, inset, -inset, -inset)
    if waves:  # the handset to the lower left, two arcs to its upper right
        inner = inner.translated(-rect.width() * 0.06, rect.width() * 0.06)
    _handset_renderer().render(painter, inner)
    if waves:
        pen = QPen(_WHITE, max(1.0, size / 28))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        centre = QPointF(rect.left() + rect.width() * 0.42, rect.top() + rect.height() * 0.58)
        for radius in (0.3, 0.44):
            r = rect.width() * radius
            arc = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
            painter.drawArc(arc, 10 * 16, 70 * 16)  # the upper right quarter


def _count(painter: QPainter, rect: QRectF, count: int, size: int, color: QColor = _RED) -> None:
    _disc(painter, rect, color, size)
    # At 16 px two characters cannot be read: "+" then stands for "more than nine".
    text = str(count) if count <= 9 else "+" if size <= 16 else "9+"
    font = QFont()
    font.setBold(True)
    share = 0.62 if len(text) == 1 else 0.5
    if size <= SMALL:  # one badge only: its digit may fill the disc
        share += 0.14
    font.setPixelSize(max(6, round(rect.height() * share)))
    if size <= 16:  # crisp pixels read better than a blurred digit this small
        font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
        font.setStyleStrategy(QFont.StyleStrategy.NoAntialias)
    painter.setFont(font)
    painter.setPen(_WHITE)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


SMALL = 24  # at this size and below, one badge at a time (see `small_badge`)
LARGE = 48  # from this size on, every badge that applies
# Which badge a small icon shows when several apply: what wants attention first.
BADGE_PRIORITY = ("ringing", "in_call", "voicemail", "missed", "redirect")


def badges(state: TrayState) -> list[str]:
    """The badges that apply to `state`, by priority; none but "offline" when unreachable."""
    if state.reachable is False:
        return ["offline"]
    if not state.reachable:
        return []
    applies = {
        "ringing": state.ringing,
        "in_call": state.in_call and not state.ringing,
        "voicemail": state.new_voicemails > 0,
        "missed": state.missed_calls > 0,
        "redirect": state.redirect,
    }
    return [name for name in BADGE_PRIORITY if applies[name]]


def small_badge(state: TrayState) -> str | None:
    """The one badge a 16-24 px icon shows: two badges there cover the mark and neither
    can be read, so only the first by priority (the tooltip and menu say the rest)."""
    shown = badges(state)
    return shown[0] if shown else None


def state_image(state: TrayState, size: int, variant: Variant = "color") -> QImage:
    """The tray icon for `state` at `size` pixels square."""
    image = base_image(size, variant)
    if state.reachable is not True:
        image = _grey(image)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if size <= SMALL:
        badge = small_badge(state)
        shown = [badge] if badge is not None else []
        # one badge, as large as still leaves the mark recognisable (at 16 px a digit
        # needs 11 pixels of disc)
        scale = 0.7 if size <= 16 else 0.62
    else:  # two badges at most below 48 px: more would cover the whole mark
        shown = badges(state)[: 2 if size < LARGE else None]
        scale = 0.48 if len(shown) > 1 else 0.52
    _draw_badges(painter, state, shown, size, scale)
    painter.end()
    return image


def _draw_badges(
    painter: QPainter, state: TrayState, shown: list[str], size: int, scale: float
) -> None:
    badge = round(size * scale)  # whole pixels: a disc's edge blurs less
    lower_right = QRectF(size - badge - 0.5, size - badge - 0.5, badge, badge)
    lower_left = QRectF(0.5, size - badge - 0.5, badge, badge)
    count = badge + size * 0.02 if size > SMALL else badge
    if "offline" in shown:
        _cross(painter, lower_right, size)
    if "redirect" in shown:
        _arrow(painter, lower_right, size)
    if "voicemail" in shown:
        upper_right = QRectF(size - count - 0.5, 0.5, count, count)
        _count(painter, upper_right, state.new_voicemails, size)
    if "missed" in shown:
        _count(painter, QRectF(0.5, 0.5, count, count), state.missed_calls, size, _PURPLE)
    if "ringing" in shown:  # a ringing call wants attention: the largest badge
        ring = badge + size * 0.08 if size > SMALL else badge
        _handset(painter, QRectF(0.5, size - ring - 0.5, ring, ring), _GREEN, size, waves=True)
    elif "in_call" in shown:
        _handset(painter, lower_left, _BLUE, size, waves=False)


def state_icon(state: TrayState, variant: Variant = "color") -> QIcon:
    """The tray icon for `state`, drawn for each usual tray size."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(QPixmap.fromImage(state_image(state, size, variant)))
    return icon

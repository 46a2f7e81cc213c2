"""The dial window's result list: what a row shows, the model, and how a row is painted."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from companion.favourites import Favourite
from companion.pbx.models import CallRecord, Contact, ContactSource, Presence
from companion.ui.painted_icons import (
    CALL_GREEN,
    MISSED_RED,
    OUTGOING_BLUE,
    paint_arrow,
    paint_handset,
)

PRESENCE_COLOURS = {
    Presence.AVAILABLE: QColor("#2e9d44"),
    Presence.BUSY: QColor("#d13438"),
    Presence.RINGING: QColor("#e8890c"),
    Presence.ON_HOLD: QColor("#8764b8"),
    Presence.AWAY: QColor("#c8a400"),
    Presence.OFFLINE: QColor("#9a9a9a"),
    Presence.UNKNOWN: QColor("#c8c8c8"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DialWindow", text)


def presence_word(presence: Presence) -> str:
    """A colleague's presence in words, as the dial window and the tray's favourites say it."""
    return {
        Presence.AVAILABLE: _tr("available"),
        Presence.BUSY: _tr("busy"),
        Presence.RINGING: _tr("ringing"),
        Presence.ON_HOLD: _tr("on hold"),
        Presence.AWAY: _tr("away"),
        Presence.OFFLINE: _tr("offline"),
        Presence.UNKNOWN: _tr("unknown"),
    }.get(presence, str(presence))


PIN_COLOUR = QColor("#d08a00")  # the favourite's star
PIN_MARK = "\u2605"  # a black star: pinned
SOURCE_COLOURS = {
    ContactSource.USER: QColor("#4f6bed"),
    ContactSource.PRIVATE: QColor("#0f8a80"),
    ContactSource.GLOBAL: QColor("#6b7785"),
}


# -- what a row shows -------------------------------------------------------------------


class RowKind(enum.Enum):
    NUMBER = "number"  # the typed text is a number: call it
    CONTACT = "contact"  # a phonebook entry or colleague
    HISTORY = "history"  # a recent call, to call back


@dataclass(frozen=True)
class DialTarget:
    """One number a row can call."""

    kind: str  # "phone", "mobile", ... as shown (translated)
    number: str  # what is handed to controller.dial (as stored or typed)
    display: str  # as shown


@dataclass(frozen=True)
class ResultRow:
    kind: RowKind
    title: str
    detail: str = ""  # organisation, call direction, ...
    source: str = ""  # "private", "company", "colleague" (translated); "" for others
    source_colour: QColor | None = None
    initials: str = ""
    presence: Presence | None = None
    presence_text: str = ""
    targets: tuple[DialTarget, ...] = ()
    contact: Contact | None = None
    record: CallRecord | None = None
    when: str = ""  # the time of a recent call
    detail_colour: QColor | None = None
    favourite: Favourite | None = None  # pinned: shows the pin mark

    @property
    def editable(self) -> bool:
        return self.contact is not None and self.contact.source is ContactSource.PRIVATE

    @property
    def name(self) -> str:
        """Who is called, for the status line ("" for a bare number)."""
        if self.kind is RowKind.NUMBER:
            return ""
        return self.title if self.record is None or self.record.name else ""


class ResultsModel(QAbstractListModel):
    """The rows the list shows; replaced as a whole when a search answers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ResultRow] = []

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> ResultRow | None:
        """The row behind `index`.

        Read straight from the list, not through `data()`: a Python object carried in a
        QVariant is released once too often by PySide6 6.12 and crashes the interpreter.
        """
        if not index.isValid() or index.model() is not self:
            return None
        return self.rows[index.row()] if 0 <= index.row() < len(self.rows) else None

    def set_rows(self, rows: list[ResultRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [row.title, row.detail, row.source, row.presence_text, row.when]
            if row.favourite is not None:
                parts.insert(1, PIN_MARK)
            parts += [f"{t.kind} {t.display}".strip() for t in row.targets]
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.title] + ([row.detail] if row.detail else [])
            for n, target in enumerate(row.targets[:9], start=1):
                lines.append(f"Alt+{n}: {target.kind} {target.display}".replace("  ", " "))
            return "\n".join(lines)
        return None


# -- painting ---------------------------------------------------------------------------


PAD_V = 7
PAD_H = 10
AVATAR = 34
GAP = 10
LINE_GAP = 2
NUMBER_GAP = 16


class ResultDelegate(QStyledItemDelegate):
    """Paints a row: avatar, name and source, organisation and presence, the numbers."""

    def __init__(self, view: QListView, model: ResultsModel) -> None:
        super().__init__(view)
        self.view = view
        self.model = model

    # fonts, derived from the view's
    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        size = base.pointSizeF()
        if size > 0:
            small.setPointSizeF(max(size * 0.88, 7.0))
        return bold, base, small

    def _text_width(self) -> int:
        return max(self.view.viewport().width() - 2 * PAD_H - AVATAR - GAP, 80)

    @staticmethod
    def _keycap_width(fm_small: QFontMetrics) -> int:
        return fm_small.horizontalAdvance("9") + 8

    def _number_lines(
        self, row: ResultRow, width: int, fm: QFontMetrics, fm_small: QFontMetrics
    ) -> list[list[tuple[int, int, DialTarget, str]]]:
        """The numbers laid out in lines: (x offset, segment width, target, key).

        A contact with several numbers shows each number's Alt+digit as a small key cap.
        The layout does not depend on the selection, so rows keep their height.
        """
        lines: list[list[tuple[int, int, DialTarget, str]]] = [[]]
        x = 0
        for n, target in enumerate(row.targets, start=1):
            key = str(n) if len(row.targets) > 1 and n <= 9 else ""
            # +2: horizontalAdvance rounds, elidedText does not
            seg = fm.horizontalAdvance(target.display) + 2
            if target.kind:
                seg += fm_small.horizontalAdvance(target.kind) + 5
            if key:
                seg += self._keycap_width(fm_small) + 5
            seg = min(seg, width)
            if lines[-1] and x + NUMBER_GAP + seg > width:
                lines.append([])
                x = 0
            if lines[-1]:
                x += NUMBER_GAP
            lines[-1].append((x, seg, target, key))
            x += seg
        return [line for line in lines if line]

    def _heights(self, option: QStyleOptionViewItem) -> tuple[int, int, int]:
        bold, base, small = self._fonts(option.font)
        return (
            QFontMetrics(bold).height(),
            QFontMetrics(base).height(),
            QFontMetrics(small).height(),
        )

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        row = self.model.row_at(index)
        if row is None:
            return super().sizeHint(option, index)
        h_bold, h_base, h_small = self._heights(option)
        height = PAD_V + h_bold
        if row.kind is RowKind.CONTACT:
            if row.detail or row.presence is not None:
                height += LINE_GAP + h_small
            _, base, small = self._fonts(option.font)
            lines = self._number_lines(
                row, self._text_width(), QFontMetrics(base), QFontMetrics(small)
            )
            height += len(lines) * (LINE_GAP + h_base)
        else:
            height += LINE_GAP + h_small
        height = max(height + PAD_V, AVATAR + 2 * PAD_V)
        return QSize(self._text_width() + AVATAR + GAP + 2 * PAD_H, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = self.model.row_at(index)
        if row is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else self.view.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)

        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dim = QColor(text_colour)
        dim.setAlphaF(0.72 if selected else 0.62)
        bold, base, small = self._fonts(opt.font)
        fm_bold, fm, fm_small = QFontMetrics(bold), QFontMetrics(base), QFontMetrics(small)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left = rect.left() + PAD_H
        top = rect.top() + PAD_V
        avatar = QRectF(left, top, AVATAR, AVATAR)
        self._paint_avatar(painter, row, avatar, bold, palette, selected)

        x = left + AVATAR + GAP
        width = rect.width() - 2 * PAD_H - AVATAR - GAP
        y = top

        # line 1: name, and on the right the source or the time
        right_text = row.source if row.kind is RowKind.CONTACT else row.when
        right_w = 0
        if right_text:
            painter.setFont(small)
            right_w = fm_small.horizontalAdvance(right_text) + (12 if row.source else 0)
            if row.source and row.source_colour is not None:
                pill = QRectF(
                    x + width - right_w,
                    y + (fm_bold.height() - fm_small.height()) / 2 - 1,
                    right_w,
                    fm_small.height() + 2,
                )
                colour = QColor(row.source_colour)
                colour.setAlphaF(0.16 if not selected else 0.35)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
                painter.setPen(text_colour if selected else row.source_colour.darker(115))
                painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, right_text)
            else:
                painter.setPen(dim)
                painter.drawText(
                    QRect(x + width - right_w, y, right_w, fm_bold.height()),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    right_text,
                )
        title_x = x
        title_w = max(width - right_w - (8 if right_w else 0), 10)
        if row.favourite is not None:  # the pin mark, before the name
            painter.setFont(bold)
            painter.setPen(text_colour if selected else PIN_COLOUR)
            mark_w = fm_bold.horizontalAdvance(PIN_MARK) + 4
            painter.drawText(
                QRect(x, y, mark_w, fm_bold.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                PIN_MARK,
            )
            title_x += mark_w
            title_w = max(title_w - mark_w, 10)
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(
            QRect(title_x, y, title_w, fm_bold.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fm_bold.elidedText(row.title, Qt.TextElideMode.ElideRight, title_w),
        )
        y += fm_bold.height() + LINE_GAP

        # line 2: organisation / direction, presence
        if row.detail or row.presence is not None:
            painter.setFont(small)
            h = fm_small.height()
            px = x
            if row.presence is not None:
                dot = PRESENCE_COLOURS.get(row.presence, PRESENCE_COLOURS[Presence.UNKNOWN])
                d = max(h * 0.55, 7.0)
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1.0))
                painter.setBrush(dot)
                painter.drawEllipse(QRectF(px, y + (h - d) / 2, d, d))
                px += int(d) + 5
                painter.setPen(text_colour if selected else dot.darker(125))
                word_w = fm_small.horizontalAdvance(row.presence_text)
                painter.drawText(
                    QRect(px, y, word_w + 1, h),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    row.presence_text,
                )
                px += word_w
                if row.detail:
                    painter.setPen(dim)
                    sep = "  ·  "
                    painter.drawText(
                        QRect(px, y, fm_small.horizontalAdvance(sep), h),
                        int(Qt.AlignmentFlag.AlignVCenter),
                        sep,
                    )
                    px += fm_small.horizontalAdvance(sep)
            if row.detail:
                colour = row.detail_colour if (row.detail_colour and not selected) else dim
                painter.setPen(colour)
                avail = max(x + width - px, 10)
                painter.drawText(
                    QRect(px, y, avail, h),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    fm_small.elidedText(row.detail, Qt.TextElideMode.ElideRight, avail),
                )
            y += h + LINE_GAP

        # lines 3+: the numbers of a contact
        if row.kind is RowKind.CONTACT:
            for line in self._number_lines(row, width, fm, fm_small):
                for offset, seg_w, target, key in line:
                    sx = x + offset
                    end = sx + seg_w
                    if key:
                        painter.setFont(small)
                        kw = self._keycap_width(fm_small)
                        cap = QRectF(
                            sx + 0.5,
                            y + (fm.height() - fm_small.height()) / 2 - 0.5,
                            kw - 1,
                            fm_small.height(),
                        )
                        painter.setPen(QPen(dim, 1.0))
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.drawRoundedRect(cap, 3, 3)
                        painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, key)
                        sx += kw + 5
                    if target.kind:
                        painter.setFont(small)
                        painter.setPen(dim)
                        kw = fm_small.horizontalAdvance(target.kind)
                        painter.drawText(
                            QRect(sx, y, kw + 1, fm.height()),
                            int(Qt.AlignmentFlag.AlignVCenter),
                            target.kind,
                        )
                        sx += kw + 5
                    painter.setFont(base)
                    painter.setPen(text_colour)
                    avail = max(end - sx, 10)
                    painter.drawText(
                        QRect(sx, y, avail + 1, fm.height()),
                        int(Qt.AlignmentFlag.AlignVCenter),
                        fm.elidedText(target.display, Qt.TextElideMode.ElideRight, avail),
                    )
                y += fm.height() + LINE_GAP
        painter.restore()

    def _paint_avatar(
        self,
        painter: QPainter,
        row: ResultRow,
        rect: QRectF,
        font: QFont,
        palette: QPalette,
        selected: bool,
    ) -> None:
        if row.kind is RowKind.CONTACT:
            colour = row.source_colour or SOURCE_COLOURS[ContactSource.GLOBAL]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(rect)
            painter.setPen(QColor("white"))
            initials_font = QFont(font)
            initials_font.setPixelSize(int(rect.height() * 0.38))
            painter.setFont(initials_font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, row.initials)
            if row.presence is not None:
                d = rect.width() * 0.36
                dot = QRectF(rect.right() - d + 2, rect.bottom() - d + 2, d, d)
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 2.0))
                painter.setBrush(PRESENCE_COLOURS.get(row.presence, QColor("#c8c8c8")))
                painter.drawEllipse(dot)
            return
        if row.kind is RowKind.NUMBER:
            colour = CALL_GREEN
            glyph = "call"
        else:
            record = row.record
            if record is not None and record.missed:
                colour, glyph = MISSED_RED, "missed"
            elif record is not None and record.outgoing:
                colour, glyph = OUTGOING_BLUE, "out"
            else:
                colour, glyph = CALL_GREEN, "in"
        tint = QColor(colour) if not selected else palette.color(QPalette.ColorRole.Base)
        tint.setAlphaF(0.15 if not selected else 0.92)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour if glyph == "call" else tint)
        painter.drawEllipse(rect)
        inner = rect.adjusted(
            rect.width() * 0.24, rect.height() * 0.24, -rect.width() * 0.24, -rect.height() * 0.24
        )
        if glyph == "call":
            paint_handset(painter, inner, QColor("white"))
        else:
            paint_arrow(painter, inner, colour, outgoing=glyph == "out", missed=glyph == "missed")


def initials_of(contact: Contact) -> str:
    if contact.first_name or contact.last_name:
        letters = [p[:1] for p in (contact.first_name, contact.last_name) if p]
    else:
        words = [w for w in contact.name.replace("-", " ").split() if w[:1].isalnum()]
        letters = [w[:1] for w in words[:2]]
    return "".join(letters).upper() or "?"

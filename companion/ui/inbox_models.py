"""The inbox's tables (voicemail, received and sent faxes) and how they show times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import (
    QFont,
)

from companion.controller import Controller
from companion.pbx.models import (
    ReceivedFax,
    SentFax,
    Voicemail,
)

ROW_OBJECT = Qt.ItemDataRole.UserRole  # the Voicemail or fax a row shows


# ------------------------------------------------------------------------------ formatting


def format_duration(seconds: int) -> str:
    """65 -> "1:05"."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def format_time(when: datetime | None, now: datetime | None = None) -> str:
    """Local time, short: "Today 09:14", "Yesterday 17:30", "Mon 17 Nov 14:02".

    The words and the order are translatable (context "InboxWindow"); day and month
    names come from the locale.
    """
    if when is None:
        return ""
    local = when.astimezone()  # an aware time to local; a naive one is taken as local
    today = (now or datetime.now()).astimezone().date()
    clock = f"{local:%H:%M}"
    days = (today - local.date()).days
    if days == 0:
        return QCoreApplication.translate("InboxWindow", "Today {time}").format(time=clock)
    if days == 1:
        return QCoreApplication.translate("InboxWindow", "Yesterday {time}").format(time=clock)
    locale = QLocale()
    weekday = locale.dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
    month = locale.monthName(local.month, QLocale.FormatType.ShortFormat)
    if local.year == today.year:
        return QCoreApplication.translate("InboxWindow", "{weekday} {day} {month} {time}").format(
            weekday=weekday, day=local.day, month=month, time=clock
        )
    return QCoreApplication.translate("InboxWindow", "{day} {month} {year} {time}").format(
        day=local.day, month=month, year=local.year, time=clock
    )


def format_time_long(when: datetime | None) -> str:
    """The full local date and time, for a tooltip."""
    if when is None:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(when.timestamp()))
    return QLocale().toString(moment, QLocale.FormatType.LongFormat)


# ---------------------------------------------------------------------------------- models

Index = QModelIndex | QPersistentModelIndex


class _Table(QAbstractTableModel):
    """A read-only table of frozen rows; subclasses say what each column shows."""

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller
        self._rows: list[Any] = []

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == item_id:
                return number
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers()) - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.headers()) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_object(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == ROW_OBJECT:
            return row
        return self.cell(row, index.column(), role)


class VoicemailModel(_Table):
    CALLER, RECEIVED, DURATION = range(3)

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.names: dict[str, str] = {}  # caller number -> name found in the phonebook

    def headers(self) -> list[str]:
        return [self.tr("Caller"), self.tr("Received"), self.tr("Duration")]

    def caller(self, message: Voicemail) -> str:
        name = message.caller_name or self.names.get(message.caller_number, "")
        if name:
            return name
        if message.caller_number:
            return self.controller.display(message.caller_number)
        return self.tr("Unknown caller")

    def set_name(self, number: str, name: str) -> None:
        self.names[number] = name
        for row, message in enumerate(self._rows):
            if message.caller_number == number:
                index = self.index(row, self.CALLER)
                self.dataChanged.emit(index, index)

    def cell(self, row: Any, column: int, role: int) -> Any:
        message: Voicemail = row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CALLER:
                return self.caller(message)
            if column == self.RECEIVED:
                return format_time(message.received)
            if column == self.DURATION:
                return format_duration(message.duration)
        elif role == Qt.ItemDataRole.FontRole and not message.heard:
            font = QFont()
            font.setBold(True)
            return font
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CALLER:
                lines = [self.caller(message)]
                if message.caller_number:
                    shown = self.controller.display(message.caller_number)
                    if shown != lines[0]:
                        lines.append(shown)
                if not message.heard:
                    lines.append(self.tr("New message"))
                return "\n".join(lines)
            if column == self.RECEIVED:
                return format_time_long(message.received)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.AccessibleDescriptionRole and not message.heard:
            return self.tr("New message")
        return None


class ReceivedFaxModel(_Table):
    SENDER, NUMBER, RECEIVED, PAGES = range(4)

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.names: dict[str, str] = {}  # sender number -> name found in the phonebook

    def headers(self) -> list[str]:
        return [self.tr("Sender"), self.tr("Number"), self.tr("Received"), self.tr("Pages")]

    def sender_name(self, fax: ReceivedFax) -> str:
        """The caller-ID name, else the phonebook's name for the number: never the PBX's."""
        return fax.sender or self.names.get(fax.sender_number, "") or self.tr("Unknown sender")

    def set_name(self, number: str, name: str) -> None:
        self.names[number] = name
        for row, fax in enumerate(self._rows):
            if fax.sender_number == number:
                index = self.index(row, self.SENDER)
                self.dataChanged.emit(index, index)

    def cell(self, row: Any, column: int, role: int) -> Any:
        fax: ReceivedFax = row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SENDER:
                return self.sender_name(fax)
            if column == self.NUMBER:
                return self.controller.display(fax.sender_number) if fax.sender_number else ""
            if column == self.RECEIVED:
                return format_time(fax.received)
            if column == self.PAGES:
                return str(fax.pages)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.RECEIVED:
            return format_time_long(fax.received)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SentFaxModel(_Table):
    STATE, DESTINATION, TITLE, SENT = range(4)

    def headers(self) -> list[str]:
        return [self.tr("State"), self.tr("To"), self.tr("Title"), self.tr("Time")]

    def state(self, fax: SentFax) -> str:
        words = {
            "done": self.tr("Sent"),
            "failed": self.tr("Failed"),
            "waiting": self.tr("Waiting"),
            "sending": self.tr("Sending"),
            "sleeping": self.tr("Waiting to retry"),
            "blocked": self.tr("Waiting"),
            "suspended": self.tr("Suspended"),
        }
        return words.get(fax.state.lower(), fax.state)

    def cell(self, row: Any, column: int, role: int) -> Any:
        fax: SentFax = row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATE:
                return self.state(fax)
            if column == self.DESTINATION:
                return self.controller.display(fax.destination)
            if column == self.TITLE:
                return fax.title
            if column == self.SENT:
                return format_time(fax.scheduled)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STATE and fax.error:
                return fax.error
            if column == self.SENT:
                return format_time_long(fax.scheduled)
            if column == self.TITLE:
                return fax.title
        elif role == Qt.ItemDataRole.ForegroundRole and fax.state.lower() == "failed":
            from PySide6.QtGui import QColor

            return QColor("#b3261e")
        return None

"""How the `companion` command prints: tables for people, JSON for scripts.

The imports are in the functions: every run of `companion` loads :class:`UserError`,
and a link or a handed-over dial must not pay for dataclasses, enum and json.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: a handed-over dial raises UserError, and no more
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any


class UserError(Exception):
    """A failure to report in one line (its message is for the user)."""


def plain(value: Any) -> Any:
    """Dataclasses, enums, datetimes and sets as JSON-friendly values (with derived flags)."""
    import dataclasses
    import enum
    from datetime import datetime

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, member in vars(type(value)).items():
            if isinstance(member, property):
                result[name] = plain(getattr(value, name))
        return result
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    import json

    print(json.dumps(plain(value), ensure_ascii=False, indent=2))


def when(value: datetime | None) -> str:
    """A time in the user's local zone, to the minute."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def duration(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def table(rows: list[list[str]]) -> None:
    """Print rows as left-aligned columns."""
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())

"""The audit log: one JSON line per action, enrolment, refusal and revocation.

`<data-dir>/audit.log`, rotated at 10 MB with 10 files kept. Each line has the time
(UTC), user, device, source address, action (the operation's id), its target (the id or
number acted on) and the outcome ("ok" or the error's kind). Never a token, code,
password or document: callers pass only those fields, and `record` takes nothing else.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 10


class AuditLog:
    def __init__(self, data_dir: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        self.path = data_dir / "audit.log"
        self._handler = logging.handlers.RotatingFileHandler(
            self.path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self.path.chmod(0o600)
        # A logger of its own, so nothing else's records land in the audit file.
        self._log = logging.Logger(f"companion.relay.audit:{self.path}")
        self._log.addHandler(self._handler)
        self._log.propagate = False

    def record(
        self,
        action: str,
        *,
        user: str = "",
        device: str = "",
        source: str = "",
        target: str = "",
        outcome: str = "ok",
    ) -> None:
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "user": user,
            "device": device,
            "source": source,
            "action": action,
            "target": target,
            "outcome": outcome,
        }
        self._log.info(json.dumps(line, ensure_ascii=False))

    def close(self) -> None:
        self._handler.close()

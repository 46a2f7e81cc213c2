"""The last call forwarding target per PBX and user, for "switch it back on".

innovaphone's `cds` keeps no "old" target (pascom's redirect list does): when the user
switches forwarding off, the target they had is kept here, in the user state dir beside
the sent-fax list, so that `redirect on` restores it in a later run too. No Qt, no I/O
beyond this small file; losing it only means the user names the target again.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from companion.files import read_regular, write_private
from companion.sent_faxes import state_dir

FILE_NAME = "forward-targets.json"
LIMIT = 256 * 1024

log = logging.getLogger(__name__)


class ForwardMemory:
    """The last forwarding target of one PBX and user (`account`); `path=None`: memory."""

    def __init__(self, account: str, path: Path | None = None) -> None:
        self.account = account
        self.path = path
        self._target = self._read_all().get(account, "") if path is not None else ""

    @classmethod
    def in_state_dir(cls, account: str) -> ForwardMemory:
        return cls(account, state_dir() / FILE_NAME)

    @property
    def target(self) -> str:
        return self._target

    def remember(self, target: str) -> None:
        if not target or target == self._target:
            return
        self._target = target
        if self.path is None:
            return
        everything = self._read_all()  # other PBXs' and users' targets stay
        everything[self.account] = target
        try:
            write_private(self.path, json.dumps(everything, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            log.warning("Cannot save the forwarding target in %s: %s", self.path, exc)

    def _read_all(self) -> dict[str, str]:
        assert self.path is not None
        try:
            data = json.loads(read_regular(self.path, LIMIT).decode("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("Cannot read the forwarding targets %s: %s", self.path, exc)
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

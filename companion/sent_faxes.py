"""The faxes this computer scheduled, remembered by the PBX's job id.

pascom's `faxserver/done` lists every user's sent faxes and names no sender the reference
promises (its `sender` field is not in the send body, and a PBX may drop it). A fax is the
user's when its `notify` address is theirs, or when Companion itself scheduled it: those
job ids are kept here, per PBX and user, in the platform's user state dir
(``$COMPANION_STATE_DIR`` overrides it), written atomically and readable by the owner only.

No Qt, no httpx. Losing this file only means older faxes sent from here are attributed by
their e-mail address alone, so a file that cannot be read or written never fails a send.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

from companion.files import MB, read_regular, write_private

APP_NAME = "companion"
FILE_NAME = "sent-faxes.json"
ENV_STATE_DIR = "COMPANION_STATE_DIR"
KEEP = 500  # job ids kept per PBX and user; the oldest are forgotten first
LIMIT = 4 * MB  # far above KEEP ids for a few accounts; more is not this file

log = logging.getLogger(__name__)


def state_dir() -> Path:
    override = os.environ.get(ENV_STATE_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_state_dir(APP_NAME))


class SentFaxMemory:
    """Job ids of faxes sent from here, for one PBX and user (`account`, e.g. URL + login).

    `path=None` remembers in memory only (for scripts and tests that want no file).
    """

    def __init__(self, account: str, path: Path | None = None) -> None:
        self.account = account
        self.path = path
        self._ids: list[str] = self._load()

    @classmethod
    def in_state_dir(cls, account: str) -> SentFaxMemory:
        return cls(account, state_dir() / FILE_NAME)

    def ids(self) -> frozenset[str]:
        return frozenset(self._ids)

    def remember(self, job_id: str) -> None:
        if not job_id or job_id in self._ids:
            return
        self._ids = [*self._ids, job_id][-KEEP:]
        if self.path is not None:
            self._save(self.path)

    def _read_all(self, path: Path) -> dict[str, list[str]]:
        try:
            data = json.loads(read_regular(path, LIMIT).decode("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("Cannot read the sent-fax list %s: %s", path, exc)
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(key): [str(i) for i in value]
            for key, value in data.items()
            if isinstance(value, list)
        }

    def _load(self) -> list[str]:
        if self.path is None:
            return []
        return self._read_all(self.path).get(self.account, [])

    def _save(self, path: Path) -> None:
        everything = self._read_all(path)  # another PBX's or user's ids stay as they are
        everything[self.account] = self._ids
        data = json.dumps(everything, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            write_private(path, data)
        except OSError as exc:
            log.warning("Cannot save the sent-fax list %s: %s", path, exc)

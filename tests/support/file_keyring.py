"""A keyring backend that keeps passwords in a JSON file. FOR TESTS ONLY.

Companion itself never stores a password in a file; this backend exists so that tests
which run ``companion`` in a subprocess have a keyring that outlives the process::

    PYTHONPATH=<repo> \\
    PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring \\
    COMPANION_TEST_KEYRING_FILE=/tmp/.../keyring.json  companion login ...

The file holds ``{service: {username: password}}`` in plain text, mode 0600. Without
``COMPANION_TEST_KEYRING_FILE`` the backend is not viable (its priority raises), so it
is never picked by keyring's automatic selection by accident.

``COMPANION_TEST_KEYRING_DELAY`` (seconds) makes each read wait that long first, as a
Secret Service does while its unlock prompt is open.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import keyring.backend
import keyring.errors
from keyring.compat import properties

ENV_FILE = "COMPANION_TEST_KEYRING_FILE"
ENV_DELAY = "COMPANION_TEST_KEYRING_DELAY"


class FileKeyring(keyring.backend.KeyringBackend):
    """Passwords in the JSON file named by ``$COMPANION_TEST_KEYRING_FILE`` (tests only)."""

    @properties.classproperty
    def priority(cls) -> float:
        if not os.environ.get(ENV_FILE):
            raise RuntimeError(f"{ENV_FILE} is not set")
        return 1

    @staticmethod
    def path() -> Path:
        name = os.environ.get(ENV_FILE)
        if not name:
            raise keyring.errors.InitError(f"{ENV_FILE} is not set")
        return Path(name)

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            text = self.path().read_text("utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(text) if text.strip() else {}
        if not isinstance(data, dict):
            raise keyring.errors.InitError(f"{self.path()} is not a test keyring file")
        return data

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".keyring.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(float(os.environ.get(ENV_DELAY) or 0))
        return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data.setdefault(service, {})[username] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        try:
            del data[service][username]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("No such password") from None
        if not data[service]:
            del data[service]
        self._write(data)

"""What a desktop start reads before Qt is imported: the settings, and the password.

The password is read in a thread of its own while PySide6, qasync and the windows'
modules load: a Secret Service answers over D-Bus, a file keyring reads its file, and
neither needs the GIL while it waits. Once Qt's loop runs, the first PBX request goes out
in its first turn instead of behind a thread hop and Qt's own set-up.

:class:`companion.app.Companion` begins one itself when it is started without it
(tests, :func:`companion.app.start`).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass

from companion import config, credentials


@dataclass(frozen=True)
class EarlyStart:
    """The settings as read (or why they could not be), and the password on its way."""

    loaded: config.Loaded | None  # None: see `problem`
    problem: config.ConfigError | None = None  # the file can't even be moved aside
    password: Future[str | None] | None = None  # None: the settings name no account

    def settings(self) -> config.Loaded:
        """The settings as read; raises the ConfigError that kept them from being read."""
        if self.loaded is None:
            raise self.problem or config.ConfigError("the settings could not be read")
        return self.loaded

    @classmethod
    def begin(cls) -> EarlyStart:
        """Read the settings now and start reading their password from the keyring."""
        try:
            loaded = config.load()
        except config.ConfigError as exc:
            return cls(None, exc)
        settings = loaded.settings
        if not settings.pbx_url or not settings.user:
            return cls(loaded)
        from companion.backends import keyring_name

        password: Future[str | None] = Future()
        url, name = settings.pbx_url, keyring_name(settings)

        def read() -> None:
            try:
                password.set_result(credentials.get_password(url, name))
            except BaseException as exc:  # the start reports it (CredentialError) in words
                password.set_exception(exc)

        # A daemon: an unlock prompt nobody answers must not keep a quitting app alive.
        threading.Thread(target=read, name="companion-keyring", daemon=True).start()
        return cls(loaded, password=password)

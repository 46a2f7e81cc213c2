"""Skip a desktop test whose Debian package is missing, or fail it where CI requires them.

CI installs weston, xdg-desktop-portal and dbus-daemon (the README's set-up line) and sets
``COMPANION_REQUIRE_DESKTOP_TOOLS=1`` (.ci/run), so a package that went missing there fails
the run instead of skipping the Wayland, portal and tray tests unseen.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE = "COMPANION_REQUIRE_DESKTOP_TOOLS"


def missing(message: str) -> NoReturn:
    """Skip with ``message`` (what to install), or fail with it where CI requires it."""
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message} ({REQUIRE}=1)")
    pytest.skip(message)

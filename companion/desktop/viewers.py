"""Whether the desktop has a program to show a kind of file (a fax's PDF).

`QDesktopServices.openUrl` reports success on Linux as soon as `xdg-open` starts, even
when no program for the file's type exists: nothing then opens and nobody says why. So
ask the desktop first, where it can tell.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

QUERY_TIMEOUT = 3.0  # seconds; xdg-mime is a shell script that reads a few files


def has_viewer(mime_type: str) -> bool | None:
    """True or False where the desktop can tell; None where it cannot (then just try)."""
    if not sys.platform.startswith("linux"):
        return None  # Windows and macOS say so themselves when they cannot open a file
    xdg_mime = shutil.which("xdg-mime")
    if xdg_mime is None:
        return None
    try:
        answer = subprocess.run(
            [xdg_mime, "query", "default", mime_type],
            capture_output=True,
            text=True,
            timeout=QUERY_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(answer.stdout.strip())

"""The GUI's start: the Qt-free core is imported before PySide6, whose check of every
later import reads (and linecache keeps) the module's source; what it read is dropped
once the app has started."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# What linecache holds of the heavy libraries once the app module is imported, beyond
# what it held before (anyio reads its own source for its lazy imports).
START = """
import linecache, sys
from companion import cli
if sys.argv[1] == "core first":
    cli._core_before_qt()
before = set(linecache.cache)
import companion.app
heavy = ("httpx", "httpcore", "keyring", "phonenumbers", "anyio", "email")
read = {p for p in set(linecache.cache) - before for h in heavy if f"/{h}/" in p}
print(len(read))
from companion.gui_process import settle_memory
settle_memory()
print(len(linecache.cache))
"""


def _start(order: str) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", START, order],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    return [int(line) for line in done.stdout.split()]


def test_the_core_comes_before_qt_and_the_sources_qt_read_are_dropped() -> None:
    read_after_qt, left = _start("qt first")
    assert read_after_qt > 20  # what the check costs when the core comes after PySide6
    assert left == 0
    read, left = _start("core first")
    assert (read, left) == (0, 0)


def test_the_first_start_and_the_settings_dialog_are_made_only_when_needed() -> None:
    code = (
        "import sys, companion.app; "
        "print(sorted(m for m in sys.modules if m.endswith(('first_start', 'settings_dialog'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
    )
    assert done.stdout.strip() == "[]", done.stderr

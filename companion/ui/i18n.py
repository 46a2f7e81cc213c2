"""English and German through Qt's translation system.

The `.ts` sources live in `resources/translations/`. The `.qm` files Qt loads are built
from them with the `lrelease` that PySide6 ships, at first start (or when a `.ts` is
newer), into the user's cache directory, so a source checkout, a wheel and a bundle
all work without a build step of their own. English is the source language.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "de": "Deutsch"}


def translations_dir() -> Path:
    """Where the `.ts` sources are: in a wheel under companion/_resources, else the repo."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_resources", package.parent / "resources"):
        if (candidate / "translations").is_dir():
            return candidate / "translations"
    return package.parent / "resources" / "translations"


def language_for(setting: str) -> str:
    """The language to show: the setting ("en", "de"), else the system's, else English."""
    if setting in LANGUAGES:
        return setting
    for name in QLocale.system().uiLanguages():
        code = name.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def _lrelease() -> str | None:
    import PySide6

    folder = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compiled(language: str) -> Path | None:
    """The `.qm` for `language`, built from its `.ts` if missing or out of date."""
    source = translations_dir() / f"companion_{language}.ts"
    if not source.is_file():
        return None
    target = Path(platformdirs.user_cache_dir("companion")) / "translations" / f"{source.stem}.qm"
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        log.warning("no lrelease found: %s stays untranslated", language)
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [tool, "-silent", str(source), "-qm", str(target)],
        capture_output=True,
        text=True,
        check=False,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0,
    )
    if done.returncode != 0 or not target.is_file():
        log.warning("lrelease failed for %s: %s", source, done.stderr.strip())
        return None
    return target


def install(app: QCoreApplication, setting: str) -> list[QTranslator]:
    """Install Qt's own and Companion's translators for the chosen language.

    Returns the translators (keep them: Qt does not own them). English installs none.
    """
    language = language_for(setting)
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    ours = compiled(language)
    translator = QTranslator(app)
    if ours is not None and translator.load(str(ours)):
        app.installTranslator(translator)
        installed.append(translator)
    return installed


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)

"""How the desktop starts Companion: the command line that URL handlers and autostart name.

:func:`companion_command` is the argument list that runs *this* installation of
Companion: the ``companion`` script the user ran (as an absolute path), or
``python -m companion`` with this interpreter when Companion runs as a module (and in
tests), or the frozen executable of a packaged build. The helpers below quote it for a
desktop entry's ``Exec=`` key and for a Windows command line. No Qt here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["companion_command", "desktop_exec", "parse_desktop_exec", "windows_command_line"]

# Characters that force an Exec= argument into double quotes (Desktop Entry Spec,
# "The Exec key"), and those that must be backslash-escaped inside the quotes.
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED = set('"`$\\')


def companion_command(*, windowless: bool = False) -> list[str]:
    """The absolute command that starts this Companion, as an argument list.

    ``windowless`` (Windows only) prefers ``pythonw.exe`` for ``python -m companion``,
    so a link or login start opens no console window.
    """
    if getattr(sys, "frozen", False):  # PyInstaller, briefcase & co.: the app itself
        return [os.path.abspath(sys.executable)]
    argv0 = sys.argv[0] if sys.argv else ""
    name = Path(argv0).name.lower()
    if name in ("companion", "companion.exe", "companion-script.py"):
        return [os.path.abspath(argv0)]
    python = os.path.abspath(sys.executable)
    if windowless and sys.platform == "win32":
        candidate = Path(python).with_name("pythonw.exe")
        if candidate.is_file():
            python = str(candidate)
    return [python, "-m", "companion"]


def desktop_exec(command: list[str], *field_codes: str) -> str:
    """The value of a desktop entry's ``Exec=`` key for ``command`` plus field codes.

    Each argument is quoted as the Desktop Entry Specification asks (double quotes
    around an argument with a reserved character, ``" ` $ \\`` escaped inside them,
    ``%`` doubled), then the string-value escape of ``\\`` is applied on top.
    ``field_codes`` (``"%u"``) are appended unquoted.
    """
    words = [_exec_quote(arg) for arg in command]
    words.extend(field_codes)
    return " ".join(words).replace("\\", "\\\\")


def _exec_quote(arg: str) -> str:
    if not arg or any(c in "\n\r" for c in arg):
        raise ValueError(f"cannot put {arg!r} into a desktop entry's Exec key")
    arg = arg.replace("%", "%%")
    if not any(c in _EXEC_RESERVED for c in arg):
        return arg
    return '"' + "".join("\\" + c if c in _EXEC_ESCAPED else c for c in arg) + '"'


def parse_desktop_exec(value: str) -> list[str]:
    """The arguments of an ``Exec=`` value (as read from the file): the inverse of
    :func:`desktop_exec`, field codes left in place. Raises ValueError if malformed."""
    text = _unescape_string(value)
    args: list[str] = []
    i = 0
    while i < len(text):
        if text[i] in " \t":
            i += 1
            continue
        word: list[str] = []
        if text[i] == '"':
            i += 1
            while True:
                if i >= len(text):
                    raise ValueError("unterminated quote in Exec")
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\" and i + 1 < len(text) and text[i + 1] in _EXEC_ESCAPED:
                    c = text[i + 1]
                    i += 1
                word.append(c)
                i += 1
        else:
            while i < len(text) and text[i] not in " \t":
                word.append(text[i])
                i += 1
        args.append("".join(word).replace("%%", "%"))
    return args


def _unescape_string(value: str) -> str:
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in escapes:
            out.append(escapes[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def windows_command_line(command: list[str], *extra: str) -> str:
    """``command`` as a Windows command line, every argument in double quotes.

    ``extra`` arguments (``"%1"``, the URL Windows fills in) are quoted the same way:
    ``"C:\\...\\companion.exe" "%1"``. Windows paths cannot contain ``"``.
    """
    words = [*command, *extra]
    for word in words:
        if '"' in word or "\n" in word:
            raise ValueError(f"cannot put {word!r} into a Windows command line")
    return " ".join(f'"{word}"' for word in words)

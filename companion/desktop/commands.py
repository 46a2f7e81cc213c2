"""The desktop-integration subcommands: ``open``, and the URL-handler registration.

Each takes the parsed arguments and returns the exit code; a failure the user can act
on is a :class:`~companion.output.UserError` (one line, exit 1). ``open`` is what a
clicked link runs, so this module and what it imports stay light: no Qt, no HTTP stack;
the hand-over to a running app is a few lines of stdlib socket.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from companion.output import UserError, print_json

__all__ = [
    "install_url_handler",
    "is_dial_uri",
    "open_uri",
    "uninstall_url_handler",
    "url_handler_status",
]

_DIAL_URI = re.compile(r"(?i)(tel|callto|sip|sips):")
FORWARD_TIMEOUT = 5.0
"""How long a running app may take to acknowledge (it may be busy starting up)."""


def is_dial_uri(text: str) -> bool:
    """True for a bare ``tel:``/``callto:``/``sip:``/``sips:`` argument, as desktop
    files and the OS pass it (``companion tel:221``)."""
    return bool(_DIAL_URI.match(text))


def open_uri(args: argparse.Namespace) -> int:
    """Hand a link to the running app, or start the app with it (``--open URI``).

    The link is checked first: a malformed one is a one-line error and nothing is
    forwarded. The app decides with its own dialing region and asks before dialing.
    """
    from companion.desktop.single_instance import InstanceError, forward
    from companion.numbers import NumberError, parse_uri

    uri: str = args.uri.strip()
    if any(c in uri for c in "\r\n"):
        raise UserError("This link contains a line break; a phone link is one line.")
    try:
        # No region here: it only makes parse_uri stricter; the app re-reads the link
        # with the user's region and shows what it makes of it before dialing.
        parse_uri(uri, None)
    except NumberError as exc:
        raise UserError(str(exc)) from exc
    try:
        if forward(f"open {uri}", timeout=FORWARD_TIMEOUT):
            return 0
    except InstanceError as exc:
        raise UserError(str(exc)) from exc
    _start_app(["--open", uri], demo=bool(getattr(args, "demo", False)))
    return 0


def _start_app(arguments: list[str], *, demo: bool = False) -> None:
    """Start the tray app detached from this process (and its terminal)."""
    argv = [sys.executable, "-m", "companion", *(["--demo"] if demo else []), *arguments]
    try:
        if sys.platform == "win32":
            subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                creationflags=subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP,
            )
        else:
            subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
    except OSError as exc:
        raise UserError(f"cannot start Companion: {exc.strerror or exc}") from exc


def install_url_handler(args: argparse.Namespace) -> int:
    from companion.desktop import url_handler

    try:
        print(url_handler.install())
    except url_handler.UrlHandlerError as exc:
        raise UserError(str(exc)) from exc
    return 0


def uninstall_url_handler(args: argparse.Namespace) -> int:
    from companion.desktop import url_handler

    try:
        print(url_handler.uninstall())
    except url_handler.UrlHandlerError as exc:
        raise UserError(str(exc)) from exc
    return 0


def url_handler_status(args: argparse.Namespace) -> int:
    """Who handles each scheme; exit code 0 if Companion handles them all, else 1."""
    from companion.desktop import url_handler

    try:
        statuses = url_handler.status()
    except url_handler.UrlHandlerError as exc:
        raise UserError(str(exc)) from exc
    if getattr(args, "json", False):
        print_json(statuses)
    else:
        width = max(len(s.scheme) for s in statuses) + 1
        for s in statuses:
            mark = "ok" if s.is_companion and not s.hint else "--"
            print(f"{mark}  {s.scheme + ':':<{width}}  {s.owner}")
            if s.hint:
                print(f"    {s.hint}")
    return 0 if all(s.is_companion and not s.hint for s in statuses) else 1

"""The desktop-integration subcommands: ``open``, and the URL-handler registration.

Each takes the parsed arguments and returns the exit code; a failure the user can act
on is a :class:`~companion.output.UserError` (one line, exit 1). ``open`` is what a
clicked link runs, so this module and what it imports stay light: no Qt, no HTTP stack;
the hand-over to a running app is a few lines of stdlib socket.
"""

from __future__ import annotations

import re
import sys
from typing import IO, TYPE_CHECKING

from companion.output import UserError, print_json

if TYPE_CHECKING:  # the rest only where used: the CLI imports this module on every run
    import argparse
    import subprocess

__all__ = [
    "install_url_handler",
    "is_dial_uri",
    "open_uri",
    "uninstall_url_handler",
    "url_handler_status",
]

_DIAL_URI = re.compile(r"(?i)(tel|callto|sip|sips|companion):")
FORWARD_TIMEOUT = 5.0
"""How long a running app may take to acknowledge (it may be busy starting up)."""
START_TIMEOUT = 30.0
"""How long an app started for a link may take to listen (then it has the link)."""


def is_dial_uri(text: str) -> bool:
    """True for a bare ``tel:``/``callto:``/``sip:``/``sips:`` argument, as desktop
    files and the OS pass it (``companion tel:221``), or an enrolment link
    (``companion companion://enrol?...``), which the running app asks about too."""
    return bool(_DIAL_URI.match(text))


def open_uri(args: argparse.Namespace) -> int:
    """Hand a link to the running app, or start the app with it (``--open URI``).

    The running app checks the link (with the user's dialing region) and answers a
    malformed one with an error in words, printed here (exit 1); nothing here parses
    it, so a click costs no phone-number library. The app asks before dialing.
    """
    from companion.desktop.single_instance import InstanceError, check_instance_dir

    uri: str = args.uri.strip()
    if any(c in uri for c in "\r\n"):
        raise UserError("This link contains a line break; a phone link is one line.")
    if _hand_link(uri):
        return 0
    try:
        check_instance_dir()  # an app started now could not listen: say why, start none
    except InstanceError as exc:
        raise UserError(f"The link was not dialled. {exc}.") from exc
    import tempfile

    with tempfile.TemporaryFile() as errors:
        app = _start_app([], demo=bool(getattr(args, "demo", False)), errors=errors)
        _wait_until_listening(app, errors)
    if _hand_link(uri):  # the started app checks the link and answers, as a running one
        return 0
    raise UserError("The link was not dialled: Companion was started but stopped listening.")


def _hand_link(uri: str) -> bool:
    """Give the link to the running app: True once it took it, False if none runs;
    :class:`UserError` with the app's words for a malformed link."""
    from companion.desktop.single_instance import InstanceError, Refused, forward

    try:
        return forward(f"open {uri}", timeout=FORWARD_TIMEOUT)
    except Refused as exc:
        raise UserError(str(exc)) from None
    except InstanceError as exc:
        raise UserError(f"The link was not dialled. {exc}.") from exc


def _start_app(
    arguments: list[str], *, demo: bool = False, errors: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start the tray app detached from this process (and its terminal).

    Its error output goes to ``errors`` (a file, not a pipe: the app outlives this
    process and must never write into a closed pipe).
    """
    import subprocess

    argv = [sys.executable, "-m", "companion", *(["--demo"] if demo else []), *arguments]
    stderr = errors if errors is not None else subprocess.DEVNULL
    try:
        if sys.platform == "win32":
            return subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                creationflags=subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP,
            )
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    except OSError as exc:
        raise UserError(f"cannot start Companion: {exc.strerror or exc}") from exc


def _wait_until_listening(app: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
    """Return once the started app listens (it then has the link); raise
    :class:`UserError` if it ends first or does not listen within START_TIMEOUT."""
    import time

    from companion.desktop.single_instance import instance_answers

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if instance_answers():
            return
        if app.poll() is not None:
            raise UserError(f"The link was not dialled: Companion did not start ({_why(errors)}).")
        time.sleep(0.1)
    raise UserError(
        f"The link may not be dialled: Companion was started but did not answer within "
        f"{START_TIMEOUT:g} s. Check whether it runs before you click the link again."
    )


def _why(errors: IO[bytes]) -> str:
    """The last line the app wrote to its error output, without our "companion: " prefix."""
    errors.seek(0)
    lines = [line.strip() for line in errors.read(64 * 1024).decode(errors="replace").splitlines()]
    last = next((line for line in reversed(lines) if line), "it ended without a message")
    return last.removeprefix("companion: ").removeprefix("error: ")[:300]


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
    """Who handles each scheme, then each hint once; 0 whenever it could tell (a script
    reads the answer, not the exit code), 1 when it could not."""
    from companion.desktop import url_handler

    try:
        statuses = url_handler.status()
    except url_handler.UrlHandlerError as exc:
        raise UserError(str(exc)) from exc
    if getattr(args, "json", False):
        print_json(statuses)
        return 0
    width = max(len(s.scheme) for s in statuses) + 1
    for s in statuses:
        mark = "ok" if s.is_companion and not s.hint else "--"
        print(f"{mark}  {s.scheme + ':':<{width}}  {s.owner}")
    for hint in dict.fromkeys(s.hint for s in statuses if s.hint):  # once each, in order
        schemes = [f"{s.scheme}:" for s in statuses if s.hint == hint]
        which = "" if len(schemes) == len(statuses) else f" ({', '.join(schemes)})"
        print(f"{hint[0].upper()}{hint[1:]}{which}")
    return 0

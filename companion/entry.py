"""The `companion` command's first step: hand a link or a call action to the running app
before anything else is imported.

A clicked link (``companion open tel:221``, ``companion tel:221``) and a call action
(``companion dial 221``, ``hangup``, ...) are the running app's to carry out. This module
recognises them with a glance at the command line, without argparse, and hands them
over with the standard library's socket: such a command costs little more than the
interpreter starting. Everything else, and these too when no app runs (or it declines),
goes to :func:`companion.cli.main`, which parses the command line and does the work.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: importing typing costs a clicked link more than the rest
if TYPE_CHECKING:
    from collections.abc import Sequence

DIAL_SCHEMES = ("tel", "callto", "sip", "sips", "companion")  # companion://enrol?...: a relay
FORWARD_TIMEOUT = 5.0
"""How long a running app may take to acknowledge a link (it may be busy starting up)."""


def is_dial_uri(text: str) -> bool:
    """True for a bare ``tel:``/``callto:``/``sip:``/``sips:`` argument, as desktop
    files and the OS pass it (``companion tel:221``), or an enrolment link
    (``companion companion://enrol?...``), which the running app asks about too."""
    scheme, colon, _ = text.partition(":")
    return bool(colon) and scheme.lower() in DIAL_SCHEMES


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    link = _link(arguments)
    if link is not None:
        code = _hand_link(link)
    elif not arguments:
        code = _show_running()
    else:
        code = hand_over(arguments)
    if code is not None:
        return code
    from companion.cli import run

    return run(arguments)


def hand_over(arguments: list[str]) -> int | None:
    """A call action carried out by the running app (it parses the command line); None
    when this process must do it itself."""
    from companion import handover

    if not arguments or arguments[0] not in handover.CALL_COMMANDS:
        return None  # --demo (an option first) is never handed over
    try:
        return handover.hand_over(arguments)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from companion.cli import EXIT_FAILED, _message

        print(f"companion: {_message(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _show_running() -> int | None:
    """A plain second start brings the running app's dial window forward; None when no
    app runs. An app that runs but does not answer (or a socket directory that is not
    this user's) is said here, in the desktop start's words, without loading Qt first."""
    from companion.desktop.single_instance import InstanceError, Refused, forward

    try:
        return 0 if forward("show") else None
    except (InstanceError, Refused) as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1  # cli.EXIT_FAILED, without importing the CLI
    except Exception:  # the desktop start that follows reports it
        return None


def _link(arguments: list[str]) -> str | None:
    """The link of ``open URI`` or of a bare ``URI``; None for any other command line
    (options, ``--help``, a link with a line break: the CLI's to answer in its words)."""
    if len(arguments) == 2 and arguments[0] == "open":
        uri = arguments[1]
    elif len(arguments) == 1 and is_dial_uri(arguments[0]):
        uri = arguments[0]
    else:
        return None
    uri = uri.strip()
    if not uri or uri.startswith("-") or "\n" in uri or "\r" in uri:
        return None
    return uri


def _hand_link(uri: str) -> int | None:
    """The exit code once the running app took (or refused) the link; None if none runs."""
    try:
        return 0 if forward_link(uri) else None
    except LinkNotDialled as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


class LinkNotDialled(Exception):
    """The running app refused the link or did not answer; the text says so in words."""


def forward_link(uri: str) -> bool:
    """Give the link to the running app: True once it took it, False if none runs.

    Raises :class:`LinkNotDialled` with the app's words for a malformed link, or when an
    app took the connection but did not answer (it may still act: never start another).
    """
    from companion.desktop.single_instance import InstanceError, Refused, forward

    try:
        return forward(f"open {uri}", timeout=FORWARD_TIMEOUT)
    except Refused as exc:
        raise LinkNotDialled(str(exc)) from None
    except InstanceError as exc:
        raise LinkNotDialled(f"The link was not dialled. {exc}.") from exc

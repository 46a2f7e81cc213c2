"""The CLI's call actions carried out by the running app, over the single-instance socket.

``companion dial 221`` (and ``hangup``, ``hold``, ``transfer``, ... see
:data:`CALL_COMMANDS`) first asks the running app of this user to do it: the app is
logged in and keeps its connection to the PBX warm, so the request leaves at once. The
CLI sends ``run {"pbx": ..., "rest_user": ..., "user": ..., "argv": [...]}`` (never a
password); the app carries it out with its own PBX client only for the same account and
answers ``done {"exit": N, "stdout": ..., "stderr": ...}``: what the CLI would have
printed, which the CLI prints as it is. When no app runs, or it answers ``unavailable``
(another account, not logged in), the CLI does it itself, as before.

:func:`hand_over` is the CLI's side (standard library and the settings only); the app's
side is :func:`carry_out`, run on the app's loop.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.config import Settings
    from companion.controller import Controller

CALL_COMMANDS = frozenset(
    {"dial", "hangup", "hold", "pickup", "offhook", "conference", "transfer", "dtmf"}
)
HANDOVER_TIMEOUT = 30.0
"""How long the app may take to carry out a call action (a slow PBX answers late)."""


# -- the CLI's side -----------------------------------------------------------------------


def wants_hand_over(args: argparse.Namespace) -> bool:
    """A call action the running app can do for us: not the demo, not --selection."""
    return (
        args.command in CALL_COMMANDS
        and not args.demo
        and not getattr(args, "selection", False)
    )


def hand_over(argv: Sequence[str]) -> int | None:
    """Let the running app carry out the command ``argv``; its exit code once it did,
    None when the CLI must do it itself (no app, another account, not logged in).

    Raises :class:`~companion.output.UserError` if the app took the command but did not
    answer in time: then it may have acted, and running it again could dial twice.
    """
    from companion import config
    from companion.desktop.single_instance import InstanceError, ask
    from companion.output import UserError

    try:
        loaded = config.load()
    except config.ConfigError:
        return None  # the CLI's own run says what is wrong
    settings = loaded.settings
    if loaded.warning or not settings.pbx_url or not settings.user:
        return None  # the CLI's own run prints the warning or the error
    request = {
        "pbx": settings.pbx_url,
        "rest_user": settings.rest_user,
        "user": settings.user,
        "argv": list(argv),
    }
    try:
        reply = ask("run " + json.dumps(request, ensure_ascii=False), HANDOVER_TIMEOUT)
    except ValueError:  # too long for one line: not something to hand over
        return None
    except InstanceError as exc:
        raise UserError(f"{exc}. Whether it acted is unknown: check your phone.") from None
    if reply is None:
        return None
    kind, _, text = reply.partition(" ")
    if kind != "done":  # "unavailable ...", or "ok" from an app that has no hand-over
        return None
    try:
        answer = json.loads(text)
        code, out, err = int(answer["exit"]), str(answer["stdout"]), str(answer["stderr"])
    except (ValueError, KeyError, TypeError):
        raise UserError("Companion answered in a way this CLI does not understand") from None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


# -- the app's side -----------------------------------------------------------------------


async def carry_out(text: str, controller: Controller | None, settings: Settings) -> str:
    """The reply to ``run <text>``: ``done {...}``, or ``unavailable <why>``."""
    from companion.config import ConfigError, normalise_pbx_url

    try:
        request = json.loads(text)
        argv = [str(a) for a in request["argv"]]
        wanted = (normalise_pbx_url(str(request["pbx"])), request["rest_user"], request["user"])
    except (ValueError, KeyError, TypeError, ConfigError):
        return "unavailable the request is not one this app understands"
    if controller is None or not settings.pbx_url:
        return "unavailable the app is not connected to a PBX"
    if wanted != (normalise_pbx_url(settings.pbx_url), settings.rest_user, settings.user):
        return "unavailable the app uses another PBX account"
    args = _parse(argv)
    if args is None or not wants_hand_over(args):
        return "unavailable not a call action"
    out, err = io.StringIO(), io.StringIO()
    code = await _run(args, controller, settings, out, err)
    answer: dict[str, Any] = {"exit": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
    return "done " + json.dumps(answer, ensure_ascii=False)


def _parse(argv: list[str]) -> argparse.Namespace | None:
    from companion.cli import _parser

    parser = _parser()
    parser.exit_on_error = False
    try:
        return parser.parse_args(argv)
    except (argparse.ArgumentError, SystemExit):  # SystemExit: a subparser's own error
        return None


async def _run(
    args: argparse.Namespace,
    controller: Controller,
    settings: Settings,
    out: io.StringIO,
    err: io.StringIO,
) -> int:
    """Run the command as the CLI would, its output and its error line into out and err."""
    from companion.cli import EXIT_FAILED, _message
    from companion.commands import run_call

    def say(line: str) -> None:
        print(line, file=out)

    try:
        code = await run_call(args.command, args, controller.pbx, settings, say)
    except Exception as exc:  # worded as the CLI words it
        print(f"companion: {_message(exc)}", file=err)
        return EXIT_FAILED
    controller.refresh_soon()  # the app shows the new call state without waiting a poll
    return code

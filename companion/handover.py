"""The CLI's call actions carried out by the running app, over the single-instance socket.

``companion dial 221`` (and ``hangup``, ``hold``, ``transfer``, ... see
:data:`CALL_COMMANDS`) first asks the running app of this user to do it: the app is
logged in and keeps its connection to the PBX warm, so the request leaves at once. The
CLI sends ``run {"env": {...}, "argv": [...]}`` before it imports or parses anything
(argparse and the settings alone cost more than Python starting): ``env`` holds the
variables that decide which settings file it would read (:data:`SETTINGS_ENV`), never a
password. The app carries the command out with its own PBX client only if the CLI
would read the same settings file and that file names the app's account now (a
``companion login`` since the app started is another account), and answers
``done {"exit": N, "stdout": ..., "stderr": ...}``: what the CLI would have printed,
which the CLI prints as it is. When no app runs, or it answers ``unavailable`` (other
settings, another account, not logged in, a command line it cannot parse), the CLI
does it itself, as before, with its own parsing and its own errors.

:func:`hand_over` is the CLI's side (standard library only); the app's side is
:func:`carry_out`, run on the app's loop.
"""

from __future__ import annotations

import io
import os
import sys

TYPE_CHECKING = False  # not typing's: the CLI's hand-over imports as little as it can
if TYPE_CHECKING:
    import argparse

    from companion.config import Settings
    from companion.controller import Controller

CALL_COMMANDS = frozenset(
    {"dial", "hangup", "hold", "pickup", "offhook", "conference", "transfer", "dtmf"}
)
SETTINGS_ENV = (
    "COMPANION_CONFIG_DIR",
    "XDG_CONFIG_HOME",
    "HOME",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
)
"""What decides where the settings file is (``config.settings_path``, platformdirs)."""
HANDOVER_TIMEOUT = 30.0
"""How long the app may take to carry out a call action (a slow PBX answers late)."""


# -- the CLI's side -----------------------------------------------------------------------


def hand_over(argv: list[str]) -> int | None:
    """Let the running app carry out the command ``argv``; its exit code once it did,
    None when the CLI must do it itself (no app, other settings, not logged in).

    Raises :class:`~companion.output.UserError` if the app took the command but did not
    answer in time: then it may have acted, and running it again could dial twice.
    """
    from companion.desktop.single_instance import InstanceError, ask
    from companion.output import UserError

    try:
        reply = ask("run " + request_text(argv), HANDOVER_TIMEOUT)
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
        code, out, err = read_done(text)
    except (ValueError, KeyError, TypeError):
        raise UserError("Companion answered in a way this CLI does not understand") from None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


def request_text(argv: list[str]) -> str:
    """``{"env": {...}, "argv": [...], "reply": "escaped"}``: JSON, written without the
    json module (it and its re cost a hand-over more than the app's whole answer)."""
    env = ", ".join(f"{json_text(key)}: {json_text(os.environ.get(key))}" for key in SETTINGS_ENV)
    args = ", ".join(json_text(a) for a in argv)
    return f'{{"env": {{{env}}}, "argv": [{args}], "reply": "escaped"}}'


def json_text(value: str | None) -> str:
    """`value` as a JSON string (or null); quotes, backslashes, control characters and
    lone surrogates (undecodable bytes of a command line) escaped, the rest as it is."""
    if value is None:
        return "null"
    return '"' + "".join(map(_json_char, value)) + '"'


def _json_char(c: str) -> str:
    if c in '"\\':
        return "\\" + c
    if c < " " or "\ud800" <= c <= "\udfff":
        return f"\\u{ord(c):04x}"
    return c


def read_done(text: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a ``done`` reply: ``EXIT<tab>OUT<tab>ERR`` with
    OUT and ERR in Python's unicode_escape (no tab or line break left in them), or the
    JSON object an app from before that format answers with."""
    if text.startswith("{"):
        import json

        answer = json.loads(text)
        return int(answer["exit"]), str(answer["stdout"]), str(answer["stderr"])
    code, out, err = text.split("\t")
    return int(code), _unescape(out), _unescape(err)


def done_text(code: int, out: str, err: str, escaped: bool) -> str:
    """What follows ``done `` in the reply, in the form the CLI asked for."""
    if escaped:
        return f"{code}\t{_escape(out)}\t{_escape(err)}"
    import json

    return json.dumps({"exit": code, "stdout": out, "stderr": err}, ensure_ascii=False)


def _escape(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii")


def _unescape(text: str) -> str:
    return text.encode("ascii").decode("unicode_escape")


# -- the app's side -----------------------------------------------------------------------


async def carry_out(text: str, controller: Controller | None, settings: Settings) -> str:
    """The reply to ``run <text>``: ``done ...`` (see `done_text`), or ``unavailable <why>``."""
    import json

    from companion import config

    try:
        request = json.loads(text)
        argv = [str(a) for a in request["argv"]]
        env = request["env"]
        same_settings = all(env.get(key) == os.environ.get(key) for key in SETTINGS_ENV)
        escaped = request.get("reply") == "escaped"
    except (ValueError, KeyError, TypeError, AttributeError):
        return "unavailable the request is not one this app understands"
    if not same_settings:
        return "unavailable the CLI reads other settings"
    if controller is None or not settings.pbx_url:
        return "unavailable the app is not connected to a PBX"
    try:
        loaded = config.load()  # as the CLI would read it now
    except config.ConfigError:
        return "unavailable the settings cannot be read"
    if loaded.warning or _account(loaded.settings) != _account(settings):
        return "unavailable the settings name another account than the app's"
    args = _parse(argv)
    if args is None or not wants_hand_over(args):
        return "unavailable not a call action"
    out, err = io.StringIO(), io.StringIO()
    code = await _run(args, controller, settings, out, err)
    return "done " + done_text(code, out.getvalue(), err.getvalue(), escaped)


def wants_escaped(request: str) -> bool:
    """Whether the CLI that sent `request` reads the escaped form of ``done``."""
    import json

    try:
        return bool(json.loads(request).get("reply") == "escaped")
    except (ValueError, AttributeError):
        return False


def _account(settings: Settings) -> tuple[str, str, str]:
    from companion.config import ConfigError, normalise_pbx_url

    try:
        url = normalise_pbx_url(settings.pbx_url)
    except ConfigError:
        url = ""
    return url, settings.rest_user, settings.user


def wants_hand_over(args: argparse.Namespace) -> bool:
    """A call action the running app can do: not the demo, not --selection."""
    return args.command in CALL_COMMANDS and not args.demo and not getattr(args, "selection", False)


def _parse(argv: list[str]) -> argparse.Namespace | None:
    import contextlib

    from companion.cli import parse

    # A command line argparse refuses (or --help) is the CLI's to answer, in its words;
    # nothing it would print here belongs in the app's output.
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return parse(argv)
    except SystemExit:
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
    from companion.commands.calls import run_call

    def say(line: str) -> None:
        print(line, file=out)

    try:
        code = await run_call(args.command, args, controller.pbx, settings, say)
    except Exception as exc:  # worded as the CLI words it
        print(f"companion: {_message(exc)}", file=err)
        return EXIT_FAILED
    controller.refresh_soon()  # the app shows the new call state without waiting a poll
    return code

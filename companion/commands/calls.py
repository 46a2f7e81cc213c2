"""`companion dial` and the call actions (hangup, hold, ...); `run_call` is also what
the running app carries out for a handed-over call action."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from companion import config
from companion.cli_account import logged_in_settings as _settings
from companion.cold_dial import calling, plain_extension, tones_not_dialled
from companion.commands.common import Command, Say, _destination, _with_pbx
from companion.output import UserError

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.pbx.models import SearchResult
    from companion.pbx.protocol import Pbx
    from companion.session.targets import Target


def dial(args: argparse.Namespace) -> int:
    if args.selection:
        return _dial_selection(args)
    if not args.number:
        raise UserError("dial needs a NUMBER (or --selection)")
    return _call_action("dial")(args)


async def _dial(args: argparse.Namespace, pbx: Pbx, settings: config.Settings, say: Say) -> int:
    from companion.pbx.models import CallAction

    if not args.number:
        raise UserError("dial needs a NUMBER (or --selection)")
    if plain_extension(args.number):
        await pbx.call_action(CallAction.DIAL, args.number, args.device)
        say(calling(args.number, args.device))
        return 0
    from companion.numbers import NumberError, default_region, format_for_display, parse_dial_input

    region = default_region(settings.region or None)
    try:
        number = parse_dial_input(args.number, region)
    except NumberError:
        if not any(c.isalpha() for c in args.number):
            raise
        found = await _by_name(args.number, pbx, settings, region, say)
        await pbx.call_action(CallAction.DIAL, found.number, args.device)
        shown = format_for_display(found.number, region)
        say(calling(f"{found.name} ({shown})", args.device))
        return 0
    await pbx.call_action(CallAction.DIAL, number.destination, args.device)
    shown = format_for_display(number.destination, region)
    say(calling(shown, args.device))
    if number.tones:
        say(tones_not_dialled(number.tones))
    return 0


async def _by_name(
    text: str, pbx: Pbx, settings: config.Settings, region: str | None, say: Say
) -> Target:
    """The one number a name stands for, from the local directory when it can answer,
    else the PBX; several candidates are listed (each number with its name), exit 1."""
    from companion import directory
    from companion.numbers import format_for_display
    from companion.session import targets

    local = directory.open_directory(settings)
    search: targets.Search | None = None
    if local.usable(directory.max_age(settings)):

        async def search(wanted: str, limit: int) -> SearchResult:
            return local.search(wanted, limit=limit)

    try:
        found = await targets.resolve(pbx, text, region, search)
    except targets.TargetNotFound:
        raise UserError(
            f"'{text}' is not a phone number, and no contact with a number matches it"
        ) from None
    if len(found) == 1:
        return found[0]
    for candidate in found:
        kind = f"  ({candidate.kind.value})" if candidate.kind else ""
        say(f"{format_for_display(candidate.number, region):<18} {candidate.name}{kind}")
    raise UserError(
        f"'{text}' matches {len(found)} numbers (listed above); dial one of them: "
        "companion dial NUMBER"
    )


def _dial_selection(args: argparse.Namespace) -> int:
    """The selected text; asked about in the app (like a link) unless confirmation is off."""
    from companion.desktop.selection import (
        SelectionError,
        dial_selection_text,
        number_from_selection,
    )
    from companion.numbers import default_region

    settings = _settings()
    try:
        text = dial_selection_text()
    except SelectionError as exc:
        raise UserError(str(exc)) from None
    number = number_from_selection(text, default_region(settings.region or None))
    if settings.confirm_links:
        from companion.desktop.commands import open_uri

        return open_uri(argparse.Namespace(uri=f"tel:{number.destination}", demo=args.demo))
    args.number, args.selection = number.destination, False
    return dial(args)


NEEDS_A_CALL = frozenset({"hangup", "hold", "transfer", "dtmf"})


async def _in_a_call(pbx: Pbx) -> bool:
    """Whether the PBX lists a call of the user; True when it cannot tell (send anyway)."""
    from companion.pbx.errors import PbxError

    try:
        return any(not call.fax for call in await pbx.live_calls())
    except PbxError:
        return True


async def run_call(
    name: str, args: argparse.Namespace, pbx: Pbx, settings: config.Settings, say: Say
) -> int:
    """The call action `name` (see companion.handover.CALL_COMMANDS) on `pbx`; each line
    it prints goes to `say`. Run by the CLI, or by the running app on its warm client."""
    from companion.pbx.models import CallAction

    if name == "dial":
        return await _dial(args, pbx, settings, say)
    destination = ""
    if name == "transfer":
        destination = _destination(args.number, settings)
    elif name == "dtmf":
        destination = args.digits.replace(" ", "")
        if not destination or any(c not in "0123456789*#" for c in destination):
            raise UserError(f"'{args.digits}' are not touch-tone digits (0-9, *, #)")
    if name in NEEDS_A_CALL and not await _in_a_call(pbx):
        raise UserError("No call in progress.")
    await pbx.call_action(CallAction(name), destination, args.device)
    return 0


def _call_action(name: str) -> Command:
    def command(args: argparse.Namespace) -> int:
        async def work(pbx: Backend, settings: config.Settings) -> int:
            return await run_call(name, args, pbx, settings, print)

        return _with_pbx(work)

    return command


# The call actions by name, as companion.commands maps them.
hangup = _call_action("hangup")
hold = _call_action("hold")
pickup = _call_action("pickup")
offhook = _call_action("offhook")
conference = _call_action("conference")
transfer = _call_action("transfer")
dtmf = _call_action("dtmf")

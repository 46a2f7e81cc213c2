"""What the user's phone state is and switches: `companion presence`, `queue`,
`redirect`, `switch` and `status`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from companion import config
from companion.commands.common import _with_pbx
from companion.output import UserError, print_json, table

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.pbx.models import Redirect, Switch


def presence(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        profiles = await pbx.profiles()
        if args.profile:
            wanted = args.profile.casefold()
            match = [p for p in profiles if p.name.casefold() == wanted or p.id == args.profile]
            if not match:
                names = ", ".join(p.name for p in profiles)
                raise UserError(f"you have no profile '{args.profile}'; yours: {names}")
            profile = await pbx.activate_profile(match[0].id)
            print(f"Presence: {profile.name}")
            return 0
        if args.json:
            print_json(profiles)
        elif args.list:
            for profile in profiles:
                print(f"{'*' if profile.active else ' '} {profile.name}")
        else:
            active = [p.name for p in profiles if p.active]
            print(f"Presence: {active[0] if active else 'no profile active'}")
        return 0

    return _with_pbx(work)


def queue(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        action = args.action or "status"
        if action == "login":
            await pbx.queue_login()
        elif action == "logout":
            await pbx.queue_logout()
        elif action == "pause":
            await pbx.queue_pause(await _pause_reason(pbx, args.reason) if args.reason else "")
        elif action == "unpause":
            await pbx.queue_unpause()
        memberships = await pbx.queues()
        if args.json:
            print_json(memberships)
            return 0
        if not memberships:
            print("You are not an agent of any queue.")
        for m in memberships:
            state = "logged out"
            if m.logged_in:
                state = (
                    f"paused ({m.pause_reason})"
                    if m.paused and m.pause_reason
                    else ("paused" if m.paused else "logged in")
                )
            print(f"{m.queue} ({m.extension}): {state}")
        return 0

    return _with_pbx(work)


async def _pause_reason(pbx: Backend, wanted: str) -> str:
    """The name of the pause reason the user's queues offer as `wanted` (name or code)."""
    offered = {r.name: r for m in await pbx.queues() for r in m.pause_reasons}
    for reason in offered.values():
        if wanted.casefold() in (reason.name.casefold(), reason.code.casefold()):
            return reason.name
    if not offered:
        raise UserError(f"your queues offer no pause reasons; pause without '{wanted}'")
    names = ", ".join(f"{r.name} ({r.code})" if r.code else r.name for r in offered.values())
    raise UserError(f"your queues offer no pause reason '{wanted}'; they offer: {names}")


# -- redirect and switches -----------------------------------------------------------------


def redirect(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        from companion.numbers import default_region
        from companion.session import targets

        region = default_region(settings.region or None)
        target = args.target
        before = await pbx.redirect()
        if target is None:
            current = before
        elif target.lower() == "off":
            current = await pbx.redirect_off()
        elif target.lower() == "on":
            current = await pbx.redirect_on()
        else:
            found = await targets.resolve(pbx, target, region)
            if len(found) > 1:
                for candidate in found:
                    kind = f"  ({candidate.kind.value})" if candidate.kind else ""
                    print(f"{candidate.number:<16} {candidate.name}{kind}")
                raise UserError(
                    f"'{target}' matches {len(found)} numbers (listed above); "
                    "redirect to one of them: companion redirect NUMBER"
                )
            current = await pbx.set_redirect(found[0].number)
        if args.json:  # one shape for scripts: the same twice when only shown
            print_json({"before": before, "after": current})
        else:
            shown = current.target or current.previous_target
            name = await targets.name_for(pbx, shown, region) if shown else ""
            print(_describe_redirect(current, name))
        return 0

    return _with_pbx(work)


def _describe_redirect(current: Redirect, name: str = "") -> str:
    """`name`: whose number the target (or the one to restore) is, when known."""
    from companion.session.targets import label

    if current.active:
        return f"Redirect of {current.extension}: on, to {label(name, current.target)}"
    restores = label(name, current.previous_target)
    back = f" (on restores {restores})" if current.previous_target else ""
    return f"Redirect of {current.extension}: off{back}"


def switch(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        switches = await pbx.switches()
        if args.name is not None:
            chosen = _find_switch(switches, args.name)
            if args.state:
                on = not chosen.on if args.state == "toggle" else args.state == "on"
                chosen = await pbx.set_switch(chosen.extension, on)
            switches = [chosen]
        if args.json:
            print_json(switches if args.name is None else switches[0])
            return 0
        table([[s.name, s.extension, "on" if s.on else "off"] for s in switches])
        return 0

    return _with_pbx(work)


def _find_switch(switches: list[Switch], name: str) -> Switch:
    wanted = name.casefold()
    for s in switches:
        if s.extension == name or s.name.casefold() == wanted:
            return s
    names = ", ".join(f"{s.name} ({s.extension})" for s in switches) or "none"
    raise UserError(f"there is no extension switch '{name}'; there are: {names}")


def status(args: argparse.Namespace) -> int:
    """Reachable or not, the user, and every feature's state: one poll of the session."""
    from companion.pbx import errors
    from companion.pbx.features import Feature, is_connection_failure
    from companion.session import Session

    async def work(pbx: Backend, settings: config.Settings) -> int:
        session = Session(pbx)
        try:
            await session.refresh()
            # Not in the poll: read once so their state is what the PBX says, not assumed.
            for feature, probe in (
                (Feature.HISTORY, lambda: pbx.history(limit=1)),
                (Feature.DIRECTORY, lambda: pbx.search("1", limit=1)),
            ):
                if session.features.offers(feature):
                    try:
                        await session.features.read(feature, probe())
                    except errors.PbxError as exc:
                        if is_connection_failure(exc):
                            raise
        except errors.PbxError as exc:  # the PBX as a whole (or no such user)
            if not (is_connection_failure(exc) or isinstance(exc, errors.NotFound)):
                raise
            session.keeper.set_reachable(False, str(exc))
        state = session.state
        account = state.account
        features = [
            {
                "feature": str(feature),
                "offered": session.features.offers(feature),
                "availability": str(session.feature(feature).availability),
                "reason": session.feature(feature).reason,
            }
            for feature in Feature
        ]
        reachable = state.reachable is True
        if args.json:
            print_json(
                {
                    "reachable": reachable,
                    "reason": state.unreachable_reason,
                    "pbx": settings.pbx_url,
                    "user": settings.user,
                    "name": account.display_name if account else "",
                    "extension": account.extension if account else "",
                    "features": features if reachable else [],
                }
            )
        if not reachable:
            why = state.unreachable_reason
            print(f"companion: not connected to the PBX: {why}", file=sys.stderr)
            return 1
        if args.json:
            return 0
        who = settings.user
        if account is not None:
            who = f"{account.display_name} ({settings.user}, extension {account.extension})"
        print(f"Connected to {settings.pbx_url} as {who}.")
        rows = []
        for entry in features:
            shown = entry["availability"] if entry["offered"] else "not offered"
            rows.append([str(entry["feature"]), str(shown), str(entry["reason"])])
        table(rows)
        return 0

    return _with_pbx(work)

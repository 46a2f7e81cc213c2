"""`companion search` and `companion directory`: contacts, from the local index or the PBX."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from companion import config
from companion.cli_account import logged_in_settings as _settings
from companion.commands.common import _with_pbx
from companion.output import UserError, print_json, when

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.directory import Directory
    from companion.pbx.models import Contact, SearchResult


def search(args: argparse.Namespace) -> int:
    if not args.remote:
        from companion import directory

        settings = _settings()
        local = directory.open_directory(settings)
        if local.usable(directory.max_age(settings)):
            result = local.search(args.text, limit=args.limit)
            return _print_search(args, result, {}, settings, "index")

    async def work(pbx: Backend, settings: config.Settings) -> int:
        result = await pbx.search(args.text, limit=args.limit)
        users = [c.user_name for c in result.contacts if c.user_name]
        states = await pbx.presence(users) if users else {}
        return _print_search(args, result, states, settings, "pbx")

    return _with_pbx(work)


def _print_search(
    args: argparse.Namespace,
    result: SearchResult,
    states: Mapping[str, object],
    settings: config.Settings,
    answered_by: str,
) -> int:
    from companion.numbers import default_region

    if args.json:
        print_json(
            {
                "total": result.total,
                "contacts": result.contacts,
                "presence": states,
                "source": answered_by,
            }
        )
        return 0
    if not result.contacts:
        print(f"No contact matches '{args.text}'.")
        return 0
    region = default_region(settings.region or None)
    for contact in result.contacts:
        _print_contact(contact, states.get(contact.user_name or "", None), region)
    if result.total > len(result.contacts):
        print(f"({len(result.contacts)} of {result.total} shown; use --limit for more)")
    return 0


def _print_contact(contact: Contact, presence: object | None, region: str | None) -> None:
    from companion.numbers import format_for_display

    title = contact.name
    if contact.organisation and contact.organisation not in title:
        title += f" ({contact.organisation})"
    tags = [contact.source.value]
    if presence is not None:
        tags.append(str(presence))
    print(f"{title}  [{', '.join(tags)}]")
    for number in contact.numbers:
        print(f"    {number.kind.value:<7} {format_for_display(number.number, region)}")


def directory_command(args: argparse.Namespace) -> int:
    from companion import directory

    settings = _settings()
    local = directory.open_directory(settings)
    if args.action == "sync":
        return _sync_directory(local)
    status = local.status()
    if not status.exists:
        print(f"No local directory yet ({status.path}); run: companion directory sync")
        return 0
    synced = when(status.synced_at) if status.synced_at else "never"
    print(f"Entries:   {status.entries}")
    print(f"Last sync: {synced}")
    print(f"File:      {status.path}")
    print(f"Size:      {status.size / 1_000_000:.1f} MB")
    if status.refused:
        print(f"Refused:   {status.refused} Search asks the PBX.")
    elif not local.usable(directory.max_age(settings)):
        print("Outdated:  search asks the PBX until the next sync.")
    return 0


def _sync_directory(local: Directory) -> int:
    from companion import directory

    shown = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if shown:
            print(f"\rSyncing the directory: {done} of {total}", end="", file=sys.stderr)

    async def work(pbx: Backend, settings: config.Settings) -> int:
        try:
            status = await directory.sync(local, pbx, progress)
        except directory.DirectoryUnavailable as err:
            raise UserError(str(err)) from None
        finally:
            if shown:
                print(file=sys.stderr)
        if status.refused:
            print(f"{status.refused} Search asks the PBX.")
        else:
            print(f"Synced {status.entries} entries into {status.path}.")
        return 0

    return _with_pbx(work)

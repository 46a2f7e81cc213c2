"""What each `companion` subcommand does. Imported only once a subcommand runs."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from companion import config, credentials, fax_document, files
from companion.backends import keyring_name, open_pbx
from companion.cli_account import logged_in_settings as _settings
from companion.cli_account import stored_secret
from companion.cold_dial import calling, plain_extension, tones_not_dialled
from companion.output import UserError, duration, plain, print_json, table, when

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.directory import Directory
    from companion.pbx.errors import PbxError
    from companion.pbx.models import Call, CallRecord, Contact, Redirect, SearchResult, Switch
    from companion.pbx.protocol import Pbx
    from companion.session.calls import CallEvent
    from companion.session.targets import Target

Command = Callable[[argparse.Namespace], int]
Work = Callable[["Backend", config.Settings], Awaitable[int]]
Say = Callable[[str], None]


# -- settings, credentials, connection --------------------------------------------------


def _with_pbx(work: Work) -> int:
    settings = _settings()
    password = stored_secret(settings)

    async def run() -> int:
        pbx = open_pbx(settings, password)
        try:
            return await work(pbx, settings)
        finally:
            await pbx.close()

    return asyncio.run(run())


def _destination(text: str, settings: config.Settings) -> str:
    from companion.numbers import default_region, parse_dial_input

    return parse_dial_input(text, default_region(settings.region or None)).destination


# -- login, logout, config ---------------------------------------------------------------


def login(args: argparse.Namespace) -> int:
    if args.relay:
        return _login_relay(args)
    loaded = config.load()
    settings = loaded.settings
    before = (settings.pbx_url, settings.user)
    old_directory = None
    if settings.pbx_url:
        from companion.directory import open_directory

        old_directory = open_directory(settings)
    kind = args.kind or "pascom"
    settings.kind = kind
    settings.pbx_url = config.normalise_pbx_url(args.url)
    settings.rest_user = args.rest_user
    settings.user = args.user
    settings.ca_file = args.ca_file
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UserError(f"the CA file {args.ca_file} does not exist")
    if kind == "innovaphone":
        _innovaphone_login_settings(settings, getattr(args, "app", ""))
    elif getattr(args, "app", ""):
        raise UserError("--app is for an innovaphone PBX (with --kind innovaphone)")
    elif settings.pbx_url.startswith(("ws://", "wss://")):
        raise UserError(
            "a pascom PBX's address starts with https://; ws:// and wss:// are an innovaphone"
            " PBX's (add --kind innovaphone)"
        )
    password = _read_password(args.password_stdin)

    async def check(secret: str) -> str:
        async with open_pbx(settings, secret) as pbx:
            me = await pbx.account()
        return f"{me.display_name}, extension {me.extension}"

    secret = password
    if kind == "innovaphone" and settings.login == "user":
        secret = asyncio.run(_myapps_session(settings, password))  # never the password
    who = asyncio.run(check(secret))
    # Only a checked credential is stored: keyring first, so a keyring failure saves nothing.
    credentials.store_password(settings.pbx_url, keyring_name(settings), secret)
    config.save(settings)
    if old_directory is not None and before != (settings.pbx_url, settings.user):
        old_directory.delete()  # another PBX or user: the old company data goes
    print(f"Logged in to {settings.pbx_url} as {settings.user} ({who}).")
    return 0


def _innovaphone_login_settings(settings: config.Settings, app: str) -> None:
    """An innovaphone address (wss://, ws:// on loopback only) and the way to log in."""
    from companion.pbx.errors import PbxError as PbxErrorClass
    from companion.pbx.innovaphone.address import DEFAULT_APP, check_url

    if not settings.pbx_url.startswith(("ws://", "wss://")):
        raise UserError(
            "an innovaphone PBX is reached over its AppWebsocket: give the address as "
            "wss://HOST/PBX0"
        )
    try:
        check_url(settings.pbx_url)
    except PbxErrorClass as exc:
        raise UserError(str(exc)) from None
    settings.login = "app" if app else "user"
    settings.app = app or DEFAULT_APP


async def _myapps_session(settings: config.Settings, password: str) -> str:
    from companion.pbx.innovaphone import log_in_user

    session = await log_in_user(
        settings.pbx_url, settings.user, password, app=settings.app,
        ca_file=settings.ca_file or None,
    )  # fmt: skip
    return session.to_secret()


def _login_relay(args: argparse.Namespace) -> int:
    """Trade the administrator's code for a device token (kept in the keyring only)."""
    from companion import enrolment

    settings = config.load().settings
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UserError(f"the CA file {args.ca_file} does not exist")
    ca_file = str(Path(args.ca_file).resolve()) if args.ca_file else ""
    old_directory = None
    if settings.pbx_url:
        from companion.directory import open_directory

        old_directory = open_directory(settings)
    connected = asyncio.run(
        enrolment.connect(settings, args.relay, args.code, device=args.device, ca_file=ca_file)
    )
    enrolment.store(connected)
    new = connected.settings
    if old_directory is not None and (settings.pbx_url, settings.user) != (new.pbx_url, new.user):
        old_directory.delete()
    print(
        f"Connected to the Companion relay {new.pbx_url} as {new.user} ({connected.who});"
        f" this desktop is {new.rest_user!r} there."
    )
    if connected.problem:
        print(f"companion: {connected.problem}", file=sys.stderr)
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass("REST password: ")
    else:
        raise UserError("no terminal to ask for the password; pass it with --password-stdin")
    if not password:
        raise UserError("the REST password is empty")
    return password


def logout(args: argparse.Namespace) -> int:
    settings = config.load().settings
    if not settings.pbx_url:
        print("Not logged in.")
        return 0
    credentials.delete_password(settings.pbx_url, keyring_name(settings))
    what = {"innovaphone": "login", "relay": "device token"}.get(settings.kind, "REST password")
    print(f"Removed the {what} for {settings.pbx_url} from the keyring.")
    from companion.directory import open_directory

    if open_directory(settings).delete():
        print("Deleted the local directory.")
    return 0


def config_command(args: argparse.Namespace) -> int:
    loaded = config.load()
    if loaded.warning:
        print(f"companion: {loaded.warning}", file=sys.stderr)
    settings = loaded.settings
    if args.key is None:
        for key in config.KEYS:
            print(f"{key} = {config.get_value(settings, key)}")
        return 0
    if args.value is None:
        print(config.get_value(settings, args.key))
        return 0
    config.save(config.set_value(settings, args.key, args.value))
    return 0


# -- calls ---------------------------------------------------------------------------------


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


# -- phonebook -----------------------------------------------------------------------------


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


# -- presence and queues -------------------------------------------------------------------


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


# -- voicemail and fax ---------------------------------------------------------------------


def voicemail(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        action = args.action  # the arguments each action needs: checked in cli.parse
        if action == "save":
            target = _save_target(args.file, f"voicemail-{args.id}.wav")
            audio = await pbx.voicemail_audio(args.id)
            _write(target, audio)
            print(f"Saved {len(audio)} bytes to {target}")
        elif action == "heard":
            await pbx.mark_heard(args.id)
            print("Marked as heard (moved to Old).")
        elif action == "delete":
            await pbx.delete_voicemail(args.id)
            print("Deleted.")
        else:
            messages = await pbx.voicemails()
            if args.json:
                print_json(messages)
                return 0
            if not messages:
                print("No voicemail.")
            table(
                [
                    [
                        m.id,
                        "new" if not m.heard else "heard",
                        when(m.received),
                        duration(m.duration),
                        " ".join(p for p in (m.caller_name, f"<{m.caller_number}>") if p != "<>"),
                    ]
                    for m in messages
                ]
            )
        return 0

    return _with_pbx(work)


def _save_target(target: str, name: str) -> Path:
    """`target`, or `name` in it if it is a directory; checked before anything is fetched."""
    try:
        return files.save_target(target, name)
    except files.UnusableFile as exc:
        raise UserError(str(exc)) from None


def _write(target: Path, data: bytes) -> None:
    """Write a download atomically (next to `target`), so an interrupted save leaves no
    half file."""
    files.write_atomically(target, data)


def fax(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        action, rest = args.action, args.args  # how many: checked in cli.parse
        if action == "save":
            faxes = {f.id: f for f in await pbx.received_faxes()}
            if rest[0] not in faxes:
                raise UserError(f"you have no received fax '{rest[0]}'; see: companion fax list")
            # A directory gets the fax under its own name (fax000000010.tif -> ....pdf).
            target = _save_target(rest[1], files.file_name(Path(rest[0]).stem) + ".pdf")
            pdf = await pbx.fax_pdf(faxes[rest[0]])
            _write(target, pdf)
            print(f"Saved {len(pdf)} bytes to {target}")
        elif action == "send":
            try:  # before anything is sent: a PDF that opens, with pages, not too big
                document = fax_document.check(Path(rest[0]))
            except fax_document.FaxDocumentError as exc:
                raise UserError(str(exc)) from None
            job = await pbx.send_fax(document.path, _destination(rest[1], settings))
            print(
                f"Fax {document.path.name} ({document.pages_in_words}) scheduled for {rest[1]}"
                f" (job {job})."
            )
        elif action == "sent":
            sent = await pbx.sent_faxes()
            if args.json:
                print_json(sent)
                return 0
            if not sent:
                print("No sent faxes.")
            table([[f.id, when(f.scheduled), f.state, f.destination, f.title] for f in sent])
        else:
            received = await pbx.received_faxes()
            if args.json:
                print_json(received)
                return 0
            if not received:
                print("No faxes.")
            table(
                [
                    [f.id, when(f.received), f"{f.pages} p.", f.sender, f.sender_number]
                    for f in received
                ]
            )
        return 0

    return _with_pbx(work)


# -- history -------------------------------------------------------------------------------


def history(args: argparse.Namespace) -> int:
    async def work(pbx: Backend, settings: config.Settings) -> int:
        from companion.numbers import default_region, format_for_display

        records = await pbx.history(limit=args.limit)
        if args.json:
            print_json(records)
            return 0
        if not records:
            print("No calls.")
        region = default_region(settings.region or None)
        table([_history_row(r, format_for_display(r.number, region)) for r in records])
        return 0

    return _with_pbx(work)


def _history_row(record: CallRecord, number: str) -> list[str]:
    """As the GUI's recent calls show a call: talk time (`connected`, not the ringing
    in `duration`), and a call nobody answered marked in words, with no time."""
    if record.missed:
        direction = "missed"
    elif record.outgoing:
        direction = "out" if record.connected else "out, not answered"
    else:
        direction = "in"
    talked = duration(record.connected) if record.connected else "-"
    return [when(record.time), direction, record.name or "-", number or "-", talked]


# -- live calls ------------------------------------------------------------------------------


def calls(args: argparse.Namespace) -> int:
    """List the user's live calls, or with --watch print one line per call event."""

    async def work(pbx: Backend, settings: config.Settings) -> int:
        from companion.session.watch import CallWatcher

        watcher = CallWatcher(pbx, interval=args.interval)
        if not args.watch:
            await watcher.poll()
            if args.json:
                print_json(watcher.calls)
            elif not watcher.calls:
                print("No call in progress.")
            else:
                table([_call_row(call, settings) for call in watcher.calls])
            return 0
        await watcher.poll()  # calls already up are the starting point, not news
        if not args.json:
            print("Watching your calls (Ctrl+C stops).", flush=True)

        async def printed(events: list[CallEvent]) -> None:
            for event in events:
                _print_event(event, settings, args.json)

        await watcher.watch(printed, _warn)
        return 0

    try:
        return _with_pbx(work)
    except KeyboardInterrupt:
        return 0


def _call_row(call: Call, settings: config.Settings) -> list[str]:
    from companion.numbers import default_region, format_for_display

    number = format_for_display(call.remote_number, default_region(settings.region or None))
    via = f"via {call.via} {call.via_details}".strip() if call.via else ""
    talk = duration(call.talk_seconds()) if call.connected_since is not None else "-"
    return [call.direction.value, call.state.value, call.remote_name or "-", number, talk, via]


def _print_event(event: CallEvent, settings: config.Settings, as_json: bool) -> None:
    if as_json:
        line: dict[str, object] = {
            "event": event.kind.value,
            "at": datetime.now(UTC).isoformat(),
            "call": event.call,
        }
        if event.to_voicemail:
            line["to_voicemail"] = True
        print(json.dumps(plain(line), ensure_ascii=False), flush=True)
        return
    row = _call_row(event.call, settings)
    stamp = datetime.now().strftime("%H:%M:%S")
    print("  ".join([stamp, event.kind.value, *(c for c in row if c and c != "-")]), flush=True)


def _warn(problem: PbxError | None) -> None:
    if problem is None:
        print("companion: the PBX answers again.", file=sys.stderr, flush=True)
    else:
        print(f"companion: {problem}", file=sys.stderr, flush=True)


# -- status ---------------------------------------------------------------------------------


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


# -- the demo PBX --------------------------------------------------------------------------


def simulator(args: argparse.Namespace) -> int:
    if args.kind == "innovaphone":
        return _innovaphone_simulator(args)
    from companion.simulator import IoJsonError, serve

    try:
        serve(
            host=args.host,
            port=args.port,
            data=args.data,
            extras=args.extras,
            instance="demo",
            rest_user=args.rest_user,
            rest_password=args.rest_password,
            ssl_certfile=None,
            ssl_keyfile=None,
            variant=args.variant,
            scripted_calls=args.scripted_calls,
        )
    except IoJsonError as exc:  # the file and the place, in words
        raise UserError(str(exc)) from None
    except OSError as exc:  # bind: a host that does not resolve, a port in use or not allowed
        raise UserError(
            f"the demo PBX cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def _innovaphone_simulator(args: argparse.Namespace) -> int:
    from companion.simulator.innovaphone import DemoFileError, serve_forever

    try:
        serve_forever(
            host=args.host,
            port=args.port,
            data=args.data,
            variant=args.variant,
            challenge_as_number=args.challenge_as_number,
            scripted_calls=args.scripted_calls,
        )
    except DemoFileError as exc:  # the file and the place, in words
        raise UserError(str(exc)) from None
    except OSError as exc:  # bind: a host that does not resolve, a port in use or not allowed
        raise UserError(
            f"the demo PBX cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
        ) from None
    return 0


COMMANDS: dict[str, Command] = {
    "login": login,
    "logout": logout,
    "config": config_command,
    "dial": dial,
    "hangup": _call_action("hangup"),
    "hold": _call_action("hold"),
    "pickup": _call_action("pickup"),
    "offhook": _call_action("offhook"),
    "conference": _call_action("conference"),
    "transfer": _call_action("transfer"),
    "dtmf": _call_action("dtmf"),
    "search": search,
    "directory": directory_command,
    "presence": presence,
    "queue": queue,
    "redirect": redirect,
    "switch": switch,
    "voicemail": voicemail,
    "fax": fax,
    "history": history,
    "calls": calls,
    "status": status,
    "simulator": simulator,
}

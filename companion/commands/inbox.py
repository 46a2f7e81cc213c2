"""What came in and what is going on: `companion voicemail`, `fax`, `history` and `calls`."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from companion import config, fax_document, files
from companion.commands.common import _destination, _warn, _with_pbx
from companion.output import UserError, duration, plain, print_json, table, when

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.pbx.models import Call, CallRecord
    from companion.session.calls import CallEvent


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

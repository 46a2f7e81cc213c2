"""``companion dial NUMBER`` with no app running, on a pascom PBX: one synchronous request.

A CRM hook or a script that dials pays for every import of a cold start, so this path
loads the settings, the keyring and httpx's synchronous client, and nothing of
`companion.commands` (asyncio, the async HTTP stack, the backends). It covers a number
or an extension dialled on the default device or a named one; the full path
(`commands.calls.dial`) does the rest: another kind of PBX (innovaphone, relay), a name to look
up in the directory, ``--selection``, ``--demo``. Both print the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.cli_account import logged_in_settings, stored_secret

if TYPE_CHECKING:
    import argparse


def plain_extension(text: str) -> bool:
    """``221``: an internal extension as numbers.parse_dial_input sees one (one to six
    ASCII digits, no leading 0), which it sends and shows as typed; a dial of one
    needs no phone-number library (about 50 ms of a cold ``companion dial``)."""
    return 0 < len(text) <= 6 and text.isascii() and text.isdigit() and text[0] != "0"


def calling(shown: str, device: str | None) -> str:
    return f"Calling {shown}" + (f" from {device}." if device else ".")


def tones_not_dialled(tones: str) -> str:
    """The CLI does not follow the call: the tones after a pause are said, never dropped."""
    keys = tones.replace("p", ",").replace("w", ",")
    return f"Not dialled: {keys}. Key it in on your phone when the call is answered."


def dial(args: argparse.Namespace) -> int | None:
    """Dial `args.number` and return the exit code; None where the full path must."""
    if args.demo or args.selection or not args.number:
        return None
    settings = logged_in_settings()
    if settings.kind != "pascom":
        return None
    destination, shown, tones = args.number, args.number, ""
    if not plain_extension(args.number):
        from companion.numbers import (
            NumberError,
            default_region,
            format_for_display,
            parse_dial_input,
        )

        region = default_region(settings.region or None)
        try:
            number = parse_dial_input(args.number, region)
        except NumberError:
            if any(c.isalpha() for c in args.number):
                return None  # a name: the full path looks it up in the directory
            raise
        destination, tones = number.destination, number.tones
        shown = format_for_display(destination, region)
    password = stored_secret(settings)
    from companion.pbx.pascom.one_shot import OneShot

    pbx = OneShot(settings.pbx_url, settings.rest_user, password, settings.ca_file or None)
    try:
        pbx.call_action(settings.user, "dial", destination, args.device)
    finally:
        pbx.close()
    print(calling(shown, args.device))
    if tones:
        print(tones_not_dialled(tones))
    return 0

"""What the command modules share: the types of a command and of its work, the run on an
open PBX connection, a typed destination, and the words when a watched PBX fails or is back."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from companion import config
from companion.backends import open_pbx
from companion.cli_account import logged_in_settings as _settings
from companion.cli_account import stored_secret

if TYPE_CHECKING:
    from companion.backends import Backend
    from companion.pbx.errors import PbxError


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


def _warn(problem: PbxError | None) -> None:
    if problem is None:
        print("companion: the PBX answers again.", file=sys.stderr, flush=True)
    else:
        print(f"companion: {problem}", file=sys.stderr, flush=True)

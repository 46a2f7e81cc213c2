"""What each `companion` subcommand does, one module per group of commands.

Light on purpose: this maps a command's name to its module and function, and a module is
imported only when one of its commands runs, so a `companion dial` loads the call
commands and not the directory, the inbox or the demo PBX.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.commands.common import Command

# name on the command line -> (module in companion.commands, function in it)
WHERE: dict[str, tuple[str, str]] = {
    "login": ("account", "login"),
    "logout": ("account", "logout"),
    "config": ("account", "config_command"),
    "dial": ("calls", "dial"),
    "hangup": ("calls", "hangup"),
    "hold": ("calls", "hold"),
    "pickup": ("calls", "pickup"),
    "offhook": ("calls", "offhook"),
    "conference": ("calls", "conference"),
    "transfer": ("calls", "transfer"),
    "dtmf": ("calls", "dtmf"),
    "search": ("directory", "search"),
    "directory": ("directory", "directory_command"),
    "presence": ("state", "presence"),
    "queue": ("state", "queue"),
    "redirect": ("state", "redirect"),
    "switch": ("state", "switch"),
    "status": ("state", "status"),
    "voicemail": ("inbox", "voicemail"),
    "fax": ("inbox", "fax"),
    "history": ("inbox", "history"),
    "calls": ("inbox", "calls"),
    "simulator": ("simulator", "simulator"),
}


def command(name: str) -> Command:
    """The function that carries out the subcommand `name`, its module imported now."""
    module, function = WHERE[name]
    found: Command = getattr(import_module(f"{__name__}.{module}"), function)
    return found

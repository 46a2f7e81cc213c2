"""Settings: what the user configured, as TOML in the platform's config directory.

No secrets here: the REST password lives only in the OS keyring (``credentials.py``).

The file is ``settings.toml`` in :func:`config_dir` (``$COMPANION_CONFIG_DIR`` if set,
else platformdirs' user config dir, e.g. ``~/.config/companion`` on Linux)::

    [pbx]
    kind = "pascom"         # or "innovaphone"; or "relay": through a Companion relay
    url = "https://pbx.example.com/instance"
    rest_user = "moby"
    user = "jdoe"
    ca_file = ""

    [dialing]
    region = "DE"
    confirm_links = true

    [poll]
    interval = 30

    [calls]
    popups = true
    popups_external_only = false
    crm_url = ""
    crm_open_on_answer = false
    live_interval = 2

    [hotkeys]
    dial_selection = "Ctrl+Alt+D"
    open_dial = "Ctrl+Alt+F"

    [directory]
    sync_interval = 4

    [ui]
    language = ""
    start_at_login = false

    [[favourites]]          # the pinned contacts, in the user's order (companion.favourites)
    source = "user"
    id = "2"
    name = "Tina Sander"
    number = "221"
    user_name = "tsander"

Each setting has a git-config-like key (``pbx.url``, ``dialing.region``, ...; see
:data:`KEYS`) for ``companion config KEY [VALUE]``.

Loading never loses the user's file: a file that is not valid TOML or holds a value of
the wrong type or out of range is renamed to ``settings.toml.corrupt-YYYYmmdd-HHMMSS``
and :func:`load` says so in :attr:`Loaded.warning`. The values in it that were fine are
kept, the others fall back to their defaults. Unknown keys (from a newer version) are
ignored. Saving is atomic (temporary file, fsync, rename) and the file is readable by
its owner only.

The package's modules, one job each: :mod:`~companion.config.settings` (the
:class:`Settings` and the error), :mod:`~companion.config.checks` (the rules of each value),
:mod:`~companion.config.keys` (the key table, get and set one as text),
:mod:`~companion.config.paths` (the directories) and :mod:`~companion.config.file` (loading
and saving). This module re-exports their names: ``companion.config.load`` and the others
stay where every caller imports them from.
"""

from __future__ import annotations

from companion.config.checks import CA_FILE_LIMIT as CA_FILE_LIMIT
from companion.config.checks import KINDS as KINDS
from companion.config.checks import MAX_DIRECTORY_INTERVAL as MAX_DIRECTORY_INTERVAL
from companion.config.checks import MAX_LIVE_INTERVAL as MAX_LIVE_INTERVAL
from companion.config.checks import MAX_POLL_INTERVAL as MAX_POLL_INTERVAL
from companion.config.checks import MIN_DIRECTORY_INTERVAL as MIN_DIRECTORY_INTERVAL
from companion.config.checks import MIN_LIVE_INTERVAL as MIN_LIVE_INTERVAL
from companion.config.checks import MIN_POLL_INTERVAL as MIN_POLL_INTERVAL
from companion.config.checks import REGIONS as REGIONS
from companion.config.checks import normalise_pbx_url
from companion.config.file import SETTINGS_LIMIT as SETTINGS_LIMIT
from companion.config.file import load, save
from companion.config.keys import KEYS, Key, get_value, set_value
from companion.config.paths import APP_NAME as APP_NAME
from companion.config.paths import ENV_CACHE_DIR as ENV_CACHE_DIR
from companion.config.paths import ENV_CONFIG_DIR as ENV_CONFIG_DIR
from companion.config.paths import FILE_NAME as FILE_NAME
from companion.config.paths import cache_dir, config_dir, settings_path
from companion.config.settings import ConfigError, Loaded, Settings

__all__ = [
    "KEYS",
    "ConfigError",
    "Key",
    "Loaded",
    "Settings",
    "cache_dir",
    "config_dir",
    "get_value",
    "load",
    "normalise_pbx_url",
    "save",
    "set_value",
    "settings_path",
]

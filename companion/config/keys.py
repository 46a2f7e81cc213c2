"""The settings by their git-config-like names (``pbx.url``, ...): get and set one as text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from companion.config.checks import (
    check_ca_file,
    check_crm_url,
    check_directory_interval,
    check_hotkey,
    check_kind,
    check_language,
    check_live_interval,
    check_login,
    check_nothing,
    check_plain,
    check_poll_interval,
    check_region,
    check_rest_user,
    check_url,
    parse_bool,
    parse_int,
)
from companion.config.settings import ConfigError, Settings


@dataclass(frozen=True)
class Key:
    """One setting: where it is in the file, which Settings field, its type, its rules."""

    section: str
    option: str
    attribute: str
    kind: type
    description: str
    check: Callable[[str, Any], Any] = check_nothing

    @property
    def name(self) -> str:
        return f"{self.section}.{self.option}"


_KEY_LIST = [
    Key("pbx", "kind", "kind", str, "pascom, innovaphone, or relay (a Companion relay)",
        check_kind),
    Key("pbx", "url", "pbx_url", str, "https://HOST/INSTANCE of the PBX", check_url),
    Key("pbx", "rest_user", "rest_user", str, "the PBX's REST user", check_rest_user),
    Key("pbx", "user", "user", str, "the pascom login name the app acts for", check_plain),
    Key("pbx", "ca_file", "ca_file", str, "PEM file with the PBX's CA certificate", check_plain),
    Key("pbx", "app", "app", str, "innovaphone: the App object Companion uses", check_plain),
    Key("pbx", "login", "login", str, "innovaphone: 'user' (myApps) or 'app' (its password)",
        check_login),
    Key("dialing", "region", "region", str, "dialing region, e.g. DE", check_region),
    Key("dialing", "confirm_links", "confirm_links", bool, "ask before dialling a link"),
    Key("poll", "interval", "poll_interval", int, "seconds between refreshes",
        check_poll_interval),
    Key("calls", "popups", "call_popups", bool, "show a pop-up when a call comes in"),
    Key("calls", "popups_external_only", "call_popups_external_only", bool,
        "pop-ups only for callers from outside"),
    Key("calls", "crm_url", "crm_url", str, "CRM link with {number}, {e164}, {name}",
        check_crm_url),
    Key("calls", "crm_open_on_answer", "crm_open_on_answer", bool,
        "open the CRM link when I answer"),
    Key("calls", "live_interval", "live_interval", int, "seconds between looks at live calls",
        check_live_interval),
    Key("hotkeys", "dial_selection", "hotkey_dial_selection", str, "dial the selected number",
        check_hotkey),
    Key("hotkeys", "open_dial", "hotkey_open_dial", str, "open the dial window", check_hotkey),
    Key("directory", "sync_interval", "directory_sync_interval", int,
        "hours between syncs of the local directory", check_directory_interval),
    Key("ui", "language", "language", str, "language, e.g. de; empty = the system's",
        check_language),
    Key("ui", "start_at_login", "start_at_login", bool, "start Companion at login"),
]  # fmt: skip

KEYS: dict[str, Key] = {key.name: key for key in _KEY_LIST}
"""The settings by their git-config-like names ("pbx.url", "dialing.region", ...)."""


def _key(name: str) -> Key:
    try:
        return KEYS[name.strip().lower()]
    except KeyError:
        raise ConfigError(
            f"Unknown setting {name!r}; the settings are: {', '.join(KEYS)}"
        ) from None


def get_value(settings: Settings, key: str) -> str:
    """The setting ``key`` (e.g. ``"dialing.region"``) as text: true/false for switches."""
    spec = _key(key)
    value = getattr(settings, spec.attribute)
    if spec.kind is bool:
        return "true" if value else "false"
    return str(value)


def set_value(settings: Settings, key: str, value: str) -> Settings:
    """A copy of ``settings`` with ``key`` set from the text ``value``.

    Switches take true/false, yes/no, on/off, 1/0; ``poll.interval`` is 5 to 86400
    seconds, ``calls.live_interval`` 1 to 30; ``calls.crm_url`` an http(s) link template
    (see :mod:`companion.crm`) or empty; ``pbx.url`` must be ``http(s)://host[/instance]``
    (normalised); ``dialing.region`` a country phonenumbers knows, or empty; ``pbx.ca_file`` an
    existing PEM certificate file, stored as an absolute path, or empty. Raises
    :class:`ConfigError` with a message that says what is allowed.
    """
    spec = _key(key)
    parsed: Any
    if spec.kind is bool:
        parsed = parse_bool(spec.name, value)
    elif spec.kind is int:
        parsed = parse_int(spec.name, value)
    else:
        parsed = value
    parsed = spec.check(spec.name, parsed)
    if spec.attribute == "ca_file" and parsed:
        parsed = check_ca_file(spec.name, parsed)
    return dataclasses.replace(settings, **{spec.attribute: parsed})

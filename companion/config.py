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
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import platformdirs

if TYPE_CHECKING:  # the favourites (and the PBX models) load only where the file has some
    from companion import favourites as favourite_list
from companion.files import MB, open_regular, read_regular, write_private

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

APP_NAME = "companion"
FILE_NAME = "settings.toml"
ENV_CONFIG_DIR = "COMPANION_CONFIG_DIR"
ENV_CACHE_DIR = "COMPANION_CACHE_DIR"
MIN_DIRECTORY_INTERVAL = 1  # hours between syncs of the local directory index
MAX_DIRECTORY_INTERVAL = 168
MIN_POLL_INTERVAL = 5
MAX_POLL_INTERVAL = 86_400
MIN_LIVE_INTERVAL = 1  # seconds between looks at the live calls (pascom's cdr/live)
MAX_LIVE_INTERVAL = 30
SETTINGS_LIMIT = MB  # settings.toml is a few hundred bytes; more is not a settings file
CA_FILE_LIMIT = MB  # a PEM bundle of a few certificates


class ConfigError(Exception):
    """A setting or the settings file is wrong; ``str(err)`` is one line for the user."""


@dataclass
class Settings:
    """Everything the user configures, with the defaults of a fresh install."""

    kind: str = "pascom"  # "pascom", "innovaphone": the PBX directly; "relay": through a relay
    pbx_url: str = ""  # https://HOST/INSTANCE, normalised: no trailing slash, no /services
    rest_user: str = "moby"
    user: str = ""  # the pascom login name (003use_name) the app acts for
    region: str = ""  # default dialing region, e.g. "DE"; "" = from the system locale
    ca_file: str = ""  # optional PEM for on-site PBXs with their own certificate
    # innovaphone: the App object (PbxAdminApi + RCC) Companion reaches the PBX through, and
    # how: "user" (myApps login; session credentials in the keyring) or "app" (its password)
    app: str = "companion"
    login: str = "user"
    poll_interval: int = 30  # seconds
    confirm_links: bool = True
    hotkey_dial_selection: str = "Ctrl+Alt+D"
    hotkey_open_dial: str = "Ctrl+Alt+F"
    language: str = ""  # "" = the system's
    start_at_login: bool = False
    call_popups: bool = True  # a pop-up window for a ringing incoming call
    call_popups_external_only: bool = False  # ... only when the caller is not a colleague
    crm_url: str = ""  # CRM link template with {number}, {e164}, {name}; "" = none
    crm_open_on_answer: bool = False  # open the CRM link when the user answers
    live_interval: int = 2  # seconds between looks at the live calls
    directory_sync_interval: int = 4  # hours between syncs of the local directory index
    # pinned contacts, in order; kept by the dial window, not a `companion config` key
    favourites: tuple[favourite_list.Favourite, ...] = ()


@dataclass(frozen=True)
class Loaded:
    """What :func:`load` found: the settings, and a warning for the user if any."""

    settings: Settings
    warning: str | None = None


# -------------------------------------------------------------------------------- keys


def _parse_bool(key: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise ConfigError(f"{key} must be true or false (or yes/no, on/off, 1/0), not {text!r}")


def _parse_int(key: str, text: str) -> int:
    try:
        return int(text.strip(), 10)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, not {text!r}") from None


def _check_poll_interval(key: str, value: Any) -> Any:
    if not MIN_POLL_INTERVAL <= value <= MAX_POLL_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_POLL_INTERVAL} and {MAX_POLL_INTERVAL} seconds,"
            f" not {value}"
        )
    return value


def _check_live_interval(key: str, value: Any) -> Any:
    if not MIN_LIVE_INTERVAL <= value <= MAX_LIVE_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_LIVE_INTERVAL} and {MAX_LIVE_INTERVAL} seconds,"
            f" not {value}"
        )
    return value


def _check_directory_interval(key: str, value: Any) -> Any:
    if not MIN_DIRECTORY_INTERVAL <= value <= MAX_DIRECTORY_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_DIRECTORY_INTERVAL} and {MAX_DIRECTORY_INTERVAL}"
            f" hours, not {value}"
        )
    return value


def _check_crm_url(key: str, value: Any) -> Any:
    value = value.strip()
    if not value:
        return ""  # no CRM
    from companion import crm  # phonenumbers only where a CRM link is set

    try:
        return crm.check_template(value)
    except crm.CrmError as err:
        raise ConfigError(f"{key}: {err}") from None


def _check_url(key: str, value: Any) -> Any:
    return normalise_pbx_url(value) if value.strip() else ""


def _check_rest_user(key: str, value: Any) -> Any:
    value = value.strip()
    if not value:
        raise ConfigError(f"{key} must not be empty (pascom's REST user is usually 'moby')")
    if ":" in value or any(not ch.isprintable() for ch in value):
        raise ConfigError(f"{key} must not contain ':' or control characters")
    return value


KINDS = ("pascom", "innovaphone", "relay")
"""What `pbx.kind` names: the PBX itself (pascom's REST API, innovaphone's AppWebsocket), or
a Companion relay in front of it (then `pbx.url` is the relay's address and `pbx.rest_user`
this desktop's device)."""


def _check_kind(key: str, value: Any) -> Any:
    value = value.strip().lower()
    if value not in KINDS:
        raise ConfigError(f"{key} must be one of {', '.join(KINDS)}, not {value!r}")
    return value


def _check_plain(key: str, value: Any) -> Any:
    value = value.strip()
    if any(not ch.isprintable() for ch in value):
        raise ConfigError(f"{key} must not contain control characters")
    return value


_REGION_CODES = (
    "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
    "BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE "
    "DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM "
    "GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE "
    "KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH "
    "MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ "
    "OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI "
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW "
    "TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"
)
REGIONS = frozenset(_REGION_CODES.split())
"""phonenumbers.SUPPORTED_REGIONS, written out: reading the settings must not import
phonenumbers (50 ms on every `companion dial`); tests/unit/test_config.py keeps it equal."""


def _check_region(key: str, value: Any) -> Any:
    value = value.strip().upper()
    if value and value not in REGIONS:
        raise ConfigError(
            f"{key} must be a two-letter country code like DE, AT, CH or US"
            f" (or empty for the system's), not {value!r}"
        )
    return value


_MODIFIERS = {"ctrl", "alt", "shift", "meta"}


def _check_hotkey(key: str, value: Any) -> Any:
    value = value.strip()
    if not value:
        return ""  # no hotkey
    parts = value.split("+")
    if value.endswith("++"):  # "Ctrl++": the plus key
        parts = [*value[:-2].split("+"), "+"]
    *modifiers, last = (part.strip() for part in parts)
    if (
        not last
        or any(ch.isspace() and ch != " " for ch in value)
        or any(m.lower() not in _MODIFIERS for m in modifiers)
    ):
        raise ConfigError(
            f"{key} must look like Ctrl+Alt+D (modifiers Ctrl, Alt, Shift, Meta, then a key),"
            f" or be empty for none, not {value!r}"
        )
    return "+".join([*modifiers, last])


_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


def _check_language(key: str, value: Any) -> Any:
    value = value.strip()
    if value and not _LANGUAGE.fullmatch(value):
        raise ConfigError(
            f"{key} must be a language code like de, en or pt_BR (or empty for the"
            f" system's), not {value!r}"
        )
    return value


def _check_nothing(key: str, value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Key:
    """One setting: where it is in the file, which Settings field, its type, its rules."""

    section: str
    option: str
    attribute: str
    kind: type
    description: str
    check: Callable[[str, Any], Any] = _check_nothing

    @property
    def name(self) -> str:
        return f"{self.section}.{self.option}"


def _check_login(key: str, value: Any) -> Any:
    value = value.strip().lower()
    if value not in ("user", "app"):
        raise ConfigError(
            f"{key} must be 'user' (log in as yourself through myApps) or 'app' (with the "
            f"App object's password), not {value!r}"
        )
    return value


_KEY_LIST = [
    Key("pbx", "kind", "kind", str, "pascom, innovaphone, or relay (a Companion relay)",
        _check_kind),
    Key("pbx", "url", "pbx_url", str, "https://HOST/INSTANCE of the PBX", _check_url),
    Key("pbx", "rest_user", "rest_user", str, "the PBX's REST user", _check_rest_user),
    Key("pbx", "user", "user", str, "the pascom login name the app acts for", _check_plain),
    Key("pbx", "ca_file", "ca_file", str, "PEM file with the PBX's CA certificate", _check_plain),
    Key("pbx", "app", "app", str, "innovaphone: the App object Companion uses", _check_plain),
    Key("pbx", "login", "login", str, "innovaphone: 'user' (myApps) or 'app' (its password)",
        _check_login),
    Key("dialing", "region", "region", str, "dialing region, e.g. DE", _check_region),
    Key("dialing", "confirm_links", "confirm_links", bool, "ask before dialling a link"),
    Key("poll", "interval", "poll_interval", int, "seconds between refreshes",
        _check_poll_interval),
    Key("calls", "popups", "call_popups", bool, "show a pop-up when a call comes in"),
    Key("calls", "popups_external_only", "call_popups_external_only", bool,
        "pop-ups only for callers from outside"),
    Key("calls", "crm_url", "crm_url", str, "CRM link with {number}, {e164}, {name}",
        _check_crm_url),
    Key("calls", "crm_open_on_answer", "crm_open_on_answer", bool,
        "open the CRM link when I answer"),
    Key("calls", "live_interval", "live_interval", int, "seconds between looks at live calls",
        _check_live_interval),
    Key("hotkeys", "dial_selection", "hotkey_dial_selection", str, "dial the selected number",
        _check_hotkey),
    Key("hotkeys", "open_dial", "hotkey_open_dial", str, "open the dial window", _check_hotkey),
    Key("directory", "sync_interval", "directory_sync_interval", int,
        "hours between syncs of the local directory", _check_directory_interval),
    Key("ui", "language", "language", str, "language, e.g. de; empty = the system's",
        _check_language),
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
        parsed = _parse_bool(spec.name, value)
    elif spec.kind is int:
        parsed = _parse_int(spec.name, value)
    else:
        parsed = value
    parsed = spec.check(spec.name, parsed)
    if spec.attribute == "ca_file" and parsed:
        parsed = _check_ca_file(spec.name, parsed)
    return dataclasses.replace(settings, **{spec.attribute: parsed})


def _check_ca_file(key: str, value: str) -> str:
    path = Path(value).expanduser().resolve()
    try:
        with open_regular(path, CA_FILE_LIMIT) as handle:
            head = handle.read(256 * 1024)
    except OSError as err:
        raise ConfigError(f"{key}: cannot read {path}: {err.strerror or err}") from None
    if b"-----BEGIN CERTIFICATE-----" not in head:
        raise ConfigError(f"{key}: {path} is not a PEM certificate file (no BEGIN CERTIFICATE)")
    return str(path)


def normalise_pbx_url(url: str) -> str:
    """``" https://PBX.example.com/inst/services/ "`` -> ``"https://pbx.example.com/inst"``.

    Strips whitespace, trailing slashes and a trailing ``/services``, lower-cases scheme
    and host. Raises :class:`ConfigError` unless it is http(s) with a host, and for
    user names or passwords in the URL (the password belongs in the keyring), queries
    and fragments.
    """
    text = url.strip()
    if not text:
        raise ConfigError("The PBX address is empty: give it as https://HOST/INSTANCE")
    shown = repr(_redact(text))
    if "@" in text.split("://", 1)[-1].split("/", 1)[0]:
        raise ConfigError(
            "The PBX address must not contain a user name or password:"
            " give the user separately, the password goes into the keyring"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ConfigError(f"The PBX address must not contain spaces: {shown}")
    try:
        parts = urlsplit(text)
    except ValueError as err:  # e.g. an unclosed [ of an IPv6 address
        raise ConfigError(f"The PBX address {shown} is not a valid URL: {err}") from None
    try:
        port = parts.port
    except ValueError:  # Python's words ("Port could not be cast ...") are not the user's
        port = 0
    if port == 0:
        raise ConfigError(
            f"The PBX address {shown} is not a valid URL: its port must be a number"
            " from 1 to 65535 (or left out for the usual one)"
        )
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ws", "wss") or not parts.netloc:
        raise ConfigError(
            f"The PBX address must start with https:// (or http://) and name a host,"
            f" like https://pbx.example.com/instance, not {shown}"
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ConfigError(f"The PBX address must not contain '?' or '#': {shown}")
    host = parts.hostname or ""
    if not host:
        raise ConfigError(f"The PBX address names no host: {shown}")
    if ":" in host:  # IPv6
        if not re.fullmatch(r"[0-9a-f:.]+", host):
            raise ConfigError(f"The PBX address has an invalid IPv6 host: {shown}")
        host = f"[{host}]"
    else:
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise ConfigError(f"The PBX address has an invalid host name: {shown}") from None
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?", host) or ".." in host:
            raise ConfigError(f"The PBX address has an invalid host name: {shown}")
    if port is None or port == {"http": 80, "https": 443, "ws": 80, "wss": 443}[scheme]:
        netloc = host
    else:
        netloc = f"{host}:{port}"
    path = parts.path.rstrip("/")
    if path.lower().endswith("/services"):
        path = path[: -len("/services")].rstrip("/")
    return f"{scheme}://{netloc}{path}"


def _redact(url: str) -> str:
    """``url`` without anything between ``//`` and ``@``, where a password could be."""
    return re.sub(r"(?<=//)[^/?#]*@", "…@", url)


# --------------------------------------------------------------------------- the file


def config_dir() -> Path:
    """``$COMPANION_CONFIG_DIR`` if set, else platformdirs' user config dir for companion."""
    override = os.environ.get(ENV_CONFIG_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    """``$COMPANION_CACHE_DIR`` if set, else platformdirs' user cache dir for companion."""
    override = os.environ.get(ENV_CACHE_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> Loaded:
    """The settings from :func:`settings_path`.

    A missing file gives the defaults. Only a regular file of at most 1 MB is read. A file
    that can't be read (or is a FIFO, a device, too big), isn't TOML or has
    wrong values is renamed to ``settings.toml.corrupt-YYYYmmdd-HHMMSS`` (never
    deleted), the defaults stand in for what was wrong, and ``warning`` tells the user
    where the file went. Raises :class:`ConfigError` only when such a file can't even
    be moved aside (then saving would overwrite it).
    """
    path = settings_path()
    try:
        raw = read_regular(path, SETTINGS_LIMIT)  # a FIFO never blocks, /dev/zero never floods
    except FileNotFoundError:
        return Loaded(Settings())
    except OSError as err:
        return _move_aside(path, Settings(), f"it could not be read ({err.strerror or err})")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _move_aside(path, Settings(), "it is not UTF-8 text")
    except tomllib.TOMLDecodeError as err:
        return _move_aside(path, Settings(), f"it is not valid TOML ({err})")
    settings, problems = _from_toml(data)
    if problems:
        return _move_aside(path, settings, "; ".join(problems))
    return Loaded(settings)


def _from_toml(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in KEYS.values():
        section = data.get(spec.section)
        if section is None:
            continue
        if not isinstance(section, dict):
            problem = f"[{spec.section}] is not a section"
            if problem not in problems:
                problems.append(problem)
            continue
        if spec.option not in section:
            continue
        value = section[spec.option]
        if type(value) is not spec.kind:  # bool is an int subclass: compare exactly
            kind = {bool: "true or false", int: "a whole number", str: "text"}[spec.kind]
            problems.append(f"{spec.name} must be {kind}, not {_toml_value_for_message(value)}")
            continue
        try:
            values[spec.attribute] = spec.check(spec.name, value)
        except ConfigError as err:
            problems.append(str(err))
    if "favourites" in data:
        from companion import favourites as favourite_list

        try:
            values["favourites"] = favourite_list.from_toml(data["favourites"])
        except favourite_list.FavouriteError as err:
            problems.append(str(err))
    return Settings(**values), problems


def _toml_value_for_message(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _move_aside(path: Path, settings: Settings, reason: str) -> Loaded:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        os.rename(path, target)
    except OSError as err:
        raise ConfigError(
            f"The settings file {path} is unusable ({reason}) and could not be moved aside"
            f" ({err.strerror or err}): fix or remove it"
        ) from None
    kept = "the other settings were kept" if settings != Settings() else "defaults are used"
    return Loaded(
        settings,
        f"The settings file was unusable ({reason}); it was moved to {target} and {kept}.",
    )


def save(settings: Settings) -> None:
    """Write ``settings`` to :func:`settings_path` atomically, readable by the owner only.

    Every value is checked as :func:`set_value` checks it (without looking at the CA
    file), so what is saved loads again. Raises :class:`ConfigError`.
    """
    text = _to_toml(settings)
    path = settings_path()
    try:
        write_private(path, text.encode("utf-8"))
    except OSError as err:
        raise ConfigError(f"Could not save the settings to {path}: {err.strerror or err}") from None


def _to_toml(settings: Settings) -> str:
    lines = ["# Companion settings. The REST password is in the OS keyring, not here."]
    section = ""
    for spec in KEYS.values():
        value = getattr(settings, spec.attribute)
        if type(value) is not spec.kind:
            raise ConfigError(f"{spec.name} must be a {spec.kind.__name__}, not {value!r}")
        value = spec.check(spec.name, value)
        if spec.section != section:
            section = spec.section
            lines += ["", f"[{section}]"]
        lines.append(f"{spec.option} = {_toml_literal(spec.name, value)}")
    if settings.favourites:
        from companion import favourites as favourite_list

        for table in favourite_list.to_toml(settings.favourites):
            lines += ["", "[[favourites]]"]
            lines += [f"{name} = {_toml_literal('favourites', v)}" for name, v in table.items()]
    return "\n".join(lines) + "\n"


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_literal(key: str, value: str | int | bool) -> str:
    """A TOML value for a str, int or bool (basic strings, escaped per TOML 1.0)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:  # lone surrogates: not valid in UTF-8 nor TOML
            raise ConfigError(f"{key} contains a character that can't be saved: {value!r}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)

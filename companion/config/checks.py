"""The rules each setting's value follows: the checks behind `companion config KEY VALUE`.

Each check takes the key's name (for the message) and the value, and returns the value as
it is kept (stripped, lower-cased, normalised) or raises :class:`ConfigError` in words
that say what is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from companion.config.settings import ConfigError
from companion.files import MB, open_regular

MIN_DIRECTORY_INTERVAL = 1  # hours between syncs of the local directory index
MAX_DIRECTORY_INTERVAL = 168
MIN_POLL_INTERVAL = 5
MAX_POLL_INTERVAL = 86_400
MIN_LIVE_INTERVAL = 1  # seconds between looks at the live calls (pascom's cdr/live)
MAX_LIVE_INTERVAL = 30
CA_FILE_LIMIT = MB  # a PEM bundle of a few certificates


def parse_bool(key: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise ConfigError(f"{key} must be true or false (or yes/no, on/off, 1/0), not {text!r}")


def parse_int(key: str, text: str) -> int:
    try:
        return int(text.strip(), 10)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, not {text!r}") from None


def check_poll_interval(key: str, value: Any) -> Any:
    if not MIN_POLL_INTERVAL <= value <= MAX_POLL_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_POLL_INTERVAL} and {MAX_POLL_INTERVAL} seconds,"
            f" not {value}"
        )
    return value


def check_live_interval(key: str, value: Any) -> Any:
    if not MIN_LIVE_INTERVAL <= value <= MAX_LIVE_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_LIVE_INTERVAL} and {MAX_LIVE_INTERVAL} seconds,"
            f" not {value}"
        )
    return value


def check_directory_interval(key: str, value: Any) -> Any:
    if not MIN_DIRECTORY_INTERVAL <= value <= MAX_DIRECTORY_INTERVAL:
        raise ConfigError(
            f"{key} must be between {MIN_DIRECTORY_INTERVAL} and {MAX_DIRECTORY_INTERVAL}"
            f" hours, not {value}"
        )
    return value


def check_crm_url(key: str, value: Any) -> Any:
    value = value.strip()
    if not value:
        return ""  # no CRM
    from companion import crm  # phonenumbers only where a CRM link is set

    try:
        return crm.check_template(value)
    except crm.CrmError as err:
        raise ConfigError(f"{key}: {err}") from None


def check_url(key: str, value: Any) -> Any:
    return normalise_pbx_url(value) if value.strip() else ""


def check_rest_user(key: str, value: Any) -> Any:
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


def check_kind(key: str, value: Any) -> Any:
    value = value.strip().lower()
    if value not in KINDS:
        raise ConfigError(f"{key} must be one of {', '.join(KINDS)}, not {value!r}")
    return value


def check_plain(key: str, value: Any) -> Any:
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


def check_region(key: str, value: Any) -> Any:
    value = value.strip().upper()
    if value and value not in REGIONS:
        raise ConfigError(
            f"{key} must be a two-letter country code like DE, AT, CH or US"
            f" (or empty for the system's), not {value!r}"
        )
    return value


_MODIFIERS = {"ctrl", "alt", "shift", "meta"}


def check_hotkey(key: str, value: Any) -> Any:
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


def check_language(key: str, value: Any) -> Any:
    value = value.strip()
    if value and not _LANGUAGE.fullmatch(value):
        raise ConfigError(
            f"{key} must be a language code like de, en or pt_BR (or empty for the"
            f" system's), not {value!r}"
        )
    return value


def check_nothing(key: str, value: Any) -> Any:
    return value


def check_login(key: str, value: Any) -> Any:
    value = value.strip().lower()
    if value not in ("user", "app"):
        raise ConfigError(
            f"{key} must be 'user' (log in as yourself through myApps) or 'app' (with the "
            f"App object's password), not {value!r}"
        )
    return value


def check_ca_file(key: str, value: str) -> str:
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

"""The relay's address and the enrolment link, checked strictly (no HTTP stack imported).

A desktop trades a one-time code for its device token at the relay, so the address it
trades it at must be the administrator's relay and nothing else: https only, except on a
loopback address (a test, or a reverse proxy on the same host), no user name or password,
query or fragment. The link the administrator hands out is
``companion://enrol?relay=https%3A%2F%2Frelay.example.com&code=CODE``; anything else in it
(another host part, a path, unknown or repeated parameters) is refused in words.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from companion.config import ConfigError, normalise_pbx_url

__all__ = ["EnrolLink", "LinkError", "is_enrol_link", "parse_enrol_link", "relay_url"]

SCHEME = "companion"
MAX_LINK = 2048  # a link of a relay address and a code is a few hundred characters
_CODE = re.compile(r"[A-Za-z0-9_-]{4,128}")


class LinkError(ValueError):
    """The relay address or the enrolment link is unusable; ``str(err)`` says why."""


@dataclass(frozen=True)
class EnrolLink:
    relay: str  # the relay's address, normalised
    code: str  # the one-time code


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def relay_url(text: str) -> str:
    """``text`` as the relay's address (``https://relay.example.com``), normalised.

    Plain http only on a loopback address. Raises :class:`LinkError` in words.
    """
    try:
        url = normalise_pbx_url(text)
    except ConfigError as err:
        raise LinkError(str(err).replace("The PBX address", "The relay address")) from None
    parts = urlsplit(url)
    if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
        raise LinkError(
            f"The relay address must start with https:// ({url} would send the device token"
            " unencrypted); plain http is only for a relay on this computer (127.0.0.1)."
        )
    return url


def check_code(text: str) -> str:
    """The code as typed, without spaces (the relay compares it without them)."""
    code = "".join(text.split())
    if not _CODE.fullmatch(code):
        raise LinkError(
            "The enrolment code must be the letters, digits and dashes your administrator"
            " gave you (companion relay add-user prints it)."
        )
    return code


def is_enrol_link(text: str) -> bool:
    return text.strip().lower().startswith(f"{SCHEME}:")


def parse_enrol_link(text: str) -> EnrolLink:
    """``companion://enrol?relay=URL&code=CODE`` as an :class:`EnrolLink`; LinkError else."""
    link = text.strip()
    if len(link) > MAX_LINK or any(not ch.isprintable() or ch.isspace() for ch in link):
        raise LinkError("This is not an enrolment link: it is too long or contains spaces.")
    parts = urlsplit(link)
    if (
        parts.scheme.lower() != SCHEME
        or parts.netloc.lower() != "enrol"
        or parts.path not in ("", "/")
        or parts.fragment
    ):
        raise LinkError(
            "This is not an enrolment link: it must look like"
            " companion://enrol?relay=https://relay.example.com&code=CODE"
        )
    fields: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False):
        if name not in ("relay", "code") or name in fields:
            raise LinkError(
                f"The enrolment link has an unexpected part {name!r}: it takes only relay and code."
            )
        fields[name] = value
    if set(fields) != {"relay", "code"}:
        raise LinkError("The enrolment link must name both the relay and the code.")
    return EnrolLink(relay_url(fields["relay"]), check_code(fields["code"]))

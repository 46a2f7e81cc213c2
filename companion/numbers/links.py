"""Dial links: tel: (RFC 3966, with ;ext=, ;postd=, ;phone-context=), callto:, sip:, sips:."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import unquote

from companion.numbers.dial_number import EXTENSION, POSTDIAL, DialNumber, NumberError
from companion.numbers.plan import (
    MAX_DIGITS,
    MAX_INPUT_CHARS,
    MAX_STAR_CODE_CHARS,
    VISUAL_SEPARATORS,
    is_internal_extension,
    parse_number,
)
from companion.numbers.regions import known_region
from companion.numbers.text import clean, quote, strip_quotes

SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
DIAL_SCHEMES = ("tel", "callto", "sip", "sips")


def parse_uri(uri: str, region: str | None) -> DialNumber:
    """Parse a tel:, callto:, sip: or sips: link, as the desktop hands it to Companion.

    * ``tel:`` (RFC 3966): visual separators ``-.()`` are removed, percent-encoding is
      decoded, ``;ext=`` becomes ``extension`` and ``;postd=`` ``postdial`` (both sent
      as tones after the call is answered), ``;phone-context=+1-914-555`` (a global
      number prefix) is put in front of the local number, a domain context
      (``;phone-context=example.com``) makes it a local number sent as its digits;
      other parameters are ignored. A tel: link without a context that is not global is
      read like a typed number (with ``region``).
    * ``callto:`` / ``callto://``: the number after it; a user name (``callto:alice``)
      is not a number.
    * ``sip:`` / ``sips:``: the user part before ``@`` (``sip:+4989123456@pbx;user=phone``,
      ``sip:221@pbx``); a user part that is not a number (``sip:alice@pbx``) is rejected.

    Any other scheme or a malformed link raises :class:`NumberError`, and nothing else.
    """
    region = known_region(region)
    text = strip_quotes(clean(uri))
    if not text:
        raise NumberError("Nothing to dial: the link is empty.")
    if len(text) > MAX_INPUT_CHARS:
        raise NumberError(f"This link is too long to be a phone number: {quote(uri)}")
    match = SCHEME.match(text)
    if match is None:
        raise NumberError(f"This is not a phone link (tel:, callto:, sip:): {quote(uri)}")
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    if scheme == "tel":
        return _parse_tel(rest, region, uri)
    if scheme == "callto":
        return _parse_callto(rest, region, uri)
    if scheme in ("sip", "sips"):
        return _parse_sip(rest, region, uri)
    raise NumberError(
        f"Companion dials tel:, callto:, sip: and sips: links, not {scheme}: links: {quote(uri)}"
    )


def _split_params(text: str) -> tuple[str, dict[str, str]]:
    """``number;a=b;c`` -> (decoded number, {lower-case name: decoded value})."""
    if ";" not in text and ";" in unquote(text):
        text = unquote(text)  # a link encoded whole ("%3Bext%3D5"): read it like a plain one
    number, *raw_params = text.split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, _, value = raw.partition("=")
        name = unquote(name).strip().lower()
        if name and name not in params:
            params[name] = clean(unquote(value))
    return clean(unquote(number)), params


def _parse_tel(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):  # "tel://+49...", not RFC 3966 but seen in the wild
        rest = rest[2:]
    rest = rest.split("?", 1)[0]
    number, params = _split_params(rest)
    if not number:
        raise NumberError(f"This tel: link has no number: {quote(original)}")

    extension: str | None = None
    if "ext" in params:
        ext = VISUAL_SEPARATORS.sub("", params["ext"])
        if not EXTENSION.fullmatch(ext):
            raise NumberError(f"The extension in this link is not a number: {quote(original)}")
        extension = ext

    postdial = _postdial(params["postd"], original) if "postd" in params else None
    dial = _parse_tel_number(number, params.get("phone-context", ""), region, original)
    return dataclasses.replace(dial, extension=extension, postdial=postdial)


def _postdial(value: str, original: str) -> str | None:
    """A postd parameter's tones: visual separators go; A-D (rare, and not every phone
    sends them) and anything else is refused in words rather than dropped."""
    tones = VISUAL_SEPARATORS.sub("", value).lower()
    if not tones:
        return None
    if not POSTDIAL.fullmatch(tones):
        raise NumberError(
            "The post-dial digits in this link are not 0-9, *, # or pauses (p, w): "
            + quote(original)
        )
    return tones


def _parse_tel_number(number: str, context: str, region: str | None, original: str) -> DialNumber:
    """The number of a tel: URI with its phone-context (RFC 3966 section 5.1.5)."""
    if number.startswith("+") or not context:
        destination, is_internal = parse_number(number, region, original)
        return DialNumber(destination, None, is_internal)
    if context.startswith("+"):
        prefix = VISUAL_SEPARATORS.sub("", context)
        if not re.fullmatch(r"\+[0-9]{1,15}", prefix):
            raise NumberError(f"The phone-context of this link is malformed: {quote(original)}")
        local = VISUAL_SEPARATORS.sub("", number)
        if not re.fullmatch(r"[0-9]+", local):
            raise NumberError(f"This tel: link is not a phone number: {quote(original)}")
        destination, is_internal = parse_number(prefix + local, region, original)
        return DialNumber(destination, None, is_internal)
    # A domain context ("example.com"): a number local to that domain, dialled as is.
    local = VISUAL_SEPARATORS.sub("", number)
    if not re.fullmatch(r"[0-9*#]+", local) or not any(ch.isdigit() for ch in local):
        if any(ch.isalpha() for ch in local):
            raise NumberError(f"This tel: link is not a phone number: {quote(original)}")
        raise NumberError(f"This tel: link has no number: {quote(original)}")
    if sum(ch.isdigit() for ch in local) > MAX_DIGITS or len(local) > MAX_STAR_CODE_CHARS:
        raise NumberError(f"Too many digits for a phone number: {quote(original)}")
    internal = is_internal_extension(local) or "*" in local or "#" in local
    return DialNumber(local, None, internal)


def _parse_callto(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):
        rest = rest[2:]
    rest = rest.split("?", 1)[0].split(";", 1)[0].rstrip("/")
    number = clean(unquote(rest))
    if not number:
        raise NumberError(f"This callto: link has no number: {quote(original)}")
    if any(ch.isalpha() for ch in number) or "@" in number:
        raise NumberError(f"This callto: link names a user, not a phone number: {quote(original)}")
    destination, is_internal = parse_number(number, region, original)
    return DialNumber(destination, None, is_internal)


def _parse_sip(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):
        rest = rest[2:]
    rest = rest.split("?", 1)[0]
    userinfo, at, host = rest.rpartition("@")
    if not at:
        # "sip:221" without a host: accept only a plain number, never a host name.
        user = clean(unquote(rest.split(";", 1)[0]))
        if re.fullmatch(r"\+?[0-9*#]+", user):
            destination, is_internal = parse_number(user, region, original)
            return DialNumber(destination, None, is_internal)
        raise NumberError(f"This SIP address names no phone number: {quote(original)}")
    if not host.split(";", 1)[0].strip():
        raise NumberError(f"This SIP address has no host: {quote(original)}")
    user = userinfo.split(":", 1)[0]  # drop a password ("user:password@host")
    plain = clean(unquote(user.split(";", 1)[0]))
    if not plain:
        raise NumberError(f"This SIP address names no phone number: {quote(original)}")
    if any(ch.isalpha() for ch in plain) or not any(ch.isdigit() for ch in plain):
        raise NumberError(f"This SIP address is not a phone number: {quote(original)}")
    # A phone-number user part is a telephone-subscriber: the tel: rules apply.
    return _parse_tel(user, region, original)

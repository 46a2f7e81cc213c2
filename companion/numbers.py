"""Phone numbers: tel:/callto:/sip: links, typed and selected numbers, normalisation.

Everything that turns user text into something to dial goes through this module, and
the result is always a :class:`DialNumber` whose ``destination`` contains only the
characters ``0-9 + * #``. Every failure is a :class:`NumberError` whose text is one line
a user can act on; no input makes these functions raise anything else.

What is dialled, in short:

* **Internal extensions** -- up to six digits, not starting with ``0`` (``221``,
  ``116117``) -- and **star/hash codes** (``*101``, ``#31#``) are sent as typed (visual
  separators removed), with ``is_internal=True``. They are never checked against a
  numbering plan: the PBX knows its own extensions.
* **International numbers** (``+49 89 123456``, ``+49 (0)89 1234-56``) are sent in
  E.164 (``+4989123456``). The ``(0)`` trunk-prefix notation is understood.
* **National numbers** (``089 123456``, ``(089) 123 456``, ``0049 89 123456``) are
  sent in E.164 when a region is known (``region="DE"``). **Without a region no country
  is guessed**: the digits are sent as typed (``089123456``) and the PBX, which dials
  from its own country, interprets them.
* **Local numbers** -- in a country whose numbers are dialled nationally with a trunk
  prefix (``0`` in DE, ``8`` in RU, ...), seven or more digits typed without it
  (``1234567``) are a number in the caller's own area: they are sent as typed, not
  turned into a wrong ``+49 1234567``. North American ten-digit numbers are national.
* **Rejected**: empty input, text without digits, letters in a number (vanity numbers
  like ``0800-FLOWERS`` are *not* converted: a letter in selected text is far more often
  a sign that the selection is not a number than a vanity number, and dialling a guess
  is worse than asking for the digits), more than one ``+`` or a ``+`` not at the start,
  more than 17 digits (15 for E.164 plus a two-digit international prefix), numbers
  the numbering plan says are too short or too long, unknown country codes.

Free text may carry a short label before the number (``Tel.:``, ``phone: ``,
``Mobil``, ``Telefon (Büro):``), quotes or punctuation around it, non-breaking and other
unicode spaces, unicode dashes, fullwidth or other-script digits and invisible
formatting characters (as mail clients put around numbers). An extension written after
the number (``+1 415 555 0100 ext. 12``, ``x12``) is returned in ``extension`` like a
tel: URI's ``;ext=``; it is never dialled, only shown.

The functions take the dialing ``region`` (ISO 3166 code as phonenumbers knows it, e.g.
``"DE"``); an unknown region is treated like ``None``. :func:`default_region` finds it
from the settings or the environment; a GUI that knows a better system region (QLocale)
passes it in as ``configured``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers
from phonenumbers import (
    CountryCodeSource,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    ValidationResult,
)

__all__ = [
    "DialNumber",
    "NumberError",
    "comparable",
    "default_region",
    "find_number",
    "format_for_display",
    "parse_dial_input",
    "parse_uri",
]

MAX_DIGITS = 17
"""More digits than this are not a phone number (E.164's 15 plus an ``00`` prefix)."""
MAX_INTERNAL_DIGITS = 6
"""Digit strings up to this long that don't start with 0 are internal extensions."""
MIN_EXTERNAL_DIGITS = 3
"""Fewer digits than this are not dialled as an external number without a region."""
MAX_INPUT_CHARS = 512
"""Longer text is not parsed as one number (find_number scans more, see below)."""
MAX_SCAN_CHARS = 10_000
"""find_number looks for a number in this many characters of the selected text."""
MAX_STAR_CODE_CHARS = 32

_DESTINATION = re.compile(r"[0-9+*#]+")
_ASCII_DIGIT = re.compile(r"[0-9]")
_EXTENSION = re.compile(r"[0-9]{1,15}")
# RFC 3966 postd: DTMF digits and pauses ("p", "w"); A-D are not sent (see _postdial).
_POSTDIAL = re.compile(r"[0-9*#pw]{1,64}")
# Quotation marks of many languages: " ' \u201c \u201d \u201e \u201a \u2018 \u2019 « » \u2039 \u203a
_QUOTE_MARKS = "\"'\u201c\u201d\u201e\u201a\u2018\u2019\u00ab\u00bb\u2039\u203a"
_QUOTES_LEAD = _QUOTE_MARKS + "<[{"
_QUOTES_TRAIL = _QUOTE_MARKS + ">]},;.!?"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_DIAL_SCHEMES = ("tel", "callto", "sip", "sips")
# A label before the number: "Tel.:", "Phone number:", "Telefon (Büro): " ...
_LABEL_COLON = re.compile(r"[^0-9+*#:]{1,40}:\s*")
# ... or up to two words right before the number: "Tel. 089", "Mobile phone +49 ...".
_LABEL_WORDS = re.compile(r"(?:[^\W\d_]+\.?\s*){1,2}(?=[0-9+*#(])")
_EXTENSION_SUFFIX = re.compile(
    r"(?:\s*;\s*ext\s*=\s*|\s*,?\s*(?:ext|extn|extension)\.?\s*:?\s*|\s*x\.?\s*)([0-9]{1,15})$",
    re.IGNORECASE,
)
_NUMBER_CHARS = re.compile(r"[0-9+*#()\-./ ]+")
_TRUNK_ZERO_INSIDE = re.compile(r"(?<=[0-9])\s*\(\s*0\s*\)")
_TRUNK_ZERO_START = re.compile(r"^\(\s*0\s*\)")
_VISUAL_SEPARATORS = re.compile(r"[()\-./ ]")
_LOCALE = re.compile(r"([A-Za-z]{2,3})[_-]([A-Za-z]{2})(?:[.@].*)?")


class NumberError(ValueError):
    """The text is not something Companion can dial.

    ``str(err)`` is a one-line message a user can act on, e.g.
    ``This is not a phone number: "hello"``.
    """


@dataclass(frozen=True)
class DialNumber:
    """A number ready to send to the PBX.

    ``destination`` is what is dialled: only ``[0-9+*#]``, never empty -- E.164 for
    external numbers whose country is known, else the digits as typed. ``extension`` is
    a tel: URI's ``;ext=`` (or ``ext. 12`` after a typed number), digits only.
    ``postdial`` is a tel: URI's ``;postd=`` (RFC 3966): digits, ``*``, ``#`` and the
    pauses ``p`` and ``w``. Neither is part of ``destination``: both are :attr:`tones`,
    sent as DTMF once the call is answered (or shown as not dialled where that cannot
    be done). ``is_internal`` is True for a short internal extension or a star/hash
    code, which is kept exactly as typed.
    """

    destination: str
    extension: str | None = None
    is_internal: bool = False
    postdial: str | None = None

    def __post_init__(self) -> None:
        if not _DESTINATION.fullmatch(self.destination):
            raise NumberError(f"Not a dialable destination: {_quote(self.destination)}")
        if self.extension is not None and not _EXTENSION.fullmatch(self.extension):
            raise NumberError(f"Not a phone extension: {_quote(self.extension)}")
        if self.postdial is not None and not _POSTDIAL.fullmatch(self.postdial):
            raise NumberError(f"Not post-dial digits: {_quote(self.postdial)}")

    @property
    def tones(self) -> str:
        """What to send after the call is answered: the extension, then the post-dial
        digits; ``p`` and ``w`` are pauses. Empty when there is nothing to send."""
        return (self.extension or "") + (self.postdial or "")


# --------------------------------------------------------------------------- public API


def parse_dial_input(text: str, region: str | None) -> DialNumber:
    """Parse what a user typed, pasted or selected: a number or a dial link.

    ``text`` may be a tel:/callto:/sip:/sips: URI (see :func:`parse_uri`) or a number
    written the way people write them, with a short label before it and punctuation
    around it (see the module docstring for what is accepted and what is rejected).
    A national number with ``region=None`` is sent as its digits as typed: no country
    is guessed. Raises :class:`NumberError` and nothing else.
    """
    region = _region(region)
    cleaned = _strip_quotes(_clean(text))
    if not cleaned:
        raise NumberError("Nothing to dial: the number is empty.")
    if len(cleaned) > MAX_INPUT_CHARS:
        raise NumberError(f"This is too long to be a phone number: {_quote(text)}")
    scheme = _SCHEME.match(cleaned)
    if (
        scheme
        and scheme.group(1).lower() in _DIAL_SCHEMES
        and not cleaned[scheme.end() : scheme.end() + 1].isspace()
    ):
        # "tel:+49..." is a link; "Tel: 089 ..." (a space after the colon) is a label.
        return parse_uri(cleaned, region)
    return _parse_free(cleaned, region, text)


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
    region = _region(region)
    text = _strip_quotes(_clean(uri))
    if not text:
        raise NumberError("Nothing to dial: the link is empty.")
    if len(text) > MAX_INPUT_CHARS:
        raise NumberError(f"This link is too long to be a phone number: {_quote(uri)}")
    match = _SCHEME.match(text)
    if match is None:
        raise NumberError(f"This is not a phone link (tel:, callto:, sip:): {_quote(uri)}")
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    if scheme == "tel":
        return _parse_tel(rest, region, uri)
    if scheme == "callto":
        return _parse_callto(rest, region, uri)
    if scheme in ("sip", "sips"):
        return _parse_sip(rest, region, uri)
    raise NumberError(
        f"Companion dials tel:, callto:, sip: and sips: links, not {scheme}: links: {_quote(uri)}"
    )


def find_number(text: str, region: str | None) -> DialNumber:
    """Find the first phone number in a longer selected text.

    Uses phonenumbers' ``PhoneNumberMatcher`` (valid numbers only: international ones,
    and national ones when ``region`` is known) on the first ``MAX_SCAN_CHARS``
    characters; a number the matcher finds is dialled in E.164, with its extension if
    it has one. When it finds none, the whole stripped text is parsed with
    :func:`parse_dial_input` (which also takes internal extensions, star codes, links
    and national numbers without a region). Raises :class:`NumberError` if neither
    finds a number.
    """
    region = _region(region)
    sample = _clean(text[:MAX_SCAN_CHARS])
    # A third-party scanner on arbitrary text: if it trips, the fallback below decides.
    with contextlib.suppress(Exception):
        for match in phonenumbers.PhoneNumberMatcher(sample, region):
            found = _from_phonenumber(match.number)
            if found is not None:
                return found
    try:
        return parse_dial_input(text.strip(), region)
    except NumberError:
        if len(text.split()) > 2:  # a sentence, not a mistyped number
            raise NumberError(f"No phone number found in {_quote(text)}") from None
        raise


def default_region(configured: str | None) -> str | None:
    """The dialing region to use: the configured one, else the environment's locale.

    ``configured`` (e.g. ``"de"``) is upper-cased and used if phonenumbers knows it.
    Otherwise the first non-empty of ``LC_ALL``, ``LC_TELEPHONE``, ``LC_MESSAGES`` and
    ``LANG`` is read (POSIX precedence: ``de_DE.UTF-8`` -> ``"DE"``); a locale without a
    country (``C``, ``POSIX``, ``C.UTF-8``) gives ``None``, as does no locale at all. No Qt
    here: a GUI passes QLocale's territory as ``configured`` if it wants to use it.
    """
    if configured:
        candidate = configured.strip().upper()
        if candidate in phonenumbers.SUPPORTED_REGIONS:
            return candidate
    for variable in ("LC_ALL", "LC_TELEPHONE", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip()
        if value:
            return _region_from_locale(value)
    return None


def format_for_display(destination: str, region: str | None) -> str:
    """Format a destination for people: ``+4989123456`` -> ``+49 89 123456``.

    Internal extensions, star codes and anything that cannot be parsed come back
    unchanged; national numbers are shown internationally when ``region`` is known.
    Never raises.
    """
    try:
        dial = parse_dial_input(destination, region)
        if dial.is_internal or not dial.destination.startswith("+"):
            return destination
        number = phonenumbers.parse(dial.destination, None)
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    except (NumberError, NumberParseException):
        return destination


def is_mobile(number: str, region: str | None) -> bool:
    """Whether `number` is a mobile number (German 015x/016x/017x, +44 7..., ...), by the
    number plan phonenumbers knows; False for extensions and what cannot be parsed."""
    try:
        dial = parse_dial_input(number, region)
        if dial.is_internal or not dial.destination.startswith("+"):
            return False
        kind = phonenumbers.number_type(phonenumbers.parse(dial.destination, None))
    except (NumberError, NumberParseException):
        return False
    return kind == phonenumbers.PhoneNumberType.MOBILE


def comparable(number: str, region: str | None) -> str:
    """A key under which the same number written differently compares equal.

    With ``region="DE"``, ``"0049 89 123456"``, ``"+49 (0)89 123456"`` and
    ``"089 123456"`` all give ``"+4989123456"``. Internal extensions and star codes give
    themselves. Without a region, national numbers can only match themselves (their
    digits), but ``00`` + country code is read as ``+`` + country code so that
    ``0049 89 123456`` matches ``+49 89 123456``. The extension is not part of the key.
    Raises :class:`NumberError` when ``number`` is not a phone number.
    """
    region = _region(region)
    destination = parse_dial_input(number, region).destination
    if region is None and destination.startswith("00") and len(destination) > 2:
        destination = "+" + destination[2:]
    return destination


# ----------------------------------------------------------------------------- helpers


def _region(region: str | None) -> str | None:
    if not region:
        return None
    candidate = region.strip().upper()
    return candidate if candidate in phonenumbers.SUPPORTED_REGIONS else None


def _region_from_locale(value: str) -> str | None:
    match = _LOCALE.fullmatch(value)
    if match is None:
        return None
    candidate = match.group(2).upper()
    return candidate if candidate in phonenumbers.SUPPORTED_REGIONS else None


def _quote(text: str, limit: int = 60) -> str:
    """``text`` in double quotes, on one line, shortened: safe to put in a message."""
    flat = "".join(
        " " if ch.isspace() or unicodedata.category(ch).startswith("C") else ch for ch in text
    )
    flat = " ".join(flat.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


def _clean(text: str) -> str:
    """Unicode to plain ASCII number characters where it matters.

    NFKC (fullwidth digits and plus signs, non-breaking spaces), any decimal digit to ASCII, any
    dash to ``-``, any space to `` ``, invisible formatting characters removed.
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(" " if ch.isspace() else ch)
            continue
        category = unicodedata.category(ch)
        if category == "Nd":
            digit = unicodedata.decimal(ch, None)
            out.append(str(digit) if digit is not None else ch)
        elif category == "Pd" or ch == "\u2212":  # dashes and the minus sign
            out.append("-")
        elif ch.isspace():
            out.append(" ")
        elif category == "Cf":  # zero-width spaces, bidi marks, BOM
            continue
        else:
            out.append(ch)
    return "".join(out).strip()


def _strip_quotes(text: str) -> str:
    text = text.strip()
    while text and text[0] in _QUOTES_LEAD:
        text = text[1:].lstrip()
    while text and text[-1] in _QUOTES_TRAIL:
        text = text[:-1].rstrip()
    # A closing bracket without an opening one: "(call 221)" selected from "221)".
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


def _parse_free(text: str, region: str | None, original: str) -> DialNumber:
    """A number as people write it, already cleaned and with quotes stripped."""
    label = _LABEL_COLON.match(text)
    if label:
        text = text[label.end() :]
    label = _LABEL_WORDS.match(text)
    if label:
        text = text[label.end() :]
    text = _strip_quotes(text)
    extension: str | None = None
    suffix = _EXTENSION_SUFFIX.search(text)
    if suffix and suffix.start() > 0:
        extension = suffix.group(1)
        text = text[: suffix.start()].rstrip()
    destination, is_internal = _parse_number(text, region, original)
    return DialNumber(destination, extension, is_internal)


def _parse_number(text: str, region: str | None, original: str) -> tuple[str, bool]:
    """The number itself, without label or extension: (destination, is_internal)."""
    text = text.strip()
    if not _ASCII_DIGIT.search(text):
        raise NumberError(f"This is not a phone number: {_quote(original)}")
    if not _NUMBER_CHARS.fullmatch(text):
        if any(ch.isalpha() for ch in text):
            raise NumberError(
                f"Phone numbers with letters can't be dialled, type the digits: {_quote(original)}"
            )
        raise NumberError(f"This has characters that are not in a phone number: {_quote(original)}")
    text = _TRUNK_ZERO_START.sub("0", _TRUNK_ZERO_INSIDE.sub("", text))
    compact = _VISUAL_SEPARATORS.sub("", text)
    if compact.count("+") > 1 or ("+" in compact and not compact.startswith("+")):
        raise NumberError(f'A phone number has at most one "+", at its start: {_quote(original)}')
    digits = compact.lstrip("+")
    digit_count = sum(ch.isdigit() for ch in digits)
    if digit_count > MAX_DIGITS:
        raise NumberError(f"Too many digits for a phone number ({digit_count}): {_quote(original)}")
    if "*" in digits or "#" in digits:
        if compact.startswith("+"):
            raise NumberError(f'A star code can\'t start with "+": {_quote(original)}')
        if len(compact) > MAX_STAR_CODE_CHARS:
            raise NumberError(f"This star code is too long: {_quote(original)}")
        return compact, True
    if not compact.startswith("+"):
        if _is_internal(digits):
            return digits, True
        return _national(digits, region, original), False
    return _international(digits, original), False


def _is_internal(digits: str) -> bool:
    return (
        0 < len(digits) <= MAX_INTERNAL_DIGITS and digits.isdigit() and not digits.startswith("0")
    )


def _international(digits: str, original: str) -> str:
    number = _pn_parse("+" + digits, None, original)
    return _checked_e164(number, original)


def _national(digits: str, region: str | None, original: str) -> str:
    """Digits typed without "+": E.164 if the region says what they mean, else as typed."""
    if len(digits) < MIN_EXTERNAL_DIGITS:
        raise NumberError(f"Too few digits for a phone number: {_quote(original)}")
    if region is None:
        return digits
    number = _pn_parse(digits, region, original)
    if number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY:
        metadata = PhoneMetadata.metadata_for_region(region)
        prefix = metadata.national_prefix if metadata is not None else None
        # Where national numbers are dialled with a trunk prefix (0 in DE), digits
        # without it are a local number: dial them as typed, don't invent an area code.
        # North America (country code 1) dials ten digits without its "1".
        if prefix and number.country_code != 1 and not digits.startswith(prefix):
            return digits
        # "0221" is an area code alone: phonenumbers keeps the 0 when nothing would be
        # left after it, which would dial "+490221".
        if (
            prefix
            and digits.startswith(prefix)
            and phonenumbers.national_significant_number(number) == digits
        ):
            raise NumberError(f"Too few digits for a phone number: {_quote(original)}")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return digits
    return _checked_e164(number, original)


def _pn_parse(text: str, region: str | None, original: str) -> PhoneNumber:
    try:
        return phonenumbers.parse(text, region, keep_raw_input=True)
    except NumberParseException as err:
        if err.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            message = f"Unknown country code in {_quote(original)}"
        elif err.error_type in (
            NumberParseException.TOO_SHORT_AFTER_IDD,
            NumberParseException.TOO_SHORT_NSN,
        ):
            message = f"Too few digits for a phone number: {_quote(original)}"
        elif err.error_type == NumberParseException.TOO_LONG:
            message = f"Too many digits for a phone number: {_quote(original)}"
        else:
            message = f"This is not a phone number: {_quote(original)}"
        raise NumberError(message) from None


def _checked_e164(number: PhoneNumber, original: str) -> str:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        raise NumberError(f"Too few digits for a phone number: {_quote(original)}")
    if reason == ValidationResult.TOO_LONG:
        raise NumberError(f"Too many digits for a phone number: {_quote(original)}")
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        raise NumberError(f"Unknown country code in {_quote(original)}")
    national = phonenumbers.national_significant_number(number)
    home = phonenumbers.region_code_for_country_code(number.country_code or 0)
    metadata = PhoneMetadata.metadata_for_region(home)
    if (
        national.startswith("0")
        and metadata is not None
        and metadata.national_prefix == "0"
        and not phonenumbers.is_valid_number(number)
    ):
        # A trunk 0 left over (+49 0 0..., 000001): no such number in a plan that uses 0
        # as its trunk prefix; phonenumbers would strip one 0 per parse and drift.
        raise NumberError(f"This is not a phone number: {_quote(original)}")
    # IS_POSSIBLE, and INVALID_LENGTH (a length between the plan's lengths): the plan
    # data may lag behind reality, so the PBX gets to try rather than being refused here.
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not re.fullmatch(r"\+[0-9]{2,17}", e164):
        raise NumberError(f"This is not a phone number: {_quote(original)}")
    return e164


def _from_phonenumber(number: PhoneNumber) -> DialNumber | None:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not re.fullmatch(r"\+[0-9]{2,17}", e164):
        return None
    extension = number.extension
    if extension is not None and not _EXTENSION.fullmatch(extension):
        extension = None
    return DialNumber(e164, extension or None, False)


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
            params[name] = _clean(unquote(value))
    return _clean(unquote(number)), params


def _parse_tel(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):  # "tel://+49...", not RFC 3966 but seen in the wild
        rest = rest[2:]
    rest = rest.split("?", 1)[0]
    number, params = _split_params(rest)
    if not number:
        raise NumberError(f"This tel: link has no number: {_quote(original)}")

    extension: str | None = None
    if "ext" in params:
        ext = _VISUAL_SEPARATORS.sub("", params["ext"])
        if not _EXTENSION.fullmatch(ext):
            raise NumberError(f"The extension in this link is not a number: {_quote(original)}")
        extension = ext

    postdial = _postdial(params["postd"], original) if "postd" in params else None
    dial = _parse_tel_number(number, params.get("phone-context", ""), region, original)
    return dataclasses.replace(dial, extension=extension, postdial=postdial)


def _postdial(value: str, original: str) -> str | None:
    """A postd parameter's tones: visual separators go; A-D (rare, and not every phone
    sends them) and anything else is refused in words rather than dropped."""
    tones = _VISUAL_SEPARATORS.sub("", value).lower()
    if not tones:
        return None
    if not _POSTDIAL.fullmatch(tones):
        raise NumberError(
            "The post-dial digits in this link are not 0-9, *, # or pauses (p, w): "
            + _quote(original)
        )
    return tones


def _parse_tel_number(number: str, context: str, region: str | None, original: str) -> DialNumber:
    """The number of a tel: URI with its phone-context (RFC 3966 section 5.1.5)."""
    if number.startswith("+") or not context:
        destination, is_internal = _parse_number(number, region, original)
        return DialNumber(destination, None, is_internal)
    if context.startswith("+"):
        prefix = _VISUAL_SEPARATORS.sub("", context)
        if not re.fullmatch(r"\+[0-9]{1,15}", prefix):
            raise NumberError(f"The phone-context of this link is malformed: {_quote(original)}")
        local = _VISUAL_SEPARATORS.sub("", number)
        if not re.fullmatch(r"[0-9]+", local):
            raise NumberError(f"This tel: link is not a phone number: {_quote(original)}")
        destination, is_internal = _parse_number(prefix + local, region, original)
        return DialNumber(destination, None, is_internal)
    # A domain context ("example.com"): a number local to that domain, dialled as is.
    local = _VISUAL_SEPARATORS.sub("", number)
    if not re.fullmatch(r"[0-9*#]+", local) or not any(ch.isdigit() for ch in local):
        if any(ch.isalpha() for ch in local):
            raise NumberError(f"This tel: link is not a phone number: {_quote(original)}")
        raise NumberError(f"This tel: link has no number: {_quote(original)}")
    if sum(ch.isdigit() for ch in local) > MAX_DIGITS or len(local) > MAX_STAR_CODE_CHARS:
        raise NumberError(f"Too many digits for a phone number: {_quote(original)}")
    internal = _is_internal(local) or "*" in local or "#" in local
    return DialNumber(local, None, internal)


def _parse_callto(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):
        rest = rest[2:]
    rest = rest.split("?", 1)[0].split(";", 1)[0].rstrip("/")
    number = _clean(unquote(rest))
    if not number:
        raise NumberError(f"This callto: link has no number: {_quote(original)}")
    if any(ch.isalpha() for ch in number) or "@" in number:
        raise NumberError(f"This callto: link names a user, not a phone number: {_quote(original)}")
    destination, is_internal = _parse_number(number, region, original)
    return DialNumber(destination, None, is_internal)


def _parse_sip(rest: str, region: str | None, original: str) -> DialNumber:
    rest = rest.strip()
    if rest.startswith("//"):
        rest = rest[2:]
    rest = rest.split("?", 1)[0]
    userinfo, at, host = rest.rpartition("@")
    if not at:
        # "sip:221" without a host: accept only a plain number, never a host name.
        user = _clean(unquote(rest.split(";", 1)[0]))
        if re.fullmatch(r"\+?[0-9*#]+", user):
            destination, is_internal = _parse_number(user, region, original)
            return DialNumber(destination, None, is_internal)
        raise NumberError(f"This SIP address names no phone number: {_quote(original)}")
    if not host.split(";", 1)[0].strip():
        raise NumberError(f"This SIP address has no host: {_quote(original)}")
    user = userinfo.split(":", 1)[0]  # drop a password ("user:password@host")
    plain = _clean(unquote(user.split(";", 1)[0]))
    if not plain:
        raise NumberError(f"This SIP address names no phone number: {_quote(original)}")
    if any(ch.isalpha() for ch in plain) or not any(ch.isdigit() for ch in plain):
        raise NumberError(f"This SIP address is not a phone number: {_quote(original)}")
    # A phone-number user part is a telephone-subscriber: the tel: rules apply.
    return _parse_tel(user, region, original)


def propose_region(pbx_numbers: Iterable[str], system: str | None) -> str | None:
    """The dialing region to propose: the country most of the PBX's international
    numbers (``+49...``, ``0049...``) are in, the system's region where it shares that
    country code (so +1 in Canada stays CA), else the system's region."""
    counts: dict[int, int] = {}
    for raw in pbx_numbers:
        digits = re.sub(r"[^\d+]", "", raw)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        if not digits.startswith("+"):
            continue
        try:
            parsed = phonenumbers.parse(digits, None)
        except phonenumbers.NumberParseException:
            continue
        if parsed.country_code:
            counts[parsed.country_code] = counts.get(parsed.country_code, 0) + 1
    if not counts:
        return system
    code = max(counts, key=lambda c: counts[c])
    if system and phonenumbers.country_code_for_region(system) == code:
        return system
    region = phonenumbers.region_code_for_country_code(code)
    return None if region == "ZZ" else region

"""What the user typed, pasted or selected: a number with a label around it, or a link."""

from __future__ import annotations

import contextlib
import re

import phonenumbers

from companion.numbers.dial_number import DialNumber, NumberError
from companion.numbers.links import DIAL_SCHEMES, SCHEME, parse_uri
from companion.numbers.plan import MAX_INPUT_CHARS, from_phonenumber, parse_number
from companion.numbers.regions import known_region
from companion.numbers.text import clean, quote, strip_quotes

MAX_SCAN_CHARS = 10_000
"""find_number looks for a number in this many characters of the selected text."""

# A label before the number: "Tel.:", "Phone number:", "Telefon (Büro): " ...
_LABEL_COLON = re.compile(r"[^0-9+*#:]{1,40}:\s*")
# ... or up to two words right before the number: "Tel. 089", "Mobile phone +49 ...".
_LABEL_WORDS = re.compile(r"(?:[^\W\d_]+\.?\s*){1,2}(?=[0-9+*#(])")
_EXTENSION_SUFFIX = re.compile(
    r"(?:\s*;\s*ext\s*=\s*|\s*,?\s*(?:ext|extn|extension)\.?\s*:?\s*|\s*x\.?\s*)([0-9]{1,15})$",
    re.IGNORECASE,
)


def parse_dial_input(text: str, region: str | None) -> DialNumber:
    """Parse what a user typed, pasted or selected: a number or a dial link.

    ``text`` may be a tel:/callto:/sip:/sips: URI (see :func:`parse_uri`) or a number
    written the way people write them, with a short label before it and punctuation
    around it (see :mod:`companion.numbers` for what is accepted and what is rejected).
    A national number with ``region=None`` is sent as its digits as typed: no country
    is guessed. Raises :class:`NumberError` and nothing else.
    """
    region = known_region(region)
    cleaned = strip_quotes(clean(text))
    if not cleaned:
        raise NumberError("Nothing to dial: the number is empty.")
    if len(cleaned) > MAX_INPUT_CHARS:
        raise NumberError(f"This is too long to be a phone number: {quote(text)}")
    scheme = SCHEME.match(cleaned)
    if (
        scheme
        and scheme.group(1).lower() in DIAL_SCHEMES
        and not cleaned[scheme.end() : scheme.end() + 1].isspace()
    ):
        # "tel:+49..." is a link; "Tel: 089 ..." (a space after the colon) is a label.
        return parse_uri(cleaned, region)
    return _parse_free(cleaned, region, text)


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
    region = known_region(region)
    sample = clean(text[:MAX_SCAN_CHARS])
    # A third-party scanner on arbitrary text: if it trips, the fallback below decides.
    with contextlib.suppress(Exception):
        for match in phonenumbers.PhoneNumberMatcher(sample, region):
            found = from_phonenumber(match.number)
            if found is not None:
                return found
    try:
        return parse_dial_input(text.strip(), region)
    except NumberError:
        if len(text.split()) > 2:  # a sentence, not a mistyped number
            raise NumberError(f"No phone number found in {quote(text)}") from None
        raise


def _parse_free(text: str, region: str | None, original: str) -> DialNumber:
    """A number as people write it, already cleaned and with quotes stripped."""
    label = _LABEL_COLON.match(text)
    if label:
        text = text[label.end() :]
    label = _LABEL_WORDS.match(text)
    if label:
        text = text[label.end() :]
    text = strip_quotes(text)
    extension: str | None = None
    suffix = _EXTENSION_SUFFIX.search(text)
    if suffix and suffix.start() > 0:
        extension = suffix.group(1)
        text = text[: suffix.start()].rstrip()
    destination, is_internal = parse_number(text, region, original)
    return DialNumber(destination, extension, is_internal)

"""Numbers for people and for comparing: display form, mobile or not, comparison key."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from companion.numbers.dial_input import parse_dial_input
from companion.numbers.dial_number import NumberError
from companion.numbers.regions import known_region


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
    region = known_region(region)
    destination = parse_dial_input(number, region).destination
    if region is None and destination.startswith("00") and len(destination) > 2:
        destination = "+" + destination[2:]
    return destination

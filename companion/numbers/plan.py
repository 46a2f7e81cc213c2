"""A number without label or link around it, read by the numbering plan: what to dial.

Internal extensions and star codes as typed; ``+`` numbers in E.164; national ones in
E.164 where the region says what they mean, else as typed (see :mod:`companion.numbers`).
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import (
    CountryCodeSource,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    ValidationResult,
)

from companion.numbers.dial_number import EXTENSION, DialNumber, NumberError
from companion.numbers.text import quote

MAX_DIGITS = 17
"""More digits than this are not a phone number (E.164's 15 plus an ``00`` prefix)."""
MAX_INTERNAL_DIGITS = 6
"""Digit strings up to this long that don't start with 0 are internal extensions."""
MIN_EXTERNAL_DIGITS = 3
"""Fewer digits than this are not dialled as an external number without a region."""
MAX_INPUT_CHARS = 512
"""Longer text is not parsed as one number (find_number scans more, MAX_SCAN_CHARS)."""
MAX_STAR_CODE_CHARS = 32

_ASCII_DIGIT = re.compile(r"[0-9]")
_NUMBER_CHARS = re.compile(r"[0-9+*#()\-./ ]+")
_TRUNK_ZERO_INSIDE = re.compile(r"(?<=[0-9])\s*\(\s*0\s*\)")
_TRUNK_ZERO_START = re.compile(r"^\(\s*0\s*\)")
VISUAL_SEPARATORS = re.compile(r"[()\-./ ]")


def parse_number(text: str, region: str | None, original: str) -> tuple[str, bool]:
    """The number itself, without label or extension: (destination, is_internal)."""
    text = text.strip()
    if not _ASCII_DIGIT.search(text):
        raise NumberError(f"This is not a phone number: {quote(original)}")
    if not _NUMBER_CHARS.fullmatch(text):
        if any(ch.isalpha() for ch in text):
            raise NumberError(
                f"Phone numbers with letters can't be dialled, type the digits: {quote(original)}"
            )
        raise NumberError(f"This has characters that are not in a phone number: {quote(original)}")
    text = _TRUNK_ZERO_START.sub("0", _TRUNK_ZERO_INSIDE.sub("", text))
    compact = VISUAL_SEPARATORS.sub("", text)
    if compact.count("+") > 1 or ("+" in compact and not compact.startswith("+")):
        raise NumberError(f'A phone number has at most one "+", at its start: {quote(original)}')
    digits = compact.lstrip("+")
    digit_count = sum(ch.isdigit() for ch in digits)
    if digit_count > MAX_DIGITS:
        raise NumberError(f"Too many digits for a phone number ({digit_count}): {quote(original)}")
    if "*" in digits or "#" in digits:
        if compact.startswith("+"):
            raise NumberError(f'A star code can\'t start with "+": {quote(original)}')
        if len(compact) > MAX_STAR_CODE_CHARS:
            raise NumberError(f"This star code is too long: {quote(original)}")
        return compact, True
    if not compact.startswith("+"):
        if is_internal_extension(digits):
            return digits, True
        return _national(digits, region, original), False
    return _international(digits, original), False


def is_internal_extension(digits: str) -> bool:
    return (
        0 < len(digits) <= MAX_INTERNAL_DIGITS and digits.isdigit() and not digits.startswith("0")
    )


def _international(digits: str, original: str) -> str:
    number = _pn_parse("+" + digits, None, original)
    return _checked_e164(number, original)


def _national(digits: str, region: str | None, original: str) -> str:
    """Digits typed without "+": E.164 if the region says what they mean, else as typed."""
    if len(digits) < MIN_EXTERNAL_DIGITS:
        raise NumberError(f"Too few digits for a phone number: {quote(original)}")
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
            raise NumberError(f"Too few digits for a phone number: {quote(original)}")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return digits
    return _checked_e164(number, original)


def _pn_parse(text: str, region: str | None, original: str) -> PhoneNumber:
    try:
        return phonenumbers.parse(text, region, keep_raw_input=True)
    except NumberParseException as err:
        if err.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            message = f"Unknown country code in {quote(original)}"
        elif err.error_type in (
            NumberParseException.TOO_SHORT_AFTER_IDD,
            NumberParseException.TOO_SHORT_NSN,
        ):
            message = f"Too few digits for a phone number: {quote(original)}"
        elif err.error_type == NumberParseException.TOO_LONG:
            message = f"Too many digits for a phone number: {quote(original)}"
        else:
            message = f"This is not a phone number: {quote(original)}"
        raise NumberError(message) from None


def _checked_e164(number: PhoneNumber, original: str) -> str:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        raise NumberError(f"Too few digits for a phone number: {quote(original)}")
    if reason == ValidationResult.TOO_LONG:
        raise NumberError(f"Too many digits for a phone number: {quote(original)}")
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        raise NumberError(f"Unknown country code in {quote(original)}")
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
        raise NumberError(f"This is not a phone number: {quote(original)}")
    # IS_POSSIBLE, and INVALID_LENGTH (a length between the plan's lengths): the plan
    # data may lag behind reality, so the PBX gets to try rather than being refused here.
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not re.fullmatch(r"\+[0-9]{2,17}", e164):
        raise NumberError(f"This is not a phone number: {quote(original)}")
    return e164


def from_phonenumber(number: PhoneNumber) -> DialNumber | None:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not re.fullmatch(r"\+[0-9]{2,17}", e164):
        return None
    extension = number.extension
    if extension is not None and not EXTENSION.fullmatch(extension):
        extension = None
    return DialNumber(e164, extension or None, False)

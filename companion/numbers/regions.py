"""Dialing regions: the one to use (settings, then the locale), the one to propose."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import phonenumbers

_LOCALE = re.compile(r"([A-Za-z]{2,3})[_-]([A-Za-z]{2})(?:[.@].*)?")


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


def known_region(region: str | None) -> str | None:
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

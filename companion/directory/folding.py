"""How typed text and directory entries are made comparable: folding and number forms.

Words are folded so that the ways people type a German name meet in one form: case
(``casefold``: "ß" becomes "ss"), accents ("Jürgen" -> "jurgen") and the transliterated
umlauts ("Mueller" -> "muller", the same as "Müller"). Folding is applied to the entry and
to what the user types alike, so "mueller", "muller" and "müller" all find "Müller" and
"Mueller", and "weiss" finds "Weiß". The price: "ae", "oe" and "ue" fold to "a", "o", "u"
in every word ("Michael" is kept as "michal"), which only ever finds more, never less.

Numbers are kept in every form a user might type a part of: the digits as written, the
international digits (``4989123456``) and the national ones (``089123456``) for the
dialing region.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import phonenumbers

from companion.numbers import NumberError, comparable

__all__ = ["fold", "fold_words", "number_forms", "typed_digits"]

# Letters that NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_TRANSLITERATED = re.compile(r"([aou])e+")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``"Müller"``, ``"Mueller"``, ``"MULLER"`` -> ``"muller"``; ``"Weiß"`` -> ``"weiss"``."""
    text = text.casefold()
    if not text.isascii():  # most names are: no accents to take off
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _TRANSLITERATED.sub(r"\1", text)


def fold_words(*texts: str) -> list[str]:
    """The folded words of ``texts`` ("m.mueller@acme.de" -> m, muller, acme, de)."""
    return [word for text in texts for word in _WORD.findall(fold(text))]


def typed_digits(text: str) -> str | None:
    """The digits of ``text`` when it is a number fragment ("089/1234", "+49 89"), else None.

    A leading "+" or "00" means the international form: it comes back as its digits
    without it (``"+49891234"`` -> ``"49891234"``).
    """
    compact = re.sub(r"[\s()\-./]", "", text)
    if not re.fullmatch(r"\+?[0-9]+", compact):
        return None
    if compact.startswith("+"):
        return compact[1:]
    if compact.startswith("00"):
        return compact[2:]
    return compact


def number_forms(number: str, region: str | None) -> tuple[str, list[str]]:
    """(the normalised number for an exact lookup, the digit strings a search may match).

    ``"089/1234 56"`` in DE -> (``"+4989123456"``, [``"089123456"``, ``"4989123456"``]).
    A number that does not parse keeps its digits, so it can still be found by them.
    """
    digits = re.sub(r"[^0-9*#]", "", number)
    try:
        key = comparable(number, region)
    except NumberError:
        return digits, [digits] if digits else []
    forms = {digits}
    if key.startswith("+"):
        international = key[1:]
        forms.add(international)
        national = _national(key, region)
        if national:
            forms.add(national)
    else:
        forms.add(key)
    return key, sorted(form for form in forms if form)


def _national(e164: str, region: str | None) -> str:
    """``+4989123456`` in DE -> ``089123456``; a number of another country -> ""."""
    if not region:
        return ""
    code, prefix = _national_prefix(region)
    if not code or code == "0" or not e164.startswith("+" + code):
        return ""
    return prefix + e164[1 + len(code) :]


@functools.cache
def _national_prefix(region: str) -> tuple[str, str]:
    """(the country code, the national prefix) of ``region``: ("49", "0") for DE."""
    code = str(phonenumbers.country_code_for_region(region))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return code, (metadata.national_prefix if metadata is not None else None) or ""

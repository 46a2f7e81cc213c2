"""Phone numbers: tel:/callto:/sip: links, typed and selected numbers, normalisation.

Everything that turns user text into something to dial goes through this package, and
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

The package's modules, one job each: :mod:`~companion.numbers.dial_number` (the result and
the error), :mod:`~companion.numbers.text` (user text made plain), :mod:`~companion.numbers.plan`
(a bare number by the numbering plan), :mod:`~companion.numbers.links` (tel:, callto:, sip:),
:mod:`~companion.numbers.dial_input` (typed or selected text), :mod:`~companion.numbers.display`
(display form and comparison key) and :mod:`~companion.numbers.regions`. This module
re-exports their names: ``companion.numbers.parse_dial_input`` and the others stay where
every caller imports them from.
"""

from __future__ import annotations

from companion.numbers.dial_input import MAX_SCAN_CHARS as MAX_SCAN_CHARS
from companion.numbers.dial_input import find_number, parse_dial_input
from companion.numbers.dial_number import DialNumber, NumberError
from companion.numbers.display import comparable, format_for_display
from companion.numbers.display import is_mobile as is_mobile
from companion.numbers.links import parse_uri
from companion.numbers.plan import MAX_DIGITS as MAX_DIGITS
from companion.numbers.plan import MAX_INPUT_CHARS as MAX_INPUT_CHARS
from companion.numbers.plan import MAX_INTERNAL_DIGITS as MAX_INTERNAL_DIGITS
from companion.numbers.plan import MAX_STAR_CODE_CHARS as MAX_STAR_CODE_CHARS
from companion.numbers.plan import MIN_EXTERNAL_DIGITS as MIN_EXTERNAL_DIGITS
from companion.numbers.regions import default_region
from companion.numbers.regions import propose_region as propose_region

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

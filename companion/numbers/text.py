"""User text made plain for parsing (unicode digits, dashes, spaces, quotes), and quoted
for messages."""

from __future__ import annotations

import unicodedata

# Quotation marks of many languages: " ' \u201c \u201d \u201e \u201a \u2018 \u2019 « » \u2039 \u203a
_QUOTE_MARKS = "\"'\u201c\u201d\u201e\u201a\u2018\u2019\u00ab\u00bb\u2039\u203a"
_QUOTES_LEAD = _QUOTE_MARKS + "<[{"
_QUOTES_TRAIL = _QUOTE_MARKS + ">]},;.!?"


def quote(text: str, limit: int = 60) -> str:
    """``text`` in double quotes, on one line, shortened: safe to put in a message."""
    flat = "".join(
        " " if ch.isspace() or unicodedata.category(ch).startswith("C") else ch for ch in text
    )
    flat = " ".join(flat.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


def clean(text: str) -> str:
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


def strip_quotes(text: str) -> str:
    text = text.strip()
    while text and text[0] in _QUOTES_LEAD:
        text = text[1:].lstrip()
    while text and text[-1] in _QUOTES_TRAIL:
        text = text[:-1].rstrip()
    # A closing bracket without an opening one: "(call 221)" selected from "221)".
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text

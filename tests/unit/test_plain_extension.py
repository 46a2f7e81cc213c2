"""A cold `companion dial 221` skips the phone-number library: only where companion.numbers
would send and show the text unchanged."""

from __future__ import annotations

import pytest

from companion.cold_dial import plain_extension
from companion.numbers import DialNumber, NumberError, format_for_display, parse_dial_input

FULLWIDTH = "\uff12\uff12\uff11"  # 221 in fullwidth digits
EXTENSIONS = ["1", "22", "221", "4711", "116117", "999999"]
OTHERS = ["", "0", "0221", "1234567", "22 1", "+221", "*101", "221#", "²21", "٢٢١", FULLWIDTH]


@pytest.mark.parametrize("region", ["DE", "US", None])
def test_a_plain_extension_is_dialled_and_shown_as_typed(region: str | None) -> None:
    for text in EXTENSIONS:
        assert plain_extension(text), text
        assert parse_dial_input(text, region) == DialNumber(text, None, True)
        assert format_for_display(text, region) == text


def test_everything_else_goes_through_the_numbers_module() -> None:
    for text in OTHERS:
        assert not plain_extension(text), text
    with pytest.raises(NumberError):
        parse_dial_input("", "DE")
    assert parse_dial_input(FULLWIDTH, "DE").destination == "221"  # fullwidth: the parser's job

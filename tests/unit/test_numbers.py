"""companion.numbers: what a typed, selected or linked number dials."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from companion.numbers import (
    DialNumber,
    NumberError,
    comparable,
    default_region,
    find_number,
    format_for_display,
    parse_dial_input,
    parse_uri,
)

DESTINATION = re.compile(r"[0-9+*#]+")
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ext(destination: str) -> DialNumber:
    return DialNumber(destination, None, False)


def internal(destination: str) -> DialNumber:
    return DialNumber(destination, None, True)


# ------------------------------------------------------------------------ typed numbers

TYPED = [
    # international, with the (0) trunk-prefix notation and odd separators
    ("+49 (0)89 1234-56", None, ext("+4989123456")),
    ("+49 (0)89 1234-56", "DE", ext("+4989123456")),
    ("+49(0)89 123456", "US", ext("+4989123456")),
    ("+44 (0)20 7946 0958", None, ext("+442079460958")),
    ("+498912345 6", None, ext("+4989123456")),
    ("+1 (415) 555-0100", None, ext("+14155550100")),
    ("+1 (415) 555-0100", "DE", ext("+14155550100")),
    ("+49.89.123456", None, ext("+4989123456")),
    # national notation with a region
    ("0049 89 123456", "DE", ext("+4989123456")),
    ("0049 (0)89 123456", "DE", ext("+4989123456")),
    ("(089) 123 456", "DE", ext("+4989123456")),
    ("089/123456", "DE", ext("+4989123456")),
    ("089-123 456", "de", ext("+4989123456")),  # region case does not matter
    ("(0)89 123456", "DE", ext("+4989123456")),
    ("0172 1234567", "DE", ext("+491721234567")),
    ("(415) 555-0100", "US", ext("+14155550100")),
    ("011 49 89 123456", "US", ext("+4989123456")),
    ("02 1234 5678", "IT", ext("+390212345678")),  # Italy keeps its leading 0
    # national notation without a region: the digits as typed, no country guessed
    ("089 123456", None, ext("089123456")),
    ("089/123456", None, ext("089123456")),
    ("(089) 123 456", None, ext("089123456")),
    ("0049 89 123456", None, ext("004989123456")),
    ("0049 (0)89 123456", None, ext("004989123456")),
    ("089 123456", "XX", ext("089123456")),  # an unknown region is no region
    # a local number (no trunk prefix where one is needed): as typed, no invented area
    ("1234567", "DE", ext("1234567")),
    ("12345678", None, ext("12345678")),
    # internal extensions and star/hash codes: exactly as typed
    ("221", None, internal("221")),
    ("221", "DE", internal("221")),
    ("22 1", "DE", internal("221")),
    ("116117", "DE", internal("116117")),
    ("110", "DE", internal("110")),
    ("*101", None, internal("*101")),
    ("*101", "DE", internal("*101")),
    ("#31#", "DE", internal("#31#")),
    ("*21*0891234#", "DE", internal("*21*0891234#")),
    # unicode: non-breaking spaces, en dashes, fullwidth digits, invisible marks
    ("+49\u00a089\u00a0123456", None, ext("+4989123456")),
    ("089\u2013123456", "DE", ext("+4989123456")),
    ("089\u2009123\u202f456", "DE", ext("+4989123456")),
    ("\uff10\uff18\uff19 \uff11\uff12\uff13\uff14\uff15\uff16", "DE", ext("+4989123456")),
    ("\uff0b49 89 123456", None, ext("+4989123456")),
    ("\u202a+49 89 123456\u202c", None, ext("+4989123456")),
    ("\u200b221\u200b", None, internal("221")),
    ("\u0660\u0668\u0669 \u0661\u0662\u0663\u0664\u0665\u0666", "DE", ext("+4989123456")),
    # labels, quotes and punctuation around the number
    ("Tel.: 089 123456", "DE", ext("+4989123456")),
    ("Tel.:089 123456", "DE", ext("+4989123456")),
    ("Tel. 089 123456", "DE", ext("+4989123456")),
    ("phone: +49 89 123456", None, ext("+4989123456")),
    ("Phone number: +1 415 555 0100", None, ext("+14155550100")),
    ("Telefon (Büro): 089-123456", "DE", ext("+4989123456")),
    ("Mobil +49 172 1234567", None, ext("+491721234567")),
    ("Tel: 089 123456", "DE", ext("+4989123456")),
    ("  +49 89 123456.  ", None, ext("+4989123456")),
    ('"089 123456",', "DE", ext("+4989123456")),
    ("\u201e089 123456\u201c", "DE", ext("+4989123456")),
    ("\u00ab+49 89 123456\u00bb", None, ext("+4989123456")),
    ("221)", None, internal("221")),
    ("Ext: 221", None, internal("221")),
    # an extension written after the number is reported, not dialled
    ("+1 415 555 0100 ext. 123", None, DialNumber("+14155550100", "123", False)),
    ("+1 415 555 0100 x12", None, DialNumber("+14155550100", "12", False)),
    ("(415) 555-0100, extension 7", "US", DialNumber("+14155550100", "7", False)),
]


@pytest.mark.parametrize(("text", "region", "expected"), TYPED)
def test_typed_numbers(text: str, region: str | None, expected: DialNumber) -> None:
    assert parse_dial_input(text, region) == expected


REJECTED = [
    ("", None, "empty"),
    ("   ", "DE", "empty"),
    ("\u00a0\u200b", None, "empty"),
    ("hello", None, 'This is not a phone number: "hello"'),
    ("hello world", "DE", "not a phone number"),
    ("Tel.:", "DE", "not a phone number"),
    ("+", None, "not a phone number"),
    ("---", None, "not a phone number"),
    ("0800 FLOWERS", "DE", "letters"),
    ("1-800-FLOWERS", "US", "letters"),
    ("089 12345a", "DE", "letters"),
    ("++49 89 123456", None, 'at most one "+"'),
    ("+49 89 +123456", None, 'at most one "+"'),
    ("089 +123456", "DE", 'at most one "+"'),
    ("123456789012345678", None, "Too many digits"),
    ("+49 89 1234567890123456", None, "Too many digits"),
    ("+49 89 12345678901234", "DE", "Too many digits"),
    ("0", None, "Too few digits"),
    ("01", "DE", "Too few digits"),
    ("0221", "DE", "Too few digits"),
    ("0049", "DE", "Too few digits"),
    ("000001", "DE", "not a phone number"),
    ("+49 00 1234567", None, "not a phone number"),
    ("+49 8", None, "Too few digits"),
    ("+999 1234567", None, "Unknown country code"),
    ("089 123456 \u2603", "DE", "characters"),
    ("089 123_456", "DE", "characters"),
    ("*" * 40 + "1", None, "too long"),
    ("+*21#", None, "star code"),
    ("9" * 600, None, "too long"),
]


@pytest.mark.parametrize(("text", "region", "words"), REJECTED)
def test_rejected(text: str, region: str | None, words: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_dial_input(text, region)
    message = str(info.value)
    assert words.lower() in message.lower()
    assert "\n" not in message


def test_error_message_quotes_the_input_on_one_line() -> None:
    with pytest.raises(NumberError) as info:
        parse_dial_input("call\nme\tat\u2028home", None)
    message = str(info.value)
    assert message == 'This is not a phone number: "call me at home"'


def test_error_message_shortens_long_input() -> None:
    with pytest.raises(NumberError) as info:
        parse_dial_input("x" * 300, None)
    assert len(str(info.value)) < 120


def test_number_error_is_a_value_error() -> None:
    assert issubclass(NumberError, ValueError)


def test_dial_number_checks_its_invariant() -> None:
    with pytest.raises(NumberError):
        DialNumber("", None, False)
    with pytest.raises(NumberError):
        DialNumber("089 123", None, False)
    with pytest.raises(NumberError):
        DialNumber("221", "12a", True)


# ---------------------------------------------------------------------------------- URIs

URIS = [
    # tel: (RFC 3966)
    ("tel:+49-89-123456", None, ext("+4989123456")),
    ("tel:+1-201-555-0123", None, ext("+12015550123")),
    ("tel:+1.201.555.0123", None, ext("+12015550123")),
    ("tel:+1(201)555-0123", None, ext("+12015550123")),
    ("TEL:+4989123456", None, ext("+4989123456")),
    ("tel:+49-89-123456;ext=12", None, DialNumber("+4989123456", "12", False)),
    ("tel:+49-89-123456;ext=1-2", None, DialNumber("+4989123456", "12", False)),
    ("tel:+49-89-123456;EXT=12", None, DialNumber("+4989123456", "12", False)),
    ("tel:+49-89-123456;isub=1411;foo=bar", None, ext("+4989123456")),
    ("tel:+49-89-123456;phone-context=+1-914-555", None, ext("+4989123456")),
    ("tel:1234;phone-context=+1-914-555", None, ext("+19145551234")),
    ("tel:5550123;phone-context=+1-201", "DE", ext("+12015550123")),
    ("tel:7042;phone-context=example.com", None, internal("7042")),
    ("tel:7042;phone-context=example.com", "DE", internal("7042")),
    ("tel:089-123456;phone-context=pbx.example.com", "DE", ext("089123456")),
    ("tel:*31#;phone-context=example.com", None, internal("*31#")),
    ("tel:%2B49%2089%20123456", None, ext("+4989123456")),
    ("tel:%2b49-89-123456", None, ext("+4989123456")),
    ("tel:+4989123456%3Bext%3D5", None, DialNumber("+4989123456", "5", False)),
    ("tel:089123456", "DE", ext("+4989123456")),  # lenient: no context, read as typed
    ("tel:089123456", None, ext("089123456")),
    ("tel:221", None, internal("221")),
    ("tel://+4989123456", None, ext("+4989123456")),
    ("<tel:+4989123456>", None, ext("+4989123456")),
    ("  tel:+4989123456  ", None, ext("+4989123456")),
    # callto:
    ("callto:+4989123456", None, ext("+4989123456")),
    ("callto://+4989123456", None, ext("+4989123456")),
    ("callto://+4989123456/", None, ext("+4989123456")),
    ("callto:+49%2089%20123456", None, ext("+4989123456")),
    ("callto:089123456", "DE", ext("+4989123456")),
    ("callto:221", None, internal("221")),
    ("CALLTO:+4989123456", None, ext("+4989123456")),
    # sip: / sips:
    ("sip:+4989123456@pbx.example;user=phone", None, ext("+4989123456")),
    ("sips:+4989123456@pbx.example;user=phone", None, ext("+4989123456")),
    ("sip:221@pbx", None, internal("221")),
    ("sip:221@pbx.example.com:5061;transport=tls", None, internal("221")),
    ("sips:221@pbx", "DE", internal("221")),
    ("sip:*101@pbx", None, internal("*101")),
    ("sip:%2A101@pbx", None, internal("*101")),
    ("sip:089123456@pbx.example", "DE", ext("+4989123456")),
    ("sip:+1-212-555-1212:secret@gateway.com;user=phone", None, ext("+12125551212")),
    ("sip:+1-212-555-1212;ext=7@gateway.com", None, DialNumber("+12125551212", "7", False)),
    ("sip:+4989123456@pbx?subject=hi", None, ext("+4989123456")),
    ("sip:221", None, internal("221")),
    ("SIP:221@pbx", None, internal("221")),
]


@pytest.mark.parametrize(("uri", "region", "expected"), URIS)
def test_uris(uri: str, region: str | None, expected: DialNumber) -> None:
    assert parse_uri(uri, region) == expected
    # a link typed or pasted into the dial field means the same
    assert parse_dial_input(uri, region) == expected


BAD_URIS = [
    ("", "empty"),
    ("089123456", "not a phone link"),
    ("mailto:someone@example.com", "mailto:"),
    ("https://example.com/tel:+49", "https:"),
    ("skype:alice?call", "skype:"),
    ("tel:", "no number"),
    ("tel:;ext=12", "no number"),
    ("tel:+4989123456;ext=abc", "extension"),
    ("tel:+4989123456;ext=", "extension"),
    ("tel:1234;phone-context=+1-abc", "phone-context"),
    ("tel:12ab;phone-context=example.com", "not a phone number"),
    ("tel:;phone-context=example.com", "no number"),
    ("tel:alice", "not a phone number"),
    ("tel:0800-FLOWERS", "letters"),
    ("tel:%zz", "not a phone number"),
    ("callto:alice", "names a user"),
    ("callto://alice.smith", "names a user"),
    ("callto:live:abc123", "names a user"),
    ("callto:", "no number"),
    ("sip:alice@pbx.example", "not a phone number"),
    ("sip:alice123@pbx.example", "not a phone number"),
    ("sips:@pbx.example", "names no phone number"),
    ("sip:pbx.example", "names no phone number"),
    ("sip:192.168.1.1", "names no phone number"),
    ("sip:221@", "no host"),
    ("sip:++49@pbx", 'at most one "+"'),
]


@pytest.mark.parametrize(("uri", "words"), BAD_URIS)
def test_bad_uris(uri: str, words: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_uri(uri, "DE")
    assert words.lower() in str(info.value).lower()


def test_typed_text_with_a_space_after_tel_colon_is_a_label_not_a_link() -> None:
    assert parse_dial_input("TEL: 0800 123456 ext. 9", "DE") == DialNumber(
        "+49800123456", "9", False
    )


# ----------------------------------------------------------------------- finding numbers

FOUND = [
    ("Please call +49 89 123456 tomorrow", None, ext("+4989123456")),
    ("Please call +49 89 123456 tomorrow", "DE", ext("+4989123456")),
    ("Ruf an: 0172 1234567 oder schreib", "DE", ext("+491721234567")),
    ("Call (415) 555-0100 x12 after 5", "US", DialNumber("+14155550100", "12", False)),
    ("first +49 89 123456, then +1 415 555 0100", None, ext("+4989123456")),
    ("Max Mustermann\nTel.: 089 123456\nFax: 089 123457", "DE", ext("+4989123456")),
    ("Zentrale: +49\u00a089\u00a0123456 (Mo-Fr)", None, ext("+4989123456")),
    # nothing the matcher recognises: the whole selection as a typed number
    ("221", None, internal("221")),
    ("  *101\n", "DE", internal("*101")),
    ("Room 221", None, internal("221")),
    ("089 123456", None, ext("089123456")),
    ("tel:+4989123456", None, ext("+4989123456")),
]


@pytest.mark.parametrize(("text", "region", "expected"), FOUND)
def test_find_number(text: str, region: str | None, expected: DialNumber) -> None:
    assert find_number(text, region) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("hello", "not a phone number"),
        ("0800 FLOWERS", "letters"),
        ("Meeting at 10:30 in room B", "No phone number found"),
    ],
)
def test_find_number_finds_none(text: str, words: str) -> None:
    with pytest.raises(NumberError) as info:
        find_number(text, "DE")
    assert words.lower() in str(info.value).lower()


def test_find_number_scans_long_text_quickly() -> None:
    text = "lorem ipsum 2023-01-15 " * 2000 + " +49 89 123456"
    with pytest.raises(NumberError):  # beyond the scanned part
        find_number(text, "DE")
    assert find_number("x " * 100 + "+49 89 123456 " + "y " * 5000, "DE") == ext("+4989123456")


# ----------------------------------------------------------------- region and formatting


@pytest.mark.parametrize(
    ("configured", "env", "expected"),
    [
        ("DE", {}, "DE"),
        ("de", {"LANG": "en_US.UTF-8"}, "DE"),
        (" at ", {}, "AT"),
        ("", {"LANG": "de_DE.UTF-8"}, "DE"),
        (None, {"LANG": "de_CH.UTF-8"}, "CH"),
        (None, {"LANG": "en_GB"}, "GB"),
        (None, {"LANG": "de_DE@euro"}, "DE"),
        (None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}, "FR"),
        (None, {"LC_MESSAGES": "it_IT.UTF-8", "LANG": "de_DE.UTF-8"}, "IT"),
        (None, {"LC_TELEPHONE": "nl_NL.UTF-8", "LC_MESSAGES": "it_IT"}, "NL"),
        (None, {"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, None),
        (None, {"LANG": "C"}, None),
        (None, {"LANG": "POSIX"}, None),
        (None, {}, None),
        ("XX", {"LANG": "de_AT.UTF-8"}, "AT"),  # an unknown configured region is ignored
        ("XX", {}, None),
        (None, {"LANG": "en_ZZ.UTF-8"}, None),
        (None, {"LANG": "garbage"}, None),
    ],
)
def test_default_region(
    monkeypatch: pytest.MonkeyPatch,
    configured: str | None,
    env: dict[str, str],
    expected: str | None,
) -> None:
    for variable in ("LC_ALL", "LC_TELEPHONE", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert default_region(configured) == expected


@pytest.mark.parametrize(
    ("destination", "region", "shown"),
    [
        ("+4989123456", None, "+49 89 123456"),
        ("+4989123456", "US", "+49 89 123456"),
        ("+14155550100", "DE", "+1 415-555-0100"),
        ("089123456", "DE", "+49 89 123456"),
        ("089123456", None, "089123456"),
        ("221", "DE", "221"),
        ("*101", None, "*101"),
        ("1234567", "DE", "1234567"),
        ("", None, ""),
        ("not a number", "DE", "not a number"),
    ],
)
def test_format_for_display(destination: str, region: str | None, shown: str) -> None:
    assert format_for_display(destination, region) == shown


# ------------------------------------------------------------------------- comparable


@pytest.mark.parametrize(
    "notation",
    [
        "0049 89 123456",
        "+49 (0)89 123456",
        "089 123456",
        "(089) 123 456",
        "089/123456",
        "+49-89-123456",
        "tel:+49-89-123456",
        "+4989123456",
        "+49\u00a089\u2013123456",
    ],
)
def test_comparable_with_region(notation: str) -> None:
    assert comparable(notation, "DE") == "+4989123456"


def test_comparable_without_region() -> None:
    assert comparable("0049 89 123456", None) == comparable("+49 (0)89 123456", None)
    assert comparable("089 123456", None) == comparable("089/123456", None)
    assert comparable("221", None) == "221"
    assert comparable("089 123456", "DE") != comparable("089 123457", "DE")


def test_comparable_ignores_the_extension() -> None:
    assert comparable("tel:+4989123456;ext=5", "DE") == comparable("089 123456", "DE")


def test_comparable_rejects_non_numbers() -> None:
    with pytest.raises(NumberError):
        comparable("n/a", "DE")


# -------------------------------------------------------------------------- properties

REGIONS = st.sampled_from([None, "DE", "US", "GB", "IT", "RU", "FR", "CH", "JP", "xx", "", "de"])
NUMBERISH = st.lists(
    st.sampled_from(
        [
            *"0123456789+*#()-./ ;:=@%,xX",
            *("\u00a0", "\u2013", "\u200b", "\uff11", "\u0663", "Tel", "ext", "(0)", "tel:"),
        ]
    ),
    max_size=30,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=80), NUMBERISH)


def check_result(result: DialNumber) -> None:
    assert DESTINATION.fullmatch(result.destination), result
    assert result.extension is None or result.extension.isdigit()
    if result.is_internal:
        assert "+" not in result.destination


def check_error(err: NumberError) -> None:
    message = str(err)
    assert message
    assert len(message.splitlines()) == 1


@SLOW
@given(ANY_TEXT, REGIONS)
@example("+49 (0)89 1234-56", None)
@example("(0)", "DE")
@example("0" * 18, "DE")
@example("000001", "DE")
@example("\ud800", None)
def test_parse_dial_input_never_raises_anything_else(text: str, region: str | None) -> None:
    try:
        result = parse_dial_input(text, region)
    except NumberError as err:
        check_error(err)
    else:
        check_result(result)


@SLOW
@given(ANY_TEXT, REGIONS)
def test_find_number_never_raises_anything_else(text: str, region: str | None) -> None:
    try:
        result = find_number(text, region)
    except NumberError as err:
        check_error(err)
    else:
        check_result(result)


@SLOW
@given(ANY_TEXT, REGIONS)
def test_format_and_comparable_never_raise_anything_else(text: str, region: str | None) -> None:
    assert isinstance(format_for_display(text, region), str)
    try:
        key = comparable(text, region)
    except NumberError as err:
        check_error(err)
    else:
        assert DESTINATION.fullmatch(key)


PART = st.one_of(NUMBERISH, st.text(max_size=12))
URI = st.builds(
    lambda scheme, slashes, user, at, host, params, query: (
        f"{scheme}:{slashes}{user}{at}{host}{params}{query}"
    ),
    st.sampled_from(["tel", "TEL", "callto", "sip", "sips", "SIP", "mailto", "http", "t el"]),
    st.sampled_from(["", "//", "/"]),
    PART,
    st.sampled_from(["", "@", "@@"]),
    st.sampled_from(["", "pbx", "pbx.example.com:5061", "[::1]", "%40"]),
    st.lists(
        st.builds(
            lambda name, value: f";{name}={value}",
            st.sampled_from(
                ["ext", "phone-context", "postd", "user", "isub", "EXT", "POSTD", "x", ""]
            ),
            PART,
        ),
        max_size=3,
    ).map("".join),
    st.sampled_from(["", "?subject=hi", "?", "#frag"]),
)


@SLOW
@given(URI, REGIONS)
@example("tel:+49;phone-context=+1", None)
@example("sip:+1;ext=@pbx", "DE")
def test_parse_uri_never_raises_anything_else(uri: str, region: str | None) -> None:
    for parse in (parse_uri, parse_dial_input, find_number):
        try:
            result = parse(uri, region)
        except NumberError as err:
            check_error(err)
        else:
            check_result(result)


DIGITS = st.from_regex(r"(\+|00|0)?[0-9]{1,17}", fullmatch=True)


@SLOW
@given(st.one_of(NUMBERISH, DIGITS), REGIONS)
def test_destination_parses_to_itself(text: str, region: str | None) -> None:
    """Sending a result back through the parser changes nothing (no drift on re-dial)."""
    try:
        first = parse_dial_input(text, region)
    except NumberError:
        return
    assert parse_dial_input(first.destination, region).destination == first.destination


EXAMPLE_REGIONS = ["DE", "AT", "CH", "FR", "GB", "IT", "ES", "NL", "US", "CA", "AU", "SE"]


@SLOW
@given(
    st.sampled_from(EXAMPLE_REGIONS),
    st.sampled_from(["fixed", "mobile"]),
    st.sampled_from(
        [
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
            phonenumbers.PhoneNumberFormat.RFC3966,
        ]
    ),
)
def test_real_numbers_in_every_notation_give_e164(region: str, kind: str, notation: int) -> None:
    number_type = (
        phonenumbers.PhoneNumberType.MOBILE
        if kind == "mobile"
        else phonenumbers.PhoneNumberType.FIXED_LINE
    )
    number = phonenumbers.example_number_for_type(region, number_type)
    assert number is not None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    written = phonenumbers.format_number(number, notation)
    assert parse_dial_input(written, region).destination == e164
    assert comparable(written, region) == e164
    if notation != phonenumbers.PhoneNumberFormat.NATIONAL:
        assert parse_dial_input(written, None).destination == e164


# -- RFC 3966 ;ext= and ;postd=: kept as tones to send after the answer, never dropped -----


@pytest.mark.parametrize(
    ("uri", "destination", "extension", "postdial", "tones"),
    [
        ("tel:+49-89-123456;ext=12", "+4989123456", "12", None, "12"),
        ("tel:+49-89-123456;postd=pp123#", "+4989123456", None, "pp123#", "pp123#"),
        ("tel:+49-89-123456;ext=5;postd=w9", "+4989123456", "5", "w9", "5w9"),
        ("tel:+49-89-123456;POSTD=P1-2", "+4989123456", None, "p12", "p12"),
        ("tel:7042;phone-context=+49-89;postd=1", "+49897042", None, "1", "1"),
        ("tel:221;phone-context=example.com;ext=3", "221", "3", None, "3"),
        ("sip:+4989123456;postd=55@pbx;user=phone", "+4989123456", None, "55", "55"),
        ("tel:+49-89-123456", "+4989123456", None, None, ""),
    ],
)
def test_ext_and_postd_become_the_tones(
    uri: str, destination: str, extension: str | None, postdial: str | None, tones: str
) -> None:
    number = parse_uri(uri, "DE")
    assert (number.destination, number.extension, number.postdial) == (
        destination,
        extension,
        postdial,
    )
    assert number.tones == tones


@pytest.mark.parametrize("postd", ["1A", "x", "1 D", "%41"])
def test_postd_that_cannot_be_sent_is_refused_in_words(postd: str) -> None:
    with pytest.raises(NumberError, match="post-dial digits"):
        parse_uri(f"tel:+49-89-123456;postd={postd}", "DE")


@given(st.text(alphabet="0123456789*#pw", min_size=1, max_size=64))
def test_any_postd_of_digits_and_pauses_is_kept_whole(postd: str) -> None:
    from companion.session.tones import PAUSE_SECONDS, runs

    number = parse_uri(f"tel:+49-89-123456;postd={postd}", None)
    assert number.destination == "+4989123456"  # never dialled with the number
    assert number.tones == postd
    parts = runs(number.tones)
    assert "".join(p for p in parts if isinstance(p, str)) == postd.replace("p", "").replace(
        "w", ""
    )
    pauses = sum(p for p in parts if isinstance(p, float))
    assert pauses == pytest.approx((postd.count("p") + postd.count("w")) * PAUSE_SECONDS)

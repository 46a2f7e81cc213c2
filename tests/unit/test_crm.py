"""companion.crm: the CRM link template, filled in safely."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.crm import CrmError, check_template, crm_link

TEMPLATE = "https://crm.example.com/search?phone={number}&e164={e164}&name={name}"


def test_placeholders_are_filled_in() -> None:
    link = crm_link(TEMPLATE, "089 123456", "Tina Sander", region="DE")
    assert (
        link
        == "https://crm.example.com/search?phone=089%20123456&e164=%2B4989123456&name=Tina%20Sander"
    )


def test_e164_of_an_international_number() -> None:
    assert crm_link("https://crm.example.com/{e164}", "0049 171 555666", region=None) == (
        "https://crm.example.com/%2B49171555666"
    )


@pytest.mark.parametrize(
    ("number", "region", "e164"),
    [
        ("120", "DE", "120"),  # an extension has no E.164 form: as given
        ("089123456", None, "089123456"),  # national, no region: no country guessed
        ("anonymous", "DE", "anonymous"),  # not a number at all
    ],
)
def test_e164_falls_back_to_the_number_as_given(number: str, region: str | None, e164: str) -> None:
    assert crm_link("https://crm.example.com/?q={e164}", number, region=region) == (
        f"https://crm.example.com/?q={e164}"
    )


def test_values_cannot_add_parameters_or_change_the_path() -> None:
    link = crm_link(TEMPLATE, "120", "Ann & Bob/../admin?x=1#y", region="DE")
    query = parse_qs(urlsplit(link).query)
    assert query == {"phone": ["120"], "e164": ["120"], "name": ["Ann & Bob/../admin?x=1#y"]}
    assert urlsplit(link).path == "/search"
    assert urlsplit(link).fragment == ""


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_value_keeps_the_host_and_path(number: str, name: str) -> None:
    parts = urlsplit(crm_link("https://crm.example.com/p/{name}?n={number}", number, name))
    assert parts.netloc == "crm.example.com"
    assert parts.path.count("/") == 2
    assert not parts.fragment


def test_a_template_without_placeholders_is_a_plain_link() -> None:
    assert crm_link(" http://crm.example.com/calls ", "120") == "http://crm.example.com/calls"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("crm.example.com/?q={number}", "https://"),
        ("ftp://crm.example.com/{number}", "https://"),
        ("javascript:alert({name})", "https://"),
        ("file:///etc/passwd", "https://"),
        ("https:///{number}", "https://"),
        ("https://crm.example.com/?q={phone}", "unknown placeholder {phone}"),
        ("https://crm.example.com/?q={NUMBER}", "unknown placeholder"),
        ("https://crm.example.com/?q={number", "brace"),
        ("https://crm.example.com/?q=number}", "brace"),
        ("https://{name}.example.com/", "after the host"),
        ("https://crm.example.com/?q={number} x", "spaces"),
        ("https://crm.example.com/\t{number}", "spaces"),
    ],
)
def test_bad_templates_are_refused_in_words(template: str, words: str) -> None:
    with pytest.raises(CrmError) as info:
        check_template(template)
    assert words in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(CrmError):
        crm_link(template, "120", "Tina")


def test_check_template_strips() -> None:
    assert check_template("  https://crm.example.com/?q={number}\n") == (
        "https://crm.example.com/?q={number}"
    )

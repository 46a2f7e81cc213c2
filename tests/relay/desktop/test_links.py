"""The relay's address and the enrolment link are checked strictly before any code is sent."""

from __future__ import annotations

import pytest

from companion.pbx.relay.links import LinkError, parse_enrol_link, relay_url


def test_a_link_names_the_relay_and_the_code() -> None:
    link = parse_enrol_link(
        "companion://enrol?relay=https%3A%2F%2FRelay.Example.com%2F&code=K7QM-3XPR-9DWT"
    )
    assert (link.relay, link.code) == ("https://relay.example.com", "K7QM-3XPR-9DWT")


def test_plain_http_only_on_loopback() -> None:
    assert relay_url("http://127.0.0.1:8443") == "http://127.0.0.1:8443"
    assert relay_url("http://localhost:9") == "http://localhost:9"
    assert relay_url("http://[::1]:9") == "http://[::1]:9"
    with pytest.raises(LinkError, match="must start with https://"):
        relay_url("http://relay.example.com")
    with pytest.raises(LinkError, match="must start with https://"):
        parse_enrol_link("companion://enrol?relay=http%3A%2F%2F10.0.0.5&code=ABCD-EFGH")


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("companion://evil?relay=https%3A%2F%2Fr.example.com&code=ABCD", "not an enrolment link"),
        ("companion://enrol/x?relay=https%3A%2F%2Fr.example.com&code=ABCD", "not an enrolment"),
        ("companion://enrol?relay=https%3A%2F%2Fr.example.com&code=AB CD", "contains spaces"),
        ("companion://enrol?relay=https%3A%2F%2Fr.example.com", "both the relay and the code"),
        (
            "companion://enrol?relay=https%3A%2F%2Fa.example.com&relay=https%3A%2F%2Fb.example.com"
            "&code=ABCD",
            "unexpected part 'relay'",
        ),
        ("companion://enrol?relay=https%3A%2F%2Fr.example.com&code=ABCD&user=x", "'user'"),
        ("companion://enrol?relay=https%3A%2F%2Fu%3Ap%40r.example.com&code=ABCD", "password"),
        ("companion://enrol?relay=https%3A%2F%2Fr.example.com%3Fx%3D1&code=ABCD", "'?'"),
        (
            "companion://enrol?relay=https%3A%2F%2Fr.example.com&code=%3Cscript%3E",
            "enrolment code must",
        ),
        ("companion://enrol?relay=javascript%3Aalert(1)&code=ABCD", "start with https://"),
    ],
)
def test_anything_else_is_refused_in_words(link: str, words: str) -> None:
    with pytest.raises(LinkError, match=words):
        parse_enrol_link(link)

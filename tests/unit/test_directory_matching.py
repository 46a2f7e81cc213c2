"""Folding, transliteration, digit forms and ranking of the local directory index."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.directory import store
from companion.directory.folding import fold, fold_words, number_forms, typed_digits
from companion.pbx.models import Contact, ContactNumber, ContactSource, NumberKind

UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def test_the_issues_examples_fold_together() -> None:
    assert fold("Müller") == fold("Mueller") == fold("muller") == fold("MÜLLER")
    assert fold("Weiß") == fold("weiss") == fold("WEISS")
    assert fold("Jürgen") == fold("jurgen") == fold("Juergen")
    assert fold("Søren Ærø") == fold("soren aero")
    assert fold_words("m.mueller@acme.de") == ["m", "muller", "acme", "de"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=12))
def test_transliterated_and_umlaut_spellings_fold_alike(word: str) -> None:
    spelled_out = "".join(UMLAUTS.get(ch, ch) for ch in word)
    assert fold(word) == fold(spelled_out)
    assert fold(word.upper()) == fold(word)


@given(st.text(alphabet=string.ascii_letters + "äöüÄÖÜßéèçñ", min_size=1, max_size=12))
def test_a_typed_beginning_of_a_word_is_a_beginning_of_its_fold(word: str) -> None:
    for end in range(1, len(word) + 1):
        assert fold(word).startswith(fold(word[:end]))


def test_typed_digits_read_the_international_form() -> None:
    assert typed_digits("+49 89 1234") == "49891234"
    assert typed_digits("0049891234") == "49891234"
    assert typed_digits("089/1234") == "0891234"
    assert typed_digits("mueller") is None
    assert typed_digits("12ab") is None


def test_a_number_is_kept_in_its_national_and_international_forms() -> None:
    key, forms = number_forms("089/1234 56", "DE")
    assert key == "+4989123456"
    for typed in ("0891234", "+49891234", "891234"):
        digits = typed_digits(typed)
        assert digits is not None and any(digits in form for form in forms), typed


def _contact(cid: str, name: str, source: ContactSource, number: str = "") -> Contact:
    numbers = (ContactNumber(NumberKind.PHONE, number),) if number else ()
    return Contact(cid, name, source, numbers)


def _index(tmp_path: Path, contacts: list[Contact]) -> store.Reader:
    path = tmp_path / "index.sqlite3"
    builder = store.Builder(path, "DE")
    builder.add(contacts)
    builder.finish({"synced_at": "2025-01-01T00:00:00+00:00"})
    return store.Reader(path)


def test_ranking_exact_then_prefix_then_the_rest(tmp_path: Path) -> None:
    reader = _index(
        tmp_path,
        [
            _contact("1", "Anna Müller", ContactSource.GLOBAL),
            _contact("2", "Müller Bau", ContactSource.GLOBAL),
            _contact("3", "Müller", ContactSource.GLOBAL),
        ],
    )
    names = [c.name for c in reader.search("mueller").contacts]
    assert names == ["Müller", "Müller Bau", "Anna Müller"]


def test_colleagues_and_recent_contacts_first_among_equals(tmp_path: Path) -> None:
    reader = _index(
        tmp_path,
        [
            _contact("1", "Eva Kranz", ContactSource.GLOBAL, "089 111111"),
            _contact("2", "Eva Kranz", ContactSource.GLOBAL, "089 222222"),
            _contact("3", "Eva Kranz", ContactSource.USER, "230"),
            _contact("4", "Eva Kranzler", ContactSource.USER, "231"),
        ],
    )
    assert [c.id for c in reader.search("eva kranz").contacts] == ["3", "1", "2", "4"]
    reader.set_recent(["+4989222222"])  # normalised, as Directory.set_recent passes them
    ranked = [c.id for c in reader.search("eva kranz").contacts]
    assert set(ranked[:2]) == {"2", "3"} and ranked[2:] == ["1", "4"]


def test_several_words_narrow_and_each_word_matches_as_a_prefix(tmp_path: Path) -> None:
    reader = _index(
        tmp_path,
        [
            Contact("1", "Björn Weiß", ContactSource.GLOBAL, organisation="Acme Corp."),
            Contact("2", "Björn Haß", ContactSource.GLOBAL, email="bjoern@initech.de"),
        ],
    )
    assert {c.id for c in reader.search("bjo").contacts} == {"1", "2"}
    assert [c.id for c in reader.search("bjoern ac").contacts] == ["1"]
    assert [c.id for c in reader.search("initech").contacts] == ["2"]
    assert reader.search("bjoern zzz").contacts == ()


def test_digits_find_a_number_however_it_is_written(tmp_path: Path) -> None:
    reader = _index(
        tmp_path,
        [
            _contact("1", "Groß", ContactSource.GLOBAL, "089/1234 56"),
            _contact("2", "Other", ContactSource.GLOBAL, "+1 415 555 0171"),
        ],
    )
    for typed in ("0891234", "+49891234", "891234", "0049 89 1234", "3456"):
        assert [c.id for c in reader.search(typed).contacts] == ["1"], typed
    assert reader.lookup("+4989123456") is not None
    assert reader.lookup("+498912345") is None


_NAMES = ["Anna Müller", "Müller", "Müller Bau", "Hans Mueller", "Mara Huber", "Max", "Ma Li"]


def _expected(contacts: list[Contact], typed: str, recent: set[str]) -> list[str]:
    """The rank the rules give, by brute force: exact, prefix, rest; colleagues, recent."""
    words = fold_words(typed)
    name = " ".join(words)
    matching = [
        c for c in contacts if all(any(w.startswith(q) for w in fold_words(c.name)) for q in words)
    ]

    def rank(c: Contact) -> tuple[int, bool, str, bool]:
        key = " ".join(fold_words(c.name))
        tier = 0 if key == name else 1 if key.startswith(name) else 2
        colleague = c.source is ContactSource.USER
        return tier, not (colleague or c.id in recent), key, not colleague

    # Stable: the order they came in among the same names (a colleague before a recent).
    return [c.id for c in sorted(matching, key=rank)]


@given(
    st.lists(
        st.tuples(st.sampled_from(_NAMES), st.sampled_from(list(ContactSource))),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from(["m", "mu", "muller", "ma", "ma li", "anna m", "huber", "max"]),
    st.sampled_from([20, 3]),
)
def test_the_search_pages_through_the_rank_the_rules_give(
    tmp_path_factory: pytest.TempPathFactory,
    drawn: list[tuple[str, ContactSource]],
    typed: str,
    limit: int,
) -> None:
    # Each search reads only as many rows as it shows: its pages must still be the rank.
    contacts = [
        _contact(str(i), name, source, f"089 {100000 + i}")
        for i, (name, source) in enumerate(drawn)
    ]
    reader = _index(tmp_path_factory.mktemp("index"), contacts)
    reader.set_recent(["+4989100001"])  # contact "1", if there is one
    expected = _expected(contacts, typed, {"1"})
    shown: list[str] = []
    for offset in range(0, len(contacts) + limit, limit):
        result = reader.search(typed, limit=limit, offset=offset)
        shown += [c.id for c in result.contacts]
        assert result.total >= offset + len(result.contacts)
    assert shown == expected


def test_private_contacts_of_a_re_sync_take_their_place_in_the_rank(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    builder = store.Builder(path, "DE")
    builder.add(
        [
            _contact(str(i), f"Meier {name}", ContactSource.GLOBAL)
            for i, name in enumerate(["Anton", "Berta", "Dora", "Emil"])
        ]
    )
    builder.finish({"synced_at": "2025-01-01T00:00:00+00:00"})
    private = [
        _contact(f"p{i}", f"Meier {name}", ContactSource.PRIVATE)
        for i, name in enumerate(["Cäsar", "Zeta", "Aaron", "Bert", "Bertram"])
    ]
    store.replace_private_contacts(path, private, "DE")
    store.replace_private_contacts(path, private[:4], "DE")  # again: the old ones go
    names = [c.name for c in store.Reader(path).search("meier").contacts]
    assert names == [
        f"Meier {n}" for n in ["Aaron", "Anton", "Bert", "Berta", "Cäsar", "Dora", "Emil", "Zeta"]
    ]


@given(
    st.builds(
        Contact,
        id=st.text(max_size=3),
        name=st.text(max_size=8),
        source=st.sampled_from(list(ContactSource)),
        first_name=st.sampled_from(["", "Eva", "Jürgen"]),
        last_name=st.sampled_from(["", "Kranz"]),
        organisation=st.sampled_from(["", "Acme"]),
        email=st.sampled_from(["", "e@x.de"]),
        notes=st.sampled_from(["", "Zentrale"]),
        user_name=st.sampled_from([None, "", "eva"]),
        numbers=st.lists(
            st.builds(ContactNumber, st.sampled_from(list(NumberKind)), st.text(max_size=5)),
            max_size=2,
        ).map(tuple),
    )
)
def test_a_contact_is_kept_as_it_was(contact: Contact) -> None:
    assert store.contact_from_json(store.contact_json(contact)) == contact

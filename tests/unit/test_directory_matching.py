"""Folding, transliteration, digit forms and ranking of the local directory index."""

from __future__ import annotations

import string
from pathlib import Path

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

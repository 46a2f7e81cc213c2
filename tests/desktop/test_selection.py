"""Selected text on a real X server (Xvfb): PRIMARY, the clipboard left alone, xclip.

``xclip`` plays the application that holds the selection; the Qt side runs in its own
process on the xcb platform (see ``x11_session``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from companion.desktop import selection
from companion.desktop.selection import (
    NO_SELECTION_MESSAGE,
    SelectionError,
    dial_selection_text,
    number_from_selection,
)
from companion.numbers import NumberError
from tests.desktop.x11_session import own_selection, read_selection, run_scenario, xvfb

NUMBER = "+49 (0)89 1234-56"


@pytest.fixture
def x_display() -> Iterator[str]:
    """A fresh X server per test: no selection left over from another test."""
    with xvfb() as name:
        yield name


def test_selected_text_reads_primary_and_leaves_the_clipboard_alone(x_display: str) -> None:
    with (
        own_selection(x_display, "clipboard", "keep me"),
        own_selection(x_display, "primary", NUMBER),
    ):
        result = run_scenario(x_display, "selected_text")
        assert result["supports_selection"] is True
        assert result["text"] == NUMBER
        assert result["number"] == "+4989123456"
        assert result["clipboard_after"] == "keep me"
        assert result["owns_clipboard"] is False  # Companion never took the clipboard
        assert result["owns_selection"] is False
        assert read_selection(x_display, "clipboard") == "keep me"
        assert read_selection(x_display, "primary") == NUMBER


def test_selected_text_falls_back_to_the_clipboard_when_nothing_is_selected(
    x_display: str,
) -> None:
    with own_selection(x_display, "clipboard", "Tel. 089 1234-56"):
        result = run_scenario(x_display, "selected_text")
    assert result["text"] == "Tel. 089 1234-56"
    assert result["number"] == "+4989123456"
    assert result["owns_clipboard"] is False


def test_selected_text_is_empty_when_there_is_nothing(x_display: str) -> None:
    result = run_scenario(x_display, "selected_text")
    assert result["text"] == ""
    assert result["number"] is None


def test_copy_selection_restores_the_users_clipboard(x_display: str) -> None:
    with own_selection(x_display, "clipboard", "keep me"):
        result = run_scenario(x_display, "copy_selection", NUMBER)
    assert result["copied"] == NUMBER
    # The original owner is gone (xclip killed); Companion serves the restored content.
    assert result["clipboard_seen_by_others"] == "keep me"


def test_copy_selection_touches_nothing_when_the_application_copies_nothing(
    x_display: str,
) -> None:
    with own_selection(x_display, "clipboard", "keep me"):
        result = run_scenario(x_display, "copy_selection", "")
        assert result["copied"] is None
        assert result["clipboard_seen_by_others"] == "keep me"
        assert read_selection(x_display, "clipboard") == "keep me"


def test_dial_selection_text_reads_primary_with_xclip(
    x_display: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    text = "Telefon (Büro): +49 89 123456 \u2013 gern auch mobil"
    with (
        own_selection(x_display, "clipboard", "keep me"),
        own_selection(x_display, "primary", text),
    ):
        assert dial_selection_text() == text
        assert read_selection(x_display, "clipboard") == "keep me"
    assert number_from_selection(text, "DE").destination == "+4989123456"


def test_dial_selection_text_falls_back_to_the_clipboard_with_xclip(
    x_display: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with own_selection(x_display, "clipboard", "221"):
        assert dial_selection_text() == "221"
    assert dial_selection_text() == ""  # nothing anywhere


def test_dial_selection_text_without_xclip_reads_through_qt(
    x_display: str, tmp_path: object
) -> None:
    with own_selection(x_display, "primary", NUMBER):
        # An empty PATH: no xclip, no wl-paste.
        result = run_scenario(x_display, "dial_selection_text", env={"PATH": str(tmp_path)})
    assert result == {"text": NUMBER, "started_qt": True}


def test_dial_selection_text_with_xclip_starts_no_qt(x_display: str) -> None:
    with own_selection(x_display, "primary", NUMBER):
        result = run_scenario(x_display, "dial_selection_text")
    assert result == {"text": NUMBER, "started_qt": False}


def test_dial_selection_text_without_a_desktop_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(selection.sys, "platform", "linux")
    with pytest.raises(SelectionError, match="No desktop session"):
        dial_selection_text()


def test_no_selection_is_a_clear_number_error() -> None:
    for empty in ("", "  \n\t"):
        with pytest.raises(NumberError) as caught:
            number_from_selection(empty, "DE")
        assert str(caught.value) == NO_SELECTION_MESSAGE


def test_a_selection_without_a_number_says_so() -> None:
    with pytest.raises(NumberError, match="No phone number found"):
        number_from_selection("see you at the meeting tomorrow", "DE")


def test_a_number_inside_a_sentence_is_found() -> None:
    found = number_from_selection("Call me at +49 (0)89 1234-56 after lunch", "DE")
    assert found.destination == "+4989123456"

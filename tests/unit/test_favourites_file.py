"""Favourites in settings.toml: written in order, read back, a wrong one moved aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion import config
from companion.favourites import Favourite, moved, of_number, pinned, unpinned


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path))


TINA = Favourite("user", "2", 'Tina "T" Sander', "221", "tsander")
PIZZA = of_number("+49 89 1234567", "Pizza")


def test_favourites_are_written_in_order_and_read_back() -> None:
    config.save(config.Settings(favourites=(TINA, PIZZA)))
    text = config.settings_path().read_text("utf-8")
    assert text.index('name = "Tina \\"T\\" Sander"') < text.index('name = "Pizza"')
    assert text.count("[[favourites]]") == 2 and 'source = ""' not in text
    assert config.load() == config.Loaded(config.Settings(favourites=(TINA, PIZZA)))


def test_a_wrong_favourite_moves_the_file_aside_and_keeps_the_rest() -> None:
    config.settings_path().write_text(
        '[pbx]\nuser = "jdoe"\n\n[[favourites]]\nsource = "friends"\nid = "1"\n', "utf-8"
    )
    loaded = config.load()
    assert loaded.settings.user == "jdoe" and loaded.settings.favourites == ()
    assert loaded.warning is not None and "source must be user, private, global" in loaded.warning


def test_pin_unpin_move() -> None:
    both = pinned(pinned((), TINA), PIZZA)
    assert pinned(both, TINA) == both  # once only
    assert moved(both, PIZZA.key, -1) == (PIZZA, TINA)
    assert moved(both, PIZZA.key, 5) == both  # kept in bounds
    assert unpinned(both, TINA.key) == (PIZZA,)

"""Favourites: pinned in the dial window, kept in settings.toml, first when the search is
empty, listed in the tray menu; against the demo PBX over a real socket."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from companion import config
from companion.controller import Controller
from companion.directory import Directory
from companion.favourites import Favourite
from companion.pbx.models import Presence
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui.dial_window import DialWindow, RowKind
from companion.ui.tray_menu import TrayMenu
from companion.ui.tray_window import FallbackWindow
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until
from tests.ui.dialing import follow, key, search, settled

SHOTS = Path(os.environ.get("COMPANION_SHOTS", "/tmp/shots-favourites"))


def save_favourites(favourites: tuple[Favourite, ...]) -> None:
    """As the app keeps them: in the settings file."""
    config.save(dataclasses.replace(config.load().settings, favourites=favourites))


def kept() -> list[dict[str, str]]:
    """The favourites as settings.toml holds them."""
    data = tomllib.loads(config.settings_path().read_text("utf-8"))
    return list(data.get("favourites", []))


@pytest.fixture
def local(
    loop: qasync.QEventLoop, sim: Simulator, tmp_path: Path, config_dir: Path
) -> Iterator[Controller]:
    """A controller with a synced local directory that keeps its favourites in the file."""
    index = Directory(tmp_path / "cache" / "directory", sim.base_url, USER, "DE")
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    ctl = Controller(
        pbx,
        region="DE",
        poll_interval=3600,
        directory=index,
        favourites=config.load().settings.favourites,
        save_favourites=save_favourites,
    )
    run(loop, ctl.refresh())
    assert ctl.directory is not None
    ctl.directory.sync_now()
    run(loop, ctl.directory.wait())
    yield ctl
    run(loop, ctl.stop())


@pytest.fixture
def dial(loop: qasync.QEventLoop, local: Controller, qtbot: QtBot) -> DialWindow:
    window = DialWindow(local)
    qtbot.addWidget(window)
    window.show_and_focus()
    until(loop, lambda: settled(window) and window.model.rowCount() > 0)
    return window


def pin(loop: qasync.QEventLoop, window: DialWindow, text: str, title: str) -> None:
    rows = search(loop, window, text)
    index = next(n for n, row in enumerate(rows) if row.title == title)
    window.results.setCurrentIndex(window.model.index(index, 0))
    key(window, "Ctrl+P")
    assert window.message == f"Pinned {title} to your favourites."


def empty(loop: qasync.QEventLoop, window: DialWindow) -> list[str]:
    window.search.clear()
    until(loop, lambda: settled(window))
    return [row.title for row in window.model.rows]


def test_pin_reorder_unpin_are_kept_in_the_settings_file(
    loop: qasync.QEventLoop, dial: DialWindow, local: Controller
) -> None:
    pin(loop, dial, "Tina", "Tina Sander")
    assert [f["name"] for f in kept()] == ["Tina Sander"]
    assert kept()[0]["source"] == "user" and kept()[0]["user_name"] == "tsander"
    assert kept()[0]["number"] == "221" and kept()[0]["id"]
    # the pinned row has the pin mark in search results too
    [tina] = [row for row in dial.model.rows if row.title == "Tina Sander"]
    assert tina.favourite is not None
    pin(loop, dial, "Anna Meyer", "Anna Meyer")

    titles = empty(loop, dial)
    assert titles[:2] == ["Tina Sander", "Anna Meyer"]
    assert dial.caption.text() == "Favourites and recent calls"
    assert dial.results.currentIndex().row() == 0
    key(dial, "Ctrl+Down")  # Tina moves down, and stays chosen
    assert [row.title for row in dial.model.rows[:2]] == ["Anna Meyer", "Tina Sander"]
    assert dial.current_row() is not None and dial.current_row().title == "Tina Sander"  # type: ignore[union-attr]
    assert [f["name"] for f in kept()] == ["Anna Meyer", "Tina Sander"]
    key(dial, "Ctrl+Up")
    assert [f["name"] for f in kept()] == ["Tina Sander", "Anna Meyer"]

    key(dial, "Ctrl+P")  # Tina is chosen: unpinned
    assert dial.message == "Removed Tina Sander from your favourites."
    assert [f["name"] for f in kept()] == ["Anna Meyer"]
    assert dial.model.rows[0].title == "Anna Meyer" and dial.model.rows[0].favourite
    assert all(row.favourite is None for row in dial.model.rows[1:])
    # a new start reads them back
    assert config.load().settings.favourites == tuple(local.favourites)


def test_empty_search_shows_favourites_with_presence_then_recent_calls_and_enter_dials(
    loop: qasync.QEventLoop, dial: DialWindow, local: Controller, sim: Simulator
) -> None:
    history = [row for row in dial.model.rows if row.kind is RowKind.HISTORY]
    first_caller = history[0]
    pin(loop, dial, "Tina", "Tina Sander")
    # a recent caller pinned from the recent calls leaves them
    empty(loop, dial)
    index = next(n for n, r in enumerate(dial.model.rows) if r.record == first_caller.record)
    dial.results.setCurrentIndex(dial.model.index(index, 0))
    key(dial, "Ctrl+P")
    rows = dial.model.rows
    assert [r.favourite is not None for r in rows[:2]] == [True, True]
    assert rows[1].title == first_caller.title
    assert rows[0].presence is Presence.OFFLINE  # Tina, a colleague
    shown = [t.number for r in rows[2:] for t in r.targets]
    assert first_caller.targets[0].number not in shown and "221" not in shown
    assert all(r.kind is RowKind.HISTORY for r in rows[2:]) and rows[2:]

    dial.hide()
    dial.show_and_focus()
    until(loop, lambda: settled(dial))
    assert dial.results.currentIndex().row() == 0
    key(dial, "Enter")  # open the window, Enter: the top favourite
    follow(loop, dial, lambda: dial.call_active)
    assert sim.state.actions[-1].destination == "221"


def test_a_renamed_contact_shows_its_new_name_after_a_sync(
    loop: qasync.QEventLoop, sim: Simulator, tmp_path: Path, config_dir: Path
) -> None:
    # kept under an old name and an old number: the entry's id finds it again
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    ctl = Controller(pbx, region="DE")
    result, _ = run(loop, ctl.search("Tina Sander"))
    tina = next(c for c in result.contacts if c.name == "Tina Sander")
    run(loop, ctl.stop())
    save_favourites((Favourite("user", tina.id, "Tina Old-Name", "999", "tsander"),))
    index = Directory(tmp_path / "cache" / "directory", sim.base_url, USER, "DE")
    ctl = Controller(
        PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER),
        region="DE",
        directory=index,
        favourites=config.load().settings.favourites,
        save_favourites=save_favourites,
    )
    try:
        assert ctl.directory is not None
        ctl.directory.sync_now()
        run(loop, ctl.directory.wait())
        until(loop, lambda: ctl.favourites[0].name == "Tina Sander")
        assert ctl.favourites[0].number == "221"
        assert kept()[0]["name"] == "Tina Sander"
        assert [n.number for n in ctl.favourites.contact(ctl.favourites[0]).dialable] == [
            "221",
            "+49 160 5550221",
        ]
    finally:
        run(loop, ctl.stop())


def test_the_tray_menu_lists_the_favourites_and_each_dials(
    loop: qasync.QEventLoop, local: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    local.favourites.pin(Favourite("user", "x-tina", "Tina Sander", "221", "tsander"))
    local.favourites.pin(Favourite("", "", "Pizza", "+49 89 1234567"))
    menu = TrayMenu()
    menu.set_controller(local)
    run(loop, local.favourites.load_presence())
    texts = [a.text() for a in menu.favourites.actions]
    assert texts == ["&1  Tina Sander  ·  221  ·  offline", "&2  Pizza  ·  +49 89 1234567"]
    actions = menu.actions()
    assert actions.index(menu.favourites.actions[0]) == actions.index(menu.dial_action) + 1
    menu.favourites.actions[1].trigger()
    until(loop, lambda: sim.state.actions and sim.state.actions[-1].destination == "+49891234567")
    menu.favourites.actions[0].trigger()
    until(loop, lambda: sim.state.actions[-1].destination == "221")

    window = FallbackWindow(menu)
    qtbot.addWidget(window)
    window.favourites_menu.aboutToShow.emit()
    assert window.favourites_menu.actions() == menu.favourites.actions
    SHOTS.mkdir(parents=True, exist_ok=True)
    menu.popup(menu.pos())
    until(loop, lambda: menu.isVisible())
    assert menu.grab().save(str(SHOTS / "tray-menu.png"))
    menu.hide()
    menu.set_controller(None)


def test_the_windows_favourites_ask_for_presence_and_keep_up_while_open(
    loop: qasync.QEventLoop, local: Controller, qtbot: QtBot
) -> None:
    # Without a tray the window's Favourites button is the way to them: opening it asks
    # for presence as the tray menu does, and a change while it is open shows in it.
    local.favourites.pin(Favourite("user", "x-tina", "Tina Sander", "221", "tsander"))
    menu = TrayMenu()
    menu.set_controller(local)
    window = FallbackWindow(menu)
    qtbot.addWidget(window)
    window.show()
    assert [a.text() for a in menu.favourites.actions] == ["&1  Tina Sander  ·  221"]
    listed = window.favourites_menu
    listed.popup(window.favourites_button.mapToGlobal(window.favourites_button.rect().bottomLeft()))
    offline = ["&1  Tina Sander  ·  221  ·  offline"]
    until(loop, lambda: [a.text() for a in listed.actions()] == offline)
    assert listed.isVisible()
    local.favourites_changed.emit()  # any change makes the menu's actions anew
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the old ones go
    assert [a.text() for a in listed.actions()] == offline and listed.isVisible()
    assert listed.actions() == menu.favourites.actions
    listed.hide()
    menu.set_controller(None)


def test_screenshot_of_the_dial_window_with_favourites(
    loop: qasync.QEventLoop, dial: DialWindow
) -> None:
    pin(loop, dial, "Tina", "Tina Sander")
    pin(loop, dial, "Demo", "Anna Meyer")
    empty(loop, dial)
    until(loop, lambda: settled(dial))
    dial.hide_message()
    until(loop, lambda: dial.results.y() < 80)  # laid out again without the message bar
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dial.grab().save(str(SHOTS / "dial-favourites.png"))
    assert dial.model.rows[1].presence is Presence.AVAILABLE  # Anna Meyer

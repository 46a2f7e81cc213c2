"""The GUI on the local directory index: the dial window searching it on each keystroke,
saying while it is built or why it asks the PBX, caller names from it without a request,
and the private contacts re-read after a change. Real widgets, demo PBX over a socket."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from companion.app import Companion
from companion.config import Settings
from companion.controller import Controller
from companion.directory import Directory, open_directory, syncing
from companion.pbx.models import ContactDetails, ContactSource
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui.contact_dialog import ContactDialog
from companion.ui.dial_window import DialWindow
from companion.ui.tray import Shell
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until
from tests.ui.dialing import search, settled, titles, type_text
from tests.ui.test_app import logged_in, refreshed
from tests.ui.test_live_tray import CALLER, JOSEF, close_shell, the_popup
from tests.ui.test_tray import Messages


def shot(widget: DialWindow, tmp_path: Path, name: str) -> None:
    target = Path(os.environ.get("COMPANION_SHOTS", tmp_path)) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(target))


@pytest.fixture
def index(tmp_path: Path, sim: Simulator) -> Directory:
    return Directory(tmp_path / "cache" / "directory", sim.base_url, USER, "DE")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 50: the demo PBX's 337 entries take several requests, so progress shows."""
    monkeypatch.setattr(syncing, "PAGE_SIZE", 50)


@pytest.fixture
def local(loop: qasync.QEventLoop, sim: Simulator, index: Directory) -> Iterator[Controller]:
    """A controller with a local directory (not synced yet)."""
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    ctl = Controller(pbx, region="DE", poll_interval=3600, directory=index)
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())


def synced(loop: qasync.QEventLoop, controller: Controller) -> None:
    assert controller.directory is not None
    controller.directory.sync_now()
    run(loop, controller.directory.wait())
    assert controller.directory.searchable and not controller.directory.error


@pytest.fixture
def dial(loop: qasync.QEventLoop, local: Controller, qtbot: QtBot) -> DialWindow:
    window = DialWindow(local)
    qtbot.addWidget(window)
    window.show_and_focus()
    until(loop, lambda: settled(window))
    return window


# -- the dial window -----------------------------------------------------------------------


def test_typed_mueller_finds_the_muellers_from_the_index_while_the_pbx_fails(
    loop: qasync.QEventLoop, local: Controller, dial: DialWindow, sim: Simulator, tmp_path: Path
) -> None:
    synced(loop, local)
    sim.misbehave("error500")  # every request fails: only the index can answer
    dial.search.selectAll()
    type_text(dial.search, "mueller")
    # answered in the keystroke itself: no debounce, no request, nothing to wait for
    assert settled(dial) and not dial.finder.debounce.isActive()
    names = titles(dial)
    assert names and all("Müller" in n or "Mueller" in n for n in names)
    assert len(names) > 1  # the PBX's substring search found 1 of them
    assert dial.message == "" and dial.directory_note.isHidden()
    type_text(dial.search, " b")  # a second word narrows it down, again at once
    assert settled(dial) and titles(dial) == ["Müller & Söhne KG - Björn Müller"]
    until(loop, lambda: not dial.controller._tasks)  # the presence request failed quietly
    assert dial.message == ""
    shot(dial, tmp_path, "dial-from-the-index.png")


def test_while_the_first_index_is_built_the_window_says_so_and_asks_the_pbx(
    loop: qasync.QEventLoop,
    local: Controller,
    dial: DialWindow,
    sim: Simulator,
    small_pages: None,
    tmp_path: Path,
) -> None:
    assert local.directory is not None
    sim.misbehave("slow", delay=0.3, path="phonebook")  # the listing (and the PBX search), slowly
    local.directory.sync_now()
    until(loop, lambda: "of 337 entries" in dial.directory_note.text())
    note = dial.directory_note.text()
    assert note.startswith("Building the local directory: ") and "searching the PBX" in note
    assert dial.directory_note.isVisible()
    rows = search(loop, dial, "Tina")  # from the PBX meanwhile, after the debounce
    assert "Tina Sander" in [row.title for row in rows]
    shot(dial, tmp_path, "dial-while-building.png")
    sim.behave()
    run(loop, local.directory.wait())
    until(loop, lambda: dial.directory_note.isHidden())
    type_text(dial.search, "x")
    dial.search.backspace()
    assert settled(dial) and "Tina Sander" in titles(dial)  # now from the index, at once
    shot(dial, tmp_path, "dial-built.png")


def test_a_refused_listing_is_said_and_search_asks_the_pbx(
    loop: qasync.QEventLoop, local: Controller, dial: DialWindow, sim: Simulator
) -> None:
    assert local.directory is not None
    sim.misbehave("forbidden", path="phonebook")
    local.directory.sync_now()
    run(loop, local.directory.wait())
    sim.behave()
    assert not local.directory.searchable
    until(loop, lambda: dial.directory_note.isVisible())
    assert dial.directory_note.text().startswith(
        "Searching the PBX: The PBX does not allow reading the whole phonebook"
    )
    dial.search.selectAll()
    type_text(dial.search, "Tina")
    assert dial.finder.debounce.isActive()  # the PBX is asked after a pause in the typing
    until(loop, lambda: settled(dial))
    assert "Tina Sander" in titles(dial)


def test_a_failed_update_keeps_the_index_and_is_said_once(
    loop: qasync.QEventLoop, local: Controller, dial: DialWindow, sim: Simulator
) -> None:
    synced(loop, local)
    assert local.directory is not None
    failures: list[str] = []
    local.failed.connect(failures.append)
    sim.misbehave("error500", path="phonebook")
    for _ in range(2):
        local.directory.sync_now()
        run(loop, local.directory.wait())
    assert len(failures) == 1 and failures[0].startswith(
        "The local directory could not be updated: "
    )
    assert local.directory.searchable  # the old index still answers
    until(loop, lambda: dial.directory_note.isVisible())
    assert "it shows the entries of" in dial.directory_note.text()
    rows = search(loop, dial, "Tina")
    assert "Tina Sander" in [row.title for row in rows]
    sim.behave()
    synced(loop, local)
    until(loop, lambda: dial.directory_note.isHidden())


def test_stopping_during_a_sync_keeps_the_old_index(
    loop: qasync.QEventLoop, local: Controller, sim: Simulator, small_pages: None
) -> None:
    synced(loop, local)
    assert local.directory is not None
    before = local.directory.directory.status()
    sim.misbehave("slow", delay=0.05, path="phonebook")
    local.directory.sync_now()
    until(loop, lambda: (local.directory.progress or (0, 0))[0] >= 100)  # type: ignore[union-attr]
    local.directory.stop()
    run(loop, local.directory.wait())
    assert local.directory.directory.status() == before
    assert [p.suffix for p in local.directory.directory.root.iterdir()] == [".sqlite3"]


# -- caller names ----------------------------------------------------------------------------


def test_caller_names_come_from_the_index_without_a_request(
    loop: qasync.QEventLoop, local: Controller, sim: Simulator
) -> None:
    synced(loop, local)
    sim.misbehave("error500")
    contact = run(loop, local.contact_for("089 5554321"))
    assert contact is not None and contact.name == JOSEF
    assert run(loop, local.contact_for("+4930987654")) is None  # known to be no one's


def test_the_incoming_call_popup_names_the_caller_from_the_index(
    loop: qasync.QEventLoop, sim: Simulator, index: Directory
) -> None:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    controller = Controller(
        pbx, region="DE", poll_interval=3600, live_interval=0.2, directory=index
    )
    synced(loop, controller)
    shell = Shell(tray_available=lambda: True)
    assert shell.tray is not None
    shell.tray.showMessage = Messages()  # type: ignore[method-assign]
    shell.set_controller(controller, Settings())
    controller.start()
    try:
        until(loop, lambda: controller.reachable is True)
        sim.misbehave("error500", path="phonebook")  # the PBX's search can't name anyone
        sim.ring(CALLER, USER, ring_s=30)
        until(loop, lambda: the_popup(shell) is not None, timeout=3)
        popup = the_popup(shell)
        assert popup is not None
        until(loop, lambda: popup.name_label.text() == JOSEF)
    finally:
        sim.behave()
        close_shell(loop, shell)


def test_the_history_ranks_recent_callers_first(loop: qasync.QEventLoop, local: Controller) -> None:
    synced(loop, local)
    assert local.directory is not None
    run(loop, local.load_history(10))  # as the dial window and the tray menu load it
    assert CALLER in [record.number for record in local.history]  # Josef Huber called
    found = local.search_local("huber", 50)
    assert found is not None and found.contacts[0].name == JOSEF
    local.directory.set_recent([])  # without the history: by name ("Elektro Fuß..." first)
    again = local.search_local("huber", 50)
    assert again is not None and again.contacts[0].name != JOSEF


# -- private contacts ------------------------------------------------------------------------


def test_a_saved_and_an_edited_contact_are_in_the_index_at_once(
    loop: qasync.QEventLoop, local: Controller, qtbot: QtBot
) -> None:
    synced(loop, local)
    assert local.directory is not None
    dialog = ContactDialog(local, ContactDetails(phone="089 5550177"), None)
    qtbot.addWidget(dialog)
    dialog.open()
    type_text(dialog.first_name, "Zacharias")
    type_text(dialog.last_name, "Neuhaus")
    saved: list[object] = []
    dialog.saved.connect(saved.append)
    dialog.save_button.click()
    until(loop, lambda: bool(saved))
    run(loop, local.directory.wait())
    found = local.search_local("zach", 10)
    assert found is not None and [c.name for c in found.contacts] == ["Zacharias Neuhaus"]
    contact = found.contacts[0]
    assert contact.source is ContactSource.PRIVATE
    assert local.directory.lookup("+49 89 5550177") == contact

    run(
        loop,
        local.save_contact(
            ContactDetails(name="Zacharias Altmann", phone="089 5550177"), contact.id
        ),
    )
    run(loop, local.directory.wait())
    renamed = local.search_local("zacharias", 10)
    assert renamed is not None and [c.name for c in renamed.contacts] == ["Zacharias Altmann"]
    run(loop, local.delete_contact(contact.id))
    run(loop, local.directory.wait())
    gone = local.search_local("zacharias", 10)
    assert gone is not None and gone.contacts == ()


# -- the app ---------------------------------------------------------------------------------


def test_the_app_builds_the_index_and_a_changed_user_deletes_it(
    loop: qasync.QEventLoop, app: Companion, sim: Simulator
) -> None:
    logged_in(sim)
    app.launch()
    until(loop, lambda: refreshed(app))
    controller = app.controller
    assert controller is not None and controller.directory is not None
    until(loop, lambda: controller.directory is not None and controller.directory.searchable)
    path = controller.directory.directory.path
    assert path.exists() and path == open_directory(app.settings).path
    action = app.shell.menu.directory_action
    assert action.isVisible() and action.isEnabled()
    action.trigger()  # on demand
    assert controller.directory.syncing and not action.isEnabled()
    run(loop, controller.directory.wait())
    until(loop, lambda: action.isEnabled())

    app.shell.menu.settings_action.trigger()
    dialog = app.settings_dialog
    assert dialog is not None
    dialog.user_edit.setText("tsander")
    dialog.save_button.click()
    until(loop, lambda: app.controller is not None and app.controller is not controller)
    assert not path.exists()  # the old user's company data is gone


def test_recent_calls_without_a_name_from_the_pbx_are_named_from_the_index(
    loop: qasync.QEventLoop, local: Controller, qtbot: QtBot
) -> None:
    stranger = "+441619460958"  # in the history with no name, in no phonebook
    run(loop, local.pbx.create_contact(ContactDetails(name="Oliver Twist", phone=stranger)))
    synced(loop, local)
    window = DialWindow(local)
    qtbot.addWidget(window)
    window.show_and_focus()
    until(loop, lambda: settled(window) and window.model.rowCount() > 0)
    [row] = [r for r in window.model.rows if r.record is not None and r.record.number == stranger]
    assert row.record is not None and row.record.name == ""  # the PBX names no one
    assert row.title == "Oliver Twist"
    assert "+44 161 946 0958" in row.detail

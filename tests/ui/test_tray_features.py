"""One feature refused by the PBX (faxes, 403) leaves the rest of the tray working; the
menu, the tooltip and the inbox say why, and a feature the backend lacks is hidden."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync

from companion.controller import Controller
from companion.pbx.features import Availability, Feature
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from companion.ui.inbox_window import InboxWindow
from companion.ui.tray import Shell
from companion.ui.tray_menu import TrayMenu
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.ui.conftest import run, until
from tests.ui.test_tray import answer_switch_question, dispose, dispose_shell, plain


@pytest.fixture
def no_faxes(loop: qasync.QEventLoop, sim: Simulator) -> Iterator[Controller]:
    """A controller whose first poll met a PBX that refuses faxes to this REST user."""
    sim.misbehave("forbidden", path="faxserver")
    ctl = Controller(PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER), region="DE")
    run(loop, ctl.refresh())
    yield ctl
    run(loop, ctl.stop())


@pytest.fixture
def menu(no_faxes: Controller) -> Iterator[TrayMenu]:
    tray_menu = TrayMenu()
    tray_menu.set_controller(no_faxes)
    yield tray_menu
    tray_menu.set_controller(None)
    dispose(tray_menu)


def test_forbidden_faxes_disable_only_the_faxes_item_and_say_why(
    loop: qasync.QEventLoop, menu: TrayMenu, no_faxes: Controller, sim: Simulator
) -> None:
    assert no_faxes.reachable is True
    assert no_faxes.feature_state(Feature.FAX).availability is Availability.UNAVAILABLE
    assert not menu.fax_action.isEnabled()
    assert plain(menu.fax_action) == "Faxes — not allowed for this REST user"
    assert "does not allow this REST user to read faxes (403)" in menu.fax_action.toolTip()
    assert plain(menu.status_action).startswith("Connected as Max Mustermann (101)")

    # The rest works as ever, each change read back from the PBX.
    assert menu.voicemail_action.isEnabled()
    menu.presence.actions()["14"].trigger()
    until(loop, lambda: menu.presence.actions()["14"].isChecked())
    assert sim.state.users[USER].active_profile == 14
    menu.redirect.toggle.trigger()
    until(loop, lambda: menu.redirect.toggle.isChecked())
    assert sim.state.redirects["101"].target == "+4989998877"
    lunch = menu.switches.actions()["505"]
    before = sim.state.switches["505"].state
    lunch.trigger()
    answer_switch_question(loop, menu, "Turn off" if before else "Turn on")
    until(loop, lambda: lunch.isChecked() is not before and lunch.isEnabled())
    assert sim.state.switches["505"].state is not before
    assert not menu.fax_action.isEnabled()

    # Allowed again: the next poll brings faxes back, without a restart.
    sim.behave()
    run(loop, no_faxes.refresh())
    assert menu.fax_action.isEnabled() and plain(menu.fax_action) == "Faxes"
    assert "403" not in menu.fax_action.toolTip()
    assert len(no_faxes.received_faxes) == 2


def test_the_tooltip_names_the_broken_feature_but_not_the_pbx_unreachable(
    no_faxes: Controller,
) -> None:
    shell = Shell(tray_available=lambda: True)
    try:
        shell.set_controller(no_faxes)
        tooltip = shell.status.tooltip_for("Companion")
        assert "connected as Max Mustermann (101)" in tooltip
        assert "faxes not allowed for this REST user" in tooltip
        assert "not connected" not in tooltip
    finally:
        dispose_shell(shell)


def test_the_inbox_shows_why_in_place_of_the_fax_list(
    loop: qasync.QEventLoop, no_faxes: Controller, sim: Simulator
) -> None:
    window = InboxWindow(no_faxes)
    try:
        assert window.fax.fax_stack.currentWidget() is window.fax.fax_unavailable
        assert "does not allow this REST user to read faxes" in window.fax.fax_unavailable.text()
        assert window.voicemail.voicemail_stack.currentWidget() is window.voicemail.voicemail_view
        sim.behave()
        run(loop, no_faxes.refresh())
        assert window.fax.fax_stack.currentWidget() is window.fax.fax_lists
        assert window.fax.received_model.rowCount() == 2
    finally:
        window.close()
        dispose(window)


def test_a_backend_without_fax_shows_no_fax_at_all(
    loop: qasync.QEventLoop, sim: Simulator
) -> None:
    pbx = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    pbx.capabilities = frozenset(Feature) - {Feature.FAX}  # as innovaphone will offer
    ctl = Controller(pbx, region="DE")
    run(loop, ctl.refresh())
    menu = TrayMenu()
    window = InboxWindow(ctl)
    try:
        menu.set_controller(ctl)
        assert not menu.fax_action.isVisible()
        assert menu.voicemail_action.isVisible() and menu.voicemail_action.isEnabled()
        assert not window.tabs.isTabVisible(1) and window.tabs.isTabVisible(0)
    finally:
        menu.set_controller(None)
        window.close()
        dispose(menu, window)
        run(loop, ctl.stop())

"""The desktop glue in the running app: links ask first, wait for the PBX, macOS events."""

from __future__ import annotations

import dataclasses

import qasync
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from companion import config
from companion.app import Companion
from companion.desktop.integration import DesktopIntegration
from companion.simulator import Simulator
from tests.ui.conftest import until
from tests.ui.test_app import logged_in


def _connected(companion: Companion) -> bool:
    return companion.controller is not None and companion.controller.reachable is True


def test_a_link_before_the_connection_waits_then_asks(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
) -> None:
    logged_in(sim)
    desktop = DesktopIntegration(app)
    desktop.open_link("tel:+49-89-123456")  # arrives while nothing is connected yet
    app.launch()
    until(loop, lambda: desktop.prompts)
    prompt = desktop.prompts[0]
    assert prompt.number_label.text() == "+49 89 123456"
    assert sim.state.actions == []  # asked, not dialled
    until(loop, prompt.dial_button.isEnabled)
    prompt.dial_button.click()
    until(loop, lambda: sim.state.actions and sim.state.actions[-1].destination == "+4989123456")
    until(loop, lambda: not desktop.prompts)
    desktop.close()


def test_without_confirmation_a_link_dials_at_once(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
) -> None:
    logged_in(sim)
    settings = config.load().settings
    config.save(dataclasses.replace(settings, confirm_links=False))
    desktop = DesktopIntegration(app)
    app.launch()
    until(loop, lambda: _connected(app))
    desktop.handle_message("open callto:221")
    until(loop, lambda: sim.state.actions and sim.state.actions[-1].destination == "221")
    assert desktop.prompts == []
    desktop.close()


def test_a_macos_url_event_is_a_link(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
) -> None:
    logged_in(sim)
    settings = config.load().settings
    config.save(dataclasses.replace(settings, confirm_links=False))
    desktop = DesktopIntegration(app)
    app.launch()
    until(loop, lambda: _connected(app))
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(QUrl("tel:222")))
    until(loop, lambda: sim.state.actions and sim.state.actions[-1].destination == "222")
    desktop.close()


def test_a_malformed_link_is_explained_not_dialled(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
) -> None:
    logged_in(sim)
    desktop = DesktopIntegration(app)
    app.launch()
    until(loop, lambda: _connected(app))
    desktop.open_link("tel:call-me-maybe")
    until(loop, lambda: app.shell.notices)
    notice = app.shell.notices[-1]
    assert notice.error and "call-me-maybe" in notice.text
    assert sim.state.actions == []
    desktop.close()

"""The desktop glue in the running app: links ask first, wait for the PBX, macOS events."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from companion import config
from companion.app import Companion
from companion.desktop.integration import DesktopIntegration
from companion.desktop.single_instance import forward
from companion.simulator import Simulator
from companion.ui.link_prompt import LinkPrompt
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
    desktop = DesktopIntegration(app, url_events=True)  # as on macOS
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


def _visible_prompts() -> list[LinkPrompt]:
    widgets = QApplication.topLevelWidgets()
    return [w for w in widgets if isinstance(w, LinkPrompt) and w.isVisible()]


def _shown_numbers() -> list[str]:
    return [p.number_label.text() for p in _visible_prompts()]


def test_fifty_links_through_the_socket_give_one_prompt_and_a_queue(
    loop: qasync.QEventLoop,
    app: Companion,
    sim: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    logged_in(sim)
    desktop = DesktopIntegration(app)
    assert desktop.listen()
    app.launch()
    until(loop, lambda: _connected(app))
    links = [f"tel:+49-89-1234{i:02d}" for i in range(50)]
    delivered: list[bool] = []

    def click_all() -> None:  # as 50 `companion open` would, one after the other
        for link in links:
            delivered.append(forward(f"open {link}", 5.0))

    threading.Thread(target=click_all, daemon=True).start()
    try:
        until(loop, lambda: len(delivered) == 50 and len(desktop.waiting) == 49)
        assert all(delivered)
        [prompt] = _visible_prompts()
        assert desktop.prompts == [prompt]
        assert prompt.number_label.text() == "+49 89 123400"
        assert prompt.waiting_label.text().startswith("49 more links waiting")
        assert prompt.waiting_label.isVisible() and prompt.dismiss_all_button.isVisible()

        prompt.cancel_button.click()  # skip to the next one: nothing dialled
        until(loop, lambda: _shown_numbers() == ["+49 89 123401"])
        [second] = _visible_prompts()
        assert second.waiting_label.text().startswith("48 more links waiting")
        until(loop, second.dial_button.isEnabled)  # armed anew for each number
        second.dial_button.click()
        until(loop, lambda: _shown_numbers() == ["+49 89 123402"])
        assert [a.destination for a in sim.state.actions if a.action == "dial"] == ["+4989123401"]

        [third] = _visible_prompts()
        assert third.waiting_label.text().startswith("47 more links waiting")
        third.dismiss_all_button.click()
        until(loop, lambda: not _visible_prompts() and not desktop.prompts)
        assert not desktop.waiting
        assert [a.destination for a in sim.state.actions if a.action == "dial"] == ["+4989123401"]
    finally:
        desktop.close()

"""The link prompt: shows what will be dialled and whose it is; Enter dials only once armed."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from companion.controller import Controller
from companion.numbers import parse_uri
from companion.simulator import Simulator
from companion.ui.link_prompt import ARM_DELAY_MS, LinkPrompt
from tests.ui.conftest import run, until


def _prompt(controller: Controller, qtbot: QtBot, uri: str) -> LinkPrompt:
    prompt = LinkPrompt(controller, parse_uri(uri, controller.region), source=uri)
    qtbot.addWidget(prompt)
    prompt.show()
    return prompt


def test_shows_the_number_and_its_contact_then_dials(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    prompt = _prompt(controller, qtbot, "tel:221")
    assert prompt.number_label.text() == "221"
    until(loop, lambda: "Tina Sander" in prompt.who_label.text())
    dialled: list[str] = []
    prompt.dialled.connect(dialled.append)
    until(loop, prompt.dial_button.isEnabled)
    QTest.keyClick(prompt, Qt.Key.Key_Return)
    until(loop, lambda: dialled)
    assert sim.state.actions[-1].destination == "221"


def test_enter_before_it_is_armed_dials_nothing(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    prompt = _prompt(controller, qtbot, "tel:+49-89-123456")
    QTest.keyClick(prompt, Qt.Key.Key_Return)  # a key press already on its way
    run(loop, _sleep(ARM_DELAY_MS / 1000 / 2))
    assert not prompt.dial_button.isEnabled()
    assert sim.state.actions == []
    assert prompt.number_label.text() == "+49 89 123456"


def test_unknown_number_and_escape_cancels(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    prompt = _prompt(controller, qtbot, "tel:+49-30-9999999")
    until(loop, lambda: "Not in the phonebook" in prompt.who_label.text())
    closed: list[bool] = []
    prompt.finished.connect(lambda: closed.append(True))
    QTest.keyClick(prompt, Qt.Key.Key_Escape)
    until(loop, lambda: closed)
    assert sim.state.actions == []


def test_refused_dial_is_explained_in_the_window(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    prompt = _prompt(controller, qtbot, "tel:221")
    until(loop, prompt.dial_button.isEnabled)
    sim.misbehave("error500")
    prompt.dial()
    until(loop, lambda: "internal error" in prompt.error_label.text())
    assert prompt.dial_button.isEnabled() and prompt.isVisible()


def test_a_dial_answered_200_with_no_json_is_dialled(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    # The PBX has the dial: an answer it garbled must not ask the user to dial again.
    prompt = _prompt(controller, qtbot, "tel:221")
    dialled: list[str] = []
    prompt.dialled.connect(dialled.append)
    until(loop, prompt.dial_button.isEnabled)
    sim.misbehave("not_json", path="defaultdevice/action")
    prompt.dial()
    until(loop, lambda: dialled)
    assert [a.destination for a in sim.state.actions] == ["221"]


def test_contact_for_matches_numbers_in_any_notation(
    loop: qasync.QEventLoop, controller: Controller
) -> None:
    result, _ = run(loop, controller.search("Schreinerei Huber"))  # type: ignore[misc]
    huber = result.contacts[0]
    number = huber.numbers[0].number
    e164 = controller.parse(number).destination
    found = run(loop, controller.contact_for(e164))
    assert found is not None and found.id == huber.id
    assert run(loop, controller.contact_for("+4930999999999")) is None


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)

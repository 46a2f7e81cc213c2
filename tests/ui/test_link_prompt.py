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


def test_a_links_tones_are_announced_and_sent_once_the_call_is_answered(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    with sim.state.lock:
        sim.state.calls.dial_ring_s = 60  # the far end rings until answered below
    controller.live_interval = 0.1
    controller.start()
    until(loop, controller.sends_tones)
    prompt = _prompt(controller, qtbot, "tel:+49-89-123456;ext=12;postd=#")
    assert prompt.tones_label.text() == "Then sends 12# once the call is answered."
    until(loop, prompt.dial_button.isEnabled)
    prompt.dial_button.click()
    until(loop, lambda: bool(controller.calls))
    run(loop, _sleep(0.4))
    assert [a.action for a in sim.state.actions] == ["dial"]  # not to the ringing tone
    [call_id] = list(sim.state.calls.active)
    sim.answer(call_id)
    until(loop, lambda: [a.action for a in sim.state.actions] == ["dial", "dtmf"])
    assert sim.state.actions[-1].destination == "12#"
    assert sim.state.actions[-1].device == sim.state.actions[0].device


def test_without_live_calls_the_prompt_says_the_tones_are_not_dialled(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator, qtbot: QtBot
) -> None:
    assert not controller.sends_tones()  # the live poll is not running
    failures: list[str] = []
    controller.failed.connect(failures.append)
    prompt = _prompt(controller, qtbot, "tel:+49-89-123456;postd=pp55")
    assert prompt.tones_label.text().startswith(",,55 will not be dialled")
    assert prompt.tones_label.isVisibleTo(prompt)
    until(loop, prompt.dial_button.isEnabled)
    prompt.dial_button.click()
    until(loop, lambda: bool(sim.state.actions))
    run(loop, _sleep(0.3))
    assert [a.action for a in sim.state.actions] == ["dial"]
    assert failures == []  # the prompt said it before dialling: no second warning
    # Without the prompt (confirmation off), the dial says it instead of dropping them.
    run(loop, controller.dial("tel:+49-89-123456;ext=7"))
    assert failures and "will not send 7" in failures[-1]

"""The controller on a qasync loop against the demo PBX: state read back, errors in words."""

from __future__ import annotations

import qasync

from companion.controller import Controller
from companion.simulator import Simulator
from tests.ui.conftest import run, until


def test_refresh_reads_the_state_the_tray_shows(controller: Controller) -> None:
    assert controller.reachable is True
    assert controller.account is not None and controller.account.extension == "101"
    assert len(controller.profiles) == 5
    assert controller.redirect is not None and not controller.redirect.active
    assert {s.name for s in controller.switches} >= {"AfterHours", "Nightmode"}
    assert controller.voicemail_counts is not None and controller.voicemail_counts.new == 3
    assert len(controller.voicemails) == 5 and len(controller.received_faxes) == 2
    assert {q.queue for q in controller.queues} == {"Zentrale", "Support"}


def test_spawned_failure_arrives_in_words(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator
) -> None:
    messages: list[str] = []
    controller.spawn(controller.dial("hello"), on_error=messages.append)
    until(loop, lambda: messages)
    assert "not a phone number" in messages[0].lower()
    sim.stop()
    controller.spawn(controller.dial("221"), on_error=messages.append)
    until(loop, lambda: len(messages) == 2)
    assert "cannot be reached" in messages[1]
    assert controller.reachable is False


def test_new_voicemail_is_announced_once(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator
) -> None:
    announced: list[object] = []
    controller.new_voicemail.connect(announced.append)
    run(loop, controller.refresh())
    assert announced == []
    heard = [m for m in controller.voicemails if not m.heard]
    run(loop, controller.pbx.mark_heard(heard[0].id))
    run(loop, controller.refresh())
    assert controller.voicemail_counts is not None and controller.voicemail_counts.new == 2
    assert announced == []


def test_poller_backs_off_and_recovers(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator
) -> None:
    changes: list[tuple[bool, str]] = []
    controller.connection_changed.connect(lambda ok, why: changes.append((ok, why)))
    controller.poll_interval = 0.05
    sim.misbehave("drop")
    controller.start()
    until(loop, lambda: changes and changes[-1][0] is False)
    assert "broke off" in changes[-1][1]
    sim.behave()
    until(loop, lambda: changes[-1][0] is True, timeout=15)


def test_a_quiet_poll_asks_only_what_it_must(
    loop: qasync.QEventLoop, controller: Controller, sim: Simulator
) -> None:
    before = len(sim.state.requests)
    run(loop, controller.refresh())
    asked = sorted(
        f"{r.method} {r.path.split('/services/')[1]}" for r in sim.state.requests[before:]
    )
    assert asked == [
        "GET condition/switch",
        "GET faxserver/received",
        "GET identity/mmuster",
        "GET identity/mmuster/profile",
        "GET redirect/",
        "HEAD voicemailbox/101/INBOX",  # new and old: one HEAD per folder
        "HEAD voicemailbox/101/Old",
    ]

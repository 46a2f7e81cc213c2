"""How the inbox names a fax's sender: caller-ID name, phonebook name, or "Unknown sender"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from pytestqt.qtbot import QtBot

from companion.controller import Controller
from companion.simulator import Simulator
from companion.ui.inbox_window import InboxWindow
from tests.ui.conftest import run, until


@pytest.fixture
def window(qtbot: QtBot, controller: Controller) -> Iterator[InboxWindow]:
    inbox = InboxWindow(controller)
    qtbot.addWidget(inbox)
    inbox.show_tab("fax")
    yield inbox
    inbox.close()


def shown(window: InboxWindow) -> dict[str, tuple[str, str]]:
    model = window.fax.received_model
    return {
        model.row_object(r).id: (
            str(model.data(model.index(r, model.SENDER))),
            str(model.data(model.index(r, model.NUMBER))),
        )
        for r in range(model.rowCount())
    }


def test_sender_is_looked_up_in_the_phonebook_or_unknown(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator, controller: Controller
) -> None:
    # The PBX's cidname is a call id and its `sender` the PBX name: neither is shown.
    until(loop, lambda: shown(window)["fax000000010.tif"][0] == "Schreinerei Huber - Josef Huber")
    until(loop, lambda: shown(window)["fax000000012.tif"][0] == "Bäckerei Schäfer GmbH")
    senders = shown(window)
    assert senders["fax000000010.tif"][1].replace(" ", "").endswith("895554321")
    for name, number in senders.values():
        assert name != sim.state.instance and "301" not in (name, number)

    # As in the reference's example: no remote number either (callid3 "<NONE>").
    sim.state.received["fax000000012.tif"].fields["callid3"] = "<NONE>"
    run(loop, controller.reload_faxes())
    until(loop, lambda: shown(window)["fax000000012.tif"] == ("Unknown sender", ""))

"""The first start names both PBX kinds and counts the steps the chosen PBX has: three for
innovaphone (no user list), four for pascom; against both demo PBXs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QLabel

from companion.simulator import Simulator
from companion.simulator.innovaphone import InnovaphoneSimulator
from companion.ui import first_start
from companion.ui.first_start import FirstStart
from tests.ui.conftest import until
from tests.ui.test_tray import dispose

USER, PASSWORD = "mmuster", "demo-pass"
SHOTS = Path(os.environ.get("COMPANION_SHOTS", "/tmp/h-innopolish-shots"))


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


def title(dialog: FirstStart, step: int) -> str:
    return dialog.headings[step].text()


def label(dialog: FirstStart, field: object) -> str:
    found = dialog.credentials_form.labelForField(field)  # type: ignore[arg-type]
    assert isinstance(found, QLabel)
    return found.text()


def shot(loop: qasync.QEventLoop, dialog: FirstStart, name: str) -> None:
    layout = dialog.layout()
    assert layout is not None
    until(loop, lambda: dialog.isVisible() and layout.geometry().height() > 0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / name))


def test_the_welcome_names_both_kinds_of_pbx(loop: qasync.QEventLoop) -> None:
    dialog = FirstStart()
    try:
        dialog.show()
        welcome = dialog.pages.widget(first_start.WELCOME).findChildren(QLabel)
        text = " ".join(w.text() for w in welcome)
        assert "pascom" in text and "innovaphone" in text
        shot(loop, dialog, "first-start-welcome.png")
    finally:
        dispose(dialog)


def test_an_innovaphone_pbx_takes_three_steps_and_pascom_four(
    loop: qasync.QEventLoop,
    inno: InnovaphoneSimulator,
    sim: Simulator,
    config_dir: Path,
    memory_keyring: None,
) -> None:
    dialog = FirstStart()
    try:
        dialog.show()
        dialog.connect_button.click()
        assert "Step 1 of 4" in title(dialog, first_start.ADDRESS)
        assert "innovaphone" in dialog.pages.currentWidget().findChildren(QLabel)[1].text()
        dialog.url_edit.setText(inno.url)
        assert "Step 1 of 3" in title(dialog, first_start.ADDRESS)  # ws://: innovaphone
        shot(loop, dialog, "first-start-address-innovaphone.png")
        dialog.next()
        until(loop, lambda: dialog.step == first_start.CREDENTIALS)
        assert "Step 2 of 3" in title(dialog, first_start.CREDENTIALS)
        assert label(dialog, dialog.rest_user_edit) == "Your login name:"
        dialog.rest_user_edit.setText(USER)
        dialog.password_edit.setText(PASSWORD)
        dialog.next()
        until(loop, lambda: dialog.step == first_start.REGION)
        assert "Step 3 of 3" in title(dialog, first_start.REGION)  # not "4 of 4"
        shot(loop, dialog, "first-start-region-innovaphone.png")
        # back to the address, and on to a pascom PBX: four steps, pascom's words again
        dialog.back()
        dialog.back()
        assert dialog.step == first_start.ADDRESS
        dialog.url_edit.setText(sim.base_url)
        assert "Step 1 of 4" in title(dialog, first_start.ADDRESS)
        dialog.next()
        until(loop, lambda: dialog.step == first_start.CREDENTIALS)
        assert "Step 2 of 4" in title(dialog, first_start.CREDENTIALS)
        assert "Step 4 of 4" in title(dialog, first_start.REGION)
        assert label(dialog, dialog.rest_user_edit) == "REST user:"
        assert label(dialog, dialog.password_edit) == "REST password:"
        assert dialog.settings.kind == "pascom"
    finally:
        dispose(dialog)

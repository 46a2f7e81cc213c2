"""The inbox window, driven as a user would, against the demo PBX over a real socket.

Every effect is read back from the PBX (`sim.state`) or from what the window shows. The
file dialogs and the desktop's PDF viewer are the only things replaced: they are small
methods of the window's `files` (`ask_save_path`, `ask_pdf_path`, `open_in_viewer`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from companion.controller import Controller
from companion.pbx.models import ContactDetails, ReceivedFax, SentFax, Voicemail
from companion.simulator import Simulator
from companion.ui.inbox_models import format_duration, format_time
from companion.ui.inbox_window import InboxWindow
from tests.ui.conftest import run, until

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot: QtBot, controller: Controller) -> Iterator[InboxWindow]:
    inbox = InboxWindow(controller)
    qtbot.addWidget(inbox)
    inbox.show_tab("voicemail")
    yield inbox
    inbox.close()


def rows(window: InboxWindow) -> list[Voicemail]:
    model = window.voicemail.voicemail_model
    return [model.row_object(r) for r in range(model.rowCount())]


def caller_text(window: InboxWindow, row: int) -> str:
    model = window.voicemail.voicemail_model
    return str(model.data(model.index(row, model.CALLER)))


def select(window: InboxWindow, predicate: Callable[[Voicemail], bool]) -> Voicemail:
    for row, message in enumerate(rows(window)):
        if predicate(message):
            window.voicemail.voicemail_view.selectRow(row)
            return message
    raise AssertionError("no such message in the list")


def pbx_message(sim: Simulator, message_id: str) -> object | None:
    """The message as the PBX holds it (None once deleted)."""
    return next((m for m in sim.state.messages if m.msg_id == message_id), None)


def listed_heard(window: InboxWindow, message_id: str) -> bool:
    """The window lists the message as heard (the list is the last thing to change)."""
    row = window.voicemail.voicemail_model.row_of(message_id)
    return row is not None and rows(window)[row].heard


def answer_box(button_text: str, seen: list[str]) -> None:
    """Click `button_text` in the modal box that is about to open (from inside its exec)."""

    def attempt(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            for button in box.buttons():
                if button.text().replace("&", "") == button_text:
                    button.click()
                    return
            raise AssertionError(f"no {button_text!r} button in {box.text()!r}")
        if tries < 200:
            QTimer.singleShot(10, lambda: attempt(tries + 1))

    QTimer.singleShot(0, attempt)


# ---------------------------------------------------------------------------------- voicemail


def test_the_window_does_not_load_qtmultimedia() -> None:
    """Constructing (and showing) the inbox must not import QtMultimedia: a fresh process."""
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from companion.controller import Controller
        from companion.pbx.pascom import PascomPbx
        from companion.ui.inbox_window import InboxWindow
        pbx = PascomPbx("http://127.0.0.1:9/demo", "moby", "x", "mmuster")
        window = InboxWindow(Controller(pbx, region="DE"))
        window.show_tab("voicemail")
        window.show_tab("fax")
        app.processEvents()
        print("QtMultimedia loaded:", "PySide6.QtMultimedia" in sys.modules)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "QtMultimedia loaded: False" in done.stdout


def test_voicemail_list_shows_five_messages_three_new_in_bold(window: InboxWindow) -> None:
    model = window.voicemail.voicemail_model
    assert model.rowCount() == 5
    fonts = [model.data(model.index(r, 0), Qt.ItemDataRole.FontRole) for r in range(5)]
    bold = [r for r, font in enumerate(fonts) if isinstance(font, QFont) and font.bold()]
    assert len(bold) == 3
    assert all(not rows(window)[r].heard for r in bold)
    assert [caller_text(window, r) for r in bold] == [
        "Jürgen Weiß",
        "Schreinerei Huber",
        "Tina Sander",
    ]
    # The caller without a name (and not in the phonebook) is shown by number.
    assert "+41 44 123 45 67" in [caller_text(window, r) for r in range(5)]
    assert model.data(model.index(0, model.DURATION)) == "0:05"
    assert "3 new" in window.tabs.tabText(0)
    assert window.windowTitle() == "Inbox"  # the desktop adds " — Companion"


def test_caller_without_name_is_looked_up_in_the_phonebook(
    loop: qasync.QEventLoop, qtbot: QtBot, controller: Controller
) -> None:
    # Stored in another notation than the PBX reports the caller (+41441234567).
    details = ContactDetails(name="Urs Keller", phone="0041 44 1234567")
    run(loop, controller.save_contact(details))
    inbox = InboxWindow(controller)
    qtbot.addWidget(inbox)
    until(loop, lambda: "Urs Keller" in [caller_text(inbox, r) for r in range(5)])
    # A caller the PBX named keeps that name.
    assert [caller_text(inbox, r) for r in range(3)] == [
        "Jürgen Weiß", "Schreinerei Huber", "Tina Sander"
    ]  # fmt: skip


def test_play_loads_qtmultimedia_then_plays_the_pbx_audio(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator
) -> None:
    message = select(window, lambda m: m.caller_name == "Jürgen Weiß")
    window.voicemail.play_action.trigger()
    until(
        loop,
        lambda: window.voicemail._player is not None and window.voicemail._player.duration > 0,
    )
    player = window.voicemail._player
    assert player is not None
    assert "PySide6.QtMultimedia" in sys.modules
    assert player.key == message.id
    assert 4500 < player.duration < 5500  # the demo message is 4.96 s of speech
    assert window.voicemail.position_slider.maximum() == player.duration
    until(loop, lambda: player.position > 200)  # the media clock runs: it is playing
    assert window.voicemail.play_action.text().replace("&", "") == "Pause"
    assert window.voicemail.time_label.text().endswith("/ 0:05")
    window.voicemail.play_action.trigger()
    until(loop, lambda: not player.playing)
    assert window.voicemail.play_action.text().replace("&", "") == "Play"
    # Playing by itself marks nothing heard.
    assert getattr(pbx_message(sim, message.id), "folder", None) == "INBOX"


def test_played_to_the_end_is_marked_heard_only_when_it_could_be_heard(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator
) -> None:
    message = select(window, lambda m: m.caller_name == "Tina Sander")
    window.voicemail.play_action.trigger()
    until(
        loop,
        lambda: window.voicemail._player is not None and window.voicemail._player.duration > 0,
    )
    player = window.voicemail._player
    assert player is not None
    ended: list[str] = []
    player.finished.connect(ended.append)
    # This machine has no sound output (no PulseAudio): the window says so and a silent
    # play to the end does not count as heard.
    if not player.audible:
        assert "no sound output" in window.bar.text()
        player.seek(player.duration - 300)
        until(loop, lambda: ended == [message.id])
        run(loop, asyncio.sleep(0.2))
        assert getattr(pbx_message(sim, message.id), "folder", None) == "INBOX"
        player.audible = True  # as if a sound card were there: the rule for a real desktop
        window.voicemail.play_action.trigger()
        until(loop, lambda: player.playing)
    player.seek(player.duration - 300)
    until(loop, lambda: listed_heard(window, message.id))
    assert getattr(pbx_message(sim, message.id), "folder", None) == "Old"
    assert controller.voicemail_counts is not None and controller.voicemail_counts.new == 2


def test_mark_heard_moves_the_message_to_old(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator
) -> None:
    message = select(window, lambda m: m.caller_name == "Schreinerei Huber")
    assert window.voicemail.mark_heard_action.isEnabled()
    window.voicemail.mark_heard_action.trigger()
    until(loop, lambda: listed_heard(window, message.id))
    assert getattr(pbx_message(sim, message.id), "folder", None) == "Old"
    assert controller.voicemail_counts is not None and controller.voicemail_counts.new == 2
    model = window.voicemail.voicemail_model
    row = model.row_of(message.id)
    assert row is not None
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole) is None  # no longer bold
    assert window.voicemail.voicemail_view.currentIndex().row() == row  # the selection stayed on it
    assert not window.voicemail.mark_heard_action.isEnabled()
    assert "2 new" in window.tabs.tabText(0)


def test_delete_asks_first_and_cancel_keeps_the_message(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator
) -> None:
    message = select(window, lambda m: m.caller_name == "Anna Meyer")
    seen: list[str] = []
    answer_box("Cancel", seen)
    window.voicemail.delete_action.trigger()
    assert seen and "Anna Meyer" in seen[0]
    run(loop, asyncio.sleep(0.2))
    assert pbx_message(sim, message.id) is not None
    assert window.voicemail.voicemail_model.rowCount() == 5

    answer_box("Delete", seen)
    window.voicemail.delete_action.trigger()
    until(loop, lambda: window.voicemail.voicemail_model.rowCount() == 4)
    assert pbx_message(sim, message.id) is None
    assert window.voicemail.voicemail_model.row_of(message.id) is None


def test_save_as_wav_writes_the_message(
    loop: qasync.QEventLoop, window: InboxWindow, tmp_path: Path
) -> None:
    select(window, lambda m: m.caller_name == "Schreinerei Huber")
    asked: list[str] = []
    target = tmp_path / "huber"  # no suffix: the window adds .wav

    def ask(caption: str, suggested: str, filters: str) -> Path:
        asked.append(suggested)
        return target

    window.files.ask_save_path = ask  # type: ignore[method-assign]
    window.voicemail.save_wav_action.trigger()
    saved = tmp_path / "huber.wav"
    until(loop, lambda: saved.exists())
    with wave.open(str(saved), "rb") as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (1, 8000)
        assert wav.getnframes() / wav.getframerate() > 4  # about 6 s of speech
    assert asked[0].startswith("Voicemail Schreinerei Huber") and asked[0].endswith(".wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huber.wav"]  # no temporary left
    assert str(saved) in window.bar.text()


def test_save_as_wav_failure_is_said_in_words(
    loop: qasync.QEventLoop, window: InboxWindow, tmp_path: Path
) -> None:
    window.files.ask_save_path = lambda *_: tmp_path / "missing" / "x.wav"  # type: ignore[method-assign]
    window.voicemail.save_wav_action.trigger()
    until(loop, lambda: window.bar.kind == "error")
    assert "could not be saved" in window.bar.text()
    assert "Traceback" not in window.bar.text()


def test_call_back_dials_the_caller(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator
) -> None:
    select(window, lambda m: m.caller_name == "Schreinerei Huber")
    window.voicemail.call_back_action.trigger()
    until(loop, lambda: "Calling" in window.bar.text())
    dial = [a for a in sim.state.actions if a.action == "dial"][-1]
    assert dial.destination == "+49895554321"
    assert window.bar.text() == "Calling +49 89 5554321…"


def test_pbx_failure_appears_in_words(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator
) -> None:
    select(window, lambda m: m.caller_name == "Tina Sander")
    sim.stop()
    window.voicemail.mark_heard_action.trigger()
    until(loop, lambda: window.bar.kind == "error")
    assert "cannot be reached" in window.bar.text()
    assert window.voicemail.mark_heard_action.isEnabled()  # the user can try again


def test_save_caller_as_contact_opens_the_contact_dialog(
    loop: qasync.QEventLoop, window: InboxWindow, sim: Simulator
) -> None:
    from companion.ui.contact_dialog import ContactDialog

    select(window, lambda m: m.caller_number == "+41441234567")
    prefilled: list[str] = []

    def fill_in(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ContactDialog):
            if tries < 200:
                QTimer.singleShot(10, lambda: fill_in(tries + 1))
            return
        prefilled.append(dialog.phone.text())
        dialog.first_name.setText("Urs")
        dialog.last_name.setText("Keller")
        dialog.save_button.click()

    # Clicked from inside the running loop (not from inside a task), as a real click is:
    # the dialog's exec() runs a nested loop in which its save task runs.
    # (The wait ends only after exec() has returned: stopping the loop inside it would
    # make Qt leave the dialog's nested loop too.)
    returned: list[bool] = []

    def click() -> None:
        window.voicemail.save_contact_action.trigger()
        returned.append(True)

    QTimer.singleShot(0, fill_in)
    loop.call_soon(click)
    # Looked up again after saving: the caller now has a name. (One wait: work spawned
    # just as a wait ends runs in qasync's last processEvents, outside the loop.)
    until(loop, lambda: returned and "Urs Keller" in [caller_text(window, r) for r in range(5)])
    assert prefilled == ["+41441234567"]
    assert any(e.data.get("displayname") == "Urs Keller" for e in sim.state.phonebook.values())


def test_list_follows_the_pbx(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller
) -> None:
    gone = rows(window)[0]
    run(loop, controller.pbx.delete_voicemail(gone.id))
    run(loop, controller.refresh())  # what the poller does
    assert window.voicemail.voicemail_model.rowCount() == 4
    assert window.voicemail.voicemail_model.row_of(gone.id) is None
    assert "2 new" in window.tabs.tabText(0)


def test_without_qtmultimedia_the_window_says_so_and_still_saves(
    loop: qasync.QEventLoop, window: InboxWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "companion.ui.player", None)  # import fails, as it would
    window.voicemail.play_action.trigger()
    assert "cannot be played on this computer" in window.bar.text()
    assert not window.voicemail.play_action.isEnabled()
    window.files.ask_save_path = lambda *_: tmp_path / "m.wav"  # type: ignore[method-assign]
    window.voicemail.save_wav_action.trigger()
    until(loop, lambda: (tmp_path / "m.wav").exists())
    assert (tmp_path / "m.wav").read_bytes().startswith(b"RIFF")


def test_times_and_durations_read_like_a_phone() -> None:
    now = datetime(2025, 11, 21, 18, 0).astimezone()
    assert format_time(now.replace(hour=9, minute=14), now) == "Today 09:14"
    assert format_time(now - timedelta(days=1), now).startswith("Yesterday ")
    assert format_time(datetime(2025, 11, 17, 14, 2).astimezone(), now) == "Mon 17 Nov 14:02"
    assert format_time(datetime(2024, 3, 1, 8, 0).astimezone(), now) == "1 Mar 2024 08:00"
    assert format_time(datetime(2025, 11, 21, 8, 5, tzinfo=UTC), now).startswith("Today ")
    assert format_time(None) == ""
    assert (format_duration(5), format_duration(65), format_duration(600)) == (
        "0:05",
        "1:05",
        "10:00",
    )


# ---------------------------------------------------------------------------------------- fax


def saved_fax(loop: qasync.QEventLoop, controller: Controller, folder: Path) -> Path:
    """A real PDF from the PBX: the first received fax, saved to `folder`."""
    pdf = run(loop, controller.fax_pdf(controller.received_faxes[0]))
    assert isinstance(pdf, bytes)
    path = folder / "Angebot.pdf"
    path.write_bytes(pdf)
    return path


def drag_event(
    window: InboxWindow, kind: type[QDragEnterEvent] | type[QDropEvent], *paths: Path
) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    event: QDropEvent
    if kind is QDragEnterEvent:
        event = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    else:
        event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    event.setAccepted(False)
    QApplication.sendEvent(window, event)
    return event


def test_received_faxes_listed_and_saved_as_pdf(
    loop: qasync.QEventLoop, window: InboxWindow, tmp_path: Path
) -> None:
    window.show_tab("fax")
    model = window.fax.received_model
    assert model.rowCount() == 2
    assert [model.data(model.index(r, model.PAGES)) for r in range(2)] == ["1", "2"]
    window.fax.received_view.selectRow(1)
    window.files.ask_save_path = lambda *_: tmp_path / "fax.pdf"  # type: ignore[method-assign]
    window.fax.save_pdf_action.trigger()
    until(loop, lambda: (tmp_path / "fax.pdf").exists())
    assert (tmp_path / "fax.pdf").read_bytes().startswith(b"%PDF")


def test_open_fax_hands_a_pdf_to_the_system_viewer(
    loop: qasync.QEventLoop, window: InboxWindow
) -> None:
    window.show_tab("fax")
    opened: list[Path] = []

    def viewer(path: Path) -> bool:
        opened.append(path)
        return True

    window.files.open_in_viewer = viewer  # type: ignore[method-assign]
    window.fax.open_fax_action.trigger()
    until(loop, lambda: opened)
    assert opened[0].suffix == ".pdf" and opened[0].read_bytes().startswith(b"%PDF")
    assert opened[0].name.startswith("Fax from ")
    assert "demo" not in opened[0].name  # the PBX's name is not who sent the fax
    window.files.open_in_viewer = lambda path: False  # type: ignore[method-assign]
    window.fax.open_fax_action.trigger()
    until(loop, lambda: window.bar.kind == "error")
    assert "No program to show PDF files" in window.bar.text()


@pytest.mark.skipif(sys.platform != "linux", reason="xdg-mime is the Linux desktop's answer")
def test_without_a_pdf_viewer_the_fax_says_so_and_offers_save(
    loop: qasync.QEventLoop, window: InboxWindow, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
) -> None:  # fmt: skip
    # The desktop knows no program for PDFs: xdg-mime answers nothing (as on a bare X).
    bin_dir = tmp_path_factory.mktemp("bin")
    xdg_mime = bin_dir / "xdg-mime"
    xdg_mime.write_text("#!/bin/sh\nexit 0\n")
    xdg_mime.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    window.show_tab("fax")
    window.fax.open_fax_action.trigger()
    until(loop, lambda: window.bar.kind == "error")
    assert "No program to show PDF files was found" in window.bar.text()
    button = window.bar.action_button
    assert button.isVisibleTo(window) and button.defaultAction() is window.fax.save_pdf_action
    shots = Path(os.environ.get("COMPANION_SHOTS", tmp_path))
    assert window.grab().save(str(shots / "inbox-no-pdf-viewer.png"))
    window.files.ask_save_path = lambda *_: tmp_path / "kept.pdf"  # type: ignore[method-assign]
    button.click()  # the offer: save it and open it elsewhere
    until(loop, lambda: (tmp_path / "kept.pdf").exists())
    assert (tmp_path / "kept.pdf").read_bytes().startswith(b"%PDF")
    assert window.bar.kind == "info" and not button.isVisibleTo(window)


def test_the_voicemail_tabs_warning_does_not_stay_on_the_fax_tab(
    loop: qasync.QEventLoop, window: InboxWindow
) -> None:
    select(window, lambda m: m.caller_name == "Tina Sander")
    window.voicemail.play_action.trigger()
    until(
        loop,
        lambda: window.voicemail._player is not None and window.voicemail._player.duration > 0,
    )
    player = window.voicemail._player
    assert player is not None
    player.audible = False  # as on a machine without sound output
    select(window, lambda m: m.caller_name != "Tina Sander")
    window.voicemail.play_action.trigger()
    until(loop, lambda: "no sound output" in window.bar.text())
    window.show_tab("fax")
    assert window.bar.text() == "" and window.bar.isHidden()
    # An error that is not about one tab stays where it is.
    window.bar.show_error("The PBX is not reachable.")
    window.show_tab("voicemail")
    assert window.bar.text() == "The PBX is not reachable."


def test_send_fax_schedules_it_and_the_sent_list_shows_it(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator,
    qtbot: QtBot, tmp_path: Path,
) -> None:  # fmt: skip
    pdf = saved_fax(loop, controller, tmp_path)
    window.files.ask_pdf_path = lambda: pdf  # type: ignore[method-assign]
    window.show_tab("fax")
    window.fax.send_fax_action.trigger()
    form = window.fax.send_form
    assert form.isVisible()
    assert "Angebot.pdf" in form.send_file_label.text()
    QTest.keyClicks(form.number_edit, "030 123456")
    QTest.mouseClick(form.send_button, Qt.MouseButton.LeftButton)
    assert form.send_busy_label.isVisible() and form.send_busy_label.text() == "Sending…"
    assert not form.send_button.isEnabled()
    until(loop, lambda: "scheduled" in window.bar.text())
    assert window.bar.text() == "Fax to +49 30 123456 scheduled."
    assert not form.isVisible()
    done = [job for job in sim.state.done.values() if job["dialstring"] == "+4930123456"]
    assert len(done) == 1 and done[0]["jobtag"] == "Angebot"
    sent: list[SentFax] = [
        window.fax.sent_model.row_object(r) for r in range(window.fax.sent_model.rowCount())
    ]
    assert [f.destination for f in sent].count("+4930123456") == 1


def test_send_fax_with_an_invalid_number_keeps_what_was_typed(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator,
    qtbot: QtBot, tmp_path: Path,
) -> None:  # fmt: skip
    pdf = saved_fax(loop, controller, tmp_path)
    assert window.start_fax(pdf)
    form = window.fax.send_form
    QTest.keyClicks(form.number_edit, "hello")
    QTest.keyClick(form.number_edit, Qt.Key.Key_Return)
    assert form.send_error.isVisible()
    assert "not a phone number" in form.send_error.text()
    assert form.number_edit.text() == "hello"
    assert form.isVisible()
    jobs = len(sim.state.done)
    run(loop, asyncio.sleep(0.1))
    assert len(sim.state.done) == jobs  # nothing was sent

    # The PBX refuses once: the error in words, number and PDF still there; then it works.
    form.number_edit.setText("030 123456")
    sim.misbehave("error500", times=1, path="faxserver/waiting")
    form.send_button.click()
    until(loop, lambda: form.send_error.isVisible() and form.send_button.isEnabled())
    assert "Traceback" not in form.send_error.text() and form.send_error.text()
    assert form.number_edit.text() == "030 123456" and form.isVisible()
    form.send_button.click()
    until(loop, lambda: "scheduled" in window.bar.text())
    assert len(sim.state.done) == jobs + 1


def test_drop_takes_a_pdf_and_refuses_anything_else(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a fax")
    enter = drag_event(window, QDragEnterEvent, text)
    assert not enter.isAccepted()
    assert "not a PDF" in window.bar.text()
    drop = drag_event(window, QDropEvent, text)
    assert not drop.isAccepted()
    assert not window.fax.send_form.isVisibleTo(window)
    pdf = saved_fax(loop, controller, tmp_path)
    assert not drag_event(window, QDragEnterEvent, pdf, text).isAccepted()  # one file at a time
    assert drag_event(window, QDragEnterEvent, pdf).isAccepted()
    assert drag_event(window, QDropEvent, pdf).isAccepted()
    assert window.fax.send_form.isVisible()
    assert window.tabs.currentIndex() == 1
    assert "Angebot.pdf" in window.fax.send_form.send_file_label.text()


def test_fax_list_follows_the_pbx(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator
) -> None:
    first: ReceivedFax = controller.received_faxes[0]
    with sim.state.lock:
        del sim.state.received[first.id]
    run(loop, controller.refresh())
    assert window.fax.received_model.rowCount() == 1
    assert window.fax.received_model.row_of(first.id) is None


def test_typing_a_name_offers_the_contacts_fax_number(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, sim: Simulator,
    tmp_path: Path,
) -> None:  # fmt: skip
    assert window.start_fax(saved_fax(loop, controller, tmp_path))
    window.activateWindow()
    window.fax.send_form.number_edit.setFocus()
    QTest.keyClicks(window.fax.send_form.number_edit, "Schreinerei")
    model = window.fax.send_form.fax_contacts
    until(loop, lambda: model.rowCount() > 0)
    offered = [str(model.index(r, 0).data()) for r in range(model.rowCount())]
    huber = "Schreinerei Huber - Josef Huber (fax 089/5554322)"
    assert huber in offered
    popup = window.fax.send_form.fax_completer.popup()
    assert popup is not None and popup.isVisible()
    popup.setCurrentIndex(model.index(offered.index(huber), 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert window.fax.send_form.number_edit.text() == "089/5554322"
    assert not window.fax.send_form.send_busy_label.isVisible()  # choosing does not send yet
    QTest.keyClick(window.fax.send_form.number_edit, Qt.Key.Key_Return)
    until(loop, lambda: "scheduled" in window.bar.text())
    assert window.bar.text() == "Fax to +49 89 5554322 scheduled."
    assert any(job["dialstring"] == "+49895554322" for job in sim.state.done.values())


def test_escape_puts_the_send_form_away_then_closes(
    loop: qasync.QEventLoop, window: InboxWindow, controller: Controller, tmp_path: Path
) -> None:
    assert window.start_fax(saved_fax(loop, controller, tmp_path))
    QTest.keyClick(window.fax.send_form.number_edit, Qt.Key.Key_Escape)
    assert not window.fax.send_form.isVisible() and window.isVisible()
    QTest.keyClick(window.fax.received_view, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_closing_the_window_stops_playback_and_removes_the_wav(
    loop: qasync.QEventLoop, window: InboxWindow
) -> None:
    message = select(window, lambda m: m.caller_name == "Anna Meyer")
    window.voicemail.play_action.trigger()
    until(loop, lambda: window.voicemail._player is not None and window.voicemail._player.playing)
    player = window.voicemail._player
    assert player is not None and player._file is not None
    wav = player._file
    assert wav.read_bytes().startswith(b"RIFF")
    window.close()
    assert not player.playing and player.key is None and not wav.exists()
    # Closed while the audio is still on its way: it must not start playing afterwards.
    window.show_tab("voicemail")
    other = select(window, lambda m: m.caller_name == "Tina Sander")
    window.voicemail.play_action.trigger()
    window.close()
    until(loop, lambda: other.id in window.voicemail._audio)
    assert player.key is None and not player.playing
    assert message.id in window.voicemail._audio  # fetched once, kept for the next play

"""Voicemail, fax and call history of the configured user, against the demo PBX."""

from __future__ import annotations

import io
import threading
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from companion.pbx import errors
from companion.pbx.models import ReceivedFax
from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER


async def test_voicemail_counts_and_list(pbx: PascomPbx) -> None:
    counts = await pbx.voicemail_counts()
    assert (counts.new, counts.old, counts.total) == (3, 2, 5)
    messages = await pbx.voicemails()
    assert len(messages) == 5
    assert sum(not m.heard for m in messages) == 3
    times = [m.received for m in messages]
    assert all(times) and times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert all(m.caller_number and m.duration > 0 for m in messages)


async def test_voicemail_audio_is_a_real_recording(pbx: PascomPbx) -> None:
    message = (await pbx.voicemails("INBOX"))[0]
    audio = await pbx.voicemail_audio(message.id)
    with wave.open(io.BytesIO(audio)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    assert seconds > 0.5


async def test_mark_heard_moves_to_old(pbx: PascomPbx) -> None:
    message = (await pbx.voicemails("INBOX"))[0]
    await pbx.mark_heard(message.id)
    assert message.id not in {m.id for m in await pbx.voicemails("INBOX")}
    moved = {m.id: m for m in await pbx.voicemails("Old")}[message.id]
    assert moved.heard
    counts = await pbx.voicemail_counts()
    assert (counts.new, counts.old) == (2, 3)
    assert await pbx.voicemail_audio(message.id)  # still playable after the move


async def test_delete_voicemail(pbx: PascomPbx) -> None:
    message = (await pbx.voicemails())[-1]
    await pbx.delete_voicemail(message.id)
    assert message.id not in {m.id for m in await pbx.voicemails()}
    assert (await pbx.voicemail_counts()).total == 4
    with pytest.raises(errors.NotFound, match="no longer exists"):
        await pbx.delete_voicemail(message.id)


async def test_empty_folder_is_an_empty_list(pbx: PascomPbx) -> None:
    for message in await pbx.voicemails("INBOX"):
        await pbx.mark_heard(message.id)
    assert await pbx.voicemails("INBOX") == []
    assert (await pbx.voicemail_counts()).new == 0


async def test_received_faxes_are_only_the_users_own(pbx: PascomPbx) -> None:
    faxes = await pbx.received_faxes()
    assert len(faxes) == 2
    assert all(f.pages > 0 and f.received for f in faxes)
    pdf = await pbx.fax_pdf(faxes[0])
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-64:]


async def test_sent_faxes_and_sending_one(pbx: PascomPbx, tmp_path: Path) -> None:
    before = await pbx.sent_faxes()
    assert len(before) == 2
    document = tmp_path / "Angebot.pdf"
    document.write_bytes(await pbx.fax_pdf((await pbx.received_faxes())[0]))
    job = await pbx.send_fax(document, "+4930123456", title="Angebot")
    after = await pbx.sent_faxes()
    assert len(after) == 3
    new = next(f for f in after if f.title == "Angebot")
    assert new.destination == "+4930123456" and new.id == job


async def test_expired_upload_url_is_prepared_again_once(
    tmp_path: Path,
) -> None:
    document = tmp_path / "a.pdf"
    with Simulator.start(
        rest_user=REST_USER, rest_password=REST_PASSWORD, upload_url_lifetime=1.0
    ) as sim:
        async with PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER) as pbx:
            document.write_bytes(await pbx.fax_pdf((await pbx.received_faxes())[0]))
            sim.misbehave("slow", delay=1.5, path="/asset/faxserver/upload/", times=1)
            await pbx.send_fax(document, "221")
            assert len(await pbx.sent_faxes()) == 3

            sim.misbehave("slow", delay=1.5, path="/asset/faxserver/upload/", times=2)
            with pytest.raises(errors.PbxTimeout, match="upload address expired"):
                await pbx.send_fax(document, "221")
            assert len(await pbx.sent_faxes()) == 3


async def test_sending_a_non_pdf_is_refused_before_the_pbx(
    pbx: PascomPbx, sim: Simulator, tmp_path: Path
) -> None:
    document = tmp_path / "notes.txt"
    document.write_text("hello")
    with pytest.raises(errors.BadRequest, match="not a PDF"):
        await pbx.send_fax(document, "221")


async def test_history_is_the_users_calls_newest_first(pbx: PascomPbx) -> None:
    calls = await pbx.history(limit=50)
    assert len(calls) >= 10
    assert any(c.outgoing for c in calls) and any(not c.outgoing for c in calls)
    times = [c.time for c in calls]
    assert all(times) and times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert all(c.number for c in calls)
    assert len(await pbx.history(limit=5)) == 5


# -- credentials stay on the configured origin ---------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        _Recorder.seen.append(dict(self.headers))
        body = b"%PDF-1.4\n%%EOF\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_url_on_another_origin_gets_no_credentials(pbx: PascomPbx, other_host: str) -> None:
    fax = ReceivedFax("x", "", "", None, 1, pdf_url=f"{other_host}/fax.pdf")
    assert (await pbx.fax_pdf(fax)).startswith(b"%PDF")
    assert _Recorder.seen and all("Authorization" not in h for h in _Recorder.seen)

"""Voicemail counts, asset downloads, fax senders and sent-fax attribution, read as the
reference allows (runs against both simulator variants)."""

from __future__ import annotations

import re
from pathlib import Path

from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER


def _heads(sim: Simulator) -> list[str]:
    return [r.path for r in sim.state.requests if r.method == "HEAD"]


async def test_counts_are_read_per_folder_with_two_heads(pbx: PascomPbx, sim: Simulator) -> None:
    sim.state.requests.clear()
    counts = await pbx.voicemail_counts()
    assert (counts.new, counts.old, counts.total) == (3, 2, 5)
    assert len(_heads(sim)) == 2
    newest = (await pbx.voicemails("INBOX"))[0]
    await pbx.mark_heard(newest.id)
    counts = await pbx.voicemail_counts()
    assert (counts.new, counts.old) == (2, 3)


async def test_a_refused_asset_download_falls_back_to_services(
    pbx: PascomPbx, sim: Simulator
) -> None:
    message = (await pbx.voicemails("INBOX"))[0]
    sim.misbehave("refuse_auth", path="/asset/voicemailbox/", times=1)  # 401 on asset/
    sim.state.requests.clear()
    audio = await pbx.voicemail_audio(message.id)
    assert audio.startswith(b"RIFF")
    fetched = [r.path for r in sim.state.requests if r.method == "GET"]
    assert any("/services/voicemailbox/" in p and p.endswith(message.id) for p in fetched)


async def test_the_user_record_gives_mailbox_email_and_fax_extension(pbx: PascomPbx) -> None:
    # The reference's identity/{user} example lacks them; its identity/ example has them.
    me = await pbx.account()
    assert (me.mailbox, me.email, me.fax_extension) == ("101", "max.mustermann@demo.example", "301")


async def test_received_faxes_name_the_remote_side_never_the_pbx_or_us(
    pbx: PascomPbx, sim: Simulator
) -> None:
    faxes = {f.id: f for f in await pbx.received_faxes()}
    assert set(faxes) == {"fax000000010.tif", "fax000000012.tif"}
    for fax in faxes.values():
        assert fax.sender not in (sim.state.instance, "301", "101")
        assert not re.fullmatch(r"\d+_\d+", fax.sender)  # cidname here is a call id
        assert fax.sender_number not in ("301", "101")
    assert faxes["fax000000010.tif"].sender == ""  # unknown: the inbox looks the number up
    assert faxes["fax000000010.tif"].sender_number == "+49895554321"


async def test_a_real_caller_id_name_is_shown(pbx: PascomPbx, sim: Simulator) -> None:
    sim.state.received["fax000000012.tif"].fields["cidname"] = "Kanzlei Schmidt"
    fax = {f.id: f for f in await pbx.received_faxes()}["fax000000012.tif"]
    assert (fax.sender, fax.sender_number) == ("Kanzlei Schmidt", "+4922112345")


async def test_sent_faxes_are_attributed_by_notify_and_by_what_was_sent_here(
    pbx: PascomPbx, sim: Simulator, tmp_path: Path
) -> None:
    assert await pbx.fax_attribution() == ""
    assert {f.id for f in await pbx.sent_faxes()} == {"3", "5"}  # notify = our address
    # A PBX that knows no e-mail address for the user: only what was sent from here.
    sim.state.users["mmuster"].email = None
    async with PascomPbx(pbx.wire.base, REST_USER, REST_PASSWORD, USER) as bare:
        assert "only the faxes sent from this computer" in await bare.fax_attribution()
        assert await bare.sent_faxes() == []
        document = tmp_path / "Angebot.pdf"
        document.write_bytes(await bare.fax_pdf((await bare.received_faxes())[0]))
        job = await bare.send_fax(document, "+4930123456", title="Angebot")
        assert [f.id for f in await bare.sent_faxes()] == [job]
    # The send body had neither a `sender` (the PBX fell back to the REST user) nor a notify.
    assert (sim.state.done[job]["sender"], sim.state.done[job]["notify"]) == (REST_USER, "")

"""The desktop's relay backend and session against a real relay in front of the demo PBX.

Everything here goes over real loopback sockets: the relay (uvicorn in a thread) talks to
the pascom simulator, the desktop's `RelayPbx` to the relay (HTTP and the event stream).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from companion import config, enrolment
from companion.pbx import errors
from companion.pbx.models import CallAction, CallState, Presence
from companion.pbx.relay import RelayPbx
from companion.pbx.relay.links import LinkError
from companion.relay import config as relay_config
from companion.relay.server import RelayServer
from companion.relay.store import Store
from companion.session import Event, Session
from companion.session.calls import CallEvent
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.relay.conftest import RunningRelay, start_relay

CALLER = "+49895554321"  # Josef Huber in the demo phonebook


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


def relay_on(sim: Simulator, data_dir: Path, listen: str) -> RelayServer:
    settings = relay_config.load(
        None, pbx_url=sim.base_url, rest_user=REST_USER, listen=listen, data_dir=str(data_dir)
    )
    return RelayServer(settings, REST_PASSWORD, log_level="warning").start()


def pbx_requests(sim: Simulator, method: str, part: str) -> int:
    """How many requests of `method` whose path contains `part` reached the PBX."""
    with sim.state.lock:
        return sum(1 for r in sim.state.requests if r.method == method and part in r.path)


@pytest.fixture
async def desktop(relay: RunningRelay) -> AsyncIterator[RelayPbx]:
    pbx = RelayPbx(relay.url, relay.enrol(USER))
    yield pbx
    await pbx.close()


@pytest.fixture
async def session(desktop: RelayPbx) -> AsyncIterator[Session]:
    session = Session(desktop, poll_interval=30.0, live_interval=0.2, region="DE")
    yield session
    await session.stop()


# -- enrolment --------------------------------------------------------------------------


async def test_a_code_is_traded_for_a_token_once(relay: RunningRelay) -> None:
    code = relay.code(USER)
    connected = await enrolment.connect(config.Settings(), relay.url, code, device="laptop")
    assert connected.settings.kind == "relay"
    assert (connected.settings.pbx_url, connected.settings.user) == (relay.url, USER)
    assert connected.settings.rest_user == "laptop"
    assert connected.account is not None and connected.account.login == USER
    assert connected.token.startswith("crt_") and connected.token not in repr(connected)
    with pytest.raises(errors.BadRequest, match="not valid"):  # single use
        await enrolment.connect(config.Settings(), relay.url, code, device="other")


async def test_an_address_that_is_not_https_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(LinkError, match="must start with https://"):
        await enrolment.connect(config.Settings(), "http://relay.example.com", "ABCD-EFGH")


# -- what the user does, through the relay ------------------------------------------------


async def test_dial_goes_through_the_relay_to_the_users_device(
    desktop: RelayPbx, sim: Simulator
) -> None:
    before = pbx_requests(sim, "POST", f"identity/{USER}/defaultdevice/action")
    await desktop.call_action(CallAction.DIAL, "221")
    assert pbx_requests(sim, "POST", f"identity/{USER}/defaultdevice/action") == before + 1


async def test_search_presence_redirect_and_voicemail(desktop: RelayPbx, sim: Simulator) -> None:
    found = await desktop.search("Huber")
    assert any("Huber" in contact.name for contact in found.contacts)
    me = await desktop.account()
    assert me.login == USER and desktop.capabilities  # the relay said what it offers
    colleagues = await desktop.presence(["tsander"])
    assert set(colleagues) == {"tsander"} and isinstance(colleagues["tsander"], Presence)

    changed = await desktop.set_redirect("221")
    assert changed.target == "221" and changed.active
    assert (await desktop.redirect()).target == "221"
    assert not (await desktop.redirect_off()).active

    messages = await desktop.voicemails()
    assert messages, "the demo mailbox has messages"
    audio = await desktop.voicemail_audio(messages[0].id)
    assert audio[:4] == b"RIFF"
    counts = await desktop.voicemail_counts()
    assert counts.total == len(messages)


async def test_someone_elses_message_is_not_found(desktop: RelayPbx) -> None:
    with pytest.raises(errors.NotFound):
        await desktop.voicemail_audio("1")  # an id of another user's mailbox, or none
    with pytest.raises(errors.NotFound):
        await desktop.voicemail_audio("../../voicemailbox/201/INBOX")


# -- pushed calls -------------------------------------------------------------------------


async def test_an_incoming_call_is_pushed_to_the_session(
    session: Session, desktop: RelayPbx, sim: Simulator
) -> None:
    events: list[CallEvent] = []
    session.subscribe(Event.CALL, events.append)
    session.start()
    await until(lambda: session.state.account is not None)
    live_reads = pbx_requests(sim, "GET", "cdr/live")
    call_id = sim.ring(CALLER, USER, ring_s=30)
    await until(lambda: [e.kind.value for e in events] == ["ringing"])
    assert events[0].call.id == str(call_id) and events[0].call.state is CallState.RINGING
    sim.hang_up(call_id)
    await until(lambda: [e.kind.value for e in events][-1:] == ["missed"])
    # The desktop polls nothing itself: the relay's one poller read cdr/live (1 s).
    assert pbx_requests(sim, "GET", "cdr/live") - live_reads < 15


# -- revocation, restart, the PBX down ---------------------------------------------------


def unreachable(session: Session) -> str:
    """What the tray says about the connection: "" while the PBX answers."""
    state = session.state
    return state.unreachable_reason if state.reachable is False else ""


async def test_revocation_on_an_open_connection_is_told_in_words(
    session: Session, desktop: RelayPbx, relay: RunningRelay
) -> None:
    session.start()
    await until(lambda: session.state.account is not None)
    store = Store(relay.data_dir)
    try:
        assert store.revoke(USER) == ["laptop"]
    finally:
        store.close()
    await until(lambda: "revoked" in unreachable(session), 5)  # at once, not in 5 minutes
    with pytest.raises(errors.AuthenticationError, match="revoked"):
        await desktop.account()


async def test_a_relay_restart_reconnects_resyncs_and_replays_nothing(
    sim: Simulator, tmp_path: Path
) -> None:
    data_dir = tmp_path / "relay"
    server = start_relay(sim, data_dir)
    running = RunningRelay(server, data_dir, sim)
    pbx = RelayPbx(server.url, running.enrol(USER))
    session = Session(pbx, poll_interval=30.0, live_interval=0.2, region="DE")
    events: list[CallEvent] = []
    session.subscribe(Event.CALL, events.append)
    try:
        session.start()
        call_id = sim.ring(CALLER, USER, ring_s=60)
        await until(lambda: [e.kind.value for e in events] == ["ringing"])
        dials = pbx_requests(sim, "POST", "action")
        port = server.port
        server.stop()
        await until(lambda: "relay" in unreachable(session), 10)
        server = relay_on(sim, data_dir, f"127.0.0.1:{port}")  # the same address again
        await until(lambda: session.state.reachable is True, 15)
        sim.hang_up(call_id)
        await until(lambda: [e.kind.value for e in events][-1:] == ["missed"])
        # The call still ringing after the restart was not announced again, and no
        # action went to the PBX a second time.
        assert [e.kind.value for e in events] == ["ringing", "ended", "missed"]
        assert pbx_requests(sim, "POST", "action") == dials
    finally:
        await session.stop()
        await pbx.close()
        server.stop()


async def test_the_pbx_down_behind_the_relay_is_told_in_words(
    session: Session, desktop: RelayPbx, sim: Simulator
) -> None:
    session.start()
    await until(lambda: session.state.account is not None)
    sim.stop()  # the PBX goes down; the relay stays
    await until(lambda: "relay cannot reach the PBX" in unreachable(session), 15)
    with pytest.raises(errors.PbxUnreachable, match="relay cannot reach the PBX"):
        await desktop.redirect()


# -- no relay there ---------------------------------------------------------------------


async def test_an_address_that_is_no_relay_is_said_in_words(sim: Simulator) -> None:
    pbx = RelayPbx(sim.base_url, "crt_not-a-relay")  # the PBX itself, not a relay
    try:
        with pytest.raises(errors.UnexpectedResponse, match="does not answer as a Companion"):
            await pbx.account()
        with pytest.raises(errors.UnexpectedResponse, match="does not answer as a Companion"):
            async for _ in pbx.pushed():
                pass
    finally:
        await pbx.close()


async def test_a_relay_that_is_not_running_is_said_in_words() -> None:
    pbx = RelayPbx("http://127.0.0.1:9", "crt_x")  # the discard port: nobody listens
    try:
        with pytest.raises(errors.PbxUnreachable, match=r"relay at 127\.0\.0\.1 cannot be reached"):
            await pbx.account()
        with pytest.raises(errors.PbxUnreachable, match=r"relay at 127\.0\.0\.1 cannot be reached"):
            async for _ in pbx.pushed():
                pass
    finally:
        await pbx.close()

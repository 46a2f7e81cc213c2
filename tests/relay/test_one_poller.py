"""The relay reads the PBX once for everybody: cdr/live once a second whatever the number
of desktops, the phonebook once for all users' local indexes."""

from __future__ import annotations

import time
from contextlib import ExitStack

from tests.relay.conftest import RunningRelay
from tests.relay.test_events import open_stream, receive


def live_reads(relay: RunningRelay) -> int:
    return sum(1 for r in relay.sim.state.requests if r.path.endswith("/cdr/live"))


def test_many_desktops_cost_one_live_read_a_second(relay: RunningRelay) -> None:
    tokens = [
        relay.enrol(login, f"pc {n}")
        for n, login in enumerate(
            ["mmuster", "mmuster", "tsander", "jgeissler", "agrassl", "ameyer"]
        )
    ]
    with ExitStack() as streams:
        for token in tokens:
            receive(streams.enter_context(open_stream(relay, token)))
        before = live_reads(relay)
        time.sleep(2.0)
        during = live_reads(relay) - before
    # Six desktops, five users, two seconds: about two reads, not twelve.
    assert 1 <= during <= 4, during


def test_the_phonebook_is_read_once_for_every_users_index(relay: RunningRelay) -> None:
    pages = {}
    for login in ("mmuster", "tsander", "jgeissler"):
        with relay.client(relay.enrol(login)) as client:
            answer = client.get("/directory", params={"offset": 0, "limit": 1000})
            assert answer.status_code == 200
            pages[login] = answer.json()
    shared_reads = [r for r in relay.sim.state.requests if "/phonebook/identity/" in r.path]
    # One PBX-wide read for all three (the first user's), plus each user's own entries.
    by_user = {login: sum(1 for r in shared_reads if r.path.endswith(login)) for login in pages}
    assert by_user["mmuster"] == 2 and by_user["tsander"] == 1 and by_user["jgeissler"] == 1
    max_names = {c["name"] for c in pages["mmuster"]["contacts"]}
    tina_names = {c["name"] for c in pages["tsander"]["contacts"]}
    assert "Mama" in max_names and "Mama" not in tina_names  # Max's own, not Tina's
    assert "Lars Sander" in tina_names and "Lars Sander" not in max_names
    assert "Acme Corp." in max_names & tina_names
    assert pages["tsander"]["total"] == len(pages["tsander"]["contacts"])


def test_desktops_asking_for_live_calls_share_one_read(relay: RunningRelay) -> None:
    relay.sim.ring("+49 30 555123", "tsander", ring_s=30)
    max_token, tina_token = relay.enrol("mmuster"), relay.enrol("tsander")
    with relay.client(max_token) as max_client, relay.client(tina_token) as tina_client:
        deadline = time.monotonic() + 5  # the poller's next read (once a second) sees it
        while not (calls := tina_client.get("/calls").json()) and time.monotonic() < deadline:
            time.sleep(0.05)
        (call,) = calls
        before = live_reads(relay)
        for _ in range(10):  # twenty answers from what the poller read, not twenty reads
            assert max_client.get("/calls").json() == []
            assert len(tina_client.get("/calls").json()) == 1
        asked = live_reads(relay) - before
    assert call["remote_number"] == "+49 30 555123"
    assert asked <= 2, asked


def test_a_users_slow_state_is_the_safety_net_while_the_poller_follows_calls(
    relay: RunningRelay,
) -> None:
    from companion.session.session import SAFETY_NET

    with open_stream(relay, relay.enrol("mmuster")) as ws:
        receive(ws)
        deadline = time.monotonic() + 5
        redirect_reads = 0
        while time.monotonic() < deadline:
            redirect_reads = sum(
                1 for r in relay.sim.state.requests if r.path.endswith("/redirect/")
            )
            user = relay.server.relay.hub.users().get("mmuster")
            if redirect_reads and user and user.session.poller.interval == SAFETY_NET:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the user's slow state is not paced as the safety net")
        assert redirect_reads == 1  # the first read, and no other

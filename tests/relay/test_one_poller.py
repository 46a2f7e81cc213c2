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
        time.sleep(3.0)
        during = live_reads(relay) - before
    # Six desktops, five users, three seconds: about three reads, not eighteen.
    assert 2 <= during <= 5, during


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

"""Shared fixtures: a demo PBX on a real loopback socket, and the app's client for it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

# Widgets in tests are offscreen unless a test starts its own X server (tests/desktop).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from companion.pbx.pascom import PascomPbx
from companion.simulator import Simulator

REST_USER = "moby"
REST_PASSWORD = "demo-secret"
USER = "mmuster"


@pytest.fixture(autouse=True)
def _state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the app's state (the sent-fax memory) or cache into the real home."""
    monkeypatch.setenv("COMPANION_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator.start(rest_user=REST_USER, rest_password=REST_PASSWORD) as simulator:
        yield simulator


@pytest.fixture
def reference_sim() -> Iterator[Simulator]:
    """The demo PBX answering literally as the pascom reference's examples do."""
    with Simulator.start(
        rest_user=REST_USER, rest_password=REST_PASSWORD, variant="reference"
    ) as simulator:
        yield simulator


@pytest.fixture
async def pbx(sim: Simulator) -> AsyncIterator[PascomPbx]:
    client = PascomPbx(sim.base_url, REST_USER, REST_PASSWORD, USER)
    yield client
    await client.close()

"""Fixtures for the simulator's own tests: plain httpx over a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from companion.simulator import Simulator

REST_USER = "moby"
REST_PASSWORD = "demo-secret"


def seg(text: str) -> str:
    """One percent-encoded path segment, as the client sends it."""
    return quote(text, safe="")


def services(sim: Simulator, **kwargs: object) -> httpx.Client:
    """An authenticated client whose relative URLs are under /{instance}/services/."""
    return httpx.Client(
        base_url=sim.base_url + "/services/",
        auth=(REST_USER, REST_PASSWORD),
        timeout=10.0,
        **kwargs,  # type: ignore[arg-type]
    )


def origin(sim: Simulator) -> str:
    """scheme://host:port of the simulator."""
    return sim.base_url.rsplit("/", 1)[0]


@pytest.fixture(scope="session")
def demo() -> Iterator[Simulator]:
    """One demo PBX for all tests that only read."""
    with Simulator.start() as simulator:
        yield simulator


@pytest.fixture(scope="session")
def _shared() -> Iterator[Simulator]:
    with Simulator.start() as simulator:
        yield simulator


@pytest.fixture
def sim(_shared: Simulator) -> Iterator[Simulator]:
    """The demo PBX as loaded, for a test that changes state (reset before each test)."""
    _shared.reset()
    yield _shared
    _shared.behave()


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with services(sim) as client:
        yield client


@pytest.fixture(scope="session")
def ro(demo: Simulator) -> Iterator[httpx.Client]:
    """Read-only client on the shared demo PBX."""
    with services(demo) as client:
        yield client

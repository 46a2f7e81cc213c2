"""A relay in front of the demo PBX, on a free loopback port, and ways to enrol with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from companion.relay import config as relay_config
from companion.relay.server import RelayServer
from companion.relay.store import Store
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER


@dataclass
class RunningRelay:
    server: RelayServer
    data_dir: Path
    sim: Simulator

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def ws_url(self) -> str:
        return self.server.url.replace("http", "ws", 1) + "/v1/events"

    def code(self, login: str) -> str:
        """A one-time code, as `companion relay add-user` makes it (another connection)."""
        store = Store(self.data_dir)
        try:
            return store.add_code(login)
        finally:
            store.close()

    def enrol(self, login: str, device: str = "laptop") -> str:
        answer = httpx.post(
            f"{self.url}/v1/enrol", json={"code": self.code(login), "device": device}
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["token"]
        return token

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def audit_lines(self) -> list[str]:
        return (self.data_dir / "audit.log").read_text(encoding="utf-8").splitlines()


def start_relay(sim: Simulator, data_dir: Path, **flags: object) -> RelayServer:
    config = relay_config.load(
        None,
        pbx_url=sim.base_url,
        rest_user=REST_USER,
        listen="127.0.0.1:0",
        data_dir=str(data_dir),
        **flags,
    )
    relay_config.check_serving(config)
    return RelayServer(config, REST_PASSWORD, log_level="warning").start()


@pytest.fixture
def relay(sim: Simulator, tmp_path: Path) -> Iterator[RunningRelay]:
    data_dir = tmp_path / "relay"
    server = start_relay(sim, data_dir)
    try:
        yield RunningRelay(server, data_dir, sim)
    finally:
        server.stop()

"""Companion's innovaphone client against the innovaphone demo PBX over a real WebSocket.

The demo PBX runs in its own thread on loopback; the client is the app's own. Its two
readings ("default", "reference": docs/pbx-assumptions.md) differ in the logins only, so
the login tests run against both.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from companion.pbx.innovaphone import InnovaphonePbx, SessionCredentials, log_in_user
from companion.simulator.innovaphone import InnovaphoneSimulator

USER, USER_CN, USER_PASSWORD = "mmuster", "Max Mustermann", "demo-pass"
APP, APP_PASSWORD = "companion", "companion-secret"


@pytest.fixture
def inno() -> Iterator[InnovaphoneSimulator]:
    """The demo PBX; test_logins.py runs against both its readings (where they differ)."""
    with InnovaphoneSimulator.start() as simulator:
        yield simulator


@pytest.fixture
async def session_credentials(inno: InnovaphoneSimulator) -> SessionCredentials:
    return await log_in_user(inno.url, USER, USER_PASSWORD)


@pytest.fixture
async def client(
    inno: InnovaphoneSimulator, session_credentials: SessionCredentials
) -> AsyncIterator[InnovaphonePbx]:
    """The recommended route: the user's myApps session, no App password on the desktop."""
    pbx = InnovaphonePbx(inno.url, USER, session=session_credentials)
    yield pbx
    await pbx.close()


@pytest.fixture
async def app_client(inno: InnovaphoneSimulator) -> AsyncIterator[InnovaphonePbx]:
    pbx = InnovaphonePbx(inno.url, USER, app=APP, app_password=APP_PASSWORD)
    yield pbx
    await pbx.close()


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)

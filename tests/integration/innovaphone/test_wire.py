"""The AppWebsocket wire against the demo PBX: deadlines, the size limit, KeepAlive."""

from __future__ import annotations

import asyncio

import pytest

from companion.pbx import errors
from companion.pbx.innovaphone import InnovaphonePbx
from companion.pbx.innovaphone import wire as wire_module
from companion.pbx.models import CallAction
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import APP, APP_PASSWORD, USER, until


async def test_a_read_the_pbx_is_slow_to_answer_times_out_in_words(
    client: InnovaphonePbx, inno: InnovaphoneSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.account()
    monkeypatch.setattr(wire_module, "REQUEST_DEADLINE", 0.3)
    inno.delay_s = 1.0
    with pytest.raises(errors.PbxTimeout, match="did not answer in time"):
        await client.switches()


async def test_a_dial_the_pbx_is_slow_to_answer_may_have_been_done(
    client: InnovaphonePbx, inno: InnovaphoneSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.account()
    monkeypatch.setattr(wire_module, "REQUEST_DEADLINE", 0.3)
    inno.delay_s = 1.0
    with pytest.raises(errors.ActionUnconfirmed, match="it may have done what was asked"):
        await client.call_action(CallAction.DIAL, "0301234567")
    inno.delay_s = 0.0
    await until(lambda: inno.received["UserCall"] == 1)
    await asyncio.sleep(1.2)
    assert inno.received["UserCall"] == 1  # not sent again


async def test_a_message_over_the_size_limit_ends_the_connection_in_words(
    inno: InnovaphoneSimulator,
) -> None:
    big = "x" * (wire_module.MAX_MESSAGE + 10)
    inno.add_user("Zz Huge", "zhuge", "199", "pw", dn=big, apps="")  # not in RCC's UserInfo
    pbx = InnovaphonePbx(inno.url, USER, app=APP, app_password=APP_PASSWORD)
    try:
        await pbx.account()
        with pytest.raises(errors.AnswerTooLarge):
            await pbx.presence(["zhuge"])
        assert (await pbx.account()).extension == "101"  # a new connection serves the next
        assert pbx.connections == 2
    finally:
        await pbx.close()


async def test_keepalive_after_idling_and_none_while_busy(
    inno: InnovaphoneSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wire_module, "KEEPALIVE_AFTER", 0.3)
    pbx = InnovaphonePbx(inno.url, USER, app=APP, app_password=APP_PASSWORD)
    try:
        await pbx.account()
        for _ in range(8):  # traffic every 0.1 s: no KeepAlive is needed
            await pbx.switches()
            await asyncio.sleep(0.1)
        assert inno.received["KeepAlive"] == 0
        await until(lambda: inno.received["KeepAlive"] >= 2, timeout=3.0)  # idle: one each 0.3 s
    finally:
        await pbx.close()

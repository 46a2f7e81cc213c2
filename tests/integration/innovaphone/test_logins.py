"""Both innovaphone logins against the demo PBX: right and wrong, and a fake PBX."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from companion.pbx import errors
from companion.pbx.innovaphone import InnovaphonePbx, NotThePbx, SessionCredentials, log_in_user
from companion.pbx.innovaphone.logins import AppRefused, SessionRefused, UserRefused
from companion.simulator.innovaphone import InnovaphoneSimulator
from tests.integration.innovaphone.conftest import APP, APP_PASSWORD, USER, USER_PASSWORD


@pytest.fixture(params=["default", "reference"])
def inno(request: pytest.FixtureRequest) -> Iterator[InnovaphoneSimulator]:
    """Both readings: the LoginResult info (nested or flat) and a refused AppLogin differ."""
    with InnovaphoneSimulator.start(variant=request.param) as simulator:
        yield simulator


async def test_the_app_object_login_reaches_the_pbx_apis(app_client: InnovaphonePbx) -> None:
    me = await app_client.account()
    assert (me.login, me.display_name, me.extension) == ("mmuster", "Max Mustermann", "101")


async def test_a_wrong_app_password_is_refused_in_words(inno: InnovaphoneSimulator) -> None:
    pbx = InnovaphonePbx(inno.url, USER, app=APP, app_password="wrong")
    with pytest.raises(AppRefused, match="App object's name or password"):
        await pbx.account()
    await pbx.close()


async def test_the_user_login_keeps_session_credentials_not_the_password(
    inno: InnovaphoneSimulator,
) -> None:
    session = await log_in_user(inno.url, USER, USER_PASSWORD)
    assert USER_PASSWORD not in session.to_secret()
    assert SessionCredentials.from_secret(session.to_secret()) == session
    pbx = InnovaphonePbx(inno.url, USER, session=session)  # later runs: the session only
    try:
        assert (await pbx.account()).display_name == "Max Mustermann"
        assert inno.received["AppGetLogin"] == 2  # the check at login, and this connection
    finally:
        await pbx.close()


async def test_a_wrong_user_password_is_refused_in_words(inno: InnovaphoneSimulator) -> None:
    with pytest.raises(UserRefused, match="myApps login name and password"):
        await log_in_user(inno.url, USER, "wrong")


async def test_a_session_the_pbx_does_not_know_is_refused(inno: InnovaphoneSimulator) -> None:
    pbx = InnovaphonePbx(inno.url, USER, session=SessionCredentials("0" * 32, "1" * 32))
    with pytest.raises(SessionRefused, match="Log in again"):
        await pbx.account()
    await pbx.close()


async def test_a_pbx_that_cannot_prove_the_password_is_not_trusted(
    inno: InnovaphoneSimulator,
) -> None:
    inno.options.fake_login_digest = True
    with pytest.raises(NotThePbx, match="not your PBX"):
        await log_in_user(inno.url, USER, USER_PASSWORD)
    assert inno.received["AppGetLogin"] == 0  # nothing was asked of a PBX not trusted


async def test_an_older_pbx_sends_the_challenge_as_a_number() -> None:
    with InnovaphoneSimulator.start(challenge_as_number=True) as old:
        pbx = InnovaphonePbx(old.url, USER, app=APP, app_password=APP_PASSWORD)
        try:
            assert (await pbx.account()).extension == "101"
        finally:
            await pbx.close()


async def test_an_unknown_user_is_named(inno: InnovaphoneSimulator) -> None:
    pbx = InnovaphonePbx(inno.url, "nobody", app=APP, app_password=APP_PASSWORD)
    with pytest.raises(errors.NotFound, match="'nobody'"):
        await pbx.account()
    await pbx.close()


async def test_a_pbx_that_is_not_there_is_unreachable(inno: InnovaphoneSimulator) -> None:
    url = inno.url
    inno.stop()
    pbx = InnovaphonePbx(url, USER, app=APP, app_password=APP_PASSWORD)
    with pytest.raises(errors.PbxUnreachable):
        await pbx.account()
    await pbx.close()


def test_plain_ws_is_for_loopback_only() -> None:
    with pytest.raises(errors.BadRequest, match="wss://"):
        InnovaphonePbx("ws://pbx.example.com/PBX0", USER, app=APP, app_password="x")

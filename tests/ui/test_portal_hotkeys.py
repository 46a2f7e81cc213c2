"""Global shortcuts through the real desktop portal (Wayland's way), end to end.

Debian's xdg-desktop-portal frontend runs on a private session bus (dbus-run-session) with
a stand-in desktop behind it (tests/desktop/portal_backend.py) that answers the
``org.freedesktop.impl.portal.GlobalShortcuts`` calls as the user's confirmation dialog
would. The app is the real Companion in this process (offscreen) against the demo PBX;
its hotkey back end is the portal one, as Wayland chooses it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from companion.app import Companion
from companion.desktop.hotkeys import portal_backend
from companion.desktop.integration import DesktopIntegration
from companion.simulator import Simulator
from tests.desktop.portal_backend import Control, portal_bus
from tests.ui.conftest import run
from tests.ui.test_app import logged_in


@pytest.fixture(params=["confirm"])
def portal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Control]:
    with portal_bus(request.param) as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        control = Control(address)
        yield control
        control.close()


@pytest.fixture
def desktop(app: Companion, sim: Simulator, portal: Control) -> Iterator[DesktopIntegration]:
    """The app logged in to the demo PBX, its hotkeys to go through the portal."""
    logged_in(sim)
    integration = DesktopIntegration(app, hotkey_backend=portal_backend)
    yield integration
    integration.close()


def scenario(
    loop: qasync.QEventLoop, desktop: DesktopIntegration, steps: Callable[[], Awaitable[None]]
) -> None:
    """Start the app, register its hotkeys once connected (as the app does), run `steps`;
    on a loop that runs throughout (a request must never see the loop stop under it)."""
    app = desktop.companion

    async def body() -> None:
        app.launch()
        while app.controller is None or app.controller.reachable is not True:
            await asyncio.sleep(0.01)
        desktop.register_hotkeys()
        await steps()

    run(loop, asyncio.wait_for(body(), 60))


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.01)


def calls(portal: Control, name: str) -> list[dict[str, Any]]:
    return [call for call in portal.calls() if call["call"] == name]


def test_shortcuts_are_bound_after_the_users_confirmation_and_dial_the_selection(
    loop: qasync.QEventLoop, desktop: DesktopIntegration, portal: Control, sim: Simulator
) -> None:
    seen: dict[str, Any] = {}

    async def steps() -> None:
        await until(lambda: calls(portal, "BindShortcuts"))
        await asyncio.sleep(0.2)  # the Response: all bound as asked, nothing to say
        seen["problems"] = list(desktop.hotkey_problems)
        seen["backend"] = desktop.hotkeys.name if desktop.hotkeys else None
        # The user presses the key with a number copied: the link prompt asks, Dial dials.
        QApplication.clipboard().setText("Please call me back: +49 89 1234567, Tina")
        portal.activate("dial_selection")
        await until(lambda: bool(desktop.prompts))
        prompt = desktop.prompts[0]
        seen["prompted"] = prompt.number.destination
        await until(prompt.dial_button.isEnabled)
        prompt.dial_button.click()
        await until(lambda: any(a.action == "dial" for a in sim.state.actions))
        portal.activate("open_dial")
        shell = desktop.companion.shell
        await until(lambda: shell.dial_window is not None and shell.dial_window.isVisible())
        # Quitting closes the portal session: the desktop drops the shortcuts.
        desktop.close()
        await until(lambda: calls(portal, "Close"))

    scenario(loop, desktop, steps)
    assert seen["backend"] == "desktop portal (GlobalShortcuts)"
    assert seen["problems"] == []
    (created,) = calls(portal, "CreateSession")
    (bind,) = calls(portal, "BindShortcuts")  # both keys in one dialog
    assert bind["session"] == created["session"]
    assert bind["shortcuts"] == {"dial_selection": "CTRL+ALT+d", "open_dial": "CTRL+ALT+f"}
    assert seen["prompted"] == "+49891234567"
    assert [a.destination for a in sim.state.actions if a.action == "dial"] == ["+49891234567"]
    assert [call["session"] for call in calls(portal, "Close")] == [created["session"]]


@pytest.mark.parametrize(
    ("portal", "said"),
    [
        ("refuse", "Global shortcuts were not set up: the desktop refused them"),
        (
            "cancel",
            "Global shortcuts were not set up: the desktop's shortcut dialog was cancelled",
        ),
    ],
    indirect=["portal"],
)
def test_a_desktop_that_refuses_the_shortcuts_is_said_in_words(
    loop: qasync.QEventLoop, desktop: DesktopIntegration, portal: Control, said: str
) -> None:
    async def steps() -> None:
        await until(lambda: desktop.hotkey_problems)
        await until(lambda: calls(portal, "Close"))

    scenario(loop, desktop, steps)
    assert desktop.hotkey_problems == [said]
    window = desktop.companion.shell.window
    assert window is not None
    assert window.statusBar().currentMessage() == desktop.hotkey_problems[0]
    # The session that holds nothing is closed at once, not kept until quit.
    (created,) = calls(portal, "CreateSession")
    assert [call["session"] for call in calls(portal, "Close")] == [created["session"]]


@pytest.mark.parametrize("portal", ["none"], indirect=True)
def test_a_portal_without_global_shortcuts_names_the_command_to_bind(
    loop: qasync.QEventLoop, desktop: DesktopIntegration
) -> None:
    async def steps() -> None:
        return None

    scenario(loop, desktop, steps)
    assert desktop.hotkeys is not None
    assert desktop.hotkeys.name.startswith("none")
    problems = desktop.hotkey_problems
    assert len(problems) == 2  # one per shortcut, each said once
    assert "no GlobalShortcuts interface" in problems[0]
    assert "`companion dial --selection`" in problems[0]
    assert "desktop's own keyboard settings" in problems[0]

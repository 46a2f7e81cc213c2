"""The tray icon as KDE's panel (or GNOME's AppIndicator extension) sees it: a
StatusNotifierItem with its menu over com.canonical.dbusmenu, read over D-Bus.

The real app (``python -m companion``) runs under Weston (Qt's wayland platform, which
picks the D-Bus tray when a watcher with a host is on the bus) on a private session bus
with a stand-in ``org.kde.StatusNotifierWatcher`` (sni_watcher.py); the demo PBX runs in
this process. The test plays the panel: it reads the registered item's properties and
menu, and clicks a menu entry with a dbusmenu Event.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from companion import config, credentials
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER
from tests.desktop.sni_watcher import Panel, watcher_bus
from tests.desktop.wayland_session import ROOT, weston
from tests.support.file_keyring import FileKeyring

CALLER = "+4989555666"


def wait_for(
    condition: Callable[[], Any],
    what: str,
    timeout: float = 20.0,
    context: Callable[[], object] | None = None,
) -> Any:
    """``condition()``'s value once it is true; fails naming ``what`` (and ``context()``,
    e.g. what the panel sees, as it stood then)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}" + (f"; seen: {context()!r}" if context else ""))
        time.sleep(0.05)
    return value


@pytest.fixture
def panel(tmp_path: Path, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Panel]:
    """The app running on Weston with its tray on a private bus; the panel's view of it."""
    for name in ("config", "cache", "state", "xdg-config", "runtime"):
        (tmp_path / name).mkdir(mode=0o700)
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COMPANION_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    config.save(
        config.Settings(
            pbx_url=sim.base_url,
            rest_user=REST_USER,
            user=USER,
            region="DE",
            poll_interval=5,
            hotkey_dial_selection="",  # no hotkey notice on this desktop without a portal
            hotkey_open_dial="",
        )
    )
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    try:
        credentials.store_password(sim.base_url, REST_USER, REST_PASSWORD)
    finally:
        keyring.set_keyring(previous)
    with weston() as wayland, watcher_bus() as address:
        environment = {
            **os.environ,
            **wayland,
            "QT_QPA_PLATFORM": "wayland",
            "DBUS_SESSION_BUS_ADDRESS": address,
            "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
            "PYTHONPATH": str(ROOT),
            "COMPANION_CACHE_DIR": str(tmp_path / "cache"),
            "COMPANION_STATE_DIR": str(tmp_path / "state"),
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        }
        environment.pop("DISPLAY", None)
        with open(tmp_path / "app.log", "wb") as log:
            app = subprocess.Popen(
                [sys.executable, "-m", "companion"], env=environment, stderr=log, cwd=ROOT
            )
        watching = Panel(address)
        try:
            wait_for(watching.items, "the app's tray icon registered with the watcher")
            yield watching
        finally:
            watching.close()
            app.terminate()
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
            errors = (tmp_path / "app.log").read_text(errors="replace")
            assert "Traceback" not in errors, errors


def tooltip(panel: Panel) -> str:
    _icon, _pixmaps, title, _text = panel.properties()["ToolTip"]
    return str(title)


def seen(panel: Panel) -> tuple[str, str, str]:
    """The item's status, and its tooltip's title and text."""
    properties = panel.properties()
    _icon, _pixmaps, title, text = properties["ToolTip"]
    return str(properties["Status"]), str(title), str(text)


def icon(panel: Panel) -> bytes:
    """The icon's largest pixmap (ARGB32): the size where every badge shows (a 22 px
    panel icon shows the most urgent one only)."""
    pixmaps = {width: data for width, _height, data in panel.properties()["IconPixmap"]}
    return bytes(pixmaps[max(pixmaps)])


def changed_icon(panel: Panel, before: dict[str, bytes], state: str) -> bytes:
    """The icon once it differs from every icon the earlier states showed."""
    return bytes(
        wait_for(
            lambda: (now := icon(panel)) not in before.values() and now,
            f"the icon shows {state}",
            timeout=10,
            context=lambda: seen(panel),
        )
    )


def labels(entries: list[dict[str, Any]]) -> list[str]:
    """The entries as a panel shows them: mnemonics and shortcut text removed."""
    shown = []
    for entry in entries:
        if entry.get("type") == "separator":
            shown.append("—")
        else:
            shown.append(re.sub(r"_(?=.)", "", str(entry["label"])).split("\t")[0])
    return shown


def test_the_panel_sees_the_item_its_state_and_a_working_menu(panel: Panel, sim: Simulator) -> None:
    def wait(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
        return wait_for(condition, what, timeout, context=lambda: seen(panel))

    # Registered by its connection's unique name: a Flatpak needs to own no name for it,
    # only to talk to the watcher (the manifest's --talk-name).
    service, path = panel.item()
    assert service.startswith(":") and path == "/StatusNotifierItem"
    properties = panel.properties()
    assert properties["Id"] == "Companion"
    assert properties["Category"] == "ApplicationStatus"
    assert properties["Menu"] == "/MenuBar"
    connected_text = "Companion – connected as Max Mustermann (101); 3 new voicemails"
    wait(lambda: tooltip(panel) == connected_text, "the tooltip says connected")
    icons = {"connected": icon(panel)}

    # The menu: its entries in order, the redirect's check mark off.
    wait(
        lambda: "Update the local directory" in labels(panel.layout()),
        "the directory sync at start-up ends",
    )
    assert labels(panel.layout()) == [
        "Connected as Max Mustermann (101)",
        "Presence: Im Büro  ·  Redirect off",
        "—",
        "Dial…",
        "Recent calls",
        "—",
        "Presence",
        "Redirect",
        "Switches",
        "—",
        "Voicemail (3 new)",
        "Faxes",
        "—",
        "Update the local directory",
        "Settings…",
        "Quit",
    ]
    redirect_menu = next(e for e in panel.layout() if e.get("label") == "_Redirect")
    (switch_on, choose) = panel.submenu(redirect_menu["id"])
    assert switch_on["toggle-type"] == "checkmark" and switch_on["toggle-state"] == 0
    assert labels([switch_on, choose]) == ["Redirect to +49 89 998877", "Redirect to…"]

    # A call rings, is missed and leaves a voicemail: the icon and the tooltip follow.
    # (No notice showing first: while one shows, it is the tooltip; see below.)
    wait(lambda: seen(panel)[0] == "Active", "no notice showing", 15)
    sim.ring(CALLER, USER, ring_s=3, message_s=0.5)
    wait(lambda: "+49 89 555666 is calling" in tooltip(panel), "the tooltip says ringing")
    icons["ringing"] = changed_icon(panel, icons, "ringing")
    # The missed call and its voicemail come as two notices, by the live poll and the
    # inbox's, in either order and sometimes a few milliseconds apart: the tooltip shows
    # the later one only, the notification server has both.
    missed = ("Missed call", "Missed call from +49 89 555666")
    voicemail = ("New voicemail", "New voicemail from +49 89 555666 (0:01)")
    wait(
        lambda: {missed, voicemail} <= set(panel.notices()),
        "the missed call's and the voicemail's notices",
    )
    assert seen(panel)[0] == "NeedsAttention"
    icons["missed"] = changed_icon(panel, icons, "missed call")

    # Clicking the redirect entry over dbusmenu does what a click does: the PBX redirects,
    # the check mark and the icon follow, and the confirmation shows.
    panel.click(switch_on["id"])
    wait(
        lambda: any(r.method == "POST" and "/redirect/" in r.path for r in sim.state.requests),
        "the redirect reached the PBX",
    )

    def checked() -> bool:
        entries = panel.submenu(redirect_menu["id"])
        return any(e["id"] == switch_on["id"] and e["toggle-state"] == 1 for e in entries)

    wait(checked, "the redirect's check mark is on (read back from the PBX)")
    confirmation = ("Companion", "Your calls are now redirected to +49 89 998877.")
    wait(lambda: panel.notices()[-1] == confirmation, "the redirect's confirmation")
    icons["redirect"] = changed_icon(panel, icons, "redirect")
    # Qt's D-Bus tray shows a notice as the item's tooltip, asking for attention, for the
    # notice's time; then the tooltip is the state again.
    final = wait(lambda: (shown := seen(panel))[0] == "Active" and shown, "the notices end", 15)
    assert final == (
        "Active",
        "Companion – connected as Max Mustermann (101); redirect to +49 89 998877;"
        " 4 new voicemails; 1 missed call",
        "",
    )

    # The PBX goes away; the user opens the menu (which reads the state anew): the icon
    # and the tooltip say it cannot be reached.
    sim.misbehave("drop")
    panel.about_to_show()
    unreachable = wait(
        lambda: (
            (shown := seen(panel))[1].startswith("Companion – not connected to the PBX") and shown
        ),
        "the tooltip says unreachable",
    )
    icons["unreachable"] = changed_icon(panel, icons, "unreachable")
    assert unreachable[1] == (
        "Companion – not connected to the PBX: The connection to the PBX broke off before"
        " it answered. Try again."
    )
    sim.behave()

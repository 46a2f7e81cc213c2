"""The app under a real Wayland compositor: Weston's headless back end, Qt's wayland
platform (see wayland_session.py). Each window opens, takes input and closes; the
screenshots land in a directory of their own (COMPANION_SHOTS_DIR, else the test's tmp).
What Wayland does not allow (placing windows, reading highlighted text without the
primary-selection protocol, which Weston lacks) is said in words.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion.desktop.selection import NO_PRIMARY_MESSAGE
from companion.ui.placement import CANNOT_PLACE
from tests.desktop import wayland_session
from tests.desktop.wayland_session import run_scenario, weston
from tests.support.desktop_tools import REQUIRE


def test_windows_open_take_input_and_close_under_weston(tmp_path: Path) -> None:
    shots = Path(os.environ.get("COMPANION_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with weston() as wayland:
        seen = run_scenario(wayland, "windows", str(shots))
    assert seen["platform"] == "wayland"
    assert seen["no_tray_exposed"] and seen["connected"]
    assert seen["dial_exposed"] and seen["dial_reached_pbx"] and seen["dial_closed"]
    assert seen["prompt_opened"] and seen["prompt_exposed"]
    assert seen["prompt_reached_pbx"] and seen["prompt_closed"]
    assert seen["popup_shown"] and seen["popup_exposed"]
    assert seen["popup_declined"] and seen["popup_closed"]
    # What the PBX received: the decline, the typed number, the link's number.
    assert seen["actions"] == [
        ["hangup", ""],
        ["dial", "+49891234567"],
        ["dial", "+49897654321"],
    ]
    # Weston has no primary selection: the user is told to copy instead, not
    # "no number selected" while a number is highlighted.
    assert seen["supports_selection"] is False
    assert seen["selection_notice"] == NO_PRIMARY_MESSAGE
    assert seen["selection_prompted"] is False
    # Windows cannot be placed by the tray there: said once, in the log.
    assert seen["said_cannot_place"] == 1
    assert CANNOT_PLACE.startswith("This desktop (Wayland)")
    for key in ("no_tray_shot", "dial_shot", "prompt_shot", "popup_shot"):
        png = Path(seen[key])
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", key
        assert png.stat().st_size > 2000, f"{key} is (nearly) empty"
    assert "Traceback" not in seen["stderr"]


def test_without_weston_the_test_skips_and_fails_where_ci_requires_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wayland_session, "WESTON", None)
    monkeypatch.delenv(REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install weston"), weston():
        pass
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install weston"), weston():
        pass

"""keyring_help.check in a real D-Bus session: without a Secret Service it says what to
install; with gnome-keyring running (unlocked) the keyring is usable.

Each case runs in its own throwaway ``dbus-run-session``, so the desktop's own keyring
is never touched (Debian packages: dbus-daemon, gnome-keyring).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = (
    "from companion import keyring_help; s = keyring_help.check();"
    " print('USABLE' if s.usable else 'NOT USABLE'); print(s.advice)"
)


# A session bus without the system's service files: nothing (no gnome-keyring) is
# started on demand, as on a desktop that has no Secret Service.
BARE_BUS = """<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/>
<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>"""


def in_session(script: str, env: dict[str, str], config: Path | None = None) -> str:
    if not shutil.which("dbus-run-session"):
        pytest.skip("dbus-run-session is not installed (Debian: dbus-daemon)")
    bus = [f"--config-file={config}"] if config else []
    done = subprocess.run(
        ["dbus-run-session", *bus, "--", "sh", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING"))}
    env.update(extra)
    return env


@pytest.fixture
def bare_bus(tmp_path: Path) -> Path:
    config = tmp_path / "bare-session.conf"
    config.write_text(BARE_BUS)
    return config


def test_no_secret_service_on_the_bus_says_what_to_install(bare_bus: Path) -> None:
    out = in_session(
        f'"{sys.executable}" -c "{PROBE}"', clean_env(XDG_CURRENT_DESKTOP="XFCE"), bare_bus
    )
    assert out.splitlines()[0] == "NOT USABLE"
    assert "sudo apt install gnome-keyring" in out


def test_kde_without_a_secret_service_points_at_kwallet(bare_bus: Path) -> None:
    out = in_session(
        f'"{sys.executable}" -c "{PROBE}"', clean_env(XDG_CURRENT_DESKTOP="KDE"), bare_bus
    )
    assert out.splitlines()[0] == "NOT USABLE" and "KWallet" in out


def test_gnome_keyring_running_is_usable() -> None:
    if not shutil.which("gnome-keyring-daemon"):
        pytest.skip("gnome-keyring is not installed")
    script = (
        "echo -n pw | gnome-keyring-daemon --unlock --components=secrets;"
        f' "{sys.executable}" -c "{PROBE}"'
    )
    out = in_session(script, clean_env(XDG_CURRENT_DESKTOP="XFCE"))
    assert out.splitlines()[-2] == "USABLE"  # after what gnome-keyring-daemon printed

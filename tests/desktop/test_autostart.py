"""Start at login: real XDG autostart files in an isolated config dir; the Windows Run
value and the macOS LaunchAgent on their content."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.desktop import autostart
from companion.desktop.autostart import (
    LinuxAutostart,
    MacAutostart,
    WindowsAutostart,
    autostart_entry,
    launch_agent,
    run_value,
)
from companion.desktop.launch import parse_desktop_exec
from companion.desktop.registry import MemoryRegistry, RegistryValue

COMMAND = ["/opt/Companion Apps/bin/companion"]


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    return home


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart")
def test_linux_enable_disable_for_real(config_home: Path) -> None:
    entry = config_home / "autostart" / "companion.desktop"
    assert autostart.is_enabled() is False

    autostart.enable()

    text = entry.read_text(encoding="utf-8")
    assert "X-GNOME-Autostart-enabled=true\n" in text
    assert "Type=Application\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert parse_desktop_exec(exec_line[5:]) == [sys.executable, "-m", "companion"]
    assert autostart.is_enabled() is True
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert done.returncode == 0, done.stdout

    autostart.enable()  # twice is fine
    assert autostart.is_enabled() is True

    autostart.disable()
    assert not entry.exists()
    assert autostart.is_enabled() is False
    autostart.disable()  # and so is disabling twice
    assert autostart.is_enabled() is False


def test_linux_entry_content() -> None:
    text = autostart_entry(COMMAND)
    assert 'Exec="/opt/Companion Apps/bin/companion"\n' in text
    assert "%u" not in text


def test_linux_a_system_entry_is_hidden_not_deleted(config_home: Path, tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg" / "autostart" / "companion.desktop"
    system.parent.mkdir(parents=True)
    system.write_text(autostart_entry(["/usr/bin/companion"]), encoding="utf-8")
    backend = LinuxAutostart(command=COMMAND)
    assert backend.is_enabled() is True  # the system entry starts it

    backend.disable()

    assert system.is_file()  # not ours to delete
    user = config_home / "autostart" / "companion.desktop"
    assert "Hidden=true\n" in user.read_text(encoding="utf-8")
    assert backend.is_enabled() is False
    backend.enable()
    assert backend.is_enabled() is True
    assert "Hidden" not in user.read_text(encoding="utf-8")


def test_linux_autostart_switched_off_in_the_desktop_settings(config_home: Path) -> None:
    backend = LinuxAutostart(command=COMMAND)
    backend.enable()
    entry = config_home / "autostart" / "companion.desktop"
    entry.write_text(entry.read_text().replace("Autostart-enabled=true", "Autostart-enabled=false"))
    assert backend.is_enabled() is False


def test_windows_run_value() -> None:
    exe = r"C:\Users\Jo Doe\AppData\Local\Programs\Companion\companion.exe"
    assert run_value([exe]) == RegistryValue(
        r"Software\Microsoft\Windows\CurrentVersion\Run", "Companion", f'"{exe}"'
    )
    registry = MemoryRegistry()
    registry.set(r"Software\Microsoft\Windows\CurrentVersion\Run", "OneDrive", "onedrive.exe")
    before = registry.values()
    backend = WindowsAutostart(registry, command=[exe])
    assert backend.is_enabled() is False
    backend.enable()
    assert registry.values() - before == {run_value([exe])}
    assert backend.is_enabled() is True
    backend.disable()
    assert registry.values() == before
    assert backend.is_enabled() is False


def test_macos_launch_agent(tmp_path: Path) -> None:
    assert launch_agent(COMMAND) == {
        "Label": "net.companion",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    backend = MacAutostart(home=tmp_path, command=COMMAND)
    assert backend.is_enabled() is False
    backend.enable()
    agent = tmp_path / "Library" / "LaunchAgents" / "net.companion.plist"
    with open(agent, "rb") as f:
        assert plistlib.load(f) == launch_agent(COMMAND)
    assert backend.is_enabled() is True
    backend.disable()
    assert not agent.exists()
    assert backend.is_enabled() is False

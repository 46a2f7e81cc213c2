"""Start Companion at login ("Start at login" in the settings).

:func:`enable`, :func:`disable` and :func:`is_enabled` act for the current user, on
this platform; each failure is an :class:`AutostartError` with a one-line message. The
command started is :func:`companion.desktop.launch.companion_command` (this
installation), captured when :func:`enable` runs.

* Linux: an XDG autostart entry ``$XDG_CONFIG_HOME/autostart/companion.desktop`` with
  ``X-GNOME-Autostart-enabled=true``. When a system-wide entry of the same name exists
  (``$XDG_CONFIG_DIRS/autostart``), disabling writes a user entry with ``Hidden=true``
  over it, as the Desktop Application Autostart Specification asks.
* Windows: the value ``Companion`` of ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
* macOS: the LaunchAgent ``~/Library/LaunchAgents/net.companion.plist`` (``RunAtLoad``).

No Qt here.
"""

from __future__ import annotations

import os
import plistlib
import sys
from pathlib import Path
from typing import Any, Protocol

from companion.desktop.launch import companion_command, desktop_exec, windows_command_line
from companion.desktop.registry import Registry, RegistryValue, WindowsRegistry

__all__ = [
    "LAUNCH_AGENT_LABEL",
    "RUN_KEY",
    "AutostartError",
    "LinuxAutostart",
    "MacAutostart",
    "WindowsAutostart",
    "autostart_entry",
    "backend",
    "disable",
    "enable",
    "is_enabled",
    "launch_agent",
    "run_value",
]

APP_NAME = "Companion"
DESKTOP_ID = "companion.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LAUNCH_AGENT_LABEL = "net.companion"


class AutostartError(Exception):
    """Start at login could not be changed; the text is one line for the user."""


class Autostart(Protocol):
    def enable(self) -> None: ...

    def disable(self) -> None: ...

    def is_enabled(self) -> bool: ...


def backend() -> Autostart:
    if sys.platform == "win32":
        return WindowsAutostart()
    if sys.platform == "darwin":
        return MacAutostart()
    return LinuxAutostart()


def enable() -> None:
    """Start Companion at the next login of this user (this installation's command)."""
    backend().enable()


def disable() -> None:
    """Do not start Companion at login."""
    backend().disable()


def is_enabled() -> bool:
    return backend().is_enabled()


# -- Linux ------------------------------------------------------------------------------------


def autostart_entry(command: list[str]) -> str:
    """The XDG autostart desktop entry that runs ``command``."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Dial, presence, redirects, voicemail and fax for pascom phone systems\n"
        f"Exec={desktop_exec(command)}\n"
        "Icon=companion\n"
        "Terminal=false\n"
        "StartupNotify=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _entry_says_off(text: str) -> bool:
    group = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            group = stripped
            continue
        if group != "[Desktop Entry]" or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        key, value = key.strip(), value.strip().lower()
        if key == "Hidden" and value == "true":
            return True
        if key == "X-GNOME-Autostart-enabled" and value == "false":
            return True
    return False


class LinuxAutostart:
    """XDG autostart in the directories the XDG variables name now."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command

    @property
    def user_file(self) -> Path:
        value = os.environ.get("XDG_CONFIG_HOME", "")
        config_home = Path(value) if os.path.isabs(value) else Path.home() / ".config"
        return config_home / "autostart" / DESKTOP_ID

    def _system_files(self) -> list[Path]:
        dirs = os.environ.get("XDG_CONFIG_DIRS", "") or "/etc/xdg"
        return [
            Path(d) / "autostart" / DESKTOP_ID
            for d in dirs.split(":")
            if os.path.isabs(d) and (Path(d) / "autostart" / DESKTOP_ID).is_file()
        ]

    def enable(self) -> None:
        self._write(autostart_entry(self._command or companion_command()))

    def disable(self) -> None:
        if self._system_files():  # a user entry must hide the system one
            self._write("[Desktop Entry]\nType=Application\nName=Companion\nHidden=true\n")
            return
        try:
            self.user_file.unlink(missing_ok=True)
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.user_file}: {exc.strerror or exc}") from exc

    def is_enabled(self) -> bool:
        files = [self.user_file, *self._system_files()]
        for path in files:  # the first one found wins
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                continue
            except OSError:
                return False
            return not _entry_says_off(text)
        return False

    def _write(self, text: str) -> None:
        path = self.user_file
        temporary = path.with_name(f".{path.name}.companion-tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise AutostartError(f"cannot write {path}: {exc.strerror or exc}") from exc


# -- Windows ----------------------------------------------------------------------------------


def run_value(command: list[str]) -> RegistryValue:
    r"""The ``HKCU\...\CurrentVersion\Run`` value that starts ``command`` at login."""
    return RegistryValue(RUN_KEY, APP_NAME, windows_command_line(command))


class WindowsAutostart:
    def __init__(self, registry: Registry | None = None, command: list[str] | None = None):
        self._registry: Registry = registry if registry is not None else WindowsRegistry()
        self._command = command

    def enable(self) -> None:
        value = run_value(self._command or companion_command(windowless=True))
        try:
            self._registry.set(value.key, value.name, value.data)
        except OSError as exc:
            raise AutostartError(f"cannot write the registry: {exc.strerror or exc}") from exc

    def disable(self) -> None:
        try:
            self._registry.delete_value(RUN_KEY, APP_NAME)
        except OSError as exc:
            raise AutostartError(f"cannot change the registry: {exc.strerror or exc}") from exc

    def is_enabled(self) -> bool:
        try:
            return bool(self._registry.get(RUN_KEY, APP_NAME))
        except OSError:
            return False


# -- macOS ------------------------------------------------------------------------------------


def launch_agent(command: list[str]) -> dict[str, Any]:
    """The LaunchAgent property list that starts ``command`` at login."""
    return {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


class MacAutostart:
    def __init__(self, home: Path | None = None, command: list[str] | None = None) -> None:
        self._home = home or Path.home()
        self._command = command

    @property
    def agent_file(self) -> Path:
        return self._home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def enable(self) -> None:
        path = self.agent_file
        data = plistlib.dumps(launch_agent(self._command or companion_command()))
        temporary = path.with_name(f".{path.name}.companion-tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise AutostartError(f"cannot write {path}: {exc.strerror or exc}") from exc

    def disable(self) -> None:
        try:
            self.agent_file.unlink(missing_ok=True)
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.agent_file}: {exc.strerror or exc}") from exc

    def is_enabled(self) -> bool:
        try:
            with open(self.agent_file, "rb") as f:
                data = plistlib.load(f)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return isinstance(data, dict) and data.get("RunAtLoad") is True and not data.get("Disabled")

"""The Windows registry of the current user (HKEY_CURRENT_USER), behind a small interface.

The URL handler and autostart describe what they write as data (:class:`RegistryValue`,
string values only) and apply it through :class:`Registry`: :class:`WindowsRegistry`
(``winreg``, on Windows) or :class:`MemoryRegistry` (a dict, for tests and dry runs),
so their logic runs and is tested anywhere. Keys are paths below HKCU with backslashes
(``Software\\Classes\\tel``); a value name of ``""`` is the key's ``(Default)`` value.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

__all__ = ["MemoryRegistry", "Registry", "RegistryValue", "WindowsRegistry", "parents"]


@dataclass(frozen=True)
class RegistryValue:
    """One string value (REG_SZ) below HKEY_CURRENT_USER."""

    key: str
    name: str
    data: str


class Registry(Protocol):
    def get(self, key: str, name: str) -> str | None:
        """The string value, or None if the key or the value does not exist."""

    def set(self, key: str, name: str, data: str) -> None:
        """Write a REG_SZ value, creating the key (and its parents) as needed."""

    def delete_value(self, key: str, name: str) -> None:
        """Delete the value if it exists."""

    def delete_key_if_empty(self, key: str) -> None:
        """Delete the key if it exists and has neither values nor subkeys."""


def parents(key: str) -> list[str]:
    r"""``a\b\c`` -> ``["a\b\c", "a\b", "a"]``: a key and the keys above it."""
    parts = key.split("\\")
    return ["\\".join(parts[:n]) for n in range(len(parts), 0, -1)]


class MemoryRegistry:
    """A registry in a dict: ``{key: {name: data}}``, keys compared case-insensitively."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {}

    def _find(self, key: str) -> str | None:
        wanted = key.casefold()
        return next((k for k in self.keys if k.casefold() == wanted), None)

    def get(self, key: str, name: str) -> str | None:
        found = self._find(key)
        if found is None:
            return None
        values = self.keys[found]
        return next((v for n, v in values.items() if n.casefold() == name.casefold()), None)

    def set(self, key: str, name: str, data: str) -> None:
        for k in reversed(parents(key)):
            if self._find(k) is None:
                self.keys[k] = {}
        values = self.keys[self._find(key) or key]
        for n in list(values):
            if n.casefold() == name.casefold():
                del values[n]
        values[name] = data

    def delete_value(self, key: str, name: str) -> None:
        found = self._find(key)
        if found is not None:
            values = self.keys[found]
            for n in list(values):
                if n.casefold() == name.casefold():
                    del values[n]

    def delete_key_if_empty(self, key: str) -> None:
        found = self._find(key)
        if found is None or self.keys[found]:
            return
        prefix = found.casefold() + "\\"
        if any(k.casefold().startswith(prefix) for k in self.keys):
            return
        del self.keys[found]

    def values(self) -> frozenset[RegistryValue]:
        return frozenset(
            RegistryValue(k, n, d) for k, names in self.keys.items() for n, d in names.items()
        )


class WindowsRegistry:
    """HKEY_CURRENT_USER through ``winreg`` (Windows only)."""

    def get(self, key: str, name: str) -> str | None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                data, _kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return data if isinstance(data, str) else str(data)

    def set(self, key: str, name: str, data: str) -> None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, data)

    def delete_value(self, key: str, name: str) -> None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass

    def delete_key_if_empty(self, key: str) -> None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                subkeys, values, _ = winreg.QueryInfoKey(handle)
            if subkeys == 0 and values == 0:
                winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
        except FileNotFoundError:
            pass

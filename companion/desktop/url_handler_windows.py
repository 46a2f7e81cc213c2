r"""Windows URL handler: per-user registry entries, the default chosen in Settings.

What :func:`registration` writes, all below HKEY_CURRENT_USER, all REG_SZ:

* ``Software\Classes\<scheme>``: ``(Default)="URL:<scheme>"``, ``URL Protocol=""``,
  ``DefaultIcon``, ``shell\open\command = "<exe>" "%1"`` -- for each scheme whose key
  is absent or already Companion's (a scheme another program registered for this user
  is left alone; Windows lists Companion for it through Capabilities anyway);
* the ProgID ``Software\Classes\Companion.URL`` (name, ``URL Protocol``, icon, command);
* ``Software\Companion\Capabilities``: ``ApplicationName``, ``ApplicationDescription``
  and ``URLAssociations\<scheme> = Companion.URL``;
* ``Software\RegisteredApplications``: ``Companion = Software\Companion\Capabilities``.

Since Windows 8 an application cannot make itself the default: the user's choice is
``Software\Microsoft\Windows\Shell\Associations\UrlAssociations\<scheme>\UserChoice``
(``ProgId``), protected by a hash only Settings writes. So install opens
``ms-settings:defaultapps?registeredAppUser=Companion``, where the user picks Companion.
Uninstall deletes the values install wrote and then the keys left empty, and nothing
else.
"""

from __future__ import annotations

import os
import sys

from companion.desktop.launch import companion_command, windows_command_line
from companion.desktop.registry import Registry, RegistryValue, WindowsRegistry, parents
from companion.desktop.url_handler import APP_NAME, SCHEMES, SchemeStatus, UrlHandlerError

__all__ = [
    "CAPABILITIES",
    "PROGID",
    "SETTINGS_URI",
    "WindowsUrlHandler",
    "registration",
    "scheme_values",
    "user_choice_key",
]

PROGID = "Companion.URL"
CLASSES = r"Software\Classes"
CAPABILITIES = r"Software\Companion\Capabilities"
REGISTERED_APPLICATIONS = r"Software\RegisteredApplications"
SETTINGS_URI = f"ms-settings:defaultapps?registeredAppUser={APP_NAME}"
DESCRIPTION = "Dial tel:, callto: and sip: links through your pascom phone system"


def user_choice_key(scheme: str) -> str:
    return rf"Software\Microsoft\Windows\Shell\Associations\UrlAssociations\{scheme}\UserChoice"


def _command_values(key: str, command_line: str, icon: str) -> list[RegistryValue]:
    return [
        RegistryValue(key, "URL Protocol", ""),
        RegistryValue(rf"{key}\DefaultIcon", "", icon),
        RegistryValue(rf"{key}\shell\open\command", "", command_line),
    ]


def scheme_values(scheme: str, command_line: str, icon: str) -> list[RegistryValue]:
    r"""The ``Software\Classes\<scheme>`` entries for one scheme."""
    key = rf"{CLASSES}\{scheme}"
    return [RegistryValue(key, "", f"URL:{scheme}"), *_command_values(key, command_line, icon)]


def registration(command: list[str]) -> list[RegistryValue]:
    """Everything install writes for ``command`` (the scheme keys included), in order."""
    command_line = windows_command_line(command, "%1")
    icon = f'"{command[0]}",0'
    values: list[RegistryValue] = []
    for scheme in SCHEMES:
        values += scheme_values(scheme, command_line, icon)
    progid = rf"{CLASSES}\{PROGID}"
    values += [
        RegistryValue(progid, "", f"{APP_NAME} phone link"),
        *_command_values(progid, command_line, icon),
        RegistryValue(CAPABILITIES, "ApplicationName", APP_NAME),
        RegistryValue(CAPABILITIES, "ApplicationDescription", DESCRIPTION),
        *(RegistryValue(rf"{CAPABILITIES}\URLAssociations", s, PROGID) for s in SCHEMES),
        RegistryValue(REGISTERED_APPLICATIONS, APP_NAME, CAPABILITIES),
    ]
    return values


def _scheme_of(value: RegistryValue) -> str | None:
    prefix = CLASSES + "\\"
    if not value.key.startswith(prefix):
        return None
    first = value.key[len(prefix) :].split("\\")[0]
    return first if first in SCHEMES else None


class WindowsUrlHandler:
    """The registration in a :class:`Registry` (the real one on Windows)."""

    def __init__(self, registry: Registry | None = None, command: list[str] | None = None):
        self._registry: Registry = registry if registry is not None else WindowsRegistry()
        self._command = command

    def _our_command_lines(self) -> set[str]:
        """Command lines that mark a scheme key as Companion's: this one, and the one
        an earlier install wrote into the ProgID (the app may have moved since)."""
        ours = {windows_command_line(self._command or companion_command(windowless=True), "%1")}
        earlier = self._registry.get(rf"{CLASSES}\{PROGID}\shell\open\command", "")
        if earlier:
            ours.add(earlier)
        return ours

    def _scheme_is_ours_or_free(self, scheme: str, ours: set[str]) -> bool:
        key = rf"{CLASSES}\{scheme}"
        current = self._registry.get(rf"{key}\shell\open\command", "")
        if current is None:
            return self._registry.get(key, "") is None
        return current in ours

    def plan(self) -> list[RegistryValue]:
        """What install will write now: :func:`registration` without the scheme keys
        another program owns."""
        ours = self._our_command_lines()
        free = {s for s in SCHEMES if self._scheme_is_ours_or_free(s, ours)}
        command = self._command or companion_command(windowless=True)
        return [v for v in registration(command) if _scheme_of(v) in (None, *free)]

    def install(self) -> str:
        planned = self.plan()
        try:
            for value in planned:
                self._registry.set(value.key, value.name, value.data)
        except OSError as exc:
            raise UrlHandlerError(f"cannot write the registry: {exc.strerror or exc}") from exc
        left = [s for s in SCHEMES if not any(_scheme_of(v) == s for v in planned)]
        lines = [
            f"Registered {APP_NAME} for {', '.join(s + ':' for s in SCHEMES)} links for this user.",
            "Windows lets only you choose the default: in Settings > Default apps > "
            f"{APP_NAME}, pick {APP_NAME} for each link type.",
        ]
        if left:
            lines.append(
                f"Another program's registration of {', '.join(s + ':' for s in left)} "
                "was left as it is."
            )
        if _open_settings():
            lines.append("Opened Settings > Default apps for you.")
        else:
            lines.append(f"Open it with: start {SETTINGS_URI}")
        return "\n".join(lines)

    def uninstall(self) -> str:
        ours = self._our_command_lines()
        mine = [s for s in SCHEMES if self._is_ours(s, ours)]
        command = self._command or companion_command(windowless=True)
        values = [v for v in registration(command) if _scheme_of(v) in (None, *mine)]
        registered = self._registry.get(REGISTERED_APPLICATIONS, APP_NAME) is not None
        try:
            for value in reversed(values):
                self._registry.delete_value(value.key, value.name)
            for key in _keys_deepest_first(values):
                self._registry.delete_key_if_empty(key)
        except OSError as exc:
            raise UrlHandlerError(f"cannot change the registry: {exc.strerror or exc}") from exc
        if not registered and not mine:
            return f"{APP_NAME} was not registered as a link handler; nothing to undo."
        return (
            f"Removed {APP_NAME}'s link registration for this user. Links you had set to "
            f"{APP_NAME} now ask which app to use."
        )

    def _is_ours(self, scheme: str, ours: set[str]) -> bool:
        current = self._registry.get(rf"{CLASSES}\{scheme}\shell\open\command", "")
        return current is not None and current in ours

    def status(self) -> list[SchemeStatus]:
        result = []
        for scheme in SCHEMES:
            try:
                progid = self._registry.get(user_choice_key(scheme), "ProgId")
            except OSError as exc:
                raise UrlHandlerError(f"cannot read the registry: {exc.strerror or exc}") from exc
            choose = f"Choose {APP_NAME} in Settings > Default apps: start {SETTINGS_URI}"
            if self._registry.get(REGISTERED_APPLICATIONS, APP_NAME) is None:
                choose = f"Run companion install-url-handler, then: start {SETTINGS_URI}"
            if progid == PROGID:
                result.append(SchemeStatus(scheme, f"{APP_NAME} ({PROGID})", True))
            elif progid:
                result.append(SchemeStatus(scheme, progid, False, choose))
            else:
                result.append(SchemeStatus(scheme, "no choice made", False, choose))
        return result


def _keys_deepest_first(values: list[RegistryValue]) -> list[str]:
    """The keys ``values`` live in and those between them and the top level keys
    install may have created (``Software\\Classes\\tel``, ``Software\\Companion``...),
    deepest first. Shared keys (``Software``, ``Software\\Classes``) are not included."""
    keep = {"software", CLASSES.casefold(), REGISTERED_APPLICATIONS.casefold()}
    keys: set[str] = set()
    for value in values:
        keys.update(k for k in parents(value.key) if k.casefold() not in keep)
    return sorted(keys, key=lambda k: (-k.count("\\"), k))


def _open_settings() -> bool:
    if sys.platform != "win32":
        return False
    try:
        os.startfile(SETTINGS_URI)
    except OSError:
        return False
    return True

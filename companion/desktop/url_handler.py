"""Companion as this user's handler for tel:, callto:, sip: and sips: links.

:func:`install` registers Companion for the schemes, :func:`uninstall` undoes exactly
that, :func:`status` says which application owns each scheme now and, where it is not
Companion, what to do. Each returns text for people; every failure is a
:class:`UrlHandlerError` with a one-line message. One small class per platform:

* Linux (:mod:`.url_handler_linux`): a desktop entry in the user's applications dir,
  ``xdg-mime default``, ``update-desktop-database``; the choice lives in
  ``$XDG_CONFIG_HOME/mimeapps.list``.
* Windows (:mod:`.url_handler_windows`): per-user registry keys (URL protocols, a
  ``Companion.URL`` ProgID, Capabilities and RegisteredApplications); the user confirms
  the default in Settings, which install opens.
* macOS (:mod:`.url_handler_macos`): the app bundle declares the schemes
  (``CFBundleURLTypes``); the user picks the default in the OS.

No Qt here: these run from the ``companion`` command.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "APP_NAME",
    "SCHEMES",
    "SchemeStatus",
    "UrlHandler",
    "UrlHandlerError",
    "handler",
    "install",
    "status",
    "uninstall",
]

APP_NAME = "Companion"
SCHEMES = ("tel", "callto", "sip", "sips", "companion")
"""The link schemes Companion handles: phone links, and its own (companion://enrol?... links
that connect this desktop to a Companion relay)."""


class UrlHandlerError(Exception):
    """Registering or checking the URL handler failed; the text is one line for the user."""


@dataclass(frozen=True)
class SchemeStatus:
    """Who handles one scheme now.

    ``owner`` describes the application in words ("Linphone (linphone.desktop)", or
    "nobody"); ``hint`` is what to do about it, empty when all is well.
    """

    scheme: str
    owner: str
    is_companion: bool
    hint: str = ""


class UrlHandler(Protocol):
    def install(self) -> str: ...

    def uninstall(self) -> str: ...

    def status(self) -> list[SchemeStatus]: ...


def handler() -> UrlHandler:
    """This platform's URL-handler registration."""
    if sys.platform == "win32":
        from companion.desktop.url_handler_windows import WindowsUrlHandler

        return WindowsUrlHandler()
    if sys.platform == "darwin":
        from companion.desktop.url_handler_macos import MacUrlHandler

        return MacUrlHandler()
    from companion.desktop.url_handler_linux import LinuxUrlHandler

    return LinuxUrlHandler()


def install() -> str:
    """Register Companion for :data:`SCHEMES` for this user; returns what was done."""
    return handler().install()


def uninstall() -> str:
    """Remove what :func:`install` registered; returns what was done."""
    return handler().uninstall()


def status() -> list[SchemeStatus]:
    """One :class:`SchemeStatus` per scheme in :data:`SCHEMES`, in that order."""
    return handler().status()

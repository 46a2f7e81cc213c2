"""macOS URL handler: the app bundle declares the schemes, the user picks the default.

The bundle's ``Info.plist`` lists the schemes under ``CFBundleURLTypes``
(:func:`info_plist_url_types`, for the packaging); Launch Services registers a bundle
when it lands in /Applications, and links then arrive in the running app as URL open
events (``QFileOpenEvent``), not as a second process. There is no supported way for an
app to make itself the default handler, so install and uninstall explain what to do.

The status reads the user's explicit choices from Launch Services' preferences
(``LSHandlers`` in ``com.apple.launchservices.secure.plist``, with plistlib: the
``LSCopyDefaultHandlerForURLScheme`` API needs pyobjc). A scheme without a recorded
choice goes to the system's default (FaceTime for tel:) or the first app that claims it.
"""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from companion.desktop.url_handler import APP_NAME, SCHEMES, SchemeStatus, UrlHandlerError

__all__ = [
    "BUNDLE_ID",
    "URL_TYPE_NAME",
    "MacUrlHandler",
    "info_plist_url_types",
    "recorded_handlers",
]

BUNDLE_ID = "net.companion.Companion"
URL_TYPE_NAME = "net.companion.phone-link"
LAUNCH_SERVICES_PLIST = (
    "Library/Preferences/com.apple.LaunchServices/com.apple.launchservices.secure.plist"
)


def info_plist_url_types() -> list[dict[str, Any]]:
    """The ``CFBundleURLTypes`` value of Companion.app's Info.plist."""
    return [
        {
            "CFBundleURLName": URL_TYPE_NAME,
            "CFBundleURLSchemes": list(SCHEMES),
            "CFBundleTypeRole": "Viewer",
        }
    ]


def recorded_handlers(plist: dict[str, Any]) -> dict[str, str]:
    """``{scheme: bundle id}`` of the choices in a Launch Services preferences plist."""
    found: dict[str, str] = {}
    handlers = plist.get("LSHandlers", [])
    if not isinstance(handlers, list):
        return found
    for entry in handlers:
        if not isinstance(entry, dict):
            continue
        scheme = entry.get("LSHandlerURLScheme")
        bundle = entry.get("LSHandlerRoleAll") or entry.get("LSHandlerRoleViewer")
        if isinstance(scheme, str) and isinstance(bundle, str):
            found.setdefault(scheme.lower(), bundle)
    return found


def _how_to_choose(scheme: str) -> str:
    if scheme == "tel":
        where = 'FaceTime\'s settings ("Default for calls")'
    else:
        where = f"a tool such as duti (duti -s {BUNDLE_ID} {scheme})"
    return f"Choose Companion for {scheme}: links in {where}."


class MacUrlHandler:
    """Explains the bundle's registration; reads the recorded choices for the status."""

    def __init__(self, home: Path | None = None) -> None:
        self._home = home or Path.home()

    def install(self) -> str:
        return (
            f"{APP_NAME}.app declares {', '.join(s + ':' for s in SCHEMES)} links itself; "
            "macOS registers it once the app has been opened from /Applications.\n"
            "macOS lets only you choose the default: "
            + " ".join(_how_to_choose(s) for s in ("tel", "sip"))
            + "\nCheck with: companion url-handler-status"
        )

    def uninstall(self) -> str:
        return (
            f"On macOS the link types belong to {APP_NAME}.app: to stop handling links, "
            "choose another app as the default (FaceTime's settings for tel:) or move "
            f"{APP_NAME}.app to the Trash."
        )

    def status(self) -> list[SchemeStatus]:
        path = self._home / LAUNCH_SERVICES_PLIST
        try:
            with open(path, "rb") as f:
                plist = plistlib.load(f)
        except FileNotFoundError:
            plist = {}
        except (OSError, plistlib.InvalidFileException, ValueError) as exc:
            raise UrlHandlerError(f"cannot read {path}: {exc}") from exc
        chosen = recorded_handlers(plist if isinstance(plist, dict) else {})
        result = []
        for scheme in SCHEMES:
            bundle = chosen.get(scheme)
            if bundle is not None and bundle.lower() == BUNDLE_ID.lower():
                result.append(SchemeStatus(scheme, f"{APP_NAME} ({BUNDLE_ID})", True))
            elif bundle is not None:
                result.append(SchemeStatus(scheme, bundle, False, _how_to_choose(scheme)))
            else:
                result.append(
                    SchemeStatus(
                        scheme,
                        "no choice recorded (the system default, e.g. FaceTime for tel:)",
                        False,
                        _how_to_choose(scheme),
                    )
                )
        return result

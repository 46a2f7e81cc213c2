"""Can this session keep a password, and if not, what the desktop could use instead.

The first start asks :func:`check` (off the GUI thread: a keyring may block on an
unlock prompt). When no keyring works it tells the user, in words, which keyring
suits their desktop and how to get it (:func:`advice`), so the first start never
dead-ends; the dialog then offers to keep the password for this session only.
No Qt here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

import keyring

from companion import credentials

SECRET_SERVICE = "org.freedesktop.secrets"
_KWALLET = ("org.kde.kwalletd6", "org.kde.kwalletd5", "org.kde.kwalletd")
_PROBE_ACCOUNT = "companion-keyring-probe"


@dataclasses.dataclass(frozen=True)
class KeyringStatus:
    """Whether a password can be kept, and if not why and what to do (for the user)."""

    usable: bool
    problem: str = ""  # why not, one sentence
    advice: str = ""  # what to install or start on this desktop


def session_bus_names() -> set[str] | None:
    """The names on the D-Bus session bus; None when there is no session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:  # not on Linux (keyring only needs jeepney there)
        return None
    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    try:
        with open_dbus_connection(bus="SESSION") as connection:
            reply = connection.send_and_get_reply(new_method_call(bus, "ListNames"), timeout=3)
            activatable = connection.send_and_get_reply(
                new_method_call(bus, "ListActivatableNames"), timeout=3
            )
    except Exception:  # an address that leads nowhere is no session bus either
        return None
    return {str(name) for name in (*reply.body[0], *activatable.body[0])}


def advice(env: Mapping[str, str], bus_names: set[str] | None) -> str:
    """How to get a keyring on this desktop (from XDG_CURRENT_DESKTOP and the bus)."""
    if bus_names is None:
        return (
            "There is no D-Bus session bus, which a keyring needs: start Companion from"
            " your desktop session (or under dbus-run-session)."
        )
    desktop = {part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")}
    if SECRET_SERVICE in bus_names:
        return (
            "A keyring is running but could not be used: unlock it (e.g. with Seahorse or"
            " KWalletManager) and try again."
        )
    if "kde" in desktop or any(name in bus_names for name in _KWALLET):
        return (
            "On KDE, enable KWallet (System Settings > KDE Wallet) and log in again; on"
            " Plasma 6 the Secret Service of ksecretd does this, or install the package"
            " kwalletmanager."
        )
    if desktop & {"gnome", "unity", "cinnamon", "mate", "budgie", "pantheon"}:
        return (
            "Your desktop uses gnome-keyring: install it (sudo apt install gnome-keyring)"
            " and log in again."
        )
    return (
        "Your desktop has no keyring of its own: install gnome-keyring (sudo apt install"
        " gnome-keyring) and start it in your session, e.g. with"
        " 'gnome-keyring-daemon --start --components=secrets' in your autostart, then"
        " log in again."
    )


def check(env: Mapping[str, str] | None = None) -> KeyringStatus:
    """Try the keyring once (a read of an entry that does not exist); say what works."""
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, credentials.MemoryKeyring):
            return KeyringStatus(True)
        credentials.get_password("https://companion.invalid/probe", _PROBE_ACCOUNT)
    except credentials.CredentialError as err:
        return KeyringStatus(
            False, str(err), advice(os.environ if env is None else env, session_bus_names())
        )
    except Exception as err:  # a backend failing in its own way: still no keyring
        return KeyringStatus(
            False,
            f"The keyring failed ({type(err).__name__}).",
            advice(os.environ if env is None else env, session_bus_names()),
        )
    return KeyringStatus(True)

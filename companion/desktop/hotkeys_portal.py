"""Global hotkeys on Wayland: the desktop portal's GlobalShortcuts interface, over D-Bus.

Wayland lets no application grab keys; the desktop does it for an application that asks
through ``org.freedesktop.portal.GlobalShortcuts`` (xdg-desktop-portal with a back end
that implements it, e.g. KDE Plasma, GNOME 48+). The steps, with jeepney on the session
bus:

1. ``org.freedesktop.host.portal.Registry.Register(app_id)``: an application that is not
   a Flatpak tells the portal its id (the basename of its .desktop file) -- before any
   other portal call on the connection. Portals older than 1.19 lack it; that is fine.
2. ``CreateSession`` -> a Request whose ``Response`` signal carries the session handle.
3. ``BindShortcuts(session, [(action, {description, preferred_trigger})], "", {})``:
   the desktop shows the user a dialog to confirm or change the keys; the ``Response``
   says which shortcuts were bound, and to what.
4. ``Activated(session, action, timestamp, options)`` signals, one per key press.

So :meth:`PortalHotkeys.register` cannot know the outcome when it returns: keys are
checked at once (bad key text raises :class:`~companion.desktop.hotkeys.HotkeyError`),
and what the user's dialog answers comes through
:attr:`~companion.desktop.hotkeys.HotkeyBackend.problem` when it is not what was asked.
Calls to register in the same turn of the event loop are bound together (one dialog).

Run in CI against the real xdg-desktop-portal frontend (Debian 12: 1.16) on a private
bus, with a stand-in desktop behind it (tests/desktop/portal_backend.py).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from companion.desktop.hotkeys import (
    HotkeyBackend,
    HotkeyError,
    keysym_name,
    parse_keys,
)

__all__ = ["APP_ID", "DESCRIPTIONS", "PortalHotkeys", "portal_trigger"]

_log = logging.getLogger(__name__)

APP_ID = "companion"
"""The app id the portal knows Companion by: the basename of its .desktop file."""

DESCRIPTIONS = {
    "dial_selection": "Dial the selected phone number",
    "open_dial": "Open Companion's dial window",
}
"""What the desktop's dialog says each shortcut does."""

PORTAL_BUS = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
REGISTRY = "org.freedesktop.host.portal.Registry"
CALL_TIMEOUT = 3.0  # seconds for a method reply or a Response that needs no user
_MODIFIER_NAMES = {"Ctrl": "CTRL", "Alt": "ALT", "Shift": "SHIFT", "Meta": "LOGO"}


def portal_trigger(keys: str) -> str:
    """Qt key text as the XDG shortcuts spec writes it: ``"Ctrl+Alt+D"`` -> ``"CTRL+ALT+d"``.

    Modifiers CTRL, ALT, SHIFT, LOGO, then the xkbcommon keysym name. Raises
    :class:`HotkeyError` for text that is no key combination.
    """
    combo = parse_keys(keys)
    names = [_MODIFIER_NAMES[m] for m in ("Ctrl", "Alt", "Shift", "Meta") if m in combo.modifiers]
    return "+".join([*names, keysym_name(combo.key)])


class PortalHotkeys(HotkeyBackend):
    """GlobalShortcuts through the desktop portal; see the module docstring.

    Raises :class:`HotkeyError` from the constructor when there is no session bus or the
    portal offers no GlobalShortcuts, so :func:`~companion.desktop.hotkeys.choose_backend`
    can fall back to :class:`~companion.desktop.hotkeys.NoHotkeys`.
    """

    name = "desktop portal (GlobalShortcuts)"

    def __init__(
        self, parent: QObject | None = None, *, bus: str = "SESSION", app_id: str = APP_ID
    ) -> None:
        super().__init__(parent)
        import jeepney
        from jeepney.io.blocking import open_dbus_connection

        self._jeepney: Any = jeepney
        try:
            self._conn: Any = open_dbus_connection(bus)
        except KeyError:  # jeepney: DBUS_SESSION_BUS_ADDRESS is not set
            raise HotkeyError("no D-Bus session bus to reach the desktop portal") from None
        except (OSError, ValueError, TimeoutError) as err:
            raise HotkeyError(f"no D-Bus session bus to reach the desktop portal: {err}") from err
        self._sender = self._conn.unique_name.lstrip(":").replace(".", "_")
        self._session: str | None = None
        self._wanted: dict[str, str] = {}  # action -> key text
        self._pending: str | None = None  # the BindShortcuts request path awaiting Response
        self._bind_scheduled = False
        try:
            self._register_app_id(app_id)
            version = self._call(
                "org.freedesktop.DBus.Properties", "Get", "ss", (SHORTCUTS, "version")
            )
            _log.info("GlobalShortcuts portal version %s", version[0][1])
            for rule in (
                jeepney.MatchRule(type="signal", interface=REQUEST, member="Response"),
                jeepney.MatchRule(type="signal", interface=SHORTCUTS, member="Activated"),
            ):
                self._call_bus("AddMatch", rule)
        except HotkeyError:
            self._conn.close()
            raise
        self._notifier = QSocketNotifier(self._conn.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        QTimer.singleShot(0, self._read)  # what the calls above left in the buffer

    # ------------------------------------------------------------------ interface

    def register(self, action: str, keys: str) -> None:
        portal_trigger(keys)  # bad key text: HotkeyError now, not after a dialog
        for other, other_keys in self._wanted.items():
            if other != action and parse_keys(other_keys) == parse_keys(keys):
                raise HotkeyError(f"{keys} is already one of Companion's shortcuts")
        self._wanted[action] = keys
        if not self._bind_scheduled:
            self._bind_scheduled = True
            QTimer.singleShot(0, self._bind)

    def unregister_all(self) -> None:
        """Close the portal session: the desktop drops its shortcuts."""
        self._wanted.clear()
        self._pending = None
        self._close_session()

    def _close_session(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            self._send(self._message(session, SESSION, "Close", "", ()))

    # ------------------------------------------------------------------ D-Bus

    def _message(self, path: str, interface: str, member: str, signature: str, body: Any) -> Any:
        address = self._jeepney.DBusAddress(path, bus_name=PORTAL_BUS, interface=interface)
        return self._jeepney.new_method_call(address, member, signature, body)

    def _send(self, message: Any) -> int:
        serial: int = next(self._conn.outgoing_serial)
        self._conn.send(message, serial=serial)
        return serial

    def _call(self, interface: str, member: str, signature: str, body: Any) -> Any:
        """A blocking portal method call; signals that arrive meanwhile are handled."""
        return self._wait_reply(self._message(PORTAL_PATH, interface, member, signature, body))

    def _call_bus(self, member: str, rule: Any) -> None:
        bus = self._jeepney.DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        self._wait_reply(self._jeepney.new_method_call(bus, member, "s", (rule.serialise(),)))

    def _wait_reply(self, message: Any) -> Any:
        serial = self._send(message)
        reply = self._receive_until(
            lambda msg: msg.header.fields.get(self._jeepney.HeaderFields.reply_serial) == serial
        )
        if reply.header.message_type == self._jeepney.MessageType.error:
            name = reply.header.fields.get(self._jeepney.HeaderFields.error_name, "")
            detail = reply.body[0] if reply.body else ""
            raise HotkeyError(_portal_error(str(name), str(detail)))
        return reply.body

    def _receive_until(self, wanted: Callable[[Any], bool]) -> Any:
        import time

        deadline = time.monotonic() + CALL_TIMEOUT
        while True:
            try:
                msg = self._conn.receive(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise HotkeyError(
                    f"the desktop portal did not answer within {CALL_TIMEOUT:g} s"
                ) from None
            except (OSError, EOFError) as err:
                raise HotkeyError(f"the connection to the desktop portal broke: {err}") from err
            if wanted(msg):
                return msg
            self._dispatch(msg)

    def _register_app_id(self, app_id: str) -> None:
        try:
            self._call(REGISTRY, "Register", "sa{sv}", (app_id, {}))
        except HotkeyError as err:
            # Older portals lack the registry; a Flatpak needn't (and can't) register.
            _log.info("portal app-id registration skipped: %s", err)

    def _request_path(self, token: str) -> str:
        return f"{PORTAL_PATH}/request/{self._sender}/{token}"

    def _create_session(self) -> str:
        token = f"companion_{secrets.token_hex(6)}"
        path = self._request_path(token)
        options = {
            "handle_token": ("s", token),
            "session_handle_token": ("s", f"companion_{secrets.token_hex(6)}"),
        }
        self._call(SHORTCUTS, "CreateSession", "a{sv}", (options,))
        response = self._receive_until(lambda msg: _is_response(msg, path))
        code, results = response.body
        if code != 0 or "session_handle" not in results:
            raise HotkeyError("the desktop portal refused to start a global-shortcut session")
        return str(results["session_handle"][1])

    def _bind(self) -> None:
        self._bind_scheduled = False
        if not self._wanted:
            return
        try:
            if self._session is None:
                self._session = self._create_session()
            token = f"companion_{secrets.token_hex(6)}"
            shortcuts = [
                (
                    action,
                    {
                        "description": ("s", DESCRIPTIONS.get(action, action)),
                        "preferred_trigger": ("s", portal_trigger(keys)),
                    },
                )
                for action, keys in self._wanted.items()
            ]
            self._pending = self._request_path(token)
            self._call(
                SHORTCUTS,
                "BindShortcuts",
                "oa(sa{sv})sa{sv}",
                (self._session, shortcuts, "", {"handle_token": ("s", token)}),
            )
        except HotkeyError as err:
            self._pending = None
            self.problem.emit(f"Global shortcuts could not be set up: {err}")
        # A reply may come in one read with what followed it (BindShortcuts' Response often
        # does): that waits in jeepney's buffer, where the socket notifier never sees it.
        QTimer.singleShot(0, self._read)

    def _read(self, *_: object) -> None:
        """Handle what the bus sent us (the socket is readable)."""
        while True:
            try:
                msg = self._conn.receive(timeout=0)
            except TimeoutError:
                return
            except (OSError, EOFError) as err:
                self._notifier.setEnabled(False)
                self.problem.emit(
                    f"The connection to the desktop portal broke ({err}): global shortcuts no"
                    " longer work until Companion is restarted"
                )
                return
            self._dispatch(msg)

    def _dispatch(self, msg: Any) -> None:
        fields = msg.header.fields
        HeaderFields = self._jeepney.HeaderFields
        member = fields.get(HeaderFields.member)
        interface = fields.get(HeaderFields.interface)
        if interface == SHORTCUTS and member == "Activated":
            session, action = msg.body[0], msg.body[1]
            if session == self._session and action in self._wanted:
                self.activated.emit(action)
        elif self._pending is not None and _is_response(msg, self._pending):
            self._pending = None
            self._bound(*msg.body)

    def _bound(self, code: int, results: dict[str, Any]) -> None:
        """The desktop's answer to BindShortcuts: say what is not as asked."""
        if code != 0:
            self._close_session()  # it holds no shortcuts: a later register starts anew
            if code == 1:
                self.problem.emit(
                    "Global shortcuts were not set up: the desktop's shortcut dialog was cancelled"
                )
            else:
                self.problem.emit("Global shortcuts were not set up: the desktop refused them")
            return
        bound = {sid: info for sid, info in results.get("shortcuts", ("", []))[1]}
        for action, keys in self._wanted.items():
            info = bound.get(action)
            trigger = str(info.get("trigger_description", ("s", ""))[1]) if info else ""
            if not trigger:
                self.problem.emit(
                    f"The desktop set no key for \u201c{DESCRIPTIONS.get(action, action)}\u201d"
                    f" ({keys} was asked for): set one in the desktop's keyboard settings"
                )


def _is_response(msg: Any, path: str) -> bool:
    from jeepney import HeaderFields, MessageType

    fields = msg.header.fields
    return bool(
        msg.header.message_type == MessageType.signal
        and fields.get(HeaderFields.path) == path
        and fields.get(HeaderFields.interface) == REQUEST
        and fields.get(HeaderFields.member) == "Response"
    )


def _portal_error(name: str, detail: str) -> str:
    if name in (
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.DBus.Error.UnknownInterface",
        "org.freedesktop.DBus.Error.UnknownProperty",
        "org.freedesktop.DBus.Error.InvalidArgs",
    ):
        return "the desktop portal offers no global shortcuts (no GlobalShortcuts interface)"
    if name in (
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    ):
        return "no desktop portal is running (xdg-desktop-portal)"
    return f"the desktop portal answered {name}: {detail}".rstrip(": ")

"""The running app on the session bus: ``org.freedesktop.Application`` (Linux).

With ``DBusActivatable=true`` in ``net.companion.Companion.desktop``, GLib
(``gio open``, GNOME/Xfce/Cinnamon file and link handling, ``g_app_info_launch_uris``)
hands a link over D-Bus instead of running ``Exec=``: no Python process starts when
Companion already runs, and when it does not, the D-Bus daemon starts it through the
service file ``net.companion.Companion.service`` and delivers the call once the app
owns the name.

What the rules are (checked, not assumed):

- Desktop Entry Specification, "D-Bus Activation": the desktop file must be named
  after the application's well-known bus name (``org.example.FooViewer.desktop`` owns
  ``org.example.FooViewer``), the interface lives at the object path made from that
  name (dots become slashes, ``-`` becomes ``_``: ``/net/companion/Companion``), and
  ``Activate(a{sv})`` is called for a start without files, ``Open(as, a{sv})`` with
  URIs, ``ActivateAction(s, av, a{sv})`` for desktop actions. ``Exec`` should stay for
  implementations that do not activate over D-Bus.
- GLib ``gio/gdesktopappinfo.c``: ``g_desktop_app_info_load_from_keyfile`` gives an
  entry an ``app_id`` only if ``DBusActivatable`` is true *and* the file's basename
  without ``.desktop`` passes ``g_dbus_is_name`` (and is not a unique ``:`` name);
  ``g_desktop_app_info_launch_uris_internal`` then calls ``Open`` (or ``Activate``
  without URIs) on the session bus, fire and forget, whenever a session bus exists,
  and only without a bus (or without an app id) spawns ``Exec``. So with a bus and no
  service file a link would be lost: install writes both files, always together.

The actions (``ActivateAction``): ``dial-window`` shows the dial window, ``inbox``
the inbox (parameter ``"voicemail"`` or ``"fax"``, default voicemail), ``quit`` ends
Companion. Unknown names are logged and ignored (the caller gets no answer to wait for).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection

__all__ = ["ACTIONS", "APP_ID", "OBJECT_PATH", "ApplicationService", "session_bus"]

APP_ID = "net.companion.Companion"  # the bus name and the desktop file's name
OBJECT_PATH = "/" + APP_ID.replace(".", "/").replace("-", "_")
ACTIONS = ("dial-window", "inbox", "quit")

log = logging.getLogger(__name__)


# PySide6's stubs know only ClassInfo(**info); a dict is what takes a key with spaces.
@ClassInfo({"D-Bus Interface": "org.freedesktop.Application"})  # type: ignore[call-arg]
class _Adaptor(QDBusAbstractAdaptor):  # type: ignore[operator]
    """The interface's three methods, with the signatures the specification gives."""

    def __init__(self, parent: ApplicationService) -> None:
        super().__init__(parent)
        self.service = parent

    @Slot("QVariantMap")
    def Activate(self, platform_data: dict[str, Any]) -> None:  # the D-Bus names
        self.service.activate()

    @Slot("QStringList", "QVariantMap")
    def Open(self, uris: list[str], platform_data: dict[str, Any]) -> None:
        for uri in uris:
            self.service.open_link(str(uri))

    @Slot(str, "QVariantList", "QVariantMap")
    def ActivateAction(
        self, name: str, parameter: list[Any], platform_data: dict[str, Any]
    ) -> None:
        self.service.action(name, [str(p) for p in parameter])


class ApplicationService(QObject):
    """Owns ``net.companion.Companion`` and turns its calls into the app's own actions."""

    def __init__(
        self,
        *,
        open_link: Callable[[str], None],
        activate: Callable[[], None],
        actions: dict[str, Callable[[list[str]], None]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.open_link = open_link
        self.activate = activate
        self.actions = actions
        self._adaptor = _Adaptor(self)
        self.connection: QDBusConnection | None = None

    def action(self, name: str, parameter: list[str]) -> None:
        handler = self.actions.get(name)
        if handler is None:
            log.warning("D-Bus: unknown action %r (known: %s)", name, ", ".join(self.actions))
            return
        handler(parameter)

    def register(self, connection: QDBusConnection) -> str:
        """Export the object and take the name; "" on success, else why not (in words)."""
        if not connection.isConnected():
            return f"cannot connect to the session bus ({connection.lastError().message()})"
        if not connection.registerObject(OBJECT_PATH, self):
            return f"cannot export {OBJECT_PATH} on the session bus"
        if not connection.registerService(APP_ID):
            connection.unregisterObject(OBJECT_PATH)
            reason = connection.lastError().message() or "another program owns it"
            return f"cannot own the bus name {APP_ID}: {reason}"
        self.connection = connection
        return ""

    def unregister(self) -> None:
        if self.connection is not None:
            self.connection.unregisterService(APP_ID)
            self.connection.unregisterObject(OBJECT_PATH)
            self.connection = None


def session_bus() -> QDBusConnection | None:
    """The session bus, if this session has one (None: no address, no socket).

    Only an announced bus is used: without ``DBUS_SESSION_BUS_ADDRESS`` (or the
    ``$XDG_RUNTIME_DIR/bus`` socket systemd provides) libdbus would try to autolaunch a
    daemon of its own, which no desktop would talk to.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not (
        runtime and (Path(runtime) / "bus").exists()
    ):
        return None
    return QDBusConnection.sessionBus()

"""A stand-in ``org.kde.StatusNotifierWatcher`` on a private session bus, and a panel's view.

What KDE Plasma's panel (or GNOME's AppIndicator extension) runs: a watcher that tray
icons register with. Qt shows its tray icon as a StatusNotifierItem, with the menu over
``com.canonical.dbusmenu``, once such a watcher with a registered host is on the bus.
:func:`watcher_bus` runs this file under ``dbus-run-session`` and yields the bus address;
:class:`Panel` reads, over D-Bus, what a panel shows: the registered items, an item's
properties, its menu's layout, and clicks a menu entry (dbusmenu ``Event``).

Run as a script it is the watcher: it owns the name, answers RegisterStatusNotifierItem /
RegisterStatusNotifierHost and the watcher's properties, and serves until stdin closes.
It is the desktop's notification server too (``org.freedesktop.Notifications``, where
Qt's D-Bus tray sends every ``showMessage``), and keeps each notice in order: a panel
shows a notice as the item's tooltip only until the next replaces it, a notification
server shows them all, so :meth:`Panel.notices` is what the user was shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.desktop_tools import missing

ROOT = Path(__file__).resolve().parents[2]
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
NOTIFICATIONS = "org.freedesktop.Notifications"
PANEL = "net.companion.TestPanel"  # this stand-in's own interface: what it was shown


@contextlib.contextmanager
def watcher_bus() -> Iterator[str]:
    """A private session bus with the stand-in watcher on it; yields the bus address."""
    runner = shutil.which("dbus-run-session")
    if runner is None:
        missing("dbus-run-session is not installed (apt-get install dbus-daemon)")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)
    process = subprocess.Popen(
        [runner, "--", sys.executable, "-m", "tests.desktop.sni_watcher"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        line = process.stdout.readline().decode()
        if not line:
            _, err = process.communicate(timeout=10)
            raise RuntimeError(f"the watcher did not start:\n{err.decode(errors='replace')}")
        yield json.loads(line)["address"]
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


class Panel:
    """What a panel sees on the bus, through its own connection."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)

    def call(
        self, bus_name: str, path: str, interface: str, member: str, sig: str = "", body: Any = ()
    ) -> Any:
        from jeepney import DBusAddress, MessageType, new_method_call

        target = DBusAddress(path, bus_name=bus_name, interface=interface)
        reply = self.conn.send_and_get_reply(new_method_call(target, member, sig, body), timeout=5)
        if reply.header.message_type == MessageType.error:
            raise AssertionError(f"{interface}.{member} failed: {reply.body}")
        return reply.body

    def items(self) -> list[str]:
        """The items registered with the watcher ("service/path" or a bus name)."""
        body = self.call(
            WATCHER,
            WATCHER_PATH,
            "org.freedesktop.DBus.Properties",
            "Get",
            "ss",
            (WATCHER, "RegisteredStatusNotifierItems"),
        )
        return list(body[0][1])

    def item(self) -> tuple[str, str]:
        """The (bus name, object path) of the one registered item."""
        (entry,) = self.items()
        service, _, path = entry.partition("/")
        return service, f"/{path}" if path else "/StatusNotifierItem"

    def properties(self) -> dict[str, Any]:
        service, path = self.item()
        (values,) = self.call(
            service, path, "org.freedesktop.DBus.Properties", "GetAll", "s", (ITEM,)
        )
        return {name: value[1] for name, value in values.items()}

    def menu_path(self) -> str:
        return str(self.properties()["Menu"])

    def layout(self) -> list[dict[str, Any]]:
        """The menu's top-level entries, in order: id, label, type, enabled, toggle-state."""
        service, _ = self.item()
        _revision, (_root, _props, children) = self.call(
            service, self.menu_path(), DBUSMENU, "GetLayout", "iias", (0, 1, [])
        )
        entries = []
        for child in children:
            ident, props, _grandchildren = child[1]
            entry = {name: value[1] for name, value in props.items()}
            entry["id"] = ident
            entries.append(entry)
        return entries

    def submenu(self, ident: int) -> list[dict[str, Any]]:
        service, _ = self.item()
        self.call(service, self.menu_path(), DBUSMENU, "AboutToShow", "i", (ident,))
        _revision, (_root, _props, children) = self.call(
            service, self.menu_path(), DBUSMENU, "GetLayout", "iias", (ident, 1, [])
        )
        entries = []
        for child in children:
            child_id, props, _ = child[1]
            entry = {name: value[1] for name, value in props.items()}
            entry["id"] = child_id
            entries.append(entry)
        return entries

    def click(self, ident: int) -> None:
        service, _ = self.item()
        self.call(
            service,
            self.menu_path(),
            DBUSMENU,
            "Event",
            "isvu",
            (ident, "clicked", ("i", 0), int(time.time())),
        )

    def about_to_show(self, ident: int = 0) -> None:
        service, _ = self.item()
        self.call(service, self.menu_path(), DBUSMENU, "AboutToShow", "i", (ident,))

    def notices(self) -> list[tuple[str, str]]:
        """Every notice the app sent to the notification server, in order: (title, text)."""
        (shown,) = self.call(WATCHER, WATCHER_PATH, PANEL, "Notices")
        return [(str(title), str(text)) for title, text in shown]

    def close(self) -> None:
        self.conn.close()


# ------------------------------------------------------------------ the watcher


def serve() -> None:
    from jeepney import (
        DBusAddress,
        HeaderFields,
        MessageType,
        new_error,
        new_method_return,
        new_signal,
    )
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    conn = open_dbus_connection("SESSION")
    conn.send_and_get_reply(message_bus.RequestName(WATCHER), timeout=5)
    conn.send_and_get_reply(message_bus.RequestName(NOTIFICATIONS), timeout=5)
    items: list[str] = []
    notices: list[tuple[str, str]] = []
    stop = threading.Event()

    def wait_for_stdin() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=wait_for_stdin, daemon=True).start()
    sys.stdout.write(json.dumps({"address": os.environ["DBUS_SESSION_BUS_ADDRESS"]}) + "\n")
    sys.stdout.flush()

    def properties() -> dict[str, Any]:
        return {
            "RegisteredStatusNotifierItems": ("as", list(items)),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def answer(msg: Any) -> Any:
        fields = msg.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        if interface == "org.freedesktop.DBus.Properties":
            if member == "GetAll":
                return new_method_return(msg, "a{sv}", (properties(),))
            if member == "Get" and msg.body[1] in properties():
                return new_method_return(msg, "v", (properties()[msg.body[1]],))
        if interface == WATCHER and member == "RegisterStatusNotifierItem":
            (service,) = msg.body
            sender = fields.get(HeaderFields.sender)
            # As KDE's watcher: a path names an item on the caller's connection.
            entry = f"{sender}{service}" if service.startswith("/") else service
            items.append(entry)
            conn.send(
                new_signal(
                    DBusAddress(WATCHER_PATH, interface=WATCHER),
                    "StatusNotifierItemRegistered",
                    "s",
                    (entry,),
                )
            )
            return new_method_return(msg)
        if interface == WATCHER and member == "RegisterStatusNotifierHost":
            return new_method_return(msg)
        if interface == NOTIFICATIONS and member == "Notify":
            _app, _replaces, _icon, summary, body, _actions, _hints, _timeout = msg.body
            notices.append((summary, body))
            return new_method_return(msg, "u", (len(notices),))
        if interface == NOTIFICATIONS and member == "GetCapabilities":
            return new_method_return(msg, "as", (["body"],))
        if interface == NOTIFICATIONS and member == "GetServerInformation":
            return new_method_return(msg, "ssss", ("stand-in", "Companion tests", "1", "1.2"))
        if interface == PANEL and member == "Notices":
            return new_method_return(msg, "a(ss)", (list(notices),))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"{member}",))

    try:
        while not stop.is_set():
            try:
                msg = conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if msg.header.message_type == MessageType.method_call:
                conn.send(answer(msg))
    finally:
        conn.close()


if __name__ == "__main__":
    serve()

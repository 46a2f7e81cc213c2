"""The real xdg-desktop-portal on a private session bus, with a stand-in desktop behind it.

Run under ``dbus-run-session`` (see :func:`portal_bus`): this script takes the bus name of
a portal back end, starts Debian's ``/usr/libexec/xdg-desktop-portal`` (the frontend the
app talks to) with a ``.portal`` file and a ``portals.conf`` that route
``org.freedesktop.impl.portal.GlobalShortcuts`` here, prints the bus address once the
frontend owns ``org.freedesktop.portal.Desktop``, then serves until stdin closes.

The stand-in plays the desktop's side (KDE's or GNOME's shortcut dialog):

* ``confirm``: the user confirms every shortcut as asked (``trigger_description`` set);
* ``refuse``: BindShortcuts answers response 2 (the desktop refused); ``cancel``: 1
  (the user cancelled the dialog);
* ``none``: no GlobalShortcuts at all (the ``.portal`` file routes only Inhibit), so the
  frontend offers no such interface.

A test drives it through ``org.companion.test.Control`` on the same bus: ``Activate(s)``
makes the desktop report a key press of that shortcut (the impl ``Activated`` signal, which
the frontend passes on to the app), ``Calls()`` returns the JSON list of the calls the
frontend made here, in order.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.desktop_tools import missing

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = "/usr/libexec/xdg-desktop-portal"
BACKEND_NAME = "org.freedesktop.impl.portal.desktop.companiontest"
IMPL = "org.freedesktop.impl.portal.GlobalShortcuts"
IMPL_SESSION = "org.freedesktop.impl.portal.Session"
CONTROL = "org.companion.test.Control"
CONTROL_PATH = "/org/companion/test"
IMPL_PATH = "/org/freedesktop/portal/desktop"
DESKTOP = "CompanionTest"


# ------------------------------------------------------------------ test-side helpers


@contextlib.contextmanager
def portal_bus(mode: str) -> Iterator[str]:
    """A private session bus with the portal frontend and the stand-in; yields its address.

    Skipped, naming the package, where dbus-run-session or xdg-desktop-portal is missing.
    """
    runner = shutil.which("dbus-run-session")
    if runner is None:
        missing("dbus-run-session is not installed (apt-get install dbus-daemon)")
    if not os.access(FRONTEND, os.X_OK):
        missing("xdg-desktop-portal is not installed (apt-get install xdg-desktop-portal)")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)
    process = subprocess.Popen(
        [runner, "--", sys.executable, "-m", "tests.desktop.portal_backend", mode],
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
            raise RuntimeError(f"the portal did not start:\n{err.decode(errors='replace')}")
        yield json.loads(line)["address"]
    finally:
        process.stdin.close()  # the stand-in stops the frontend and ends
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


class Control:
    """The test's handle on the stand-in desktop, over the private bus."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)

    def _call(self, member: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, new_method_call

        target = DBusAddress(CONTROL_PATH, bus_name=BACKEND_NAME, interface=CONTROL)
        return self.conn.send_and_get_reply(
            new_method_call(target, member, signature, body), timeout=5
        ).body

    def activate(self, shortcut: str) -> None:
        self._call("Activate", "s", (shortcut,))

    def calls(self) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = json.loads(self._call("Calls")[0])
        return calls

    def close(self) -> None:
        self.conn.close()


# ------------------------------------------------------------------ the stand-in


def _write_routing(directory: Path, mode: str) -> None:
    interfaces = "org.freedesktop.impl.portal.Inhibit" if mode == "none" else IMPL
    (directory / "companiontest.portal").write_text(
        f"[portal]\nDBusName={BACKEND_NAME}\nInterfaces={interfaces};\nUseIn={DESKTOP}\n"
    )
    # xdg-desktop-portal 1.17+ (Ubuntu 24.04) routes by portals.conf, looked up first in
    # XDG_DESKTOP_PORTAL_DIR; 1.16 (Debian 12) by the .portal file's UseIn.
    (directory / "portals.conf").write_text(
        f"[preferred]\ndefault=companiontest\n{IMPL}=companiontest\n"
    )


def serve(mode: str) -> None:
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
    conn.send_and_get_reply(message_bus.RequestName(BACKEND_NAME), timeout=5)
    calls: list[dict[str, Any]] = []
    bound: dict[str, set[str]] = {}  # session -> the shortcuts the "user" confirmed
    lock = threading.Lock()

    portal_dir = Path(tempfile.mkdtemp(prefix="companion-portal-"))
    _write_routing(portal_dir, mode)
    frontend = subprocess.Popen(
        [FRONTEND, "--replace"],
        env={
            **os.environ,
            "XDG_DESKTOP_PORTAL_DIR": str(portal_dir),
            "XDG_CURRENT_DESKTOP": DESKTOP,
            "XDG_CONFIG_HOME": str(portal_dir / "config"),  # no user portals.conf
            "GIO_USE_VFS": "local",
        },
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    stop = threading.Event()

    def wait_for_stdin() -> None:
        sys.stdin.read()
        stop.set()

    def announce_when_ready() -> None:
        # On its own connection: the frontend asks this back end for its properties
        # before it takes its name, so the main loop must be serving meanwhile.
        watcher = open_dbus_connection("SESSION")
        deadline = time.monotonic() + 20
        while not watcher.send_and_get_reply(
            message_bus.NameHasOwner("org.freedesktop.portal.Desktop"), timeout=5
        ).body[0]:
            if frontend.poll() is not None or time.monotonic() > deadline:
                sys.stderr.write("xdg-desktop-portal did not take its bus name\n")
                stop.set()
                return
            time.sleep(0.05)
        watcher.close()
        sys.stdout.write(json.dumps({"address": os.environ["DBUS_SESSION_BUS_ADDRESS"]}) + "\n")
        sys.stdout.flush()

    threading.Thread(target=wait_for_stdin, daemon=True).start()
    threading.Thread(target=announce_when_ready, daemon=True).start()

    def emit_activated(shortcut: str) -> None:
        with lock:
            holding = sorted(session for session, ids in bound.items() if shortcut in ids)
        for session in holding:  # a desktop reports only keys it bound
            signal = new_signal(
                DBusAddress(IMPL_PATH, interface=IMPL),
                "Activated",
                "osta{sv}",
                (session, shortcut, int(time.time() * 1000), {}),
            )
            conn.send(signal)

    def answer(msg: Any) -> Any:
        fields = msg.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        path = fields.get(HeaderFields.path)
        if interface == "org.freedesktop.DBus.Properties":
            if member == "GetAll":
                wanted = msg.body[0]
                return new_method_return(
                    msg, "a{sv}", ({"version": ("u", 1)} if wanted == IMPL else {},)
                )
            if member == "Get" and msg.body == (IMPL, "version"):
                return new_method_return(msg, "v", (("u", 1),))
        if interface == IMPL and member == "CreateSession":
            _handle, session, app_id, _options = msg.body
            calls.append({"call": "CreateSession", "session": session, "app_id": app_id})
            with lock:
                bound[session] = set()
            return new_method_return(msg, "ua{sv}", (0, {}))
        if interface == IMPL and member == "BindShortcuts":
            _handle, session, shortcuts, _parent, _options = msg.body
            asked = {sid: str(info["preferred_trigger"][1]) for sid, info in shortcuts}
            calls.append({"call": "BindShortcuts", "session": session, "shortcuts": asked})
            if mode in ("refuse", "cancel"):  # 2: the desktop refused; 1: the user cancelled
                return new_method_return(msg, "ua{sv}", (2 if mode == "refuse" else 1, {}))
            confirmed = [
                (sid, {"description": info["description"], "trigger_description": ("s", key)})
                for (sid, info), key in zip(shortcuts, asked.values(), strict=True)
            ]
            with lock:
                if session in bound:
                    bound[session] = set(asked)
            return new_method_return(msg, "ua{sv}", (0, {"shortcuts": ("a(sa{sv})", confirmed)}))
        if interface == IMPL_SESSION and member == "Close":
            calls.append({"call": "Close", "session": path})
            with lock:
                bound.pop(path, None)
            return new_method_return(msg)
        if interface == CONTROL and member == "Activate":
            emit_activated(msg.body[0])
            return new_method_return(msg)
        if interface == CONTROL and member == "Calls":
            return new_method_return(msg, "s", (json.dumps(calls),))
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
        frontend.terminate()
        try:
            frontend.wait(timeout=5)
        except subprocess.TimeoutExpired:
            frontend.kill()
            frontend.wait()
        shutil.rmtree(portal_dir, ignore_errors=True)
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1])

"""The running app's side of the single-instance socket (Qt). See :mod:`.single_instance`.

::

    server = InstanceServer()
    if not server.listen():                 # another Companion of this user runs
        forward("open " + uri or "show")    # hand over and quit
        return 0
    server.received.connect(on_message)     # "open tel:221", "show", ...: answered "ok"
    server.responder = answer               # or: answer(line, reply) replies when done

Start-up: under a ``QLockFile`` beside the socket (so two starts at the same moment
cannot both win), :meth:`InstanceServer.listen` first connects to the socket. If an
instance answers there, it returns False. If the connection fails, whatever is left is
a stale socket from a crash: it is deleted and the server listens in its place.

The listener: on Unix a stdlib socket on Qt's loop (:mod:`.unix_listener`, QtCore only:
QtNetwork would cost the tray app its library for one socket), mode 0700 in the 0700
directory; on Windows ``QLocalServer`` with ``UserAccessOption`` (an access list for
this user; Qt binds a temporary name and renames it over the final one, so listening
alone would not notice a live instance).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot

from companion.desktop.single_instance import (
    ACK,
    LOCK_NAME,
    MAX_LINE,
    InstanceError,
    ensure_private_dir,
    instance_answers,
    instance_dir,
    server_name,
)

if sys.platform == "win32":  # the named pipe needs QtNetwork
    from PySide6.QtNetwork import QLocalServer as Listener
    from PySide6.QtNetwork import QLocalSocket as Connection
else:  # a Unix socket needs no QtNetwork (its library costs the tray app ~3 MiB)
    from companion.desktop.unix_listener import UnixConnection as Connection
    from companion.desktop.unix_listener import UnixListener as Listener

__all__ = ["InstanceServer"]

_PROBE_MS = 500

Reply = Callable[[str], None]
"""Sends the one reply line to a message (later calls are ignored)."""
Responder = Callable[[str, Reply], None]
_LOCK_WAIT_MS = 5000


def _lock_path() -> Path:
    if sys.platform == "win32":  # the temp dir is the user's own there
        return Path(tempfile.gettempdir()) / (server_name().rsplit("\\", 1)[-1] + ".lock")
    directory = instance_dir()
    ensure_private_dir(directory)
    return directory / LOCK_NAME


def _read_all(sock: Connection) -> bytes:
    data = sock.readAll()
    return data if isinstance(data, bytes) else bytes(data.data())  # QByteArray on Windows


class InstanceServer(QObject):
    """Listens for messages from later starts.

    Without a :attr:`responder` each line is emitted as :attr:`received` and answered
    ``ok``. With one, it is called with each line and a ``reply`` function, which sends
    the reply line when the app has acted (it may be called later, from the loop). The
    lines of one connection are answered in order: the next is handed over once the
    previous one is answered.
    """

    received = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name()
        self._server = Listener(self)
        if sys.platform == "win32":  # an access list for this user only
            self._server.setSocketOptions(Listener.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[Connection, bytes] = {}
        self._busy: set[Connection] = set()  # a line of theirs awaits its reply
        self.responder: Responder | None = None

    @property
    def name(self) -> str:
        """The socket path (Unix) or pipe name (Windows)."""
        return self._name

    def is_listening(self) -> bool:
        return self._server.isListening()

    def listen(self) -> bool:
        """Take the per-user socket. False if another instance of this user holds it.

        Raises :class:`InstanceError` when the socket cannot be used for another reason
        (a directory of another user, a lock file that cannot be written, ...).
        """
        if self._server.isListening():
            return True
        lock_path = _lock_path()
        lock = QLockFile(os.fspath(lock_path))
        if not lock.tryLock(_LOCK_WAIT_MS):
            if lock.error() == QLockFile.LockError.LockFailedError:
                return False  # another start holds the lock and has not let go
            raise InstanceError(f"cannot write the lock file {lock_path}")
        try:
            if self._instance_answers():
                return False
            Listener.removeServer(self._name)  # a stale socket from a crash, if any
            if not self._server.listen(self._name):
                raise InstanceError(f"cannot listen on {self._name}: {self._server.errorString()}")
            if sys.platform != "win32":
                os.chmod(self._name, 0o700)  # Qt does this too; be sure of it
            return True
        finally:
            lock.unlock()

    def close(self) -> None:
        """Stop listening and remove the socket (only if it is ours)."""
        if self._server.isListening():
            self._server.close()  # removes the socket file on Unix
        for sock in list(self._buffers):
            self._drop(sock)

    def _instance_answers(self) -> bool:
        if sys.platform != "win32":
            return Path(self._name).exists() and instance_answers(_PROBE_MS / 1000)
        probe = Connection()
        probe.connectToServer(self._name)
        alive = probe.waitForConnected(_PROBE_MS)
        probe.abort()
        return alive

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                break
            self._buffers[sock] = b""
            # Bound slots and sender(), not lambdas: a lambda holding self would keep this
            # object alive until a socket it owns is deleted, and then delete it from
            # inside that socket's destructor.
            sock.readyRead.connect(self._on_ready_read)
            sock.disconnected.connect(self._on_disconnected)

    @Slot()
    def _on_ready_read(self) -> None:
        sock = self.sender()
        if isinstance(sock, Connection):
            self._read(sock)

    @Slot()
    def _on_disconnected(self) -> None:
        sock = self.sender()
        if isinstance(sock, Connection):
            self._read(sock)  # lines that arrived with the hang-up
            self._drop(sock)

    def _read(self, sock: Connection) -> None:
        if sock not in self._buffers:
            return
        buffer = self._buffers[sock] + _read_all(sock)
        while b"\n" in buffer and sock not in self._busy:
            raw, buffer = buffer.split(b"\n", 1)
            self._buffers[sock] = buffer
            line = raw.decode("utf-8", errors="replace").rstrip("\r")
            if self.responder is None:
                self.received.emit(line)
                self._answer(sock, ACK.decode())
            else:
                self._busy.add(sock)
                self.responder(line, self._replier(sock))
            if sock not in self._buffers:  # a slot closed the server meanwhile
                return
        if len(buffer) > MAX_LINE:
            self._drop(sock)
            return
        self._buffers[sock] = buffer

    def _replier(self, sock: Connection) -> Reply:
        sent = False

        def reply(text: str) -> None:
            nonlocal sent
            if sent or sock not in self._buffers:  # answered, or the sender has gone
                return
            sent = True
            self._busy.discard(sock)
            self._answer(sock, text)
            self._read(sock)  # lines that waited behind this one

        return reply

    def _answer(self, sock: Connection, text: str) -> None:
        data = " ".join(text.splitlines()).encode("utf-8")[: MAX_LINE - 1]
        sock.write(data + b"\n")
        sock.flush()

    def _drop(self, sock: Connection) -> None:
        self._busy.discard(sock)
        if self._buffers.pop(sock, None) is not None:
            sock.abort()
            sock.deleteLater()

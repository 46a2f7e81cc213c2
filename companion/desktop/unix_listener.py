"""A Unix-socket server on Qt's event loop without QtNetwork (Linux, macOS, BSD).

:class:`UnixListener` and :class:`UnixConnection` offer the part of ``QLocalServer`` and
``QLocalSocket`` that :mod:`companion.desktop.single_instance_qt` uses, over the standard
library's sockets and ``QSocketNotifier`` (QtCore). QtNetwork would cost the tray app
its library and bindings (about 3 MiB resident and its import at every start) for one
socket; Windows keeps ``QLocalServer`` for its named pipe.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys

from PySide6.QtCore import QObject, QSocketNotifier, Signal

__all__ = ["UnixConnection", "UnixListener"]

_CHUNK = 64 * 1024


class UnixConnection(QObject):
    """One accepted connection: ``readyRead`` when bytes came, ``disconnected`` once the
    peer has gone (after a last ``readyRead`` for what came with the hang-up)."""

    readyRead = Signal()  # the names are QLocalSocket's and QLocalServer's
    disconnected = Signal()

    def __init__(self, sock: socket.socket, parent: QObject | None = None) -> None:
        super().__init__(parent)
        sock.setblocking(False)
        self._sock: socket.socket | None = sock
        self._received = b""
        self._unsent = b""
        self._reader = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._on_readable)
        self._writer = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Write, self)
        self._writer.setEnabled(False)
        self._writer.activated.connect(self._on_writable)

    def readAll(self) -> bytes:
        data, self._received = self._received, b""
        return data

    def write(self, data: bytes) -> None:
        self._unsent += data
        self.flush()

    def flush(self) -> None:
        """Send what the socket takes now; the rest when it is writable again."""
        if self._sock is None:
            return
        try:
            while self._unsent:
                sent = self._sock.send(self._unsent)
                self._unsent = self._unsent[sent:]
        except BlockingIOError:
            pass
        except OSError:  # the peer has gone: what it would have read is moot
            self._unsent = b""
        self._writer.setEnabled(bool(self._unsent))

    def abort(self) -> None:
        """Close at once, unsent bytes and all."""
        if self._sock is None:
            return
        self._reader.setEnabled(False)  # before the descriptor is closed
        self._writer.setEnabled(False)
        self._sock.close()
        self._sock = None
        self._unsent = b""

    def _on_readable(self) -> None:
        if self._sock is None:
            return
        ended = False
        try:
            while True:
                chunk = self._sock.recv(_CHUNK)
                if not chunk:
                    ended = True
                    break
                self._received += chunk
        except BlockingIOError:
            pass
        except OSError:
            ended = True
        if self._received:
            self.readyRead.emit()
        if ended and self._sock is not None:
            self._reader.setEnabled(False)
            self.disconnected.emit()

    def _on_writable(self) -> None:
        self.flush()


class UnixListener(QObject):
    """Listens on a Unix socket path; ``newConnection`` when a client connected."""

    newConnection = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sock: socket.socket | None = None
        self._path = ""
        self._inode = 0
        self._notifier: QSocketNotifier | None = None
        self._pending: list[UnixConnection] = []
        self._error = ""

    @staticmethod
    def removeServer(path: str) -> None:
        """Remove a socket file left behind (by a crash)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)

    def listen(self, path: str) -> bool:
        if sys.platform == "win32":  # never used there: QLocalServer serves the named pipe
            self._error = "Unix sockets are not used on Windows"
            return False
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
            os.chmod(path, 0o700)
            sock.listen(16)
            sock.setblocking(False)
            self._inode = os.lstat(path).st_ino
        except OSError as exc:
            sock.close()
            self._error = exc.strerror or str(exc)
            return False
        self._sock, self._path = sock, path
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def isListening(self) -> bool:
        return self._sock is not None

    def errorString(self) -> str:
        return self._error

    def hasPendingConnections(self) -> bool:
        return bool(self._pending)

    def nextPendingConnection(self) -> UnixConnection | None:
        return self._pending.pop(0) if self._pending else None

    def close(self) -> None:
        """Stop listening and remove the socket file, if it is still the one we made."""
        if self._sock is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._sock.close()
        self._sock = None
        with contextlib.suppress(OSError):
            if os.lstat(self._path).st_ino == self._inode:
                os.unlink(self._path)

    def _accept(self) -> None:
        accepted = False
        while self._sock is not None:
            try:
                conn, _address = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # e.g. out of descriptors: try again on the next wake-up
                break
            self._pending.append(UnixConnection(conn, self))
            accepted = True
        if accepted:
            self.newConnection.emit()

"""One Companion per user session: a running app takes messages from later starts.

The running app listens on a per-user local socket with :class:`InstanceServer` (in
:mod:`companion.desktop.single_instance_qt`, on Qt's loop, imported only when the name
is used: a stdlib Unix socket, or Qt's ``QLocalServer`` for the Windows named pipe).
A later ``companion open tel:...`` or ``companion tel:...`` hands its message over with
:func:`forward`, which uses the standard library only: the hand-over costs little more
than starting Python, no Qt, no HTTP stack.

Where
    Linux and other Unix: the Unix socket ``$XDG_RUNTIME_DIR/companion/instance.sock``;
    without a usable ``$XDG_RUNTIME_DIR`` (or when that path would be too long for a
    socket address), ``<tempdir>/companion-<uid>/instance.sock``. The directory is
    created with mode 0700 and must belong to this user (a directory another user
    made, or a symlink, is refused); the socket itself is 0700.
    A lock file ``instance.lock`` beside it serialises starts (see the server).
    Windows: the named pipe ``\\\\.\\pipe\\companion-<user>-instance``; Qt gives it an
    access list for this user only.

Protocol
    UTF-8 text, one message per line, each terminated by ``\\n``; the server answers
    each line with one reply line, in order, once the app has acted on it. A client may
    send several lines on one connection. A line (message or reply) must not contain
    ``\\r`` or ``\\n`` and is at most :data:`MAX_LINE` bytes; the server drops a
    connection that sends a longer one. Messages are::

        open <URI>     act on a tel:/callto:/sip:/sips: link (the app checks it)
        show           a plain second start: bring the app forward
        run <JSON>     carry out a CLI call action with the app's warm PBX connection:
                       {"pbx": URL, "rest_user": NAME, "user": LOGIN, "argv": [...]}
                       (never a password: the app uses its own, for its own account)

    Replies are::

        ok               done (an app without replies answers every message so)
        error <TEXT>     refused, TEXT says why in words (e.g. a malformed link)
        done <JSON>      the answer to ``run``: {"exit": N, "stdout": S, "stderr": S}
        unavailable <TEXT>  the app cannot do this one (another account, not logged in,
                         not a call action): the sender does it itself

    Unknown messages are answered ``ok``; the app decides what to do with them.
"""

from __future__ import annotations

import _socket  # not socket: its enums and selectors cost a clicked link ~10 ms
import os
import stat
import sys
import time

TYPE_CHECKING = False  # not typing's: importing typing costs a clicked link more than the rest
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from companion.desktop.single_instance_qt import InstanceServer as InstanceServer

__all__ = [
    "ACK",
    "MAX_LINE",
    "InstanceError",
    "InstanceServer",
    "Refused",
    "ask",
    "check_instance_dir",
    "forward",
    "instance_answers",
    "instance_dir",
    "server_name",
    "split_message",
]

ACK = b"ok\n"
MAX_LINE = 64 * 1024
SOCKET_NAME = "instance.sock"
LOCK_NAME = "instance.lock"
# sun_path is 108 bytes on Linux and 104 on macOS/BSD, including the final NUL.
_MAX_SOCKET_PATH = 100


class InstanceError(Exception):
    """The single-instance socket cannot be used; the text says why, in one line."""


class Refused(Exception):
    """The running app answered ``error <TEXT>``; ``str(err)`` is that text."""


def __getattr__(name: str) -> Any:
    # The Qt server only when asked for: the forwarding side must not import Qt.
    if name == "InstanceServer":
        from companion.desktop.single_instance_qt import InstanceServer

        return InstanceServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- where ----------------------------------------------------------------------------------


def instance_name() -> str:
    """This instance's name: "companion", or COMPANION_INSTANCE's for a separate one (the
    demo is one, so a demo and the user's real Companion never take each other's links)."""
    return _safe(os.environ.get("COMPANION_INSTANCE", "") or "companion")


def _safe(text: str) -> str:
    """``text`` with every character but ASCII letters, digits and ``._-`` made ``_``."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in text)


def instance_dir() -> Path:
    """The per-user directory of the socket and the lock file (Unix only)."""
    from pathlib import Path

    return Path(_instance_dir())


def _instance_dir() -> str:
    # Plain strings: pathlib costs a clicked link a few ms.
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        candidate = os.path.join(runtime, instance_name())
        if len(os.fsencode(os.path.join(candidate, SOCKET_NAME))) <= _MAX_SOCKET_PATH:
            return candidate
    import tempfile  # only here: a hand-over should cost little more than Python starting

    return os.path.join(tempfile.gettempdir(), f"{instance_name()}-{_user_id()}")


def _user_id() -> str:
    """The numeric user id on Unix; Windows has none (its pipe name holds the user)."""
    if sys.platform == "win32":
        return _safe_user()
    return str(os.getuid())


def server_name() -> str:
    """The absolute socket path (Unix) or pipe name (Windows) of this user's instance."""
    if sys.platform == "win32":
        return rf"\\.\pipe\{instance_name()}-{_safe_user()}-instance"
    return os.path.join(_instance_dir(), SOCKET_NAME)


def _safe_user() -> str:
    import getpass

    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = os.environ.get("USERNAME", "user")
    return _safe(user) or "user"


def ensure_private_dir(path: Path | str) -> None:
    """Create ``path`` with mode 0700, or check that an existing one is this user's own.

    Raises :class:`InstanceError` if it is not a directory (a symlink counts as not) or
    belongs to another user; a directory of ours with looser permissions is tightened.
    """
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise InstanceError(f"cannot create {path}: {exc.strerror or exc}") from exc
    problem = _private_dir_problem(path)
    if problem == "mode":
        try:
            os.chmod(path, 0o700)
        except OSError as exc:
            raise InstanceError(f"cannot make {path} private: {exc.strerror or exc}") from exc
    elif problem:
        raise InstanceError(problem)


def _private_dir_problem(path: Path | str) -> str:
    """Empty if ``path`` is our own 0700 directory, "mode" if only the mode is wrong."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot use {path}: {exc.strerror or exc}"
    if not stat.S_ISDIR(info.st_mode):
        return (
            f"{path} is not a directory: remove it so Companion can use that name,"
            " or set XDG_RUNTIME_DIR to a directory of your own"
        )
    if sys.platform != "win32" and info.st_uid != os.getuid():
        return (
            f"The directory {path} belongs to {_owner(info.st_uid)}, not you: remove it"
            " or set XDG_RUNTIME_DIR to a directory of your own"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        return "mode"
    return ""


def _owner(uid: int) -> str:
    if sys.platform == "win32":
        return f"user id {uid}"
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name}"
    except (ImportError, KeyError):
        return f"user id {uid}"


def check_instance_dir() -> None:
    """Raise :class:`InstanceError` (what is wrong and how to fix it) if the socket's
    directory exists but cannot be ours: another user's, or not a directory. A missing
    one, or one of ours with a loose mode, is fine: the app makes or tightens it."""
    if sys.platform == "win32":
        return
    path = instance_dir()
    if not os.path.lexists(path):
        return
    problem = _private_dir_problem(path)
    if problem and problem != "mode":
        raise InstanceError(problem)


def instance_answers(timeout: float = 0.2) -> bool:
    """True if a Companion of this user listens on the socket (connects, sends nothing)."""
    if sys.platform == "win32":
        return os.path.exists(server_name())
    path = server_name()
    if _private_dir_problem(os.path.dirname(path)):
        return False
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
    except OSError:
        return False
    finally:
        sock.close()
    return True


def split_message(line: str) -> tuple[str, str]:
    """``"open tel:221"`` -> ``("open", "tel:221")``; ``"show"`` -> ``("show", "")``."""
    command, _, argument = line.partition(" ")
    return command, argument


# -- the forwarding side (stdlib only) ------------------------------------------------------


def forward(message: str, timeout: float = 1.0) -> bool:
    """Hand ``message`` to the running Companion of this user.

    Returns True once the app answered ``ok``, False at once if no instance runs (no
    socket, nobody listening on it: a stale socket from a crash). Raises
    :class:`Refused` with the app's words if it answered ``error ...``,
    :class:`InstanceError` if an instance accepted the connection but did not answer
    within ``timeout`` seconds (so the caller neither loses the message silently nor
    starts a second app), :class:`ValueError` for a message that is not one line.
    """
    reply = ask(message, timeout)
    if reply is None:
        return False
    kind, text = split_message(reply)
    if kind == "error":
        raise Refused(text)
    if reply != "ok":
        raise InstanceError(_no_answer(timeout))
    return True


def ask(message: str, timeout: float = 1.0) -> str | None:
    """Send ``message`` to the running Companion; its reply line (without ``\\n``).

    None at once if no instance runs. Raises :class:`InstanceError` if one accepted the
    connection but gave no reply line within ``timeout`` seconds, :class:`ValueError`
    for a message that is not one line or too long.
    """
    if "\n" in message or "\r" in message:
        raise ValueError("a message to the running app must be one line")
    data = message.encode("utf-8") + b"\n"
    if len(data) > MAX_LINE:
        raise ValueError("the message to the running app is too long")
    if sys.platform == "win32":
        reply = _forward_pipe(server_name(), data, timeout)
    else:
        reply = _forward_unix(server_name(), data, timeout)
    if reply is None:
        return None
    if not reply.endswith(b"\n"):
        raise InstanceError(_no_answer(timeout))
    return reply[:-1].decode("utf-8", errors="replace")


def _read_reply(receive: Callable[[float], bytes], deadline: float) -> bytes:
    """Bytes up to and including the first ``\\n`` (or what came before the end)."""
    reply = b""
    while not reply.endswith(b"\n") and len(reply) <= MAX_LINE:
        chunk = receive(deadline)
        if not chunk:
            break
        reply += chunk
    return reply


def _forward_unix(path: str, data: bytes, timeout: float) -> bytes | None:
    if sys.platform == "win32":  # never called there: the pipe is used instead
        return None
    if _private_dir_problem(os.path.dirname(path)):  # missing, or not ours: none of ours
        return None
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError:  # FileNotFound, ConnectionRefused (stale), timeout
            return None
        deadline = time.monotonic() + timeout

        def receive(deadline: float) -> bytes:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
            return sock.recv(4096)

        try:
            sock.sendall(data)
            return _read_reply(receive, deadline)
        except OSError as exc:  # includes TimeoutError
            raise InstanceError(_no_answer(timeout)) from exc
    finally:
        sock.close()


def _no_answer(timeout: float) -> str:
    return (
        f"Companion is running but did not answer within {timeout:g} s; "
        "if it hangs, quit it and try again"
    )


def _forward_pipe(name: str, data: bytes, timeout: float) -> bytes | None:
    """Windows: the named pipe is opened like a file; a thread keeps the timeout."""
    import threading

    deadline = time.monotonic() + timeout
    while True:
        try:
            pipe = open(name, "r+b", buffering=0)  # noqa: SIM115 - closed in the thread
            break
        except FileNotFoundError:
            return None
        except OSError:  # ERROR_PIPE_BUSY: another client is being served
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)
    result: list[bytes] = []

    def talk() -> None:
        try:
            pipe.write(data)
            result.append(_read_reply(lambda _deadline: pipe.read(4096), deadline))
        except OSError:
            pass
        finally:
            pipe.close()

    worker = threading.Thread(target=talk, daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0.05))
    if not result:
        raise InstanceError(_no_answer(timeout))
    return result[0]

"""Single instance: a real QLocalServer, real Unix sockets, forwarding from subprocesses."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from companion.desktop import single_instance
from companion.desktop.single_instance import (
    InstanceError,
    forward,
    server_name,
    split_message,
)
from companion.desktop.single_instance_qt import InstanceServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")

REPO = Path(__file__).resolve().parents[2]

# The forwarding process: the stdlib client only; reports what it imported.
CLIENT = """
import sys
from companion.desktop.single_instance import forward
delivered = forward(sys.argv[1])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"PySide6", "shiboken6", "httpx"})
print(delivered, heavy)
"""

# A running app that crashes: listens, says so, then waits to be killed.
CRASHING_APP = """
from PySide6.QtCore import QCoreApplication
from companion.desktop.single_instance_qt import InstanceServer
app = QCoreApplication([])
server = InstanceServer()
print(server.listen(), flush=True)
app.exec()
"""


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def server(qapp: object, runtime_dir: Path) -> Iterator[InstanceServer]:
    instance = InstanceServer()
    assert instance.listen()
    yield instance
    instance.close()


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
    )


def _forward_in_thread(message: str) -> list[bool]:
    """forward() from this process must not block the loop the server needs."""
    result: list[bool] = []
    threading.Thread(target=lambda: result.append(forward(message, 5.0)), daemon=True).start()
    return result


def test_socket_path_is_absolute_and_under_the_runtime_dir(runtime_dir: Path) -> None:
    assert server_name() == str(runtime_dir / "companion" / "instance.sock")
    assert os.path.isabs(server_name())


def test_without_runtime_dir_a_per_user_temp_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    path = Path(server_name())
    assert path.parent.name == f"companion-{os.getuid()}"
    assert path.is_absolute()


def test_forward_from_a_subprocess_arrives_as_received(
    server: InstanceServer, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(server.received, timeout=10_000) as blocker:
        client = _python(CLIENT, "open tel:221")
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=10_000)
    out, err = client.communicate()
    assert blocker.args == ["open tel:221"]
    # acknowledged, and the hand-over imported neither Qt nor the HTTP stack
    assert out.strip() == "True []", err


def test_several_lines_in_order_and_non_ascii(server: InstanceServer, qtbot: QtBot) -> None:
    got: list[str] = []
    server.received.connect(got.append)
    results = [_forward_in_thread("open sip:+4989123456@pbx.example")]
    qtbot.waitUntil(lambda: bool(results[0]), timeout=5000)
    results.append(_forward_in_thread("open tel:+49 89 123 456;ext=Büro"))
    qtbot.waitUntil(lambda: bool(results[1]), timeout=5000)
    assert got == ["open sip:+4989123456@pbx.example", "open tel:+49 89 123 456;ext=Büro"]
    assert [r[0] for r in results] == [True, True]

    # one connection, two lines: two messages, two acknowledgements
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(server.name)
    sock.sendall(b"show\nopen callto:221\n")
    qtbot.waitUntil(lambda: len(got) == 4, timeout=5000)
    sock.settimeout(5)
    reply = b""
    while reply.count(b"\n") < 2:
        qtbot.wait(10)
        reply += sock.recv(64)
    sock.close()
    assert got[2:] == ["show", "open callto:221"]
    assert reply == b"ok\nok\n"


def test_a_second_listen_in_the_same_session_is_refused(server: InstanceServer) -> None:
    second = InstanceServer()
    assert second.listen() is False
    assert not second.is_listening()
    assert server.is_listening()  # and the first one keeps its socket
    assert os.path.exists(server.name)


def test_socket_and_its_directory_are_this_users_only(server: InstanceServer) -> None:
    directory = Path(server.name).parent
    info = os.lstat(directory)
    assert stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()
    sock_info = os.lstat(server.name)
    assert stat.S_ISSOCK(sock_info.st_mode)
    assert stat.S_IMODE(sock_info.st_mode) & 0o077 == 0


def test_a_loose_directory_is_tightened(qapp: object, runtime_dir: Path) -> None:
    (runtime_dir / "companion").mkdir(mode=0o755)
    os.chmod(runtime_dir / "companion", 0o755)
    instance = InstanceServer()
    try:
        assert instance.listen()
        assert stat.S_IMODE(os.lstat(runtime_dir / "companion").st_mode) == 0o700
    finally:
        instance.close()


def test_a_symlinked_directory_is_refused(qapp: object, runtime_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (runtime_dir / "companion").symlink_to(elsewhere)
    with pytest.raises(InstanceError, match="not a directory"):
        InstanceServer().listen()
    assert forward("show") is False
    assert list(elsewhere.iterdir()) == []


def test_forward_is_false_at_once_when_nothing_listens(runtime_dir: Path) -> None:
    started = time.monotonic()
    assert forward("open tel:221") is False
    assert time.monotonic() - started < 0.2


def test_an_abandoned_socket_does_not_block_the_next_start(
    qapp: object, runtime_dir: Path, qtbot: QtBot
) -> None:
    directory = runtime_dir / "companion"
    directory.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(directory / "instance.sock"))  # bound, never listened: refused
    stale.close()
    assert (directory / "instance.sock").exists()

    started = time.monotonic()
    assert forward("open tel:221") is False
    assert time.monotonic() - started < 0.2

    instance = InstanceServer()
    try:
        assert instance.listen()
        with qtbot.waitSignal(instance.received, timeout=5000) as blocker:
            result = _forward_in_thread("open tel:221")
        qtbot.waitUntil(lambda: bool(result), timeout=5000)
        assert blocker.args == ["open tel:221"]
        assert result == [True]
    finally:
        instance.close()


def test_a_killed_instance_does_not_block_the_next_start(
    qapp: object, runtime_dir: Path, qtbot: QtBot
) -> None:
    crashing = _python(CRASHING_APP)
    assert crashing.stdout is not None
    assert crashing.stdout.readline().strip() == "True"
    assert forward("show") is True  # it really was serving
    os.kill(crashing.pid, signal.SIGKILL)
    crashing.wait(10)
    crashing.communicate()
    assert os.path.exists(server_name())  # the crash left its socket behind
    assert forward("show") is False

    instance = InstanceServer()
    try:
        assert instance.listen()
        with qtbot.waitSignal(instance.received, timeout=5000) as blocker:
            _forward_in_thread("open tel:222")
        assert blocker.args == ["open tel:222"]
    finally:
        instance.close()


@pytest.fixture
def mute_instance(runtime_dir: Path) -> Iterator[None]:
    """An instance socket that accepts connections (in its backlog) and never answers."""
    directory = runtime_dir / "companion"
    directory.mkdir(mode=0o700)
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(str(directory / "instance.sock"))
    mute.listen(1)
    try:
        yield
    finally:
        mute.close()


def test_an_instance_that_does_not_answer_is_an_error_not_a_false(mute_instance: None) -> None:
    started = time.monotonic()
    with pytest.raises(InstanceError, match=r"did not answer within 0\.3 s"):
        forward("show", timeout=0.3)
    assert time.monotonic() - started < 2


def test_a_message_is_one_line(runtime_dir: Path) -> None:
    with pytest.raises(ValueError, match="one line"):
        forward("open tel:221\nopen tel:666")
    assert split_message("open tel:221") == ("open", "tel:221")
    assert split_message("show") == ("show", "")


def test_the_client_module_loads_without_qt() -> None:
    code = (
        "import sys, companion.desktop.single_instance as s, companion.desktop.commands;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'httpx')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"
    assert "InstanceServer" in single_instance.__all__


# -- `companion open URI`: check, hand over, or start the app ----------------------------------

OPEN_URI = """
import argparse, sys
from companion.desktop.commands import open_uri
code = open_uri(argparse.Namespace(uri=sys.argv[1]))
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"PySide6", "shiboken6", "httpx"})
print(code, heavy)
"""


def test_open_uri_hands_the_link_to_the_running_app(server: InstanceServer, qtbot: QtBot) -> None:
    with qtbot.waitSignal(server.received, timeout=10_000) as blocker:
        opener = _python(OPEN_URI, "tel:+49-89-123456")
    qtbot.waitUntil(lambda: opener.poll() is not None, timeout=10_000)
    out, err = opener.communicate()
    assert blocker.args == ["open tel:+49-89-123456"]
    assert out.strip() == "0 []", err


def test_open_uri_prints_the_apps_refusal_and_fails(server: InstanceServer, qtbot: QtBot) -> None:
    # The app checks the link (tests/ui/test_handover.py runs the real one); here a
    # server that refuses it, as the app does for a malformed link.
    server.responder = lambda line, reply: reply("error This is not a phone number: hello")
    opener = _python(OPEN_URI, "tel:hello")
    qtbot.waitUntil(lambda: opener.poll() is not None, timeout=10_000)
    out, err = opener.communicate()
    assert opener.returncode == 1 and out == ""
    assert "UserError: This is not a phone number: hello" in err.strip().splitlines()[-1]


def test_open_uri_refuses_a_link_with_a_line_break_and_forwards_nothing(
    runtime_dir: Path,
) -> None:
    from companion.desktop.commands import open_uri
    from companion.output import UserError

    directory = runtime_dir / "companion"
    directory.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(directory / "instance.sock"))
    listener.listen(1)
    listener.setblocking(False)
    try:
        with pytest.raises(UserError) as caught:
            open_uri(argparse.Namespace(uri="tel:22\n1"))
        assert "line break" in str(caught.value)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    finally:
        listener.close()


def test_replies_come_in_order_after_the_app_has_acted(
    server: InstanceServer, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QTimer

    seen: list[str] = []

    def answer(line: str, reply: Callable[[str], None]) -> None:
        seen.append(line)  # the first answers late: the second must wait behind it
        QTimer.singleShot(300 if line == "first" else 0, lambda: reply(f"done {line}"))

    server.responder = answer
    client = _python(
        "import socket, sys\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "s.connect(sys.argv[1])\n"
        "s.sendall(b'first\\nsecond\\n')\n"
        "data = b''\n"
        "while data.count(b'\\n') < 2:\n"
        "    data += s.recv(100)\n"
        "print(data.decode(), end='')\n",
        server.name,
    )
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=10_000)
    out, err = client.communicate()
    assert out == "done first\ndone second\n", err
    assert seen == ["first", "second"]


def test_open_uri_starts_the_app_when_none_runs(
    runtime_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.desktop.commands import open_uri

    started: list[tuple[list[str], dict[str, object]]] = []
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    real_popen = subprocess.Popen

    received: list[bytes] = []

    def app_side() -> None:  # takes the link and answers, as the started app does
        connection, _ = listener.accept()
        with connection:
            received.append(connection.recv(1000))
            connection.sendall(b"ok\n")

    def popen(argv: list[str], **options: object) -> subprocess.Popen[bytes]:
        # The "app" listens at once, then is handed the link over the socket.
        started.append((argv, options))
        directory = runtime_dir / "companion"
        directory.mkdir(mode=0o700)
        listener.bind(str(directory / "instance.sock"))
        listener.listen(2)
        threading.Thread(target=lambda: (listener.accept()[0].close(), app_side())).start()
        return real_popen([sys.executable, "-c", "pass"])

    monkeypatch.setattr(subprocess, "Popen", popen)
    try:
        assert open_uri(argparse.Namespace(uri="callto:221")) == 0
    finally:
        listener.close()
    [(argv, options)] = started
    assert argv == [sys.executable, "-m", "companion"]
    assert received == [b"open callto:221\n"]
    assert options["stdin"] == options["stdout"] == subprocess.DEVNULL
    assert options["start_new_session"] is True
    assert hasattr(options["stderr"], "fileno")  # a file, read if the app ends at once


def _env_without_runtime_dir(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(TMPDIR=str(tmp_path), COMPANION_CONFIG_DIR=str(tmp_path / "config"))
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def squatted_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """<tempdir>/companion-<uid> made by another user (nobody), XDG_RUNTIME_DIR unset."""
    if os.getuid() != 0:
        pytest.skip("needs root to give a directory to another user")
    import pwd

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    directory = tmp_path / f"companion-{os.getuid()}"
    directory.mkdir(mode=0o755)
    nobody = pwd.getpwnam("nobody")
    os.chown(directory, nobody.pw_uid, nobody.pw_gid)
    return directory


def test_a_squatted_socket_dir_is_explained_and_no_app_is_started(
    squatted_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.desktop.commands import open_uri
    from companion.output import UserError

    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda argv, **_options: started.append(argv))
    with pytest.raises(UserError) as caught:
        open_uri(argparse.Namespace(uri="tel:221"))
    text = str(caught.value)
    assert f"The directory {squatted_dir} belongs to user nobody, not you" in text
    assert "XDG_RUNTIME_DIR" in text and "not dialled" in text
    assert started == []


@pytest.mark.parametrize("command", [["open", "tel:221"], ["tel:221"], []])
def test_a_squatted_socket_dir_fails_the_command_in_words(
    squatted_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "companion", *command],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env_without_runtime_dir(tmp_path),
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "belongs to user nobody, not you" in done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr


def test_open_fails_when_the_app_it_starts_ends_at_once(runtime_dir: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the started app finds no display and ends
    env["COMPANION_CONFIG_DIR"] = str(tmp_path / "config")
    if not sys.platform.startswith("linux"):
        pytest.skip("the no-display check is Linux's")
    done = subprocess.run(
        [sys.executable, "-m", "companion", "open", "tel:221"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert "The link was not dialled: Companion did not start" in done.stderr
    assert "no display" in done.stderr
    assert not (runtime_dir / "companion" / "instance.sock").exists()


def test_the_demo_has_an_instance_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.desktop.single_instance import instance_dir, server_name

    real = server_name()
    monkeypatch.setenv("COMPANION_INSTANCE", "companion-demo")
    assert server_name() != real
    assert instance_dir().name.startswith("companion-demo")


def test_a_plain_start_beside_an_app_that_does_not_answer_says_so_without_qt(
    mute_instance: None, tmp_path: Path
) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "companion"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "COMPANION_CONFIG_DIR": str(tmp_path / "config")},
        timeout=60,
    )
    took = time.monotonic() - started
    said = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert done.returncode == 1
    assert len(said) == 1 and said[0].startswith("companion: ") and "did not answer" in said[0]
    assert "PySide6" not in imported and "keyring" not in imported
    assert took < 10  # one wait for the app, not a second one after loading Qt

"""companion.credentials: the REST password in the keyring, and only there."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.core
import keyring.errors
import pytest
from keyring.compat import properties

from companion import credentials
from companion.credentials import (
    SERVICE,
    CredentialError,
    MemoryKeyring,
    account,
    delete_password,
    get_password,
    store_password,
    use_memory_keyring,
)

REPO = Path(__file__).resolve().parents[2]
URL = "https://pbx.example.com/acme"
PASSWORD = "s3cr3t-Pa55w0rd"


@pytest.fixture(autouse=True)
def own_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sets its own backend; the process's choice is restored afterwards."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    yield


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


class RaisingKeyring(keyring.backend.KeyringBackend):
    """Raises ``error`` from every call (errors that mention the password, on purpose)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.error: BaseException = RuntimeError()
        self.stored: str | None = None

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test backend, never selected automatically")

    def get_password(self, service: str, username: str) -> str | None:
        if self.stored is not None:
            return self.stored
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class ForgetfulKeyring(MemoryKeyring):
    """Accepts passwords and drops them, as a misconfigured backend may."""

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


def raising(error: BaseException, stored: str | None = None) -> RaisingKeyring:
    backend = RaisingKeyring()
    backend.error = error
    backend.stored = stored
    keyring.set_keyring(backend)
    return backend


def assert_no_password(err: BaseException) -> None:
    """The password is nowhere in what a user, a log or a traceback could show."""
    assert PASSWORD not in str(err)
    assert PASSWORD not in repr(err)
    assert PASSWORD not in "".join(traceback.format_exception(err))
    assert "\n" not in str(err)


# ----------------------------------------------------------------------------- account


@pytest.mark.parametrize(
    ("url", "user", "expected"),
    [
        (URL, "moby", "moby@https://pbx.example.com/acme"),
        ("https://PBX.example.com/acme/services/", " moby ", "moby@https://pbx.example.com/acme"),
        ("https://pbx.example.com:443/acme/", "moby", "moby@https://pbx.example.com/acme"),
        ("https://pbx.example.com:8443/acme", "admin", "admin@https://pbx.example.com:8443/acme"),
        ("http://127.0.0.1:8080/demo", "moby", "moby@http://127.0.0.1:8080/demo"),
    ],
)
def test_account(url: str, user: str, expected: str) -> None:
    assert account(url, user) == expected


@pytest.mark.parametrize(("url", "user"), [("", "moby"), ("ftp://pbx", "moby"), (URL, " ")])
def test_account_needs_a_pbx_and_a_user(url: str, user: str) -> None:
    with pytest.raises(CredentialError):
        account(url, user)


# --------------------------------------------------------------------- memory keyring


def test_store_get_delete(memory: MemoryKeyring) -> None:
    assert get_password(URL, "moby") is None
    store_password(URL, "moby", PASSWORD)
    assert get_password(URL, "moby") == PASSWORD
    assert keyring.get_password(SERVICE, "moby@https://pbx.example.com/acme") == PASSWORD
    store_password(URL, "moby", "changed")
    assert get_password(URL, "moby") == "changed"
    delete_password(URL, "moby")
    assert get_password(URL, "moby") is None


def test_delete_when_absent_is_fine(memory: MemoryKeyring) -> None:
    delete_password(URL, "moby")
    delete_password(URL, "moby")


def test_a_password_is_tied_to_its_pbx_and_user(memory: MemoryKeyring) -> None:
    store_password(URL, "moby", PASSWORD)
    assert get_password("https://PBX.example.com/acme/services", "moby") == PASSWORD
    assert get_password("https://other.example.com/acme", "moby") is None
    assert get_password("https://pbx.example.com/other", "moby") is None
    assert get_password("http://pbx.example.com/acme", "moby") is None
    assert get_password(URL, "admin") is None


def test_empty_password_is_refused(memory: MemoryKeyring) -> None:
    with pytest.raises(CredentialError, match="empty"):
        store_password(URL, "moby", "")


def test_use_memory_keyring() -> None:
    use_memory_keyring()
    assert isinstance(keyring.get_keyring(), MemoryKeyring)
    store_password(URL, "moby", PASSWORD)
    assert get_password(URL, "moby") == PASSWORD
    use_memory_keyring()  # a fresh one: nothing carried over
    assert get_password(URL, "moby") is None


def test_memory_keyring_is_never_chosen_automatically() -> None:
    assert MemoryKeyring.viable is False
    assert MemoryKeyring not in set(keyring.backend.KeyringBackend.get_viable_backends())
    assert "memory" in str(MemoryKeyring())


def test_the_password_is_never_logged_or_printed(
    memory: MemoryKeyring, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    store_password(URL, "moby", PASSWORD)
    get_password(URL, "moby")
    delete_password(URL, "moby")
    captured = capsys.readouterr()
    assert PASSWORD not in caplog.text
    assert PASSWORD not in captured.out + captured.err


# ------------------------------------------------------------------ no usable keyring


def test_fail_backend_says_what_to_do() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    calls: list[Callable[[], object]] = [
        lambda: store_password(URL, "moby", PASSWORD),
        lambda: get_password(URL, "moby"),
        lambda: delete_password(URL, "moby"),
    ]
    for call in calls:
        with pytest.raises(CredentialError) as info:
            call()
        message = str(info.value)
        assert "No password store (keyring) is available" in message
        assert "never stores the password in a file" in message
        if sys.platform.startswith("linux"):
            assert "gnome-keyring" in message
            assert "KWallet" in message
            assert "PYTHON_KEYRING_BACKEND" in message
        assert_no_password(info.value)


def test_no_keyring_error_at_call_time_says_what_to_do() -> None:
    raising(keyring.errors.NoKeyringError("No recommended backend was available."))
    with pytest.raises(CredentialError, match="No password store") as info:
        store_password(URL, "moby", PASSWORD)
    assert_no_password(info.value)


def test_null_backend_is_not_a_silent_fallback() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())  # type: ignore[no-untyped-call]
    calls: list[Callable[[], object]] = [
        lambda: store_password(URL, "moby", PASSWORD),
        lambda: get_password(URL, "moby"),
    ]
    for call in calls:
        with pytest.raises(CredentialError, match="switched off"):
            call()


def test_a_backend_that_drops_passwords_is_reported() -> None:
    keyring.set_keyring(ForgetfulKeyring())
    with pytest.raises(CredentialError, match="does not give it back") as info:
        store_password(URL, "moby", PASSWORD)
    assert_no_password(info.value)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (keyring.errors.KeyringLocked(f"Failed to unlock with {PASSWORD}"), "locked"),
        (keyring.errors.InitError(f"Failed to create {PASSWORD}"), "could not be opened"),
        (keyring.errors.PasswordSetError(f"cannot set {PASSWORD}"), "refused to store"),
        (keyring.errors.KeyringError(f"generic {PASSWORD}"), "failed to store"),
        (RuntimeError(f"org.freedesktop.DBus.Error.ServiceUnknown {PASSWORD}"), "RuntimeError"),
        (OSError(f"Connection refused {PASSWORD}"), "OSError"),
        (ValueError(PASSWORD), "ValueError"),
    ],
)  # fmt: skip
def test_store_errors_are_mapped_and_never_carry_the_password(
    error: BaseException, words: str
) -> None:
    raising(error)
    with pytest.raises(CredentialError) as info:
        store_password(URL, "moby", PASSWORD)
    assert words in str(info.value)
    assert_no_password(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_password_split_across_the_shortening_is_not_shown() -> None:
    raising(keyring.errors.PasswordSetError("x" * 190 + PASSWORD[:-1] + " " + PASSWORD))
    with pytest.raises(CredentialError) as info:
        store_password(URL, "moby", PASSWORD)
    assert_no_password(info.value)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"), "locked"),
        (keyring.errors.InitError("Failed to create the collection"), "could not be opened"),
        (RuntimeError("dbus went away"), "failed to read the REST password (RuntimeError)"),
    ],
)
def test_read_errors_are_mapped(error: BaseException, words: str) -> None:
    raising(error)
    with pytest.raises(CredentialError) as info:
        get_password(URL, "moby")
    assert words in str(info.value)


def test_delete_errors_are_mapped() -> None:
    raising(keyring.errors.PasswordDeleteError("permission denied"), stored=PASSWORD)
    with pytest.raises(CredentialError, match="refused to delete") as info:
        delete_password(URL, "moby")
    assert_no_password(info.value)
    raising(keyring.errors.KeyringLocked("Failed to unlock the collection!"))
    with pytest.raises(CredentialError, match="locked"):
        delete_password(URL, "moby")


# ------------------------------------------------------- subprocesses: how the CLI runs


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON_KEYRING", "COMPANION_TEST_KEYRING"))
    }
    full_env.update(env)
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=60,
    )


CALL = (
    "import sys\n"
    "from companion import credentials as c\n"
    "try:\n"
    "    {call}\n"
    "except c.CredentialError as err:\n"
    "    print('CredentialError:', err)\n"
    "    sys.exit(3)\n"
)


def test_file_keyring_for_cli_tests(tmp_path: Path) -> None:
    store = tmp_path / "keyring.json"
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "COMPANION_TEST_KEYRING_FILE": str(store),
    }
    stored = run_python(CALL.format(call=f"c.store_password({URL!r}, 'moby', {PASSWORD!r})"), env)
    assert stored.returncode == 0, stored.stdout + stored.stderr
    assert PASSWORD not in stored.stdout + stored.stderr
    assert json.loads(store.read_text()) == {SERVICE: {f"moby@{URL}": PASSWORD}}
    if os.name == "posix":
        assert stat.S_IMODE(store.stat().st_mode) == 0o600

    read = run_python(CALL.format(call=f"print(c.get_password({URL!r}, 'moby'))"), env)
    assert read.stdout.strip() == PASSWORD

    for _ in range(2):  # the second time there is nothing to delete
        deleted = run_python(CALL.format(call=f"c.delete_password({URL!r}, 'moby')"), env)
        assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    read = run_python(CALL.format(call=f"print(c.get_password({URL!r}, 'moby'))"), env)
    assert read.stdout.strip() == "None"


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHON_KEYRING_BACKEND": "no.such.module.Keyring"},
        {"PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring"},  # file not set
    ],
)
def test_a_broken_backend_setting_is_a_clear_error(env: dict[str, str]) -> None:
    result = run_python(CALL.format(call=f"c.get_password({URL!r}, 'moby')"), env)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "CredentialError: The keyring backend could not be loaded" in result.stdout
    assert "PYTHON_KEYRING_BACKEND" in result.stdout
    assert "Traceback" not in result.stderr


def test_core_modules_import_no_qt_and_no_httpx() -> None:
    code = (
        "import sys, companion.config, companion.numbers, companion.credentials\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('PySide6', 'shiboken6', 'httpx', 'qasync'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = run_python(code, {})
    assert result.returncode == 0, result.stdout + result.stderr


def test_module_docstring_says_to_stay_off_the_gui_thread() -> None:
    for function in (store_password, get_password, delete_password):
        assert function.__doc__ is not None
        assert "GUI thread" in function.__doc__
    assert credentials.__doc__ is not None
    assert "GUI thread" in credentials.__doc__


# -- the remembered backend: no discovery scan on every call --------------------------------

READ_PASSWORD = f"""
import sys
from companion import credentials
try:
    print(credentials.get_password({URL!r}, "moby"))
except credentials.CredentialError:  # this machine has no keyring of its own
    print("no-keyring")
print("keyring.backends.kwallet" in sys.modules)  # imported by keyring's discovery scan
"""


def _remembering_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps({SERVICE: {f"moby@{URL}": PASSWORD}}))
    env.update(
        COMPANION_STATE_DIR=str(tmp_path / "state"),
        COMPANION_TEST_KEYRING_FILE=str(keyring_file),
        XDG_CONFIG_HOME=str(tmp_path / "xdg"),  # no keyringrc.cfg
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        PYTHONPATH=str(REPO),
    )
    return env


def _read(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", READ_PASSWORD], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_remembered_backend_is_used_without_discovery(tmp_path: Path) -> None:
    env = _remembering_env(tmp_path)
    (tmp_path / "state").mkdir()
    remembered = tmp_path / "state" / credentials.REMEMBERED_BACKEND
    remembered.write_text("tests.support.file_keyring.FileKeyring")
    assert _read(env) == [PASSWORD, "False"]
    assert remembered.read_text() == "tests.support.file_keyring.FileKeyring"


def test_a_remembered_backend_that_is_gone_is_forgotten_and_discovery_runs(
    tmp_path: Path,
) -> None:
    env = _remembering_env(tmp_path)
    (tmp_path / "state").mkdir()
    remembered = tmp_path / "state" / credentials.REMEMBERED_BACKEND
    remembered.write_text("keyring_backend_that_was_uninstalled.Keyring")
    assert _read(env)[-1] == "True"  # discovery ran
    assert not remembered.exists() or remembered.read_text() != (
        "keyring_backend_that_was_uninstalled.Keyring"
    )

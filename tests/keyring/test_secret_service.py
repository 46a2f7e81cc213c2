"""companion.credentials against a REAL Secret Service (gnome-keyring over D-Bus).

These tests write to the Secret Service of the session they run in, so a plain
``pytest`` skips them; select them with ``-m keyring``, in a throwaway D-Bus session::

    dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock \\
        --components=secrets; COMPANION_KEYRING_TEST_PASSWORD=pw pytest -m keyring tests/keyring'

(Debian packages: ``gnome-keyring`` and ``dbus-daemon``, which brings
``dbus-run-session``.) Without a reachable Secret Service they skip, saying why; with
``COMPANION_REQUIRE_KEYRING=1`` they fail instead, so CI can't pass by skipping.
``COMPANION_KEYRING_TEST_PASSWORD`` is the keyring's password: with it, one more test
locks the keyring to see the "locked" message and unlocks it again. Never set it for
your desktop's own keyring unless you want that.

Every entry is made for a PBX under ``companion-keyring-test.invalid`` and removed again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import SecretService

from companion.credentials import (
    SERVICE,
    CredentialError,
    account,
    delete_password,
    get_password,
    store_password,
)

pytestmark = pytest.mark.keyring

REPO = Path(__file__).resolve().parents[2]
REQUIRE = "COMPANION_REQUIRE_KEYRING"
KEYRING_PASSWORD = "COMPANION_KEYRING_TEST_PASSWORD"
PASSWORD = "Ünïcödé p4ss \"'\\ wörd"


@pytest.fixture(scope="module")
def secret_service(request: pytest.FixtureRequest) -> SecretService.Keyring:
    markexpr = str(request.config.getoption("markexpr", "") or "")
    if "keyring" not in markexpr and not os.environ.get(REQUIRE):
        pytest.skip("writes to the real Secret Service: run with -m keyring (see this module)")
    try:
        SecretService.Keyring.priority  # noqa: B018 - raises when none is reachable
    except Exception as err:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but no Secret Service is reachable: {err}")
        pytest.skip(f"no Secret Service reachable (run under dbus-run-session): {err}")
    return SecretService.Keyring()  # type: ignore[no-untyped-call]


@pytest.fixture
def pbx_url(
    secret_service: SecretService.Keyring, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A PBX URL of this test's own, with the Secret Service as the keyring."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    keyring.set_keyring(secret_service)
    url = f"https://companion-keyring-test.invalid/{uuid.uuid4().hex}"
    yield url
    for user in ("moby", "admin"):
        # absent is fine, and a failing cleanup must not hide the test's own result
        with contextlib.suppress(Exception):
            secret_service.delete_password(SERVICE, account(url, user))  # type: ignore[no-untyped-call]


def items(url: str, user: str) -> list[tuple[dict[str, str], bytes]]:
    """What the Secret Service itself holds for Companion's entry (read with secretstorage)."""
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        found = secretstorage.search_items(
            connection, {"service": SERVICE, "username": account(url, user)}
        )
        return [(item.get_attributes(), item.get_secret()) for item in found]


def test_store_get_delete(pbx_url: str) -> None:
    assert get_password(pbx_url, "moby") is None
    store_password(pbx_url, "moby", PASSWORD)
    assert get_password(pbx_url, "moby") == PASSWORD
    store_password(pbx_url, "moby", "second")
    assert get_password(pbx_url, "moby") == "second"
    delete_password(pbx_url, "moby")
    assert get_password(pbx_url, "moby") is None


def test_the_entry_is_in_the_secret_service(pbx_url: str) -> None:
    store_password(pbx_url, "moby", PASSWORD)
    [(attributes, secret)] = items(pbx_url, "moby")
    assert attributes["service"] == "Companion (pascom REST)"
    assert attributes["username"] == f"moby@{pbx_url}"
    assert secret.decode("utf-8") == PASSWORD
    delete_password(pbx_url, "moby")
    assert items(pbx_url, "moby") == []


def test_delete_when_absent_is_fine(pbx_url: str) -> None:
    delete_password(pbx_url, "moby")
    delete_password(pbx_url, "moby")


def test_users_and_pbxs_are_kept_apart(pbx_url: str) -> None:
    store_password(pbx_url, "moby", "for moby")
    store_password(pbx_url, "admin", "for admin")
    assert get_password(pbx_url, "moby") == "for moby"
    assert get_password(pbx_url + "/services/", "admin") == "for admin"
    assert get_password(pbx_url + "x", "moby") is None
    delete_password(pbx_url, "moby")
    assert get_password(pbx_url, "admin") == "for admin"


def test_a_new_process_finds_the_secret_service_by_itself(pbx_url: str) -> None:
    """What users get: keyring's own choice of backend, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON_KEYRING")}
    env["PYTHONPATH"] = str(REPO)
    code = (
        "import sys, keyring\n"
        "from companion import credentials as c\n"
        "print(type(keyring.get_keyring()).__module__)\n"
        "c.store_password(sys.argv[1], 'moby', sys.argv[2])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, pbx_url, PASSWORD],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SecretService" in result.stdout or "chainer" in result.stdout
    assert get_password(pbx_url, "moby") == PASSWORD


@pytest.mark.skipif(
    not os.environ.get(KEYRING_PASSWORD),
    reason=f"locks the keyring: needs {KEYRING_PASSWORD} to unlock it again",
)
def test_a_locked_keyring_says_so(pbx_url: str) -> None:
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        collection.lock()
        try:
            assert collection.is_locked()
            with pytest.raises(CredentialError, match="locked") as info:
                store_password(pbx_url, "moby", PASSWORD)
            assert PASSWORD not in str(info.value)
            with pytest.raises(CredentialError, match="locked"):
                get_password(pbx_url, "moby")
        finally:
            unlock(connection, collection.collection_path, os.environ[KEYRING_PASSWORD])
        assert not collection.is_locked()
    store_password(pbx_url, "moby", PASSWORD)
    assert get_password(pbx_url, "moby") == PASSWORD


def unlock(connection: object, collection_path: str, password: str) -> None:
    """Unlock a gnome-keyring collection without a prompt (there is no display here)."""
    from jeepney import DBusAddress, new_method_call  # type: ignore[import-untyped]

    send = connection.send_and_get_reply  # type: ignore[attr-defined]
    service = DBusAddress(
        "/org/freedesktop/secrets",
        bus_name="org.freedesktop.secrets",
        interface="org.freedesktop.Secret.Service",
    )
    session = send(new_method_call(service, "OpenSession", "sv", ("plain", ("s", "")))).body[1]
    internal = DBusAddress(
        "/org/freedesktop/secrets",
        bus_name="org.freedesktop.secrets",
        interface="org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
    )
    secret = (session, b"", password.encode("utf-8"), "text/plain")
    send(
        new_method_call(
            internal, "UnlockWithMasterPassword", "o(oayays)", (collection_path, secret)
        )
    )

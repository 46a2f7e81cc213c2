"""The REST password, kept in the OS keyring and nowhere else.

The password is stored under the service :data:`SERVICE` and an account naming the REST
user and the PBX (``moby@https://pbx.example.com/instance``, see :func:`account`), so a
password is only ever handed to the PBX it was given for.

There is no fallback: when no keyring works, every function raises a
:class:`CredentialError` that says why and how to fix it. Companion never writes the
password to a file, never logs or prints it, and never puts it into an exception.

Call these functions off the GUI thread: a keyring may show an unlock prompt and block
until the user answers it. (``companion --demo`` calls :func:`use_memory_keyring` so a
demo never touches the user's real keyring.)
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import keyring.errors
from keyring.backends import fail, null
from keyring.compat import properties

from companion.config import ConfigError, normalise_pbx_url

__all__ = [
    "SERVICE",
    "CredentialError",
    "MemoryKeyring",
    "account",
    "delete_password",
    "get_password",
    "store_password",
    "use_memory_keyring",
]

SERVICE = "Companion (pascom REST)"
"""The keyring service name all of Companion's passwords are stored under."""


class CredentialError(Exception):
    """The keyring can't do what was asked; ``str(err)`` is one line for the user.

    It never contains the password.
    """


def _platform_fix() -> str:
    if sys.platform == "win32":
        return "Windows' Credential Manager should provide one: check that it is not disabled."
    if sys.platform == "darwin":
        return "The macOS Keychain should provide one: check that Companion may use it."
    return (
        "On Linux install and unlock a Secret Service keyring (gnome-keyring or KWallet),"
        " or choose a keyring backend with the PYTHON_KEYRING_BACKEND environment variable."
    )


def _no_keyring_message() -> str:
    return (
        "No password store (keyring) is available, so Companion can't keep the REST"
        f" password. {_platform_fix()} Companion never stores the password in a file."
    )


# ------------------------------------------------------------------------------ public


def account(pbx_url: str, rest_user: str) -> str:
    """The keyring account for ``rest_user`` on the PBX at ``pbx_url``.

    ``account("https://PBX.example.com/acme/services/", "moby")`` is
    ``"moby@https://pbx.example.com/acme"``: the URL is normalised, so spellings of
    the same PBX share one password, and other PBXs or users never get it.
    """
    try:
        url = normalise_pbx_url(pbx_url)
    except ConfigError as err:
        raise CredentialError(f"Can't tell which PBX the password belongs to: {err}") from None
    user = rest_user.strip()
    if not user:
        raise CredentialError("The REST user is empty: set pbx.rest_user (usually 'moby').")
    return f"{user}@{url}"


def store_password(pbx_url: str, rest_user: str, password: str) -> None:
    """Store the REST password for ``rest_user`` on ``pbx_url`` in the OS keyring.

    The keyring is asked for it back afterwards, so a keyring that silently drops
    passwords is reported, not trusted. Call off the GUI thread (an unlock prompt can
    block). Raises :class:`CredentialError`.
    """
    name = account(pbx_url, rest_user)
    if not password:
        raise CredentialError("The REST password is empty.")
    backend = _backend()
    try:
        backend.set_password(SERVICE, name, password)
    except Exception as err:
        # "from None": the original exception could carry the password.
        raise _failure("store the REST password", err, password) from None
    try:
        stored = backend.get_password(SERVICE, name)
    except Exception as err:
        raise _failure("read back the REST password", err, password) from None
    if stored != password:
        raise CredentialError(
            f"The keyring ({_backend_name(backend)}) accepted the REST password but does not"
            f" give it back, so Companion can't use it. {_platform_fix()}"
        )


def get_password(pbx_url: str, rest_user: str) -> str | None:
    """The stored REST password, or None if there is none.

    Call off the GUI thread (an unlock prompt can block). Raises
    :class:`CredentialError` when the keyring can't be used.
    """
    name = account(pbx_url, rest_user)
    backend = _backend()
    try:
        password = backend.get_password(SERVICE, name)
    except Exception as err:
        forget_backend()  # remembered or not: the next call asks keyring to choose anew
        raise _failure("read the REST password", err) from err
    return password or None


def delete_password(pbx_url: str, rest_user: str) -> None:
    """Remove the stored REST password; nothing happens if there is none.

    Call off the GUI thread (an unlock prompt can block). Raises
    :class:`CredentialError` when the keyring can't be used.
    """
    name = account(pbx_url, rest_user)
    backend = _backend()
    try:
        backend.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError as err:
        # Backends say "no such password" this way too: only fail if it is still there.
        try:
            still_there = backend.get_password(SERVICE, name)
        except Exception as read_err:
            raise _failure("delete the REST password", read_err) from read_err
        if still_there:
            raise _failure("delete the REST password", err) from err
    except Exception as err:
        raise _failure("delete the REST password", err) from err


def use_memory_keyring() -> None:
    """Keep passwords in this process's memory from now on (for ``companion --demo``).

    Nothing is written anywhere; the user's real keyring is not touched.
    """
    keyring.set_keyring(MemoryKeyring())


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend that keeps passwords in memory, for demos and tests.

    It is never chosen by keyring's automatic backend selection (its priority raises,
    which marks it not viable): only :func:`use_memory_keyring` or
    ``keyring.set_keyring(MemoryKeyring())`` installs it.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is only used when installed explicitly")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self._passwords: dict[tuple[str, str], str] = {}

    def __str__(self) -> str:
        return "Companion's in-memory keyring (nothing is saved)"

    def get_password(self, service: str, username: str) -> str | None:
        return self._passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("No such password") from None


# ----------------------------------------------------------------------------- helpers


REMEMBERED_BACKEND = "keyring-backend"
"""The file (in the state dir) naming the backend keyring's discovery chose last time."""


def _remembered_path() -> Path:
    from companion.sent_faxes import state_dir

    return state_dir() / REMEMBERED_BACKEND


def _chosen_backend() -> keyring.backend.KeyringBackend:
    """keyring's own choice, without its scan of every installed backend (about 100 ms
    on each `companion dial`) where that can be avoided.

    A backend set in this process (``keyring.set_keyring``, the demo) or configured
    (PYTHON_KEYRING_BACKEND, keyringrc.cfg) is keyring's to load. Otherwise the backend
    that discovery chose last time is loaded by name, if it is still viable (keyring
    asks its priority, e.g. whether the Secret Service answers); if not, discovery runs
    again and its choice is remembered.
    """
    # keyring has no public "is one set?"; its module global is the only way to ask.
    configured = (
        getattr(keyring.core, "_keyring_backend", None) is not None
        or "PYTHON_KEYRING_BACKEND" in os.environ
        or keyring.core._config_path().exists()  # type: ignore[no-untyped-call]
    )
    if configured:
        return keyring.get_keyring()
    path = _remembered_path()
    try:
        name = path.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        name = ""
    if name:
        try:
            backend = keyring.core.load_keyring(name)
        except Exception:  # gone or no longer viable: discover anew
            forget_backend()
        else:
            keyring.set_keyring(backend)
            return backend
    backend = keyring.get_keyring()
    name = _backend_name(backend)
    usable = not isinstance(backend, (fail.Keyring, null.Keyring)) and "chainer" not in name
    if usable:
        from companion.files import write_private

        with contextlib.suppress(OSError):  # only a cache: the next call discovers again
            write_private(path, name.encode("utf-8"))
    return backend


def forget_backend() -> None:
    """Discover the keyring backend anew on the next call (the remembered one failed)."""
    with contextlib.suppress(OSError):
        _remembered_path().unlink(missing_ok=True)


def _backend() -> keyring.backend.KeyringBackend:
    try:
        backend = _chosen_backend()
    except Exception as err:
        raise CredentialError(
            "The keyring backend could not be loaded"
            f"{_detail(err)}: check the PYTHON_KEYRING_BACKEND environment variable and"
            " keyring's keyringrc.cfg."
        ) from err
    if isinstance(backend, fail.Keyring):
        raise CredentialError(_no_keyring_message())
    if isinstance(backend, null.Keyring):
        raise CredentialError(
            "The keyring is switched off (the null backend is configured, by"
            " PYTHON_KEYRING_BACKEND or keyring's keyringrc.cfg), so Companion can't keep"
            " the REST password. Choose a working backend."
        )
    return backend


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _detail(err: BaseException, secret: str | None = None) -> str:
    """`` (what the error said)``: one line, shortened, with ``secret`` blanked out."""
    text = str(err)
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    if len(text) > 200:
        text = text[:199] + "…"
    if secret and secret in text:  # the cut or the join made a new occurrence
        text = ""
    return f" ({text})" if text else ""


def _failure(action: str, err: BaseException, secret: str | None = None) -> CredentialError:
    """The user's words for a keyring exception ``err`` raised while doing ``action``."""
    if isinstance(err, keyring.errors.NoKeyringError):
        return CredentialError(_no_keyring_message())
    if isinstance(err, keyring.errors.KeyringLocked):
        return CredentialError(
            f"The keyring is locked, so Companion could not {action}: unlock it (on Linux,"
            " log in to your desktop's keyring, e.g. with Seahorse or KWalletManager) and"
            " try again."
        )
    if isinstance(err, keyring.errors.InitError):
        return CredentialError(
            f"The keyring could not be opened to {action}{_detail(err, secret)}. {_platform_fix()}"
        )
    if isinstance(err, keyring.errors.PasswordSetError):
        return CredentialError(
            f"The keyring refused to store the REST password{_detail(err, secret)}."
        )
    if isinstance(err, keyring.errors.PasswordDeleteError):
        return CredentialError(
            f"The keyring refused to delete the REST password{_detail(err, secret)}."
        )
    kind = "" if isinstance(err, keyring.errors.KeyringError) else f" ({type(err).__name__})"
    return CredentialError(
        f"The keyring failed to {action}{kind}{_detail(err, secret)}. Is it unlocked and"
        " working? (On Linux: is gnome-keyring or KWallet running in this session?)"
    )

"""Which PBX backend serves the settings: the one place that builds a client from them.

`pbx.kind` chooses the row of `BACKENDS`; each row knows how to build its client from the
settings and the secret the keyring holds for them (pascom: the REST password;
innovaphone: the myApps session credentials, or the App object's password; relay: this
desktop's device token, kept under the device's name, `pbx.rest_user`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from companion.config import Settings
    from companion.pbx.innovaphone import InnovaphonePbx
    from companion.pbx.pascom import PascomPbx
    from companion.pbx.relay import RelayPbx

# What open_pbx returns: every backend implements the Pbx protocol and `async with`.
Backend = Union["PascomPbx", "InnovaphonePbx", "RelayPbx"]


def _pascom(settings: Settings, password: str) -> PascomPbx:
    from companion.pbx.pascom import PascomPbx  # httpx only once a PBX is needed
    from companion.sent_faxes import SentFaxMemory

    return PascomPbx(
        settings.pbx_url,
        settings.rest_user,
        password,
        settings.user,
        ca_file=settings.ca_file or None,
        sent_faxes=SentFaxMemory.in_state_dir(f"{settings.pbx_url.rstrip('/')} {settings.user}"),
    )


def _innovaphone(settings: Settings, secret: str) -> InnovaphonePbx:
    from companion.forward_memory import ForwardMemory
    from companion.pbx import errors
    from companion.pbx.innovaphone import InnovaphonePbx, SessionCredentials

    memory = ForwardMemory.in_state_dir(f"{settings.pbx_url.rstrip('/')} {settings.user}")
    try:
        if settings.login == "app":
            return InnovaphonePbx(
                settings.pbx_url, settings.user, app=settings.app, app_password=secret,
                ca_file=settings.ca_file or None, forward_memory=memory,
            )  # fmt: skip
        return InnovaphonePbx(
            settings.pbx_url, settings.user, app=settings.app,
            session=SessionCredentials.from_secret(secret), ca_file=settings.ca_file or None,
            forward_memory=memory,
        )  # fmt: skip
    except errors.BadRequest as exc:  # an address the backend cannot use
        raise errors.PbxUnreachable(str(exc)) from None


def _relay(settings: Settings, token: str) -> RelayPbx:
    from companion.pbx.relay import RelayPbx  # httpx and websockets only once needed

    return RelayPbx(settings.pbx_url, token, ca_file=settings.ca_file or None)


BACKENDS: dict[str, Callable[[Settings, str], Backend]] = {
    "pascom": _pascom,
    "innovaphone": _innovaphone,
    "relay": _relay,
}


def open_pbx(settings: Settings, password: str) -> Backend:
    """A client for the configured PBX and user; CertificateError for an unusable CA file."""
    from companion.pbx import errors

    build = BACKENDS.get(settings.kind)
    if build is None:
        raise errors.NotSupported(
            f"Companion has no backend for PBX kind {settings.kind!r}: set pbx.kind to one of "
            f"{', '.join(BACKENDS)}."
        )
    return build(settings, password)


def keyring_name(settings: Settings) -> str:
    """Under which name the keyring holds the secret for these settings."""
    if settings.kind == "innovaphone":
        if settings.login == "app":
            return f"app {settings.app}"
        return f"myapps {settings.user}"
    return settings.rest_user


def needs_login(settings: Settings) -> bool:
    """An innovaphone user: a typed password only becomes something to keep by a login."""
    return settings.kind == "innovaphone" and settings.login == "user"


def is_saved_login(secret: str) -> bool:
    """Whether `secret` is saved session credentials rather than a typed password."""
    from companion.pbx.innovaphone.logins import SessionCredentials, SessionRefused

    try:
        SessionCredentials.from_secret(secret)
    except SessionRefused:
        return False
    return True


async def secret_for(settings: Settings, password: str) -> str:
    """What the keyring keeps for `password` typed into a form.

    pascom and an innovaphone App object: the password itself. An innovaphone user: the
    myApps session credentials a login with it returns (never the password); a value that
    is already such credentials (from the keyring) is kept as it is.
    """
    if not needs_login(settings) or is_saved_login(password):
        return password
    from companion.pbx.innovaphone import log_in_user

    session = await log_in_user(
        settings.pbx_url, settings.user, password, app=settings.app,
        ca_file=settings.ca_file or None,
    )  # fmt: skip
    return session.to_secret()


async def answers(settings: Settings) -> None:
    """Whether a PBX of the configured kind answers at the address (no credentials yet).

    Raises PbxUnreachable, PbxTimeout or CertificateError when none does; a PBX that
    answers but refuses (no credentials were given) is fine.
    """
    from companion.pbx import errors

    if settings.kind == "innovaphone":
        from companion.pbx.innovaphone import probe

        await probe(settings.pbx_url, settings.ca_file or None)
        return
    pbx = open_pbx(settings, "")
    try:
        await pbx.users()
    except (errors.PbxUnreachable, errors.PbxTimeout, errors.CertificateError):
        raise
    except errors.PbxError:
        pass  # it answered (most likely: "wrong credentials"), so a PBX is there
    finally:
        await pbx.close()

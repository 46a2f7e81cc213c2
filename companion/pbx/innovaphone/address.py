"""Where an innovaphone PBX is and the logins done once: the address, TLS, the myApps
user login that yields the session credentials to keep, a probe for the first start."""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

from companion.pbx import errors
from companion.pbx.innovaphone import logins
from companion.pbx.innovaphone.logins import SessionCredentials
from companion.pbx.innovaphone.wire import Connection

DEFAULT_APP = "companion"  # the App object (PbxAdminApi + RCC) users are given access to
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def check_url(url: str) -> str:
    """The PBX address as wss://HOST/MODULE; ws:// only for loopback (the demo, tests)."""
    parts = urlsplit(url.strip().rstrip("/"))
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise errors.BadRequest(
            f"The innovaphone PBX address must look like wss://pbx.example.com/PBX0, not {url!r}."
        )
    if parts.scheme == "ws" and parts.hostname not in LOOPBACK:
        raise errors.BadRequest(
            "An innovaphone PBX on another machine is reached with wss:// only: ws:// would "
            "send your login unencrypted."
        )
    return url.strip().rstrip("/")


def ssl_context(url: str, ca_file: str | None) -> ssl.SSLContext | None:
    """The TLS settings for `url`: None for ws:// (loopback only, see check_url), which
    needs none (building them reads the system's trust store, ~20 ms of a cold CLI)."""
    if not url.startswith("wss:"):
        return None
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise errors.CertificateError(
            f"The CA file {ca_file} cannot be read as PEM certificates: set pbx.ca_file again."
        ) from exc


async def log_in_user(
    url: str, user: str, password: str, *, app: str = DEFAULT_APP, ca_file: str | None = None
) -> SessionCredentials:
    """The myApps user login, once: the session credentials to keep instead of the password.

    Checks too that the user may use the App object (AppGetLogin), so that a login that
    could not reach the PBX APIs is not stored.
    """
    base = check_url(url)
    context = ssl_context(base, ca_file)
    myapps = await Connection.open(f"{base}/APPCLIENT/130000/websocket", ssl_context=context)
    try:
        login = await logins.user_login(myapps, user, password, kind="user")
        if login.session is None:
            raise errors.UnexpectedResponse(
                "The PBX accepted the login but gave no session to keep, so Companion "
                "would need your password each time. It does not store passwords."
            )
        apps = await Connection.open(f"{base}/APPS/websocket", ssl_context=context)
        try:
            await logins.app_login_for_user(apps, myapps, app)
        finally:
            await apps.close()
        return login.session
    finally:
        await myapps.close()


async def probe(url: str, ca_file: str | None = None) -> None:
    """Whether an AppWebsocket answers at `url` (an App challenge, no login)."""
    base = check_url(url)
    conn = await Connection.open(f"{base}/APPS/websocket", ssl_context=ssl_context(base, ca_file))
    try:
        await logins.challenge(conn)
    finally:
        await conn.close()

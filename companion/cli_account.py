"""The settings and the keyring secret a command runs with, and the words when either is
missing. Light on purpose (no HTTP stack, no event loop): a cold dial starts here."""

from __future__ import annotations

import sys

from companion import config, credentials
from companion.backends import keyring_name
from companion.output import UserError


def logged_in_settings() -> config.Settings:
    """The saved settings (a problem with the file said on stderr); UserError when no
    PBX and user are set."""
    loaded = config.load()
    if loaded.warning:
        print(f"companion: {loaded.warning}", file=sys.stderr)
    settings = loaded.settings
    if not settings.pbx_url or not settings.user:
        raise UserError(
            "not logged in; run: companion login --url https://HOST/INSTANCE --user LOGIN"
        )
    return settings


def stored_secret(settings: config.Settings) -> str:
    """What the keyring keeps for these settings (password, session or device token);
    UserError naming the command that stores it when there is none."""
    secret = credentials.get_password(settings.pbx_url, keyring_name(settings))
    if secret is not None:
        return secret
    if settings.kind == "relay":
        raise UserError(
            f"no device token in the keyring for the relay {settings.pbx_url}; run: companion"
            " login --relay URL --code CODE (ask your administrator for a code)"
        )
    what = "login" if settings.kind == "innovaphone" else "REST password"
    raise UserError(f"no {what} in the keyring for {settings.pbx_url}; run: companion login")

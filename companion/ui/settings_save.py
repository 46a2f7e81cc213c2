"""What "Test connection" and "Save" do besides showing it: ask the PBX for the user with
the values as typed, and store the password (keyring), the settings file and the
start-at-login entry, off the GUI thread."""

from __future__ import annotations

import asyncio
import dataclasses

from PySide6.QtCore import QCoreApplication

from companion import config, credentials, keyring_help
from companion.backends import keyring_name, open_pbx, secret_for
from companion.config import ConfigError, Settings
from companion.desktop.autostart import AutostartError
from companion.pbx import errors
from companion.ui.settings_desktop import apply_autostart


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)  # the dialog's, as before


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What "Test connection" found."""

    ok: bool
    text: str
    unreachable: bool = False  # the PBX did not answer: saving anyway is allowed
    secret: str = ""  # what the keyring keeps (an innovaphone user: the session, no password)


async def check_connection(settings: Settings, password: str) -> CheckResult:
    """Ask the PBX for the user with these values; saves nothing."""
    try:
        secret = await secret_for(settings, password)  # innovaphone: the myApps login
        pbx = open_pbx(settings, secret)
    except (errors.PbxUnreachable, errors.PbxTimeout) as exc:
        return CheckResult(False, str(exc), unreachable=True)
    except errors.PbxError as exc:  # an unreadable CA file, a refused login
        return CheckResult(False, str(exc))
    try:
        account = await pbx.account()
    except (errors.PbxUnreachable, errors.PbxTimeout) as exc:
        return CheckResult(False, str(exc), unreachable=True)
    except errors.PbxError as exc:
        return CheckResult(False, str(exc))
    finally:
        await pbx.close()
    return CheckResult(
        True,
        _tr("Connected: {name}, extension {extension}").format(
            name=account.display_name or account.login, extension=account.extension
        ),
        secret=secret,
    )


async def store_password(settings: Settings, password: str, *, session_only: bool) -> str | None:
    """Keep the password in the keyring (unless for this session only); what went wrong, or
    None."""
    try:
        if not session_only:
            await asyncio.to_thread(
                credentials.store_password, settings.pbx_url, keyring_name(settings), password
            )
    except credentials.CredentialError as exc:
        status = await asyncio.to_thread(keyring_help.check)
        return _tr(
            'Nothing was saved: {reason} {advice} Or choose "Keep the password for'
            ' this session only".'
        ).format(reason=exc, advice=status.advice)
    return None


async def store_settings(settings: Settings) -> str | None:
    """Write the settings file and the start-at-login entry; what went wrong, or None."""
    try:
        await asyncio.to_thread(config.save, settings)
    except ConfigError as exc:
        return str(exc)
    try:
        await asyncio.to_thread(apply_autostart, settings.start_at_login)
    except AutostartError as exc:  # the settings are saved; say what did not work
        return str(exc)
    return None

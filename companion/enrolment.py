"""Connecting this desktop to a Companion relay: the one path the CLI, a link and the GUI share.

`companion login --relay URL --code CODE`, a clicked ``companion://enrol?...`` link and the
settings dialog's "Connect to a Companion relay" all end here: the code is traded for a
device token, the token is checked by reading the account through the relay, and only
then kept: the token in the OS keyring (under this device at the relay's address, never in
a file), the relay's address, the device and the user in the settings (``pbx.kind =
relay``). Qt-free; `store` blocks on the keyring, so the GUI runs it in a thread.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from companion import config, credentials
from companion.pbx import errors
from companion.pbx.models import Account
from companion.pbx.relay.client import RelayPbx
from companion.pbx.relay.enrol import enrol
from companion.pbx.relay.links import LinkError, check_code, relay_url

_DEVICE = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class Connected:
    """A checked enrolment, ready to be kept with :func:`store`."""

    settings: config.Settings  # pbx.kind = relay, the relay, the device and the user
    account: Account | None  # None: the relay took the code, but the PBX did not answer
    token: str = field(repr=False)
    problem: str = ""  # why the account could not be read (the token is good all the same)

    @property
    def who(self) -> str:
        if self.account is None:
            return self.settings.user
        return f"{self.account.display_name}, extension {self.account.extension}"


def check_device(name: str) -> str:
    name = name.strip()
    if name and not _DEVICE.fullmatch(name):
        raise LinkError(
            "The device name must be up to 64 letters, digits, dots, dashes or underscores."
        )
    return name


async def connect(
    settings: config.Settings, relay: str, code: str, *, device: str = "", ca_file: str = ""
) -> Connected:
    """Trade `code` at `relay` for a token and read the account with it (nothing is kept).

    LinkError for a bad address or code, PbxError in the relay's words.
    """
    url, code, device = relay_url(relay), check_code(code), check_device(device)
    done = await enrol(url, code, device=device, ca_file=ca_file or None)
    new = dataclasses.replace(
        settings, kind="relay", pbx_url=url, rest_user=done.device, user=done.user,
        ca_file=ca_file,
    )  # fmt: skip
    async with RelayPbx(url, done.token, ca_file=ca_file or None) as pbx:
        try:
            me = await pbx.account()
        except errors.AuthenticationError:
            raise  # the token is no good after all (revoked at once): nothing to keep
        except errors.PbxError as exc:
            # The code is spent and the token is good: keep it, say what is wrong now.
            return Connected(new, None, done.token, str(exc))
    return Connected(new, me, done.token)


def store(connected: Connected) -> None:
    """Keep the token (keyring first: a keyring failure saves nothing) and the settings.

    Raises CredentialError or ConfigError. Call off the GUI thread.
    """
    settings = connected.settings
    credentials.store_password(settings.pbx_url, settings.rest_user, connected.token)
    config.save(settings)

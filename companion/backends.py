"""Which PBX backend serves the settings: the one place that builds a client from them.

`pbx.kind` chooses: "pascom" talks to the PBX's REST API with the REST password,
"relay" to a Companion relay with this desktop's device token (both from the keyring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from companion.config import Settings
    from companion.pbx.pascom import PascomPbx
    from companion.pbx.relay import RelayPbx

    AnyPbx: TypeAlias = PascomPbx | RelayPbx


def open_pbx(settings: Settings, password: str) -> AnyPbx:
    """A client for the configured PBX and user; CertificateError for an unusable CA file.

    For a relay, `password` is the device token (`settings.rest_user` names the device).
    """
    if settings.kind == "relay":
        from companion.pbx.relay import RelayPbx  # httpx and websockets only once needed

        return RelayPbx(settings.pbx_url, password, ca_file=settings.ca_file or None)
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

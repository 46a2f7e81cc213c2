"""Which PBX backend serves the settings: the one place that builds a client from them.

Only pascom exists now; when the innovaphone backend comes, the choice by settings is
made here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.config import Settings
    from companion.pbx.pascom import PascomPbx


def open_pbx(settings: Settings, password: str) -> PascomPbx:
    """A client for the configured PBX and user; CertificateError for an unusable CA file."""
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

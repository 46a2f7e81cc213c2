"""The innovaphone backend: AppWebsocket logins, PbxAdminApi and RCC over `websockets`."""

from companion.pbx.innovaphone.client import DEFAULT_APP, KIND, InnovaphonePbx, log_in_user
from companion.pbx.innovaphone.logins import NotThePbx, SessionCredentials

__all__ = [
    "DEFAULT_APP",
    "KIND",
    "InnovaphonePbx",
    "NotThePbx",
    "SessionCredentials",
    "log_in_user",
]

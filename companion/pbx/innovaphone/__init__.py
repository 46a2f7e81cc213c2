"""The innovaphone backend: AppWebsocket logins, PbxAdminApi and RCC over `websockets`."""

from companion.pbx.innovaphone.address import DEFAULT_APP, log_in_user, probe
from companion.pbx.innovaphone.client import KIND, InnovaphonePbx
from companion.pbx.innovaphone.logins import NotThePbx, SessionCredentials

__all__ = [
    "DEFAULT_APP",
    "KIND",
    "InnovaphonePbx",
    "NotThePbx",
    "SessionCredentials",
    "log_in_user",
    "probe",
]

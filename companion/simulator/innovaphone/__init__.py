"""The innovaphone demo PBX: the AppWebsocket with both logins, the PbxAdminApi and RCC.

It is a stand-in for a real innovaphone PBX, written from the references (the PbxAdminApi
text in shared/reference and innovaphone's SDK pages), and shares no code with Companion's
innovaphone client, so that where the two read the documents differently the tests find it.
"""

from .logins import Options
from .server import APPCLIENT_PATH, APPS_PATH, InnovaphoneSimulator, serve_forever
from .state import DemoFileError, PbxState, default_demo_path, load_state

__all__ = [
    "APPCLIENT_PATH",
    "APPS_PATH",
    "DemoFileError",
    "InnovaphoneSimulator",
    "Options",
    "PbxState",
    "default_demo_path",
    "load_state",
    "serve_forever",
]

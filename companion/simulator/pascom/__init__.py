"""The pascom demo PBX: a simulated pascom phone system speaking the pascom REST API.

It is provisioned from an IO-JSON file (pascom's own import format) and, beside
it, an extras file for what IO-JSON cannot import (see ``extras``). It serves
``/{instance}/services/...`` and ``/{instance}/asset/...`` over a real socket::

    from companion.simulator import Simulator

    with Simulator.start() as sim:          # the demo PBX on a free port
        print(sim.base_url)                  # http://127.0.0.1:PORT/demo
        sim.misbehave("error500", times=1)   # the next request fails

It imports nothing from the client side of Companion.
"""

from .extras import Extras, load_extras, parse_extras
from .iojson import IoJsonError, load_iojson, parse_iojson
from .records import DeviceAction, PbxError
from .server import Simulator, default_data_path, default_extras_path, serve
from .state import PbxState

__all__ = [
    "DeviceAction",
    "Extras",
    "IoJsonError",
    "PbxError",
    "PbxState",
    "Simulator",
    "default_data_path",
    "default_extras_path",
    "load_extras",
    "load_iojson",
    "parse_extras",
    "parse_iojson",
    "serve",
]

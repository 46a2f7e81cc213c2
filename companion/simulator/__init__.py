"""The demo PBXs, one package per PBX kind; they import nothing from the client side.

``companion.simulator.pascom`` is the pascom demo PBX (the REST API). Its public names
stay importable from here, so ``from companion.simulator import Simulator`` is the pascom
demo PBX::

    from companion.simulator import Simulator

    with Simulator.start() as sim:          # the demo PBX on a free port
        print(sim.base_url)                  # http://127.0.0.1:PORT/demo
"""

from .pascom import (
    DeviceAction,
    Extras,
    IoJsonError,
    PbxError,
    PbxState,
    Simulator,
    default_data_path,
    default_extras_path,
    load_extras,
    load_iojson,
    parse_extras,
    parse_iojson,
    serve,
)

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

"""Backend-neutral PBX layer: models, the `Pbx` protocol, the errors. No Qt, no httpx.

Import the modules themselves (``from companion.pbx import errors``): this package
imports nothing, so a backend's wire can load its errors without the models and the
protocol (about 20 ms of a cold ``companion dial``).
"""

"""The embedded demo PBX: `companion --demo`, and "Try the demo" at the first start."""

from __future__ import annotations

import atexit
import os
import tempfile

from companion import config, credentials

DEMO_USER = "mmuster"
DEMO_PASSWORD = "demo-secret"


def start_demo() -> config.Settings:
    """Start the demo PBX and point this process at it, away from the real settings.

    The settings and the index go to a throwaway directory and the password to an
    in-memory keyring, so the user's real settings and keyring are never touched.
    """
    from companion.simulator import Simulator

    directory = tempfile.TemporaryDirectory(prefix="companion-demo-")
    atexit.register(directory.cleanup)
    os.environ["COMPANION_CONFIG_DIR"] = directory.name
    os.environ["COMPANION_CACHE_DIR"] = directory.name  # the demo's index, not the real one
    credentials.use_memory_keyring()
    simulator = Simulator.start(scripted_calls=True, dial_ring_s=1.5)
    atexit.register(simulator.stop)
    settings = config.Settings(pbx_url=simulator.base_url, user=DEMO_USER, region="DE")
    config.save(settings)
    credentials.store_password(settings.pbx_url, settings.rest_user, DEMO_PASSWORD)
    return settings

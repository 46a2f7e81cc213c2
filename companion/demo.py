"""The embedded demo PBX: `companion --demo`, and "Try the demo" at the first start."""

from __future__ import annotations

import atexit
import os
import tempfile

from companion import config, credentials

DEMO_USER = "mmuster"
DEMO_PASSWORD = "demo-secret"
INNOVAPHONE_PASSWORD = "demo-pass"  # mmuster's myApps password in the innovaphone demo file


def start_demo(kind: str = "pascom") -> config.Settings:
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
    if kind == "innovaphone":
        return _start_innovaphone()
    simulator = Simulator.start(scripted_calls=True, dial_ring_s=1.5)
    atexit.register(simulator.stop)
    settings = config.Settings(pbx_url=simulator.base_url, user=DEMO_USER, region="DE")
    config.save(settings)
    credentials.store_password(settings.pbx_url, settings.rest_user, DEMO_PASSWORD)
    return settings


def _start_innovaphone() -> config.Settings:
    """The innovaphone demo PBX, logged in as the demo user through myApps (as a user is)."""
    import asyncio

    from companion.backends import keyring_name
    from companion.pbx.innovaphone import DEFAULT_APP, log_in_user
    from companion.simulator.innovaphone import InnovaphoneSimulator

    simulator = InnovaphoneSimulator.start(answer_s=1.5)
    atexit.register(simulator.stop)
    settings = config.Settings(
        kind="innovaphone", pbx_url=simulator.url, user=DEMO_USER, region="DE", app=DEFAULT_APP
    )
    session = asyncio.run(log_in_user(settings.pbx_url, DEMO_USER, INNOVAPHONE_PASSWORD))
    config.save(settings)
    credentials.store_password(settings.pbx_url, keyring_name(settings), session.to_secret())
    return settings

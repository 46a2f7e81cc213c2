"""Where Companion keeps its files: the config and cache directories, the settings file."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "companion"
FILE_NAME = "settings.toml"
ENV_CONFIG_DIR = "COMPANION_CONFIG_DIR"
ENV_CACHE_DIR = "COMPANION_CACHE_DIR"


def config_dir() -> Path:
    """``$COMPANION_CONFIG_DIR`` if set, else platformdirs' user config dir for companion."""
    override = os.environ.get(ENV_CONFIG_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    """``$COMPANION_CACHE_DIR`` if set, else platformdirs' user cache dir for companion."""
    override = os.environ.get(ENV_CACHE_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / FILE_NAME

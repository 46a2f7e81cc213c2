"""Registers the ``packaging`` marker for these tests (pyproject.toml lists the others)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "packaging: needs the PyInstaller bundle in dist/companion (PACKAGING=1, "
        "scripts/build_linux_bundle.sh --test)",
    )

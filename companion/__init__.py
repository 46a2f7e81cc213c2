"""Companion: a desktop softphone companion for pascom phone systems."""

__version__ = "0.1.0"

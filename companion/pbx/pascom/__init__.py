"""The pascom backend: the only place that knows pascom's REST paths and column codes."""

from companion.pbx.pascom.client import PascomPbx

__all__ = ["PascomPbx"]

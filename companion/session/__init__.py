"""The Qt-free core: the poll schedule, the state as read back from the PBX, each
feature's availability, and the events that announce changes to subscribers (the Qt
adapter in `companion.controller`, the CLI, later the relay)."""

from companion.session.events import Event, Events
from companion.session.features import FeatureTracker
from companion.session.poller import MAX_BACKOFF, Poller
from companion.session.session import QUEUE_POLL_EVERY, Session
from companion.session.state import State, StateKeeper

__all__ = [
    "MAX_BACKOFF",
    "QUEUE_POLL_EVERY",
    "Event",
    "Events",
    "FeatureTracker",
    "Poller",
    "Session",
    "State",
    "StateKeeper",
]

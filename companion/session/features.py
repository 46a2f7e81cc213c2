"""Availability per feature: what the last read of each feature said."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from companion.pbx import errors
from companion.pbx.features import (
    Feature,
    FeatureState,
    available,
    not_offered,
    state_after,
)
from companion.session.events import Event, Events

T = TypeVar("T")


class FeatureTracker:
    """The state of every feature; a change is announced as `Event.FEATURES`."""

    def __init__(self, capabilities: frozenset[Feature], events: Events, kind: str = "") -> None:
        self.capabilities = capabilities
        self.events = events
        self._states = {
            feature: available(feature) if feature in capabilities else not_offered(feature, kind)
            for feature in Feature
        }

    def offers(self, feature: Feature) -> bool:
        return feature in self.capabilities

    def state(self, feature: Feature) -> FeatureState:
        return self._states[feature]

    def states(self) -> dict[Feature, FeatureState]:
        return dict(self._states)

    def is_available(self, feature: Feature) -> bool:
        return self._states[feature].available

    def set(self, new: FeatureState) -> None:
        if self.offers(new.feature) and self._states[new.feature] != new:
            self._states[new.feature] = new
            self.events.emit(Event.FEATURES, self.states())

    def succeeded(self, feature: Feature) -> None:
        self.set(available(feature))

    def failed(self, feature: Feature, exc: BaseException) -> None:
        """Record a failed read (a connection failure is not the feature's own)."""
        new = state_after(feature, exc)
        if new is not None:
            self.set(new)

    async def read(self, feature: Feature, work: Awaitable[T]) -> T:
        """Await `work` (a read of `feature`) and record how it went; failures propagate.

        A rejected input (400, 409: a search text the PBX refuses) says nothing about
        the feature and is not recorded.
        """
        try:
            value = await work
        except (errors.BadRequest, errors.ConflictError):
            raise
        except Exception as exc:
            self.failed(feature, exc)
            raise
        self.succeeded(feature)
        return value

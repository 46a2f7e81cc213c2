"""What a PBX offers, feature by feature, and how well each feature works right now.

A backend says which features it offers at all (`Pbx.capabilities`); the session keeps
a `FeatureState` per offered feature, so one broken feature (a 403 on faxes, a PBX with
no fax server) is shown as such while the rest keeps working. Only a failure of the
connection itself (or a refused REST login) means the whole PBX is unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from companion.pbx import errors


class Feature(StrEnum):
    CALLS = "calls"
    DIRECTORY = "directory"
    PRESENCE = "presence"
    QUEUES = "queues"
    REDIRECT = "redirect"
    SWITCHES = "switches"
    VOICEMAIL = "voicemail"
    FAX = "fax"
    HISTORY = "history"
    LIVE_CALLS = "live_calls"  # following the user's calls as they happen


class Availability(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"  # the PBX refuses or lacks it: no point retrying soon
    FAILING = "failing"  # it broke just now (5xx, garbage): read again at the next poll


# What a sentence calls each feature's data.
WHAT: dict[Feature, str] = {
    Feature.CALLS: "your user and devices",
    Feature.DIRECTORY: "the phonebook",
    Feature.PRESENCE: "presence profiles",
    Feature.QUEUES: "queues",
    Feature.REDIRECT: "call redirects",
    Feature.SWITCHES: "switches",
    Feature.VOICEMAIL: "voicemail",
    Feature.FAX: "faxes",
    Feature.HISTORY: "call history",
    Feature.LIVE_CALLS: "live calls",
}

ALL_FEATURES = frozenset(Feature)

# The failures that say nothing about one feature: the PBX as a whole is out of reach.
CONNECTION_FAILURES: tuple[type[errors.PbxError], ...] = (
    errors.PbxUnreachable,
    errors.PbxTimeout,
    errors.CertificateError,
    errors.AuthenticationError,
)


class Cause(StrEnum):
    """Why a feature is not available, for a face that says it in a few words."""

    NOT_OFFERED = "not_offered"  # the backend has no such feature
    NOT_ALLOWED = "not_allowed"  # the PBX refuses it to this REST user (403)
    NOT_SET_UP = "not_set_up"  # the PBX does not know it for this user (404)
    NO_EXTENSION = "no_extension"  # the user has no extension (redirects need one)
    BROKEN = "broken"  # it failed just now


@dataclass(frozen=True)
class FeatureState:
    feature: Feature
    availability: Availability
    reason: str = ""  # a sentence the user can act on; "" while available
    cause: Cause | None = None  # None while available

    @property
    def available(self) -> bool:
        return self.availability is Availability.AVAILABLE


def available(feature: Feature) -> FeatureState:
    return FeatureState(feature, Availability.AVAILABLE)


def not_offered(feature: Feature, kind: str = "") -> FeatureState:
    """The state of a feature the backend lacks; `kind` names the PBX ("innovaphone")."""
    reason = (
        f"This {kind} PBX offers no {WHAT[feature]} through its API."
        if kind
        else f"This PBX does not offer {WHAT[feature]}."
    )
    return FeatureState(feature, Availability.UNAVAILABLE, reason, Cause.NOT_OFFERED)


def is_connection_failure(exc: BaseException) -> bool:
    return isinstance(exc, CONNECTION_FAILURES)


def state_after(feature: Feature, exc: BaseException) -> FeatureState | None:
    """The feature's state after reading it failed with `exc`.

    None for a connection failure: that is not the feature's own, the whole PBX is out
    of reach. A refusal (403, 404, not offered) makes the feature unavailable; anything
    else (5xx, garbage, an answer Companion cannot read) makes it failing for now.
    """
    if is_connection_failure(exc):
        return None
    what = WHAT[feature]
    if isinstance(exc, errors.NoExtension):
        return FeatureState(feature, Availability.UNAVAILABLE, str(exc), Cause.NO_EXTENSION)
    if isinstance(exc, errors.PermissionDenied):
        return FeatureState(
            feature,
            Availability.UNAVAILABLE,
            f"The PBX does not allow this REST user to read {what} (403). "
            "Ask your PBX administrator to allow it.",
            Cause.NOT_ALLOWED,
        )
    if isinstance(exc, errors.NotFound):
        return FeatureState(
            feature,
            Availability.UNAVAILABLE,
            f"The PBX does not offer {what} for this user (404). "
            "Ask your PBX administrator whether it is set up.",
            Cause.NOT_SET_UP,
        )
    if isinstance(exc, errors.NotSupported):
        return not_offered(feature)
    if isinstance(exc, errors.PbxError):
        detail = str(exc)
    else:  # a bug of ours: say so briefly (the log has the details)
        detail = f"Companion could not read the answer ({type(exc).__name__})."
    return FeatureState(
        feature,
        Availability.FAILING,
        f"Reading {what} failed for now: {detail} Companion tries again at the next poll.",
        Cause.BROKEN,
    )

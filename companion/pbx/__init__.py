"""Backend-neutral PBX layer: models, the `Pbx` protocol, the errors. No Qt, no httpx."""

from companion.pbx.errors import (
    ActionUnconfirmed,
    AnswerTooLarge,
    AuthenticationError,
    BadRequest,
    CertificateError,
    ConflictError,
    NoDefaultDevice,
    NotFound,
    NotSupported,
    PbxError,
    PbxTimeout,
    PbxUnreachable,
    PermissionDenied,
    UnexpectedResponse,
)
from companion.pbx.features import Availability, Cause, Feature, FeatureState
from companion.pbx.protocol import Pbx

__all__ = [
    "ActionUnconfirmed",
    "AnswerTooLarge",
    "AuthenticationError",
    "Availability",
    "BadRequest",
    "Cause",
    "CertificateError",
    "ConflictError",
    "Feature",
    "FeatureState",
    "NoDefaultDevice",
    "NotFound",
    "NotSupported",
    "Pbx",
    "PbxError",
    "PbxTimeout",
    "PbxUnreachable",
    "PermissionDenied",
    "UnexpectedResponse",
]

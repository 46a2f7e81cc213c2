"""The domain models and errors as JSON, both ways: the Companion relay's wire format.

The relay (server) writes what a backend returned with `to_json` and the relay's desktop
backend reads it back with `from_json`; an error travels as
``{"error": {"kind": "<class in companion.pbx.errors>", "message": "<words>"}}`` and is
raised again as the same class with the same words (`error_body`, `error_from`).

Field names are the dataclass fields; enums travel as their values, datetimes as ISO 8601
(a naive one stays naive), tuples and frozensets as arrays. `ReceivedFax.pdf_url` never
travels: it is the PBX's download address (with a token); a desktop asks the relay for
the PDF by the fax's id. No Qt, no httpx.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from companion.pbx import errors, models
from companion.pbx.features import Feature

T = TypeVar("T")

# Fields that stay on their side of the relay.
NOT_SENT: dict[type, frozenset[str]] = {models.ReceivedFax: frozenset({"pdf_url"})}

# The models that travel (for the OpenAPI document and for readers of this module).
MODELS: tuple[type, ...] = (
    models.Account,
    models.PbxUser,
    models.Device,
    models.ContactNumber,
    models.Contact,
    models.ContactDetails,
    models.SearchResult,
    models.NumberInfo,
    models.Profile,
    models.PauseReason,
    models.QueueMembership,
    models.Redirect,
    models.Switch,
    models.VoicemailCounts,
    models.Voicemail,
    models.ReceivedFax,
    models.SentFax,
    models.CallRecord,
    models.Call,
)


def sent_fields(cls: type) -> list[dataclasses.Field[Any]]:
    skip = NOT_SENT.get(cls, frozenset())
    return [f for f in dataclasses.fields(cls) if f.name not in skip]


def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def to_json(value: Any) -> Any:
    """A model (or a list, tuple, dict of them) as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in sent_fields(type(value))}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_json(item) for item in value)
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return value


class WireError(ValueError):
    """JSON that does not have a model's shape; `str()` says where."""


def from_json(cls: type[T], data: Any) -> T:
    """The model `cls` read from JSON; WireError (with where) when the shape is wrong.

    Missing fields take the model's default; unknown fields are ignored (a newer relay
    may send more).
    """
    return typing.cast(T, _read(cls, data, cls.__name__))


def list_from_json(cls: type[T], data: Any) -> list[T]:
    if not isinstance(data, list):
        raise WireError(f"expected a list of {cls.__name__}, got {type(data).__name__}")
    return [from_json(cls, item) for item in data]


def _read(kind: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        (other,) = [o for o in options if o is not type(None)]
        return _read(other, data, where)
    if origin in (tuple, frozenset, list):
        if not isinstance(data, list):
            raise WireError(f"{where}: expected a list")
        item = typing.get_args(kind)[0]
        items = [_read(item, d, f"{where}[{i}]") for i, d in enumerate(data)]
        return origin(items)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise WireError(f"{where}: expected an object")
        found = hints(kind)
        given: dict[str, Any] = {}
        for field in sent_fields(kind):
            if field.name in data:
                given[field.name] = _read(found[field.name], data[field.name], field.name)
            elif field.default is dataclasses.MISSING and (
                field.default_factory is dataclasses.MISSING
            ):
                raise WireError(f"{where}: '{field.name}' is missing")
        return kind(**given)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(data)
        except ValueError:
            raise WireError(f"{where}: '{data}' is not one of {[m.value for m in kind]}") from None
    if kind is datetime:
        if not isinstance(data, str):
            raise WireError(f"{where}: expected a date and time")
        try:
            return datetime.fromisoformat(data)
        except ValueError:
            raise WireError(f"{where}: '{data}' is not an ISO 8601 date and time") from None
    if kind is bool:
        if not isinstance(data, bool):
            raise WireError(f"{where}: expected true or false")
        return data
    if kind is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise WireError(f"{where}: expected a whole number")
        return data
    if kind is str:
        if not isinstance(data, str):
            raise WireError(f"{where}: expected text")
        return data
    raise WireError(f"{where}: Companion cannot read a {kind}")


def presence_from_json(data: Any) -> dict[str, models.Presence]:
    if not isinstance(data, dict):
        raise WireError("presence: expected an object of login -> presence")
    return {str(k): _read(models.Presence, v, str(k)) for k, v in data.items()}


def features_from_json(data: Any) -> frozenset[Feature]:
    """Features by name; names this Companion does not know are skipped (a newer relay)."""
    if not isinstance(data, list):
        raise WireError("features: expected a list")
    known = {f.value: f for f in Feature}
    return frozenset(known[name] for name in data if isinstance(name, str) and name in known)


# -- errors ---------------------------------------------------------------------------

ERROR_KINDS: dict[str, type[errors.PbxError]] = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.PbxError)
}


def error_body(exc: errors.PbxError) -> dict[str, Any]:
    return {"error": {"kind": type(exc).__name__, "message": str(exc)}}


def error_from(data: Any) -> errors.PbxError | None:
    """The error a relay's answer carries, as its own class (PbxError for a kind this
    Companion does not know); None when `data` is no error body."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    body = data["error"]
    message = body.get("message")
    cls = ERROR_KINDS.get(str(body.get("kind")), errors.PbxError)
    return cls(message if isinstance(message, str) and message else None)

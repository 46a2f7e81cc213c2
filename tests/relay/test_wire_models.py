"""The relay's wire format: every model survives the trip, errors come back as themselves."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.pbx import errors, models, wire_models
from companion.relay import openapi, operations

DOCS = Path(__file__).parents[2] / "docs" / "relay-openapi.json"


def test_models_round_trip_through_json() -> None:
    contact = models.Contact(
        "7",
        "Doe John",
        models.ContactSource.PRIVATE,
        (models.ContactNumber(models.NumberKind.MOBILE, "0171"),),
        user_name=None,
    )
    call = models.Call(
        "c1",
        models.CallDirection.INCOMING,
        models.CallState.ON_HOLD,
        "+4989",
        started=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        connected_since=datetime(2025, 1, 2, 3, 4, 9),
    )
    device = models.Device("soft", "Soft", "Integrated Softphone", "101", frozenset({"b", "a"}))
    result = models.SearchResult((contact,), 12, 10)
    for value in (contact, call, device, result):
        text = json.dumps(wire_models.to_json(value))
        assert wire_models.from_json(type(value), json.loads(text)) == value
    assert wire_models.to_json(call)["state"] == "on hold"
    assert wire_models.to_json(device)["capabilities"] == ["a", "b"]


def test_the_pbx_download_address_of_a_fax_stays_behind() -> None:
    fax = models.ReceivedFax("f1", "Acme", "+49", None, 2, pdf_url="https://pbx/asset?token=x")
    assert "pdf_url" not in wire_models.to_json(fax)
    assert wire_models.from_json(models.ReceivedFax, wire_models.to_json(fax)) == fax


def test_a_wrong_shape_is_said_where() -> None:
    with pytest.raises(wire_models.WireError, match="remote_number"):
        wire_models.from_json(models.Call, {"id": "1", "direction": "incoming", "state": "ringing"})
    with pytest.raises(wire_models.WireError, match="state: 'x' is not one of"):
        wire_models.from_json(
            models.Call, {"id": "1", "direction": "incoming", "state": "x", "remote_number": ""}
        )
    with pytest.raises(wire_models.WireError, match="whole number"):
        wire_models.from_json(models.VoicemailCounts, {"new": "1", "old": 0, "total": 1})


def test_an_error_comes_back_as_its_class_with_its_words() -> None:
    body = json.loads(json.dumps(wire_models.error_body(errors.NoDefaultDevice("Log in."))))
    again = wire_models.error_from(body)
    assert type(again) is errors.NoDefaultDevice and str(again) == "Log in."
    unknown = wire_models.error_from({"error": {"kind": "Martian", "message": "Hm."}})
    assert type(unknown) is errors.PbxError and str(unknown) == "Hm."
    assert wire_models.error_from({"calls": []}) is None


def test_the_documented_openapi_is_the_one_the_relay_serves() -> None:
    assert json.loads(DOCS.read_text(encoding="utf-8")) == openapi.document(), (
        "regenerate: python -m companion.relay.openapi > docs/relay-openapi.json"
    )


def test_every_pbx_method_has_an_operation() -> None:
    from companion.pbx.protocol import Pbx

    methods = {name for name in vars(Pbx) if not name.startswith("_") and name not in {"close"}}
    named = {op[2] for op in operations.OPERATIONS}
    assert methods <= named, methods - named

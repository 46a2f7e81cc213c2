"""The relay's API as an OpenAPI 3.1 document, built from the domain models.

The relay serves it at /v1/openapi.json; docs/relay-openapi.json is this document as
written by `python -m companion.relay.openapi > docs/relay-openapi.json` (a test keeps
the two equal). Each operation's id is the `Pbx` method it stands for.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from enum import StrEnum
from typing import Any

from companion.pbx import wire_models
from companion.relay.operations import API_VERSION, ERROR_STATUS, NOTHING, OPERATIONS, ref


def _type_schema(kind: Any) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        (other,) = [o for o in typing.get_args(kind) if o is not type(None)]
        inner = _type_schema(other)
        return {"anyOf": [inner, {"type": "null"}]}
    if origin in (tuple, frozenset, list):
        return {"type": "array", "items": _type_schema(typing.get_args(kind)[0])}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return {"$ref": f"#/components/schemas/{kind.__name__}"}
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return {"type": "string", "enum": [m.value for m in kind]}
    if kind is datetime:
        return {"type": "string", "format": "date-time"}
    return {"type": {bool: "boolean", int: "integer", str: "string"}[kind]}


def model_schema(cls: type) -> dict[str, Any]:
    found = wire_models.hints(cls)
    properties: dict[str, Any] = {}
    required = []
    for field in wire_models.sent_fields(cls):
        properties[field.name] = _type_schema(found[field.name])
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            required.append(field.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if cls.__doc__:
        schema["description"] = " ".join(cls.__doc__.split())
    return schema


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["kind", "message"],
            "properties": {
                "kind": {
                    "type": "string",
                    "description": "a class of companion.pbx.errors",
                    "enum": sorted(wire_models.ERROR_KINDS),
                },
                "message": {"type": "string", "description": "words for the user"},
            },
        }
    },
}


def _answer(answer: Any) -> dict[str, Any]:
    if answer == NOTHING:
        return {"204": {"description": "Done."}}
    if isinstance(answer, str):
        return {
            "200": {
                "description": "The file.",
                "content": {answer: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    return {"200": {"description": "OK.", "content": {"application/json": {"schema": answer}}}}


def _errors() -> dict[str, Any]:
    out = {}
    for status in sorted(set(ERROR_STATUS.values()) | {429}):
        out[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    return out


def _operation(op_id: str, summary: str, params: list[Any], body: Any, answer: Any) -> Any:
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "responses": {**_answer(answer), **_errors()},
    }
    if params:
        operation["parameters"] = params
    if isinstance(body, str):
        operation["requestBody"] = {
            "required": True,
            "content": {body: {"schema": {"type": "string", "format": "binary"}}},
        }
    elif body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path, op_id, summary, params, body, answer in OPERATIONS:
        paths.setdefault(path, {})[method] = _operation(op_id, summary, params, body, answer)
    paths["/v1/enrol"] = {
        "post": {
            "operationId": "enrol",
            "summary": "Trade a one-time code for a device token (no Authorization header).",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["code", "device"],
                            "properties": {
                                "code": {"type": "string"},
                                "device": {
                                    "type": "string",
                                    "description": "a name for this desktop",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Enrolled.",
                    "content": {"application/json": {"schema": ref("Enrolment")}},
                },
                **_errors(),
            },
        }
    }
    paths["/v1/health"] = {
        "get": {
            "operationId": "health",
            "summary": "Whether the relay runs and reaches the PBX (no Authorization header).",
            "security": [],
            "responses": {
                "200": {
                    "description": "Running.",
                    "content": {"application/json": {"schema": ref("Health")}},
                }
            },
        }
    }
    paths["/v1/events"] = {
        "get": {
            "operationId": "events",
            "summary": "The event stream: a WebSocket (see docs/relay-api.md, 'Events').",
            "responses": {"101": {"description": "Switching to the WebSocket protocol."}},
        }
    }
    paths["/v1/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1."}},
        }
    }
    schemas = {cls.__name__: model_schema(cls) for cls in wire_models.MODELS}
    schemas["Error"] = ERROR_SCHEMA
    schemas["Enrolment"] = {
        "type": "object",
        "required": ["token", "user", "device"],
        "properties": {
            "token": {"type": "string", "description": "the device token (keep it secret)"},
            "user": {"type": "string", "description": "the PBX login the token acts as"},
            "device": {"type": "string"},
            "api": {"type": "integer"},
            "relay_version": {"type": "string"},
            "capabilities": {"type": "array", "items": {"type": "string"}},
        },
    }
    schemas["Health"] = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok"]},
            "pbx": {"type": "string", "enum": ["reachable", "unreachable", "unknown"]},
            "api": {"type": "integer"},
            "relay_version": {"type": "string"},
        },
    }
    responses = {
        f"Error{status}": {
            "description": "An error, in words.",
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for status in sorted(set(ERROR_STATUS.values()) | {429})
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Companion relay",
            "version": f"{API_VERSION}",
            "description": "Companion's PBX API for one user per device token. "
            "See docs/relay-api.md.",
        },
        "servers": [{"url": "/"}],
        "security": [{"deviceToken": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": responses,
            "securitySchemes": {"deviceToken": {"type": "http", "scheme": "bearer"}},
        },
    }


def text() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(text(), end="")

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

from companion.pbx import models, wire_models
from companion.pbx.features import Feature

API_VERSION = 1

# HTTP status of each error kind (a subclass takes its base's unless named here).
ERROR_STATUS: dict[str, int] = {
    "BadRequest": 400,
    "AuthenticationError": 401,  # the device token; a PBX refusal of the relay's credential is 502
    "PermissionDenied": 403,
    "NotFound": 404,
    "ConflictError": 409,
    "NoExtension": 409,
    "AnswerTooLarge": 502,
    "UnexpectedResponse": 502,
    "PbxUnreachable": 502,
    "CertificateError": 502,
    "NotSupported": 501,
    "PbxTimeout": 504,
    "PbxError": 500,
}


def status_of(kind: type) -> int:
    for cls in kind.__mro__:
        if cls.__name__ in ERROR_STATUS:
            return ERROR_STATUS[cls.__name__]
    return 500


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


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _query(name: str, kind: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": kind},
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


NOTHING = "nothing (204)"

# (method, path, operation id = Pbx method, summary, parameters, request body, answer)
# A request body or answer is a schema; a str names a media type (binary) or NOTHING.
OPERATIONS: list[tuple[str, str, str, str, list[dict[str, Any]], Any, Any]] = [
    (
        "get",
        "/v1/capabilities",
        "capabilities",
        "The features this PBX offers at all.",
        [],
        None,
        {
            "type": "object",
            "properties": {
                "capabilities": {
                    "type": "array",
                    "items": {"type": "string", "enum": [f.value for f in Feature]},
                }
            },
        },
    ),
    ("get", "/v1/account", "account", "The token's user, read afresh.", [], None, _ref("Account")),
    (
        "get",
        "/v1/users",
        "users",
        "The users Companion may act for through this token: only the token's own user.",
        [],
        None,
        _array("PbxUser"),
    ),
    ("get", "/v1/devices", "devices", "The user's devices.", [], None, _array("Device")),
    (
        "get",
        "/v1/devices/default",
        "default_device",
        "The user's default device "
        "(409 NoDefaultDevice while the user is not logged in to the pascom client).",
        [],
        None,
        _ref("Device"),
    ),
    (
        "post",
        "/v1/call-action",
        "call_action",
        "Dial, hang up, transfer, ... on the default device or one of the user's devices.",
        [],
        {
            "type": "object",
            "required": ["action"],
            "properties": {
                "action": {"type": "string", "enum": [a.value for a in models.CallAction]},
                "destination": {"type": "string", "default": ""},
                "device": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            },
        },
        NOTHING,
    ),
    (
        "get",
        "/v1/search",
        "search",
        "Search the phonebook (global, the user's own, users).",
        [
            _query("text", "string", "what to look for"),
            _query("limit", "integer", "default 20"),
            _query("offset", "integer", "default 0"),
        ],
        None,
        _ref("SearchResult"),
    ),
    (
        "get",
        "/v1/directory",
        "directory_page",
        "One page of the whole phonebook for the local index (served from the relay's copy, "
        "with the user's own entries).",
        [
            _query("offset", "integer", "first entry", True),
            _query("limit", "integer", "entries per page (at most 1000)", True),
            _query("private_only", "boolean", "only the user's own phonebook"),
        ],
        None,
        _ref("SearchResult"),
    ),
    (
        "get",
        "/v1/presence",
        "presence",
        "Colleagues' presence by login name.",
        [
            {
                "name": "user",
                "in": "query",
                "required": False,
                "description": "a login (repeat)",
                "schema": {"type": "array", "items": {"type": "string"}},
                "explode": True,
            }
        ],
        None,
        {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": [p.value for p in models.Presence]},
        },
    ),
    (
        "post",
        "/v1/contacts",
        "create_contact",
        "Create an entry in the user's own phonebook.",
        [],
        _ref("ContactDetails"),
        _ref("Contact"),
    ),
    (
        "put",
        "/v1/contacts/{contact_id}",
        "update_contact",
        "Change an entry of the user's own phonebook (404 for anyone else's).",
        [_path("contact_id", "the entry's id")],
        _ref("ContactDetails"),
        _ref("Contact"),
    ),
    (
        "delete",
        "/v1/contacts/{contact_id}",
        "delete_contact",
        "Delete an entry of the user's own phonebook (404 for anyone else's).",
        [_path("contact_id", "the entry's id")],
        None,
        NOTHING,
    ),
    (
        "get",
        "/v1/resolve",
        "resolve",
        "Whether a number is internal, and whose.",
        [_query("number", "string", "the number", True)],
        None,
        _ref("NumberInfo"),
    ),
    (
        "get",
        "/v1/profiles",
        "profiles",
        "The user's presence profiles.",
        [],
        None,
        _array("Profile"),
    ),
    (
        "post",
        "/v1/profiles/{profile_id}/activate",
        "activate_profile",
        "Make one of the user's profiles the active one.",
        [_path("profile_id", "its id")],
        None,
        _ref("Profile"),
    ),
    (
        "get",
        "/v1/queues",
        "queues",
        "The queues the user is an agent of.",
        [],
        None,
        _array("QueueMembership"),
    ),
    (
        "post",
        "/v1/queues/login",
        "queue_login",
        "Log the user in to the queues.",
        [],
        None,
        NOTHING,
    ),
    (
        "post",
        "/v1/queues/logout",
        "queue_logout",
        "Log the user out of the queues.",
        [],
        None,
        NOTHING,
    ),
    (
        "post",
        "/v1/queues/pause",
        "queue_pause",
        "Pause the user in the queues.",
        [],
        {"type": "object", "properties": {"reason": {"type": "string", "default": ""}}},
        NOTHING,
    ),
    ("post", "/v1/queues/unpause", "queue_unpause", "End the user's pause.", [], None, NOTHING),
    (
        "get",
        "/v1/redirect",
        "redirect",
        "The redirect of the user's extension.",
        [],
        None,
        _ref("Redirect"),
    ),
    (
        "put",
        "/v1/redirect",
        "set_redirect",
        "Redirect the user's extension.",
        [],
        {"type": "object", "required": ["target"], "properties": {"target": {"type": "string"}}},
        _ref("Redirect"),
    ),
    (
        "post",
        "/v1/redirect/off",
        "redirect_off",
        "Switch the user's redirect off.",
        [],
        None,
        _ref("Redirect"),
    ),
    (
        "post",
        "/v1/redirect/on",
        "redirect_on",
        "Switch the previous redirect back on.",
        [],
        None,
        _ref("Redirect"),
    ),
    ("get", "/v1/switches", "switches", "The extension switches.", [], None, _array("Switch")),
    (
        "put",
        "/v1/switches/{extension}",
        "set_switch",
        "Set a switch (403 when the PBX does not let the user change it).",
        [_path("extension", "the switch's extension")],
        {"type": "object", "required": ["on"], "properties": {"on": {"type": "boolean"}}},
        _ref("Switch"),
    ),
    (
        "get",
        "/v1/voicemail/counts",
        "voicemail_counts",
        "New and old messages.",
        [],
        None,
        _ref("VoicemailCounts"),
    ),
    (
        "get",
        "/v1/voicemail",
        "voicemails",
        "The user's voicemail messages.",
        [
            _query("folder", "string", "INBOX, Old or * (default)"),
            _query("limit", "integer", "default 100"),
        ],
        None,
        _array("Voicemail"),
    ),
    (
        "get",
        "/v1/voicemail/{voicemail_id}/audio",
        "voicemail_audio",
        "One of the user's messages as WAV (404 for anyone else's).",
        [_path("voicemail_id", "the message's id")],
        None,
        "audio/x-wav",
    ),
    (
        "post",
        "/v1/voicemail/{voicemail_id}/heard",
        "mark_heard",
        "Mark one of the user's messages heard.",
        [_path("voicemail_id", "the message's id")],
        None,
        NOTHING,
    ),
    (
        "delete",
        "/v1/voicemail/{voicemail_id}",
        "delete_voicemail",
        "Delete one of the user's messages.",
        [_path("voicemail_id", "the message's id")],
        None,
        NOTHING,
    ),
    (
        "get",
        "/v1/faxes/received",
        "received_faxes",
        "The faxes the user received.",
        [],
        None,
        _array("ReceivedFax"),
    ),
    (
        "get",
        "/v1/faxes/received/{fax_id}/pdf",
        "fax_pdf",
        "One of the user's received faxes as PDF (404 for anyone else's).",
        [_path("fax_id", "the fax's id")],
        None,
        "application/pdf",
    ),
    (
        "get",
        "/v1/faxes/sent",
        "sent_faxes",
        "The faxes the user sent.",
        [],
        None,
        _array("SentFax"),
    ),
    (
        "post",
        "/v1/faxes/sent",
        "send_fax",
        "Send a PDF (the request body) as a fax; answers the PBX's job id.",
        [
            _query("number", "string", "the fax number", True),
            _query("title", "string", "the title; default: the file name"),
            _query("name", "string", "the PDF's file name"),
        ],
        "application/pdf",
        {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    ),
    (
        "get",
        "/v1/faxes/attribution",
        "fax_attribution",
        'What the sent-fax list can show, in words ("" when it shows all).',
        [],
        None,
        {"type": "object", "properties": {"attribution": {"type": "string"}}},
    ),
    (
        "get",
        "/v1/history",
        "history",
        "The user's recent calls.",
        [_query("limit", "integer", "default 20")],
        None,
        _array("CallRecord"),
    ),
    ("get", "/v1/calls", "live_calls", "The user's live calls now.", [], None, _array("Call")),
    (
        "post",
        "/v1/recording",
        "toggle_recording",
        "Start or stop recording the user's active call.",
        [],
        {"type": "object", "properties": {"device": {"type": "string", "default": ""}}},
        NOTHING,
    ),
]

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
                    "content": {"application/json": {"schema": _ref("Enrolment")}},
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
                    "content": {"application/json": {"schema": _ref("Health")}},
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
            "content": {"application/json": {"schema": _ref("Error")}},
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

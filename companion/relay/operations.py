"""The relay's operations, one per `Pbx` method: the table that both the API's routes
(`companion.relay.app`) and its OpenAPI document (`companion.relay.openapi`) are built
from, and the HTTP status of each error kind."""

from __future__ import annotations

from typing import Any

from companion.pbx import models
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


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(name)}


def query(name: str, kind: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": kind},
    }


def path_param(name: str, description: str) -> dict[str, Any]:
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
    ("get", "/v1/account", "account", "The token's user, read afresh.", [], None, ref("Account")),
    (
        "get",
        "/v1/users",
        "users",
        "The users Companion may act for through this token: only the token's own user.",
        [],
        None,
        array("PbxUser"),
    ),
    ("get", "/v1/devices", "devices", "The user's devices.", [], None, array("Device")),
    (
        "get",
        "/v1/devices/default",
        "default_device",
        "The user's default device "
        "(409 NoDefaultDevice when the PBX has none for the user, e.g. a pascom user not "
        "logged in to the pascom client).",
        [],
        None,
        ref("Device"),
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
            query("text", "string", "what to look for"),
            query("limit", "integer", "default 20"),
            query("offset", "integer", "default 0"),
        ],
        None,
        ref("SearchResult"),
    ),
    (
        "get",
        "/v1/directory",
        "directory_page",
        "One page of the whole phonebook for the local index (served from the relay's copy, "
        "with the user's own entries).",
        [
            query("offset", "integer", "first entry", True),
            query("limit", "integer", "entries per page (at most 1000)", True),
            query("private_only", "boolean", "only the user's own phonebook"),
        ],
        None,
        ref("SearchResult"),
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
        ref("ContactDetails"),
        ref("Contact"),
    ),
    (
        "put",
        "/v1/contacts/{contact_id}",
        "update_contact",
        "Change an entry of the user's own phonebook (404 for anyone else's).",
        [path_param("contact_id", "the entry's id")],
        ref("ContactDetails"),
        ref("Contact"),
    ),
    (
        "delete",
        "/v1/contacts/{contact_id}",
        "delete_contact",
        "Delete an entry of the user's own phonebook (404 for anyone else's).",
        [path_param("contact_id", "the entry's id")],
        None,
        NOTHING,
    ),
    (
        "get",
        "/v1/resolve",
        "resolve",
        "Whether a number is internal, and whose.",
        [query("number", "string", "the number", True)],
        None,
        ref("NumberInfo"),
    ),
    (
        "get",
        "/v1/profiles",
        "profiles",
        "The user's presence profiles.",
        [],
        None,
        array("Profile"),
    ),
    (
        "post",
        "/v1/profiles/{profile_id}/activate",
        "activate_profile",
        "Make one of the user's profiles the active one.",
        [path_param("profile_id", "its id")],
        None,
        ref("Profile"),
    ),
    (
        "get",
        "/v1/queues",
        "queues",
        "The queues the user is an agent of.",
        [],
        None,
        array("QueueMembership"),
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
        ref("Redirect"),
    ),
    (
        "put",
        "/v1/redirect",
        "set_redirect",
        "Redirect the user's extension.",
        [],
        {"type": "object", "required": ["target"], "properties": {"target": {"type": "string"}}},
        ref("Redirect"),
    ),
    (
        "post",
        "/v1/redirect/off",
        "redirect_off",
        "Switch the user's redirect off.",
        [],
        None,
        ref("Redirect"),
    ),
    (
        "post",
        "/v1/redirect/on",
        "redirect_on",
        "Switch the previous redirect back on.",
        [],
        None,
        ref("Redirect"),
    ),
    ("get", "/v1/switches", "switches", "The extension switches.", [], None, array("Switch")),
    (
        "put",
        "/v1/switches/{extension}",
        "set_switch",
        "Set a switch (403 when the PBX does not let the user change it).",
        [path_param("extension", "the switch's extension")],
        {"type": "object", "required": ["on"], "properties": {"on": {"type": "boolean"}}},
        ref("Switch"),
    ),
    (
        "get",
        "/v1/voicemail/counts",
        "voicemail_counts",
        "New and old messages.",
        [],
        None,
        ref("VoicemailCounts"),
    ),
    (
        "get",
        "/v1/voicemail",
        "voicemails",
        "The user's voicemail messages.",
        [
            query("folder", "string", "INBOX, Old or * (default)"),
            query("limit", "integer", "default 100"),
        ],
        None,
        array("Voicemail"),
    ),
    (
        "get",
        "/v1/voicemail/{voicemail_id}/audio",
        "voicemail_audio",
        "One of the user's messages as WAV (404 for anyone else's).",
        [path_param("voicemail_id", "the message's id")],
        None,
        "audio/x-wav",
    ),
    (
        "post",
        "/v1/voicemail/{voicemail_id}/heard",
        "mark_heard",
        "Mark one of the user's messages heard.",
        [path_param("voicemail_id", "the message's id")],
        None,
        NOTHING,
    ),
    (
        "delete",
        "/v1/voicemail/{voicemail_id}",
        "delete_voicemail",
        "Delete one of the user's messages.",
        [path_param("voicemail_id", "the message's id")],
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
        array("ReceivedFax"),
    ),
    (
        "get",
        "/v1/faxes/received/{fax_id}/pdf",
        "fax_pdf",
        "One of the user's received faxes as PDF (404 for anyone else's).",
        [path_param("fax_id", "the fax's id")],
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
        array("SentFax"),
    ),
    (
        "post",
        "/v1/faxes/sent",
        "send_fax",
        "Send a PDF (the request body) as a fax; answers the PBX's job id.",
        [
            query("number", "string", "the fax number", True),
            query("title", "string", "the title; default: the file name"),
            query("name", "string", "the PDF's file name"),
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
        [query("limit", "integer", "default 20")],
        None,
        array("CallRecord"),
    ),
    ("get", "/v1/calls", "live_calls", "The user's live calls now.", [], None, array("Call")),
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

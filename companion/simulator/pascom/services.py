"""The pascom REST API's `/{instance}/services/...` routes: one small handler per route
(each asks :class:`~.state.PbxState`) and the table of methods and paths that picks it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .records import PbxError
from .state import PbxState

NO_CACHE = {
    "cache-control": "no-store, no-cache, must-revalidate",
    "pragma": "no-cache",
    "expires": "Thu, 19 Nov 1981 08:52:00 GMT",
}


def json_response(
    data: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
    media_type: str = "application/json",
) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status, headers={**NO_CACHE, **(headers or {})}, media_type=media_type)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message}, status, headers)


def no_content() -> Response:
    return Response(status_code=204, headers=NO_CACHE)


def listing(data: Any) -> Response:
    """JSON, or 204 when there is nothing to show."""
    return json_response(data) if data else no_content()


@dataclass
class Ctx:
    request: Request
    params: dict[str, str]
    state: PbxState
    body_bytes: bytes
    arrived: float
    _body: Any = field(default=None)

    @property
    def query(self) -> dict[str, str]:
        return dict(self.request.query_params)

    def body(self, *, optional: bool = False) -> Any:
        if not self.body_bytes.strip():
            if optional:
                return None
            raise PbxError(400, "the request needs a JSON body")
        try:
            return json.loads(self.body_bytes)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PbxError(400, f"malformed JSON body: {exc}") from None

    @property
    def origin(self) -> str:
        url = self.request.url
        return f"{url.scheme}://{url.netloc}"


Handler = Callable[[Ctx], Response]


@dataclass(frozen=True)
class Rule:
    methods: frozenset[str]
    pattern: tuple[str, ...]
    handler: Handler


def _rule(methods: str, pattern: str, handler: Handler) -> Rule:
    return Rule(frozenset(methods.split()), tuple(pattern.split("/")) if pattern else (), handler)


def _match(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(segments):
        return None
    params: dict[str, str] = {}
    for pat, seg in zip(pattern, segments, strict=True):
        if pat.startswith("{"):
            params[pat[1:-1]] = seg
        elif pat != seg:
            return None
    return params


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise PbxError(400, f"{name} must be a whole number")
    return int(value)


# ---------------------------------------------------------------------- services


def identities(c: Ctx) -> Response:
    return listing(c.state.identities())


def identity_states(c: Ctx) -> Response:
    # The reference's table names the parameter `key`, its example URL `keys`.
    keys = c.query.get("key" if c.state.variant == "reference" else "keys")
    names = None if keys is None else [k.strip() for k in keys.split(",") if k.strip()]
    return listing(c.state.states(names))


def identity(c: Ctx) -> Response:
    return json_response(c.state.identity_json(c.state.user(c.params["user"])))


def devices(c: Ctx) -> Response:
    return listing(c.state.devices(c.params["user"]))


def device(c: Ctx) -> Response:
    return json_response(c.state.device(c.params["user"], c.params["dev"]))


def default_device(c: Ctx) -> Response:
    data = c.state.default_device(c.params["user"])
    return no_content() if data is None else json_response(data)


def device_action(c: Ctx) -> Response:
    user = c.params["user"]
    dev = c.params.get("dev")
    # 404/409 for the user and device come before complaints about the body
    c.state.resolve_device(user, dev)
    return json_response(c.state.device_action(user, dev, c.body(), c.arrived))


def user_action(c: Ctx) -> Response:
    return json_response(c.state.user_action(c.params["user"], c.body()))


def profiles(c: Ctx) -> Response:
    return listing(c.state.profiles(c.params["user"]))


def activate_profile(c: Ctx) -> Response:
    return json_response(c.state.activate_profile(c.params["user"], c.params["profile"]))


def _phonebook_page(c: Ctx, owner: str | None) -> tuple[int, int, int, int, list[Any]]:
    q = c.query
    offset = _int_param(q, "offset", 0)
    limit = _int_param(q, "limit", 0)
    total, matches, page = c.state.phonebook_query(
        owner=owner,
        scope_all=q.get("scope") == "all",
        search=q.get("search") or None,
        letter=q.get("letter") or None,
        offset=offset,
        limit=limit,
    )
    return total, matches, offset, limit, page


def _scroll(matches: int, offset: int, shown: int) -> int:
    """The offset of the next page, or 0 when this page reaches the end."""
    nxt = offset + shown
    return nxt if nxt < matches else 0


def phonebook_list(c: Ctx) -> Response:
    owner = c.params.get("user")
    _, matches, offset, limit, page = _phonebook_page(c, owner)
    if not page:
        return no_content()
    # The reference's phonebook HEAD shows the JSON list's headers: `content-type: PLAIN`.
    literal = c.state.variant == "reference"
    return json_response(
        {
            "total": matches,
            "limit": limit,
            "offset": offset,
            "scroll": _scroll(matches, offset, len(page)),
            "entries": [e.to_json() for e in page],
        },
        media_type="PLAIN" if literal else "application/json",
    )


def phonebook_head(c: Ctx) -> Response:
    owner = c.params.get("user")
    total, matches, offset, limit, page = _phonebook_page(c, owner)
    return Response(
        b"",
        200,
        headers={
            **NO_CACHE,
            "content-type": "PLAIN",
            "x-limit": str(limit),
            "x-offset": str(offset),
            "x-scroll": str(_scroll(matches, offset, len(page))),
            "x-total": str(total),
            "x-totalfiltered": str(matches),
        },
    )


def phonebook_create(c: Ctx) -> Response:
    return json_response(c.state.create_phonebook_entry(c.params.get("user"), c.body()))


def phonebook_get(c: Ctx) -> Response:
    return json_response(c.state.phonebook_entry(c.params["id"]).to_json())


def phonebook_update(c: Ctx) -> Response:
    c.state.phonebook_entry(c.params["id"])
    return json_response(c.state.update_phonebook_entry(c.params["id"], c.body()))


def phonebook_delete(c: Ctx) -> Response:
    return json_response(c.state.delete_phonebook_entry(c.params["id"]))


def switches(c: Ctx) -> Response:
    return listing([s.to_json() for s in c.state.switches.values()])


def switch(c: Ctx) -> Response:
    return json_response([c.state.switch(c.params["ext"]).to_json()])


def switch_set(c: Ctx) -> Response:
    c.state.switch(c.params["ext"])
    return json_response(c.state.set_switch(c.params["ext"], c.body()))


def redirects(c: Ctx) -> Response:
    return listing([r.to_json() for r in c.state.redirects.values()])


def redirect_set(c: Ctx) -> Response:
    return json_response(c.state.set_redirect(c.params["ext"], c.body()))


def redirect_action(c: Ctx) -> Response:
    return json_response(c.state.notify_redirect(c.params["ext"], c.body()))


def queues(c: Ctx) -> Response:
    return listing(c.state.queues_json())


def queue(c: Ctx) -> Response:
    return json_response(c.state.queue_json(c.params["name"]))


def queue_action(c: Ctx) -> Response:
    name = c.params.get("name")
    try:
        if name is not None:
            c.state.queue(name)
        return json_response(c.state.queue_action(name, c.body()))
    except PbxError as exc:
        if c.state.variant != "reference":
            raise
        # Asterisk's manager interface answers a refusal with 200 and an error body.
        return json_response({"Response": "Error", "Message": exc.message})


def mailboxes(c: Ctx) -> Response:
    return listing(c.state.mailboxes_json())


def mailbox(c: Ctx) -> Response:
    return json_response(c.state.mailbox_json(c.params["mb"]))


def voicemails(c: Ctx) -> Response:
    limit = _int_param(c.query, "limit", 20)
    return listing(c.state.voicemails(c.params["mb"], c.params["folder"], limit))


def voicemail_head(c: Ctx) -> Response:
    headers = c.state.voicemail_counts(c.params["mb"], c.params["folder"])
    return Response(b"", 200, headers={**NO_CACHE, "content-type": "PLAIN", **headers})


def voicemail_audio(c: Ctx) -> Response:
    m = c.state.voicemail(c.params["mb"], c.params["folder"], c.params["id"])
    return Response(
        m.audio.read_bytes(),
        200,
        media_type="audio/x-wav",
        headers={**NO_CACHE, "content-disposition": f'attachment; filename="{m.id}.wav"'},
    )


def voicemail_action(c: Ctx) -> Response:
    p = c.params
    c.state.voicemail(p["mb"], p["folder"], p["id"])
    return json_response(c.state.voicemail_action(p["mb"], p["folder"], p["id"], c.body()))


def voicemail_delete(c: Ctx) -> Response:
    p = c.params
    return json_response(c.state.delete_voicemail(p["mb"], p["folder"], p["id"]))


def faxserver(c: Ctx) -> Response:
    return json_response([c.state.faxserver])


def fax_received(c: Ctx) -> Response:
    return listing(c.state.received_json(c.origin))


def fax_done(c: Ctx) -> Response:
    return listing(c.state.done_json())


def fax_prepare(c: Ctx) -> Response:
    return json_response(c.state.prepare_fax(c.params["id"]))


def fax_send(c: Ctx) -> Response:
    fax_id = c.params["id"]
    p = c.state.prepared.get(fax_id)
    if p is None or p.document is None:
        raise PbxError(404, f"no uploaded fax document {fax_id!r}")
    return json_response(c.state.send_fax(fax_id, c.body()))


def fax_delete(c: Ctx) -> Response:
    return json_response(c.state.delete_waiting(c.params["id"]))


CDR_FILTERS = (
    "id",
    "phonecallid",
    "chain",
    "limit",
    "order",
    "timefrom",
    "timeto",
    "srcuserid",
    "srcusername",
    "srcextension",
    "srcname",
    "srcnumber",
    "srcinternal",
    "dstuserid",
    "dstusername",
    "dstextension",
    "dstname",
    "dstnumber",
    "dstinternal",
    "durationfrom",
    "result",
)


def cdr(c: Ctx) -> Response:
    filters = {k: v for k, v in c.query.items() if k in CDR_FILTERS}
    return listing(c.state.cdr_query(filters))


def cdr_live(c: Ctx) -> Response:
    calls = c.state.live_calls()
    if c.state.variant == "reference" and len(calls) == 1:
        return json_response(calls[0])  # as the reference's example: one bare object
    return listing(calls)


def cdr_live_call(c: Ctx) -> Response:
    data = c.state.live_call(c.params["id"])
    return no_content() if data is None else json_response(data)


def extensions(c: Ctx) -> Response:
    target = c.query.get("target")
    return listing(c.state.extensions_json(target))


SERVICE_RULES = [
    _rule("GET", "identity", identities),
    _rule("GET", "identity/states", identity_states),
    _rule("GET", "identity/{user}", identity),
    _rule("GET", "identity/{user}/device", devices),
    _rule("GET", "identity/{user}/device/{dev}", device),
    _rule("POST", "identity/{user}/device/{dev}/action", device_action),
    _rule("POST", "identity/{user}/action", user_action),
    _rule("GET", "identity/{user}/defaultdevice", default_device),
    _rule("POST", "identity/{user}/defaultdevice/action", device_action),
    _rule("GET", "identity/{user}/profile", profiles),
    _rule("PUT POST", "identity/{user}/profile/{profile}/activate", activate_profile),
    _rule("GET", "phonebook", phonebook_list),
    _rule("HEAD", "phonebook", phonebook_head),
    _rule("POST", "phonebook", phonebook_create),
    _rule("GET", "phonebook/identity/{user}", phonebook_list),
    _rule("HEAD", "phonebook/identity/{user}", phonebook_head),
    _rule("POST", "phonebook/identity/{user}", phonebook_create),
    _rule("GET", "phonebook/{id}", phonebook_get),
    _rule("POST", "phonebook/{id}", phonebook_update),
    _rule("DELETE", "phonebook/{id}", phonebook_delete),
    _rule("GET", "condition/switch", switches),
    _rule("GET", "condition/switch/{ext}", switch),
    _rule("POST", "condition/switch/{ext}", switch_set),
    _rule("GET", "redirect", redirects),
    _rule("POST", "redirect/{ext}", redirect_set),
    _rule("POST", "redirect/{ext}/action", redirect_action),
    _rule("GET", "queue", queues),
    _rule("POST", "queue/action", queue_action),
    _rule("GET", "queue/{name}", queue),
    _rule("POST", "queue/{name}/action", queue_action),
    _rule("GET", "voicemailbox", mailboxes),
    _rule("GET", "voicemailbox/{mb}", mailbox),
    _rule("GET", "voicemailbox/{mb}/{folder}", voicemails),
    _rule("HEAD", "voicemailbox/{mb}/{folder}", voicemail_head),
    _rule("GET", "voicemailbox/{mb}/{folder}/{id}", voicemail_audio),
    _rule("POST", "voicemailbox/{mb}/{folder}/{id}", voicemail_action),
    _rule("DELETE", "voicemailbox/{mb}/{folder}/{id}", voicemail_delete),
    _rule("GET", "faxserver", faxserver),
    _rule("GET", "faxserver/received", fax_received),
    _rule("GET", "faxserver/done", fax_done),
    _rule("GET", "faxserver/prepare/{id}", fax_prepare),
    _rule("POST", "faxserver/waiting/{id}", fax_send),
    _rule("DELETE", "faxserver/waiting/{id}", fax_delete),
    _rule("GET", "cdr", cdr),
    _rule("GET", "cdr/live", cdr_live),
    _rule("GET", "cdr/live/{id}", cdr_live_call),
    _rule("GET", "extension", extensions),
]

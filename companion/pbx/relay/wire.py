"""The wire under the relay backend: HTTPS to the Companion relay with this desktop's token.

The pascom wire's rules hold here too, with its pieces (deadlines and size limits, body
read as a stream, TLS trust: the system store plus the configured CA file): the token goes
only to the relay's origin (every request is built against it, no redirect is followed),
every request has a deadline for the whole of it and every body a ceiling, an action
that got a 2xx answer succeeded whatever its body, and one that timed out says it may
have been done (ActionUnconfirmed). Nothing here retries.

The relay answers an error as ``{"error": {"kind": ..., "message": ...}}``: it is raised
again as the same `companion.pbx.errors` class with the relay's words. A 401 means the
relay no longer knows this desktop's token (revoked): said in words at once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from companion.pbx import errors, wire_models
from companion.pbx.pascom.answers import (
    DEFAULT_TIMEOUT,
    JSON,
    Answer,
    Limits,
    is_certificate_failure,
    tls_context,
)
from companion.pbx.pascom.http import read_body

REVOKED = (
    "This desktop's access to the Companion relay was revoked; ask your administrator to"
    " enrol it again."
)
CERTIFICATE = (
    "The Companion relay's TLS certificate is not trusted. If it uses your company's own"
    " certificate, set its CA file: companion config pbx.ca_file /path/to/ca.pem"
)
API = "/v1/"
API_HEADER = "companion-relay-api"  # on every HTTP answer of a relay (docs/relay-api.md)


def path(*segments: str | int) -> str:
    """API path segments, each percent-encoded (an id is user data: '/' stays inside it)."""
    return "/".join(quote(str(s), safe="") for s in segments)


class RelayWire:
    """HTTP to one relay: `base` is its address (https://relay.example.com)."""

    def __init__(
        self,
        base: str,
        token: str,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.host = urlsplit(self.base).hostname or self.base
        self._deadline = deadline
        self.tls = tls_context(ca_file) if self.base.startswith("https:") else None
        headers = {"Accept": "application/json", "User-Agent": "Companion"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.AsyncClient(
            base_url=self.base + API,
            verify=self.tls or False,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,  # the token never follows a redirect elsewhere
            headers=headers,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        params: httpx.QueryParams | Mapping[str, str | int] | None = None,
        content: bytes | None = None,
        content_type: str = "",
        limits: Limits = JSON,
        unconfirmed: str = "",
    ) -> Answer:
        """One request to the API path `url` (relative to /v1/); the answer if 2xx, else
        the relay's error raised as its PbxError. `unconfirmed` makes this an action."""
        started: list[int] = []
        headers = {"Content-Type": content_type} if content_type else None
        try:
            async with asyncio.timeout(self._deadline or limits.deadline):
                request = self._client.build_request(
                    method, url, json=json_body, params=params, content=content, headers=headers
                )
                response = await self._client.send(request, stream=True)
                try:
                    started.append(response.status_code)
                    ok = 200 <= response.status_code < 300
                    body = await read_body(response, limits.max_bytes if ok else None, url)
                    answer = Answer(response.status_code, response.headers, body)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.HTTPError, errors.AnswerTooLarge) as exc:
            if unconfirmed and started and 200 <= started[0] < 300:
                return Answer(started[0], httpx.Headers(), b"")  # done; only the body was lost
            if isinstance(exc, errors.AnswerTooLarge):
                raise errors.AnswerTooLarge(
                    str(exc).replace("The PBX", "The Companion relay")
                ) from None
            raise self.transport_error(exc, unconfirmed) from None
        raise_for_status(answer, self.host)
        return answer

    async def get_json(self, url: str, params: Any = None, *, limits: Limits = JSON) -> Any:
        return decode(await self.request("GET", url, params=params, limits=limits))

    async def act(self, method: str, url: str, body: Any = None, *, unconfirmed: str) -> Any:
        """Ask for an action: its JSON answer, or None when the relay sent none."""
        answer = await self.request(method, url, json_body=body, unconfirmed=unconfirmed)
        try:
            return decode(answer)
        except errors.UnexpectedResponse:
            return None

    def transport_error(self, exc: BaseException, unconfirmed: str = "") -> errors.PbxError:
        return transport_error(exc, self.host, unconfirmed)


def transport_error(exc: BaseException, host: str, unconfirmed: str = "") -> errors.PbxError:
    """A failure to talk to the relay at `host`, in words (the relay's, not the PBX's)."""
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        if unconfirmed:
            return errors.ActionUnconfirmed(
                f"The Companion relay did not answer in time; {unconfirmed}"
            )
        return errors.PbxTimeout("The Companion relay did not answer in time. Try again.")
    if is_certificate_failure(exc):
        return errors.CertificateError(CERTIFICATE)
    if isinstance(exc, httpx.ConnectError) or (
        isinstance(exc, OSError) and not isinstance(exc, httpx.HTTPError)
    ):  # nothing was sent: an action was not done either
        return errors.PbxUnreachable(
            f"The Companion relay at {host} cannot be reached. Check the relay address and"
            " your network."
        )
    if isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError)):
        if unconfirmed:
            return errors.ActionUnconfirmed(
                f"The connection to the Companion relay broke off before it answered; {unconfirmed}"
            )
        return errors.PbxUnreachable(
            "The connection to the Companion relay broke off before it answered. Try again."
        )
    return errors.UnexpectedResponse(
        f"Talking to the Companion relay failed: {type(exc).__name__}."
    )


_STATUS_WORDS = {
    400: (errors.BadRequest, "The Companion relay rejected the request as invalid."),
    401: (errors.AuthenticationError, REVOKED),
    403: (errors.PermissionDenied, "The Companion relay does not allow this for your user."),
    404: (errors.NotFound, "The Companion relay does not know what was asked for."),
    409: (errors.ConflictError, "The PBX cannot do this in the current state."),
    429: (errors.PbxError, "Too many attempts at the Companion relay; wait a minute."),
    501: (errors.NotSupported, "This PBX does not offer this feature."),
    502: (errors.PbxUnreachable, "The Companion relay cannot reach the PBX."),
    504: (errors.PbxTimeout, "The PBX did not answer the Companion relay in time."),
}


def not_a_relay(status: int, host: str) -> errors.PbxError:
    """An error answer without the relay's version header: a proxy, or no relay at all."""
    if status in (502, 503, 504):
        return errors.PbxUnreachable(
            f"The Companion relay at {host} does not answer (a proxy in front of it said"
            f" HTTP {status}). Try again later; if it lasts, tell your administrator."
        )
    return errors.UnexpectedResponse(
        f"The address {host} does not answer as a Companion relay (HTTP {status}). Check"
        " the relay address: it is the relay's, not the PBX's."
    )


def raise_for_status(answer: Answer, host: str = "") -> None:
    status = answer.status_code
    if 200 <= status < 300:
        return
    try:
        found = wire_models.error_from(json.loads(answer.content))
    except (ValueError, UnicodeDecodeError, RecursionError):
        found = None
    if found is not None:
        if status == 401 and not isinstance(found, errors.AuthenticationError):
            raise errors.AuthenticationError(found.message)
        raise found
    if API_HEADER not in answer.headers:
        raise not_a_relay(status, host or "this address")
    kind, words = _STATUS_WORDS.get(
        status,
        (
            errors.UnexpectedResponse,
            f"The Companion relay answered with HTTP {status}. Try again later; if it"
            " persists, ask your administrator.",
        ),
    )
    raise kind(words)


def decode(answer: Answer) -> Any:
    if answer.status_code == 204 or not answer.content.strip():
        return None
    try:
        return json.loads(answer.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise errors.UnexpectedResponse(
            "The Companion relay sent an answer Companion does not understand (not JSON). "
            "Is the relay address right?"
        ) from None


def read(kind: type[Any], data: Any) -> Any:
    """`data` as the model `kind`; an answer of the wrong shape said in words."""
    try:
        return wire_models.from_json(kind, data)
    except wire_models.WireError as err:
        raise unreadable(err) from None


def read_list(kind: type[Any], data: Any) -> list[Any]:
    try:
        return wire_models.list_from_json(kind, data)
    except wire_models.WireError as err:
        raise unreadable(err) from None


def unreadable(err: Exception) -> errors.UnexpectedResponse:
    return errors.UnexpectedResponse(
        f"The Companion relay sent an answer Companion does not understand ({err}). Is the"
        " relay newer than this Companion?"
    )

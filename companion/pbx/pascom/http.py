"""The wire under the pascom backend: one httpx.AsyncClient, errors mapped to `pbx.errors`.

Rules this module enforces so the rest of the backend cannot get them wrong:
- Basic auth is attached per request, and only to URLs on the configured origin. A URL
  taken from a response (fax PDF, upload URL) that points elsewhere gets no credentials.
- Path segments are user data: `path()` percent-encodes each one.
- Every request has a deadline for the whole of it (connect, answer and body) on top of
  httpx's per-byte timeouts, and every body is read as a stream up to a ceiling: a PBX
  that trickles or sends without end cannot hang Companion or fill its memory.
- Transport failures become PbxUnreachable, PbxTimeout or CertificateError, status codes
  the matching PbxError subclass.
- An action (`act`) that got a 2xx answer succeeded, whatever its body; one that timed
  out may have been carried out, and says so (ActionUnconfirmed). Nothing here retries.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from typing import Any, BinaryIO
from urllib.parse import urljoin

import httpx

from companion.pbx import errors
from companion.pbx.pascom.answers import (
    DEFAULT_TIMEOUT,
    JSON,
    Answer,
    Body,
    Limits,
    decode_json,
    origin,
    raise_for_status,
    subject_of,
    tls_context,
    transport_error,
)


class Wire:
    """HTTP to one pascom instance: `base` is https://HOST/INSTANCE.

    `deadline`, if given, replaces the deadline of every request (a test of a trickling
    PBX need not wait 15 s).
    """

    def __init__(
        self,
        base: str,
        rest_user: str,
        password: str,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.services = self.base + "/services/"
        self.assets = self.base + "/asset/"
        self._origin = origin(self.base)
        self._auth = httpx.BasicAuth(rest_user, password)
        self._deadline = deadline
        self._ca_file = ca_file
        # Reading the system trust store takes tens of milliseconds: once, and for a
        # plain-HTTP PBX (a test, a reverse proxy on loopback) only if a foreign host is asked.
        self._trust: ssl.SSLContext | None = (
            tls_context(ca_file) if self._origin[0] == "https" else None
        )
        verify: ssl.SSLContext | bool = self._trust or False
        self._client = httpx.AsyncClient(
            verify=verify,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "Companion"},
        )

    async def close(self) -> None:
        await self._client.aclose()

    def _foreign_trust(self) -> ssl.SSLContext:
        """A foreign host (the reference's fax PDF link is on another host) is checked
        against the PBX's trust: the system store plus the configured CA file."""
        if self._trust is None:
            self._trust = tls_context(self._ca_file)
        return self._trust

    def absolute(self, url: str) -> str:
        """A URL from a response, made absolute against the PBX (pascom sends some relative)."""
        return urljoin(self.base + "/", url)

    def same_origin(self, url: str) -> bool:
        return origin(url) == self._origin

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        timeout: httpx.Timeout | None = None,
        accept: str | None = None,
        files: Mapping[str, tuple[str, bytes | BinaryIO, str]] | None = None,
        authenticate: bool = True,
        limits: Limits = JSON,
        what: str = "",
        unconfirmed: str = "",
    ) -> Answer:
        """Send one request; return the answer if 2xx, else raise the mapped PbxError.

        `url` is relative to services/ unless absolute. Credentials go only to our origin.
        A file object in `files` is streamed from the file in chunks, not read into memory.
        `what` names the answer in a message about its size (else the API part does).
        `unconfirmed` makes this an action: what the PBX may have done and what to check,
        said when it does not answer in time; a 2xx answer is success even if its body
        cannot be read.
        """
        target = url if "://" in url else self.services + url
        send_auth = authenticate and self.same_origin(target)
        headers = {"Accept": accept} if accept else None
        started: list[int] = []  # the status, once the PBX answered
        try:
            async with asyncio.timeout(self._deadline or limits.deadline):
                if self.same_origin(target):
                    request = self._client.build_request(
                        method,
                        target,
                        json=json_body,
                        params=params,
                        headers=headers,
                        files=files,
                        timeout=timeout or self._client.timeout,
                    )
                    answer = await self._exchange(
                        self._client, request, send_auth, limits, what, started
                    )
                else:
                    # A foreign host: its own client, the same TLS trust, and no credentials.
                    async with httpx.AsyncClient(
                        verify=self._foreign_trust(), timeout=timeout or DEFAULT_TIMEOUT
                    ) as foreign:
                        request = foreign.build_request(
                            method,
                            target,
                            json=json_body,
                            params=params,
                            headers=headers,
                            files=files,
                        )
                        answer = await self._exchange(
                            foreign, request, False, limits, what, started
                        )
        except (TimeoutError, httpx.HTTPError, errors.AnswerTooLarge) as exc:
            if unconfirmed and started and 200 <= started[0] < 300:
                # The PBX accepted the action; only its answer's body was lost.
                return Answer(started[0], httpx.Headers(), b"")
            if isinstance(exc, errors.AnswerTooLarge):
                raise
            raise transport_error(exc, target, self.base, unconfirmed) from None
        raise_for_status(answer)
        return answer

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        request: httpx.Request,
        send_auth: bool,
        limits: Limits,
        what: str,
        started: list[int],
    ) -> Answer:
        response = await client.send(request, auth=self._auth if send_auth else None, stream=True)
        try:
            started.append(response.status_code)
            ok = 200 <= response.status_code < 300
            subject = what or subject_of(str(request.url))
            content = await read_body(response, limits.max_bytes if ok else None, subject)
            return Answer(response.status_code, response.headers, content)
        finally:
            await response.aclose()

    async def get_json(
        self,
        url: str,
        params: Mapping[str, str | int] | None = None,
        *,
        limits: Limits = JSON,
    ) -> Any:
        """GET and decode JSON; None for 204 (pascom: "no data found")."""
        return decode_json(await self.request("GET", url, params=params, limits=limits))

    async def post_json(self, url: str, body: Any) -> Any:
        return decode_json(await self.request("POST", url, json_body=body))

    async def act(
        self, url: str, body: Any = None, *, unconfirmed: str, method: str = "POST"
    ) -> Any:
        """Ask the PBX to do something: its JSON answer, or None when it sent none.

        A 2xx answer is success whatever its body (pascom has carried the action out);
        a timeout raises ActionUnconfirmed with `unconfirmed`, e.g. "it may have placed
        the call. Check your phone before you dial again."
        """
        answer = await self.request(method, url, json_body=body, unconfirmed=unconfirmed)
        try:
            return decode_json(answer)
        except errors.UnexpectedResponse:
            return None


async def read_body(response: httpx.Response, limit: int | None, what: str) -> bytes:
    """The body, read as a stream within `limit` (see `answers.Body`)."""
    if response.request.method == "HEAD":
        return b""
    body = Body(response, limit, what)
    try:
        async for chunk in response.aiter_bytes():
            if body.add(chunk):
                break
        return body.content()
    finally:
        body.drop()

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
import json
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import quote, urljoin, urlsplit

import httpx

from companion.pbx import errors

# Between bytes: httpx's own timeouts (a PBX that stops sending).
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How long one request may take in all and how much of its body is read."""

    deadline: float  # seconds for connect + answer + the whole body
    max_bytes: int  # the body is refused (in words) beyond this


# A JSON answer comes in well under a second from a healthy PBX, even a list of
# thousands of records; 15 s leaves room for a slow VPN and still answers a user who
# clicked before they give up. 20 MB is about 100 times the demo's largest list (a
# phonebook page, a year of call history) and far below what would strain memory.
JSON = Limits(deadline=15.0, max_bytes=20 * MB)
# The live calls are read every 2 s and are a few hundred bytes per call: 4 MB is
# thousands of calls at once, and a bad answer there costs the least memory.
LIVE_CALLS = Limits(deadline=15.0, max_bytes=4 * MB)
# A voicemail WAV is 8 kHz 16-bit mono at most (16 kB/s): 50 MB is close to an hour,
# longer than any mailbox keeps. 120 s fetches 50 MB at about 3.5 Mbit/s.
VOICEMAIL_AUDIO = Limits(deadline=120.0, max_bytes=50 * MB)
# A fax PDF is a few hundred kB per page: 50 MB is hundreds of pages.
FAX_PDF = Limits(deadline=120.0, max_bytes=50 * MB)
# A fax upload sends the PDF (the sender's limit); its answer is small.
FAX_UPLOAD = Limits(deadline=300.0, max_bytes=1 * MB)
# An error answer is read only for its reason (a few words): the rest is dropped.
ERROR_BODY_LIMIT = 64 * 1024

# The parts of the API, in words, for a message about an answer that was too large.
_SUBJECTS = {
    "voicemailbox": "the voicemail list",
    "faxserver": "the fax list",
    "phonebook": "the phonebook",
    "cdr": "the call history",
    "identity": "the user data",
    "queue": "the queues",
    "redirect": "the redirects",
    "condition": "the switches",
    "extension": "the number lookup",
}


def path(*segments: str | int) -> str:
    """Join path segments, each percent-encoded ('*' stays: pascom's "all folders")."""
    return "/".join(quote(str(s), safe="*") for s in segments)


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    # The system trust store (where company CAs are installed), plus the PBX's own CA.
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise errors.CertificateError(
                f"The CA file {ca_file} cannot be read as a PEM certificate: {exc}"
            ) from None
    return context


def _is_certificate_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass(frozen=True)
class Answer:
    """A response whose body has been read (within its limits)."""

    status_code: int
    headers: httpx.Headers
    content: bytes


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
        verify: ssl.SSLContext | bool = (
            _tls_context(ca_file) if self._origin[0] == "https" else False
        )
        # A foreign host (the reference's fax PDF link is on another host) is checked
        # against the same trust: the system store plus the configured CA file.
        self._foreign_verify = _tls_context(ca_file)
        self._client = httpx.AsyncClient(
            verify=verify,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "Companion"},
        )

    async def close(self) -> None:
        await self._client.aclose()

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
                        verify=self._foreign_verify, timeout=timeout or DEFAULT_TIMEOUT
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
            raise _transport_error(exc, target, self.base, unconfirmed) from None
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
            subject = what or _subject(str(request.url))
            content = await _read_body(response, limits.max_bytes if ok else None, subject)
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


async def _read_body(response: httpx.Response, limit: int | None, subject: str) -> bytes:
    """The body, read as a stream; refused as soon as it passes `limit`.

    Content-Length is used to refuse early, never trusted: the bytes are counted.
    None: an error answer, read only as far as a reason can be in it.
    """
    if response.request.method == "HEAD":
        return b""
    if limit is not None:
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > limit:
            raise _too_large(limit, subject, int(announced))
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if limit is None and size >= ERROR_BODY_LIMIT:
                return b"".join(chunks)[:ERROR_BODY_LIMIT]
            if limit is not None and size > limit:
                raise _too_large(limit, subject)
        return b"".join(chunks)
    finally:
        # A failure's traceback keeps this frame alive (in a feature's state, say): it
        # must not keep the body read so far with it.
        chunks.clear()


def _too_large(limit: int, subject: str, announced: int | None = None) -> errors.AnswerTooLarge:
    if announced is None:  # counted while reading: reading stopped here
        sent = f"The PBX sent more than {limit // MB} MB for {subject}"
    else:
        sent = f"The PBX announced {announced / MB:.0f} MB for {subject}"
    return errors.AnswerTooLarge(
        f"{sent}, more than Companion accepts ({limit // MB} MB). "
        "Ask your PBX administrator to check the PBX."
    )


def _subject(url: str) -> str:
    """The part of the API a services/ URL reads, in words."""
    rest = url.split("/services/", 1)[-1] if "/services/" in url else ""
    part = rest.split("/", 1)[0].split("?", 1)[0]
    if rest.startswith("cdr/live"):
        return "the live calls"
    return _SUBJECTS.get(part, "one answer")


def _transport_error(
    exc: BaseException, target: str, base: str, unconfirmed: str
) -> errors.PbxError:
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        if unconfirmed:
            return errors.ActionUnconfirmed(f"The PBX did not answer in time; {unconfirmed}")
        return errors.PbxTimeout()
    if isinstance(exc, (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError)):
        if _is_certificate_failure(exc):
            return errors.CertificateError()
        if isinstance(exc, httpx.ConnectError):
            host = urlsplit(target).hostname
            return errors.PbxUnreachable(
                f"The PBX at {host} cannot be reached. Check the PBX address and your network."
            )
        if unconfirmed:
            # The request was sent: the PBX may have done it before the line broke.
            return errors.ActionUnconfirmed(
                f"The connection to the PBX broke off before it answered; {unconfirmed}"
            )
        return errors.PbxUnreachable(
            "The connection to the PBX broke off before it answered. Try again."
        )
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return errors.PbxUnreachable(
            f"'{base}' is not a PBX address Companion can use: "
            "it must look like https://HOST/INSTANCE."
        )
    return errors.UnexpectedResponse(f"Talking to the PBX failed: {type(exc).__name__}.")


def raise_for_status(response: Answer) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = _detail(response)
    suffix = f" ({detail})" if detail else ""
    if status == 400:
        raise errors.BadRequest(f"The PBX rejected the request as invalid{suffix}.")
    if status == 401:
        raise errors.AuthenticationError()
    if status == 403:
        raise errors.PermissionDenied(f"The PBX does not allow this{suffix}.")
    if status == 404:
        raise errors.NotFound(f"The PBX does not know what was asked for{suffix}.")
    if status == 409:
        raise errors.ConflictError(f"The PBX cannot do this in the current state{suffix}.")
    if status >= 500:
        raise errors.UnexpectedResponse(
            f"The PBX reported an internal error (HTTP {status}). Try again later; "
            "if it persists, ask your PBX administrator."
        )
    raise errors.UnexpectedResponse(f"The PBX answered with HTTP {status}{suffix}.")


def _detail(response: Answer) -> str:
    """A short reason from an error body, if the PBX gave one."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    if isinstance(body, dict):
        for key in ("error", "message", "Message", "response"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:200]
    return ""


def decode_json(response: Answer) -> Any:
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        return json.loads(response.content)
    except RecursionError:
        # Python's decoder recurses once per level: 100000 '[' are no answer to read.
        raise errors.UnexpectedResponse(
            "The PBX sent an answer nested too deeply for Companion to read "
            f"(more than {sys.getrecursionlimit()} levels of JSON). "
            "Ask your PBX administrator to check the PBX."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise errors.UnexpectedResponse(
            "The PBX sent an answer Companion does not understand (not JSON). "
            "Is the PBX address right? It must look like https://HOST/INSTANCE."
        ) from None

"""The wire under the pascom backend: one httpx.AsyncClient, errors mapped to `pbx.errors`.

Rules this module enforces so the rest of the backend cannot get them wrong:
- Basic auth is attached per request, and only to URLs on the configured origin. A URL
  taken from a response (fax PDF, upload URL) that points elsewhere gets no credentials.
- Path segments are user data: `path()` percent-encodes each one.
- Every request has a timeout; transport failures become PbxUnreachable, PbxTimeout or
  CertificateError, status codes become the matching PbxError subclass.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any, BinaryIO
from urllib.parse import quote, urljoin, urlsplit

import httpx

from companion.pbx import errors

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


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


class Wire:
    """HTTP to one pascom instance: `base` is https://HOST/INSTANCE."""

    def __init__(
        self,
        base: str,
        rest_user: str,
        password: str,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.services = self.base + "/services/"
        self.assets = self.base + "/asset/"
        self._origin = origin(self.base)
        self._auth = httpx.BasicAuth(rest_user, password)
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
    ) -> httpx.Response:
        """Send one request; return the response if 2xx, else raise the mapped PbxError.

        `url` is relative to services/ unless absolute. Credentials go only to our origin.
        A file object in `files` is streamed from the file in chunks, not read into memory.
        """
        target = url if "://" in url else self.services + url
        send_auth = authenticate and self.same_origin(target)
        headers = {"Accept": accept} if accept else None
        try:
            if self.same_origin(target):
                response = await self._client.request(
                    method,
                    target,
                    json=json_body,
                    params=params,
                    headers=headers,
                    files=files,
                    auth=self._auth if send_auth else None,
                    timeout=timeout or self._client.timeout,
                )
            else:
                # A foreign host: its own client, the same TLS trust, and no credentials.
                async with httpx.AsyncClient(
                    verify=self._foreign_verify, timeout=timeout or DEFAULT_TIMEOUT
                ) as foreign:
                    response = await foreign.request(
                        method,
                        target,
                        json=json_body,
                        params=params,
                        headers=headers,
                        files=files,
                    )
        except httpx.TimeoutException:
            raise errors.PbxTimeout() from None
        except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            if _is_certificate_failure(exc):
                raise errors.CertificateError() from None
            if isinstance(exc, httpx.ConnectError):
                host = urlsplit(target).hostname
                raise errors.PbxUnreachable(
                    f"The PBX at {host} cannot be reached. Check the PBX address and your network."
                ) from None
            raise errors.PbxUnreachable(
                "The connection to the PBX broke off before it answered. Try again."
            ) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise errors.PbxUnreachable(
                f"'{self.base}' is not a PBX address Companion can use: "
                "it must look like https://HOST/INSTANCE."
            ) from None
        except httpx.HTTPError as exc:
            raise errors.UnexpectedResponse(
                f"Talking to the PBX failed: {type(exc).__name__}."
            ) from None
        raise_for_status(response)
        return response

    async def get_json(self, url: str, params: Mapping[str, str | int] | None = None) -> Any:
        """GET and decode JSON; None for 204 (pascom: "no data found")."""
        return decode_json(await self.request("GET", url, params=params))

    async def post_json(self, url: str, body: Any) -> Any:
        return decode_json(await self.request("POST", url, json_body=body))


def raise_for_status(response: httpx.Response) -> None:
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


def _detail(response: httpx.Response) -> str:
    """A short reason from an error body, if the PBX gave one."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict):
        for key in ("error", "message", "Message", "response"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:200]
    return ""


def decode_json(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise errors.UnexpectedResponse(
            "The PBX sent an answer Companion does not understand (not JSON). "
            "Is the PBX address right? It must look like https://HOST/INSTANCE."
        ) from None

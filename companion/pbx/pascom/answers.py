"""The pascom wire's rules with no event loop in them: limits, URLs, TLS trust, and what an
answer or a failure means (the matching `pbx.errors`).

Shared by the async wire (`http.py`, the app and most commands) and the one-shot
synchronous request of a cold `companion dial` (`one_shot.py`), so both say the same.
"""

from __future__ import annotations

import json
import ssl
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

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


def tls_context(ca_file: str | None) -> ssl.SSLContext:
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


def is_certificate_failure(exc: BaseException) -> bool:
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


class Body:
    """A response body as it arrives, refused as soon as it passes `limit`.

    Content-Length is used to refuse early, never trusted: the bytes are counted.
    `limit` None: an error answer, read only as far as a reason can be in it.
    """

    def __init__(self, response: httpx.Response, limit: int | None, subject: str) -> None:
        self.limit, self.subject = limit, subject
        self.chunks: list[bytes] = []
        self.size = 0
        if limit is not None:
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > limit:
                raise too_large(limit, subject, int(announced))

    def add(self, chunk: bytes) -> bool:
        """Take the next chunk; True once enough is read (an error answer's reason)."""
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.limit is None:
            return self.size >= ERROR_BODY_LIMIT
        if self.size > self.limit:
            raise too_large(self.limit, self.subject)
        return False

    def content(self) -> bytes:
        content = b"".join(self.chunks)
        return content if self.limit is not None else content[:ERROR_BODY_LIMIT]

    def drop(self) -> None:
        # A failure's traceback keeps the reader's frame alive (in a feature's state,
        # say): it must not keep the body read so far with it.
        self.chunks.clear()


def too_large(limit: int, subject: str, announced: int | None = None) -> errors.AnswerTooLarge:
    if announced is None:  # counted while reading: reading stopped here
        sent = f"The PBX sent more than {limit // MB} MB for {subject}"
    else:
        sent = f"The PBX announced {announced / MB:.0f} MB for {subject}"
    return errors.AnswerTooLarge(
        f"{sent}, more than Companion accepts ({limit // MB} MB). "
        "Ask your PBX administrator to check the PBX."
    )


def subject_of(url: str) -> str:
    """The part of the API a services/ URL reads, in words."""
    rest = url.split("/services/", 1)[-1] if "/services/" in url else ""
    part = rest.split("/", 1)[0].split("?", 1)[0]
    if rest.startswith("cdr/live"):
        return "the live calls"
    return _SUBJECTS.get(part, "one answer")


def transport_error(
    exc: BaseException, target: str, base: str, unconfirmed: str
) -> errors.PbxError:
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        if unconfirmed:
            return errors.ActionUnconfirmed(f"The PBX did not answer in time; {unconfirmed}")
        return errors.PbxTimeout()
    if isinstance(exc, (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError)):
        if is_certificate_failure(exc):
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


# -- call actions ---------------------------------------------------------------------

# What an action that got no answer in time may have done, and what to check before
# trying again (a second try may dial twice): said after "The PBX did not answer in time;".
CALL_ACTION_DONE = {
    "dial": "placed the call",
    "hangup": "hung up",
    "transfer": "transferred the call",
    "hold": "put the call on hold or taken it off hold",
    "pickup": "picked up the call",
    "offhook": "taken your phone off the hook",
    "conference": "joined the calls",
    "dtmf": "sent the tones",
}
"""Keyed by the action's name (a CallAction is its name: a StrEnum)."""

NO_DEFAULT_DEVICE_MAYBE: tuple[type[errors.PbxError], ...] = (
    errors.ConflictError,
    errors.NotFound,
    errors.BadRequest,
    errors.PermissionDenied,
)
"""What an action on the default device may be refused with when the user has none:
the reference names no status for it, so the PBX is asked (identity/{user}/defaultdevice)."""


def unsure(done: str, check: str = "your phone", again: str = "try again") -> str:
    """The rest of the message for an action that may have been carried out."""
    return f"it may have {done}. Check {check} before you {again}."


def call_action_request(
    user: str, action: str, destination: str, device: str | None
) -> tuple[str, dict[str, str], str]:
    """The URL (under services/), body and 'may have done' words of a call action."""
    body = {"action": str(action), "destination": destination, "prefix": "auto"}
    again = "dial again" if action == "dial" else "try again"
    done = unsure(CALL_ACTION_DONE[action], again=again)
    if device:
        return path("identity", user, "device", device, "action"), body, done
    return path("identity", user, "defaultdevice", "action"), body, done


def no_such_device(user: str, device: str) -> errors.NotFound:
    return errors.NotFound(f"The PBX has no device '{device}' for user '{user}'.")

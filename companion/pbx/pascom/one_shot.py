"""One call action sent with no event loop: what a cold ``companion dial`` does.

A command line run with no app to hand over to sends one request and exits. asyncio,
anyio and httpx's async client cost it more than that request (tens of milliseconds
of a start of about 150), so it is sent with httpx's synchronous client, under the
async wire's rules (`answers`): Basic auth only to the PBX's own origin, redirects not
followed, the same TLS trust, the same errors in the same words, a 2xx answer success
whatever its body, and a failure after sending said as "it may have placed the call".

The deadline is kept between chunks: a PBX that trickles is given up on at the
deadline plus at most one read timeout (10 s), not held forever.
"""

from __future__ import annotations

import time

import httpx

from companion.pbx import errors
from companion.pbx.pascom.answers import (
    DEFAULT_TIMEOUT,
    JSON,
    NO_DEFAULT_DEVICE_MAYBE,
    Answer,
    Body,
    call_action_request,
    decode_json,
    no_such_device,
    origin,
    path,
    raise_for_status,
    subject_of,
    tls_context,
    transport_error,
)


class OneShot:
    """The PBX at `base` (https://HOST/INSTANCE) for the few requests of one command."""

    def __init__(self, base: str, rest_user: str, password: str, ca_file: str | None) -> None:
        self.base = base.rstrip("/")
        self.services = self.base + "/services/"
        secure = origin(self.base)[0] == "https"
        self._client = httpx.Client(
            auth=httpx.BasicAuth(rest_user, password),
            verify=tls_context(ca_file) if secure else False,
            timeout=DEFAULT_TIMEOUT,
            follow_redirects=False,  # a redirect elsewhere never gets the credentials
            headers={"Accept": "application/json", "User-Agent": "Companion"},
        )

    def close(self) -> None:
        self._client.close()

    def call_action(self, user: str, action: str, destination: str, device: str | None) -> None:
        """As `PascomPbx.call_action`: the action on `device` or the default device."""
        url, body, done = call_action_request(user, action, destination, device)
        try:
            self.request("POST", url, body, unconfirmed=done)
        except errors.NotFound:
            if device:
                raise no_such_device(user, device) from None
            self._unless_no_default_device(user)
            raise
        except NO_DEFAULT_DEVICE_MAYBE:
            if not device:
                self._unless_no_default_device(user)
            raise

    def _unless_no_default_device(self, user: str) -> None:
        try:
            raw = decode_json(self.request("GET", path("identity", user, "defaultdevice")))
        except (errors.NotFound, errors.ConflictError, errors.BadRequest):
            raw = None
        if not (isinstance(raw, dict) and raw):
            raise errors.NoDefaultDevice() from None

    def request(
        self, method: str, url: str, json_body: object = None, *, unconfirmed: str = ""
    ) -> Answer:
        """Send one request to services/`url`; the answer if 2xx, else the PbxError."""
        target = self.services + url
        deadline = time.monotonic() + JSON.deadline
        status: int | None = None
        try:
            with self._client.stream(method, target, json=json_body) as response:
                status = response.status_code
                ok = 200 <= status < 300
                if ok and unconfirmed:  # done: an action's answer is not read
                    return Answer(status, response.headers, b"")
                body = Body(response, JSON.max_bytes if ok else None, subject_of(target))
                try:
                    for chunk in response.iter_bytes():
                        if body.add(chunk):
                            break
                        if time.monotonic() > deadline:
                            raise TimeoutError
                    answer = Answer(status, response.headers, body.content())
                finally:
                    body.drop()
        except (TimeoutError, httpx.HTTPError) as exc:
            if unconfirmed and status is not None and 200 <= status < 300:
                return Answer(status, httpx.Headers(), b"")  # done; only the body was lost
            raise transport_error(exc, target, self.base, unconfirmed) from None
        raise_for_status(answer)
        return answer

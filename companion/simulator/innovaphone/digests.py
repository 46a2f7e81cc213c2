"""The hashes of innovaphone's logins, written from the SDK's AppWebsocket and myApps pages.

Nothing here is shared with the client: the demo PBX computes them its own way so that a
client reading the documents differently fails against it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def compact_json(value: Any) -> str:
    """JSON as JSON.stringify writes it: no spaces, no escaping of non-ASCII or '/'."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def app_login_digest(
    *,
    app: str,
    domain: str,
    sip: str,
    guid: str,
    dn: str,
    info: Any | None,
    challenge: str,
    password: str,
) -> str:
    """AppLogin: sha256 of app:domain:sip:guid:dn[:info]:challenge:password (info as compact
    JSON and only when the message carries one; pbxObj is never part of it)."""
    parts = [app, domain, sip, guid, dn]
    if info is not None:
        parts.append(compact_json(info))
    parts += [challenge, password]
    return sha256_hex(":".join(parts))


def app_client_response(
    *, type_: str, domain: str, username: str, password: str, nonce: str, challenge: str
) -> str:
    """myApps Login: the response to Authenticate."""
    return sha256_hex(
        f"innovaphoneAppClient:{type_}:{domain}:{username}:{password}:{nonce}:{challenge}"
    )


def login_result_digest(
    *, domain: str, username: str, password: str, nonce: str, challenge: str, info: Any
) -> str:
    """myApps LoginResult: proves to the client that this PBX knows its password."""
    return sha256_hex(
        f"innovaphoneAppClient:loginresult:{domain}:{username}:{password}:{nonce}:{challenge}:"
        + compact_json(info)
    )


def rc4(key: str, data: bytes) -> bytes:
    """RC4, which myApps uses to hand out the session credentials (its own choice, not ours)."""
    box = list(range(256))
    k = key.encode("utf-8")
    j = 0
    for i in range(256):
        j = (j + box[i] + k[i % len(k)]) & 0xFF
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + box[i]) & 0xFF
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) & 0xFF])
    return bytes(out)


def session_secret(kind: str, nonce: str, password: str, plain: str) -> str:
    """LoginResult info.session.usr / .pwd:
    hex(RC4("innovaphoneAppClient:KIND:nonce:password", plain))."""
    return rc4(f"innovaphoneAppClient:{kind}:{nonce}:{password}", plain.encode("utf-8")).hex()

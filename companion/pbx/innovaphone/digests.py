"""The digests of innovaphone's logins (AppWebsocket, myApps), from the 13r1 SDK docs.

- AppLogin: sha256_hex("app:domain:sip:guid:dn[:info]:challenge:password"), `info` as
  compact JSON (`pbxObj` is not part of it).
- myApps Login: sha256_hex("innovaphoneAppClient:type:domain:username:password:nonce:challenge").
- myApps LoginResult: sha256_hex("innovaphoneAppClient:loginresult:domain:username:password:
  nonce:challenge:info"): the PBX proves that it knows the password too.
- The session credentials in LoginResult's info are hex(RC4(key, secret)) with
  key "innovaphoneAppClient:usr|pwd:nonce:password".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compact(info: Any, *, ascii_only: bool = False) -> str:
    """JSON without white space or needless escaping (what JSON.stringify writes)."""
    return json.dumps(info, separators=(",", ":"), ensure_ascii=ascii_only)


def app_login(
    app: str,
    challenge: str,
    password: str,
    *,
    domain: str = "",
    sip: str = "",
    guid: str = "",
    dn: str = "",
    info: Any = None,
) -> str:
    parts = [app, domain, sip, guid, dn]
    if info is not None:
        parts.append(compact(info))
    parts += [challenge, password]
    return sha256_hex(":".join(parts))


def user_response(
    kind: str, domain: str, username: str, password: str, nonce: str, challenge: str
) -> str:
    return sha256_hex(
        f"innovaphoneAppClient:{kind}:{domain}:{username}:{password}:{nonce}:{challenge}"
    )


def login_result_matches(
    digest: str,
    info: Any,
    *,
    domain: str,
    username: str,
    password: str,
    nonce: str,
    challenge: str,
) -> bool:
    """Whether the LoginResult's digest proves the PBX knows the password.

    The info is encoded as JSON.stringify does; a PBX that escapes non-ASCII text is
    accepted too (docs/pbx-assumptions.md, "innovaphone client").
    """
    prefix = f"innovaphoneAppClient:loginresult:{domain}:{username}:{password}:{nonce}:{challenge}:"
    for ascii_only in (False, True):
        expected = sha256_hex(prefix + compact(info, ascii_only=ascii_only))
        if hmac.compare_digest(expected, str(digest).lower()):
            return True
    return False


def new_nonce() -> str:
    """8 random bytes as a 16-digit hex string (a new one for every login)."""
    return secrets.token_hex(8)


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def session_secret(kind: str, nonce: str, password: str, encrypted_hex: str) -> str:
    """Decrypt LoginResult info.session.usr (kind "usr") or .pwd (kind "pwd")."""
    key = f"innovaphoneAppClient:{kind}:{nonce}:{password}".encode()
    return rc4(key, bytes.fromhex(encrypted_hex)).decode("utf-8")

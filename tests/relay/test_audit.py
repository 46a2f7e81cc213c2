"""The audit log: every action with time, user, device and what was done; never a secret."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx

from companion.relay.audit import AuditLog
from tests.conftest import REST_PASSWORD
from tests.relay.conftest import RunningRelay


def test_actions_are_logged_without_secrets(relay: RunningRelay) -> None:
    code = relay.code("mmuster")

    token = httpx.post(f"{relay.url}/v1/enrol", json={"code": code, "device": "laptop"}).json()[
        "token"
    ]
    with relay.client(token) as client:
        assert client.put("/redirect", json={"target": "0171 555"}).status_code == 200
        assert client.post("/call-action", json={"action": "dial", "destination": "110"})
        assert client.get("/voicemail/1763634600-00000000/audio").status_code == 404
        assert client.get("/switches").status_code == 200  # a read: not an action
    text = (relay.data_dir / "audit.log").read_text(encoding="utf-8")
    for secret in (token, code, code.replace("-", ""), REST_PASSWORD):
        assert secret not in text
    lines = [json.loads(line) for line in text.splitlines()]
    done = [(e["action"], e["user"], e["device"], e["target"], e["outcome"]) for e in lines]
    assert done == [
        ("enrol", "mmuster", "laptop", "", "ok"),
        ("set_redirect", "mmuster", "laptop", "0171 555", "ok"),
        ("call_action", "mmuster", "laptop", "dial 110", "ok"),
        ("voicemail_audio", "mmuster", "laptop", "1763634600-00000000", "NotFound"),
    ]
    assert all(e["source"] == "127.0.0.1" for e in lines)
    assert all(datetime.fromisoformat(e["time"]).tzinfo is not None for e in lines)


def test_the_audit_log_is_rotated(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, max_bytes=2000, backups=2)
    for n in range(100):
        log.record("set_redirect", user="mmuster", device="laptop", target=f"0171 {n}")
    log.close()
    kept = sorted(p.name for p in tmp_path.glob("audit.log*"))
    assert kept == ["audit.log", "audit.log.1", "audit.log.2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.glob("audit.log*"))
    assert "0171 99" in (tmp_path / "audit.log").read_text(encoding="utf-8")

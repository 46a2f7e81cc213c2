"""`companion simulator --kind innovaphone`: the demo PBX in the foreground."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", "simulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


def test_runs_the_innovaphone_demo_pbx_until_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "simulator", "--kind", "innovaphone", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"at (ws://127\.0\.0\.1:\d+/PBX0)", line)
        assert match, line
        assert "user: mmuster password: demo-pass" in line
        assert "App object: companion password: companion-secret" in line
        with connect(match.group(1) + "/APPS/websocket", open_timeout=10) as ws:
            ws.send(json.dumps({"mt": "AppChallenge"}))
            challenge = json.loads(ws.recv(10))["challenge"]
            text = f"companion:::::{challenge}:companion-secret"
            digest = hashlib.sha256(text.encode()).hexdigest()
            ws.send(json.dumps({"mt": "AppLogin", "app": "companion", "digest": digest}))
            assert json.loads(ws.recv(10))["ok"] is True
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "Traceback" not in err


def test_pascom_only_options_are_usage_errors() -> None:
    failed = _run("--kind", "innovaphone", "--extras", "x.json")
    assert failed.returncode == 2 and "for the pascom demo PBX only" in failed.stderr
    failed = _run("--challenge-as-number")
    assert failed.returncode == 2 and "for the innovaphone demo PBX only" in failed.stderr


def test_a_bad_demo_file_is_named_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    failed = _run("--kind", "innovaphone", "--port", "0", "--data", str(bad))
    assert failed.returncode == 1
    assert "bad.json: not JSON" in failed.stderr and "Traceback" not in failed.stderr

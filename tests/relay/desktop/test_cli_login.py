"""`companion login --relay URL --code CODE` as a user runs it, against a real relay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import Companion, usage_error
from tests.conftest import USER
from tests.relay.conftest import RunningRelay


@pytest.fixture
def companion(tmp_path: Path) -> Companion:
    return Companion(tmp_path)


def test_login_by_code_keeps_the_token_in_the_keyring_only(
    companion: Companion, relay: RunningRelay
) -> None:
    code = relay.code(USER)
    done = companion("login", "--relay", relay.url, "--code", code, "--device", "desk-1")
    assert f"Connected to the Companion relay {relay.url} as {USER}" in done.stdout
    settings = (companion.config_dir / "settings.toml").read_text(encoding="utf-8")
    assert 'kind = "relay"' in settings and 'rest_user = "desk-1"' in settings
    stored = json.loads(companion.keyring_file.read_text(encoding="utf-8"))
    tokens = [v for v in json.dumps(stored).split('"') if v.startswith("crt_")]
    assert len(tokens) == 1 and tokens[0] not in settings and tokens[0] not in done.stdout
    # The CLI then works through the relay.
    assert "Tina Sander" in companion("search", "Sander", "--remote").stdout
    # The code was used up: a second login with it is refused in the relay's words.
    again = companion("login", "--relay", relay.url, "--code", code, ok=False)
    assert "not valid" in again.stderr


def test_login_refuses_plain_http_to_another_host(companion: Companion) -> None:
    failed = companion(
        "login", "--relay", "http://relay.example.com", "--code", "ABCD-EFGH", ok=False
    )
    assert "must start with https://" in failed.stderr


def test_relay_and_url_do_not_mix(companion: Companion) -> None:
    problem = usage_error(
        companion, "login", "--relay", "https://r.example.com", "--code", "X", "--user", "u"
    )
    assert "not --url, --user" in problem
    assert "needs the --code" in usage_error(companion, "login", "--relay", "https://r.example.com")
    assert "--url and --user" in usage_error(companion, "login")

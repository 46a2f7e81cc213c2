"""`companion relay ...`: the real command serving over TLS, and its words for mistakes."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import trustme

from companion.cli import main
from companion.relay import config as relay_config
from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def password_file(tmp_path: Path, mode: int = 0o600) -> Path:
    path = tmp_path / "pbx-password"
    path.write_text(REST_PASSWORD + "\n")
    path.chmod(mode)
    return path


def test_serve_over_tls_enrol_list_and_revoke(
    sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    data_dir, port = tmp_path / "data", free_port()
    toml = tmp_path / "relay.toml"
    toml.write_text(
        f'[pbx]\nurl = "{sim.base_url}"\nrest_user = "nobody"\n'
        f'password_file = "{password_file(tmp_path)}"\n'
        f'[relay]\nlisten = "127.0.0.1:1"\ndata_dir = "data"\n'
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "companion", "relay", "serve", "--config", str(toml),
         "--rest-user", REST_USER, "--listen", f"127.0.0.1:{port}",
         "--tls-cert", str(cert_file), "--tls-key", str(key_file)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"https://127.0.0.1:{port}"
    try:
        trusted = ssl.create_default_context(cafile=str(ca_file))
        with httpx.Client(verify=trusted, timeout=5) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    assert client.get(f"{url}/v1/health").json()["status"] == "ok"
                    break
                except httpx.TransportError:
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.1)
            with pytest.raises(httpx.ConnectError):  # verified like the PBX: an unknown CA fails
                httpx.get(f"{url}/v1/health")

            assert main(["relay", "add-user", "mmuster", "--config", str(toml), "--json"]) == 0
            added = json.loads(capsys.readouterr().out)
            assert added["link"] == (
                "companion://enrol?relay=http%3A%2F%2F127.0.0.1%3A1&code=" + added["code"]
            )  # the config's listen address, as no public_url is set
            enrolled = client.post(
                f"{url}/v1/enrol", json={"code": added["code"], "device": "laptop"}
            ).json()
            headers = {"Authorization": f"Bearer {enrolled['token']}"}
            assert client.get(f"{url}/v1/account", headers=headers).json()["login"] == "mmuster"

            assert main(["relay", "users", "--data-dir", str(data_dir)]) == 0
            listed = capsys.readouterr().out
            assert listed.startswith("mmuster (1 device)\n  laptop: enrolled ")
            assert main(["relay", "revoke", "mmuster", "laptop", "--data-dir", str(data_dir)]) == 0
            assert capsys.readouterr().out == "Revoked mmuster's device 'laptop'.\n"
            assert client.get(f"{url}/v1/account", headers=headers).status_code == 401
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert f"Companion relay for {sim.base_url} on {url} (API v1)" in output
    assert enrolled["token"] not in output and REST_PASSWORD not in output
    assert "Traceback" not in output


def test_add_user_prints_the_code_and_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["relay", "add-user", "jürgen.weiß", "--data-dir", str(tmp_path),
         "--public-url", "https://relay.example.com/"]
    )  # fmt: skip
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    one_time = lines[0].rsplit(" ", 1)[1]
    assert lines[0] == f"Enrolment code for jürgen.weiß (valid 24 hours, once): {one_time}"
    assert lines[1] == (
        f"Link: companion://enrol?relay=https%3A%2F%2Frelay.example.com&code={one_time}"
    )
    assert lines[2] == (
        f"Or on the desktop: companion login --relay https://relay.example.com --code {one_time}"
    )


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["relay", "users"], "The relay needs a data directory: give --data-dir DIR"),
        (["relay", "serve", "--data-dir", "D"], "The relay needs the PBX's address"),
        (
            ["relay", "serve", "--data-dir", "D", "--pbx-url", "https://p/x", "--rest-user",
             "moby", "--listen", "0.0.0.0:8740"],
            "Plain HTTP is only served on loopback addresses, not on 0.0.0.0",
        ),
        (["relay", "serve", "--listen", "8740"], "--listen must be HOST:PORT"),
        (["relay", "revoke"], "the following arguments are required: login"),
        (["relay"], "the following arguments are required: COMMAND"),
    ],
)  # fmt: skip
def test_usage_mistakes_exit_2_in_words(
    arguments: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(arguments)
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_revoking_an_unknown_device_fails_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["relay", "revoke", "mmuster", "phone", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "companion: mmuster has no device 'phone' (see: companion relay users)\n"
    )


def test_flags_override_the_file_and_secrets_stay_out_of_it(tmp_path: Path) -> None:
    toml = tmp_path / "relay.toml"
    toml.write_text('[pbx]\nurl = "https://a/b"\nrest_user = "moby"\n[relay]\ndata_dir = "d"\n')
    config = relay_config.load(toml, rest_user="other", listen="[::1]:9000")
    assert (config.pbx_url, config.rest_user) == ("https://a/b", "other")
    assert config.data_dir == tmp_path / "d" and config.host_port() == ("::1", 9000)
    toml.write_text('[pbx]\npassword = "hunter2"\n')
    with pytest.raises(relay_config.ConfigError, match=r"does not belong in relay\.toml"):
        relay_config.load(toml)
    toml.write_text('[pbx]\nurl = "https://a/b"\nport = 1\n')
    with pytest.raises(relay_config.ConfigError, match=r"\[pbx\] has no setting 'port'"):
        relay_config.load(toml)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_password_file_must_be_the_relays_alone(tmp_path: Path) -> None:
    loose = relay_config.load(None, password_file=str(password_file(tmp_path, 0o644)))
    with pytest.raises(relay_config.ConfigError, match="readable by other users"):
        relay_config.pbx_password(loose)
    tight = relay_config.load(None, password_file=str(password_file(tmp_path, 0o600)))
    assert relay_config.pbx_password(tight) == REST_PASSWORD
    with pytest.raises(relay_config.ConfigError, match="COMPANION_RELAY_PBX_PASSWORD"):
        relay_config.pbx_password(relay_config.load(None), environ={})
    from_env = relay_config.pbx_password(
        relay_config.load(None), environ={"COMPANION_RELAY_PBX_PASSWORD": "s3cret"}
    )
    assert from_env == "s3cret"


def test_the_packaged_settings_and_unit_are_valid() -> None:
    packaging = Path(__file__).parents[2] / "packaging" / "relay"
    example = relay_config.load(packaging / "relay.toml.example")
    assert example.pbx_url.startswith("https://") and example.rest_user == "moby"
    assert example.host_port() == ("127.0.0.1", 8740)
    assert example.link_base() == "https://relay.example.com"
    unit = (packaging / "companion-relay.service").read_text(encoding="utf-8")
    (start,) = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    command = start.removeprefix("ExecStart=").split()
    assert command[1:3] == ["relay", "serve"]
    from companion.cli import parse

    assert parse(command[1:]).config == "/etc/companion-relay/relay.toml"


def test_every_relay_command_has_help_and_examples() -> None:
    import argparse

    from companion.cli import _parser

    (sub,) = (a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    relay = sub.choices["relay"]
    (own,) = (a for a in relay._actions if isinstance(a, argparse._SubParsersAction))
    assert set(own.choices) == {"serve", "add-user", "users", "revoke"}
    for name, parser in own.choices.items():
        for action in parser._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        assert parser.epilog and parser.epilog.startswith("example"), name
        examples = parser.epilog.splitlines()[1:]
        assert examples and all(e.startswith(f"  companion relay {name} ") for e in examples)

"""`companion relay serve | add-user LOGIN | users | revoke LOGIN [DEVICE]`.

Light to import (argparse only): the server's stack is imported by `serve` alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

EXIT_FAILED = 1


def add_relay_commands(sub: Any) -> None:
    """The `relay` command and its own commands, on the `companion` parser's subparsers."""
    relay = sub.add_parser(
        "relay",
        help="run a Companion relay: one server per PBX that holds the credential",
        description="A Companion relay holds the PBX credential, gives each desktop a token "
        "for its one user, polls the PBX once and pushes changes. See docs/relay.md.",
        epilog="examples:\n  companion relay serve --config /etc/companion-relay/relay.toml\n"
        "  companion relay add-user mmuster --data-dir /var/lib/companion-relay",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    relay.set_defaults(usage_error=relay.error)
    own = relay.add_subparsers(
        dest="relay_command", metavar="COMMAND", required=True, help="what to do"
    )

    def add(name: str, help_text: str, *examples: str) -> argparse.ArgumentParser:
        lines = "\n".join(f"  companion relay {name} {e}".rstrip() for e in examples)
        command: argparse.ArgumentParser = own.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example{'s' if len(examples) > 1 else ''}:\n{lines}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(usage_error=command.error)
        command.add_argument("--config", metavar="FILE", help="the relay's relay.toml")
        command.add_argument(
            "--data-dir", metavar="DIR", help="where devices, codes and the audit log live"
        )
        return command

    p = add(
        "serve",
        "serve the relay's API and event stream (until SIGTERM or Ctrl+C)",
        "--config /etc/companion-relay/relay.toml",
        "--pbx-url https://pbx.example.com/office --rest-user moby "
        "--password-file /etc/companion-relay/pbx-password --data-dir /var/lib/companion-relay "
        "--listen 0.0.0.0:8740 --tls-cert cert.pem --tls-key key.pem",
        "--pbx-kind innovaphone --pbx-url wss://pbx.example.com/PBX0 --app companion "
        "--password-file /etc/companion-relay/pbx-password --data-dir /var/lib/companion-relay",
    )
    p.add_argument(
        "--pbx-kind",
        choices=("pascom", "innovaphone"),
        help="the PBX's kind (default pascom)",
    )
    p.add_argument(
        "--pbx-url",
        help="the PBX address: https://HOST/INSTANCE (pascom), wss://HOST/PBX0 (innovaphone)",
    )
    p.add_argument("--rest-user", help="pascom: the PBX's REST user (e.g. moby)")
    p.add_argument(
        "--app",
        metavar="NAME",
        help="innovaphone: the App object the relay logs in with (default companion)",
    )
    p.add_argument(
        "--password-file",
        metavar="FILE",
        help="a file with the REST password (pascom) or the App object's password "
        "(innovaphone), readable by the relay's user only "
        "(or set COMPANION_RELAY_PBX_PASSWORD)",
    )
    p.add_argument("--ca-file", metavar="FILE", help="PEM file of the PBX's own CA")
    p.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="where to listen (default 127.0.0.1:8740; plain HTTP only on loopback)",
    )
    p.add_argument("--tls-cert", metavar="FILE", help="the relay's TLS certificate (PEM)")
    p.add_argument("--tls-key", metavar="FILE", help="its private key (PEM)")
    p.add_argument("--public-url", metavar="URL", help="the relay's address as desktops reach it")

    p = add(
        "add-user",
        "make a one-time enrolment code (valid 24 hours) for a PBX user",
        "mmuster --data-dir /var/lib/companion-relay",
        "mmuster --config relay.toml --public-url https://relay.example.com",
    )
    p.add_argument("login", help="the user's PBX login name")
    p.add_argument("--public-url", metavar="URL", help="the relay's address for the link")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = add("users", "list the enrolled users, their devices and open codes", "--data-dir DIR")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = add(
        "revoke",
        "revoke a user's device (or all of them): it is told so and disconnected at once",
        "mmuster laptop --data-dir DIR",
        "mmuster --config relay.toml",
    )
    p.add_argument("login", help="the user's PBX login name")
    p.add_argument("device", nargs="?", help="the device name (all devices when left out)")


def run(args: argparse.Namespace) -> int:
    from companion.relay.config import ConfigError

    try:
        return {"serve": _serve, "add-user": _add_user, "users": _users, "revoke": _revoke}[
            args.relay_command
        ](args)
    except ConfigError as exc:
        args.usage_error(str(exc))  # exits 2
        return 2


def _config(args: argparse.Namespace, **more: Any) -> Any:
    from pathlib import Path

    from companion.relay.config import load

    return load(Path(args.config) if args.config else None, data_dir=args.data_dir, **more)


def _store(args: argparse.Namespace, **more: Any) -> Any:
    from companion.relay.store import Store

    config = _config(args, **more)
    return config, Store(config.require_data_dir())


def _serve(args: argparse.Namespace) -> int:
    import logging

    from companion.relay.config import check_serving, pbx_password

    config = _config(
        args,
        pbx_kind=args.pbx_kind,
        pbx_url=args.pbx_url,
        rest_user=args.rest_user,
        app=args.app,
        password_file=args.password_file,
        ca_file=args.ca_file,
        listen=args.listen,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        public_url=args.public_url,
    )
    check_serving(config)
    password = pbx_password(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from companion.relay.server import RelayServer

    try:
        server = RelayServer(config, password)
    except OSError as exc:
        print(
            f"companion: the relay cannot listen on {config.listen}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"Companion relay for {config.pbx_url} on {server.url} (API v1)", flush=True)
    server.serve()
    return 0


def enrol_link(relay_url: str, code: str) -> str:
    return f"companion://enrol?relay={quote(relay_url, safe='')}&code={quote(code, safe='')}"


def _add_user(args: argparse.Namespace) -> int:
    login = args.login.strip()
    if not login:
        args.usage_error("add-user needs the user's PBX login name")
    config, store = _store(args, public_url=args.public_url)
    try:
        code = store.add_code(login)
    finally:
        store.close()
    _audit(config, "add_user", login)
    link = enrol_link(config.link_base(), code)
    if args.json:
        print(json.dumps({"login": login, "code": code, "valid_hours": 24, "link": link}))
        return 0
    print(f"Enrolment code for {login} (valid 24 hours, once): {code}")
    print(f"Link: {link}")
    print(f"Or on the desktop: companion login --relay {config.link_base()} --code {code}")
    return 0


def _audit(config: Any, action: str, login: str, device: str = "", target: str = "") -> None:
    from companion.relay.audit import AuditLog

    log = AuditLog(config.require_data_dir())
    try:
        log.record(action, user=login, device=device, source="command line", target=target)
    finally:
        log.close()


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _users(args: argparse.Namespace) -> int:
    _unused, store = _store(args)
    try:
        users = store.users()
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "login": u.login,
                        "open_codes": u.open_codes,
                        "devices": [
                            {
                                "name": d.name,
                                "enrolled": _when(d.created),
                                "last_seen": _when(d.last_seen),
                            }
                            for d in u.devices
                        ],
                    }
                    for u in users
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not users:
        print("No users yet: companion relay add-user LOGIN")
    for user in users:
        codes = f", {user.open_codes} open code{'s' if user.open_codes != 1 else ''}"
        print(
            f"{user.login} ({len(user.devices)} device{'s' if len(user.devices) != 1 else ''}"
            f"{codes if user.open_codes else ''})"
        )
        for device in user.devices:
            print(
                f"  {device.name}: enrolled {_when(device.created)}, "
                f"last seen {_when(device.last_seen)}"
            )
    return 0


def _revoke(args: argparse.Namespace) -> int:
    config, store = _store(args)
    try:
        revoked = store.revoke(args.login, args.device)
    finally:
        store.close()
    _audit(config, "revoke", args.login, args.device or "", ", ".join(revoked) or "nothing")
    if args.device and not revoked:
        print(
            f"companion: {args.login} has no device '{args.device}' (see: companion relay users)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if not revoked:
        print(f"{args.login} had no devices; their open codes are void now.")
        return 0
    for name in revoked:
        print(f"Revoked {args.login}'s device '{name}'.")
    return 0

"""`companion login`, `logout` and `config`: the account, its secret and the settings."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from companion import config, credentials
from companion.backends import keyring_name, open_pbx
from companion.output import UserError


def login(args: argparse.Namespace) -> int:
    if args.relay:
        return _login_relay(args)
    loaded = config.load()
    settings = loaded.settings
    before = (settings.pbx_url, settings.user)
    old_directory = None
    if settings.pbx_url:
        from companion.directory import open_directory

        old_directory = open_directory(settings)
    kind = args.kind or "pascom"
    settings.kind = kind
    settings.pbx_url = config.normalise_pbx_url(args.url)
    settings.rest_user = args.rest_user
    settings.user = args.user
    settings.ca_file = args.ca_file
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UserError(f"the CA file {args.ca_file} does not exist")
    if kind == "innovaphone":
        _innovaphone_login_settings(settings, getattr(args, "app", ""))
    elif getattr(args, "app", ""):
        raise UserError("--app is for an innovaphone PBX (with --kind innovaphone)")
    elif settings.pbx_url.startswith(("ws://", "wss://")):
        raise UserError(
            "a pascom PBX's address starts with https://; ws:// and wss:// are an innovaphone"
            " PBX's (add --kind innovaphone)"
        )
    password = _read_password(args.password_stdin)

    async def check(secret: str) -> str:
        async with open_pbx(settings, secret) as pbx:
            me = await pbx.account()
        return f"{me.display_name}, extension {me.extension}"

    secret = password
    if kind == "innovaphone" and settings.login == "user":
        secret = asyncio.run(_myapps_session(settings, password))  # never the password
    who = asyncio.run(check(secret))
    # Only a checked credential is stored: keyring first, so a keyring failure saves nothing.
    credentials.store_password(settings.pbx_url, keyring_name(settings), secret)
    config.save(settings)
    if old_directory is not None and before != (settings.pbx_url, settings.user):
        old_directory.delete()  # another PBX or user: the old company data goes
    print(f"Logged in to {settings.pbx_url} as {settings.user} ({who}).")
    return 0


def _innovaphone_login_settings(settings: config.Settings, app: str) -> None:
    """An innovaphone address (wss://, ws:// on loopback only) and the way to log in."""
    from companion.pbx.errors import PbxError as PbxErrorClass
    from companion.pbx.innovaphone.address import DEFAULT_APP, check_url

    if not settings.pbx_url.startswith(("ws://", "wss://")):
        raise UserError(
            "an innovaphone PBX is reached over its AppWebsocket: give the address as "
            "wss://HOST/PBX0"
        )
    try:
        check_url(settings.pbx_url)
    except PbxErrorClass as exc:
        raise UserError(str(exc)) from None
    settings.login = "app" if app else "user"
    settings.app = app or DEFAULT_APP


async def _myapps_session(settings: config.Settings, password: str) -> str:
    from companion.pbx.innovaphone import log_in_user

    session = await log_in_user(
        settings.pbx_url, settings.user, password, app=settings.app,
        ca_file=settings.ca_file or None,
    )  # fmt: skip
    return session.to_secret()


def _login_relay(args: argparse.Namespace) -> int:
    """Trade the administrator's code for a device token (kept in the keyring only)."""
    from companion import enrolment

    settings = config.load().settings
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UserError(f"the CA file {args.ca_file} does not exist")
    ca_file = str(Path(args.ca_file).resolve()) if args.ca_file else ""
    old_directory = None
    if settings.pbx_url:
        from companion.directory import open_directory

        old_directory = open_directory(settings)
    connected = asyncio.run(
        enrolment.connect(settings, args.relay, args.code, device=args.device, ca_file=ca_file)
    )
    enrolment.store(connected)
    new = connected.settings
    if old_directory is not None and (settings.pbx_url, settings.user) != (new.pbx_url, new.user):
        old_directory.delete()
    print(
        f"Connected to the Companion relay {new.pbx_url} as {new.user} ({connected.who});"
        f" this desktop is {new.rest_user!r} there."
    )
    if connected.problem:
        print(f"companion: {connected.problem}", file=sys.stderr)
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass("REST password: ")
    else:
        raise UserError("no terminal to ask for the password; pass it with --password-stdin")
    if not password:
        raise UserError("the REST password is empty")
    return password


def logout(args: argparse.Namespace) -> int:
    settings = config.load().settings
    if not settings.pbx_url:
        print("Not logged in.")
        return 0
    credentials.delete_password(settings.pbx_url, keyring_name(settings))
    what = {"innovaphone": "login", "relay": "device token"}.get(settings.kind, "REST password")
    print(f"Removed the {what} for {settings.pbx_url} from the keyring.")
    from companion.directory import open_directory

    if open_directory(settings).delete():
        print("Deleted the local directory.")
    return 0


def config_command(args: argparse.Namespace) -> int:
    loaded = config.load()
    if loaded.warning:
        print(f"companion: {loaded.warning}", file=sys.stderr)
    settings = loaded.settings
    if args.key is None:
        for key in config.KEYS:
            print(f"{key} = {config.get_value(settings, key)}")
        return 0
    if args.value is None:
        print(config.get_value(settings, args.key))
        return 0
    config.save(config.set_value(settings, args.key, args.value))
    return 0

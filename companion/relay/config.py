"""The relay's settings: `relay.toml`, overridden by command-line flags.

```toml
[pbx]
kind = "pascom"
url = "https://pbx.example.com/instance"
rest_user = "moby"
password_file = "/etc/companion-relay/pbx-password"   # or COMPANION_RELAY_PBX_PASSWORD
ca_file = ""                                            # the PBX's CA, if its own

[relay]
listen = "127.0.0.1:8740"
data_dir = "/var/lib/companion-relay"
tls_cert = ""
tls_key = ""
public_url = "https://relay.example.com"   # what enrolment links name
poll_interval = 30                          # seconds between a user's slow reads
```

For an innovaphone PBX, `kind = "innovaphone"`, `url = "wss://pbx.example.com/PBX0"` and
`app = "companion"` (the App object with PbxAdminApi and RCC) stand in for the REST user;
the password file then holds the App object's password.

The PBX password is read from its file (readable by the relay's user only) or from the
environment, never from the TOML file itself and never from a flag (a flag shows in `ps`).
"""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PASSWORD_ENV = "COMPANION_RELAY_PBX_PASSWORD"
DEFAULT_LISTEN = "127.0.0.1:8740"
KINDS = ("pascom", "innovaphone")
DEFAULT_APP = "companion"  # as companion.pbx.innovaphone.DEFAULT_APP (not imported: light)


class ConfigError(ValueError):
    """A setting that cannot work; `str()` says which and what to do."""


@dataclass(frozen=True)
class RelayConfig:
    data_dir: Path | None = None
    pbx_kind: str = "pascom"
    pbx_url: str = ""
    rest_user: str = ""
    app: str = DEFAULT_APP  # innovaphone: the App object the relay logs in with
    password_file: Path | None = None
    ca_file: str = ""
    listen: str = DEFAULT_LISTEN
    tls_cert: Path | None = None
    tls_key: Path | None = None
    public_url: str = ""
    poll_interval: float = 30.0

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    def host_port(self) -> tuple[str, int]:
        return parse_listen(self.listen)

    def link_base(self) -> str:
        """The relay's address as desktops reach it (for enrolment links)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host, port = self.host_port()
        shown = f"[{host}]" if ":" in host else host
        return f"{'https' if self.tls else 'http'}://{shown}:{port}"

    def require_data_dir(self) -> Path:
        if self.data_dir is None:
            raise ConfigError(
                "The relay needs a data directory: give --data-dir DIR, "
                "or data_dir in the [relay] table of --config relay.toml."
            )
        return self.data_dir


_TABLES: dict[str, dict[str, str]] = {
    "pbx": {
        "kind": "pbx_kind",
        "url": "pbx_url",
        "rest_user": "rest_user",
        "app": "app",
        "password_file": "password_file",
        "ca_file": "ca_file",
    },
    "relay": {
        "listen": "listen",
        "data_dir": "data_dir",
        "tls_cert": "tls_cert",
        "tls_key": "tls_key",
        "public_url": "public_url",
        "poll_interval": "poll_interval",
    },
}
_PATHS = {"data_dir", "password_file", "tls_cert", "tls_key"}


def load(path: Path | None, **flags: Any) -> RelayConfig:
    """The settings of `path` (if given) with each flag that is not None on top."""
    values: dict[str, Any] = {}
    if path is not None:
        values.update(_read_toml(path))
    for name, value in flags.items():
        if value is not None:
            values[name] = value
    for name in _PATHS & values.keys():
        values[name] = Path(values[name]).expanduser() if values[name] else None
    if "poll_interval" in values:
        try:
            values["poll_interval"] = float(values["poll_interval"])
        except (TypeError, ValueError):
            raise ConfigError("poll_interval must be a number of seconds.") from None
        if values["poll_interval"] < 5:
            raise ConfigError("poll_interval must be at least 5 seconds.")
    config = replace(RelayConfig(), **values)
    parse_listen(config.listen)
    if config.pbx_kind not in KINDS:
        raise ConfigError(
            f"The relay does not know the PBX kind '{config.pbx_kind}'; "
            f"it knows {', '.join(KINDS)}."
        )
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"The relay cannot read {path}: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is no valid TOML: {exc}.") from None
    values: dict[str, Any] = {}
    for table, raw_values in raw.items():
        names = _TABLES.get(table)
        if names is None or not isinstance(raw_values, dict):
            raise ConfigError(f"{path}: unknown table [{table}]; it has [pbx] and [relay].")
        for key, value in raw_values.items():
            if key == "password":
                raise ConfigError(
                    f"{path}: the PBX password does not belong in relay.toml; put it in "
                    f"password_file (readable by the relay's user only) or {PASSWORD_ENV}."
                )
            if key not in names:
                known = ", ".join(names)
                raise ConfigError(f"{path}: [{table}] has no setting '{key}' (it has {known}).")
            values[names[key]] = value
    if isinstance(values.get("data_dir"), str) and not Path(values["data_dir"]).is_absolute():
        values["data_dir"] = str(path.parent / values["data_dir"])
    return values


def parse_listen(listen: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets) -> (host, port)."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(
            f"--listen must be HOST:PORT (e.g. 127.0.0.1:8740 or [::1]:8740), not '{listen}'."
        )
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_serving(config: RelayConfig) -> None:
    """What `serve` needs beyond what `add-user` needs: the PBX, and TLS off loopback."""
    if not config.pbx_url:
        raise ConfigError("The relay needs the PBX's address: --pbx-url https://HOST/INSTANCE.")
    if config.pbx_kind == "innovaphone":
        _check_innovaphone(config)
    else:
        if not config.pbx_url.startswith(("https://", "http://")):
            raise ConfigError(f"The PBX address must start with https://, not '{config.pbx_url}'.")
        if not config.rest_user:
            raise ConfigError("The relay needs the PBX's REST user: --rest-user NAME.")
    if (config.tls_cert is None) != (config.tls_key is None):
        raise ConfigError("Give both --tls-cert and --tls-key, or neither.")
    for given in (config.tls_cert, config.tls_key):
        if given is not None and not given.is_file():
            raise ConfigError(f"The relay cannot find {given}.")
    host, _port = config.host_port()
    if not config.tls and not is_loopback(host):
        raise ConfigError(
            f"Plain HTTP is only served on loopback addresses, not on {host}: give "
            "--tls-cert and --tls-key, or listen on 127.0.0.1 behind a reverse proxy."
        )
    config.require_data_dir()


def _check_innovaphone(config: RelayConfig) -> None:
    from companion.pbx import errors
    from companion.pbx.innovaphone.address import check_url

    try:
        check_url(config.pbx_url)
    except errors.PbxError as exc:
        raise ConfigError(str(exc)) from None
    if not config.app.strip():
        raise ConfigError("The relay needs the innovaphone App object's name: --app NAME.")
    if config.rest_user:
        raise ConfigError(
            "An innovaphone PBX has no REST user: the relay logs in with the App object "
            "(--app NAME, its password in --password-file). Leave --rest-user out."
        )


def pbx_password(config: RelayConfig, environ: dict[str, str] | None = None) -> str:
    """The PBX credential from its file (readable by this user only) or the environment."""
    environ = dict(os.environ) if environ is None else environ
    if config.password_file is None:
        password = environ.get(PASSWORD_ENV, "")
        if not password:
            raise ConfigError(
                f"The relay needs the PBX password: --password-file FILE, or {PASSWORD_ENV}."
            )
        return password
    path = config.password_file
    try:
        info = path.stat()
        if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"{path} is readable by other users: the PBX password must be readable by "
                f"the relay's user only (chmod 600 {path})."
            )
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"The relay cannot read {path}: {exc.strerror or exc}.") from None
    if not password:
        what = "App object's" if config.pbx_kind == "innovaphone" else "REST"
        raise ConfigError(f"{path} is empty: put the PBX's {what} password in it.")
    return password

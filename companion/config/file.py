"""Reading and writing settings.toml: a file that can't be used is moved aside, never lost."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from companion.config.keys import KEYS
from companion.config.paths import settings_path
from companion.config.settings import ConfigError, Loaded, Settings
from companion.files import MB, read_regular, write_private

SETTINGS_LIMIT = MB  # settings.toml is a few hundred bytes; more is not a settings file


def load() -> Loaded:
    """The settings from :func:`settings_path`.

    A missing file gives the defaults. Only a regular file of at most 1 MB is read. A file
    that can't be read (or is a FIFO, a device, too big), isn't TOML or has
    wrong values is renamed to ``settings.toml.corrupt-YYYYmmdd-HHMMSS`` (never
    deleted), the defaults stand in for what was wrong, and ``warning`` tells the user
    where the file went. Raises :class:`ConfigError` only when such a file can't even
    be moved aside (then saving would overwrite it).
    """
    path = settings_path()
    try:
        raw = read_regular(path, SETTINGS_LIMIT)  # a FIFO never blocks, /dev/zero never floods
    except FileNotFoundError:
        return Loaded(Settings())
    except OSError as err:
        return _move_aside(path, Settings(), f"it could not be read ({err.strerror or err})")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _move_aside(path, Settings(), "it is not UTF-8 text")
    except tomllib.TOMLDecodeError as err:
        return _move_aside(path, Settings(), f"it is not valid TOML ({err})")
    settings, problems = _from_toml(data)
    if problems:
        return _move_aside(path, settings, "; ".join(problems))
    return Loaded(settings)


def _from_toml(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in KEYS.values():
        section = data.get(spec.section)
        if section is None:
            continue
        if not isinstance(section, dict):
            problem = f"[{spec.section}] is not a section"
            if problem not in problems:
                problems.append(problem)
            continue
        if spec.option not in section:
            continue
        value = section[spec.option]
        if type(value) is not spec.kind:  # bool is an int subclass: compare exactly
            kind = {bool: "true or false", int: "a whole number", str: "text"}[spec.kind]
            problems.append(f"{spec.name} must be {kind}, not {_toml_value_for_message(value)}")
            continue
        try:
            values[spec.attribute] = spec.check(spec.name, value)
        except ConfigError as err:
            problems.append(str(err))
    if "favourites" in data:
        from companion import favourites as favourite_list

        try:
            values["favourites"] = favourite_list.from_toml(data["favourites"])
        except favourite_list.FavouriteError as err:
            problems.append(str(err))
    return Settings(**values), problems


def _toml_value_for_message(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _move_aside(path: Path, settings: Settings, reason: str) -> Loaded:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        os.rename(path, target)
    except OSError as err:
        raise ConfigError(
            f"The settings file {path} is unusable ({reason}) and could not be moved aside"
            f" ({err.strerror or err}): fix or remove it"
        ) from None
    kept = "the other settings were kept" if settings != Settings() else "defaults are used"
    return Loaded(
        settings,
        f"The settings file was unusable ({reason}); it was moved to {target} and {kept}.",
    )


def save(settings: Settings) -> None:
    """Write ``settings`` to :func:`settings_path` atomically, readable by the owner only.

    Every value is checked as :func:`set_value` checks it (without looking at the CA
    file), so what is saved loads again. Raises :class:`ConfigError`.
    """
    text = _to_toml(settings)
    path = settings_path()
    try:
        write_private(path, text.encode("utf-8"))
    except OSError as err:
        raise ConfigError(f"Could not save the settings to {path}: {err.strerror or err}") from None


def _to_toml(settings: Settings) -> str:
    lines = ["# Companion settings. The REST password is in the OS keyring, not here."]
    section = ""
    for spec in KEYS.values():
        value = getattr(settings, spec.attribute)
        if type(value) is not spec.kind:
            raise ConfigError(f"{spec.name} must be a {spec.kind.__name__}, not {value!r}")
        value = spec.check(spec.name, value)
        if spec.section != section:
            section = spec.section
            lines += ["", f"[{section}]"]
        lines.append(f"{spec.option} = {_toml_literal(spec.name, value)}")
    if settings.favourites:
        from companion import favourites as favourite_list

        for table in favourite_list.to_toml(settings.favourites):
            lines += ["", "[[favourites]]"]
            lines += [f"{name} = {_toml_literal('favourites', v)}" for name, v in table.items()]
    return "\n".join(lines) + "\n"


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_literal(key: str, value: str | int | bool) -> str:
    """A TOML value for a str, int or bool (basic strings, escaped per TOML 1.0)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:  # lone surrogates: not valid in UTF-8 nor TOML
            raise ConfigError(f"{key} contains a character that can't be saved: {value!r}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)

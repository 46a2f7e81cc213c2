"""Helpers for the packaging tests: file formats read with the standard library only."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / "linux" / "net.companion.Companion.desktop"
METAINFO = PACKAGING / "linux" / "net.companion.Companion.metainfo.xml"
FLATPAK_MANIFEST = PACKAGING / "linux" / "net.companion.Companion.yml"
HICOLOR = PACKAGING / "linux" / "icons" / "hicolor"
ISS = PACKAGING / "windows" / "companion.iss"
ICO = PACKAGING / "windows" / "companion.ico"
INFO_PLIST = PACKAGING / "macos" / "Info.plist"
ICNS = PACKAGING / "macos" / "companion.icns"
SPEC = PACKAGING / "pyinstaller" / "companion.spec"
SCREENSHOTS = PACKAGING / "screenshots"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError if ``data`` is no PNG."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_entries(data: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, image data) of each image in an ICO file."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    if reserved != 0 or kind != 1:
        raise ValueError("not an ICO file")
    entries = []
    for i in range(count):
        w, h, _colors, _res, _planes, _bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        entries.append((w or 256, h or 256, data[offset : offset + size]))
    return entries


def icns_entries(data: bytes) -> dict[str, bytes]:
    """{type: data} of an ICNS file."""
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an ICNS file")
    entries: dict[str, bytes] = {}
    pos = 8
    while pos < len(data):
        kind = data[pos : pos + 4].decode("ascii")
        (length,) = struct.unpack(">I", data[pos + 4 : pos + 8])
        entries[kind] = data[pos + 8 : pos + length]
        pos += length
    return entries


# -- Inno Setup -----------------------------------------------------------------------


def iss_sections(text: str) -> dict[str, list[str]]:
    """The lines of each ``[Section]`` of an Inno Setup script, comments and blanks dropped."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("//"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def iss_parameters(line: str) -> dict[str, str]:
    """``Name: value; Name: "a ""quoted"" value"`` -> {name: value}, quotes resolved."""
    params: dict[str, str] = {}
    pos = 0
    while pos < len(line):
        match = re.compile(r"\s*(\w+)\s*:\s*").match(line, pos)
        if match is None:
            raise ValueError(f"cannot parse {line!r} at {pos}")
        name, pos = match.group(1), match.end()
        if line.startswith('"', pos):
            value = []
            pos += 1
            while True:
                if pos >= len(line):
                    raise ValueError(f"unterminated quote in {line!r}")
                if line[pos] == '"':
                    if line.startswith('""', pos):
                        value.append('"')
                        pos += 2
                        continue
                    pos += 1
                    break
                value.append(line[pos])
                pos += 1
            params[name] = "".join(value)
            end = line.find(";", pos)
            if line[pos : end if end >= 0 else len(line)].strip():
                raise ValueError(f"text after a quoted value in {line!r}")
        else:
            end = line.find(";", pos)
            params[name] = line[pos : end if end >= 0 else len(line)].strip()
        pos = end + 1 if end >= 0 else len(line)
    return params


def iss_expand(value: str, constants: dict[str, str]) -> str:
    """Inno Setup constants (``{app}``) replaced, ``{{`` made ``{``; unknown ones raise."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "{{":
            return "{"
        name = match.group(1)
        if name not in constants:
            raise KeyError(f"constant {{{name}}} not known to the test")
        return constants[name]

    return re.sub(r"\{\{|\{([^{}]+)\}", replace, value)


@dataclass(frozen=True)
class IssRegistryEntry:
    root: str
    subkey: str
    value_type: str
    value_name: str
    value_data: str
    flags: frozenset[str] = field(default_factory=frozenset)
    tasks: str = ""
    check: str = ""


def iss_registry(text: str, constants: dict[str, str]) -> list[IssRegistryEntry]:
    entries = []
    for line in iss_sections(text).get("Registry", []):
        p = iss_parameters(line)
        entries.append(
            IssRegistryEntry(
                root=p["Root"],
                subkey=iss_expand(p["Subkey"], constants),
                value_type=p.get("ValueType", "none").lower(),
                value_name=iss_expand(p.get("ValueName", ""), constants),
                value_data=iss_expand(p.get("ValueData", ""), constants),
                flags=frozenset(p.get("Flags", "").split()),
                tasks=p.get("Tasks", ""),
                check=p.get("Check", ""),
            )
        )
    return entries


def iss_define(text: str, name: str) -> str | None:
    match = re.search(rf'^\s*#define\s+{re.escape(name)}\s+"([^"]*)"', text, re.MULTILINE)
    return match.group(1) if match else None


# -- the real validators --------------------------------------------------------------


def run_validator(command: list[str], *, required: bool) -> subprocess.CompletedProcess[str]:
    """Run a validator; a missing tool skips (or fails, when ``required``)."""
    tool = shutil.which(command[0])
    if tool is None:
        packages = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}
        message = f"{command[0]} is not installed (apt-get install {packages[command[0]]})"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        [tool, *command[1:]], capture_output=True, text=True, timeout=120, check=False
    )


def validate_desktop_file(*, required: bool) -> None:
    done = run_validator(["desktop-file-validate", str(DESKTOP_FILE)], required=required)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"desktop-file-validate failed:\n{output}"
    assert ": error:" not in output, output


def validate_metainfo(*, required: bool) -> None:
    done = run_validator(
        ["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)], required=required
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"appstreamcli validate failed:\n{output}"
    # errors and warnings fail validation; infos and pedantic notes are allowed
    assert not re.search(r"^[EW]: ", output, re.MULTILINE), output

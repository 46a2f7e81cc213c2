"""Linux (freedesktop) URL handler: a D-Bus activatable desktop entry, xdg-mime and the
desktop database.

install
    writes ``net.companion.Companion.desktop`` (:func:`desktop_entry`:
    ``DBusActivatable=true`` and ``Exec=`` naming this installation's command, for
    desktops that do not activate over D-Bus) to ``$XDG_DATA_HOME/applications``
    (default ``~/.local/share/applications``) and the D-Bus service file
    ``$XDG_DATA_HOME/dbus-1/services/net.companion.Companion.service``
    (:func:`service_file`: the same command, no link: the link follows as ``Open``), the
    icon to the user's hicolor theme, runs ``xdg-mime default
    net.companion.Companion.desktop x-scheme-handler/<scheme>...`` (which writes
    ``[Default Applications]`` of ``$XDG_CONFIG_HOME/mimeapps.list``) and
    ``update-desktop-database`` on that directory. A default Companion replaces is
    remembered in ``$XDG_DATA_HOME/companion/replaced-url-handlers.json``. The entry of
    older versions, ``companion.desktop``, is removed and every mimeapps.list entry
    naming it is moved to the new id. Why the file is named after the bus name and why
    both files always go together: :mod:`companion.desktop.dbus_application`.
uninstall
    takes both ids out of every ``[Default Applications]`` and ``[Added
    Associations]`` entry of the user's mimeapps.list files (the rest of each file is
    kept byte for byte), puts back a default it replaced, removes the desktop entry,
    the service file and the icon and updates the desktop database.
status
    asks ``xdg-mime query default x-scheme-handler/<scheme>`` and checks that both the
    desktop entry and the service file are there and run a command that exists.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from companion.desktop.launch import companion_command, desktop_exec, parse_desktop_exec
from companion.desktop.url_handler import APP_NAME, SCHEMES, SchemeStatus, UrlHandlerError

__all__ = [
    "APP_ID",
    "DESKTOP_ID",
    "OLD_DESKTOP_ID",
    "LinuxUrlHandler",
    "desktop_entry",
    "remove_from_mimeapps",
    "rename_in_mimeapps",
    "service_file",
]

APP_ID = "net.companion.Companion"  # = companion.desktop.dbus_application.APP_ID (no Qt here)
DESKTOP_ID = f"{APP_ID}.desktop"  # the bus name + ".desktop", as D-Bus activation requires
OLD_DESKTOP_ID = "companion.desktop"  # before D-Bus activation; migrated by install
SERVICE_ID = f"{APP_ID}.service"
MIME_TYPES = tuple(f"x-scheme-handler/{scheme}" for scheme in SCHEMES)
_SECTIONS = ("Default Applications", "Added Associations")
_TOOL_TIMEOUT = 30
_REPLACED_FILE = "replaced-url-handlers.json"


def desktop_entry(exec_value: str) -> str:
    """Companion's desktop entry with ``Exec=exec_value`` (``packaging/linux`` has
    ``companion %u``; install writes the absolute command)."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "GenericName=Phone Companion\n"
        "Comment=Dial, presence, redirects, voicemail and fax for pascom phone systems\n"
        f"Exec={exec_value}\n"
        "Icon=companion\n"
        "Terminal=false\n"
        "StartupNotify=false\n"
        "DBusActivatable=true\n"
        "Categories=Network;Telephony;Office;\n"
        f"MimeType={''.join(m + ';' for m in MIME_TYPES)}\n"
        "Keywords=phone;call;dial;telephone;pascom;tel;sip;\n"
    )


def service_file(command: list[str]) -> str:
    """The D-Bus service file that starts ``command`` (no link: D-Bus sends it as
    ``Open`` once the app owns the name). The D-Bus daemon splits ``Exec`` like a
    POSIX shell, so the words are shell-quoted."""
    return f"[D-BUS Service]\nName={APP_ID}\nExec={shlex.join(command)}\n"


def _edit_entries(text: str, edit: Callable[[str, str, list[str]], tuple[str, ...] | None]) -> str:
    """``text`` of a mimeapps.list with each entry of ``_SECTIONS`` passed to ``edit``.

    ``edit(section, key, items)`` gives None to keep the line exactly as it is, () to
    drop it, or (value,) for ``key=value``. Every other line, comment, blank line and
    line ending stays exactly as it was.
    """
    out: list[str] = []
    section = ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        stripped = body.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif section in _SECTIONS and "=" in body and not stripped.startswith("#"):
            key, _, value = body.partition("=")
            edited = edit(section, key, value.split(";"))
            if edited is not None:
                out += [f"{key}={new_value}{ending}" for new_value in edited]
                continue
        out.append(line)
    return "".join(out)


def rename_in_mimeapps(text: str, old_id: str, new_id: str) -> str:
    """``text`` of a mimeapps.list with ``old_id`` replaced by ``new_id`` in the
    ``[Default Applications]`` and ``[Added Associations]`` entries (once: an entry
    naming both keeps the first). Every other byte stays as it was."""

    def rename(_section: str, _key: str, items: list[str]) -> tuple[str, ...] | None:
        if not any(item.strip() == old_id for item in items):
            return None
        renamed: list[str] = []
        for item in items:
            name = new_id if item.strip() == old_id else item
            if name.strip() != new_id or new_id not in [r.strip() for r in renamed]:
                renamed.append(name)
        return (";".join(renamed),)

    return _edit_entries(text, rename)


def remove_from_mimeapps(text: str, desktop_id: str, restore: dict[str, str]) -> str:
    """``text`` of a mimeapps.list with ``desktop_id`` taken out of its entries.

    Only ``[Default Applications]`` and ``[Added Associations]`` are touched. An entry
    that named other applications too keeps them; an entry left empty is dropped, or,
    in ``[Default Applications]``, set back to ``restore[mime_type]`` if given. Every
    other line, comment, blank line and line ending stays exactly as it was.
    """

    def remove(section: str, key: str, items: list[str]) -> tuple[str, ...] | None:
        kept = [item for item in items if item.strip() != desktop_id]
        if len(kept) == len(items):
            return None
        if any(item.strip() for item in kept):
            return (";".join(kept),)
        if section == "Default Applications" and restore.get(key.strip()):
            return (restore[key.strip()],)
        return ()

    return _edit_entries(text, remove)


def _defaults(text: str) -> dict[str, str]:
    """The ``[Default Applications]`` entries of a mimeapps.list."""
    found: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif section == "Default Applications" and "=" in stripped:
            key, _, value = stripped.partition("=")
            found.setdefault(key.strip(), value.strip())
    return found


class LinuxUrlHandler:
    """The freedesktop registration, in the directories the XDG variables name now."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command

    # -- where --------------------------------------------------------------------------

    @staticmethod
    def _xdg(variable: str, default: str) -> Path:
        value = os.environ.get(variable, "")
        return Path(value) if os.path.isabs(value) else Path.home() / default

    @property
    def data_home(self) -> Path:
        return self._xdg("XDG_DATA_HOME", ".local/share")

    @property
    def config_home(self) -> Path:
        return self._xdg("XDG_CONFIG_HOME", ".config")

    @property
    def applications_dir(self) -> Path:
        return self.data_home / "applications"

    @property
    def desktop_file(self) -> Path:
        return self.applications_dir / DESKTOP_ID

    @property
    def old_desktop_file(self) -> Path:
        return self.applications_dir / OLD_DESKTOP_ID

    @property
    def service_file(self) -> Path:
        return self.data_home / "dbus-1" / "services" / SERVICE_ID

    @property
    def icon_file(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "apps" / "companion.svg"

    @property
    def _replaced_file(self) -> Path:
        return self.data_home / "companion" / _REPLACED_FILE

    def _mimeapps_files(self) -> list[Path]:
        """The user's mimeapps.list files that may name Companion (existing ones)."""
        names = ["mimeapps.list"]
        desktops = os.environ.get("XDG_CURRENT_DESKTOP", "")
        names += [f"{d.lower()}-mimeapps.list" for d in desktops.split(":") if d]
        candidates = [self.config_home / name for name in names]
        candidates.append(self.applications_dir / "mimeapps.list")  # the old place
        return [path for path in candidates if path.is_file()]

    # -- install, uninstall -------------------------------------------------------------

    def install(self) -> str:
        xdg_mime = _tool("xdg-mime", "xdg-utils")
        command = self._command or companion_command()
        self._remember_replaced()
        self.applications_dir.mkdir(parents=True, exist_ok=True)
        self.service_file.parent.mkdir(parents=True, exist_ok=True)
        # The service file first: with the entry's DBusActivatable and no service, GLib
        # would send a link to a name nothing can own.
        _write_atomic(self.service_file, service_file(command))
        _write_atomic(self.desktop_file, desktop_entry(desktop_exec(command, "%u")))
        migrated = self._migrate_old_entry()
        icon_note = self._install_icon()
        _run([xdg_mime, "default", DESKTOP_ID, *MIME_TYPES])
        notes = [self._update_database(), icon_note]
        taken = [s for s in self.status() if not s.is_companion]
        lines = [
            f"Installed {self.desktop_file} and {self.service_file} (both run "
            f"{shlex.join(command)}) and made it the handler for {_schemes_text(SCHEMES)} "
            f"links in {self.config_home / 'mimeapps.list'}."
        ]
        if migrated:
            lines.append(
                f"Moved the links of the old entry {OLD_DESKTOP_ID} to {DESKTOP_ID}"
                f" (in {_paths(migrated)})."
            )
        lines += [note for note in notes if note]
        for s in taken:
            lines.append(f"{s.scheme}: still handled by {s.owner}. {s.hint}")
        return "\n".join(lines)

    def _migrate_old_entry(self) -> list[Path]:
        """Move every mimeapps.list entry naming ``companion.desktop`` to the new id and
        remove the old desktop entry; the files changed."""
        changed = []
        for path in self._mimeapps_files():
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            new = rename_in_mimeapps(text, OLD_DESKTOP_ID, DESKTOP_ID)
            if new != text:
                _write_atomic(path, new, keep_mode_of=path)
                changed.append(path)
        self.old_desktop_file.unlink(missing_ok=True)
        return changed

    def uninstall(self) -> str:
        replaced = self._load_replaced()
        changed: list[Path] = []
        restored: dict[str, str] = {}
        main_list = self.config_home / "mimeapps.list"
        for path in self._mimeapps_files():
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            new = remove_from_mimeapps(text, OLD_DESKTOP_ID, {})
            new = remove_from_mimeapps(new, DESKTOP_ID, replaced if path == main_list else {})
            if new != text:
                _write_atomic(path, new, keep_mode_of=path)
                changed.append(path)
            if path == main_list:
                before, after = _defaults(text), _defaults(new)
                restored = {m: v for m, v in replaced.items() if after.get(m) == v != before.get(m)}
        removed = [
            f for f in (self.desktop_file, self.service_file, self.old_desktop_file) if f.exists()
        ]
        had_file = bool(removed)
        for path in removed:
            path.unlink(missing_ok=True)
        self.icon_file.unlink(missing_ok=True)
        self._replaced_file.unlink(missing_ok=True)
        note = self._update_database() if had_file else ""
        if not had_file and not changed:
            return "Companion was not registered as a link handler; nothing to undo."
        lines = []
        if had_file:
            lines.append(f"Removed {_paths(removed)}.")
        if changed:
            lines.append("Removed Companion's link associations from " + _paths(changed) + ".")
        if restored:
            lines.append(
                "Restored the previous handlers: "
                + ", ".join(f"{k.split('/')[-1]} -> {v}" for k, v in restored.items())
                + "."
            )
        if note:
            lines.append(note)
        return "\n".join(lines)

    # -- status -------------------------------------------------------------------------

    def status(self) -> list[SchemeStatus]:
        xdg_mime = _tool("xdg-mime", "xdg-utils")
        result = []
        for scheme, mime in zip(SCHEMES, MIME_TYPES, strict=True):
            owner_id = _run([xdg_mime, "query", "default", mime]).strip()
            result.append(self._scheme_status(scheme, owner_id))
        return result

    def _scheme_status(self, scheme: str, owner_id: str) -> SchemeStatus:
        set_it = (  # the same for each scheme: `url-handler-status` says it once
            f"To make Companion the handler, run: companion install-url-handler "
            f"(or: xdg-mime default {DESKTOP_ID} {' '.join(MIME_TYPES)})."
        )
        if not owner_id:
            return SchemeStatus(scheme, "nobody", False, set_it)
        if owner_id == OLD_DESKTOP_ID:
            return SchemeStatus(
                scheme,
                f"{APP_NAME}'s old entry ({OLD_DESKTOP_ID})",
                True,
                f"run companion install-url-handler to move it to {DESKTOP_ID} "
                "(links then reach the running app over D-Bus).",
            )
        if owner_id != DESKTOP_ID:
            return SchemeStatus(scheme, self._describe(owner_id), False, set_it)
        entry = self._find_desktop_file(DESKTOP_ID) or self.desktop_file
        service = self._find_service_file()
        owner = f"{APP_NAME} ({entry}; D-Bus service {service or 'missing'})"
        missing = self._missing_program(entry)
        if missing:
            hint = f"but its command {missing} is gone; run companion install-url-handler again."
            return SchemeStatus(scheme, owner, True, hint)
        if service is None:
            hint = (
                f"but its D-Bus service file {self.service_file} is missing, so a link "
                "opened while Companion is not running is lost; run companion "
                "install-url-handler again."
            )
            return SchemeStatus(scheme, owner, True, hint)
        return SchemeStatus(scheme, owner, True)

    def _find_service_file(self) -> Path | None:
        """The D-Bus service file the session bus would find (its own search path)."""
        for root in self._data_roots():
            candidate = root / "dbus-1" / "services" / SERVICE_ID
            if candidate.is_file():
                return candidate
        return None

    def _data_roots(self) -> list[Path]:
        data_dirs = os.environ.get("XDG_DATA_DIRS", "") or "/usr/local/share:/usr/share"
        return [self.data_home] + [Path(d) for d in data_dirs.split(":") if os.path.isabs(d)]

    def _describe(self, desktop_id: str) -> str:
        name = ""
        path = self._find_desktop_file(desktop_id)
        if path is not None:
            name = _entry_value(path, "Name")
        return f"{name} ({desktop_id})" if name else desktop_id

    def _find_desktop_file(self, desktop_id: str) -> Path | None:
        roots = self._data_roots()
        relative = [desktop_id]
        if "-" in desktop_id:  # vendor-app.desktop may live in applications/vendor/app.desktop
            vendor, _, rest = desktop_id.partition("-")
            relative.append(f"{vendor}/{rest}")
        for root in roots:
            for rel in relative:
                candidate = root / "applications" / rel
                if candidate.is_file():
                    return candidate
        return None

    def _missing_program(self, entry: Path) -> str:
        """The program the desktop entry runs, if it does not exist any more."""
        exec_value = _entry_value(entry, "Exec") if entry.exists() else ""
        try:
            program = parse_desktop_exec(exec_value)[0]
        except (ValueError, IndexError):
            return ""
        if os.path.isabs(program):
            return "" if os.access(program, os.X_OK) else program
        return "" if shutil.which(program) else program

    # -- helpers ------------------------------------------------------------------------

    def _remember_replaced(self) -> None:
        """Keep the user's own defaults that install is about to replace."""
        main_list = self.config_home / "mimeapps.list"
        if not main_list.is_file():
            return
        current = _defaults(main_list.read_text(encoding="utf-8", errors="replace"))
        replaced = self._load_replaced()
        for mime in MIME_TYPES:
            value = current.get(mime, "")
            ours = (DESKTOP_ID, OLD_DESKTOP_ID)
            if value and not any(v.strip() in ours for v in value.split(";")):
                replaced[mime] = value
        if replaced:
            self._replaced_file.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(self._replaced_file, json.dumps(replaced, indent=2) + "\n")

    def _load_replaced(self) -> dict[str, str]:
        try:
            data = json.loads(self._replaced_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): v
            for k, v in data.items()
            if k in MIME_TYPES and isinstance(v, str) and "\n" not in v
        }

    def _install_icon(self) -> str:
        source = _icon_source()
        if source is None:
            return ""
        try:
            self.icon_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.icon_file)
        except OSError as exc:
            return f"Could not install the icon ({exc.strerror or exc}); links work anyway."
        return ""

    def _update_database(self) -> str:
        tool = shutil.which("update-desktop-database")
        if tool is None:
            return (
                "update-desktop-database is not installed (package desktop-file-utils): "
                "menus may list the change only after the next login; links work anyway."
            )
        _run([tool, str(self.applications_dir)])
        return ""


def _icon_source() -> Path | None:
    package = Path(__file__).resolve().parents[1]
    for candidate in (
        package / "_resources" / "icons" / "companion.svg",  # installed wheel
        package.parent / "resources" / "icons" / "companion.svg",  # source checkout
    ):
        if candidate.is_file():
            return candidate
    return None


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise UrlHandlerError(
            f"{name} is not installed; install the package {package} "
            f"(e.g. sudo apt install {package}) and try again"
        )
    return path


def _run(argv: list[str]) -> str:
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=_TOOL_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise UrlHandlerError(
            f"{Path(argv[0]).name} did not finish within {_TOOL_TIMEOUT} s"
        ) from exc
    except OSError as exc:
        raise UrlHandlerError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
        reason = detail[-1] if detail else f"exit code {done.returncode}"
        raise UrlHandlerError(f"{Path(argv[0]).name} {' '.join(argv[1:2])} failed: {reason}")
    return done.stdout


def _write_atomic(path: Path, text: str, keep_mode_of: Path | None = None) -> None:
    mode = 0o644
    if keep_mode_of is not None:
        mode = keep_mode_of.stat().st_mode & 0o777
    temporary = path.with_name(f".{path.name}.companion-tmp")
    try:
        with open(temporary, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UrlHandlerError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _entry_value(path: Path, key: str) -> str:
    """``key``'s value in the ``[Desktop Entry]`` group of a desktop file ("" if none)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    group = ""
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            group = stripped
        elif group == "[Desktop Entry]" and stripped.startswith(key):
            name, _, value = stripped.partition("=")
            if name.strip() == key:
                return value.strip()
    return ""


def _schemes_text(schemes: tuple[str, ...]) -> str:
    return ", ".join(f"{s}:" for s in schemes)


def _paths(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)

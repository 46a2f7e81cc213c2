"""URL handler: Linux with the real xdg-mime and desktop database in isolated XDG dirs;
the Windows registry entries and the macOS plist data on their content."""

from __future__ import annotations

import argparse
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from companion.desktop import commands, url_handler
from companion.desktop.launch import desktop_exec, parse_desktop_exec, windows_command_line
from companion.desktop.registry import MemoryRegistry, RegistryValue
from companion.desktop.url_handler import SCHEMES, SchemeStatus, UrlHandlerError
from companion.desktop.url_handler_linux import (
    APP_ID,
    DESKTOP_ID,
    OLD_DESKTOP_ID,
    LinuxUrlHandler,
    desktop_entry,
    remove_from_mimeapps,
    rename_in_mimeapps,
    service_file,
)
from companion.desktop.url_handler_macos import (
    BUNDLE_ID,
    LAUNCH_SERVICES_PLIST,
    MacUrlHandler,
    info_plist_url_types,
)
from companion.desktop.url_handler_windows import (
    PROGID,
    SETTINGS_URI,
    WindowsUrlHandler,
    registration,
    user_choice_key,
)
from companion.output import UserError

REPO = Path(__file__).resolve().parents[2]
PACKAGED = REPO / "packaging" / "linux" / "net.companion.Companion.desktop"
PACKAGED_SERVICE = REPO / "packaging" / "linux" / "net.companion.Companion.service"
NEEDS_XDG_UTILS = pytest.mark.skipif(
    shutil.which("xdg-mime") is None or shutil.which("update-desktop-database") is None,
    reason="needs xdg-utils and desktop-file-utils (apt-get install xdg-utils desktop-file-utils)",
)
NEEDS_VALIDATOR = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="needs desktop-file-utils (apt-get install desktop-file-utils)",
)

# The user's own choices before Companion comes: must survive install + uninstall.
USER_MIMEAPPS = (
    "# my associations\n"
    "[Default Applications]\n"
    "text/html=firefox.desktop\n"
    "x-scheme-handler/sip=linphone.desktop\n"
    "\n"
    "[Added Associations]\n"
    "x-scheme-handler/tel=linphone.desktop;\n"
    "\n"
    "[Removed Associations]\n"
    "x-scheme-handler/callto=skype.desktop;\n"
)
LINPHONE = (
    "[Desktop Entry]\nType=Application\nName=Linphone\nExec=sh %u\n"
    "MimeType=x-scheme-handler/sip;x-scheme-handler/tel;\n"
)


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Isolated XDG directories; no desktop environment, so xdg-mime works generically."""
    dirs = {name: tmp_path / name for name in ("data", "config", "sysdata", "sysconfig")}
    for path in dirs.values():
        path.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    monkeypatch.setenv("XDG_DATA_DIRS", str(dirs["sysdata"]))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(dirs["sysconfig"]))
    for variable in (
        "XDG_CURRENT_DESKTOP",
        "DESKTOP_SESSION",
        "KDE_FULL_SESSION",
        "KDE_SESSION_VERSION",
        "GNOME_DESKTOP_SESSION_ID",
        "MATE_DESKTOP_SESSION_ID",
    ):
        monkeypatch.delenv(variable, raising=False)
    return dirs


def _query(mime: str) -> str:
    done = subprocess.run(
        ["xdg-mime", "query", "default", mime], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)


# -- the packaged desktop entry -------------------------------------------------------------


def test_packaged_desktop_entry_is_the_one_install_writes() -> None:
    text = PACKAGED.read_text(encoding="utf-8")
    assert text == desktop_entry("companion %u")
    assert "Exec=companion %u\n" in text
    assert (
        "MimeType=x-scheme-handler/tel;x-scheme-handler/callto;"
        "x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/companion;\n"
    ) in text
    assert "Icon=companion\n" in text
    assert "Categories=Network;Telephony;Office;\n" in text
    assert "DBusActivatable=true\n" in text
    assert PACKAGED_SERVICE.read_text(encoding="utf-8") == service_file(["/usr/bin/companion"])


def test_the_app_id_is_a_bus_name_the_desktop_file_is_named_after() -> None:
    from companion.desktop import dbus_application

    # GLib takes an entry's app id from its file name only if g_dbus_is_name() holds:
    # dot-separated elements of [A-Za-z0-9_-], none starting with a digit, 255 at most.
    assert APP_ID == dbus_application.APP_ID == PACKAGED.name.removesuffix(".desktop")
    assert PACKAGED.name == DESKTOP_ID
    elements = APP_ID.split(".")
    assert len(elements) >= 2 and len(APP_ID) <= 255
    for element in elements:
        assert element and not element[0].isdigit()
        assert all(c.isascii() and (c.isalnum() or c in "_-") for c in element)
    assert dbus_application.OBJECT_PATH == "/net/companion/Companion"


@NEEDS_VALIDATOR
def test_desktop_file_validate_accepts_the_packaged_entry() -> None:
    done = _validate(PACKAGED)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in (done.stdout + done.stderr).lower()


# -- Linux, for real ------------------------------------------------------------------------


@NEEDS_XDG_UTILS
def test_install_status_uninstall_with_the_real_tools(xdg: dict[str, Path]) -> None:
    applications = xdg["data"] / "applications"
    applications.mkdir()
    (applications / "linphone.desktop").write_text(LINPHONE, encoding="utf-8")
    mimeapps = xdg["config"] / "mimeapps.list"
    mimeapps.write_text(USER_MIMEAPPS, encoding="utf-8")
    assert _query("x-scheme-handler/sip") == "linphone.desktop"

    message = url_handler.install()

    for scheme in SCHEMES:
        assert _query(f"x-scheme-handler/{scheme}") == DESKTOP_ID
    installed = applications / DESKTOP_ID
    text = installed.read_text(encoding="utf-8")
    assert f"Exec={desktop_exec([sys.executable, '-m', 'companion'], '%u')}\n" in text
    assert text == desktop_entry(desktop_exec([sys.executable, "-m", "companion"], "%u"))
    cache = (applications / "mimeinfo.cache").read_text()
    assert f"{DESKTOP_ID};" in next(x for x in cache.splitlines() if "x-scheme-handler/tel=" in x)
    assert str(installed) in message
    assert (xdg["data"] / "icons/hicolor/scalable/apps/companion.svg").is_file()
    service = xdg["data"] / "dbus-1" / "services" / f"{APP_ID}.service"
    assert service.read_text() == service_file([sys.executable, "-m", "companion"])
    assert str(service) in message
    if shutil.which("desktop-file-validate"):
        assert _validate(installed).returncode == 0
    statuses = url_handler.status()
    assert [s.scheme for s in statuses] == list(SCHEMES)
    assert all(s.is_companion and not s.hint for s in statuses), statuses
    assert statuses[0].owner == f"Companion ({installed}; D-Bus service {service})"

    message = url_handler.uninstall()

    assert mimeapps.read_text(encoding="utf-8") == USER_MIMEAPPS  # byte for byte
    assert _query("x-scheme-handler/sip") == "linphone.desktop"  # the replaced default
    assert _query("x-scheme-handler/tel") != DESKTOP_ID
    assert not installed.exists() and not service.exists()
    assert DESKTOP_ID not in (applications / "mimeinfo.cache").read_text()
    assert not (xdg["data"] / "icons/hicolor/scalable/apps/companion.svg").exists()
    assert "sip -> linphone.desktop" in message
    after = url_handler.status()
    assert not any(s.is_companion for s in after)
    sip = after[SCHEMES.index("sip")]
    assert sip.owner == "Linphone (linphone.desktop)"
    assert "companion install-url-handler" in sip.hint

    assert "nothing to undo" in url_handler.uninstall()
    assert mimeapps.read_text(encoding="utf-8") == USER_MIMEAPPS


@NEEDS_XDG_UTILS
def test_a_command_path_with_spaces_and_a_vanished_command(
    xdg: dict[str, Path], tmp_path: Path
) -> None:
    program = tmp_path / "my apps" / "compan$ion"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    LinuxUrlHandler(command=[str(program)]).install()

    installed = xdg["data"] / "applications" / DESKTOP_ID
    assert 'Exec="' + str(program).replace("$", "\\\\$") + '" %u\n' in installed.read_text()
    if shutil.which("desktop-file-validate"):
        assert _validate(installed).returncode == 0
    assert _query("x-scheme-handler/tel") == DESKTOP_ID
    assert all(s.is_companion and not s.hint for s in url_handler.status())

    program.unlink()  # e.g. the virtualenv was deleted
    statuses = url_handler.status()
    broken = [s for s in statuses if s.is_companion and "is gone" in s.hint]
    assert broken, statuses
    assert str(program) in broken[0].hint


def test_without_xdg_mime_a_clear_message_and_nothing_written(
    xdg: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for action in (url_handler.install, url_handler.status):
        with pytest.raises(UrlHandlerError, match=r"xdg-mime is not installed.*xdg-utils"):
            action()
    assert not (xdg["data"] / "applications" / DESKTOP_ID).exists()
    with pytest.raises(UserError) as caught:
        commands.install_url_handler(argparse.Namespace())
    assert "\n" not in str(caught.value)


def test_mimeapps_edit_takes_out_only_companion() -> None:
    text = (
        "# keep me\r\n"
        "[Default Applications]\r\n"
        "x-scheme-handler/tel=companion.desktop;other.desktop;\r\n"
        "x-scheme-handler/sip=companion.desktop\r\n"
        "x-scheme-handler/callto=companion.desktop;\r\n"
        "text/plain=companion.desktop.bak\r\n"
        "\r\n"
        "[Added Associations]\r\n"
        "x-scheme-handler/sips=a.desktop;companion.desktop;b.desktop;\r\n"
        "[Removed Associations]\r\n"
        "x-scheme-handler/tel=companion.desktop;\r\n"
    )
    result = remove_from_mimeapps(
        text, OLD_DESKTOP_ID, {"x-scheme-handler/sip": "linphone.desktop"}
    )
    assert result == (
        "# keep me\r\n"
        "[Default Applications]\r\n"
        "x-scheme-handler/tel=other.desktop;\r\n"
        "x-scheme-handler/sip=linphone.desktop\r\n"
        "text/plain=companion.desktop.bak\r\n"
        "\r\n"
        "[Added Associations]\r\n"
        "x-scheme-handler/sips=a.desktop;b.desktop;\r\n"
        "[Removed Associations]\r\n"
        "x-scheme-handler/tel=companion.desktop;\r\n"
    )
    assert remove_from_mimeapps(result, OLD_DESKTOP_ID, {}) == result


@NEEDS_XDG_UTILS
def test_status_command_prints_and_exits_by_the_result(
    xdg: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert commands.url_handler_status(argparse.Namespace(json=False)) == 0  # it could tell
    out = capsys.readouterr().out
    assert "--  tel:        nobody" in out
    assert out.count("companion install-url-handler") == 1

    assert commands.install_url_handler(argparse.Namespace()) == 0
    assert "made it the handler" in capsys.readouterr().out
    assert commands.url_handler_status(argparse.Namespace(json=True)) == 0
    out = capsys.readouterr().out
    assert '"is_companion": true' in out and '"is_companion": false' not in out
    assert commands.uninstall_url_handler(argparse.Namespace()) == 0
    assert "Removed" in capsys.readouterr().out


# -- Windows: the registry entries as data, applied to an in-memory registry ------------------

EXE = r"C:\Users\Jo Doe\AppData\Local\Programs\Companion\companion.exe"
CMD = f'"{EXE}" "%1"'
ICON = f'"{EXE}",0'


def test_windows_registration_entries() -> None:
    values = registration([EXE])
    tel = [v for v in values if v.key.startswith(r"Software\Classes\tel")]
    assert tel == [
        RegistryValue(r"Software\Classes\tel", "", "URL:tel"),
        RegistryValue(r"Software\Classes\tel", "URL Protocol", ""),
        RegistryValue(r"Software\Classes\tel\DefaultIcon", "", ICON),
        RegistryValue(r"Software\Classes\tel\shell\open\command", "", CMD),
    ]
    for scheme in SCHEMES:
        assert RegistryValue(rf"Software\Classes\{scheme}", "", f"URL:{scheme}") in values
        assert RegistryValue(rf"Software\Classes\{scheme}\shell\open\command", "", CMD) in values
        assert (
            RegistryValue(r"Software\Companion\Capabilities\URLAssociations", scheme, PROGID)
            in values
        )
    assert RegistryValue(r"Software\Classes\Companion.URL\shell\open\command", "", CMD) in values
    assert RegistryValue(r"Software\Classes\Companion.URL", "URL Protocol", "") in values
    assert (
        RegistryValue(r"Software\Companion\Capabilities", "ApplicationName", "Companion") in values
    )
    assert any(v.name == "ApplicationDescription" and v.data for v in values)
    assert (
        RegistryValue(
            r"Software\RegisteredApplications", "Companion", r"Software\Companion\Capabilities"
        )
        in values
    )
    assert len(values) == len(set(values)) == len(SCHEMES) * 4 + 4 + 2 + len(SCHEMES) + 1
    python = registration([r"C:\Python311\pythonw.exe", "-m", "companion"])
    assert python[3].data == r'"C:\Python311\pythonw.exe" "-m" "companion" "%1"'
    assert windows_command_line([EXE], "%1") == CMD


def _foreign_registry() -> MemoryRegistry:
    """A user registry with other programs' entries Companion must leave alone."""
    registry = MemoryRegistry()
    registry.set(r"Software\Classes\sip", "", "URL:sip")
    registry.set(r"Software\Classes\sip", "URL Protocol", "")
    registry.set(r"Software\Classes\sip\shell\open\command", "", r'"C:\Zoiper\zoiper.exe" "%1"')
    registry.set(r"Software\RegisteredApplications", "Zoiper", r"Software\Zoiper\Capabilities")
    registry.set(r"Software\Classes\.txt", "", "txtfile")
    return registry


def test_windows_install_then_uninstall_leaves_the_registry_as_it_was() -> None:
    registry = _foreign_registry()
    before = registry.values()
    handler = WindowsUrlHandler(registry, command=[EXE])

    message = handler.install()

    written = registry.values() - before
    expected = {
        v for v in registration([EXE]) if not (v.key + "\\").startswith("Software\\Classes\\sip\\")
    }
    assert written == expected
    # another program's sip: is left alone, Capabilities still offer Companion for it
    assert registry.get(r"Software\Classes\sip\shell\open\command", "") == (
        r'"C:\Zoiper\zoiper.exe" "%1"'
    )
    assert registry.get(r"Software\Companion\Capabilities\URLAssociations", "sip") == PROGID
    assert SETTINGS_URI == "ms-settings:defaultapps?registeredAppUser=Companion"
    assert SETTINGS_URI in message and "sip:" in message

    handler.uninstall()

    assert registry.values() == before
    assert set(registry.keys) == set(_foreign_registry().keys)  # no empty keys left


def test_windows_reinstall_after_the_app_moved_and_uninstall() -> None:
    registry = MemoryRegistry()
    WindowsUrlHandler(registry, command=[r"C:\old\companion.exe"]).install()
    moved = WindowsUrlHandler(registry, command=[EXE])
    moved.install()
    assert registry.get(r"Software\Classes\tel\shell\open\command", "") == CMD
    assert registry.values() == set(registration([EXE]))
    moved.uninstall()
    assert registry.values() == frozenset()
    assert set(registry.keys) <= {
        "Software",
        r"Software\Classes",
        r"Software\RegisteredApplications",
    }
    assert "nothing to undo" in moved.uninstall()


def test_windows_status_reads_the_users_choice() -> None:
    registry = MemoryRegistry()
    handler = WindowsUrlHandler(registry, command=[EXE])
    handler.install()
    registry.set(user_choice_key("tel"), "ProgId", PROGID)
    registry.set(user_choice_key("sip"), "ProgId", "Zoiper.sip")
    assert user_choice_key("tel") == (
        r"Software\Microsoft\Windows\Shell\Associations\UrlAssociations\tel\UserChoice"
    )
    statuses = {s.scheme: s for s in handler.status()}
    assert statuses["tel"] == SchemeStatus("tel", "Companion (Companion.URL)", True)
    assert statuses["sip"].owner == "Zoiper.sip" and not statuses["sip"].is_companion
    assert SETTINGS_URI in statuses["sip"].hint
    assert statuses["callto"].owner == "no choice made" and SETTINGS_URI in statuses["callto"].hint


# -- macOS: the bundle's URL types and the recorded choices ------------------------------------


def test_macos_info_plist_url_types() -> None:
    types = info_plist_url_types()
    assert types == [
        {
            "CFBundleURLName": "net.companion.phone-link",
            "CFBundleURLSchemes": ["tel", "callto", "sip", "sips", "companion"],
            "CFBundleTypeRole": "Viewer",
        }
    ]
    # it survives the trip through a real Info.plist
    info = {"CFBundleIdentifier": BUNDLE_ID, "CFBundleURLTypes": types}
    assert plistlib.loads(plistlib.dumps(info))["CFBundleURLTypes"] == types


def test_macos_status_from_launch_services_preferences(tmp_path: Path) -> None:
    handler = MacUrlHandler(home=tmp_path)
    assert not any(s.is_companion for s in handler.status())  # no preferences file yet
    path = tmp_path / LAUNCH_SERVICES_PLIST
    path.parent.mkdir(parents=True)
    handlers = [
        {"LSHandlerURLScheme": "tel", "LSHandlerRoleAll": "com.apple.facetime"},
        {"LSHandlerURLScheme": "sip", "LSHandlerRoleAll": BUNDLE_ID.lower()},
        {"LSHandlerContentType": "public.html", "LSHandlerRoleAll": "org.mozilla.firefox"},
    ]
    path.write_bytes(plistlib.dumps({"LSHandlers": handlers}, fmt=plistlib.FMT_BINARY))
    statuses = {s.scheme: s for s in handler.status()}
    assert statuses["sip"].is_companion and not statuses["sip"].hint
    assert statuses["tel"].owner == "com.apple.facetime" and not statuses["tel"].is_companion
    assert "Default for calls" in statuses["tel"].hint
    assert "duti -s net.companion.Companion callto" in statuses["callto"].hint
    assert "url-handler-status" in handler.install()


def test_the_installed_desktop_file_is_world_readable_only(xdg: dict[str, Path]) -> None:
    if shutil.which("xdg-mime") is None:
        pytest.skip("needs xdg-utils")
    LinuxUrlHandler(command=[sys.executable, "-m", "companion"]).install()
    mode = stat.S_IMODE(os.stat(xdg["data"] / "applications" / DESKTOP_ID).st_mode)
    assert mode == 0o644


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/companion"],
        ["/opt/my apps/python3", "-m", "companion"],
        ['/odd/"quoted"/$HOME/back\\slash/100%/`tick`/companion'],
        ["/home/jo/.local/bin/companion;rm"],
    ],
)
def test_exec_quoting_round_trips(command: list[str]) -> None:
    value = desktop_exec(command, "%u")
    assert value.endswith(" %u")
    assert parse_desktop_exec(value) == [*command, "%u"]
    with pytest.raises(ValueError):
        desktop_exec(["/bad\nname"])


OLD_MIMEAPPS = (
    "[Default Applications]\n"
    "x-scheme-handler/tel=companion.desktop\n"
    "x-scheme-handler/sip=companion.desktop;linphone.desktop;\n"
    "text/html=firefox.desktop\n"
    "\n"
    "[Added Associations]\n"
    "x-scheme-handler/callto=companion.desktop;net.companion.Companion.desktop;\n"
)


@NEEDS_XDG_UTILS
def test_install_migrates_the_old_companion_desktop(xdg: dict[str, Path]) -> None:
    applications = xdg["data"] / "applications"
    applications.mkdir()
    old = applications / OLD_DESKTOP_ID
    old.write_text(desktop_entry("companion %u").replace("DBusActivatable=true\n", ""))
    (applications / "linphone.desktop").write_text(LINPHONE, encoding="utf-8")
    mimeapps = xdg["config"] / "mimeapps.list"
    mimeapps.write_text(OLD_MIMEAPPS, encoding="utf-8")
    assert _query("x-scheme-handler/tel") == OLD_DESKTOP_ID
    old_status = url_handler.status()[0]
    assert "old entry" in old_status.owner and "install-url-handler" in old_status.hint

    message = LinuxUrlHandler(command=[sys.executable, "-m", "companion"]).install()

    assert not old.exists()
    assert f"Moved the links of the old entry {OLD_DESKTOP_ID}" in message
    text = mimeapps.read_text(encoding="utf-8")
    assert OLD_DESKTOP_ID + "\n" not in text and "=companion.desktop" not in text
    assert "x-scheme-handler/sip=net.companion.Companion.desktop" in text  # xdg-mime's default
    assert "x-scheme-handler/callto=net.companion.Companion.desktop;\n" in text  # once
    assert "text/html=firefox.desktop\n" in text
    for scheme in SCHEMES:
        assert _query(f"x-scheme-handler/{scheme}") == DESKTOP_ID
    assert all(s.is_companion and not s.hint for s in url_handler.status())
    # the old id was Companion's own: uninstall does not "restore" it
    url_handler.uninstall()
    after = mimeapps.read_text(encoding="utf-8")
    assert "companion" not in after.lower()
    assert "text/html=firefox.desktop\n" in after


@NEEDS_XDG_UTILS
def test_status_says_when_the_service_file_is_missing(xdg: dict[str, Path]) -> None:
    handler = LinuxUrlHandler(command=[sys.executable, "-m", "companion"])
    handler.install()
    handler.service_file.unlink()
    statuses = url_handler.status()
    assert all(s.is_companion for s in statuses)
    assert all("D-Bus service file" in s.hint and "missing" in s.hint for s in statuses)


def test_mimeapps_rename_keeps_everything_else() -> None:
    text = OLD_MIMEAPPS + "[Removed Associations]\r\nx-scheme-handler/tel=companion.desktop;\r\n"
    renamed = rename_in_mimeapps(text, OLD_DESKTOP_ID, DESKTOP_ID)
    assert renamed.endswith("[Removed Associations]\r\nx-scheme-handler/tel=companion.desktop;\r\n")
    assert "x-scheme-handler/tel=net.companion.Companion.desktop\n" in renamed
    assert rename_in_mimeapps(renamed, OLD_DESKTOP_ID, DESKTOP_ID) == renamed

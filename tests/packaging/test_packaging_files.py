"""The packaging files on their content: they run everywhere, no build needed.

Linux: the desktop entry and the AppStream metainfo pass the real validators (skipped
when a validator is not installed), the hicolor icons are the sizes they claim, the
screenshots exist. Windows: the Inno Setup script writes exactly the registry values the
app itself writes (url_handler_windows.registration, autostart.run_value) and removes
them on uninstall. macOS: Info.plist declares the URL schemes and LSUIElement. The
version everywhere is companion.__version__.
"""

from __future__ import annotations

import ast
import configparser
import plistlib
import re
import xml.etree.ElementTree as ET

import pytest

from companion import __version__
from companion.desktop.autostart import run_value
from companion.desktop.registry import RegistryValue
from companion.desktop.url_handler import SCHEMES
from companion.desktop.url_handler_macos import BUNDLE_ID, info_plist_url_types
from companion.desktop.url_handler_windows import registration
from tests.packaging.support import (
    DESKTOP_FILE,
    FLATPAK_MANIFEST,
    HICOLOR,
    ICNS,
    ICO,
    INFO_PLIST,
    ISS,
    METAINFO,
    ROOT,
    SCREENSHOTS,
    SPEC,
    icns_entries,
    ico_entries,
    iss_define,
    iss_parameters,
    iss_registry,
    iss_sections,
    png_size,
    validate_desktop_file,
    validate_metainfo,
)

APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (16, 22, 24, 32, 48)
TRAY_VARIANTS = ("companion-tray-light", "companion-tray-dark")
APP_DIR = r"C:\Users\someone\AppData\Local\Programs\Companion"
EXE = APP_DIR + r"\companion.exe"


# -- Linux ----------------------------------------------------------------------------


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_desktop_file_validates() -> None:
    validate_desktop_file(required=False)


def test_metainfo_validates() -> None:
    validate_metainfo(required=False)


def test_metainfo_names_the_desktop_file_and_the_command() -> None:
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "net.companion.Companion"
    assert METAINFO.name == f"{root.findtext('id')}.metainfo.xml"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == "companion"
    assert desktop_entry()["Exec"].split()[0] == "companion"
    provided = {m.text for m in root.findall("provides/mediatype")}
    declared = {m for m in desktop_entry()["MimeType"].split(";") if m}
    assert provided == {f"x-scheme-handler/{s}" for s in SCHEMES} == declared


def test_metainfo_release_is_the_version() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == __version__, (
        f"the newest <release> in {METAINFO.name} says {releases[0].get('version')}, "
        f"companion/__init__.py says {__version__}: add a <release> for it"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_metainfo_screenshots_are_the_files_in_the_repo() -> None:
    screenshots = metainfo().findall("screenshots/screenshot")
    assert len(screenshots) >= 2
    assert [s.get("type") for s in screenshots].count("default") == 1
    for screenshot in screenshots:
        image = screenshot.find("image")
        assert image is not None and image.text is not None
        assert image.text.startswith("https://"), "AppStream wants https screenshot URLs"
        assert screenshot.findtext("caption")
        local = SCREENSHOTS / image.text.rsplit("/", 1)[1]
        assert local.is_file(), f"{image.text} has no file in packaging/screenshots"
        width, height = png_size(local.read_bytes())
        assert (image.get("width"), image.get("height")) == (str(width), str(height))


def test_desktop_file_icon_is_installed_in_every_size() -> None:
    assert desktop_entry()["Icon"] == "companion"
    for size in APP_SIZES:
        path = HICOLOR / f"{size}x{size}" / "apps" / "companion.png"
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"
        assert png_size(path.read_bytes()) == (size, size), path
    scalable = HICOLOR / "scalable" / "apps" / "companion.svg"
    source = ROOT / "resources" / "icons" / "companion.svg"
    assert scalable.read_bytes() == source.read_bytes(), (
        "the scalable icon differs from resources/icons: run python3 packaging/make_icons.py"
    )


@pytest.mark.parametrize("variant", TRAY_VARIANTS)
def test_tray_variants(variant: str) -> None:
    svg = HICOLOR / "scalable" / "status" / f"{variant}.svg"
    assert svg.read_bytes() == (ROOT / "resources" / "icons" / f"{variant}.svg").read_bytes()
    for size in TRAY_SIZES:
        path = HICOLOR / f"{size}x{size}" / "status" / f"{variant}.png"
        assert png_size(path.read_bytes()) == (size, size), path


def test_no_stray_icons() -> None:
    """Every file under hicolor/ is one the tests above know (no forgotten old sizes)."""
    expected = {f"{s}x{s}/apps/companion.png" for s in APP_SIZES}
    expected |= {f"{s}x{s}/status/{v}.png" for s in TRAY_SIZES for v in TRAY_VARIANTS}
    expected |= {"scalable/apps/companion.svg"}
    expected |= {f"scalable/status/{v}.svg" for v in TRAY_VARIANTS}
    found = {p.relative_to(HICOLOR).as_posix() for p in HICOLOR.rglob("*") if p.is_file()}
    assert found == expected


def flatpak_manifest() -> str:
    return FLATPAK_MANIFEST.read_text(encoding="utf-8")


def test_flatpak_manifest() -> None:
    text = flatpak_manifest()
    top = dict(
        (m.group(1), m.group(2).strip().strip("'\""))
        for m in re.finditer(r"^([a-z-]+):[ \t]*(\S.*)?$", text, re.MULTILINE)
        if m.group(2)
    )
    assert top["id"] == metainfo().findtext("id")
    assert top["command"] == "companion"
    # D-Bus activation: the entry is named after the app id already, and the service
    # file that starts the app for a link is installed beside it
    assert DESKTOP_FILE.name == top["id"] + ".desktop" and "rename-desktop-file" not in top
    assert desktop_entry()["DBusActivatable"] == "true"
    assert "/app/share/dbus-1/services/net.companion.Companion.service" in text
    assert top["rename-icon"] == desktop_entry()["Icon"]
    args = set(re.findall(r"^\s+- (--[\w=.*-]+)", text, re.MULTILINE))
    assert {"--socket=wayland", "--socket=fallback-x11", "--share=network"} <= args
    # the tray as KDE / AppIndicator panels show it: the item registers with the watcher
    # under its connection's unique name (tests/desktop/test_tray_sni.py), so talking to
    # the watcher is all it needs, no --own-name
    assert "--talk-name=org.kde.StatusNotifierWatcher" in args
    assert not any(a.startswith("--own-name") for a in args)
    # no broad permissions: home or host files, the whole session bus
    assert not any(a.startswith(("--filesystem", "--socket=session-bus")) for a in args)
    # the metainfo and the icons it installs exist
    installed = re.findall(r"install -Dm644 (packaging/\S+)", text)
    assert len(installed) >= 4
    for path in installed:
        sizes = APP_SIZES if "${size}" in path else ("",)
        for size in sizes:
            assert (ROOT / path.replace("${size}", str(size))).is_file(), path


# -- Windows --------------------------------------------------------------------------


def iss_text() -> str:
    return ISS.read_text(encoding="utf-8")


def iss_values() -> dict[RegistryValue, object]:
    entries = iss_registry(iss_text(), {"app": APP_DIR})
    for entry in entries:
        assert entry.root == "HKCU", f"{entry.subkey}: per-user installs write HKCU only"
    return {
        RegistryValue(e.subkey, e.value_name, e.value_data): e
        for e in entries
        if e.value_type == "string"
    }


def test_iss_registry_is_what_the_app_writes() -> None:
    expected = {*registration([EXE]), run_value([EXE])}
    assert set(iss_values()) == expected


def test_iss_registry_value_types() -> None:
    entries = iss_registry(iss_text(), {"app": APP_DIR})
    assert {e.value_type for e in entries} <= {"string", "none"}
    assert len(iss_values()) == sum(e.value_type == "string" for e in entries), "duplicates"


def test_iss_scheme_entries_are_checked_per_scheme() -> None:
    """A scheme another program registered for this user is left alone, as the app does."""
    for value, entry in iss_values().items():
        parts = value.key.split("\\")
        if parts[:2] == ["Software", "Classes"] and parts[2] in SCHEMES:
            assert entry.check == f"RegisterScheme('{parts[2]}')", value  # type: ignore[attr-defined]
        else:
            assert entry.check == "", value  # type: ignore[attr-defined]


def test_iss_autostart_only_with_the_task() -> None:
    run = run_value([EXE])
    for value, entry in iss_values().items():
        assert (entry.tasks == "autostart") == (value == run), value  # type: ignore[attr-defined]
    tasks = [iss_parameters(line)["Name"] for line in iss_sections(iss_text())["Tasks"]]
    assert "autostart" in tasks


def test_iss_uninstall_removes_everything() -> None:
    """Each value written lies in a key deleted on uninstall, or is deleted itself."""
    entries = iss_registry(iss_text(), {"app": APP_DIR})
    deleted_keys = [e.subkey.casefold() for e in entries if "uninsdeletekey" in e.flags]
    deleted_values = {
        (e.subkey.casefold(), e.value_name.casefold())
        for e in entries
        if "uninsdeletevalue" in e.flags
    }
    shared = {r"software\classes", r"software", r"software\registeredapplications"}
    assert not shared & set(deleted_keys), "uninstall must not delete shared keys"
    assert r"software\microsoft\windows\currentversion\run" not in deleted_keys
    for value in iss_values():
        key = value.key.casefold()
        in_deleted_key = any(key == k or key.startswith(k + "\\") for k in deleted_keys)
        assert in_deleted_key or (key, value.name.casefold()) in deleted_values, value


def test_iss_per_user_setup_and_version() -> None:
    setup = dict(line.split("=", 1) for line in iss_sections(iss_text())["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"].startswith(("{userpf}", "{localappdata}"))
    assert setup["ChangesAssociations"] == "yes"
    assert iss_define(iss_text(), "AppVersion") == __version__, (
        f"packaging/windows/companion.iss: #define AppVersion must be {__version__}"
    )
    files = [iss_parameters(line) for line in iss_sections(iss_text())["Files"]]
    assert any(f["Source"].startswith("..\\..\\dist\\companion\\") for f in files)
    assert (ISS.parent / setup["SetupIconFile"]).is_file()


def test_iss_code_checks_the_schemes_it_registers() -> None:
    code = iss_text().split("[Code]", 1)[1]
    for scheme in SCHEMES:
        assert f"SchemeIsOursOrFree('{scheme}')" in code
        assert f"RemoveSchemeIfOurs('{scheme}')" in code


def test_ico_holds_the_windows_sizes() -> None:
    entries = ico_entries(ICO.read_bytes())
    sizes = sorted(w for w, _, _ in entries)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    for width, height, data in entries:
        assert png_size(data) == (width, height)


# -- macOS ----------------------------------------------------------------------------


def info_plist() -> dict[str, object]:
    with open(INFO_PLIST, "rb") as f:
        return plistlib.load(f)  # type: ignore[no-any-return]


def test_info_plist_url_schemes() -> None:
    plist = info_plist()
    assert plist["CFBundleURLTypes"] == info_plist_url_types()
    schemes = {s for t in plist["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]}  # type: ignore[attr-defined]
    assert schemes == {"tel", "callto", "sip", "sips", "companion"}


def test_info_plist_menu_bar_app() -> None:
    plist = info_plist()
    assert plist["LSUIElement"] is True  # no Dock icon: lives in the menu bar
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleIdentifier"] == BUNDLE_ID
    assert plist["CFBundlePackageType"] == "APPL"
    assert plist["CFBundleExecutable"] == "companion"
    assert (INFO_PLIST.parent / str(plist["CFBundleIconFile"])).is_file()


def test_info_plist_version() -> None:
    plist = info_plist()
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["CFBundleVersion"] == __version__


def test_icns_holds_png_sizes() -> None:
    sizes = {"icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256, "ic09": 512}
    sizes["ic10"] = 1024
    entries = icns_entries(ICNS.read_bytes())
    assert set(entries) == set(sizes)
    for kind, data in entries.items():
        assert png_size(data) == (sizes[kind], sizes[kind]), kind


# -- PyInstaller spec -----------------------------------------------------------------


def test_spec_is_python_and_reads_the_version() -> None:
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert __version__ not in text, "the spec must read the version, not repeat it"
    assert '"companion" / "__init__.py"' in text
    assert "info_plist_url_types()" in text
    assert 'Path("companion", "_resources"' in text  # where the code looks in a bundle

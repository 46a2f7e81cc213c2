"""companion.config: the settings file, its keys and their checks."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import sys
import tomllib
from pathlib import Path

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import config
from companion.config import (
    KEYS,
    ConfigError,
    Settings,
    get_value,
    load,
    normalise_pbx_url,
    save,
    set_value,
)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(home))
    return home


def configured() -> Settings:
    return Settings(
        pbx_url="https://pbx.example.com/acme",
        rest_user="moby",
        user="jdoe",
        region="DE",
        ca_file="",
        poll_interval=60,
        confirm_links=False,
        hotkey_dial_selection="Ctrl+Shift+D",
        hotkey_open_dial="",
        language="de",
        start_at_login=True,
        call_popups=False,
        call_popups_external_only=True,
        crm_url="https://crm.example.com/search?phone={e164}&name={name}",
        crm_open_on_answer=True,
        live_interval=5,
    )


def corrupt_files(home: Path) -> list[Path]:
    return sorted(home.glob("settings.toml.corrupt-*"))


# ------------------------------------------------------------------------------- paths


def test_config_dir_from_environment(config_home: Path) -> None:
    assert config.config_dir() == config_home
    assert config.settings_path() == config_home / "settings.toml"


def test_config_dir_default_is_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPANION_CONFIG_DIR")
    assert config.config_dir() == Path(platformdirs.user_config_dir("companion"))


def test_config_dir_expands_the_home_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", "~/companion-test")
    assert config.config_dir() == Path.home() / "companion-test"


# ------------------------------------------------------------------------ load and save


def test_missing_file_gives_defaults_and_creates_nothing(config_home: Path) -> None:
    loaded = load()
    assert loaded.settings == Settings()
    assert loaded.warning is None
    assert not config_home.exists()


def test_defaults() -> None:
    defaults = Settings()
    assert defaults.rest_user == "moby"
    assert defaults.poll_interval == 30
    assert defaults.confirm_links is True
    assert defaults.hotkey_dial_selection == "Ctrl+Alt+D"
    assert defaults.hotkey_open_dial == "Ctrl+Alt+F"
    assert defaults.start_at_login is False
    assert defaults.call_popups is True
    assert defaults.call_popups_external_only is False
    assert defaults.crm_url == ""
    assert defaults.crm_open_on_answer is False
    assert defaults.live_interval == 2


def test_round_trip(config_home: Path) -> None:
    save(configured())
    loaded = load()
    assert loaded.settings == configured()
    assert loaded.warning is None


def test_file_layout(config_home: Path) -> None:
    save(configured())
    data = tomllib.loads((config_home / "settings.toml").read_text("utf-8"))
    assert data == {
        "pbx": {
            "kind": "pascom",
            "url": "https://pbx.example.com/acme",
            "rest_user": "moby",
            "user": "jdoe",
            "ca_file": "",
            "app": "companion",
            "login": "user",
        },
        "dialing": {"region": "DE", "confirm_links": False},
        "poll": {"interval": 60},
        "calls": {
            "popups": False,
            "popups_external_only": True,
            "crm_url": "https://crm.example.com/search?phone={e164}&name={name}",
            "crm_open_on_answer": True,
            "live_interval": 5,
        },
        "hotkeys": {"dial_selection": "Ctrl+Shift+D", "open_dial": ""},
        "directory": {"sync_interval": 4},
        "ui": {"language": "de", "start_at_login": True},
    }


def test_strings_are_escaped(config_home: Path) -> None:
    tricky = 'j"doe\\x \' \u00e9\u4e2d\U0001f600 """ \\n'
    saved = dataclasses.replace(configured(), user=tricky, ca_file="C:\\certs\\pbx ca.pem")
    save(saved)
    assert load().settings == saved
    data = tomllib.loads((config_home / "settings.toml").read_text("utf-8"))
    assert data["pbx"]["user"] == tricky


def test_control_characters_are_refused_not_written(config_home: Path) -> None:
    with pytest.raises(ConfigError, match=r"pbx\.user"):
        save(dataclasses.replace(configured(), user="a\nb"))
    assert not (config_home / "settings.toml").exists()


PRINTABLE = st.text(
    st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp", "Zs", "Cf", "Co", "Cn"]),
    max_size=30,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    user=PRINTABLE,
    ca_file=PRINTABLE,
    poll_interval=st.integers(5, 86_400),
    confirm_links=st.booleans(),
    start_at_login=st.booleans(),
    region=st.sampled_from(["", "DE", "AT", "US"]),
)
def test_round_trip_property(
    config_home: Path,
    user: str,
    ca_file: str,
    poll_interval: int,
    confirm_links: bool,
    start_at_login: bool,
    region: str,
) -> None:
    saved = Settings(
        user=user,
        ca_file=ca_file,
        poll_interval=poll_interval,
        confirm_links=confirm_links,
        start_at_login=start_at_login,
        region=region,
    )
    save(saved)
    assert load() == config.Loaded(saved, None)


def test_save_is_atomic_and_leaves_no_temporary_file(config_home: Path) -> None:
    save(Settings())
    save(configured())
    assert sorted(p.name for p in config_home.iterdir()) == ["settings.toml"]


def test_failed_save_keeps_the_old_file(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save(configured())
    before = (config_home / "settings.toml").read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ConfigError, match="Could not save the settings"):
        save(Settings())
    assert (config_home / "settings.toml").read_bytes() == before
    assert sorted(p.name for p in config_home.iterdir()) == ["settings.toml"]


def test_save_refuses_invalid_settings(config_home: Path) -> None:
    save(configured())
    before = (config_home / "settings.toml").read_bytes()
    for bad in (
        dataclasses.replace(configured(), poll_interval=1),
        dataclasses.replace(configured(), poll_interval="30"),  # type: ignore[arg-type]
        dataclasses.replace(configured(), confirm_links=1),  # type: ignore[arg-type]
        dataclasses.replace(configured(), region="XX"),
        dataclasses.replace(configured(), pbx_url="ftp://pbx"),
        dataclasses.replace(configured(), rest_user=""),
    ):
        with pytest.raises(ConfigError):
            save(bad)
    assert (config_home / "settings.toml").read_bytes() == before


def test_save_normalises(config_home: Path) -> None:
    save(dataclasses.replace(configured(), pbx_url="https://PBX.example.com/acme/services/"))
    assert load().settings.pbx_url == "https://pbx.example.com/acme"


@POSIX
def test_file_is_private(config_home: Path) -> None:
    save(configured())
    assert stat.S_IMODE((config_home / "settings.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE(config_home.stat().st_mode) == 0o700


@POSIX
def test_existing_file_with_loose_mode_becomes_private(config_home: Path) -> None:
    config_home.mkdir()
    path = config_home / "settings.toml"
    path.write_text("[pbx]\n")
    path.chmod(0o644)
    save(configured())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_creates_nested_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path / "a" / "b" / "c"))
    save(configured())
    assert load().settings == configured()


def test_unknown_keys_are_ignored(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "settings.toml").write_text(
        '[pbx]\nurl = "https://pbx.example.com/acme"\nfuture_option = [1, 2]\n'
        '[future]\nthing = "x"\n[poll]\ninterval = 45\n'
    )
    loaded = load()
    assert loaded.warning is None
    assert loaded.settings == Settings(pbx_url="https://pbx.example.com/acme", poll_interval=45)
    assert corrupt_files(config_home) == []


def test_partial_file_fills_in_defaults(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "settings.toml").write_text('[dialing]\nregion = "at"\n')
    assert load() == config.Loaded(Settings(region="AT"), None)


def test_hand_edited_url_is_normalised(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "settings.toml").write_text('[pbx]\nurl = " https://PBX.example.com/x/ "\n')
    assert load().settings.pbx_url == "https://pbx.example.com/x"


# ------------------------------------------------------------------------- corrupt file

CORRUPT_NAME = re.compile(r"settings\.toml\.corrupt-\d{8}-\d{6}(-\d+)?")


@pytest.mark.parametrize(
    "content",
    [
        b"this is not toml",
        b"[pbx\nurl = 'x'",
        b'[pbx]\nurl = "unterminated\n',
        b"\xff\xfe\x00garbage",
        b"[poll]\ninterval = 1\n[poll]\ninterval = 2\n",
    ],
)
def test_corrupt_file_is_moved_aside(config_home: Path, content: bytes) -> None:
    config_home.mkdir()
    (config_home / "settings.toml").write_bytes(content)
    loaded = load()
    assert loaded.settings == Settings()
    [moved] = corrupt_files(config_home)
    assert CORRUPT_NAME.fullmatch(moved.name)
    assert moved.read_bytes() == content  # never deleted, never changed
    assert not (config_home / "settings.toml").exists()
    assert loaded.warning is not None
    assert str(moved) in loaded.warning
    assert "\n" not in loaded.warning
    # the next start is clean
    assert load() == config.Loaded(Settings(), None)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('[poll]\ninterval = "thirty"\n', "poll.interval must be a whole number"),
        ("[poll]\ninterval = true\n", "poll.interval must be a whole number"),
        ("[poll]\ninterval = 1.5\n", "poll.interval must be a whole number"),
        ("[poll]\ninterval = 2\n", "poll.interval must be between 5 and"),
        ('[dialing]\nconfirm_links = "yes"\n', "dialing.confirm_links must be true or false"),
        ("[pbx]\nurl = 42\n", "pbx.url must be text"),
        ('[pbx]\nurl = "ftp://pbx"\n', "https://"),
        ('[pbx]\nrest_user = ""\n', "pbx.rest_user must not be empty"),
        ('[dialing]\nregion = "Germany"\n', "dialing.region"),
        ('[hotkeys]\nopen_dial = "Hyper+X"\n', "hotkeys.open_dial"),
        ('[ui]\nlanguage = "German!"\n', "ui.language"),
        ("[calls]\nlive_interval = 60\n", "calls.live_interval must be between 1 and 30"),
        ('[calls]\ncrm_url = "crm.example.com"\n', "calls.crm_url: The CRM link must be"),
        ('[calls]\npopups = "no"\n', "calls.popups must be true or false"),
        ('pbx = "not a section"\n', "[pbx] is not a section"),
    ],
)
def test_wrong_values_move_the_file_aside(config_home: Path, content: str, words: str) -> None:
    config_home.mkdir()
    if "[ui]" in content:
        good, kept = (
            '[hotkeys]\nopen_dial = "Ctrl+Alt+X"\n',
            Settings(hotkey_open_dial="Ctrl+Alt+X"),
        )
    else:
        good, kept = "[ui]\nstart_at_login = true\n", Settings(start_at_login=True)
    (config_home / "settings.toml").write_text(content + good)
    loaded = load()
    [moved] = corrupt_files(config_home)
    assert loaded.warning is not None
    assert words in loaded.warning
    assert str(moved) in loaded.warning
    assert "the other settings were kept" in loaded.warning
    # the values that were fine are kept, the wrong one has its default
    assert loaded.settings == kept


def test_unreadable_file_is_moved_aside(config_home: Path) -> None:
    (config_home / "settings.toml").mkdir(parents=True)  # reading a directory fails
    loaded = load()
    assert loaded.settings == Settings()
    assert loaded.warning is not None
    assert "could not be read" in loaded.warning
    [moved] = corrupt_files(config_home)
    assert moved.is_dir()


def test_two_corrupt_files_in_one_second_get_two_names(config_home: Path) -> None:
    config_home.mkdir()
    for content in ("first", "second", "third"):
        (config_home / "settings.toml").write_text(content)
        assert load().warning is not None
    moved = corrupt_files(config_home)
    assert sorted(p.read_text() for p in moved) == ["first", "second", "third"]


def test_corrupt_file_that_cannot_be_moved_is_an_error(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_home.mkdir()
    (config_home / "settings.toml").write_text("not toml")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(ConfigError, match="could not be moved aside"):
        load()
    assert (config_home / "settings.toml").read_text() == "not toml"


# -------------------------------------------------------------------------------- keys


def test_keys() -> None:
    assert set(KEYS) == {
        "pbx.kind",
        "pbx.app",
        "pbx.login",
        "pbx.url",
        "pbx.rest_user",
        "pbx.user",
        "pbx.ca_file",
        "dialing.region",
        "dialing.confirm_links",
        "poll.interval",
        "hotkeys.dial_selection",
        "hotkeys.open_dial",
        "directory.sync_interval",
        "ui.language",
        "ui.start_at_login",
        "calls.popups",
        "calls.popups_external_only",
        "calls.crm_url",
        "calls.crm_open_on_answer",
        "calls.live_interval",
    }
    fields = {field.name for field in dataclasses.fields(Settings)}
    # the favourites are a list kept by the dial window, not a `companion config` key
    assert {key.attribute for key in KEYS.values()} == fields - {"favourites"}


def test_kind_is_pascom_innovaphone_or_relay() -> None:
    assert Settings().kind == "pascom"
    assert set_value(Settings(), "pbx.kind", " Relay ").kind == "relay"
    with pytest.raises(ConfigError, match=r"pbx\.kind must be one of pascom, innovaphone, relay"):
        set_value(Settings(), "pbx.kind", "asterisk")


def test_get_value() -> None:
    current = configured()
    assert get_value(current, "pbx.url") == "https://pbx.example.com/acme"
    assert get_value(current, "poll.interval") == "60"
    assert get_value(current, "dialing.confirm_links") == "false"
    assert get_value(current, "ui.start_at_login") == "true"
    assert get_value(current, "hotkeys.open_dial") == ""
    assert get_value(current, "calls.popups") == "false"
    assert get_value(current, "calls.live_interval") == "5"
    assert get_value(current, "calls.crm_url") == (
        "https://crm.example.com/search?phone={e164}&name={name}"
    )


def test_unknown_key_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as info:
        get_value(Settings(), "pbx.password")
    assert "pbx.password" in str(info.value)
    assert all(key in str(info.value) for key in KEYS)
    with pytest.raises(ConfigError):
        set_value(Settings(), "nonsense", "1")


@pytest.mark.parametrize(
    ("key", "value", "attribute", "expected"),
    [
        ("pbx.url", "https://PBX.example.com/acme/services/", "pbx_url", "https://pbx.example.com/acme"),
        ("pbx.url", "", "pbx_url", ""),
        ("pbx.rest_user", " admin ", "rest_user", "admin"),
        ("pbx.user", "jdoe", "user", "jdoe"),
        ("pbx.ca_file", "", "ca_file", ""),
        ("dialing.region", "de", "region", "DE"),
        ("dialing.region", "", "region", ""),
        ("dialing.confirm_links", "no", "confirm_links", False),
        ("dialing.confirm_links", "Yes", "confirm_links", True),
        ("ui.start_at_login", "on", "start_at_login", True),
        ("ui.start_at_login", "OFF", "start_at_login", False),
        ("ui.start_at_login", "1", "start_at_login", True),
        ("ui.start_at_login", "0", "start_at_login", False),
        ("ui.start_at_login", "true", "start_at_login", True),
        ("ui.start_at_login", " false ", "start_at_login", False),
        ("poll.interval", "5", "poll_interval", 5),
        ("poll.interval", " 120 ", "poll_interval", 120),
        ("hotkeys.dial_selection", "Ctrl+Shift+F12", "hotkey_dial_selection", "Ctrl+Shift+F12"),
        ("hotkeys.dial_selection", "Meta+Alt+Space", "hotkey_dial_selection", "Meta+Alt+Space"),
        ("hotkeys.dial_selection", "Ctrl++", "hotkey_dial_selection", "Ctrl++"),
        ("hotkeys.open_dial", "", "hotkey_open_dial", ""),
        ("ui.language", "pt_BR", "language", "pt_BR"),
        ("ui.language", "", "language", ""),
        ("DIALING.REGION", "at", "region", "AT"),
        ("calls.popups", "off", "call_popups", False),
        ("calls.popups_external_only", "yes", "call_popups_external_only", True),
        ("calls.crm_open_on_answer", "on", "crm_open_on_answer", True),
        ("calls.crm_url", " https://crm.example.com/?q={number} ", "crm_url", "https://crm.example.com/?q={number}"),
        ("calls.crm_url", "", "crm_url", ""),
        ("calls.crm_url", "  ", "crm_url", ""),
        ("calls.live_interval", "1", "live_interval", 1),
        ("calls.live_interval", "30", "live_interval", 30),
    ],
)  # fmt: skip
def test_set_value(key: str, value: str, attribute: str, expected: object) -> None:
    original = Settings()
    changed = set_value(original, key, value)
    assert getattr(changed, attribute) == expected
    assert original == Settings()  # a copy, the original is untouched


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("dialing.confirm_links", "maybe", "true or false"),
        ("ui.start_at_login", "", "true or false"),
        ("poll.interval", "thirty", "whole number"),
        ("poll.interval", "4", "between 5 and"),
        ("poll.interval", "0", "between 5 and"),
        ("poll.interval", "-30", "between 5 and"),
        ("poll.interval", "1e3", "whole number"),
        ("poll.interval", "999999", "between 5 and"),
        ("pbx.url", "pbx.example.com", "https://"),
        ("pbx.url", "ftp://pbx.example.com", "https://"),
        ("pbx.url", "https://", "https://"),
        ("pbx.url", "https://pbx example.com", "spaces"),
        ("pbx.url", "https://moby:secret@pbx.example.com", "password"),
        ("pbx.url", "https://pbx.example.com/x?y=1", "'?' or '#'"),
        ("pbx.url", "https://pbx.example.com:99999", "not a valid URL"),
        ("pbx.url", "https://pbx_example!.com", "invalid host"),
        ("pbx.rest_user", "", "must not be empty"),
        ("pbx.rest_user", "mo:by", "':'"),
        ("pbx.user", "a\tb", "control characters"),
        ("dialing.region", "XX", "two-letter country code"),
        ("dialing.region", "Germany", "two-letter country code"),
        ("hotkeys.dial_selection", "Hyper+D", "Ctrl+Alt+D"),
        ("hotkeys.dial_selection", "Ctrl+", "Ctrl+Alt+D"),
        ("ui.language", "Deutsch", "language code"),
        ("pbx.ca_file", "/nonexistent/ca.pem", "cannot read"),
        ("calls.popups", "sometimes", "true or false"),
        ("calls.live_interval", "0", "between 1 and 30"),
        ("calls.live_interval", "31", "between 1 and 30"),
        ("calls.live_interval", "2s", "whole number"),
        ("calls.crm_url", "ftp://crm.example.com/{number}", "https://"),
        ("calls.crm_url", "https://crm.example.com/?q={phone}", "unknown placeholder {phone}"),
        ("calls.crm_url", "https://{name}.example.com/", "after the host"),
    ],
)
def test_set_value_rejects(key: str, value: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        set_value(Settings(), key, value)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_url_errors_never_show_a_password() -> None:
    for url in ("https://moby:hunter2@pbx:99999/x", "https://moby:hunter2@[::1/x", "hunter2@x"):
        with pytest.raises(ConfigError) as info:
            normalise_pbx_url(url)
        assert "hunter2" not in str(info.value)


def test_ca_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pem = tmp_path / "pbx-ca.pem"
    pem.write_text(PEM)
    monkeypatch.chdir(tmp_path)
    assert set_value(Settings(), "pbx.ca_file", "pbx-ca.pem").ca_file == str(pem.resolve())
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("hello")
    with pytest.raises(ConfigError, match="not a PEM certificate"):
        set_value(Settings(), "pbx.ca_file", str(not_pem))
    with pytest.raises(ConfigError, match="cannot read"):
        set_value(Settings(), "pbx.ca_file", str(tmp_path))


def test_a_missing_ca_file_does_not_make_the_settings_corrupt(config_home: Path) -> None:
    save(dataclasses.replace(configured(), ca_file="/gone/ca.pem"))
    assert load() == config.Loaded(dataclasses.replace(configured(), ca_file="/gone/ca.pem"))


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://pbx.example.com/acme", "https://pbx.example.com/acme"),
        ("  https://pbx.example.com/acme/  ", "https://pbx.example.com/acme"),
        ("https://pbx.example.com/acme/services", "https://pbx.example.com/acme"),
        ("https://pbx.example.com/acme/services/", "https://pbx.example.com/acme"),
        ("https://pbx.example.com/acme/SERVICES", "https://pbx.example.com/acme"),
        ("https://pbx.example.com/acme//", "https://pbx.example.com/acme"),
        ("HTTPS://PBX.Example.COM/Acme", "https://pbx.example.com/Acme"),
        ("https://pbx.example.com", "https://pbx.example.com"),
        ("https://pbx.example.com/", "https://pbx.example.com"),
        ("https://pbx.example.com:443/acme", "https://pbx.example.com/acme"),
        ("http://pbx.example.com:80/acme", "http://pbx.example.com/acme"),
        ("https://pbx.example.com:8443/acme", "https://pbx.example.com:8443/acme"),
        ("http://127.0.0.1:8080/demo", "http://127.0.0.1:8080/demo"),
        ("https://[::1]:8443/acme", "https://[::1]:8443/acme"),
        ("https://[2001:DB8::1]/acme", "https://[2001:db8::1]/acme"),
        ("https://bücher.example/acme", "https://xn--bcher-kva.example/acme"),
        ("https://pbx.example.com/a/b", "https://pbx.example.com/a/b"),
    ],
)
def test_normalise_pbx_url(url: str, normalised: str) -> None:
    assert normalise_pbx_url(url) == normalised
    assert normalise_pbx_url(normalised) == normalised


def test_the_regions_written_out_are_those_phonenumbers_knows() -> None:
    import phonenumbers

    assert config.REGIONS == phonenumbers.SUPPORTED_REGIONS


def test_the_pbx_kind_and_the_innovaphone_login_are_checked(config_home: Path) -> None:
    settings = set_value(Settings(), "pbx.kind", "Innovaphone")
    settings = set_value(settings, "pbx.url", "wss://PBX.example.com/PBX0/")
    settings = set_value(settings, "pbx.login", "app")
    assert (settings.kind, settings.pbx_url, settings.login) == (
        "innovaphone",
        "wss://pbx.example.com/PBX0",
        "app",
    )
    with pytest.raises(ConfigError, match="pascom, innovaphone"):
        set_value(settings, "pbx.kind", "asterisk")
    with pytest.raises(ConfigError, match="'user'"):
        set_value(settings, "pbx.login", "password")
    save(settings)
    assert load().settings == settings

"""Reading only regular files of a sensible size, and where a download is saved."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from companion import config, files
from companion.files import TooBig, UnusableFile
from companion.sent_faxes import SentFaxMemory


def finishes(work: Callable[[], Any], seconds: float = 10.0) -> Any:
    """`work()`'s result; fails the test (instead of hanging it) if it blocks."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{work} blocked for {seconds} s"
    if failure:
        raise failure[0]
    return result[0]


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(config.ENV_CONFIG_DIR, str(tmp_path))
    return tmp_path / config.FILE_NAME


def test_settings_that_are_a_fifo_do_not_hang(settings_file: Path) -> None:
    os.mkfifo(settings_file)
    loaded = finishes(config.load)
    assert loaded.settings == config.Settings()
    assert loaded.warning and "named pipe (FIFO), not a regular file" in loaded.warning
    assert not settings_file.exists()  # moved aside, as any unusable settings file is


def test_settings_linked_to_dev_zero_are_not_read(settings_file: Path) -> None:
    settings_file.symlink_to("/dev/zero")
    loaded = finishes(config.load)
    assert loaded.warning and "a device, not a regular file" in loaded.warning


def test_settings_over_the_limit_are_not_read(settings_file: Path) -> None:
    settings_file.write_bytes(b"#" * (config.SETTINGS_LIMIT + 1))
    loaded = config.load()
    assert loaded.warning and "more than the 1.0 MB Companion reads" in loaded.warning


def test_good_settings_still_load(settings_file: Path) -> None:
    config.save(config.Settings(region="AT"))
    assert config.load() == config.Loaded(config.Settings(region="AT"))


def test_ca_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "ca.pem"
    os.mkfifo(fifo)
    with pytest.raises(config.ConfigError, match="named pipe"):
        finishes(lambda: config.set_value(config.Settings(), "pbx.ca_file", str(fifo)))


def test_sent_fax_list_that_is_a_fifo_or_device_is_ignored(tmp_path: Path) -> None:
    fifo = tmp_path / "sent-faxes.json"
    os.mkfifo(fifo)
    assert finishes(lambda: SentFaxMemory("pbx user", fifo).ids()) == frozenset()
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")
    assert finishes(lambda: SentFaxMemory("pbx user", device).ids()) == frozenset()


def test_read_regular_refuses_a_file_that_is_too_big(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"x" * 11)
    assert files.read_regular(path, 11) == b"x" * 11
    with pytest.raises(TooBig) as info:
        files.read_regular(path, 10)
    assert info.value.size == 11 and str(info.value).startswith(f"{path}: the file is")


def test_simulator_data_that_is_a_fifo_is_an_iojson_error(tmp_path: Path) -> None:
    from companion.simulator import IoJsonError
    from companion.simulator.pascom.iojson import load_iojson

    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    with pytest.raises(IoJsonError, match="named pipe"):
        finishes(lambda: load_iojson(fifo))


def test_save_target(tmp_path: Path) -> None:
    assert files.save_target(tmp_path, "fax1.pdf") == tmp_path / "fax1.pdf"
    assert files.save_target(tmp_path / "mine.pdf", "fax1.pdf") == tmp_path / "mine.pdf"
    with pytest.raises(UnusableFile, match=r"there is no directory .*missing"):
        files.save_target(tmp_path / "missing" / "x.pdf", "fax1.pdf")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnusableFile, match="neither a directory nor a file name"):
        files.save_target(fifo, "fax1.pdf")

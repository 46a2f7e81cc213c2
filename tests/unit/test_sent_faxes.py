"""The memory of faxes sent from this computer: per PBX and user, atomic, owner-only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from companion.sent_faxes import FILE_NAME, KEEP, SentFaxMemory


def test_ids_survive_a_restart_per_account(tmp_path: Path) -> None:
    path = tmp_path / "state" / FILE_NAME
    first = SentFaxMemory("https://pbx/a mmuster", path)
    first.remember("13")
    first.remember("13")
    SentFaxMemory("https://pbx/a tsander", path).remember("14")
    assert SentFaxMemory("https://pbx/a mmuster", path).ids() == {"13"}
    assert SentFaxMemory("https://pbx/a tsander", path).ids() == {"14"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [FILE_NAME]  # no temp file left


def test_the_oldest_ids_are_forgotten_first(tmp_path: Path) -> None:
    memory = SentFaxMemory("x", tmp_path / FILE_NAME)
    for number in range(KEEP + 3):
        memory.remember(str(number))
    assert len(memory.ids()) == KEEP and "0" not in memory.ids() and str(KEEP + 2) in memory.ids()


def test_a_broken_or_unwritable_file_never_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / FILE_NAME
    path.write_text("{not json")
    memory = SentFaxMemory("x", path)
    assert memory.ids() == frozenset()
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    stuck = SentFaxMemory("x", blocked / FILE_NAME)
    stuck.remember("7")  # cannot be saved: kept for this run, a warning logged
    assert stuck.ids() == {"7"}
    assert "Cannot save the sent-fax list" in caplog.text


def test_the_state_dir_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_STATE_DIR", str(tmp_path / "s"))
    SentFaxMemory.in_state_dir("x").remember("9")
    assert (tmp_path / "s" / FILE_NAME).exists()

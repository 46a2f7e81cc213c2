"""The forwarding target kept for 'redirect on': per PBX and user, in one private file."""

from __future__ import annotations

from pathlib import Path

from companion.forward_memory import ForwardMemory


def test_the_target_survives_a_new_run_and_other_accounts_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "state" / "forward-targets.json"
    mine = ForwardMemory("wss://pbx/PBX0 jdoe", path)
    assert mine.target == ""
    mine.remember("0301234")
    ForwardMemory("wss://pbx/PBX0 anna", path).remember("102")
    mine.remember("")  # switching off keeps the last target
    assert ForwardMemory("wss://pbx/PBX0 jdoe", path).target == "0301234"
    assert ForwardMemory("wss://pbx/PBX0 anna", path).target == "102"
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_an_unreadable_file_means_no_target(tmp_path: Path) -> None:
    path = tmp_path / "forward-targets.json"
    path.write_text("not json")
    assert ForwardMemory("x", path).target == ""
    assert ForwardMemory("x").target == ""  # in memory only

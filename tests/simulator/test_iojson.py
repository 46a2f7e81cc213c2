"""The IO-JSON reader: syntax errors with line/column, structural errors with a path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from companion.simulator import IoJsonError, Simulator, load_iojson, parse_iojson
from companion.simulator.server import default_data_path
from companion.simulator.state import PbxState


def user(name: str = "jdoe", **extra: Any) -> dict[str, Any]:
    return {"003use_name": name, "003use_bez": name.title(), **extra}


def build(doc: dict[str, Any], tmp_path: Path) -> PbxState:
    return PbxState.from_iojson(parse_iojson(json.dumps(doc)), base_dir=tmp_path)


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "identity": [\n    {"003use_name": "a" "003use_bez": "A"}\n  ]\n}\n')
    with pytest.raises(IoJsonError) as info:
        load_iojson(path)
    err = info.value
    assert (err.line, err.column) == (3, 25)
    assert str(err).startswith(f"{path}: line 3, column 25: ")
    assert "delimiter" in str(err)


def test_trailing_comma_is_a_syntax_error_with_position() -> None:
    with pytest.raises(IoJsonError) as info:
        parse_iojson('{"identity": [],\n}')
    # the comma (Python >= 3.13) or the brace after it (older) is reported
    assert (info.value.line, info.value.column) in ((1, 16), (2, 1))


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(
        IoJsonError, match="top level must be an object of plugin arrays, not an array"
    ):
        parse_iojson("[]")


def test_plugin_must_hold_an_array() -> None:
    with pytest.raises(IoJsonError, match=r"^<string>: identity: must be an array, not an object$"):
        parse_iojson('{"identity": {}}')


def test_array_items_must_be_objects() -> None:
    doc = {"identity": [user(), "jdoe"]}
    with pytest.raises(IoJsonError, match=r": identity\[1\]: must be an object, not a string$"):
        parse_iojson(json.dumps(doc))


def test_post_must_be_an_object_of_arrays() -> None:
    doc = {"identity": [user(post=[])]}
    with pytest.raises(
        IoJsonError, match=r"identity\[0\]\.post: must be an object of plugin arrays"
    ):
        parse_iojson(json.dumps(doc))
    doc = {"identity": [user(post={"phonebook": {"028pho_bez": "x"}})]}
    with pytest.raises(IoJsonError, match=r"identity\[0\]\.post\.phonebook: must be an array"):
        parse_iojson(json.dumps(doc))


def test_nested_error_path_points_into_post() -> None:
    ok = user("a", post={"phonebook": [{"028pho_bez": "Doe John"}]})
    bad = user("c", post={"phonebook": [{"028pho_mobile": 171555}]})
    doc = {"identity": [ok, user("b"), bad]}
    with pytest.raises(IoJsonError) as info:
        parse_iojson(json.dumps(doc), source="demo.json")
    assert info.value.path == "identity[2].post.phonebook[0]"
    assert str(info.value).startswith(
        "demo.json: identity[2].post.phonebook[0]: needs at least one"
    )


def test_wrong_field_type_names_the_field() -> None:
    doc = {"identity": [user(**{"003use_id": "7"})]}
    with pytest.raises(IoJsonError) as info:
        parse_iojson(json.dumps(doc))
    assert info.value.path == "identity[0].003use_id"
    assert str(info.value).endswith("must be an integer, not a string")


def test_boolean_is_not_an_integer() -> None:
    doc = {"identity": [user(**{"003use_id": True})]}
    with pytest.raises(IoJsonError, match="must be an integer, not a boolean"):
        parse_iojson(json.dumps(doc))


def test_required_field_missing() -> None:
    doc = {"identity": [{"003use_bez": "John Doe"}]}
    with pytest.raises(
        IoJsonError, match=r"identity\[0\]: required field '003use_name' is missing"
    ):
        parse_iojson(json.dumps(doc))


def test_required_field_must_not_be_empty() -> None:
    doc = {"identity": [user(""), user("b")]}
    with pytest.raises(IoJsonError, match=r"identity\[0\]\.003use_name: must not be empty"):
        parse_iojson(json.dumps(doc))


def test_unknown_plugin_is_refused_but_real_unsimulated_plugins_are_skipped() -> None:
    with pytest.raises(IoJsonError, match=r"^<string>: telefonbuch: unknown IO plugin"):
        parse_iojson('{"telefonbuch": []}')
    doc = parse_iojson('{"trunk": [{"022tru_bez": "SIP"}], "identity": []}')
    assert doc["trunk"] == [{"022tru_bez": "SIP"}]


def test_plugin_in_the_wrong_place() -> None:
    doc = {"identity": [user(post={"cdr": []})]}
    with pytest.raises(IoJsonError, match=r"identity\[0\]\.post\.cdr: plugin 'cdr' is not allowed"):
        parse_iojson(json.dumps(doc))
    with pytest.raises(
        IoJsonError, match=r"^<string>: faxdevice: plugin 'faxdevice' is not allowed"
    ):
        parse_iojson('{"faxdevice": []}')


def test_missing_file_is_an_iojson_error(tmp_path: Path) -> None:
    with pytest.raises(IoJsonError, match="cannot read file"):
        load_iojson(tmp_path / "nope.json")


def test_not_utf8_is_an_iojson_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"identity": [{"003use_name": "jürgen"}]}'.encode("latin-1"))
    with pytest.raises(IoJsonError, match="not UTF-8"):
        load_iojson(path)


def test_cross_reference_errors_carry_a_path(tmp_path: Path) -> None:
    queue = {
        "029tea_bez": "Zentrale",
        "009ext_extension": "200",
        "post": {"queue.member": [{"agent": "jdoe"}, {"agent": "ghost"}]},
    }
    with pytest.raises(
        IoJsonError, match=r"queue\[0\]\.post\.queue\.member\[1\]\.agent: unknown user"
    ):
        build({"identity": [user()], "queue": [queue]}, tmp_path)


def test_duplicate_extension_is_refused(tmp_path: Path) -> None:
    doc = {
        "identity": [
            user("a", **{"009ext_extension": "101"}),
            user("b", **{"009ext_extension": "101"}),
        ]
    }
    with pytest.raises(IoJsonError, match=r"identity\[1\]\.009ext_extension: extension 101"):
        build(doc, tmp_path)


def test_missing_media_file_is_refused(tmp_path: Path) -> None:
    message = {"folder": "INBOX", "origtime": "1700000000", "audio": "vm/missing.wav"}
    doc = {"identity": [user(**{"009ext_extension": "101"}, post={"voicemail.message": [message]})]}
    with pytest.raises(
        IoJsonError,
        match=r"identity\[0\]\.post\.voicemail\.message\[0\]\.audio: media file not found",
    ):
        build(doc, tmp_path)


def test_two_default_devices_are_refused(tmp_path: Path) -> None:
    post = {
        "ipdevice.mdsoftphone": [{"defaultdevice": True}],
        "ipphone": [{"066dev_bez": "Yealink T54W", "defaultdevice": True}],
    }
    with pytest.raises(IoJsonError, match=r"ipphone\[0\]\.defaultdevice: a user has only one"):
        build({"identity": [user(post=post)]}, tmp_path)


def test_simulator_start_reports_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"identity": [{"003use_bez": "X"}]}')
    with pytest.raises(IoJsonError, match=r"bad\.json: identity\[0\]: required field"):
        Simulator.start(data=path)


def test_softphones_are_named_by_pascom_whatever_the_file_says(tmp_path: Path) -> None:
    post = {
        "ipdevice.mdsoftphone": [{"010dev_bez": "softphone_jdoe", "defaultdevice": True}],
        "ipphone": [{"066dev_bez": "snom D785"}],
    }
    state = build({"identity": [user("jdoe", post=post)]}, tmp_path)
    assert list(state.users["jdoe"].devices) == ["pascom Softphone [Jdoe]", "snom D785 [Jdoe]"]
    assert state.users["jdoe"].default_device == "pascom Softphone [Jdoe]"


def test_the_demo_file_is_valid_and_complete() -> None:
    doc = load_iojson(default_data_path())
    assert {"identity", "phonebook", "queue", "condition.switch", "redirect"} <= set(doc)
    assert 10 <= len(doc["identity"]) <= 14
    assert len(doc["phonebook"]) >= 300

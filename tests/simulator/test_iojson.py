"""The IO-JSON reader and the extras beside it: only what pascom can import in the
IO-JSON, syntax errors with line/column, every other error with its place."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from companion.simulator import (
    IoJsonError,
    Simulator,
    default_data_path,
    default_extras_path,
    load_extras,
    load_iojson,
    parse_extras,
    parse_iojson,
)
from companion.simulator.pascom.state import PbxState

from .conftest import REST_PASSWORD, REST_USER, services

REPO = Path(__file__).resolve().parents[2]
WAV = REPO / "resources" / "demo" / "voicemail" / "101-inbox-0.wav"


def user(name: str = "jdoe", **extra: Any) -> dict[str, Any]:
    return {"003use_name": name, "003use_bez": name.title(), **extra}


def build(doc: dict[str, Any], tmp_path: Path, extras: dict[str, Any] | None = None) -> PbxState:
    return PbxState.from_iojson(
        parse_iojson(json.dumps(doc)),
        extras=parse_extras(json.dumps(extras), base_dir=tmp_path) if extras else None,
    )


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
    doc = {"identity": [user(post={"identity": [user("b")]})]}
    with pytest.raises(
        IoJsonError, match=r"identity\[0\]\.post\.identity: plugin 'identity' is not allowed"
    ):
        parse_iojson(json.dumps(doc))
    doc = {"ipphone": [{"066dev_id": 40, "003use_name": "a", "post": {"phonebook": []}}]}
    with pytest.raises(IoJsonError, match=r"ipphone\[0\]\.post\.phonebook: plugin 'phonebook'"):
        parse_iojson(json.dumps(doc))


def test_missing_file_is_an_iojson_error(tmp_path: Path) -> None:
    with pytest.raises(IoJsonError, match="cannot read file"):
        load_iojson(tmp_path / "nope.json")


def test_not_utf8_is_an_iojson_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"identity": [{"003use_name": "jürgen"}]}'.encode("latin-1"))
    with pytest.raises(IoJsonError, match="not UTF-8"):
        load_iojson(path)


# ---------------------------------------------------------------- only what pascom imports

# The IO-Framework's plugin table (pascom-io-json.txt): each plugin and the field
# prefixes of the tables it writes. The reference's own identity example also sets
# 016voi_email (the voicemailbox table), and spells the softphone plugin
# ipdevice.mdsoftphone where the table says ipphone.mdsoftphone.
FORMAT_TABLE: dict[str, tuple[str, ...]] = {
    "connector": ("076imp_",),
    "connector.fieldmap": ("077fie_",),
    "externals": ("010dev_", "074ext_", "009ext_"),
    "faxdevice": ("020fax_", "010dev_", "009ext_"),
    "inboundrules": ("024inb_",),
    "ipphone": ("010dev_", "015ipd_", "013pee_", "012loc_"),
    "location": ("012loc_",),
    "ipphone.mdsoftphone": ("010dev_", "015ipd_", "013pee_", "012loc_"),
    "ipdevice.mdsoftphone": ("010dev_", "015ipd_", "013pee_", "012loc_"),
    "netconfig": ("026sys_",),
    "outboundrules": ("025out_",),
    "trunk.peer": ("048pee_",),
    "phonebook": ("028pho_",),
    "speeddial": ("042spe_", "009ext_"),
    "trunk": ("022tru_",),
    "identity": ("003use_", "011acc_", "009ext_", "016voi_"),
}
# a row's references to rows of other tables, as the reference's answers show them
# (003user: language, avatar; 011account: own phonebook entry; 010device: type, ...)
FOREIGN_IDS = {"034pro_id", "107ava_id", "028pho_id", "066dev_id", "068bas_id", "090por_id"}


def walk(plugins: dict[str, Any], prefix: str = "") -> list[str]:
    """Every plugin or key of an IO-JSON document that pascom could not import."""
    wrong = []
    for name, items in plugins.items():
        if name not in FORMAT_TABLE:
            wrong.append(f"{prefix}{name}")
            continue
        for i, obj in enumerate(items):
            path = f"{prefix}{name}[{i}]"
            for key, value in obj.items():
                if key == "post":
                    wrong += walk(value, f"{path}.post.")
                elif not (key.startswith(FORMAT_TABLE[name]) or key in FOREIGN_IDS):
                    wrong.append(f"{path}.{key}")
    return wrong


def test_the_demo_file_holds_only_what_pascom_can_import() -> None:
    raw = json.loads(default_data_path().read_text(encoding="utf-8"))
    assert walk(raw) == []
    # the walk is not vacuous: it sees every user, their devices and the phonebook
    assert len(raw["identity"]) == 12 and len(raw["phonebook"]) == 320
    kinds = {k for u in raw["identity"] for k in u.get("post", {})}
    assert kinds == {"phonebook", "ipdevice.mdsoftphone", "ipphone", "faxdevice"}
    assert load_iojson(default_data_path()) == raw


def test_the_walk_finds_what_the_old_demo_file_had() -> None:
    old = {
        "identity": [user(state="Idle", **{"017pro_id": 11}, post={"profile": []})],
        "queue": [],
    }
    assert walk(old) == [
        "identity[0].state",
        "identity[0].017pro_id",
        "identity[0].post.profile",
        "queue",
    ]


def test_the_demo_extras_hold_the_rest() -> None:
    extras = load_extras(default_extras_path())
    assert set(extras.doc) == {
        "users",
        "queues",
        "switches",
        "redirects",
        "received_faxes",
        "sent_faxes",
        "history",
    }
    assert extras.doc["users"]["mmuster"]["default_device"] == "pascom Softphone [Max Mustermann]"
    with Simulator.start() as sim:
        s = sim.state
        mmuster = s.users["mmuster"]
        assert (mmuster.hint, mmuster.active_profile, len(mmuster.profiles)) == ("Idle", 11, 5)
        assert len([m for m in s.messages if m.mailbox == "101"]) == 5
        assert set(s.queues) == {"Zentrale", "Support"}
        assert set(s.switches) == {"503", "504", "505", "506"}
        assert set(s.redirects) == {"101", "221", "103"}
        assert (len(s.received), len(s.done), len(s.cdr)) == (3, 3, 40)
        assert len(s._private["mmuster"]) == 5
        assert s.users["agrassl"].default_device == "Yealink T46U [Andreas Grassl]"


# The reference's example, with its braces back and every field it shows.
REFERENCE_EXAMPLE = {
    "identity": [
        {
            "003use_bez": "John Doe",
            "003use_name": "jdoe",
            "016voi_email": "",
            "003use_auth_method": "pascom",
            "003use_pw": "12345678",
            "post": {
                "phonebook": [
                    {
                        "028pho_bez": "Doe John",
                        "028pho_firstname": "John",
                        "028pho_lastname": "Doe",
                        "028pho_organisation": "ACME Corp.",
                        "028pho_email": "",
                        "028pho_homephone": "0049987654321",
                        "028pho_mobile": "0049171555666",
                    }
                ],
                "ipdevice.mdsoftphone": [{"010dev_bez": "softphone_jdoe"}],
            },
        }
    ]
}


@pytest.mark.parametrize("plugin", ["ipdevice.mdsoftphone", "ipphone.mdsoftphone"])
def test_the_reference_example_loads_with_either_softphone_spelling(
    plugin: str, tmp_path: Path
) -> None:
    doc = json.loads(json.dumps(REFERENCE_EXAMPLE))
    post = doc["identity"][0]["post"]
    post[plugin] = post.pop("ipdevice.mdsoftphone")
    state = build(doc, tmp_path)
    jdoe = state.users["jdoe"]
    assert list(jdoe.devices) == ["pascom Softphone [John Doe]"]
    assert jdoe.default_device is None  # nobody is logged in to the pascom client yet
    own = state.phonebook[jdoe.pho_id].data
    assert (own["organisation"], own["mobile"]) == ("ACME Corp.", "0049171555666")


def test_softphones_are_named_by_pascom_whatever_the_file_says(tmp_path: Path) -> None:
    post = {
        "ipdevice.mdsoftphone": [{"010dev_bez": "softphone_jdoe"}],
        "ipphone": [{"066dev_id": 42}],
    }
    extras = {"users": {"jdoe": {"default_device": "pascom Softphone [Jdoe]"}}}
    state = build({"identity": [user("jdoe", post=post)]}, tmp_path, extras)
    assert list(state.users["jdoe"].devices) == ["pascom Softphone [Jdoe]", "snom D785 [Jdoe]"]
    assert state.users["jdoe"].default_device == "pascom Softphone [Jdoe]"


def test_an_unknown_device_type_is_refused() -> None:
    doc = {"identity": [user(post={"ipphone": [{"066dev_id": 4711}]})]}
    with pytest.raises(
        IoJsonError, match=r"identity\[0\]\.post\.ipphone\[0\]\.066dev_id: unknown device type"
    ):
        PbxState.from_iojson(parse_iojson(json.dumps(doc)))


# ---------------------------------------------------------------- devices at the top level


def test_a_top_level_device_names_its_user_by_login_or_account(tmp_path: Path) -> None:
    doc = {
        "identity": [user("a"), user("b", **{"011acc_id": 77, "009ext_extension": "102"})],
        "ipphone": [{"066dev_id": 40, "003use_name": "a"}],
        "ipdevice.mdsoftphone": [{"011acc_id": 77}],
        "faxdevice": [{"009ext_extension": "301", "003use_name": "b"}],
    }
    state = build(doc, tmp_path)
    assert list(state.users["a"].devices) == ["Yealink T54W [A]"]
    b = state.users["b"]
    assert list(b.devices) == ["pascom Softphone [B]"]
    assert b.fax is not None and b.fax.extension == "301"
    assert state.phonebook[b.pho_id].data["fax"] == "301"  # the directory shows it
    assert state.extensions["301"]["typ"] == "Fax"


def test_a_top_level_device_without_its_user_is_refused() -> None:
    with pytest.raises(
        IoJsonError, match=r"^<string>: ipphone\[0\]: a device at the top level needs its user"
    ):
        parse_iojson(json.dumps({"ipphone": [{"066dev_id": 40}]}))


def test_a_top_level_device_of_an_unknown_user_is_refused() -> None:
    doc = {"identity": [user("a")], "faxdevice": [{"009ext_extension": "301", "011acc_id": 9}]}
    with pytest.raises(IoJsonError, match=r"faxdevice\[0\]\.011acc_id: no user has account 9"):
        PbxState.from_iojson(parse_iojson(json.dumps(doc)))
    doc = {"identity": [user("a")], "ipphone": [{"066dev_id": 40, "003use_name": "ghost"}]}
    with pytest.raises(IoJsonError, match=r"ipphone\[0\]\.003use_name: unknown user 'ghost'"):
        PbxState.from_iojson(parse_iojson(json.dumps(doc)))


def test_a_device_in_a_post_naming_another_user_is_refused() -> None:
    doc = {
        "identity": [
            user("a"),
            user("b", post={"ipphone": [{"066dev_id": 40, "003use_name": "a"}]}),
        ]
    }
    with pytest.raises(IoJsonError, match=r"identity\[1\]\.post\.ipphone\[0\]\.003use_name"):
        PbxState.from_iojson(parse_iojson(json.dumps(doc)))


# ---------------------------------------------------------------- typos, with their place


def test_a_misspelt_field_is_reported_with_its_place() -> None:
    contact = {"028pho_firstname": "John", "028pho_lasname": "Doe"}
    doc = {"identity": [user("a"), user("b"), user("c", post={"phonebook": [contact]})]}
    with pytest.raises(IoJsonError) as info:
        parse_iojson(json.dumps(doc), source="demo.json")
    assert info.value.path == "identity[2].post.phonebook[0].028pho_lasname"
    assert str(info.value) == (
        "demo.json: identity[2].post.phonebook[0].028pho_lasname: unknown field"
        " (did you mean '028pho_lastname'?)"
    )


def test_a_misspelt_required_field_is_reported_as_unknown_not_missing() -> None:
    doc = {"identity": [{"003use_nmae": "jdoe", "003use_bez": "John Doe"}]}
    with pytest.raises(IoJsonError, match=r"^<string>: identity\[0\]\.003use_nmae: unknown field"):
        parse_iojson(json.dumps(doc))


@pytest.mark.parametrize(
    ("doc", "place"),
    [
        ({"identity": [user(state="Idle")]}, r"identity\[0\]\.state"),
        ({"identity": [user(**{"017pro_id": 11})]}, r"identity\[0\]\.017pro_id"),
        (
            {"identity": [user(post={"ipphone": [{"066dev_bez": "snom D785"}]})]},
            r"identity\[0\]\.post\.ipphone\[0\]\.066dev_bez",
        ),
        (
            {"phonebook": [{"028pho_bez": "x", "phonebookName": "a"}]},
            r"phonebook\[0\]\.phonebookName",
        ),
        ({"location": [{"012loc_bez": "HQ", "003use_name": "a"}]}, r"location\[0\]\.003use_name"),
    ],
)
def test_fields_outside_the_plugins_tables_are_unknown(doc: dict[str, Any], place: str) -> None:
    with pytest.raises(IoJsonError, match=rf"^<string>: {place}: unknown field"):
        parse_iojson(json.dumps(doc))


def test_an_unknown_plugin_is_reported_with_its_place() -> None:
    doc = {"identity": [user(post={"ipdevice.softphone": [{}]})]}
    with pytest.raises(
        IoJsonError, match=r"^<string>: identity\[0\]\.post\.ipdevice\.softphone: unknown IO plugin"
    ):
        parse_iojson(json.dumps(doc))
    for plugin in ("queue", "condition.switch", "redirect", "cdr", "voicemail.message"):
        with pytest.raises(
            IoJsonError, match=rf"^<string>: {re.escape(plugin)}: unknown IO plugin"
        ):
            parse_iojson(json.dumps({plugin: []}))


# ---------------------------------------------------------------- the extras


def test_extras_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "extras.json"
    path.write_text('{\n  "queues": [\n    {"029tea_bez": "Q",}\n  ]\n}\n')
    with pytest.raises(IoJsonError) as info:
        load_extras(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}: line 3, column ")


@pytest.mark.parametrize(
    ("extras", "message"),
    [
        ({"queue": []}, r"^<string>: queue: unknown section"),
        (
            {"users": {"jdoe": {"presense": "Idle"}}},
            r"^<string>: users\.jdoe\.presense: unknown field",
        ),
        (
            {
                "users": {
                    "jdoe": {"voicemail": [{"folder": "INBOX", "origtime": "1", "audoi": "x"}]}
                }
            },
            r"users\.jdoe\.voicemail\[0\]\.audoi: unknown field",
        ),
        (
            {
                "queues": [
                    {"029tea_bez": "Q", "009ext_extension": "200", "members": [{"agnet": "a"}]}
                ]
            },
            r"queues\[0\]\.members\[0\]\.agnet: unknown field",
        ),
        (
            {"switches": [{"038con_bez": "S", "009ext_extension": 5}]},
            r"switches\[0\]\.009ext_extension: must be a string",
        ),
    ],
)
def test_extras_errors_name_their_place(
    extras: dict[str, Any], message: str, tmp_path: Path
) -> None:
    with pytest.raises(IoJsonError, match=message):
        parse_extras(json.dumps(extras), base_dir=tmp_path)


@pytest.mark.parametrize(
    ("extras", "message"),
    [
        ({"users": {"ghost": {}}}, r"^<string>: users\.ghost: no user 'ghost' in "),
        ({"users": {"jdoe": {"presence": "Away"}}}, r"users\.jdoe\.presence: must be one of"),
        (
            {"users": {"jdoe": {"default_device": "snom D785 [Jdoe]"}}},
            r"users\.jdoe\.default_device: no such device \(has: pascom Softphone \[Jdoe\]\)",
        ),
        ({"users": {"jdoe": {"active_profile": 3}}}, r"users\.jdoe\.active_profile: no profile 3"),
        (
            {
                "users": {
                    "jdoe": {
                        "voicemail": [
                            {"folder": "INBOX", "origtime": "1", "audio": "vm/missing.wav"}
                        ]
                    }
                }
            },
            r"users\.jdoe\.voicemail\[0\]\.audio: media file not found",
        ),
        (
            {
                "queues": [
                    {
                        "029tea_bez": "Z",
                        "009ext_extension": "200",
                        "members": [{"agent": "jdoe"}, {"agent": "ghost"}],
                    }
                ]
            },
            r"queues\[0\]\.members\[1\]\.agent: unknown user",
        ),
        (
            {"switches": [{"038con_bez": "S", "009ext_extension": "101"}]},
            r"switches\[0\]\.009ext_extension: extension 101 is already used",
        ),
        ({"redirects": [{"source": "999"}]}, r"redirects\[0\]\.source: no extension '999'"),
    ],
)
def test_extras_cross_references_are_checked(
    extras: dict[str, Any], message: str, tmp_path: Path
) -> None:
    post: dict[str, Any] = {"ipdevice.mdsoftphone": [{}]}
    doc = {"identity": [user("jdoe", **{"009ext_extension": "101"}, post=post)]}
    with pytest.raises(IoJsonError, match=message):
        build(doc, tmp_path, extras)


def test_duplicate_extension_is_refused(tmp_path: Path) -> None:
    doc = {
        "identity": [
            user("a", **{"009ext_extension": "101"}),
            user("b", **{"009ext_extension": "101"}),
        ]
    }
    with pytest.raises(IoJsonError, match=r"identity\[1\]\.009ext_extension: extension 101"):
        build(doc, tmp_path)


def test_extras_media_are_relative_to_the_extras_file(tmp_path: Path) -> None:
    (tmp_path / "pbx").mkdir()
    (tmp_path / "more" / "vm").mkdir(parents=True)
    (tmp_path / "more" / "vm" / "hello.wav").write_bytes(WAV.read_bytes())
    data = tmp_path / "pbx" / "pbx.json"
    data.write_text(json.dumps({"identity": [user("jdoe", **{"009ext_extension": "101"})]}))
    message = {"folder": "INBOX", "origtime": "1700000000", "audio": "vm/hello.wav"}
    extras = tmp_path / "more" / "extras.json"
    extras.write_text(json.dumps({"users": {"jdoe": {"voicemail": [message]}}}))
    with Simulator.start(data=data, extras=extras) as sim, services(sim) as api:
        assert api.head("voicemailbox/101/INBOX").headers["x-voicemail-count"] == "1"
        sim.reset()  # a reset reads both files again
        assert len(sim.state.messages) == 1


def test_simulator_start_reports_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"identity": [{"003use_bez": "X"}]}')
    with pytest.raises(IoJsonError, match=r"bad\.json: identity\[0\]: required field"):
        Simulator.start(data=path)


def test_own_data_without_extras_is_served_alone(tmp_path: Path) -> None:
    data = tmp_path / "pbx.json"
    data.write_text(json.dumps(REFERENCE_EXAMPLE))
    with Simulator.start(data=data) as sim, services(sim) as api:
        assert api.get("identity/jdoe").json()["003use_bez"] == "John Doe"
        assert set(sim.state.users) == {"jdoe"}  # none of the demo's extras came along
        assert (sim.state.queues, sim.state.redirects, sim.state.cdr) == ({}, {}, [])


def test_the_cli_serves_data_with_extras_and_reports_a_bad_file_in_words(tmp_path: Path) -> None:
    data = tmp_path / "pbx.json"
    data.write_text(json.dumps({"identity": [user("jdoe", **{"009ext_extension": "101"})]}))
    extras = tmp_path / "extras.json"
    extras.write_text(json.dumps({"redirects": [{"source": "101", "target": "0171"}]}))
    command = [sys.executable, "-m", "companion", "simulator", "--port", "0", "--data", str(data)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*command, "--extras", str(extras)], cwd=REPO, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        url = re.search(r"http://\S+", proc.stdout.readline()).group(0)  # type: ignore[union-attr]
        r = httpx.get(url + "/services/redirect/", auth=(REST_USER, REST_PASSWORD))
        assert [(x["source"], x["target"]) for x in r.json()] == [("101", "0171")]
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    extras.write_text('{"redirects": [{"source": "101", "traget": "0171"}]}')
    done = subprocess.run(
        [*command, "--extras", str(extras)], cwd=REPO, capture_output=True, text=True, env=env
    )
    assert done.returncode != 0
    message = "redirects[0].traget: unknown field (did you mean 'target'?)"
    assert done.stderr == f"companion: {extras}: {message}\n"

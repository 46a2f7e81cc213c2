"""The `companion` command as a user runs it: a subprocess against the demo PBX."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER, USER

REPO = Path(__file__).resolve().parents[2]


class Companion:
    """Runs `python -m companion` with its own config dir and a test keyring file."""

    def __init__(self, home: Path) -> None:
        self.config_dir = home / "config"
        self.keyring_file = home / "keyring.json"
        # Its own single-instance socket (beside home, which some tests list): no running
        # app takes a command over.
        runtime = home.parent / f"{home.name}-run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "COMPANION_CONFIG_DIR": str(self.config_dir),
            "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
            "COMPANION_TEST_KEYRING_FILE": str(self.keyring_file),
            "PYTHONPATH": str(REPO),
            "LANG": "C.UTF-8",
        }

    def __call__(
        self, *args: str, stdin: str = "", ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "companion", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
            cwd=REPO,
        )
        assert "Traceback" not in done.stderr, done.stderr
        if ok:
            assert done.returncode == 0, done.stderr
        elif done.returncode != 2:  # a failure: one line (a usage error has its usage too)
            assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        return done


def usage_error(companion: Companion, *args: str) -> str:
    """Run a command line that is wrong as typed: exit 2, and the problem's line."""
    done = companion(*args, ok=False)
    assert done.returncode == 2, (args, done.stderr)
    assert done.stderr.splitlines()[0].startswith("usage: companion"), done.stderr
    return done.stderr.splitlines()[-1]


@pytest.fixture
def companion(tmp_path: Path) -> Companion:
    return Companion(tmp_path)


@pytest.fixture
def logged_in(companion: Companion, sim: Simulator) -> Companion:
    companion(
        "login",
        "--url",
        sim.base_url,
        "--rest-user",
        REST_USER,
        "--user",
        USER,
        "--password-stdin",
        stdin=REST_PASSWORD + "\n",
    )
    companion("config", "dialing.region", "DE")
    return companion


def test_version(companion: Companion) -> None:
    from companion import __version__

    assert companion("--version").stdout.strip() == f"companion {__version__}"


def test_login_checks_before_it_stores(companion: Companion, sim: Simulator) -> None:
    failed = companion(
        "login",
        "--url",
        sim.base_url,
        "--user",
        USER,
        "--password-stdin",
        stdin="wrong\n",
        ok=False,
    )
    assert "REST user name or password" in failed.stderr
    assert (
        not companion.keyring_file.exists()
        or REST_PASSWORD not in companion.keyring_file.read_text()
    )
    assert not (companion.config_dir / "settings.toml").exists()

    done = companion(
        "login",
        "--url",
        sim.base_url + "/",
        "--user",
        USER,
        "--password-stdin",
        stdin=REST_PASSWORD + "\n",
    )
    assert "Max Mustermann" in done.stdout
    settings = (companion.config_dir / "settings.toml").read_text()
    assert sim.base_url in settings and REST_PASSWORD not in settings
    assert REST_PASSWORD in companion.keyring_file.read_text()
    assert companion("config", "pbx.url").stdout.strip() == sim.base_url


def test_login_unknown_user(companion: Companion, sim: Simulator) -> None:
    failed = companion(
        "login",
        "--url",
        sim.base_url,
        "--user",
        "nobody",
        "--password-stdin",
        stdin=REST_PASSWORD + "\n",
        ok=False,
    )
    assert "no user 'nobody'" in failed.stderr


def test_not_logged_in_says_how(companion: Companion) -> None:
    assert "companion login" in companion("dial", "221", ok=False).stderr


def test_logout_removes_the_password(logged_in: Companion) -> None:
    logged_in("logout")
    assert REST_PASSWORD not in logged_in.keyring_file.read_text()
    assert "companion login" in logged_in("dial", "221", ok=False).stderr


def test_dial_sends_e164(logged_in: Companion, sim: Simulator) -> None:
    out = logged_in("dial", "(089) 123 456").stdout
    assert "Calling" in out
    assert sim.state.actions[-1].destination == "+4989123456"
    logged_in("dial", "tel:+1-415-555-0100")
    assert sim.state.actions[-1].destination == "+14155550100"
    logged_in("dial", "221", "--device", "Yealink T54W [Max Mustermann]")
    assert sim.state.actions[-1].device == "Yealink T54W [Max Mustermann]"


def test_dial_of_a_link_with_tones_says_they_are_not_dialled(
    logged_in: Companion, sim: Simulator
) -> None:
    out = logged_in("dial", "tel:+49-89-123456;ext=12;postd=p3").stdout
    assert sim.state.actions[-1].destination == "+4989123456"  # the tones are not the number
    assert "Not dialled: 12,3." in out


def test_dial_rejects_text_without_calling(logged_in: Companion, sim: Simulator) -> None:
    before = len(sim.state.actions)
    failed = logged_in("dial", "hello world", ok=False)
    assert "not a phone number" in failed.stderr.lower()
    assert len(sim.state.actions) == before


def test_dial_a_name_dials_the_one_contact_or_lists_the_candidates(
    logged_in: Companion, sim: Simulator, tmp_path: Path
) -> None:
    assert logged_in("dial", "Tina").stdout == "Calling Tina Sander (221).\n"
    assert sim.state.actions[-1].destination == "221"  # a colleague on the extension
    sent = len(sim.state.actions)
    several = logged_in("dial", "Käthe Schmidt", ok=False)
    assert several.returncode == 1
    assert several.stdout.splitlines() == [
        "+49 89 158176      Käthe Schmidt  (phone)",
        "+49 179 53027281   Käthe Schmidt  (mobile)",
    ]
    assert "'Käthe Schmidt' matches 2 numbers" in several.stderr
    assert len(sim.state.actions) == sent  # nothing dialled
    assert "no contact" in logged_in("dial", "Nobody Here", ok=False).stderr
    logged_in("dial", "0891234")  # a number stays a number, not a search
    assert sim.state.actions[-1].destination == "+49891234"

    # With a synced local directory the name is found there, not by asking the PBX.
    logged_in.env["COMPANION_CACHE_DIR"] = str(tmp_path / "cache")
    logged_in("directory", "sync")
    searches = len([r for r in sim.state.requests if "phonebook" in r.path])
    assert searches > 0  # the sync read the phonebook: the count below can move
    assert logged_in("dial", "Tina Sander").stdout == "Calling Tina Sander (221).\n"
    assert len([r for r in sim.state.requests if "phonebook" in r.path]) == searches


def test_call_control(logged_in: Companion, sim: Simulator) -> None:
    logged_in("dial", "221")
    logged_in("hold")
    logged_in("dtmf", "12#")
    logged_in("transfer", "222")  # the call leaves the user's phone
    assert [a.action for a in sim.state.actions[-4:]] == ["dial", "hold", "dtmf", "transfer"]
    assert "touch-tone" in usage_error(logged_in, "dtmf", "12x")


def test_hangup_without_a_call_says_so(logged_in: Companion, sim: Simulator) -> None:
    sent = len(sim.state.actions)
    done = logged_in("hangup", ok=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "companion: No call in progress."
    assert len(sim.state.actions) == sent  # nothing was sent to the phone


def test_calls_lists_the_live_calls(logged_in: Companion, sim: Simulator) -> None:
    assert logged_in("calls").stdout.strip() == "No call in progress."
    logged_in("dial", "221")
    listed = json.loads(logged_in("calls", "--json").stdout)
    assert [c["remote_number"] for c in listed] == ["221"]
    assert listed[0]["direction"] == "outgoing"
    assert "221" in logged_in("calls").stdout
    logged_in("hangup")
    assert json.loads(logged_in("calls", "--json").stdout) == []


def test_calls_watch_prints_a_json_line_per_event(logged_in: Companion, sim: Simulator) -> None:
    watcher = subprocess.Popen(
        [sys.executable, "-m", "companion", "calls", "--watch", "--json", "--interval", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=logged_in.env,
        cwd=REPO,
    )
    try:
        time.sleep(2.5)  # the watcher's first look: no calls yet
        logged_in("dial", "221")
        time.sleep(2.5)
        logged_in("hangup")
        time.sleep(2.5)
    finally:
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=20)
    assert "Traceback" not in err, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["event"] for e in events] == ["started", "ended"]
    assert events[0]["call"]["remote_number"] == "221"


def test_calls_interval_is_checked(logged_in: Companion) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "companion", "calls", "--interval", "0.1"],
        capture_output=True,
        text=True,
        env=logged_in.env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2  # argparse's usage error, with its usage line
    assert "the interval must be 1 to 30 seconds" in done.stderr


def test_no_default_device_is_explained(companion: Companion, sim: Simulator) -> None:
    companion(
        "login",
        "--url",
        sim.base_url,
        "--user",
        "tsander",
        "--password-stdin",
        stdin=REST_PASSWORD + "\n",
    )
    assert "not logged in to the pascom client" in companion("dial", "101", ok=False).stderr


def test_unreachable_pbx(logged_in: Companion, sim: Simulator) -> None:
    sim.stop()
    assert "cannot be reached" in logged_in("dial", "221", ok=False).stderr


def test_search_json(logged_in: Companion) -> None:
    data = json.loads(logged_in("search", "Tina", "--json").stdout)
    tina = [c for c in data["contacts"] if c["user_name"] == "tsander"]
    assert tina and data["presence"]["tsander"]
    text = logged_in("search", "Tina").stdout
    assert "Tina Sander" in text and "221" in text


def test_presence(logged_in: Companion) -> None:
    profiles = json.loads(logged_in("presence", "--json").stdout)
    target = next(p for p in profiles if not p["active"])
    assert target["name"] in logged_in("presence", target["name"].upper()).stdout
    assert logged_in("presence").stdout.strip() == f"Presence: {target['name']}"
    assert "no profile 'Nope'" in logged_in("presence", "Nope", ok=False).stderr


def test_queue(logged_in: Companion) -> None:
    logged_in("queue", "login")
    out = logged_in("queue", "pause", "lunch").stdout
    assert "Zentrale (200): paused (lunch)" in out
    data = json.loads(logged_in("queue", "unpause", "--json").stdout)
    assert all(q["logged_in"] and not q["paused"] for q in data)
    assert data[0]["pause_reasons"][0] == {"name": "lunch", "code": "40"}


def test_queue_pause_takes_only_a_reason_the_queues_offer(
    logged_in: Companion, sim: Simulator
) -> None:
    logged_in("queue", "login")
    refused = logged_in("queue", "pause", "coffee", ok=False).stderr
    assert "no pause reason 'coffee'" in refused and "lunch (40), meeting (41)" in refused
    assert not any(m.paused for q in sim.state.queues.values() for m in q.members
                   if m.agent == USER)  # fmt: skip
    assert "Zentrale (200): paused (meeting)" in logged_in("queue", "pause", "41").stdout


def test_redirect(logged_in: Companion) -> None:
    assert "off" in logged_in("redirect").stdout
    data = json.loads(logged_in("redirect", "030 123456", "--json").stdout)
    assert data["after"]["active"] and data["after"]["target"] == "+4930123456"
    assert not data["before"]["active"] and data["before"]["target"] == ""
    assert "off (on restores +4930123456)" in logged_in("redirect", "off").stdout
    assert "on, to +4930123456" in logged_in("redirect", "on").stdout


def test_redirect_json_shows_the_target_before_and_after(logged_in: Companion) -> None:
    logged_in("redirect", "Tina")
    changed = json.loads(logged_in("redirect", "120", "--json").stdout)
    assert set(changed) == {"before", "after"}
    assert (changed["before"]["target"], changed["after"]["target"]) == ("221", "120")
    off = json.loads(logged_in("redirect", "off", "--json").stdout)
    assert off["before"]["active"] is True and off["after"]["active"] is False
    assert off["after"]["previous_target"] == "120"
    shown = json.loads(logged_in("redirect", "--json").stdout)
    assert shown["before"] == shown["after"] == off["after"]


def test_switch(logged_in: Companion) -> None:
    assert "AfterHours" in logged_in("switch").stdout
    data = json.loads(logged_in("switch", "afterhours", "toggle", "--json").stdout)
    assert data["on"] is True
    assert json.loads(logged_in("switch", data["extension"], "off", "--json").stdout)["on"] is False
    assert "no extension switch 'Nope'" in logged_in("switch", "Nope", "on", ok=False).stderr


def test_redirect_to_a_name_or_an_extension(logged_in: Companion, sim: Simulator) -> None:
    assert logged_in("redirect", "Tina").stdout == "Redirect of 101: on, to Tina Sander (221)\n"
    assert sim.state.redirects["101"].target == "221"
    assert "on, to Empfang (120)" in logged_in("redirect", "120").stdout
    assert "off (on restores Empfang (120))" in logged_in("redirect", "off").stdout


def test_redirect_to_an_ambiguous_name_lists_the_candidates(
    logged_in: Companion, sim: Simulator
) -> None:
    done = logged_in("redirect", "Käthe Schmidt", ok=False)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "+4989158176      Käthe Schmidt  (phone)",
        "+4917953027281   Käthe Schmidt  (mobile)",
    ]
    assert "'Käthe Schmidt' matches 2 numbers" in done.stderr
    assert sim.state.redirects["101"].target == ""


def test_redirect_to_an_unknown_name_says_so(logged_in: Companion, sim: Simulator) -> None:
    done = logged_in("redirect", "Nobody Here", ok=False)
    assert done.stderr == 'companion: No contact with a phone number matches "Nobody Here".\n'
    assert sim.state.redirects["101"].target == ""


def test_a_refused_switch_is_named(logged_in: Companion, sim: Simulator) -> None:
    done = logged_in("switch", "Nightmode", "on", ok=False)
    assert done.stderr == (
        "companion: You may not change the switch 'Nightmode' (the PBX refused it).\n"
    )
    assert "506" not in done.stderr
    assert sim.state.switches["506"].state is False


def test_voicemail(logged_in: Companion, tmp_path: Path) -> None:
    messages = json.loads(logged_in("voicemail", "--json").stdout)
    assert len(messages) == 5
    new = next(m for m in messages if not m["heard"])
    target = tmp_path / "vm.wav"
    logged_in("voicemail", "save", new["id"], str(target))
    with wave.open(str(target)) as recording:
        assert recording.getnframes() > 0
    logged_in("voicemail", "heard", new["id"])
    after = {m["id"]: m for m in json.loads(logged_in("voicemail", "list", "--json").stdout)}
    assert after[new["id"]]["heard"]
    logged_in("voicemail", "delete", new["id"])
    assert new["id"] not in logged_in("voicemail").stdout
    assert "no longer exists" in logged_in("voicemail", "delete", new["id"], ok=False).stderr


def test_voicemail_save_names_the_missing_directory(logged_in: Companion, tmp_path: Path) -> None:
    first = json.loads(logged_in("voicemail", "--json").stdout)[0]["id"]
    for typed in (f"{tmp_path}/missing/", f"{tmp_path}/missing/message.wav"):
        failed = logged_in("voicemail", "save", first, typed, ok=False)
        assert f"there is no directory {tmp_path}/missing;" in failed.stderr
        assert ".tmp" not in failed.stderr
    assert not (tmp_path / "missing").exists()  # "missing/" did not become a file
    # The longest name a file may have is saved, not refused as a too long temporary file.
    longest = tmp_path / ("m" * 251 + ".wav")
    assert str(longest) in logged_in("voicemail", "save", first, str(longest)).stdout
    assert longest.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_fax(logged_in: Companion, tmp_path: Path) -> None:
    received = json.loads(logged_in("fax", "--json").stdout)
    assert len(received) == 2
    pdf = tmp_path / "in.pdf"
    logged_in("fax", "save", received[0]["id"], str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "scheduled" in logged_in("fax", "send", str(pdf), "030 123456").stdout
    sent = json.loads(logged_in("fax", "sent", "--json").stdout)
    assert any(f["destination"] == "+4930123456" for f in sent)
    assert (
        "there is no file"
        in logged_in("fax", "send", str(tmp_path / "no.pdf"), "221", ok=False).stderr.lower()
    )


def test_history(logged_in: Companion) -> None:
    calls = json.loads(logged_in("history", "--limit", "5", "--json").stdout)
    assert len(calls) == 5
    assert len(logged_in("history", "--limit", "3").stdout.strip().splitlines()) == 3


def test_arguments_are_checked_before_the_pbx_is_asked(
    logged_in: Companion, sim: Simulator
) -> None:
    asked = len(sim.state.requests)
    cases = {
        ("history", "--limit", "-5"): "the limit must be 1 to 1000",
        ("history", "--limit", "0"): "the limit must be 1 to 1000",
        ("search", "x", "--limit", "many"): "'many' is not a whole number",
        ("search", "x", "--limit", "1001"): "the limit must be 1 to 1000",
        ("dial",): "dial needs a NUMBER, a NAME (or --selection)",
        ("dial", "221", "--selection"): "give a NUMBER or --selection, not both",
        ("dtmf", "12x"): "not touch-tone digits",
        ("voicemail", "save"): "voicemail save needs the ID",
        ("voicemail", "save", "1"): "voicemail save needs a FILE",
        ("voicemail", "heard", "1", "x.wav"): "voicemail heard takes only an ID",
        ("voicemail", "list", "1"): "voicemail list takes no ID",
        ("fax", "save", "1"): "fax save needs ID FILE",
        ("fax", "sent", "1"): "fax sent takes no arguments",
        ("queue", "login", "lunch"): "only queue pause takes a REASON",
        ("config", "no.such"): "there is no setting 'no.such'",
        ("switch", "AfterHours", "maybe"): "invalid choice: 'maybe'",
    }
    for args, words in cases.items():
        assert words in usage_error(logged_in, *args), args
    assert len(sim.state.requests) == asked  # none of them reached the PBX
    # A failure the PBX tells of is 1, not 2.
    assert logged_in("presence", "Nowhere", ok=False).returncode == 1


def test_history_shows_talk_time_and_marks_unanswered_calls(logged_in: Companion) -> None:
    records = json.loads(logged_in("history", "--limit", "40", "--json").stdout)
    lines = logged_in("history", "--limit", "40").stdout.splitlines()
    assert len(lines) == len(records)
    kinds = set()
    for record, line in zip(records, lines, strict=True):
        talked = line.rsplit("  ", 1)[1]
        if record["connected"]:  # the talk time, not the whole call with its ringing
            minutes, seconds = divmod(record["connected"], 60)
            assert talked == f"{minutes}:{seconds:02d}", line
        else:
            assert talked == "-", line
        if record["missed"]:
            kinds.add("missed")
            assert "  missed  " in line
        elif record["outgoing"] and not record["connected"]:
            kinds.add("not answered")
            assert "  out, not answered  " in line
    assert kinds == {"missed", "not answered"}  # the demo has both: each was checked
    assert any(r["duration"] > r["connected"] > 0 for r in records)
    assert "+41 44 123 45 67" in "\n".join(lines)  # as the GUI shows it, not +41441234567


def test_config_errors_are_one_line(companion: Companion) -> None:
    assert "dialing.region" in companion("config", "no.such.key", ok=False).stderr
    companion("config", "dialing.region", "at")
    assert companion("config", "dialing.region").stdout.strip() == "AT"


def test_demo_runs_a_command_against_the_embedded_pbx(companion: Companion) -> None:
    out = companion("--demo", "search", "Tina").stdout
    assert "Tina Sander" in out
    assert not companion.config_dir.exists()  # the demo never touches the user's settings


def test_dial_path_does_not_import_qt(logged_in: Companion) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "companion", "dial", "221"],
        capture_output=True,
        text=True,
        env=logged_in.env,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    imported = done.stderr
    assert "httpx" in imported
    assert "PySide6" not in imported and "starlette" not in imported


def test_a_bare_link_is_an_open_command_but_not_after_the_gui_flag() -> None:
    from companion.cli import _with_open

    assert _with_open(["tel:221"]) == ["open", "tel:221"]
    assert _with_open(["--demo", "sip:221@pbx"]) == ["--demo", "open", "sip:221@pbx"]
    assert _with_open(["--open", "tel:221"]) == ["--open", "tel:221"]
    assert _with_open(["dial", "tel:221"]) == ["dial", "tel:221"]


def test_status_shows_each_feature_with_its_state(logged_in: Companion, sim: Simulator) -> None:
    sim.misbehave("forbidden", path="faxserver")
    done = logged_in("status", "--json")
    report = json.loads(done.stdout)
    assert report["reachable"] is True and report["user"] == USER
    assert report["extension"] == "101" and report["name"] == "Max Mustermann"
    features = {f["feature"]: f for f in report["features"]}
    assert features["fax"]["availability"] == "unavailable"
    assert "does not allow this REST user to read faxes (403)" in features["fax"]["reason"]
    for name in ("calls", "presence", "redirect", "switches", "voicemail", "queues", "history"):
        assert features[name]["availability"] == "available", features[name]
        assert features[name]["offered"] is True

    text = logged_in("status").stdout
    assert text.startswith(f"Connected to {sim.base_url} as Max Mustermann (mmuster")
    assert any(
        line.split()[:2] == ["fax", "unavailable"] for line in text.splitlines()
    ), text  # fmt: skip


def test_status_of_an_unreachable_pbx_fails_in_one_line(
    logged_in: Companion, sim: Simulator
) -> None:
    sim.stop()
    done = logged_in("status", ok=False)
    assert done.returncode == 1
    assert "not connected to the PBX" in done.stderr and "cannot be reached" in done.stderr


def test_voicemail_list_shows_every_message_beside_hostile_ones(
    logged_in: Companion, sim: Simulator
) -> None:
    """Issue 10: a time of "²" or 400 digits made the whole list fail."""
    sim.inject_records(
        "voicemailbox/101/*",
        [{"msg_id": "bad-time", "origtime": "²"}, {"msg_id": "bad-long", "origtime": 10**400}],
    )
    messages = json.loads(logged_in("voicemail", "list", "--json").stdout)
    ids = {m["id"] for m in messages}
    assert {"bad-time", "bad-long"} <= ids and len(ids) == 7
    assert "bad-time" in logged_in("voicemail", "list").stdout


def test_redirect_of_a_user_without_extension_says_so(companion: Companion, tmp_path: Path) -> None:
    data = json.loads((REPO / "resources" / "demo-pbx.json").read_text(encoding="utf-8"))
    data["identity"].append({"003use_bez": "No Ext", "003use_name": "nox", "003use_pw": "pw-99"})
    path = tmp_path / "pbx.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with Simulator.start(path, rest_user=REST_USER, rest_password=REST_PASSWORD) as sim:
        companion(
            "login",
            "--url",
            sim.base_url,
            "--rest-user",
            REST_USER,
            "--user",
            "nox",
            "--password-stdin",
            stdin=REST_PASSWORD + "\n",
        )
        for args in (("redirect",), ("redirect", "221"), ("redirect", "off"), ("redirect", "on")):
            done = companion(*args, ok=False)
            assert "no extension" in done.stderr, args
            assert "Redirect of :" not in done.stdout
        assert not any("/redirect" in r.path for r in sim.state.requests)
def test_fax_send_checks_the_pdf_first_and_shows_its_pages(
    logged_in: Companion, sim: Simulator, tmp_path: Path
) -> None:
    from tests.support.pdfs import write_pdf

    jobs = len(sim.state.done)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n")
    failed = logged_in("fax", "send", str(broken), "030 123456", ok=False)
    assert "broken.pdf cannot be opened as a PDF" in failed.stderr
    good = write_pdf(tmp_path / "Angebot.pdf", pages=2)
    out = logged_in("fax", "send", str(good), "030 123456").stdout
    assert "Fax Angebot.pdf (2 pages) scheduled for 030 123456" in out
    assert len(sim.state.done) == jobs + 1  # only the good one reached the PBX


def test_fax_save_into_a_directory_uses_the_fax_name(logged_in: Companion, tmp_path: Path) -> None:
    received = json.loads(logged_in("fax", "--json").stdout)
    folder = tmp_path / "faxes"
    folder.mkdir()
    out = logged_in("fax", "save", received[0]["id"], str(folder)).stdout
    saved = list(folder.iterdir())
    assert [p.suffix for p in saved] == [".pdf"] and saved[0].read_bytes().startswith(b"%PDF")
    assert str(saved[0]) in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "faxes", "keyring.json"]
    failed = logged_in("fax", "save", received[0]["id"], str(tmp_path / "no" / "x.pdf"), ok=False)
    assert "there is no directory" in failed.stderr
    assert not (tmp_path / "no").exists()


def test_ordinary_mistakes_get_their_own_message(companion: Companion, tmp_path: Path) -> None:
    for url in ("https://pbx:99999/x", "https://pbx:abc/x"):
        failed = companion("login", "--url", url, "--user", "u", "--password-stdin",
                           stdin="pw\n", ok=False)  # fmt: skip
        assert "its port must be a number from 1 to 65535" in failed.stderr
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    cases = {
        str(tmp_path / "missing.json"): "No such file",
        str(fifo): "named pipe (FIFO), not a regular file",
    }
    (tmp_path / "bad.json").write_text("{")
    cases[str(tmp_path / "bad.json")] = "line 1, column 2"
    (tmp_path / "list.json").write_text("[1]")
    cases[str(tmp_path / "list.json")] = "must be an object of plugin arrays"
    for data, words in cases.items():
        failed = companion("simulator", "--port", "0", "--data", data, ok=False)
        assert words in failed.stderr and "unexpected" not in failed.stderr
    out_of_range = subprocess.run(
        [sys.executable, "-m", "companion", "simulator", "--port", "99999"],
        capture_output=True, text=True, env=companion.env, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert out_of_range.returncode == 2 and "the port must be 0 to 65535" in out_of_range.stderr
    failed = companion("simulator", "--port", "0", "--host", "no-such-host.invalid", ok=False)
    assert "the demo PBX cannot listen on no-such-host.invalid" in failed.stderr
def test_search_answers_from_the_local_directory_once_synced(
    logged_in: Companion, sim: Simulator, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    logged_in.env["COMPANION_CACHE_DIR"] = str(cache)
    assert "No local directory yet" in logged_in("directory", "status").stdout
    before = json.loads(logged_in("search", "mueller", "--json", "--limit", "50").stdout)
    assert before["source"] == "pbx"

    assert "Synced" in logged_in("directory", "sync").stdout
    status = logged_in("directory").stdout
    assert "Entries:" in status and "Last sync:" in status and "MB" in status
    files = list((cache / "directory").glob("*.sqlite3"))
    assert len(files) == 1 and str(files[0]) in status

    sim.misbehave("error500")  # the index answers without asking the PBX
    found = json.loads(logged_in("search", "mueller", "--json", "--limit", "50").stdout)
    assert found["source"] == "index"
    assert len(found["contacts"]) > len(before["contacts"])
    assert all("Müller" in c["name"] or "Mueller" in c["name"] for c in found["contacts"])
    text = logged_in("search", "0891234").stdout  # "089/1234..." as the GUI shows it
    assert "+49 89 1234" in text
    assert logged_in("search", "mueller", "--remote", ok=False).returncode != 0
    sim.behave()
    assert json.loads(logged_in("search", "x", "--remote", "--json").stdout)["source"] == "pbx"

    assert "Deleted the local directory" in logged_in("logout").stdout
    assert not files[0].exists()


COLD_RUN = """
import sys
from companion.cli import main
code = main(sys.argv[1:])
heavy = {"PySide6", "shiboken6", "qasync", "starlette", "uvicorn", "click", "phonenumbers"}
heavy |= {"asyncio", "websockets"}  # one request needs no event loop (anyio: httpcore loads it)
found = {m.split(".")[0] for m in sys.modules} & heavy
found |= {m for m in ("companion.commands", "companion.pbx.models") if m in sys.modules}
print("imported:", sorted(found), file=sys.stderr)
sys.exit(code)
"""


def test_a_cold_dial_imports_no_qt_and_no_web_server(logged_in: Companion, sim: Simulator) -> None:
    # No app runs (the helper's own socket dir): the CLI dials itself, and light (an
    # extension needs no phone-number library; one request no event loop and no models;
    # httpx's own command line, with click, is kept out by companion/pbx/pascom/__init__).
    done = subprocess.run(
        [sys.executable, "-c", COLD_RUN, "dial", "221"],
        capture_output=True,
        text=True,
        env=logged_in.env,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Calling 221.\n"
    assert done.stderr.strip().splitlines()[-1] == "imported: []"
    assert [a.destination for a in sim.state.actions if a.action == "dial"] == ["221"]


LAZY_GROUPS = """
import sys
from companion.commands import command
assert callable(command("dial"))
groups = {"account", "calls", "common", "directory", "inbox", "simulator", "state"}
print(sorted(g for g in groups if f"companion.commands.{g}" in sys.modules))
"""


def test_a_command_imports_only_its_own_group_of_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAZY_GROUPS], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['calls', 'common']\n"


def test_every_subcommand_has_a_function_that_carries_it_out() -> None:
    from companion.cli import DESKTOP_COMMANDS
    from companion.commands import WHERE, command

    assert set(WHERE) == set(_commands()) - DESKTOP_COMMANDS - {"relay"}
    for name in WHERE:
        assert callable(command(name)), name


def _commands() -> dict[str, argparse.ArgumentParser]:
    from companion.cli import _parser

    parser = _parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_argument_has_a_help_text_and_every_command_an_example() -> None:
    commands = _commands()
    assert {"dial", "history", "voicemail", "simulator", "url-handler-status"} <= set(commands)
    for name, parser in commands.items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        assert parser.epilog and parser.epilog.startswith("example"), name
        examples = parser.epilog.splitlines()[1:]
        assert examples and all(e.startswith(f"  companion {name}") for e in examples), name


def test_each_commands_help_ends_with_an_example(companion: Companion) -> None:
    for name in _commands():
        shown = companion(name, "--help").stdout.rstrip().splitlines()
        assert shown[-1].startswith(f"  companion {name}"), (name, shown[-3:])
        assert any(line.startswith("example") for line in shown[-4:]), name


@pytest.mark.skipif(shutil.which("xdg-mime") is None, reason="needs xdg-utils")
def test_url_handler_status_exits_0_and_gives_each_hint_once(
    companion: Companion, tmp_path: Path
) -> None:
    for name in ("data", "config"):
        (tmp_path / name).mkdir()
    companion.env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_DIRS=str(tmp_path / "none"),
        XDG_CONFIG_DIRS=str(tmp_path / "none"),
        XDG_CURRENT_DESKTOP="",
    )
    nobody = companion("url-handler-status").stdout  # exit 0: the status is known
    assert nobody.count("--  ") == 5 and nobody.count("install-url-handler") == 1
    assert nobody.splitlines()[-1].startswith("To make Companion the handler, run:")

    companion("install-url-handler")
    (tmp_path / "data" / "applications" / "other.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Other\nExec=sh %u\n"
        "MimeType=x-scheme-handler/sip;\n"
    )
    subprocess.run(
        ["xdg-mime", "default", "other.desktop", "x-scheme-handler/sip"],
        env=companion.env, check=True,
    )  # fmt: skip
    one_other = companion("url-handler-status").stdout
    assert one_other.count("--  ") == 1 and one_other.count("ok  ") == 4  # + companion:
    assert one_other.count("install-url-handler") == 1
    assert one_other.splitlines()[-1].endswith("(sip:)")
    statuses = json.loads(companion("url-handler-status", "--json").stdout)
    assert [s["is_companion"] for s in statuses] == [True, True, False, True, True]


@pytest.mark.parametrize(
    "line",
    [
        ["dial", "221"],
        ["dial", "--selection", "--device", "Desk"],
        ["transfer", "222", "--device", "Desk"],
        ["search", "mueller", "--limit", "5", "--json"],
        ["fax", "send", "letter.pdf", "030 123456"],
        ["relay", "users", "--data-dir", "/srv/relay"],
        ["simulator", "--kind", "innovaphone", "--port", "0"],
    ],
)
def test_a_command_parsed_by_its_own_parser_reads_as_with_every_command(line: list[str]) -> None:
    from companion.cli import _parser

    alone, full = _parser(line[0]), _parser()
    (sub,) = (a for a in alone._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == [line[0]]  # only that command was built

    def read(parser: argparse.ArgumentParser) -> dict[str, object]:
        return {k: v for k, v in vars(parser.parse_args(line)).items() if k != "usage_error"}

    assert read(alone) == read(full)


def test_an_unknown_command_lists_the_commands_it_could_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from companion.cli import parse

    with pytest.raises(SystemExit) as info:
        parse(["dil", "221"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'dil'" in err and "'dial'" in err and "'relay'" in err

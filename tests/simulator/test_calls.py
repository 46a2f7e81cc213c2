"""Calls in the demo PBX: ringing -> busy -> hangup by the clock, device actions, voicemail."""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from companion.simulator import Simulator
from tests.simulator.conftest import seg, services

SOFTPHONE = "pascom Softphone [Max Mustermann]"
DESK_PHONE = "Yealink T54W [Max Mustermann]"
ACTION = "identity/mmuster/defaultdevice/action"
CALLER = "+4989123456"


def hint(api: httpx.Client, user: str) -> str:
    return str(api.get("identity/states", params={"keys": user}).json()[user]["state"])


def live(api: httpx.Client) -> list[dict[str, object]]:
    r = api.get("cdr/live")
    return [] if r.status_code == 204 else list(r.json())


def last_record(api: httpx.Client, **params: str) -> dict[str, object]:
    [record] = api.get("cdr/", params={**params, "limit": "1"}).json()
    return dict(record)


@pytest.fixture
def ringing_dials(sim: Simulator) -> Iterator[Simulator]:
    """Dialled far ends ring 2 s before they answer (the shared PBX keeps 0 otherwise)."""
    sim.state.calls.dial_ring_s = 2.0
    yield sim
    sim.state.calls.dial_ring_s = 0.0


def test_a_dial_rings_then_connects_then_hangs_up(
    ringing_dials: Simulator, api: httpx.Client
) -> None:
    sim = ringing_dials
    api.post(ACTION, json={"action": "dial", "destination": "221"})
    [call] = live(api)
    assert call["state"] == "ringing"
    assert (call["ringing"], call["connected"], call["holdCount"]) == (0, 0, 0)
    src = {k[3:]: v for k, v in call.items() if k.startswith("src")}
    dst = {k[3:]: v for k, v in call.items() if k.startswith("dst")}
    assert src["UserName"] == "mmuster" and src["Name"] == "Max Mustermann"
    assert (src["Number"], src["Extension"], src["Internal"]) == ("101", "101", True)
    assert src["DeviceName"] == SOFTPHONE and isinstance(src["DeviceId"], int)
    assert isinstance(src["UserId"], int)
    assert (dst["UserName"], dst["Name"], dst["Extension"]) == ("tsander", "Tina Sander", "221")
    assert isinstance(dst["UserId"], int) and dst["Internal"] is True
    # the far end is a demo user: the call shows on her side too
    assert (hint(api, "mmuster"), hint(api, "tsander")) == ("InUse", "Ringing")

    sim.skip(2.5)
    [call] = live(api)
    assert (call["state"], call["ringing"], call["connected"]) == ("busy", 2, 0)
    assert hint(api, "tsander") == "InUse"
    sim.skip(10)
    one = api.get(f"cdr/live/{call['phonecallId']}").json()
    assert (one["connected"], one["duration"], one["ringing"]) == (10, 12, 2)

    api.post(ACTION, json={"action": "hangup"})
    assert api.get("cdr/live").status_code == 204
    record = last_record(api, srcusername="mmuster")
    assert record["phonecallId"] == call["phonecallId"]
    assert (record["result"], record["resultDetails"]) == ("hangup", "src")
    assert (record["connected"], record["duration"], record["dstUserName"]) == (10, 12, "tsander")
    # back to the states in the data
    assert (hint(api, "mmuster"), hint(api, "tsander")) == ("Idle", "Unavailable")


def test_a_cancelled_dial_leaves_a_record_without_talk_time(
    ringing_dials: Simulator, api: httpx.Client
) -> None:
    api.post(ACTION, json={"action": "dial", "destination": CALLER})
    ringing_dials.skip(1)
    api.post(ACTION, json={"action": "hangup"})
    record = last_record(api, srcusername="mmuster")
    assert (record["dstNumber"], record["connected"], record["duration"]) == (CALLER, 0, 1)


def test_call_records_have_the_fields_of_the_history(sim: Simulator, api: httpx.Client) -> None:
    loaded = last_record(api, dstusername="mmuster")
    sim.ring(CALLER, "mmuster", name="Globex Ltd.")
    api.post(ACTION, json={"action": "offhook"})
    api.post(ACTION, json={"action": "hangup"})
    made = last_record(api, dstusername="mmuster")
    assert made["id"] != loaded["id"]
    assert set(made) == set(loaded)
    assert (made["srcNumber"], made["srcName"], made["srcInternal"]) == (
        CALLER,
        "Globex Ltd.",
        False,
    )
    assert (made["srcUserId"], made["srcDeviceId"]) == ("", "")


@pytest.mark.parametrize(
    ("action", "path", "device"),
    [
        ("offhook", ACTION, SOFTPHONE),
        ("pickup", "identity/mmuster/device/" + seg(DESK_PHONE) + "/action", DESK_PHONE),
    ],
)
def test_the_answering_actions_answer_a_ringing_call(
    sim: Simulator, api: httpx.Client, action: str, path: str, device: str
) -> None:
    call_id = sim.ring(CALLER, "mmuster", name="Globex Ltd.")
    [call] = live(api)
    assert (call["phonecallId"], call["state"]) == (call_id, "ringing")
    assert (call["srcNumber"], call["srcName"], call["srcInternal"]) == (
        CALLER,
        "Globex Ltd.",
        False,
    )
    assert call["dstUserName"] == "mmuster"
    assert hint(api, "mmuster") == "Ringing"
    sim.skip(3)
    assert api.post(path, json={"action": action}).json() == {"response": f"{action} commited"}
    [call] = live(api)
    assert (call["state"], call["ringing"], call["dstDeviceName"]) == ("busy", 3, device)
    assert hint(api, "mmuster") == "InUse"
    assert sim.state.actions[-1].action == action


def test_hold_holds_and_resumes_and_counts(sim: Simulator, api: httpx.Client) -> None:
    sim.ring(CALLER, "mmuster", answer=0)
    api.post(ACTION, json={"action": "hold"})
    [call] = live(api)
    assert (call["state"], call["holdCount"]) == ("hold", 1)
    assert hint(api, "mmuster") == "OnHold"
    sim.skip(5)
    api.post(ACTION, json={"action": "hold"})
    [call] = live(api)
    assert (call["state"], call["holdDuration"]) == ("busy", 5)
    api.post(ACTION, json={"action": "hangup"})
    record = last_record(api, dstusername="mmuster")
    assert (record["holdCount"], record["holdDuration"], record["connected"]) == (1, 5, 5)


def test_transfer_moves_the_caller_to_the_destination(sim: Simulator, api: httpx.Client) -> None:
    sim.ring(CALLER, "mmuster", answer=0)
    api.post(ACTION, json={"action": "transfer", "destination": "221"})
    record = last_record(api, dstusername="mmuster")
    assert (record["result"], record["srcNumber"]) == ("transfer", CALLER)
    [moved] = live(api)
    assert (moved["srcNumber"], moved["dstUserName"]) == (CALLER, "tsander")
    assert (moved["via"], moved["viaDetails"], moved["parentId"]) == (
        "transfer",
        "action",
        record["id"],
    )
    assert moved["state"] == "busy"  # the test PBX's far ends answer at once
    assert (hint(api, "mmuster"), hint(api, "tsander")) == ("Idle", "InUse")


def test_a_call_waiting_is_answered_and_the_first_call_held(
    sim: Simulator, api: httpx.Client
) -> None:
    api.post(ACTION, json={"action": "dial", "destination": "0895554321"})
    waiting = sim.ring(CALLER, "mmuster")
    assert [c["state"] for c in live(api)] == ["busy", "ringing"]
    api.post(ACTION, json={"action": "pickup"})
    assert [(c["phonecallId"] == waiting, c["state"]) for c in live(api)] == [
        (False, "hold"),
        (True, "busy"),
    ]
    api.post(ACTION, json={"action": "hangup"})  # ends the call that is talking
    [first] = live(api)
    assert (first["dstNumber"], first["state"]) == ("0895554321", "hold")
    api.post(ACTION, json={"action": "hold"})  # resumes it
    assert live(api)[0]["state"] == "busy"


def inbox(api: httpx.Client) -> httpx.Headers:
    return api.head("voicemailbox/101/INBOX").headers


def test_an_unanswered_call_leaves_a_voicemail(sim: Simulator, api: httpx.Client) -> None:
    before = int(inbox(api)["x-voicemail-count-inbox"])
    sim.ring(CALLER, "mmuster", ring_s=20, name="Globex Ltd.", message_s=3)
    sim.skip(19)
    assert live(api)[0]["state"] == "ringing"
    sim.skip(1.5)
    # the caller is on the voicemail now; the user's call is over and unanswered
    record = last_record(api, dstusername="mmuster")
    assert (record["result"], record["resultDetails"]) == ("noanswer", "voicemail")
    assert (record["connected"], record["duration"]) == (0, 20)
    [on_voicemail] = live(api)
    assert (on_voicemail["dstName"], on_voicemail["via"]) == ("Voicemail", "noanswer")
    assert on_voicemail["dstUserName"] == "" and on_voicemail["parentId"] == record["id"]
    assert hint(api, "mmuster") == "Idle"
    assert int(inbox(api)["x-voicemail-count-inbox"]) == before

    sim.skip(3)
    assert api.get("cdr/live").status_code == 204
    headers = inbox(api)
    assert int(headers["x-voicemail-count-inbox"]) == before + 1
    [newest] = api.get("voicemailbox/101/INBOX", params={"limit": 1}).json()
    assert newest["id"] == headers["x-voicemail-lastmsg-id"]
    assert (newest["calleridname"], newest["calleridnum"], newest["duration"]) == (
        "Globex Ltd.",
        CALLER,
        "3",
    )
    audio = api.get(f"voicemailbox/101/INBOX/{newest['id']}")
    assert audio.headers["content-type"] == "audio/x-wav"
    with wave.open(io.BytesIO(audio.content)) as w:
        assert round(w.getnframes() / w.getframerate()) == 3
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)


def test_declining_sends_the_caller_to_voicemail(sim: Simulator, api: httpx.Client) -> None:
    before = int(inbox(api)["x-voicemail-count-inbox"])
    sim.ring(CALLER, "mmuster", message_s=0)
    api.post(ACTION, json={"action": "hangup"})
    record = last_record(api, dstusername="mmuster")
    assert (record["result"], record["resultDetails"], record["connected"]) == ("hangup", "dst", 0)
    assert api.get("cdr/live").status_code == 204
    assert int(inbox(api)["x-voicemail-count-inbox"]) == before + 1


def test_the_caller_hangs_up_after_talking(sim: Simulator, api: httpx.Client) -> None:
    sim.ring(CALLER, "mmuster", answer=2, talk_s=30)
    sim.skip(31)
    assert live(api)[0]["connected"] == 29
    sim.skip(1)
    assert api.get("cdr/live").status_code == 204
    record = last_record(api, dstusername="mmuster")
    assert (record["connected"], record["duration"], record["resultDetails"]) == (30, 32, "src")


def test_a_queue_call_carries_via_and_the_queue(sim: Simulator, api: httpx.Client) -> None:
    sim.ring(CALLER, "101", via="queue Support")
    [call] = live(api)
    assert (call["via"], call["viaDetails"]) == ("queue", "caller")
    queue = call["data"]["queue"]  # type: ignore[index]
    assert (queue["queueName"], queue["queueExtension"]) == ("Support", "300")


# ---------------------------------------------------------------------- control endpoint


def control(sim: Simulator) -> httpx.Client:
    """No credential: the control endpoint is the simulator's, not the REST API's."""
    return httpx.Client(base_url=sim.base_url + "/_sim/", timeout=10.0)


def test_the_control_endpoint_rings_answers_and_hangs_up(sim: Simulator, api: httpx.Client) -> None:
    with control(sim) as ctl:
        r = ctl.post("call", json={"from": CALLER, "to": "101", "ring_s": 20, "answer": None})
        assert r.status_code == 200
        call_id = r.json()["phonecallId"]
        assert api.get(f"cdr/live/{call_id}").json()["state"] == "ringing"
        assert ctl.post(f"call/{call_id}/answer").status_code == 200
        assert api.get(f"cdr/live/{call_id}").json()["state"] == "busy"
        assert ctl.post(f"call/{call_id}/answer").status_code == 409
        assert ctl.post(f"call/{call_id}/hangup").status_code == 200
        assert api.get(f"cdr/live/{call_id}").status_code == 204
        assert ctl.post(f"call/{call_id}/hangup").status_code == 404
    assert last_record(api, dstusername="mmuster")["phonecallId"] == call_id


def test_a_caller_who_gives_up_leaves_an_unanswered_record(
    sim: Simulator, api: httpx.Client
) -> None:
    with control(sim) as ctl:
        call_id = ctl.post("call", json={"from": "tsander", "to": "mmuster"}).json()["phonecallId"]
        [call] = live(api)
        assert (call["srcUserName"], call["dstUserName"]) == ("tsander", "mmuster")
        ctl.post(f"call/{call_id}/hangup")
    record = last_record(api, dstusername="mmuster")
    assert (record["result"], record["connected"], record["srcUserName"]) == (
        "noanswer",
        0,
        "tsander",
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"to": "mmuster"}, 400),
        ({"from": CALLER}, 400),
        ({"from": CALLER, "to": "nobody"}, 404),
        ({"from": CALLER, "to": "mmuster", "ring_s": -1}, 400),
        ({"from": CALLER, "to": "mmuster", "answer": "soon"}, 400),
        ({"from": CALLER, "to": "mmuster", "via": "queue Nowhere"}, 404),
        (["from", CALLER], 400),
    ],
)
def test_the_control_endpoint_refuses_bad_calls(
    sim: Simulator, api: httpx.Client, body: object, status: int
) -> None:
    with control(sim) as ctl:
        r = ctl.post("call", json=body)
    assert r.status_code == status
    assert r.json()["error"]
    assert api.get("cdr/live").status_code == 204


def test_the_control_endpoint_is_not_part_of_the_rest_api(sim: Simulator) -> None:
    with services(sim) as api:
        r = api.post("_sim/call", json={"from": CALLER, "to": "mmuster"})
        assert r.status_code == 404
        assert api.get("cdr/live").status_code == 204
    # and nothing outside the simulator may depend on it: a real pascom has no such thing
    package = Path(__file__).resolve().parents[2] / "companion"
    users = [
        p
        for p in package.rglob("*.py")
        if "simulator" not in p.parts and "_sim/" in p.read_text(encoding="utf-8")
    ]
    assert users == []


# ---------------------------------------------------------------------- scripted caller


def test_the_scripted_caller_rings_the_demo_user_from_a_contact(
    sim: Simulator, api: httpx.Client
) -> None:
    before = int(inbox(api)["x-voicemail-count-inbox"])
    caller = sim.script_calls(first_s=0.05, every_s=0.3, ring_s=20)
    try:
        deadline = time.monotonic() + 5
        while len(caller.calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        caller.stop()
    assert len(caller.calls) == 2
    calls = live(api)
    assert [c["phonecallId"] for c in calls] == caller.calls
    assert [(c["srcName"], c["srcNumber"], c["dstUserName"], c["state"]) for c in calls] == [
        ("Schreinerei Huber - Josef Huber", "0895554321", "mmuster", "ringing"),
        ("Praxis Dr. Keller", "+41441234567", "mmuster", "ringing"),
    ]
    sim.skip(20 + 5)  # unanswered: both leave a message
    assert int(inbox(api)["x-voicemail-count-inbox"]) == before + 2


def test_scripted_calls_start_20_s_after_the_start() -> None:
    with Simulator.start(scripted_calls=True) as demo:
        assert demo.caller is not None
        assert (demo.caller.first_s, demo.caller.user) == (20.0, "mmuster")
        assert demo.caller.calls == []
    assert demo.caller is not None and not demo.caller._thread.is_alive()


def test_the_cli_has_a_scripted_calls_switch() -> None:
    from companion.cli import _parser

    assert _parser().parse_args(["simulator", "--scripted-calls"]).scripted_calls is True
    assert _parser().parse_args(["simulator"]).scripted_calls is False


# ---------------------------------------------------------------------- reference variant


@pytest.fixture(scope="module")
def _reference() -> Iterator[Simulator]:
    with Simulator.start(variant="reference") as simulator:
        yield simulator


@pytest.fixture
def ref(_reference: Simulator) -> Iterator[Simulator]:
    _reference.reset()
    yield _reference


def test_the_reference_variant_answers_one_call_as_one_object(ref: Simulator) -> None:
    with services(ref) as api:
        api.post(ACTION, json={"action": "dial", "destination": CALLER})
        one = api.get("cdr/live").json()
        assert isinstance(one, dict)
        assert (one["state"], one["dstNumber"]) == ("BUSY", CALLER)
        assert (one["dstUserId"], one["dstDeviceId"], one["parentId"]) == ("", "", "")
        ref.ring("+41441234567", "mmuster")
        both = api.get("cdr/live").json()
        assert [c["state"] for c in both] == ["BUSY", "RINGING"]
        api.post(ACTION, json={"action": "hangup"})
        api.post(ACTION, json={"action": "hold"})
        assert api.get("cdr/live").json()["state"] == "RINGING"

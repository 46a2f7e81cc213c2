"""/voicemailbox: lists, HEAD counts, audio (services and asset), move, mail, delete."""

from __future__ import annotations

import io
import wave

import httpx

from companion.simulator import Simulator

from .conftest import REST_PASSWORD, REST_USER, origin


def ids(client: httpx.Client, folder: str) -> list[tuple[str, str]]:
    r = client.get(f"voicemailbox/101/{folder}")
    if r.status_code == 204:
        return []
    return [(m["folder"], m["id"]) for m in r.json()]


def test_mailboxes(ro: httpx.Client) -> None:
    boxes = {b["016voi_mailbox"]: b for b in ro.get("voicemailbox/").json()}
    assert boxes["101"]["016voi_name"] == "Max Mustermann"
    assert set(boxes["101"]) == {
        "016voi_id",
        "016voi_mailbox",
        "016voi_name",
        "016voi_tmstmp",
        "016voi_transcribe",
    }
    detail = ro.get("voicemailbox/101").json()
    assert detail["folders"] == ["INBOX", "Old", "Urgent", "tmp"]
    assert detail["016voi_email"] == "max.mustermann@demo.example"
    assert ro.get("voicemailbox/999").status_code == 404


def test_inbox_and_old(ro: httpx.Client) -> None:
    inbox = ro.get("voicemailbox/101/INBOX").json()
    assert [m["id"] for m in inbox] == ["msg0002", "msg0001", "msg0000"]  # newest first
    tina = inbox[-1]
    assert tina["calleridname"] == "Tina Sander"
    assert tina["calleridnum"] == "221"
    assert tina["callerid"] == '"Tina Sander" <221>'
    assert tina["origmailbox"] == "101"
    assert tina["folder"] == "INBOX"
    assert tina["file"] == "msg0000.txt"
    assert int(tina["duration"]) >= 2
    assert tina["msg_id"].startswith(tina["origtime"] + "-")
    assert ids(ro, "Old") == [("Old", "msg0001"), ("Old", "msg0000")]


def test_all_folders_and_limit(ro: httpx.Client) -> None:
    everything = ro.get("voicemailbox/101/*").json()
    assert len(everything) == 5
    assert {m["folder"] for m in everything} == {"INBOX", "Old"}
    stamps = [int(m["origtime"]) for m in everything]
    assert stamps == sorted(stamps, reverse=True)
    two = ro.get("voicemailbox/101/*", params={"limit": 2}).json()
    assert two == everything[:2]
    assert ro.get("voicemailbox/101/*", params={"limit": "x"}).status_code == 400


def test_empty_folder_is_204_and_unknown_folder_404(ro: httpx.Client) -> None:
    assert ro.get("voicemailbox/101/Urgent").status_code == 204
    assert ro.get("voicemailbox/101/Spam").status_code == 404


def test_head_counts(ro: httpx.Client) -> None:
    r = ro.head("voicemailbox/101/INBOX")
    assert r.status_code == 200
    newest = ro.get("voicemailbox/101/INBOX").json()[0]
    assert r.headers["x-voicemail-count"] == "3"
    assert r.headers["x-voicemail-count-inbox"] == "3"
    assert r.headers["x-voicemail-count-old"] == "2"
    assert r.headers["x-voicemail-lastmsg-folder"] == "INBOX"
    assert r.headers["x-voicemail-lastmsg-id"] == newest["id"]
    assert r.headers["x-voicemail-lastmsg-tmstmp"] == newest["origtime"]
    everything = ro.head("voicemailbox/101/*")
    assert everything.headers["x-voicemail-count"] == "5"
    empty = ro.head("voicemailbox/101/Urgent")
    assert empty.status_code == 200
    assert empty.headers["x-voicemail-count"] == "0"
    assert "x-voicemail-lastmsg-id" not in empty.headers


def check_wav(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    assert 1.5 < seconds < 10
    assert len(set(frames)) > 50  # not silence
    return seconds


def test_audio_from_services(ro: httpx.Client) -> None:
    r = ro.get("voicemailbox/101/INBOX/msg0000")
    assert r.status_code == 200
    assert r.headers["content-type"] == "audio/x-wav"
    seconds = check_wav(r.content)
    listed = ro.get("voicemailbox/101/INBOX").json()[-1]
    assert int(listed["duration"]) == round(seconds)


def test_audio_from_asset_with_basic_auth(demo: Simulator) -> None:
    url = demo.base_url + "/asset/voicemailbox/101/Old/msg0001"
    r = httpx.get(url, auth=(REST_USER, REST_PASSWORD), headers={"accept": "audio/x-wav"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "audio/x-wav"
    check_wav(r.content)
    unauthenticated = httpx.get(url)
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["www-authenticate"] == 'Basic realm="pascom"'
    assert httpx.get(url, params={"token": "forged", "expires": "9999999999"}).status_code == 403


def test_asset_token_for_voicemail(demo: Simulator) -> None:
    path = f"/{demo.state.instance}/asset/voicemailbox/101/INBOX/msg0001"
    token = demo.state.sign(path, 4102444800)
    r = httpx.get(origin(demo) + path, params={"token": token, "expires": "4102444800"})
    assert r.status_code == 200
    expired = demo.state.sign(path, 1000)
    assert (
        httpx.get(origin(demo) + path, params={"token": expired, "expires": "1000"}).status_code
        == 403
    )


def test_audio_by_msg_id_in_star_folder(ro: httpx.Client) -> None:
    old = ro.get("voicemailbox/101/Old").json()[0]
    a = ro.get(f"voicemailbox/101/Old/{old['id']}")
    b = ro.get(f"voicemailbox/101/*/{old['msg_id']}")
    assert b.status_code == 200
    assert a.content == b.content
    assert ro.get(f"voicemailbox/101/*/{old['id']}").status_code == 404
    assert ro.get("voicemailbox/101/INBOX/msg0009").status_code == 404


def test_different_messages_have_different_audio(ro: httpx.Client) -> None:
    a = ro.get("voicemailbox/101/INBOX/msg0000").content
    b = ro.get("voicemailbox/101/INBOX/msg0001").content
    assert a != b


def test_move_to_old(api: httpx.Client) -> None:
    tina = api.get("voicemailbox/101/INBOX").json()[-1]
    audio = api.get("voicemailbox/101/INBOX/msg0000").content
    r = api.post("voicemailbox/101/INBOX/msg0000", json={"action": "move", "targetfolder": "Old"})
    assert r.status_code == 200
    assert r.json() == {
        "response": "voicemail moved",
        "folder": "Old",
        "id": "msg0002",
        "msg_id": tina["msg_id"],
    }
    assert ids(api, "INBOX") == [("INBOX", "msg0002"), ("INBOX", "msg0001")]
    moved = [m for m in api.get("voicemailbox/101/Old").json() if m["msg_id"] == tina["msg_id"]]
    assert [(m["folder"], m["id"], m["calleridname"]) for m in moved] == [
        ("Old", "msg0002", "Tina Sander")
    ]
    assert api.get("voicemailbox/101/Old/msg0002").content == audio
    assert api.get("voicemailbox/101/INBOX/msg0000").status_code == 404
    head = api.head("voicemailbox/101/INBOX")
    assert (head.headers["x-voicemail-count-inbox"], head.headers["x-voicemail-count-old"]) == (
        "2",
        "3",
    )


def test_move_by_msg_id_back_to_inbox(api: httpx.Client) -> None:
    old = api.get("voicemailbox/101/Old").json()[0]
    r = api.post(
        f"voicemailbox/101/*/{old['msg_id']}", json={"action": "move", "targetfolder": "INBOX"}
    )
    assert r.json()["id"] == "msg0003"
    assert ("INBOX", "msg0003") in ids(api, "INBOX")


def test_move_errors(api: httpx.Client) -> None:
    url = "voicemailbox/101/INBOX/msg0000"
    assert api.post(url, json={"action": "move", "targetfolder": "Spam"}).status_code == 400
    assert api.post(url, json={"action": "move"}).status_code == 400
    assert api.post(url, json={"action": "burn"}).status_code == 400
    assert (
        api.post(
            "voicemailbox/101/INBOX/msg0042", json={"action": "move", "targetfolder": "Old"}
        ).status_code
        == 404
    )
    assert len(ids(api, "INBOX")) == 3


def test_mailto(api: httpx.Client) -> None:
    body = {"action": "mailto", "address": "fax@pascom.net", "subject": "Voicemail", "body": "Hi"}
    r = api.post("voicemailbox/101/INBOX/msg0001", json=body)
    assert r.json() == {"response": "voicemail mailed"}
    assert api.post("voicemailbox/101/INBOX/msg0001", json={"action": "mailto"}).status_code == 400


def test_delete(api: httpx.Client) -> None:
    r = api.delete("voicemailbox/101/Old/msg0000")
    assert r.status_code == 200
    assert ids(api, "Old") == [("Old", "msg0001")]
    assert api.delete("voicemailbox/101/Old/msg0000").status_code == 404
    api.delete("voicemailbox/101/Old/msg0001")
    assert api.get("voicemailbox/101/Old").status_code == 204


def test_other_mailboxes_are_separate(ro: httpx.Client) -> None:
    tina = ro.get("voicemailbox/221/INBOX").json()
    assert [(m["origmailbox"], m["calleridname"]) for m in tina] == [("221", "Max Mustermann")]

"""/faxserver: received faxes and their PDFs, sent faxes, prepare -> upload -> send."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from companion.simulator import Simulator
from companion.simulator.pascom.media import make_pdf

from .conftest import origin, services

PDF = make_pdf([["Testfax", "Zeile zwei"], ["Seite zwei"], ["Seite drei"]], title="Test")


def check_pdf(data: bytes) -> None:
    """A structural check: header, EOF, and every xref offset points at its object."""
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[startxref:].startswith(b"xref")
    count = int(re.match(rb"xref\s+0\s+(\d+)", data[startxref:]).group(1))  # type: ignore[union-attr]
    table = data[startxref:].split(b"\n")[2 : 2 + count]
    for number, row in enumerate(table[1:], start=1):
        offset = int(row[:10])
        assert data[offset:].startswith(f"{number} 0 obj".encode()), number


def pdfinfo_pages(data: bytes, tmp_path: Path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert out.stderr == ""
    return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))  # type: ignore[union-attr]


def test_faxserver_configuration(ro: httpx.Client) -> None:
    [config] = ro.get("faxserver/").json()
    assert config["027mod_id"] == 1
    assert config["027mod_caption"] == "demo"


def test_received_is_keyed_by_file_name_with_device_fields(
    demo: Simulator, ro: httpx.Client
) -> None:
    received = ro.get("faxserver/received").json()
    assert set(received) == {"fax000000010.tif", "fax000000011.tif", "fax000000012.tif"}
    for name, fax in received.items():
        assert fax["filename"] == name
        assert fax[""] == name
    mine = {n: f for n, f in received.items() if f["009ext_extension"] == "301"}
    assert set(mine) == {"fax000000010.tif", "fax000000012.tif"}
    assert {f["003use_id"] for f in mine.values()} == {3}
    assert mine["fax000000010.tif"]["pages"] == "2"
    assert mine["fax000000010.tif"]["010dev_bez"] == "Fax Max Mustermann"
    assert mine["fax000000010.tif"]["066dev_bez"] == "Virtual Fax Device"
    other = received["fax000000011.tif"]
    assert (other["009ext_extension"], other["003use_id"]) == ("302", 4)
    pdf = urlsplit(mine["fax000000010.tif"]["pdf"])
    assert f"{pdf.scheme}://{pdf.netloc}" == origin(demo)
    assert pdf.path == "/demo/asset/faxserver/received/1763460892000_10.pdf"
    query = parse_qs(pdf.query)
    assert set(query) == {"token", "expires"}
    assert int(query["expires"][0]) > time.time()


def test_received_pdf_download_needs_no_auth(ro: httpx.Client, tmp_path: Path) -> None:
    received = ro.get("faxserver/received").json()
    r = httpx.get(received["fax000000010.tif"]["pdf"])
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    check_pdf(r.content)
    assert pdfinfo_pages(r.content, tmp_path) in (None, 2)
    assert b"Schreinerei Huber" in r.content


def test_pdf_with_forged_or_expired_token_is_403(demo: Simulator, ro: httpx.Client) -> None:
    url = ro.get("faxserver/received").json()["fax000000012.tif"]["pdf"]
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}{parts.path}"
    expires = parse_qs(parts.query)["expires"][0]
    assert (
        httpx.get(base, params={"token": "AAAAAAAAAAAAAAAAAAAAAA", "expires": expires}).status_code
        == 403
    )
    assert httpx.get(base).status_code == 403
    past = int(time.time()) - 10
    token = demo.state.sign(parts.path, past)
    assert httpx.get(base, params={"token": token, "expires": past}).status_code == 403
    # a token is bound to its document
    other = ro.get("faxserver/received").json()["fax000000010.tif"]["pdf"]
    other_token = parse_qs(urlsplit(other).query)["token"][0]
    other_expires = parse_qs(urlsplit(other).query)["expires"][0]
    assert (
        httpx.get(base, params={"token": other_token, "expires": other_expires}).status_code == 403
    )


def test_done_is_keyed_by_id(ro: httpx.Client) -> None:
    done = ro.get("faxserver/done").json()
    assert set(done) == {"3", "4", "5"}
    mine = {k: v for k, v in done.items() if v["sender"] == "mmuster"}
    assert set(mine) == {"3", "5"}
    assert done["3"]["state"] == "D"
    assert done["3"]["jobtag"] == "Angebot Müller & Söhne.pdf"
    assert done["3"]["dialstring"] == "+49 30 1234567"


def test_prepare_needs_eight_characters(ro: httpx.Client) -> None:
    assert ro.get("faxserver/prepare/Short12").status_code == 400
    r = ro.get("faxserver/prepare/TestFax01")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "TestFax01"
    url = urlsplit(body["url"])
    assert (url.scheme, url.netloc) == ("", "")
    assert url.path == "/demo/asset/faxserver/upload/TestFax01"
    assert set(parse_qs(url.query)) == {"token", "expires"}
    assert int(parse_qs(url.query)["expires"][0]) > time.time() + 25


def upload(sim: Simulator, url: str, content: bytes = PDF, field: str = "filea") -> httpx.Response:
    return httpx.post(origin(sim) + url, files={field: ("fax.pdf", content, "application/pdf")})


def test_send_a_fax(sim: Simulator, api: httpx.Client) -> None:
    url = api.get("faxserver/prepare/Angebot-0042").json()["url"]
    r = upload(sim, url)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.content == b""
    body = {
        "action": "send",
        "fax": "+49 30 1234567",
        "tag": "Angebot",
        "notify": "max.mustermann@demo.example",
        "prefix": "auto",
    }
    r = api.post("faxserver/waiting/Angebot-0042", json=body)
    assert r.status_code == 200
    [answer] = r.json()
    m = re.fullmatch(
        r"request id is (\d+) \(group id (\d+)\) for host localhost \(1 file\)", answer
    )
    assert m is not None and m.group(1) == m.group(2)
    job = api.get("faxserver/done").json()[m.group(1)]
    assert job["state"] == "D"
    assert job["jobtag"] == "Angebot"
    assert job["dialstring"] == "+49 30 1234567"
    assert job["sender"] == "mmuster"  # found by the notify address
    assert job["totalPages"] == "3"
    # the document is gone from "waiting" once sent
    assert api.post("faxserver/waiting/Angebot-0042", json=body).status_code == 404


def test_sender_field_and_fallback(sim: Simulator, api: httpx.Client) -> None:
    for fax_id, extra, expected in (
        ("Sender-01", {"sender": "tsander"}, "tsander"),
        ("Sender-02", {"notify": "nobody@example.org"}, "moby"),
    ):
        upload(sim, api.get(f"faxserver/prepare/{fax_id}").json()["url"])
        r = api.post(f"faxserver/waiting/{fax_id}", json={"action": "send", "fax": "123", **extra})
        job = r.json()[0].split()[3]
        assert api.get("faxserver/done").json()[job]["sender"] == expected


def test_fax_to_an_internal_fax_device_is_received_there(sim: Simulator, api: httpx.Client) -> None:
    upload(sim, api.get("faxserver/prepare/Intern-0001").json()["url"])
    api.post(
        "faxserver/waiting/Intern-0001", json={"action": "send", "fax": "302", "sender": "mmuster"}
    )
    received = api.get("faxserver/received").json()
    new = [
        f
        for n, f in received.items()
        if n not in ("fax000000010.tif", "fax000000011.tif", "fax000000012.tif")
    ]
    assert [(f["009ext_extension"], f["pages"], f["callid3"]) for f in new] == [("302", "3", "301")]
    assert httpx.get(new[0]["pdf"]).content == PDF


def test_upload_refuses_non_pdf_and_missing_field(sim: Simulator, api: httpx.Client) -> None:
    url = api.get("faxserver/prepare/Upload-001").json()["url"]
    r = upload(sim, url, b"hello, this is text")
    assert r.status_code == 400
    assert "PDF" in r.json()["error"]
    assert upload(sim, url, field="file").status_code == 400
    plain = httpx.post(origin(sim) + url, content=PDF, headers={"content-type": "application/pdf"})
    assert plain.status_code == 400
    assert (
        api.post("faxserver/waiting/Upload-001", json={"action": "send", "fax": "1"}).status_code
        == 404
    )


def test_upload_with_wrong_token_is_403(sim: Simulator, api: httpx.Client) -> None:
    url = api.get("faxserver/prepare/Upload-002").json()["url"]
    forged = re.sub(r"token=[^&]+", "token=forged", url)
    assert upload(sim, forged).status_code == 403
    unprepared = url.replace("Upload-002", "Upload-003")
    assert upload(sim, unprepared).status_code == 403


def test_waiting_needs_an_upload_and_a_proper_body(sim: Simulator, api: httpx.Client) -> None:
    assert (
        api.post("faxserver/waiting/NeverUploaded", json={"action": "send", "fax": "1"}).status_code
        == 404
    )
    api.get("faxserver/prepare/Prepared-1")
    assert (
        api.post("faxserver/waiting/Prepared-1", json={"action": "send", "fax": "1"}).status_code
        == 404
    )
    upload(sim, api.get("faxserver/prepare/Prepared-2").json()["url"])
    assert (
        api.post("faxserver/waiting/Prepared-2", json={"action": "fly", "fax": "1"}).status_code
        == 400
    )
    assert api.post("faxserver/waiting/Prepared-2", json={"action": "send"}).status_code == 400
    assert len(api.get("faxserver/done").json()) == 3


def test_delete_waiting(sim: Simulator, api: httpx.Client) -> None:
    upload(sim, api.get("faxserver/prepare/Delete-01").json()["url"])
    assert api.delete("faxserver/waiting/Delete-01").status_code == 200
    assert (
        api.post("faxserver/waiting/Delete-01", json={"action": "send", "fax": "1"}).status_code
        == 404
    )
    assert api.delete("faxserver/waiting/Delete-01").status_code == 404


def test_upload_url_expires() -> None:
    with Simulator.start(upload_url_lifetime=0.6) as sim, services(sim) as api:
        url = api.get("faxserver/prepare/Expiring-1").json()["url"]
        time.sleep(0.7)
        r = upload(sim, url)
        assert r.status_code == 403
        assert "expired" in r.json()["error"]
        fresh = api.get("faxserver/prepare/Expiring-1").json()["url"]
        assert upload(sim, fresh).status_code == 200


@pytest.mark.parametrize("name", ["fax000000010.pdf", "fax000000011.pdf", "fax000000012.pdf"])
def test_demo_pdfs_are_valid(name: str, tmp_path: Path) -> None:
    data = (Path(__file__).parents[2] / "resources" / "demo" / "fax" / name).read_bytes()
    check_pdf(data)
    assert pdfinfo_pages(data, tmp_path) in (None, 2 if name == "fax000000010.pdf" else 1)


def test_pdf_writer_prints_umlauts(tmp_path: Path) -> None:
    data = make_pdf([["Grüße aus München", "Straße (Hinterhof) \\ 2"]])
    check_pdf(data)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "u.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert "Grüße aus München" in text.decode()
    assert "Straße (Hinterhof) \\ 2" in text.decode()

"""The innovaphone demo PBX's own share of the innovaphone figures: how long it takes to
push a CallInfo for a new incoming call, and to answer a UserCall, as ratios against a
floor measured in the same run (a PbxAdminApi request and its answer on the same
connection). A client benchmark that comes near these is limited by the demo PBX, not by
Companion.

    uv run python benchmarks/innovaphone_demo_pbx.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time

import _harness  # noqa: F401  (puts the repository on sys.path)
from websockets.sync.client import ClientConnection, connect

from companion.simulator.innovaphone import InnovaphoneSimulator


def _login(sim: InnovaphoneSimulator) -> ClientConnection:
    ws = connect(sim.apps_url, legacy=True)
    ws.send(json.dumps({"mt": "AppChallenge"}))
    challenge = json.loads(ws.recv(5))["challenge"]
    digest = hashlib.sha256(f"companion:::::{challenge}:companion-secret".encode()).hexdigest()
    ws.send(json.dumps({"mt": "AppLogin", "app": "companion", "digest": digest}))
    assert json.loads(ws.recv(5))["ok"] is True
    return ws


def _until(ws: ClientConnection, mt: str, **match: object) -> dict[str, object]:
    while True:
        msg = json.loads(ws.recv(5))
        if msg.get("mt") == mt and all(msg.get(k) == v for k, v in match.items()):
            return msg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    floor, push, dial = [], [], []
    with InnovaphoneSimulator.start(answer_s=None) as sim:
        ws = _login(sim)
        ws.send(json.dumps({"api": "RCC", "mt": "UserInitialize", "cn": "Max Mustermann"}))
        user = _until(ws, "UserInitializeResult")["user"]
        for i in range(args.rounds):
            started = time.perf_counter()
            ws.send(json.dumps({"api": "PbxAdminApi", "mt": "GetPbxConfig", "src": str(i)}))
            _until(ws, "GetPbxConfigResult", src=str(i))
            floor.append(time.perf_counter() - started)

            started = time.perf_counter()
            call = sim.ring("Max Mustermann", "+4930123456")
            _until(ws, "CallInfo", call=call, msg="r-alert")
            push.append(time.perf_counter() - started)
            sim.hang_up(call)
            _until(ws, "CallInfo", call=call, msg="del")

            started = time.perf_counter()
            ws.send(json.dumps({"api": "RCC", "mt": "UserCall", "user": user, "e164": "0301"}))
            answer = _until(ws, "UserCallResult")
            dial.append(time.perf_counter() - started)
            ws.send(json.dumps({"api": "RCC", "mt": "UserClear", "call": answer["call"]}))
            _until(ws, "CallInfo", call=answer["call"], msg="del")
        ws.close()
    base = statistics.median(floor)
    print(f"floor (PbxAdminApi request to answer): median {base * 1000:.2f} ms")
    for name, times in (("ring() to CallInfo r-alert", push), ("UserCall to Result", dial)):
        median = statistics.median(times)
        print(f"{name}: median {median * 1000:.2f} ms = {median / base:.2f} x floor")


if __name__ == "__main__":
    main()

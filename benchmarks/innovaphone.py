"""The innovaphone path: a dial on the wire, an incoming call pushed, and idle traffic.

Against the innovaphone demo PBX on loopback (in this process, its own thread), each
figure beside a floor measured in the same run, and their ratio:

- dial: from `call_action(DIAL)` on a connected client to the PBX having received the
  `UserCall`, beside a raw `websockets` connection (logged in the same way) sending the
  same UserCall; and cold, from spawning `companion dial` to the UserCall arriving, beside
  a bare Python process that logs in with the App password and sends UserCall;
- incoming call: from the PBX ringing to the session's RINGING event (what the pop-up is
  shown on), beside a raw connection's CallInfo after UserInitialize;
- idle: messages the client sends the PBX a minute while nothing happens (KeepAlive after
  60 s without traffic, the 5-minute safety net), beside the floor of one KeepAlive a minute.

    uv run python benchmarks/innovaphone.py [--runs 20] [--idle 130]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from _harness import REPO, app_env

from companion.pbx.innovaphone import InnovaphonePbx, log_in_user
from companion.pbx.models import CallAction
from companion.session import Event, Session
from companion.session.calls import CallEvent, CallEventKind
from companion.simulator.innovaphone import InnovaphoneSimulator

USER, USER_CN, PASSWORD = "mmuster", "Max Mustermann", "demo-pass"
APP, APP_PASSWORD = "companion", "companion-secret"
NUMBER = "0301234567"

FLOOR_SCRIPT = """
import hashlib, json, sys
from websockets.sync.client import connect
ws = connect(sys.argv[1] + "/APPS/websocket", compression=None)
ws.send(json.dumps({"mt": "AppChallenge"}))
challenge = str(json.loads(ws.recv())["challenge"])
digest = hashlib.sha256(f"companion:::::{challenge}:companion-secret".encode()).hexdigest()
ws.send(json.dumps({"mt": "AppLogin", "app": "companion", "digest": digest}))
json.loads(ws.recv())
ws.send(json.dumps({"api": "RCC", "mt": "UserInitialize", "cn": "Max Mustermann", "src": "u"}))
while True:
    answer = json.loads(ws.recv())
    if answer.get("mt") == "UserInitializeResult":
        break
ws.send(json.dumps({"api": "RCC", "mt": "UserCall", "user": answer["user"], "e164": "0301"}))
ws.close()
"""


def wait_for(sim: InnovaphoneSimulator, mt: str, count: int, timeout: float = 30.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sim.received[mt] > count:
            return time.monotonic()
        time.sleep(0.0002)
    raise TimeoutError(f"no {mt} reached the PBX")


class RawClient:
    """The floor: a bare websockets connection, App login, RCC for the user."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.handle: int = 0

    async def __aenter__(self) -> RawClient:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url + "/APPS/websocket", ping_interval=None, compression=None
        )
        await self.ws.send(json.dumps({"mt": "AppChallenge"}))
        challenge = str(json.loads(await self.ws.recv())["challenge"])
        digest = hashlib.sha256(f"{APP}:::::{challenge}:{APP_PASSWORD}".encode()).hexdigest()
        await self.ws.send(json.dumps({"mt": "AppLogin", "app": APP, "digest": digest}))
        await self.ws.recv()
        answer = await self.ask({"api": "RCC", "mt": "UserInitialize", "cn": USER_CN})
        self.handle = answer["user"]
        return self

    async def ask(self, message: dict) -> dict:
        await self.ws.send(json.dumps({**message, "src": "f"}))
        while True:
            answer = json.loads(await self.ws.recv())
            if answer.get("mt") == message["mt"] + "Result":
                return answer

    async def next_call_info(self) -> dict:
        while True:
            answer = json.loads(await self.ws.recv())
            if answer.get("mt") == "CallInfo":
                return answer

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()


def hang_up_legs(sim: InnovaphoneSimulator) -> None:
    for leg in sim.live_calls():
        with contextlib.suppress(Exception):  # the partner leg went with the first
            sim.hang_up(leg.id)


async def hang_up_all(sim: InnovaphoneSimulator) -> None:
    hang_up_legs(sim)
    await asyncio.sleep(0.02)


async def on_the_wire(sim: InnovaphoneSimulator, dial: Coroutine[Any, Any, Any]) -> float:
    """Seconds from starting `dial` to the PBX having received its UserCall."""
    count = sim.received["UserCall"]
    watching = asyncio.ensure_future(asyncio.to_thread(wait_for, sim, "UserCall", count))
    await asyncio.sleep(0.01)  # the watching thread runs before the dial starts
    started = time.monotonic()
    await dial
    return await watching - started


async def dial_warm(sim: InnovaphoneSimulator, runs: int) -> tuple[list[float], list[float]]:
    session = await log_in_user(sim.url, USER, PASSWORD)
    companion, floor = [], []
    pbx = InnovaphonePbx(sim.url, USER, session=session)
    await pbx.account()  # connected and monitoring
    async with RawClient(sim.url) as raw:
        floor_dial = {"api": "RCC", "mt": "UserCall", "user": raw.handle, "e164": NUMBER}
        for _ in range(runs):
            companion.append(await on_the_wire(sim, pbx.call_action(CallAction.DIAL, NUMBER)))
            await hang_up_all(sim)
            floor.append(await on_the_wire(sim, raw.ask(floor_dial)))
            await hang_up_all(sim)
    await pbx.close()
    return companion, floor


def dial_cold(sim: InnovaphoneSimulator, runs: int) -> tuple[list[float], list[float]]:
    home = Path(tempfile.mkdtemp(prefix="companion-bench-inno-"))
    env = app_env(home)
    subprocess.run(
        [sys.executable, "-m", "companion", "login", "--kind", "innovaphone", "--url", sim.url,
         "--user", USER, "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True,
    )  # fmt: skip
    commands = {
        "companion": [sys.executable, "-m", "companion", "dial", NUMBER],
        "floor": [sys.executable, "-c", FLOOR_SCRIPT, sim.url],
    }
    times: dict[str, list[float]] = {"companion": [], "floor": []}
    for run in range(runs + 2):  # two warm-up runs fill the bytecode caches
        for name, command in commands.items():
            count = sim.received["UserCall"]
            started = time.monotonic()
            process = subprocess.Popen(
                command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            arrived = wait_for(sim, "UserCall", count)
            _, err = process.communicate(timeout=30)
            if process.returncode != 0:
                raise RuntimeError(f"{name} failed: {err.decode()}")
            if run >= 2:
                times[name].append(arrived - started)
            hang_up_legs(sim)
    return times["companion"], times["floor"]


async def incoming(sim: InnovaphoneSimulator, runs: int) -> tuple[list[float], list[float]]:
    session_login = await log_in_user(sim.url, USER, PASSWORD)
    pbx = InnovaphonePbx(sim.url, USER, session=session_login)
    session = Session(pbx)
    rang = asyncio.Event()

    def heard(event: CallEvent) -> None:
        if event.kind is CallEventKind.RINGING:
            rang.set()

    session.subscribe(Event.CALL, heard)
    await following(session, pbx)
    companion, floor = [], []
    for _ in range(runs):
        rang.clear()
        started = time.monotonic()
        call = await asyncio.to_thread(sim.ring, USER_CN, "+4930555123")
        await asyncio.wait_for(rang.wait(), 10)
        companion.append(time.monotonic() - started)
        sim.hang_up(call)
        await asyncio.sleep(0.05)
    await session.stop()
    await pbx.close()
    async with RawClient(sim.url) as raw:
        for _ in range(runs):
            started = time.monotonic()
            waiting = asyncio.ensure_future(raw.next_call_info())
            call = await asyncio.to_thread(sim.ring, USER_CN, "+4930555123")
            await asyncio.wait_for(waiting, 10)
            floor.append(time.monotonic() - started)
            sim.hang_up(call)
            await asyncio.sleep(0.05)
            while True:  # the call's end, before the next ring
                try:
                    await asyncio.wait_for(raw.next_call_info(), 0.2)
                except TimeoutError:
                    break
    return companion, floor


async def idle(sim: InnovaphoneSimulator, seconds: float) -> float:
    """Messages a minute the session's client sends while nothing happens."""
    session_login = await log_in_user(sim.url, USER, PASSWORD)
    pbx = InnovaphonePbx(sim.url, USER, session=session_login)
    session = Session(pbx)
    await following(session, pbx)
    await asyncio.sleep(1.0)  # the first full read is done
    before = sum(sim.received.values())
    await asyncio.sleep(seconds)
    sent = sum(sim.received.values()) - before
    await session.stop()
    await pbx.close()
    return sent * 60.0 / seconds


async def following(session: Session, pbx: InnovaphonePbx) -> None:
    """Start the session and wait until it follows the user's calls (connected, monitoring)."""
    session.start()
    while pbx.connections < 1 or session.state.switches is None:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)


def line(name: str, ours: list[float], floor: list[float]) -> None:
    o, f = statistics.median(ours), statistics.median(floor)
    p95 = sorted(ours)[max(0, int(len(ours) * 0.95) - 1)]
    print(
        f"{name:<28} companion median {o * 1000:7.2f} ms (p95 {p95 * 1000:7.2f} ms)"
        f"   floor median {f * 1000:7.2f} ms   ratio {o / f:5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=130.0, help="seconds of idling to count")
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    with InnovaphoneSimulator.start() as sim:
        ours, floor = asyncio.run(dial_warm(sim, args.runs))
        line("dial on the wire (warm)", ours, floor)
        ours, floor = dial_cold(sim, args.cold_runs)
        line("dial on the wire (cold CLI)", ours, floor)
        ours, floor = asyncio.run(incoming(sim, args.runs))
        line("incoming call -> RINGING", ours, floor)
        if args.idle > 0:
            per_minute = asyncio.run(idle(sim, args.idle))
            print(
                f"{'idle messages a minute':<28} companion {per_minute:5.2f}   floor 1.00"
                f" (one KeepAlive a minute)   ratio {per_minute:5.2f}"
                f"   over {args.idle:.0f} s"
            )


if __name__ == "__main__":
    main()

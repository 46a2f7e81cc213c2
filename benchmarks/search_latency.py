"""Time from a keystroke in the dial window to the search results painted.

The demo PBX is loaded with its demo data plus 100,000 generated global phonebook
entries. The real dial window (offscreen) runs on a qasync loop against it over a real
socket. Each sample types a query's last character and stops the clock at the first
paint of the results list after it shows that query's results.

Measured twice: asking the PBX (the window waits DEBOUNCE_MS after the last keystroke
before it asks, so typing fast sends one search, not one per letter; figures with and
without that wait), and from the local directory index (no debounce). Before the index
figures, the first full sync of the index runs with the dial window open, while a QTimer
ticking every 5 ms records the longest gap: the longest the GUI was held. For these the
demo PBX runs as a process of its own (as a real PBX would be: its work must not count as
a GUI stall), loaded with the same data. Last, the real
app runs as a subprocess and its resident memory is read after 10 s idle, once with the
index built and once where the PBX refuses the listing (no index), both against the same
PBX (--no-memory skips this).

    uv run python benchmarks/search_latency.py [--entries 100000] [--no-memory]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import qasync  # noqa: E402
from _harness import big_phonebook  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from companion.controller import Controller  # noqa: E402
from companion.directory import Directory  # noqa: E402
from companion.gui_process import settle_memory  # noqa: E402
from companion.pbx.pascom import PascomPbx  # noqa: E402
from companion.simulator import Simulator, default_extras_path  # noqa: E402
from companion.ui.dial_window import DEBOUNCE_MS, DialWindow  # noqa: E402

QUERIES = ["Müller", "Schmidt", "Firma 12", "Nachname777", "Vorname4242", "0891234", "Huber"]


class PaintClock(QObject):
    """Notes the time of the first paint of the results after they answer `query`."""

    def __init__(self, window: DialWindow) -> None:
        super().__init__()
        self.window = window
        self.query = ""
        self.painted: float | None = None
        window.results.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and self.painted is None
            and self.window.shown_query == self.query
        ):
            self.painted = time.perf_counter()
        return False


def type_text(widget: QWidget, text: str) -> None:
    """Key presses with text, as a keyboard sends them (QTest cannot type "ü")."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


async def measure(window: DialWindow, clock: PaintClock, query: str) -> float:
    window.search.clear()
    type_text(window.search, query[:-1])
    await asyncio.sleep(0.3)  # the prefix's own search is done and painted
    clock.query, clock.painted = query, None
    started = time.perf_counter()
    type_text(window.search, query[-1])
    while clock.painted is None:
        await asyncio.sleep(0.001)
        if time.perf_counter() - started > 30:
            raise TimeoutError(query)
    return clock.painted - started


class StallClock(QObject):
    """A QTimer ticking every 5 ms: the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now


async def keystrokes(window: DialWindow, rounds: int) -> list[float]:
    clock = PaintClock(window)
    await measure(window, clock, "Meyer")  # warm-up
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            samples.append(await measure(window, clock, query))
    return samples


def figures(samples: list[float]) -> tuple[float, float, float]:
    """Median, 95th percentile and maximum in ms."""
    ms = sorted(s * 1000 for s in samples)
    return statistics.median(ms), ms[max(int(len(ms) * 0.95) - 1, 0)], ms[-1]


def idle_memory(sim: Simulator, refuse_listing: bool, settle: float) -> tuple[int, int]:
    """The real app's resident memory (KiB) after 10 s idle, and the index's entries."""
    from _harness import logged_in_home, rss_kib, stop

    home, env = logged_in_home(sim)
    if refuse_listing:
        sim.misbehave("forbidden", path="phonebook")
    index = home / "cache" / "companion" / "directory"
    process = subprocess.Popen(
        [sys.executable, "-m", "companion"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (list(index.glob("*.sqlite3")) and not list(index.glob(".*.tmp"))):
            if time.monotonic() > deadline:
                raise TimeoutError("the app built no index")
            time.sleep(0.1)
        time.sleep(settle)
        rss = rss_kib(process.pid)
    finally:
        stop(process)
        sim.behave()
    import sqlite3

    [path] = index.glob("*.sqlite3")
    with sqlite3.connect(path) as db:
        (entries,) = db.execute("SELECT count(*) FROM entries").fetchone()
    return rss, entries


def pbx_process(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The demo PBX with `data` in a process of its own; its base URL once it answers."""
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "companion", "simulator", "--port", str(port)]
    command += ["--data", str(data), "--extras", str(default_extras_path())]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/demo"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/services/identity", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers (401 without credentials)
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the demo PBX process did not start") from None
            time.sleep(0.2)
    return process, base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="skip the memory figures")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as folder:
        data = big_phonebook(args.entries, Path(folder))
        pbx_server, pbx_url = pbx_process(data)
        with Simulator.start(data=data, extras=default_extras_path()) as sim:
            pbx = PascomPbx(sim.base_url, "moby", "demo-secret", "mmuster")
            remote = Controller(pbx, region="DE", poll_interval=3600)
            index = Directory(Path(folder) / "directory", pbx_url, "mmuster", "DE")
            local_pbx = PascomPbx(pbx_url, "moby", "demo-secret", "mmuster")
            local = Controller(local_pbx, region="DE", poll_interval=3600, directory=index)

            async def run() -> tuple[list[float], list[float], float, float, int]:
                window = DialWindow(remote)
                window.show_and_focus()
                from_pbx = await keystrokes(window, args.rounds)
                window.close()
                await remote.stop()

                window = DialWindow(local)
                window.show_and_focus()
                await asyncio.sleep(0.5)
                settle_memory()  # as companion.gui_process.run does once the app has started
                assert local.directory is not None
                stalls = StallClock()
                stalls.start()
                started = time.perf_counter()
                local.directory.sync_now()
                await local.directory.wait()
                took = time.perf_counter() - started
                stall = stalls.stop()
                if local.directory.error:
                    raise RuntimeError(local.directory.error)
                entries = index.status().entries
                from_index = await keystrokes(window, args.rounds)
                window.close()
                await local.stop()
                return from_pbx, from_index, took, stall, entries

            task = loop.create_task(run())
            task.add_done_callback(lambda _t: loop.stop())
            try:
                loop.run_forever()
            finally:
                pbx_server.terminate()
                pbx_server.wait()
            from_pbx, from_index, took, stall, entries = task.result()
            size = sum(p.stat().st_size for p in (Path(folder) / "directory").glob("*.sqlite3"))
            memory = None
            if not args.no_memory:
                memory = idle_memory(sim, False, 10.0), idle_memory(sim, True, 10.0)
    load = os.getloadavg()
    print(
        f"{args.entries:,} generated phonebook entries ({entries:,} in the index);"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    median, p95, top = figures(from_index)
    print(
        f"keystroke to results painted, from the local index, {len(from_index)} searches:"
        f" median {median:.1f} ms, 95th percentile {p95:.1f} ms, max {top:.1f} ms"
        " (targets 16 / 33 ms)"
    )
    median, p95, top = figures(from_pbx)
    print(
        f"keystroke to results painted, asking the PBX, {len(from_pbx)} searches:"
        f" median {median:.0f} ms, 95th percentile {p95:.0f} ms, max {top:.0f} ms;"
        f" of which the typing debounce {DEBOUNCE_MS} ms"
        f" (search + paint alone: median {median - DEBOUNCE_MS:.0f} ms)"
    )
    print(
        f"first full sync with the dial window open: {took:.1f} s (target 15 s);"
        f" longest GUI stall {stall * 1000:.0f} ms (target 50 ms);"
        f" index file {size / 1_000_000:.1f} MB (target 40 MB)"
    )
    if memory is not None:
        (with_rss, with_entries), (without_rss, without_entries) = memory
        print(
            f"resident memory of the app after 10 s idle: {with_rss / 1024:.0f} MiB with the"
            f" index ({with_entries:,} entries), {without_rss / 1024:.0f} MiB without"
            f" (listing refused, {without_entries} entries): ratio {with_rss / without_rss:.3f},"
            f" {with_rss - without_rss:+,} KiB (target: ratio at most 1)"
        )


if __name__ == "__main__":
    main()

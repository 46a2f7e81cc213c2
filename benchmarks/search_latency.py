"""Time from a keystroke in the dial window to the search results painted.

The demo PBX is loaded with its demo data plus 100,000 generated global phonebook
entries. The real dial window (offscreen) runs on a qasync loop against it over a real
socket. Each sample types a query's last character and stops the clock at the first
paint of the results list after it shows that query's results. The window waits
DEBOUNCE_MS after the last keystroke before it searches (so typing fast sends one
search, not one per letter); figures are given with and without that wait.

    uv run python benchmarks/search_latency.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import qasync  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from companion.controller import Controller  # noqa: E402
from companion.pbx.pascom import PascomPbx  # noqa: E402
from companion.simulator import Simulator, default_data_path, default_extras_path  # noqa: E402
from companion.ui.dial_window import DEBOUNCE_MS, DialWindow  # noqa: E402

QUERIES = ["Müller", "Schmidt", "Firma 12", "Nachname777", "Vorname4242", "0891234", "Huber"]


def big_phonebook(entries: int, folder: Path) -> Path:
    data = json.loads(default_data_path().read_text(encoding="utf-8"))
    generated = [
        {
            "028pho_firstname": f"Vorname{i}",
            "028pho_lastname": f"Nachname{i % 977}",
            "028pho_organisation": f"Firma {i % 313} GmbH",
            "028pho_phone": f"+49 89 {1000000 + i}",
        }
        for i in range(entries)
    ]
    data.setdefault("phonebook", []).extend(generated)
    target = folder / "big-demo-pbx.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as folder:
        data = big_phonebook(args.entries, Path(folder))
        with Simulator.start(data=data, extras=default_extras_path()) as sim:
            pbx = PascomPbx(sim.base_url, "moby", "demo-secret", "mmuster")
            controller = Controller(pbx, region="DE", poll_interval=3600)

            async def run() -> list[float]:
                window = DialWindow(controller)
                window.show_and_focus()
                clock = PaintClock(window)
                await measure(window, clock, "Meyer")  # warm-up
                samples = []
                for _ in range(args.rounds):
                    for query in QUERIES:
                        samples.append(await measure(window, clock, query))
                window.close()
                await controller.stop()
                return samples

            task = loop.create_task(run())
            task.add_done_callback(lambda _t: loop.stop())
            loop.run_forever()
            samples = task.result()
    ms = sorted(s * 1000 for s in samples)
    median = statistics.median(ms)
    p90 = ms[int(len(ms) * 0.9) - 1]
    print(
        f"keystroke to results painted, {args.entries:,} phonebook entries, "
        f"{len(ms)} searches: median {median:.0f} ms, 90th percentile {p90:.0f} ms, "
        f"max {ms[-1]:.0f} ms"
    )
    print(
        f"of which the typing debounce: {DEBOUNCE_MS} ms; "
        f"search + paint alone: median {median - DEBOUNCE_MS:.0f} ms"
    )


if __name__ == "__main__":
    main()

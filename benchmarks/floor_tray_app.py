"""The floor for startup.py: a minimal PySide6 tray app that makes one httpx request.

    python benchmarks/floor_tray_app.py URL USER PASSWORD [EVERY]

It shows a tray icon (or, with no tray, a small window), sends one authenticated GET with
httpx.AsyncClient on a qasync loop, and then idles like a tray app does. With EVERY
(seconds) it repeats the GET that often on one client: the floor of a live poll
(incoming_call.py).
"""

from __future__ import annotations

import asyncio
import sys

import httpx
import qasync
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon


async def one_request(url: str, user: str, password: str, every: float | None) -> None:
    async with httpx.AsyncClient(auth=(user, password), timeout=10) as client:
        await client.get(url)
        while every is not None:
            await asyncio.sleep(every)
            await client.get(url)


def main() -> None:
    url, user, password = sys.argv[1:4]
    every = float(sys.argv[4]) if len(sys.argv) > 4 else None
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(32, 32)
    pixmap.fill()
    if QSystemTrayIcon.isSystemTrayAvailable():
        keep: object = QSystemTrayIcon(QIcon(pixmap))
        keep.show()  # type: ignore[attr-defined]
    else:
        keep = QLabel("floor")
        keep.show()  # type: ignore[attr-defined]
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    task = loop.create_task(one_request(url, user, password, every))
    with loop:
        loop.run_forever()
    del task, keep


if __name__ == "__main__":
    main()

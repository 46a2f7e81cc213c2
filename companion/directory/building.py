"""A :class:`store.Builder` in a process of its own, so building an index never holds the GUI.

Folding, number parsing and the SQLite writes are Python work: in a worker thread they
would compete with the GUI thread for the GIL (and slow the reading of the PBX's pages
down, which is Python work on the loop too). In a child process they run beside both.
The child is started with "spawn" (never fork a process that runs Qt) and ends with the
build; its methods block: call them from a worker thread, one at a time (``discard``
may come from another thread while a call is on its way: it kills the child).
"""

from __future__ import annotations

import contextlib

# Imported with this module, which the GUI start loads before Qt (cli._core_before_qt).
# Imported when the first sync needs it, after PySide6, in the sync's worker thread, it
# delayed the start's first PBX request (benchmarks/startup.py: 1.40x and 1.51x the
# floor, against 1.01x with the import here).
import multiprocessing
import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from companion.directory import store
from companion.directory.index import DirectoryUnavailable
from companion.pbx.models import Contact


class BuildFailed(DirectoryUnavailable):
    """The process building the index failed or ended."""


class BuilderProcess:
    """The methods of :class:`store.Builder`, carried out by a child process."""

    def __init__(self, path: Path, region: str | None) -> None:
        self.path = path
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, path, region), name="companion-directory", daemon=True
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        self._call("ready")

    def add(self, contacts: Sequence[Contact]) -> int:
        count: int = self._call("add", list(contacts))
        return count

    def finish(self, meta: dict[str, str]) -> None:
        self._call("finish", meta)
        self._stop()

    def discard(self) -> None:
        """Stop the child (also in the middle of a call) and delete the file."""
        self._process.kill()
        self._stop()
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def _call(self, method: str, *args: Any) -> Any:
        with self._lock:
            try:
                self._conn.send((method, args))
                ok, answer = self._conn.recv()
            except (EOFError, OSError) as err:
                raise BuildFailed(f"The directory index could not be built ({err}).") from None
        if not ok:
            raise BuildFailed(f"The directory index could not be built: {answer}")
        return answer

    def _stop(self) -> None:
        self._process.join(timeout=10)
        self._conn.close()


def _serve(conn: Connection, path: Path, region: str | None) -> None:
    """The child: a Builder that carries out what the parent sends until it is finished."""
    try:
        builder = store.Builder(path, region)
    except Exception as err:  # reported to the parent, which raises it
        conn.send((False, str(err)))
        return
    while True:
        try:
            method, args = conn.recv()
        except EOFError:  # the parent is gone
            builder.discard()
            return
        try:
            answer = None if method == "ready" else getattr(builder, method)(*args)
        except Exception as err:
            builder.discard()
            conn.send((False, str(err)))
            return
        conn.send((True, answer))
        if method == "finish":
            return

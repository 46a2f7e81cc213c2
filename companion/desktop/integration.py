"""Links, global hotkeys and later starts, wired to the running app.

- A later `companion tel:...` / `companion open URI` hands its link over the single-
  instance socket; a plain second start brings the dial window forward.
- On Linux the app also owns `net.companion.Companion` on the session bus
  (`companion.desktop.dbus_application`): `gio open tel:...` arrives as `Open`, a
  start from the menu as `Activate`, both ending in the same functions as the socket's.
- tel:/callto:/sip:/sips: links and the dial-selection hotkey ask first (the link prompt
  shows exactly what will be dialled), unless `dialing.confirm_links` is off. One prompt
  at a time: later links queue behind the open one (see `companion.ui.link_prompt`).
- The hotkeys from the settings are grabbed through the desktop's mechanism
  (`companion.desktop.hotkeys.choose_backend`); a conflict is reported in words.
Links that arrive before the PBX connection exists wait for it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from companion import numbers
from companion.desktop.single_instance import split_message

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

    from companion.app import Companion
    from companion.controller import Controller
    from companion.desktop.dbus_application import ApplicationService
    from companion.desktop.hotkeys import HotkeyBackend
    from companion.desktop.single_instance_qt import InstanceServer
    from companion.ui.link_prompt import LinkPrompt

log = logging.getLogger(__name__)

WAIT_FOR_PBX_MS = 250  # how often a waiting link checks for the PBX connection
WAIT_FOR_PBX_TRIES = 240  # a minute; then the link is reported, not silently dropped


class DesktopIntegration(QObject):
    def __init__(
        self,
        companion: Companion,
        hotkey_backend: Callable[[QObject], HotkeyBackend] | None = None,
        url_events: bool = sys.platform == "darwin",
    ) -> None:
        """``hotkey_backend`` makes the global-hotkey back end: the platform's by default
        (loaded when the hotkeys are first grabbed, after the start).
        ``url_events``: take clicked links as Qt's FileOpen events (macOS)."""
        super().__init__(companion)
        from companion.desktop.single_instance import InstanceServer

        self.companion = companion
        self.server: InstanceServer = InstanceServer(self)
        self.server.responder = self.answer
        self.hotkeys: HotkeyBackend | None = None
        self._hotkey_backend = hotkey_backend
        self.hotkey_problems: list[str] = []
        self.prompts: list[LinkPrompt] = []  # the open prompt, at most one (kept alive)
        self.waiting: deque[tuple[numbers.DialNumber, str]] = deque()  # links behind it
        self.closing = False
        self.bus_service: ApplicationService | None = None
        companion.settings_applied.connect(self.register_hotkeys)  # saved hotkeys work at once
        self.tasks: set[asyncio.Task[None]] = set()  # commands handed over by the CLI
        # macOS hands a clicked link to the running bundle as an event, not a new process.
        # Only there: a filter on the application sees every event of the app in Python
        # (and PySide makes a new enum class for each event type it does not know, tens
        # of milliseconds at the start).
        if url_events:
            QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            url = event.url().toString()
            if url.split(":", 1)[0].lower() in ("tel", "callto", "sip", "sips", "companion"):
                self.open_link(url)
                return True
        return False

    def listen(self) -> bool:
        """Take the single-instance socket; False if another Companion holds it."""
        return bool(self.server.listen())

    def own_bus_name(self, connection: QDBusConnection | None = None) -> bool:
        """Offer `org.freedesktop.Application` on the session bus (Linux, the default
        instance only: a separate one such as the demo never takes the desktop's links).
        Without a bus, or with the name taken, the app runs as before and logs why."""
        if not sys.platform.startswith("linux") or os.environ.get("COMPANION_INSTANCE"):
            return False
        from companion.desktop.dbus_application import ApplicationService, session_bus

        connection = connection or session_bus()
        if connection is None:
            log.info("no session bus: links arrive by the desktop entry's Exec only")
            return False
        service = ApplicationService(
            open_link=self.open_link,
            activate=lambda: self.companion.shell.open_dial(),  # the shell is made anew
            actions={
                "dial-window": lambda _parameter: self.companion.shell.open_dial(),
                "inbox": self._open_inbox,
                "quit": lambda _parameter: self.companion.quit(),
            },
            parent=self,
        )
        problem = service.register(connection)
        if problem:
            log.warning("D-Bus activation off: %s", problem)
            service.deleteLater()
            return False
        self.bus_service = service
        return True

    def _open_inbox(self, parameter: list[str]) -> None:
        tab = parameter[0] if parameter and parameter[0] in ("voicemail", "fax") else "voicemail"
        self.companion.shell.open_inbox(tab)

    # -- messages from later starts ------------------------------------------------------

    def answer(self, message: str, reply: Callable[[str], None]) -> None:
        """Act on a message from a later start and reply (see the protocol)."""
        command, argument = split_message(message)
        if command == "open" and argument:
            problem = self.check_link(argument)
            reply(f"error {problem}" if problem else "ok")
            if not problem:
                self.open_link(argument)
        elif command == "run":
            self.run_command(argument, reply)
        else:
            reply("ok")
            self.companion.shell.open_dial()

    def handle_message(self, message: str) -> None:
        """Act on a message whose reply nobody waits for."""
        self.answer(message, lambda _reply: None)

    def check_link(self, uri: str) -> str:
        """Why `uri` is not a phone (or enrolment) link, in words; empty if it is one."""
        from companion.pbx.relay import links

        if links.is_enrol_link(uri):
            try:
                links.parse_enrol_link(uri)
            except links.LinkError as exc:
                return str(exc)
            return ""
        controller = self.companion.controller
        try:
            # Without a region until connected: the app re-reads the link with the
            # user's region and shows what it makes of it before dialing.
            numbers.parse_uri(uri, controller.region if controller is not None else None)
        except numbers.NumberError as exc:
            return str(exc)
        return ""

    def run_command(self, request: str, reply: Callable[[str], None]) -> None:
        """A CLI call action on the app's own PBX connection (companion.handover)."""
        from companion import handover

        async def work() -> None:
            companion = self.companion
            try:
                answer = await handover.carry_out(request, companion.controller, companion.settings)
            except Exception as exc:  # a bug: said in words, never a dead socket
                log.exception("a command handed over by the CLI failed")
                # Not "unavailable": the PBX may have the action already, and the CLI
                # would then carry it out a second time.
                failed = (
                    f"companion: Companion failed inside ({type(exc).__name__}); "
                    "check your phone before you try again.\n"
                )
                escaped = handover.wants_escaped(request)
                answer = "done " + handover.done_text(1, "", failed, escaped)
            reply(answer)

        task = asyncio.ensure_future(work())
        self.tasks.add(task)  # the loop keeps only a weak reference
        task.add_done_callback(self.tasks.discard)

    def open_link(self, uri: str, tries: int = 0) -> None:
        """Act on a link: ask first (by default), then dial through the default device.
        An enrolment link asks whether to connect to its relay (it needs no PBX yet)."""
        from companion.pbx.relay import links

        if links.is_enrol_link(uri):
            try:
                link = links.parse_enrol_link(uri)
            except links.LinkError as exc:
                self.companion.shell.show_error(str(exc))
                return
            self.companion.offer_enrolment(link)
            return
        controller = self.companion.controller
        if controller is None:
            if tries >= WAIT_FOR_PBX_TRIES:
                self.companion.shell.show_error(
                    self.tr(
                        "The link %1 was not dialled: Companion is not connected to a PBX."
                    ).replace("%1", uri)
                )
                return
            QTimer.singleShot(WAIT_FOR_PBX_MS, lambda: self.open_link(uri, tries + 1))
            return
        try:
            number = numbers.parse_uri(uri, controller.region)
        except numbers.NumberError as exc:
            self.companion.shell.show_error(str(exc))
            return
        self.offer(number, uri)

    def offer(self, number: numbers.DialNumber, source: str) -> None:
        """Dial `number`, after asking unless the user switched confirmation off."""
        controller = self.companion.controller
        if controller is None:
            return
        if not self.companion.settings.confirm_links:
            controller.spawn(
                controller.dial_number(number), on_error=self.companion.shell.show_error
            )
            return
        if self.prompts:  # one prompt at a time: the others wait behind it, visibly
            self.waiting.append((number, source))
            self.prompts[0].set_waiting(len(self.waiting))
            return
        self._ask(controller, number, source)

    def _ask(self, controller: Controller, number: numbers.DialNumber, source: str) -> None:
        from companion.ui.link_prompt import LinkPrompt

        prompt = LinkPrompt(controller, number, source=source)
        prompt.set_waiting(len(self.waiting))
        self.prompts.append(prompt)
        prompt.finished.connect(lambda: self._forget(prompt))
        prompt.dismissed_all.connect(self.waiting.clear)
        prompt.show()
        prompt.raise_()
        prompt.activateWindow()

    def _forget(self, prompt: LinkPrompt) -> None:
        if prompt in self.prompts:
            self.prompts.remove(prompt)
        controller = self.companion.controller
        if self.waiting and controller is not None and not self.closing:
            self._ask(controller, *self.waiting.popleft())

    # -- global hotkeys --------------------------------------------------------------------

    def register_hotkeys(self) -> None:
        """Grab the keys from the settings; each problem is reported once, in words."""
        from companion.desktop.hotkeys import HotkeyError, choose_backend

        if self.hotkeys is None:
            self.hotkeys = (self._hotkey_backend or choose_backend)(self)
            self.hotkeys.activated.connect(self.hotkey)
            self.hotkeys.problem.connect(self._hotkey_problem)
        self.hotkeys.unregister_all()
        settings = self.companion.settings
        for action, keys in (
            ("dial_selection", settings.hotkey_dial_selection),
            ("open_dial", settings.hotkey_open_dial),
        ):
            if not keys:
                continue
            try:
                self.hotkeys.register(action, keys)
            except HotkeyError as exc:
                self._hotkey_problem(str(exc))

    def _hotkey_problem(self, text: str) -> None:
        if text not in self.hotkey_problems:
            self.hotkey_problems.append(text)
            self.companion.shell.show_error(text)

    def hotkey(self, action: str) -> None:
        if action == "open_dial":
            self.companion.shell.open_dial()
        elif action == "dial_selection":
            self.dial_selection()

    def dial_selection(self) -> None:
        """Dial the selected text (X11 PRIMARY, else the clipboard, which stays as it is)."""
        from companion.desktop.selection import (
            number_from_selection,
            reads_highlighted_text,
            selected_text,
        )

        controller = self.companion.controller
        if controller is None:
            self.companion.shell.show_error(self.tr("Companion is not connected to a PBX yet."))
            return
        clipboard = QApplication.clipboard()
        text = selected_text(clipboard)
        try:
            number = number_from_selection(
                text, controller.region, highlighted=reads_highlighted_text(clipboard)
            )
        except numbers.NumberError as exc:
            self.companion.shell.show_error(str(exc))
            return
        shown = " ".join(text.split())
        self.offer(number, self.tr("Selected text: %1").replace("%1", shown[:80]))

    def close(self) -> None:
        self.closing = True
        self.waiting.clear()
        if self.hotkeys is not None:
            self.hotkeys.unregister_all()
        for prompt in list(self.prompts):
            prompt.cancel()
        if self.bus_service is not None:
            self.bus_service.unregister()
            self.bus_service = None
        for task in list(self.tasks):  # a handed-over command: its CLI gets no answer
            task.cancel()
        self.server.close()

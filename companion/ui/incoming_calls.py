"""What the shell does when a call rings, is answered, ends or was missed.

:class:`IncomingCalls` listens to the controller's call events and wires the call pop-up
(:mod:`companion.ui.call_popup`) to it: a ringing incoming call gets its pop-up at once
(the caller's phonebook entry and how often they called are filled in when the lookups
come back, so the pop-up never waits for them), or a desktop notification where the
settings want no pop-up. Its buttons answer, decline or open the contact dialog through
the controller; the pop-up closes when the call is answered anywhere or ends. A missed
call gives a notification; a call that rang and is answered opens the CRM link when the
settings say so. It also remembers the names the phonebook gave, so the tray's tooltip
says "Tina Sander", not just her number.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from companion import crm
from companion.config import Settings
from companion.pbx import errors
from companion.pbx.models import Call, CallState, Contact, ContactDetails
from companion.session.calls import CallEvent, CallEventKind
from companion.ui.call_popup import CallPopup, CallPopups, wants_popup

if TYPE_CHECKING:
    from companion.controller import Controller
    from companion.ui.contact_dialog import ContactDialog

log = logging.getLogger(__name__)

LOOKUP_TIMEOUT = 5.0  # seconds a phonebook lookup for a notification may take
RECENT_DAYS = 7  # the pop-up counts the caller's calls of these last days

Notify = Callable[[str, str], None]  # title, text


def _tr(text: str) -> str:
    return QCoreApplication.translate("IncomingCalls", text)


class IncomingCalls(QObject):
    """The pop-ups and notifications for the user's calls."""

    names_changed = Signal()  # the phonebook named a caller: the tooltip says it now

    def __init__(self, notify: Notify, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notify = notify
        self.controller: Controller | None = None
        self.settings = Settings()
        self.popups = CallPopups(self)
        self.popups.answer_clicked.connect(self._answer)
        self.popups.decline_clicked.connect(self._decline)
        self.popups.save_contact_clicked.connect(self._save_contact)
        self.contact_dialog: ContactDialog | None = None
        self.names: dict[str, str] = {}  # call id -> the caller's name in the phonebook
        self._rang: set[str] = set()  # calls that rang for the user, until they end
        self._tasks: set[asyncio.Task[Any]] = set()

    def set_controller(self, controller: Controller | None, settings: Settings) -> None:
        if self.controller is not None:
            self.controller.call_event.disconnect(self.call_event)
            self.controller.calls_changed.disconnect(self._calls_changed)
        for task in list(self._tasks):
            task.cancel()
        self.popups.close_all()
        if self.contact_dialog is not None:
            self.contact_dialog.close()
        self.names.clear()
        self._rang.clear()
        self.controller, self.settings = controller, settings
        if controller is not None:
            controller.call_event.connect(self.call_event)
            controller.calls_changed.connect(self._calls_changed)

    def name_of(self, call: Call) -> str:
        """The other party as the user knows them: phonebook name, PBX name, or number."""
        name = self.names.get(call.id) or call.remote_name.strip()
        if name:
            return name
        if call.remote_number and self.controller is not None:
            return self.controller.display(call.remote_number)
        return _tr("an unknown caller")

    # -- call events --------------------------------------------------------------------

    def call_event(self, event: CallEvent) -> None:
        call = event.call
        if event.kind is CallEventKind.RINGING:
            self._ringing(call)
        elif event.kind is CallEventKind.ANSWERED:
            self.popups.close_for(call.id)
            if call.id in self._rang:
                self._open_crm_on_answer(call)
        elif event.kind is CallEventKind.ENDED:
            self.popups.close_for(call.id)
            self._rang.discard(call.id)
        elif event.kind is CallEventKind.MISSED:
            self.notify(
                _tr("Missed call"),
                _tr("Missed call from {caller}").format(caller=self.name_of(call)),
            )

    def _calls_changed(self, calls: list[Call]) -> None:
        for call in calls:
            self.popups.update_call(call)  # closes a pop-up whose call no longer rings
        live = {c.id for c in calls}  # after the batch's events: MISSED has had its name
        for call_id in [i for i in self.names if i not in live]:
            del self.names[call_id]

    def _ringing(self, call: Call) -> None:
        self._rang.add(call.id)
        if wants_popup(call, self.settings):
            popup = self.popups.show_call(
                call,
                recent_days=RECENT_DAYS,
                crm_template=self.settings.crm_url,
                region=self.controller.region if self.controller is not None else None,
            )
            if popup is not None:
                self._spawn(self._fill_in(popup))
        else:
            self._spawn(self._notify_ringing(call))

    async def _look_up(self, call: Call) -> Contact | None:
        """The caller's phonebook entry; None where there is none or the lookup fails."""
        if self.controller is None or not call.remote_number.strip():
            return None
        try:
            contact = await self.controller.contact_for(call.remote_number)
        except errors.PbxError as exc:  # the pop-up shows what the PBX said of the caller
            log.info("looking up a caller failed: %s", exc)
            return None
        if contact is not None:
            self.names[call.id] = contact.name
            self.names_changed.emit()
        return contact

    async def _fill_in(self, popup: CallPopup) -> None:
        """Fill the caller's phonebook entry and recent calls into a pop-up shown already."""
        controller = self.controller
        call = popup.call
        contact = await self._look_up(call)
        if contact is not None and self.popups.popup(call.id) is popup:
            popup.set_contact(contact)
        if controller is None or not call.remote_number.strip():
            return
        try:
            count = await controller.calls_from(call.remote_number, days=RECENT_DAYS)
        except errors.PbxError as exc:
            log.info("counting a caller's calls failed: %s", exc)
            return
        if self.popups.popup(call.id) is popup:
            popup.recent_calls = count
            popup.set_contact(popup.contact)  # shows the count with the entry it has

    async def _notify_ringing(self, call: Call) -> None:
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT):
                await self._look_up(call)
        except TimeoutError:
            pass
        if self.controller is None or all(c.id != call.id for c in self.controller.calls):
            return  # it stopped ringing meanwhile: the news would be wrong
        self.notify(
            _tr("Incoming call"), _tr("{caller} is calling").format(caller=self.name_of(call))
        )

    def _open_crm_on_answer(self, call: Call) -> None:
        template = self.settings.crm_url.strip()
        if not (self.settings.crm_open_on_answer and template and call.remote_number.strip()):
            return
        region = self.controller.region if self.controller is not None else None
        try:
            link = crm.crm_link(template, call.remote_number, self.names.get(call.id, ""), region)
        except crm.CrmError as exc:
            self.notify(_tr("Companion"), str(exc))
            return
        if not QDesktopServices.openUrl(QUrl(link, QUrl.ParsingMode.StrictMode)):
            self.notify(
                _tr("Companion"), _tr("Companion could not open the CRM link in a browser.")
            )

    # -- the pop-up's buttons -------------------------------------------------------------

    def _call(self, call_id: str) -> Call | None:
        popup = self.popups.popup(call_id)
        return popup.call if popup is not None else None

    def _answer(self, call_id: str) -> None:
        self._act(call_id, "answer")

    def _decline(self, call_id: str) -> None:
        self._act(call_id, "decline")

    def _act(self, call_id: str, action: str) -> None:
        controller, call = self.controller, self._call(call_id)
        popup = self.popups.popup(call_id)
        if controller is None or call is None or popup is None:
            return
        work = controller.answer(call) if action == "answer" else controller.decline(call)

        def failed(text: str) -> None:
            if self.popups.popup(call_id) is popup:
                popup.show_error(text)
            else:  # the pop-up is gone (the call ended): say it where the user looks
                self.notify(_tr("Companion"), text)

        task = controller.spawn(work, on_error=failed)

        def done(finished: asyncio.Task[Any]) -> None:
            # Done without an error: the pop-up waits (busy) until the call changes.
            if finished.cancelled() and self.popups.popup(call_id) is popup:
                popup.set_busy("")

        task.add_done_callback(done)

    def _save_contact(self, call_id: str) -> None:
        from companion.ui.contact_dialog import ContactDialog

        controller, call = self.controller, self._call(call_id)
        if controller is None or call is None:
            return
        if self.contact_dialog is not None:
            self.contact_dialog.close()
        details = ContactDetails(name=call.remote_name.strip(), phone=call.remote_number.strip())
        dialog = ContactDialog(controller, details)
        dialog.saved.connect(lambda contact: self._contact_saved(call_id, contact))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.contact_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _contact_saved(self, call_id: str, contact: Contact) -> None:
        self.names[call_id] = contact.name
        self.names_changed.emit()
        popup = self.popups.popup(call_id)
        if popup is not None and popup.call.state is CallState.RINGING:
            popup.set_contact(contact)

    def _dialog_closed(self, dialog: ContactDialog) -> None:
        if self.contact_dialog is dialog:
            self.contact_dialog = None
        dialog.deleteLater()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)  # qasync keeps no reference

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            if not done.cancelled() and done.exception() is not None:
                log.error("looking up a caller failed", exc_info=done.exception())

        task.add_done_callback(finished)

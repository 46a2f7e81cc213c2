"""The incoming-call pop-up: who is calling, and Answer, Decline, CRM, Copy, Save.

A small window near the tray for each ringing incoming call. It must never take the
keyboard focus from what the user is typing: it is a frameless tool window that stays on
top, does not accept focus and shows without activating. Only a click on its background
lets it take the keyboard (so that Esc closes it); a click on a button does not.

:class:`CallPopup` is one pop-up, :class:`CallPopups` keeps one per ringing call, stacked
upwards from the bottom right corner of the primary screen's free area (downwards from
the top right where the panel is at the top). Every button emits a signal with the call's
id; the integrator answers, declines or opens the contact dialog. Opening the CRM link is
done here, with the system's browser.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion import crm, numbers
from companion.config import Settings
from companion.pbx.models import Call, CallState, Contact
from companion.ui import icons
from companion.ui.placement import say_cannot_place, windows_can_be_placed

WIDTH = 340
MARGIN = 12  # from the screen's free area
SPACING = 8  # between stacked pop-ups
ERROR_STYLE = "color: #c42b1c;"
_BUTTON_STYLE = (
    "QPushButton {{ background: {colour}; color: white; font-weight: bold; }}"
    " QPushButton:disabled {{ background: #9e9e9e; color: #eeeeee; }}"  # busy
)
ANSWER_STYLE = _BUTTON_STYLE.format(colour="#2e7d32")
DECLINE_STYLE = _BUTTON_STYLE.format(colour="#c62828")


def wants_popup(call: Call, settings: Settings) -> bool:
    """Whether `call` gets a pop-up: a ringing incoming call, if the settings want one."""
    if not (call.incoming and call.state is CallState.RINGING and settings.call_popups):
        return False
    return not (settings.call_popups_external_only and call.remote_internal)


class CallPopup(QFrame):
    """One ringing incoming call. Signals carry the call's id."""

    answer_clicked = Signal(str)
    decline_clicked = Signal(str)
    crm_opened = Signal(str)  # the CRM link was handed to the browser
    number_copied = Signal(str)
    save_contact_clicked = Signal(str)
    closed = Signal(str)
    resized = Signal()  # its height changed (an error line): the stack moves

    def __init__(
        self,
        call: Call,
        contact: Contact | None = None,
        *,
        recent_calls: int = 0,
        recent_days: int = 7,
        crm_template: str = "",
        region: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.call = call
        self.contact = contact
        self.recent_calls = recent_calls
        self.recent_days = recent_days
        self.crm_template = crm_template.strip()
        self.region = region
        self._busy = ""  # "answer" or "decline" while that is in flight

        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setWindowTitle(self.tr("Incoming call"))
        self.setWindowIcon(icons.app_icon())
        self.setFixedWidth(WIDTH)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(3)

        def label(bold: bool = False, scale: float = 1.0) -> QLabel:
            widget = QLabel(self)
            widget.setTextFormat(Qt.TextFormat.PlainText)  # names come from outside
            widget.setWordWrap(True)
            if bold or scale != 1.0:
                font = QFont(widget.font())
                font.setBold(bold)
                if scale != 1.0:
                    font.setPointSizeF(font.pointSizeF() * scale)
                widget.setFont(font)
            layout.addWidget(widget)
            return widget

        self.caption_label = label()
        self.caption_label.setEnabled(False)  # quiet: the name is what matters
        self.name_label = label(bold=True, scale=1.3)
        self.organisation_label = label()
        self.number_label = label()
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.via_label = label()
        self.recent_label = label()
        self.error_label = label()
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addSpacing(6)

        def button(text: str, row: QHBoxLayout) -> QPushButton:
            widget = QPushButton(text, self)
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not take the keyboard
            widget.setAutoDefault(False)
            row.addWidget(widget)
            return widget

        main = QHBoxLayout()
        self.answer_button = button(self.tr("Answer"), main)
        self.answer_button.setStyleSheet(ANSWER_STYLE)
        self.decline_button = button(self.tr("Decline"), main)
        self.decline_button.setStyleSheet(DECLINE_STYLE)
        layout.addLayout(main)
        more = QHBoxLayout()
        self.crm_button = button(self.tr("Open in CRM"), more)
        self.copy_button = button(self.tr("Copy number"), more)
        self.save_button = button(self.tr("Save as contact"), more)
        layout.addLayout(more)

        self.answer_button.clicked.connect(self._answer)
        self.decline_button.clicked.connect(self._decline)
        self.crm_button.clicked.connect(self.open_crm)
        self.copy_button.clicked.connect(self._copy)
        self.save_button.clicked.connect(lambda: self.save_contact_clicked.emit(self.call.id))
        self._refresh()

    # -- what it shows -------------------------------------------------------------------

    @property
    def call_id(self) -> str:
        return self.call.id

    def update_call(self, call: Call) -> None:
        """Show `call` as it is now; closes the pop-up once it no longer rings."""
        if call.id != self.call.id:
            return
        self.call = call
        if call.state is not CallState.RINGING:
            self.close()
            return
        self._refresh()

    def set_contact(self, contact: Contact | None) -> None:
        """The phonebook entry of the caller (looked up after the pop-up was shown)."""
        self.contact = contact
        self._refresh()

    def close_for(self, call_id: str) -> bool:
        """Close if this is the pop-up of `call_id` (answered anywhere, or ended)."""
        if call_id != self.call.id:
            return False
        self.close()
        return True

    def show_error(self, text: str) -> None:
        """Say in words what did not work (e.g. the phone cannot answer remotely)."""
        self.set_busy("")
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.adjustSize()

    def set_busy(self, action: str) -> None:
        """Show "answer" or "decline" as in flight; "" when it is over."""
        self._busy = action
        self._refresh_buttons()

    @property
    def busy(self) -> str:
        return self._busy

    def texts(self) -> list[str]:
        """The lines shown, top to bottom (for tests and screen readers alike)."""
        lines = (
            self.caption_label,
            self.name_label,
            self.organisation_label,
            self.number_label,
            self.via_label,
            self.recent_label,
            self.error_label,
        )
        return [line.text() for line in lines if not line.isHidden() and line.text()]

    def _refresh(self) -> None:
        call, contact = self.call, self.contact
        number = numbers.format_for_display(call.remote_number, self.region)
        name = contact.name if contact is not None else call.remote_name.strip()
        organisation = contact.organisation.strip() if contact is not None else ""
        if organisation.casefold() in name.casefold():  # "Schreinerei Huber - Josef Huber"
            organisation = ""
        self.caption_label.setText(
            self.tr("Call from a colleague") if call.remote_internal else self.tr("Incoming call")
        )
        if name:
            self.name_label.setText(name)
            self.number_label.setText(number)
        else:  # nobody knows the name: the number is the headline
            self.name_label.setText(number or self.tr("Unknown number"))
            self.number_label.setText("")
        self.organisation_label.setText(organisation)
        via = ""
        if call.via.lower() == "queue":
            queue = call.via_details.strip()
            via = self.tr("via queue {queue}").format(queue=queue)
            if not queue:
                via = self.tr("via a queue")
        self.via_label.setText(via)
        if self.recent_calls == 1:
            recent = self.tr("Called once in the last {days} days")
        elif self.recent_calls > 1:
            recent = self.tr("Called {count} times in the last {days} days")
        else:
            recent = ""
        self.recent_label.setText(recent.format(count=self.recent_calls, days=self.recent_days))
        for line in (self.organisation_label, self.number_label, self.via_label, self.recent_label):
            line.setVisible(bool(line.text()))
        self.error_label.setVisible(bool(self.error_label.text()))
        caller = self.name_label.text()
        self.setWindowTitle(self.tr("Incoming call: {caller}").format(caller=caller))
        self._refresh_buttons()
        self.adjustSize()

    def _refresh_buttons(self) -> None:
        has_number = bool(self.call.remote_number.strip())
        self.crm_button.setVisible(bool(self.crm_template))
        self.crm_button.setEnabled(has_number)
        self.copy_button.setEnabled(has_number)
        self.save_button.setEnabled(has_number and self.contact is None)
        self.save_button.setVisible(self.contact is None)
        self.answer_button.setText(
            self.tr("Answering…") if self._busy == "answer" else self.tr("Answer")
        )
        self.decline_button.setText(
            self.tr("Declining…") if self._busy == "decline" else self.tr("Decline")
        )
        self.answer_button.setEnabled(not self._busy)
        self.decline_button.setEnabled(not self._busy)

    # -- the buttons ---------------------------------------------------------------------

    def _answer(self) -> None:
        self.show_error("")
        self.set_busy("answer")
        self.answer_clicked.emit(self.call.id)

    def _decline(self) -> None:
        self.show_error("")
        self.set_busy("decline")
        self.decline_clicked.emit(self.call.id)

    def crm_link(self) -> str:
        """The CRM address for this caller; raises crm.CrmError for an unusable template."""
        name = self.contact.name if self.contact is not None else self.call.remote_name
        return crm.crm_link(self.crm_template, self.call.remote_number, name, self.region)

    def open_crm(self) -> bool:
        """Open the CRM link with the system's browser; say so in words where it fails."""
        try:
            link = self.crm_link()
        except crm.CrmError as err:
            self.show_error(str(err))
            return False
        if not QDesktopServices.openUrl(QUrl(link, QUrl.ParsingMode.StrictMode)):
            self.show_error(self.tr("Companion could not open the CRM link in a browser."))
            return False
        self.crm_opened.emit(self.call.id)
        return True

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.call.remote_number.strip())
        self.copy_button.setText(self.tr("Copied"))
        self.number_copied.emit(self.call.id)

    # -- focus, keys, closing ------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # The user clicked into the pop-up: now it may take the keyboard (Esc closes it).
        window = self.windowHandle()
        if window is not None:
            window.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
        self.activateWindow()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().height() != event.size().height():
            self.resized.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit(self.call.id)


class CallPopups(QObject):
    """One pop-up per ringing incoming call, stacked near the tray.

    The signals are those of :class:`CallPopup`, from whichever pop-up was used.
    """

    answer_clicked = Signal(str)
    decline_clicked = Signal(str)
    crm_opened = Signal(str)
    number_copied = Signal(str)
    save_contact_clicked = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._popups: dict[str, CallPopup] = {}  # by call id, in the order they came

    def popup(self, call_id: str) -> CallPopup | None:
        return self._popups.get(call_id)

    def popups(self) -> list[CallPopup]:
        return list(self._popups.values())

    def show_call(
        self,
        call: Call,
        contact: Contact | None = None,
        *,
        recent_calls: int = 0,
        recent_days: int = 7,
        crm_template: str = "",
        region: str | None = None,
    ) -> CallPopup | None:
        """Show (or refresh) the pop-up of a ringing incoming call; None for other calls."""
        existing = self._popups.get(call.id)
        if existing is not None:
            existing.update_call(call)
            return self._popups.get(call.id)
        if not call.incoming or call.state is not CallState.RINGING:
            return None
        popup = CallPopup(
            call,
            contact,
            recent_calls=recent_calls,
            recent_days=recent_days,
            crm_template=crm_template,
            region=region,
        )
        for name in (
            "answer_clicked",
            "decline_clicked",
            "crm_opened",
            "number_copied",
            "save_contact_clicked",
        ):
            getattr(popup, name).connect(getattr(self, name).emit)
        popup.closed.connect(self._forget)
        popup.resized.connect(self._place)
        self._popups[call.id] = popup
        self._place()
        popup.show()
        return popup

    def update_call(self, call: Call) -> None:
        """Refresh the pop-up of `call`; it closes once the call no longer rings."""
        popup = self._popups.get(call.id)
        if popup is not None:
            popup.update_call(call)

    def close_for(self, call_id: str) -> None:
        popup = self._popups.get(call_id)
        if popup is not None:
            popup.close()

    def close_all(self) -> None:
        for popup in list(self._popups.values()):
            popup.close()

    def _forget(self, call_id: str) -> None:
        self._popups.pop(call_id, None)
        self._place()

    def _place(self) -> None:
        """Stack the pop-ups from the corner near the tray, the oldest nearest to it."""
        if not windows_can_be_placed():  # Wayland: the compositor puts them where it likes
            say_cannot_place()
            return
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        free, whole = screen.availableGeometry(), screen.geometry()
        at_top = panel_at_top(free, whole)
        offset = 0
        for popup in self._popups.values():
            popup.adjustSize()
            size = popup.sizeHint().expandedTo(popup.size())
            x = free.right() + 1 - MARGIN - size.width()
            if at_top:
                y = free.top() + MARGIN + offset
            else:
                y = free.bottom() + 1 - MARGIN - offset - size.height()
            popup.move(QPoint(x, y))
            offset += size.height() + SPACING


def panel_at_top(free: QRect, whole: QRect) -> bool:
    """Whether the screen's panel (where the tray is) is at the top: free space is cut there."""
    return free.top() > whole.top() and free.bottom() >= whole.bottom()

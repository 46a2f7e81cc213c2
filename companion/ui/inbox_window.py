"""The inbox window: voicemail and fax, in two tabs.

It talks only to the `Controller`: it shows the controller's state (which the controller
reads back from the PBX), follows `voicemail_changed` and `faxes_changed`, and runs the
controller's coroutines with `controller.spawn`. Failures appear in the window's message
bar in words; nothing the user typed or chose is dropped when something fails.

The window holds the message bar, the tabs and taking a PDF to fax (from the file dialog
or dropped on the window). The tabs are their own modules: `inbox_voicemail.py` (the
list and playing a message, through `player.py` once the user plays one) and
`inbox_fax.py` (received and sent faxes, with the send form of `inbox_send_fax.py`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from companion.controller import Controller
from companion.pbx.features import Feature
from companion.ui.inbox_fax import FaxTab
from companion.ui.inbox_files import InboxFiles
from companion.ui.inbox_message_bar import MessageBar
from companion.ui.inbox_voicemail import VoicemailTab

TABS = ("voicemail", "fax")


class InboxWindow(QWidget):
    """Voicemail and fax. `show_tab("voicemail")` or `show_tab("fax")` brings it up."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.resize(660, 460)
        self.setAcceptDrops(True)
        self._build()
        self._retranslate()

        self.voicemail.list_changed.connect(self._update_tab_titles)
        self.voicemail.follow()
        self.fax.follow()
        for index, feature in enumerate((Feature.VOICEMAIL, Feature.FAX)):
            self.tabs.setTabVisible(index, controller.offers(feature))  # hide what the PBX lacks

    # -- public ---------------------------------------------------------------------------

    def show_tab(self, name: str) -> None:
        """Show the "voicemail" or "fax" tab, and bring the window to the front."""
        if name not in TABS:
            raise ValueError(f"no inbox tab {name!r}; one of {', '.join(TABS)}")
        self.tabs.setCurrentIndex(TABS.index(name))
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        view = self.voicemail.voicemail_view if name == "voicemail" else self.fax.received_view
        view.setFocus()

    def start_fax(self, pdf: Path) -> bool:
        """Take `pdf` for sending: check it is a PDF, then ask for the number."""
        pages = self.fax.send_form.check(pdf)
        if pages is None:
            return False
        self.files.last_dir = pdf.parent
        self.tabs.setCurrentIndex(TABS.index("fax"))
        self.fax.send_form.open(pdf, pages)
        return True

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.bar = MessageBar(self)
        self.files = InboxFiles(self, self.bar)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.voicemail = VoicemailTab(self.controller, self.bar, self.files, self)
        self.fax = FaxTab(self.controller, self.bar, self.files, self._send_question, self)
        self.fax.pdf_chosen.connect(self.start_fax)
        self.tabs.addTab(self.voicemail, "")
        self.tabs.addTab(self.fax, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, index: int) -> None:
        """A message about one tab (voicemail's "no sound output") leaves with it."""
        if self.bar.tab and self.bar.tab != TABS[index]:
            self.bar.clear()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Inbox"))  # the desktop adds " — Companion"
        self._update_tab_titles()
        self.bar.retranslate()
        self.voicemail.retranslate()
        self.fax.retranslate()

    def _send_question(self, file: str, pages: int) -> str:
        """The send form's question. Worded here: lupdate reads the plural (%n) of a
        tr() in this class, not of a QCoreApplication.translate with a variable count."""
        return self.tr("Send “{file}” (%n page(s)) as a fax to:", "", pages).format(file=file)

    def _update_tab_titles(self) -> None:
        new = self.voicemail.new_count()
        self.tabs.setTabText(
            0,
            self.tr("&Voicemail ({count} new)").format(count=new) if new else self.tr("&Voicemail"),
        )
        self.tabs.setTabText(1, self.tr("&Fax"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc puts away the send form if it is open, else closes the window."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            if self.fax.send_form.isVisible() and self.tabs.currentIndex() == TABS.index("fax"):
                self.fax.send_form.cancel()
            else:
                self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.voicemail.stop_playback()
        super().closeEvent(event)

    # -- drag and drop --------------------------------------------------------------------------

    def _dropped_pdf(self, mime: QMimeData) -> tuple[Path | None, str]:
        """The one local PDF file in a drag, or why the drag cannot be taken."""
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if len(files) != 1 or len(mime.urls()) != 1:
            return None, self.tr("Drop one PDF file to send it as a fax.")
        if files[0].suffix.lower() != ".pdf":
            return None, self.tr(
                "{file} is not a PDF file. Only PDF files can be sent as a fax."
            ).format(file=files[0].name)
        return files[0], ""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        pdf, why = self._dropped_pdf(event.mimeData())
        if pdf is not None and not self.fax.send_form.sending:
            event.acceptProposedAction()
            return
        event.ignore()
        if event.mimeData().hasUrls():  # files: say why they are refused
            self.bar.show_error(why or self.tr("A fax is being sent. Wait until it is scheduled."))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        pdf, _why = self._dropped_pdf(event.mimeData())
        if pdf is not None and not self.fax.send_form.sending:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        pdf, why = self._dropped_pdf(event.mimeData())
        if pdf is None:
            event.ignore()
            self.bar.show_error(why)
            return
        event.acceptProposedAction()
        if self.bar.kind == "error":
            self.bar.clear()
        self.start_fax(pdf)

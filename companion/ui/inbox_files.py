"""The inbox's files on the user's disk: where to save a message or fax, which PDF to send,
showing a fax in the desktop's PDF viewer, and writing what was saved.

The file dialogs and the viewer are small methods here that the tests replace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from companion.desktop import viewers
from companion.files import write_atomically
from companion.ui.inbox_message_bar import MessageBar


def _tr(text: str) -> str:
    return QCoreApplication.translate("InboxWindow", text)  # the inbox's texts, one context


class InboxFiles:
    """Asks for files on behalf of `parent`; says in `bar` what became of a save."""

    def __init__(self, parent: QWidget, bar: MessageBar) -> None:
        self._parent = parent
        self._bar = bar
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        # Where the dialogs open: the folder of the last file saved or sent.
        self.last_dir = Path(documents) if documents else Path.home()

    def ask_save_path(self, caption: str, suggested: str, filters: str) -> Path | None:
        """Ask where to save (tests replace this); None when the user cancels."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, caption, str(self.last_dir / suggested), filters
        )
        return Path(chosen) if chosen else None

    def ask_pdf_path(self) -> Path | None:
        """Ask for a PDF to fax (tests replace this); None when the user cancels."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self._parent,
            _tr("Choose a PDF to send as a fax"),
            str(self.last_dir),
            _tr("PDF documents (*.pdf *.PDF)"),
        )
        return Path(chosen) if chosen else None

    def open_in_viewer(self, path: Path) -> bool:
        """Open `path` with the desktop's program for it; False where there is none."""
        if viewers.has_viewer("application/pdf") is False:
            return False  # openUrl would report success and show nothing
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def write_file(self, path: Path, data: bytes) -> bool:
        try:
            write_atomically(path, data)
        except OSError as exc:
            self._bar.show_error(
                _tr("{file} could not be saved: {reason}").format(
                    file=str(path), reason=exc.strerror or exc
                )
            )
            return False
        self.last_dir = path.parent
        self._bar.show_info(_tr("Saved {file}").format(file=str(path)))
        return True

"""PyInstaller runtime hook: runs in the bundle before companion.

qasync picks its Qt binding from QT_API, else by trying PyQt5, PyQt6, PySide2 and PySide6
in turn; the bundle holds PySide6 only, so name it.
"""

import os

os.environ.setdefault("QT_API", "pyside6")

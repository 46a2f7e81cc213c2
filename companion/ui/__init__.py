"""Qt widgets: the tray, the dial window, the inbox and the settings dialog.

Widgets talk to the PBX only through `companion.controller.Controller`.
"""

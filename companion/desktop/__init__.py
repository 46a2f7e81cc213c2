"""OS integration: single instance, URL handler, global hotkeys, selection, autostart."""

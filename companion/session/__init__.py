"""The Qt-free core that the GUI, the CLI and the relay share."""

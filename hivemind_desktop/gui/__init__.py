"""The Qt desktop app: tray, main window, sign-in, and the bridge to the Qt-free core."""

"""Small widgets the wizard pages share: a message line, a busy bar, a skip box."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar

from hivemind_desktop.gui.colours import error_colour, ok_colour, warning_colour


class Message(QLabel):
    """One line (or a few) of outcome text, coloured by kind, selectable for copying."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(self.textInteractionFlags() | _selectable())
        self.kind = ""

    def show_text(self, text: str, kind: str = "") -> None:
        """kind: 'error', 'ok', 'warning' or '' (plain)."""
        self.kind = kind
        colour = {"error": error_colour, "ok": ok_colour, "warning": warning_colour}.get(kind)
        # from the theme in force: a dark red on a dark window could not be read
        self.setStyleSheet(f"color: {colour(self.palette())};" if colour else "")
        self.setText(text)
        self.setVisible(bool(text))


def _selectable():
    from PySide6.QtCore import Qt

    return Qt.TextInteractionFlag.TextSelectableByMouse


class BusyBar(QProgressBar):
    """An indeterminate bar shown while a check runs off the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(8)
        self.hide()


class SkipBox(QCheckBox):
    """The explicit way past a failed check; its text states the consequence."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)

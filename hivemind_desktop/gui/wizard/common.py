"""Small widgets the wizard pages share: a message line, a busy bar, a skip box."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b6e20;"
WARN_STYLE = "color: #8a5a00;"
# The same meanings on a dark theme: the dark shades above barely read on a dark window.
DARK_STYLES = {"error": "color: #ff8a80;", "ok": "color: #81c995;", "warning": "color: #fdd663;"}


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
        dark = self.palette().window().color().lightness() < 128
        styles = (
            DARK_STYLES if dark else {"error": ERROR_STYLE, "ok": OK_STYLE, "warning": WARN_STYLE}
        )
        self.setStyleSheet(styles.get(kind, ""))
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

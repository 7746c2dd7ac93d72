"""Small widgets the wizard pages share: a message line, a busy bar, a skip box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QProgressBar, QWidget

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b6e20;"
WARN_STYLE = "color: #8a5a00;"
# The same meanings on a dark theme, where the dark shades above cannot be read.
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
        if self.palette().window().color().lightness() < 128:
            style = DARK_STYLES.get(kind, "")
        else:
            style = {"error": ERROR_STYLE, "ok": OK_STYLE, "warning": WARN_STYLE}.get(kind, "")
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))


def _selectable() -> Qt.TextInteractionFlag:
    return Qt.TextInteractionFlag.TextSelectableByMouse


class BusyBar(QProgressBar):
    """An indeterminate bar shown while a check runs off the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(8)
        self.hide()


class SkipBox(QWidget):
    """The explicit way past a failed check; its text states the consequence.

    A check box with a wrapping label beside it: a QCheckBox's own text never wraps, so
    a long consequence (and every Chinese one) was cut at the wizard's width. Clicking
    the text ticks the box, as with a plain check box."""

    toggled = Signal(bool)

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.box = QCheckBox()
        self.box.setObjectName(f"{object_name}Box")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.mousePressEvent = lambda _event: self.box.toggle()  # type: ignore[method-assign]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.box.toggled.connect(self.toggled)

    def isChecked(self) -> bool:  # noqa: N802 - QCheckBox's name, kept for callers
        return self.box.isChecked()

    def setChecked(self, checked: bool) -> None:  # noqa: N802
        self.box.setChecked(checked)

    def setText(self, text: str) -> None:  # noqa: N802
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()

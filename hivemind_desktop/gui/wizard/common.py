"""Small widgets the wizard pages share: a message line, a busy bar, a skip box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QProgressBar, QWidget

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

"""A dark desktop theme for the GUI tests: the palette a dark system theme gives Qt."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def dark_palette(disabled_text: bool = False) -> QPalette:
    """disabled_text: grey out disabled labels and buttons as dark themes do (Qt's
    default disabled colours are meant for a light window)."""
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#303134"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    if disabled_text:
        for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
            dark.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return dark

"""Status colours that read on the volunteer's theme: dark tones on a light window,
light tones on a dark one (a dark red on a dark grey cannot be read)."""

from __future__ import annotations

from PySide6.QtGui import QPalette


def is_dark(palette: QPalette) -> bool:
    return palette.window().color().lightness() < 128


def error_colour(palette: QPalette) -> str:
    return "#ff8a80" if is_dark(palette) else "#b00020"


def warning_colour(palette: QPalette) -> str:
    return "#ffcc80" if is_dark(palette) else "#8a5a00"


def ok_colour(palette: QPalette) -> str:
    return "#a5d6a7" if is_dark(palette) else "#1b6e20"


def error_background(palette: QPalette) -> str:
    """Behind a line in error (the text keeps the theme's colour)."""
    return "#5c2b29" if is_dark(palette) else "#ffd6d6"

"""Draw the tray-state icons (one PNG per state, plus the app icon) with QPainter.

Run: .venv/bin/python scripts/make_icons.py   (writes the sources in resources/icons/)
then .venv/bin/python scripts/build_resources.py (copies them into the package).
The icons are committed; rerun only to change their look (or edit the PNGs by hand).
Each state differs in colour AND glyph so that it reads in a monochrome tray and for
colour-blind volunteers.

The macOS menu bar wants template images instead: black and transparent only, which macOS
tints for a light or dark menu bar (Qt: QIcon.setIsMask). `<state>-template-<size>.png`
is the hexagon in black with the state's glyph cut out, so the states still differ by glyph.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 64, 256)

STATES = {
    "contributing": "#2e9d4f",
    "idle": "#3a76c4",
    "paused": "#e0a100",
    "disconnected": "#7a7f87",
    "signed_out": "#6f5fa8",
    "error": "#d0342c",
    "app": "#f2b705",
}


def hexagon(size: float) -> QPolygonF:
    c, r = size / 2, size * 0.47
    return QPolygonF(
        [
            QPointF(
                c + r * math.cos(math.radians(60 * i - 30)),
                c + r * math.sin(math.radians(60 * i - 30)),
            )
            for i in range(6)
        ]
    )


def glyph(p: QPainter, state: str, s: float) -> None:
    white = QColor("white")
    pen = QPen(white, max(1.5, s * 0.09), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.NoBrush)
    if state == "contributing":  # a play triangle: working (an arrow read as "uploading")
        p.setPen(QPen(white, max(1.0, s * 0.04), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        p.setBrush(white)
        p.drawPolygon(
            QPolygonF(
                [QPointF(s * 0.38, s * 0.3), QPointF(s * 0.72, s * 0.5), QPointF(s * 0.38, s * 0.7)]
            )
        )
    elif state == "idle":  # a ring: ready, waiting
        p.drawEllipse(QRectF(s * 0.33, s * 0.33, s * 0.34, s * 0.34))
    elif state == "paused":  # two bars
        p.setPen(Qt.NoPen)
        p.setBrush(white)
        p.drawRect(QRectF(s * 0.34, s * 0.3, s * 0.11, s * 0.4))
        p.drawRect(QRectF(s * 0.55, s * 0.3, s * 0.11, s * 0.4))
    elif state == "disconnected":  # a cross
        p.drawLine(QPointF(s * 0.35, s * 0.35), QPointF(s * 0.65, s * 0.65))
        p.drawLine(QPointF(s * 0.65, s * 0.35), QPointF(s * 0.35, s * 0.65))
    elif state == "signed_out":  # a person: no account signed in (not a network fault)
        p.setPen(Qt.NoPen)
        p.setBrush(white)
        p.drawEllipse(QPointF(s * 0.5, s * 0.38), s * 0.1, s * 0.1)
        p.drawPie(QRectF(s * 0.3, s * 0.52, s * 0.4, s * 0.36), 0, 180 * 16)
    elif state == "error":  # an exclamation mark
        p.drawLine(QPointF(s * 0.5, s * 0.27), QPointF(s * 0.5, s * 0.58))
        p.setPen(Qt.NoPen)
        p.setBrush(white)
        p.drawEllipse(QPointF(s * 0.5, s * 0.72), s * 0.06, s * 0.06)
    else:  # app: a small honeycomb cell
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(x * 0.4 + s * 0.3, y * 0.4 + s * 0.3)
                    for x, y in [(pt.x(), pt.y()) for pt in hexagon(s)]
                ]
            )
        )


def draw(state: str, colour: str, size: int) -> QImage:
    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor("#20232a"), max(1.0, size * 0.03)))
    p.setBrush(QColor(colour))
    p.drawPolygon(hexagon(size))
    glyph(p, state, size)
    p.end()
    return img


def draw_template(state: str, size: int) -> QImage:
    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("black"))
    p.drawPolygon(hexagon(size))
    p.setCompositionMode(QPainter.CompositionMode_Clear)  # the glyph becomes a hole
    glyph(p, state, size)
    p.end()
    return img


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - QPainter on QImage needs a GUI app for fonts
    OUT.mkdir(parents=True, exist_ok=True)
    for state, colour in STATES.items():
        for size in SIZES:
            path = OUT / f"{state}-{size}.png"
            if not draw(state, colour, size).save(str(path)):
                print(f"could not write {path}", file=sys.stderr)
                return 1
            if state == "app":
                continue
            path = OUT / f"{state}-template-{size}.png"
            if not draw_template(state, size).save(str(path)):
                print(f"could not write {path}", file=sys.stderr)
                return 1
    print(f"wrote the icons to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

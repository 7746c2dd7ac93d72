"""Live line charts of the last ten minutes, drawn with QPainter.

A few curves of at most 600 points on a fixed 0-100 % by -600..0 s frame need no plotting
library: pyqtgraph (and the numpy it requires) would add ~40 MB to every running app and
~35 MB to the installer for this one picture.

Colours come from the widget's palette, so the chart follows a light or dark desktop
theme; the legend sits above the frame, never over the curves.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

WINDOW_S = 600
Y_TICKS = (0, 20, 40, 60, 80, 100)
Y_TOP = 108.0  # headroom: a curve at 100 % is drawn inside the frame, not on its edge
X_TICK_S = 100
# Curve colours on a light and on a dark background (same hues, the dark set lighter).
LIGHT_COLOURS = ("#2e7d32", "#c2185b", "#1f5fb0", "#b35c00")
DARK_COLOURS = ("#66d17a", "#ff7eb6", "#7fb0f0", "#ffb74d")
SWATCH = 22  # legend line length, px


def is_dark(palette: QPalette) -> bool:
    """A dark theme: light text on a dark background."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def curve_colours(palette: QPalette) -> tuple[str, ...]:
    return DARK_COLOURS if is_dark(palette) else LIGHT_COLOURS


@dataclass(frozen=True)
class ChartGeometry:
    """Where each part goes for a widget size: tests read it, paintEvent draws it."""

    frame: QRectF  # the plotting frame (axes box)
    legend: list[QRectF]  # one box per curve name
    y_labels: list[tuple[int, QRectF]]  # tick value and its label's box

    def y_of(self, percent: float) -> float:
        clamped = min(100.0, max(0.0, percent))
        return self.frame.bottom() - clamped / Y_TOP * self.frame.height()


class PlotArea(QWidget):
    """The drawing: title, legend, axes with ticks and a light grid, the curves."""

    def __init__(self, title: str, names: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.names = list(names)
        self.axis_label = ""
        self.xs: list[float] = []  # seconds ago, negative, oldest first
        self.series: list[list[float]] = [[] for _ in self.names]
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, xs: list[float], series: Sequence[Sequence[float]]) -> None:
        self.xs = xs
        self.series = [list(ys) for ys in series]
        self.update()

    def geometry_for(self, width: float, height: float, fm: QFontMetrics) -> ChartGeometry:
        line = fm.height()
        left = fm.horizontalAdvance("100") + line + 10
        # the legend: entries side by side under the title, wrapped to the width
        legend: list[QRectF] = []
        x, y = float(left), line * 1.6 + 6
        for name in self.names:
            w = SWATCH + 6 + fm.horizontalAdvance(name)
            if legend and x + w > width - 8:
                x, y = float(left), y + line + 2
            legend.append(QRectF(x, y, w, line))
            x += w + 18
        top = (legend[-1].bottom() if legend else line * 1.6) + line / 2 + 4
        bottom = line * (2 if self.axis_label else 1) + 10
        frame = QRectF(left, top, max(10.0, width - left - 14), height - top - bottom)
        geometry = ChartGeometry(frame, legend, [])
        for value in Y_TICKS:
            y_tick = geometry.y_of(value)
            geometry.y_labels.append((value, QRectF(0, y_tick - line / 2, left - 6, line)))
        return geometry

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        background = palette.color(QPalette.ColorRole.Base)
        axis = QColor(text)
        axis.setAlpha(150)
        grid = QColor(text)
        grid.setAlpha(40)
        colours = curve_colours(palette)
        p.fillRect(self.rect(), background)
        fm = p.fontMetrics()
        line = fm.height()
        g = self.geometry_for(self.width(), self.height(), fm)
        frame = g.frame
        if frame.height() < 10:
            p.end()
            return

        title_font = QFont(p.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        p.setPen(text)
        p.setFont(title_font)
        p.drawText(QRectF(0, 2, self.width(), line * 1.6), Qt.AlignmentFlag.AlignCenter, self.title)
        p.setFont(self.font())

        for i, (name, box) in enumerate(zip(self.names, g.legend, strict=True)):
            p.setPen(QPen(QColor(colours[i % len(colours)]), 2))
            mid = box.center().y()
            p.drawLine(QPointF(box.left(), mid), QPointF(box.left() + SWATCH, mid))
            p.setPen(text)
            p.drawText(QPointF(box.left() + SWATCH + 6, box.top() + fm.ascent()), name)

        def x_of(seconds_ago: float) -> float:
            return frame.left() + (seconds_ago + WINDOW_S) / WINDOW_S * frame.width()

        for value, box in g.y_labels:
            y = g.y_of(value)
            p.setPen(grid)
            p.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
            p.setPen(axis)
            p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
        for seconds in range(-WINDOW_S, 1, X_TICK_S):
            x = x_of(seconds)
            p.setPen(grid)
            p.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()))
            p.setPen(axis)
            p.drawText(
                QRectF(x - 40, frame.bottom() + 3, 80, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(seconds),
            )
        p.setPen(QPen(axis, 1))
        p.drawRect(frame)
        p.save()
        p.translate(line / 2 + 2, frame.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-40, -line / 2, 80, line), Qt.AlignmentFlag.AlignCenter, "%")
        p.restore()
        if self.axis_label:
            p.drawText(
                QRectF(frame.left(), frame.bottom() + line + 6, frame.width(), line),
                Qt.AlignmentFlag.AlignCenter,
                self.axis_label,
            )

        p.setClipRect(frame.adjusted(1, 1, -1, -1))
        for i, ys in enumerate(self.series):
            points = [(x, y) for x, y in zip(self.xs, ys, strict=False) if x >= -WINDOW_S]
            if not points:
                continue
            path = QPainterPath(QPointF(x_of(points[0][0]), g.y_of(points[0][1])))
            for x, y in points[1:]:
                path.lineTo(x_of(x), g.y_of(y))
            p.setPen(QPen(QColor(colours[i % len(colours)]), 2))
            p.drawPath(path)
        p.end()


class LiveChart(QWidget):
    """A 0-100 % chart with a few curves over the last ten minutes, x in seconds ago.

    `show_message` replaces the plot with one line (e.g. "GPU: No NVIDIA GPU found") and
    the chart shrinks to that line, so an empty chart never looks like a flat 0 % nor
    takes the room the other charts need.
    """

    def __init__(self, title: str, curve_names: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self._message = ""
        self.plot = PlotArea(title, curve_names)
        self.message_label = QLabel()
        self.message_label.setObjectName("chartMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout = QVBoxLayout(self)  # not a stack: a hidden plot must not keep its height
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        layout.addWidget(self.message_label)
        self.points = 0  # points drawn in the last update (tests read it)

    def set_axis_label(self, text: str) -> None:
        self.plot.axis_label = text
        self.plot.update()

    def set_plot_minimum_height(self, height: int) -> None:
        self.plot.setMinimumHeight(height)

    def show_message(self, text: str) -> None:
        self._message = text
        self.message_label.setText(f"<b>{html.escape(self.title)}:</b> {html.escape(text)}")
        self.plot.hide()
        self.message_label.show()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    @property
    def message(self) -> str:
        return self._message if self.message_label.isVisibleTo(self) else ""

    def update_series(self, now: float, times: Iterable[float], series: Sequence[Sequence[float]]):
        """times: sample times (time.time()); series: one list of values per curve."""
        if self.message_label.isVisibleTo(self):
            self.message_label.hide()
            self.plot.show()
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        xs = [t - now for t in times]
        self.plot.set_data(xs, series)
        self.points = len(xs)

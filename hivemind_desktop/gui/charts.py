"""Live line charts of the last ten minutes, drawn with QPainter.

Two curves of at most 600 points on a fixed 0-100 % by -600..0 s frame need no plotting
library: pyqtgraph (and the numpy it requires) would add ~40 MB to every running app and
~35 MB to the installer for this one picture.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QWidget

WINDOW_S = 600
COLOURS = ("#2e9d4f", "#3a76c4")
Y_TICKS = (0, 20, 40, 60, 80, 100)
X_TICK_S = 100
TEXT = QColor("#20232a")
AXIS = QColor("#888888")
GRID = QColor(0, 0, 0, 40)


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

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), Qt.GlobalColor.white)
        fm = p.fontMetrics()
        line = fm.height()
        title_font = QFont(p.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        # frame: room for the title above, tick labels left and below, the axis label
        left = fm.horizontalAdvance("100") + line + 10
        top = int(line * 1.8) + 4
        bottom = line * (2 if self.axis_label else 1) + 10
        frame = QRectF(left, top, max(10, self.width() - left - 12), self.height() - top - bottom)
        if frame.height() < 10:
            p.end()
            return

        p.setPen(TEXT)
        p.setFont(title_font)
        p.drawText(QRectF(0, 2, self.width(), line * 1.6), Qt.AlignmentFlag.AlignCenter, self.title)
        p.setFont(self.font())

        def x_of(seconds_ago: float) -> float:
            return frame.left() + (seconds_ago + WINDOW_S) / WINDOW_S * frame.width()

        def y_of(percent: float) -> float:
            clamped = min(100.0, max(0.0, percent))
            return frame.bottom() - clamped / 100.0 * frame.height()

        for value in Y_TICKS:
            y = y_of(value)
            p.setPen(GRID)
            p.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
            p.setPen(AXIS)
            p.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )
        for seconds in range(-WINDOW_S, 1, X_TICK_S):
            x = x_of(seconds)
            p.setPen(GRID)
            p.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()))
            p.setPen(AXIS)
            p.drawText(
                QRectF(x - 40, frame.bottom() + 3, 80, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(seconds),
            )
        p.setPen(QPen(AXIS, 1))
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

        p.setClipRect(frame.adjusted(-1, -2, 1, 2))
        for i, ys in enumerate(self.series):
            points = [(x, y) for x, y in zip(self.xs, ys, strict=False) if x >= -WINDOW_S]
            if not points:
                continue
            path = QPainterPath(QPointF(x_of(points[0][0]), y_of(points[0][1])))
            for x, y in points[1:]:
                path.lineTo(x_of(x), y_of(y))
            p.setPen(QPen(QColor(COLOURS[i % len(COLOURS)]), 2))
            p.drawPath(path)
        p.setClipping(False)

        # legend: a short line of each colour and the curve's name, top left in the frame
        y = frame.top() + 6
        width = max((fm.horizontalAdvance(n) for n in self.names), default=0) + 40
        box = QRectF(frame.left() + 4, y - 2, width, len(self.names) * (line + 2) + 2)
        p.fillRect(box, QColor(255, 255, 255, 210))
        for i, name in enumerate(self.names):
            p.setPen(QPen(QColor(COLOURS[i % len(COLOURS)]), 2))
            mid = y + line / 2
            p.drawLine(QPointF(frame.left() + 8, mid), QPointF(frame.left() + 28, mid))
            p.setPen(TEXT)
            p.drawText(QPointF(frame.left() + 34, y + fm.ascent()), name)
            y += line + 2
        p.end()


class LiveChart(QWidget):
    """A 0-100 % chart with up to two curves over the last ten minutes, x in seconds ago.

    `message` replaces the plot with a sentence (e.g. "No NVIDIA GPU found") when there
    is nothing to draw, so an empty chart never looks like a flat 0 %.
    """

    def __init__(self, title: str, curve_names: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self._message = ""
        self.plot = PlotArea(title, curve_names)
        self.message_label = QLabel()
        self.message_label.setObjectName("chartMessage")
        self.message_label.setStyleSheet("color: #555; font-size: 14px;")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.plot)
        self._stack.addWidget(self.message_label)
        self.points = 0  # points drawn in the last update (tests read it)

    def set_axis_label(self, text: str) -> None:
        self.plot.axis_label = text
        self.plot.update()

    def show_message(self, text: str) -> None:
        self._message = text
        self.message_label.setText(f"<b>{html.escape(self.title)}</b><br><br>{html.escape(text)}")
        self._stack.setCurrentWidget(self.message_label)

    @property
    def message(self) -> str:
        return self._message if self._stack.currentWidget() is self.message_label else ""

    def update_series(self, now: float, times: Iterable[float], series: Sequence[Sequence[float]]):
        """times: sample times (time.time()); series: one list of values per curve."""
        self._stack.setCurrentWidget(self.plot)
        xs = [t - now for t in times]
        self.plot.set_data(xs, series)
        self.points = len(xs)

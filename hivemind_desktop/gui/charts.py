"""Live line charts of the last ten minutes (pyqtgraph: fast, and needs no QtCharts)."""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget  # noqa: E402

WINDOW_S = 600
COLOURS = ("#2e9d4f", "#3a76c4")


class LiveChart(QWidget):
    """A 0-100 % chart with up to two curves over the last ten minutes, x in seconds ago.

    `message` replaces the plot with a sentence (e.g. "No NVIDIA GPU found") when there
    is nothing to draw, so an empty chart never looks like a flat 0 %.
    """

    def __init__(self, title: str, curve_names: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self._message = ""
        self.plot = pg.PlotWidget(background="w")
        self.plot.setTitle(title, color="#20232a")
        self.plot.setYRange(0, 100, padding=0.02)
        self.plot.setXRange(-WINDOW_S, 0, padding=0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("left", "%")
        self.plot.addLegend(offset=(5, 5))
        self.curves = [
            self.plot.plot([], [], name=name, pen=pg.mkPen(COLOURS[i % len(COLOURS)], width=2))
            for i, name in enumerate(curve_names)
        ]
        self.message_label = QLabel()
        self.message_label.setObjectName("chartMessage")
        self.message_label.setStyleSheet("color: #555; font-size: 14px;")
        from PySide6.QtCore import Qt

        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.plot)
        self._stack.addWidget(self.message_label)
        self.points = 0  # points drawn in the last update (tests read it)

    def set_axis_label(self, text: str) -> None:
        self.plot.setLabel("bottom", text)

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
        for curve, ys in zip(self.curves, series, strict=False):
            curve.setData(xs, list(ys))
        self.points = len(xs)

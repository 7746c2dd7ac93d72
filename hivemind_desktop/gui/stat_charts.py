"""The Statistics page's charts, drawn with QPainter in the window's own palette (light
or dark): bars per day (credits, tasks) and the trust score as a step line.

Days are few (at most a quarter) and the trust series is capped in the store, so plain
painting is plenty; no plotting library (see charts.py for why).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# Mid-tone colours that read on white and on a dark base alike.
BAR = QColor("#3a8fd9")
LINE = QColor("#36a85a")
THRESHOLD = QColor("#d08a1e")


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 and round steps up to at least `top` (1, 2, 5 x 10^n), for a readable y axis."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)  # whole tasks and whole CPT
    return [i * step for i in range(math.ceil(top / step + 1e-9) + 1)]


class _Frame(QWidget):
    """Title, y axis with ticks and grid, x labels: what both charts share."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.empty_text = ""
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def colours(self) -> tuple[QColor, QColor, QColor]:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(45)
        return pal.color(QPalette.ColorRole.Base), text, grid

    def draw_frame(self, p: QPainter, ticks: Sequence[float]) -> QRectF:
        base, text, grid = self.colours()
        p.fillRect(self.rect(), base)
        fm = p.fontMetrics()
        line = fm.height()
        title_font = QFont(p.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(text)
        p.drawText(
            QRectF(8, 4, self.width() - 16, line + 4), Qt.AlignmentFlag.AlignLeft, self.title
        )
        p.setFont(QFont(self.font()))
        labels = [f"{t:g}" for t in ticks]
        left = max(fm.horizontalAdvance(s) for s in labels) + 14
        top = line * 2 + 6
        frame = QRectF(
            left, top, max(10, self.width() - left - 12), self.height() - top - line - 12
        )
        for tick, label in zip(ticks, labels, strict=True):
            y = frame.bottom() - frame.height() * tick / ticks[-1]
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
            p.setPen(text)
            p.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        return frame

    def draw_x_labels(
        self, p: QPainter, frame: QRectF, labels: Sequence[tuple[float, str]]
    ) -> None:
        """labels: (x, text); the ones that would overlap the previous are skipped."""
        _base, text, _grid = self.colours()
        fm = p.fontMetrics()
        p.setPen(text)
        last_right = -1e9
        for x, label in labels:
            width = fm.horizontalAdvance(label)
            left = min(max(x - width / 2, frame.left() - 4), self.width() - width - 2)
            if left <= last_right + 6:
                continue
            p.drawText(QRectF(left, frame.bottom() + 4, width + 2, fm.height()), label)
            last_right = left + width

    def draw_empty(self, p: QPainter, frame: QRectF) -> None:
        if self.empty_text:
            p.setPen(self.colours()[1])
            p.drawText(
                frame, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
            )


class DayBarChart(_Frame):
    """One bar per day, oldest left; the value of a bar under the mouse in its tooltip."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.days: list[date] = []
        self.values: list[int] = []
        self.setMouseTracking(True)
        self._frame = QRectF()

    def set_data(self, days: Sequence[date], values: Sequence[int]) -> None:
        self.days, self.values = list(days), list(values)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ticks = nice_ticks(max(self.values, default=0))
        frame = self._frame = self.draw_frame(p, ticks)
        n = len(self.values)
        if n and any(self.values):
            slot = frame.width() / n
            gap = min(4.0, slot * 0.25)
            for i, value in enumerate(self.values):
                height = frame.height() * value / ticks[-1]
                p.fillRect(
                    QRectF(
                        frame.left() + i * slot + gap / 2,
                        frame.bottom() - height,
                        slot - gap,
                        height,
                    ),
                    BAR,
                )
        else:
            self.draw_empty(p, frame)
        if n:
            slot = frame.width() / n
            labels = [
                (frame.left() + (i + 0.5) * slot, day.strftime("%m-%d"))
                for i, day in enumerate(self.days)
                if i == n - 1 or (n - 1 - i) % 7 == 0  # today and every week before it
            ]
            self.draw_x_labels(p, frame, labels)
        p.end()

    def bar_at(self, x: float) -> int | None:
        if not self.values or not self._frame.left() <= x <= self._frame.right():
            return None
        return min(
            len(self.values) - 1,
            int((x - self._frame.left()) / (self._frame.width() / len(self.values))),
        )

    def mouseMoveEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        index = self.bar_at(event.position().x())
        self.setToolTip(
            "" if index is None else f"{self.days[index].isoformat()}: {self.values[index]}"
        )


class TrustChart(_Frame):
    """The trust score 0-100 as a step line over the period, with the threshold."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.points: list[tuple[float, int]] = []
        self.since = 0.0
        self.until = 1.0
        self.threshold: int | None = None
        self.threshold_label = ""  # drawn above the dashed line, at its right end

    def set_data(
        self, points: Sequence[tuple[float, int]], since: float, until: float, threshold: int | None
    ) -> None:
        self.points, self.since, self.until = list(points), since, max(until, since + 1)
        self.threshold = threshold
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = self.draw_frame(p, [0, 25, 50, 75, 100])
        span = self.until - self.since

        def x_of(t: float) -> float:
            return (
                frame.left()
                + frame.width() * (min(max(t, self.since), self.until) - self.since) / span
            )

        def y_of(score: float) -> float:
            return frame.bottom() - frame.height() * score / 100

        if self.threshold is not None:
            p.setPen(QPen(THRESHOLD, 1, Qt.PenStyle.DashLine))
            y = y_of(self.threshold)
            p.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
            if self.threshold_label:  # text needs more contrast than a dashed line
                dark = self.colours()[0].lightnessF() < 0.5
                p.setPen(QColor("#ffb74d" if dark else "#8a5300"))
                fm = p.fontMetrics()
                width = fm.horizontalAdvance(self.threshold_label)
                p.drawText(
                    QPointF(frame.right() - width - 4, y + fm.ascent() + 2), self.threshold_label
                )
        if self.points:
            path = QPainterPath(QPointF(x_of(self.points[0][0]), y_of(self.points[0][1])))
            for (_t0, s0), (t1, s1) in zip(self.points, self.points[1:], strict=False):
                path.lineTo(x_of(t1), y_of(s0))
                path.lineTo(x_of(t1), y_of(s1))
            path.lineTo(frame.right(), y_of(self.points[-1][1]))
            p.setPen(QPen(LINE, 2.5))
            p.drawPath(path)
        else:
            self.draw_empty(p, frame)
        start, end = datetime.fromtimestamp(self.since), datetime.fromtimestamp(self.until)
        self.draw_x_labels(
            p,
            frame,
            [(frame.left(), start.strftime("%m-%d")), (frame.right(), end.strftime("%m-%d"))],
        )
        p.end()

"""Statistics: what this computer gave and earned, from the worker's own history:
credits (CPT) and tasks completed per day over weeks, and the trust score over time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hivemind_desktop.gui import help_texts
from hivemind_desktop.gui.stat_charts import DayBarChart, TrustChart
from hivemind_desktop.gui.state import AppState

REFRESH_MS = 60_000  # while shown; new results change it a few times an hour at most
PERIODS = (14, 28, 84)  # days


class StatisticsPage(QWidget):
    wanted = Signal(int)  # days: ask the core for fresh statistics

    def __init__(
        self, state: AppState, trust_threshold: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.trust_threshold = trust_threshold
        self.period = QComboBox()
        for days in PERIODS:
            self.period.addItem(self.tr("Last %1 weeks").replace("%1", str(days // 7)), days)
        self.period.setCurrentIndex(PERIODS.index(28))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.credits_chart = DayBarChart(self.tr("Credits earned per day (CPT)"))
        self.credits_chart.setToolTip(help_texts.cpt())
        self.tasks_chart = DayBarChart(self.tr("Tasks completed per day"))
        self.trust_chart = TrustChart(self.tr("Trust score (0-100)"))
        self.trust_chart.setToolTip(help_texts.trust())
        self.trust_chart.threshold_label = self.tr("threshold: low below, medium from here")
        for chart in (self.credits_chart, self.tasks_chart, self.trust_chart):
            chart.empty_text = self.tr("Nothing yet in this period")
        self.note = QLabel(
            self.tr(
                "Recorded by this computer: credits are rises of your balance as the node pool "
                "reports it, so a transfer you received counts too."
            )
        )
        self.note.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.period)
        charts = QGridLayout()
        charts.addWidget(self.credits_chart, 0, 0)
        charts.addWidget(self.tasks_chart, 0, 1)
        charts.addWidget(self.trust_chart, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(charts, 1)
        layout.addWidget(self.note)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.ask)
        self.period.currentIndexChanged.connect(self.ask)
        state.statistics_changed.connect(self.show_statistics)
        self.show_statistics(state.statistics)

    @property
    def days(self) -> int:
        return int(self.period.currentData())

    def ask(self) -> None:
        self.wanted.emit(self.days)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ask()
        self._timer.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._timer.stop()

    def show_statistics(self, stats: Any) -> None:
        if stats is None:
            self.summary.setText(self.tr("Loading…"))
            return
        days = [d.day for d in stats.days]
        self.credits_chart.set_data(days, [d.credits for d in stats.days])
        self.tasks_chart.set_data(days, [d.completed for d in stats.days])
        self.trust_chart.set_data(list(stats.trust), stats.since, stats.until, self.trust_threshold)
        failed = sum(d.failed + d.stopped for d in stats.days)
        self.summary.setText(
            self.tr("Last %1 days: %2 CPT earned · tasks completed: %3 · failed or stopped: %4")
            .replace("%1", str(len(stats.days)))
            .replace("%2", str(stats.credits))
            .replace("%3", str(stats.completed))
            .replace("%4", str(failed))
        )

"""Dashboard: who this node is, how it stands with the pool, and live machine charts."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from hivemind_desktop.gui.charts import LiveChart
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import pool_state_text, state_line


class DashboardPage(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.node_id = QLabel()
        self.account = QLabel()
        self.pool = QLabel()
        self.worker = QLabel()
        self.trust = QLabel()
        self.balance = QLabel()
        self.counts = QLabel()
        for label in (self.node_id, self.account, self.pool, self.trust, self.balance):
            label.setTextInteractionFlags(label.textInteractionFlags() | _selectable())

        status = QGroupBox(self.tr("This computer"))
        form = QFormLayout(status)
        form.addRow(self.tr("Node ID:"), self.node_id)
        form.addRow(self.tr("Account:"), self.account)
        form.addRow(self.tr("Node pool:"), self.pool)
        form.addRow(self.tr("State:"), self.worker)
        form.addRow(self.tr("Trust score:"), self.trust)
        form.addRow(self.tr("Balance:"), self.balance)
        form.addRow(self.tr("Tasks:"), self.counts)

        self.cpu_chart = LiveChart(
            self.tr("CPU and memory"),
            [
                self.tr("CPU % (whole computer)"),
                self.tr("HiveMind tasks CPU %"),
                self.tr("Memory %"),
            ],
        )
        self.gpu_chart = LiveChart(
            self.tr("GPU"), [self.tr("GPU utilisation %"), self.tr("GPU memory %")]
        )
        for chart in (self.cpu_chart, self.gpu_chart):
            chart.set_axis_label(self.tr("seconds ago (last 10 minutes)"))
            chart.set_plot_minimum_height(180)  # a chart message shrinks to its line

        charts = QGridLayout()
        charts.addWidget(self.cpu_chart, 0, 0)
        charts.addWidget(self.gpu_chart, 1, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(status)
        layout.addLayout(charts, 1)

        state.changed.connect(self.refresh)
        state.sample_added.connect(self.redraw_charts)
        self.refresh()
        self.redraw_charts()

    def refresh(self) -> None:
        s = self.state
        self.node_id.setText(s.node_id or self.tr("(set after sign-in)"))
        if s.signed_in:
            self.account.setText(self.tr("Signed in as %1").replace("%1", s.username or s.node_id))
        else:
            self.account.setText(self.tr("Not signed in"))
        self.pool.setText(pool_state_text(s.pool_state, s.pool_detail))
        self.worker.setText(state_line(s.overall, s.state_detail))
        if s.trust_score is None:
            self.trust.setText(self.tr("unknown"))
        else:
            group = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
            self.trust.setText(
                self.tr("%1 / 100 (%2 group)")
                .replace("%1", str(s.trust_score))
                .replace("%2", group.get(s.trust_group, s.trust_group))
            )
        self.balance.setText(
            self.tr("unknown")
            if s.balance is None
            else self.tr("%1 CPT").replace("%1", str(s.balance))
        )
        c = s.counts()
        self.counts.setText(
            self.tr("%1 running, %2 completed, %3 failed or stopped")
            .replace("%1", str(c["running"]))
            .replace("%2", str(c["completed"]))
            .replace("%3", str(c["failed"]))
        )

    def redraw_charts(self, _sample: Any = None) -> None:
        samples = list(self.state.samples)
        now = samples[-1].time if samples else time.time()
        times = [x.time for x in samples]
        self.cpu_chart.update_series(
            now,
            times,
            [
                [x.cpu_percent for x in samples],
                [x.tasks_cpu_percent or 0.0 for x in samples],
                [x.memory_percent for x in samples],
            ],
        )
        if samples and samples[-1].gpu_percent is not None:
            gpu = [x for x in samples if x.gpu_percent is not None]
            self.gpu_chart.update_series(
                now,
                [x.time for x in gpu],
                [[x.gpu_percent for x in gpu], [x.gpu_memory_percent or 0.0 for x in gpu]],
            )
        elif samples:
            self.gpu_chart.show_message(self.tr("No NVIDIA GPU found"))
        else:
            self.gpu_chart.show_message(self.tr("Waiting for the first measurement…"))


def _selectable():  # noqa: ANN202 - a Qt flag
    from PySide6.QtCore import Qt

    return Qt.TextInteractionFlag.TextSelectableByMouse

"""One paired computer on the Computers page: its state, tasks, machine, standing and
charts, the controls its pairing allows, and every problem as a line of text."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.gui.charts import LiveChart
from hivemind_desktop.gui.fleet_model import ComputerView, FleetModel
from hivemind_desktop.gui.pages.fleet_texts import ERROR_STYLE, error_text
from hivemind_desktop.gui.texts import state_line

# Points per curve on a card's chart: about one per 4 s of the ten minutes. A card's chart
# is half as wide as the Dashboard's, and on the 2-core development machine a paint of
# 300 points per curve took 4-10 ms against 2-3 ms for 150: a stall the window would feel.
CARD_POINTS = 150


class ComputerCard(QFrame):
    def __init__(self, fleet: FleetModel, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet, self.key = fleet, key
        self.setObjectName("computerCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.address = QLabel(key)
        self.state = QLabel()
        self.tasks = QLabel()
        self.machine = QLabel()
        self.standing = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("computerProblem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        for label in (self.state, self.tasks, self.machine, self.standing):
            label.setWordWrap(True)
        self.cpu_chart = LiveChart(
            self.tr("CPU and memory"), [self.tr("CPU %"), self.tr("Memory %")]
        )
        self.gpu_chart = LiveChart(
            self.tr("GPU"), [self.tr("GPU utilisation %"), self.tr("GPU memory %")]
        )
        for chart in (self.cpu_chart, self.gpu_chart):
            chart.set_axis_label(self.tr("seconds ago (last 10 minutes)"))
            chart.setMinimumHeight(170)
            chart.setMinimumWidth(300)
        self.pause_button = QPushButton()
        self.task_choice = QComboBox()
        self.task_choice.setMinimumContentsLength(12)
        self.stop_button = QPushButton(self.tr("Stop task"))
        self.remove_button = QPushButton(self.tr("Remove"))

        # Text and controls on the left, the charts beside them: a card stays about as
        # tall as one chart (two with a GPU), so several fit on a screen.
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.address, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.pause_button)
        controls.addWidget(self.task_choice, 1)
        controls.addWidget(self.stop_button)
        text = QVBoxLayout()
        text.addLayout(head)
        for label in (self.state, self.problem, self.tasks, self.machine, self.standing):
            text.addWidget(label)
        text.addStretch(1)
        text.addLayout(controls)
        ends = QHBoxLayout()
        ends.addStretch(1)
        ends.addWidget(self.remove_button)
        text.addLayout(ends)
        charts = QVBoxLayout()
        charts.addWidget(self.cpu_chart)
        charts.addWidget(self.gpu_chart)  # shown only for a computer with an NVIDIA GPU
        self.gpu_chart.hide()
        layout = QHBoxLayout(self)
        layout.addLayout(text, 2)
        layout.addLayout(charts, 3)

        self.pause_button.clicked.connect(self._pause_clicked)
        self.stop_button.clicked.connect(self._stop_clicked)
        self.remove_button.clicked.connect(lambda: self.fleet.remove(self.key))
        self.command_message = ""
        self.confirm_box: QMessageBox | None = None
        self.refresh()

    @property
    def view(self) -> ComputerView:
        return self.fleet.views[self.key]

    def refresh(self) -> None:
        view = self.view
        s: dict[str, Any] = (view.summary or {}).get("status") or {}
        self.title.setText(s.get("node_id") or view.computer.host)
        if view.summary is None:
            self.state.setText(self.tr("Waiting for its first answer…"))
        else:
            line = state_line(str(s.get("state", "")), str(s.get("detail", "")))
            if view.error is not None:  # what it said last, marked as such
                line = self.tr("Last known state: %1").replace("%1", line)
            self.state.setText(line)
        problem = error_text(view.error, view.last_seen) if view.error else self.command_message
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self._show_numbers(view, s)
        self._show_controls(view, s)
        self._draw_charts(view)

    def _show_numbers(self, view: ComputerView, s: dict[str, Any]) -> None:
        running = (view.summary or {}).get("tasks") or []
        counts = s.get("counts") or {}
        self.tasks.setText(
            self.tr("Tasks: %1 running, %2 completed, %3 failed or stopped")
            .replace("%1", str(len(running)))
            .replace("%2", str(counts.get("completed", 0)))
            .replace("%3", str(counts.get("failed", 0) + counts.get("stopped", 0)))
        )
        sample = ((view.summary or {}).get("resources") or {}).get("sample") or {}
        gpu = sample.get("gpu_percent")
        self.machine.setText(
            self.tr("CPU %1 %, memory %2 %, GPU %3")
            .replace("%1", f"{sample.get('cpu_percent', 0):.0f}" if sample else "–")
            .replace("%2", f"{sample.get('memory_percent', 0):.0f}" if sample else "–")
            .replace("%3", f"{gpu:.0f} %" if gpu is not None else self.tr("none"))
        )
        trust = s.get("trust") or {}
        group = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
        balance = s.get("balance")
        self.standing.setText(
            self.tr("Trust %1 / 100 (%2), balance %3")
            .replace("%1", str(trust.get("score", "–")))
            .replace("%2", group.get(trust.get("group", ""), trust.get("group", "–")))
            .replace(
                "%3",
                self.tr("%1 CPT").replace("%1", str(balance))
                if balance is not None
                else self.tr("unknown"),
            )
        )

    def _show_controls(self, view: ComputerView, s: dict[str, Any]) -> None:
        allowed = view.computer.may_control
        online = view.online
        paused = bool(s.get("paused"))
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        running = [t["task_id"] for t in (view.summary or {}).get("tasks") or []]
        current = self.task_choice.currentText()
        if running != [self.task_choice.itemText(i) for i in range(self.task_choice.count())]:
            self.task_choice.clear()
            self.task_choice.addItems(running)
            if current in running:
                self.task_choice.setCurrentText(current)
        for widget in (self.pause_button, self.task_choice, self.stop_button):
            widget.setEnabled(allowed and online)
        self.stop_button.setEnabled(allowed and online and bool(running))
        why = (
            ""
            if allowed
            else self.tr(
                "Watch only: this computer was paired without control (pair again with --control)",
            )
        )
        for widget in (self.pause_button, self.stop_button):
            widget.setToolTip(why)

    def _draw_charts(self, view: ComputerView) -> None:
        samples = list(view.samples)
        if not samples:
            self.cpu_chart.show_message(self.tr("Waiting for the first measurement…"))
            return
        if len(samples) > CARD_POINTS:  # every k-th, the newest always: see CARD_POINTS
            stride = -(-len(samples) // CARD_POINTS)
            samples = samples[::-1][::stride][::-1]
        now = samples[-1][0]
        times = [x[0] for x in samples]
        self.cpu_chart.update_series(now, times, [[x[1] for x in samples], [x[2] for x in samples]])
        gpu = [x for x in samples if x[3] is not None]
        has_gpu = samples[-1][3] is not None
        self.gpu_chart.setVisible(has_gpu)  # without one, the text line says "GPU none"
        if has_gpu:
            self.gpu_chart.update_series(
                now, [x[0] for x in gpu], [[x[3] or 0.0 for x in gpu], [x[4] or 0.0 for x in gpu]]
            )

    def _pause_clicked(self) -> None:
        s = (self.view.summary or {}).get("status") or {}
        self.fleet.command(self.key, "resume" if s.get("paused") else "pause")

    def _stop_clicked(self) -> None:
        task_id = self.task_choice.currentText()
        if not task_id:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Stop task"),
            self.tr("Stop task %1 on %2? What it produced so far goes back to the node pool.")
            .replace("%1", task_id)
            .replace("%2", self.title.text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._stop_confirmed(task_id, result))
        self.confirm_box = box
        box.open()  # not exec(): readings keep arriving while it is asked

    def _stop_confirmed(self, task_id: str, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.fleet.command(self.key, "stop", task_id)

    def command_done(self, message: str, error: FleetError | None) -> None:
        self.command_message = error_text(error) if error is not None else ""
        self.refresh()

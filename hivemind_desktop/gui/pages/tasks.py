"""Tasks: running tasks and history in one table; the selected one's console and details."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.models import TaskRecord
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import duration_text, isolation_text, task_state_text

COL_ID, COL_STATUS, COL_STARTED, COL_ELAPSED, COL_CPU, COL_MEM, COL_GPU, COL_ISOLATION = range(8)
COL_EXIT = 8
COLUMNS = 9


class TasksPage(QWidget):
    stop_requested = Signal(str)  # task id, after the volunteer confirmed
    output_wanted = Signal(str)  # task id whose full output should be fetched

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Task"),
                self.tr("Status"),
                self.tr("Started"),
                self.tr("Elapsed"),
                self.tr("CPU cores"),
                self.tr("Memory GiB"),
                self.tr("GPUs"),
                self.tr("Isolation"),  # the container runtime: gVisor or runc
                self.tr("Exit code"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QLabel(self.tr("Select a task to see its details and console output."))
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.console = QPlainTextEdit()
        self.console.setReadOnly(True)
        self.console.setMaximumBlockCount(20000)
        self.console.setPlaceholderText(self.tr("No console output yet."))
        self.stop_button = QPushButton(self.tr("Stop task…"))
        self.stop_button.setEnabled(False)
        self.confirm_box: QMessageBox | None = None

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        row = QHBoxLayout()
        row.addWidget(self.details, 1)
        row.addWidget(self.stop_button)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.console, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        QVBoxLayout(self).addWidget(splitter)

        self._rows: dict[str, int] = {}
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.stop_button.clicked.connect(self.ask_stop)
        state.task_changed.connect(self.update_task)
        state.output_appended.connect(self._output_appended)
        state.output_replaced.connect(self._output_replaced)
        self._ticker = QTimer(self)  # elapsed time of running tasks
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)
        for task in sorted(state.tasks.values(), key=lambda t: t.received_at):
            self.update_task(task)

    # -- table -----------------------------------------------------------------------------
    def row_of(self, task_id: str) -> int | None:
        return self._rows.get(task_id)

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every cell of a task's row is made with the row"
        return item

    def cell(self, task_id: str, column: int) -> str:
        row = self._rows[task_id]
        return self._item(row, column).text()

    def update_task(self, task: TaskRecord) -> None:
        row = self._rows.get(task.task_id)
        if row is None:
            self.table.insertRow(0)
            self._rows = {k: v + 1 for k, v in self._rows.items()}
            self._rows[task.task_id] = row = 0
            for col in range(COLUMNS):
                self.table.setItem(row, col, QTableWidgetItem())
        req = task.request
        started = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(task.started_at))
            if task.started_at
            else "–"
        )
        status = task_state_text(str(task.state))
        if task.paused and not task.state.is_final:
            status = self.tr("%1 (paused)").replace("%1", status)
        values = {
            COL_ID: task.task_id,
            COL_STATUS: status,
            COL_STARTED: started,
            COL_ELAPSED: duration_text(task.elapsed_s),
            COL_CPU: f"{req.cpu_score / 100:g}",
            COL_MEM: str(req.memory_gb),
            COL_GPU: str(req.gpus),
            COL_ISOLATION: isolation_text(task.runtime, short=True) if task.runtime else "–",
            COL_EXIT: "–" if task.exit_code is None else str(task.exit_code),
        }
        for col, text in values.items():
            self._item(row, col).setText(text)
        if task.task_id == self.selected_task_id():
            self._show_details(task)

    def _tick(self) -> None:
        for task_id, row in self._rows.items():
            task = self.state.tasks.get(task_id)
            if task is not None and not task.state.is_final:
                self._item(row, COL_ELAPSED).setText(duration_text(task.elapsed_s))

    # -- selection, console, stop ----------------------------------------------------------
    def select_task(self, task_id: str) -> None:
        self.table.selectRow(self._rows[task_id])

    def selected_task_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), COL_ID)
        return item.text() if item else None

    def _selection_changed(self) -> None:
        task_id = self.selected_task_id()
        task = self.state.tasks.get(task_id) if task_id else None
        self.console.setPlainText(self.state.outputs.get(task_id, "") if task_id else "")
        if task is None:
            self.stop_button.setEnabled(False)
            return
        self._show_details(task)
        self.output_wanted.emit(task.task_id)  # fetch what came before we listened

    def _show_details(self, task: TaskRecord) -> None:
        lines = [
            self.tr("Task %1: %2")
            .replace("%1", task.task_id)
            .replace("%2", task_state_text(str(task.state)))
        ]
        if task.message:
            lines.append(task.message)
        if task.container_id:
            lines.append(self.tr("Container: %1").replace("%1", task.container_id[:12]))
        if task.runtime:
            lines.append(self.tr("Isolation: %1").replace("%1", isolation_text(task.runtime)))
        self.details.setText("\n".join(lines))
        self.stop_button.setEnabled(not task.state.is_final)

    def _output_appended(self, task_id: str, text: str) -> None:
        if task_id == self.selected_task_id():
            self.console.moveCursor(QTextCursor.MoveOperation.End)
            self.console.insertPlainText(text)
            self.console.moveCursor(QTextCursor.MoveOperation.End)

    def _output_replaced(self, task_id: str) -> None:
        if task_id == self.selected_task_id():
            self.console.setPlainText(self.state.outputs.get(task_id, ""))
            self.console.moveCursor(QTextCursor.MoveOperation.End)

    def ask_stop(self) -> None:
        """Ask first (a window-modal box that does not block the event loop)."""
        task_id = self.selected_task_id()
        if not task_id:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Stop task"),
            self.tr("Stop task %1? What it produced so far goes back to the node pool.").replace(
                "%1", task_id
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._confirmed(task_id, result))
        self.confirm_box = box
        box.open()

    def _confirmed(self, task_id: str, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.stop_requested.emit(task_id)

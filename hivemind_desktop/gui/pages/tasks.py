"""Tasks: running tasks and history in one sortable table (newest first by default, kept
in order across restarts), progress and time left where the task reports them, its live
CPU and memory use; the selected one's console and details; a clearable history."""

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

from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.core.progress import remaining_s
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.progress_delegate import ProgressDelegate
from hivemind_desktop.gui.sortable_item import SortableItem
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import duration_text, isolation_text, task_state_text

COL_ID, COL_STATUS, COL_STARTED, COL_ELAPSED, COL_CPU, COL_MEM, COL_GPU, COL_EXIT = range(8)
# Added later; shown next to the status (the header moves them) but kept at the end of
# the model so the older columns keep their numbers.
COL_PROGRESS, COL_LEFT, COL_CPU_USE, COL_MEM_USE = range(8, 12)
COL_ISOLATION = 12  # the container runtime: gVisor or runc
COLUMNS = 13


class TasksPage(QWidget):
    stop_requested = Signal(str)  # task id, after the volunteer confirmed
    clear_requested = Signal()  # forget finished tasks, after the volunteer confirmed
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
                self.tr("Exit code"),
                self.tr("Progress"),
                self.tr("Time left"),
                self.tr("CPU use"),
                self.tr("Memory use"),
                self.tr("Isolation"),  # the container runtime: gVisor or runc
            ]
        )
        header = self.table.horizontalHeader()
        for visual, logical in enumerate((COL_PROGRESS, COL_LEFT), start=2):
            header.moveSection(header.visualIndex(logical), visual)
        for logical, beside in ((COL_CPU_USE, COL_CPU), (COL_MEM_USE, COL_MEM)):
            header.moveSection(header.visualIndex(logical), header.visualIndex(beside) + 1)
        header.moveSection(header.visualIndex(COL_ISOLATION), header.visualIndex(COL_EXIT))
        for column, tip in (
            (COL_PROGRESS, self.tr("How far the task says it is (not every task reports it)")),
            (COL_LEFT, self.tr("Estimated from the progress so far and the time it took")),
            (COL_CPU_USE, self.tr("CPU the task uses now; 100 % is one full core")),
            (COL_MEM_USE, self.tr("Memory the task uses now")),
            (COL_CPU, self.tr("CPU cores the task asked for")),
            (COL_MEM, self.tr("Memory the task asked for")),
            (COL_ISOLATION, self.tr("What isolates the task: gVisor gives it a kernel of its own")),
        ):
            item = self.table.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        self.table.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortItems(COL_STARTED, Qt.SortOrder.DescendingOrder)
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
        self.clear_button = QPushButton(self.tr("Clear history…"))
        self.clear_button.setToolTip(
            self.tr("Remove finished tasks from this list; the statistics keep their counts")
        )
        self.confirm_box: QMessageBox | None = None

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        row = QHBoxLayout()
        row.addWidget(self.details, 1)
        row.addWidget(self.stop_button)
        row.addWidget(self.clear_button)
        lower_layout.addLayout(row)
        lower_layout.addWidget(self.console, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        QVBoxLayout(self).addWidget(splitter)

        self._ids: dict[str, QTableWidgetItem] = {}  # task id -> its Task cell (rows move)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.stop_button.clicked.connect(self.ask_stop)
        self.clear_button.clicked.connect(self.ask_clear)
        state.tasks_forgotten.connect(self._forget)
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
        item = self._ids.get(task_id)
        return item.row() if item is not None else None

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every cell of a task's row is made with the row"
        return item

    def cell(self, task_id: str, column: int) -> str:
        return self._item(self._ids[task_id].row(), column).text()

    def task_ids_in_order(self) -> list[str]:
        """The task ids top to bottom, as the volunteer sees them."""
        return [self._item(row, COL_ID).text() for row in range(self.table.rowCount())]

    def update_task(self, task: TaskRecord) -> None:
        # Sorting moves rows under our feet while cells change: off while editing.
        sorting = self.table.isSortingEnabled()
        self.table.setSortingEnabled(False)
        try:
            self._fill(task)
        finally:
            self.table.setSortingEnabled(sorting)

    def _fill(self, task: TaskRecord) -> None:
        id_item = self._ids.get(task.task_id)
        if id_item is None:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col in range(COLUMNS):
                self.table.setItem(row, col, SortableItem())
            id_item = self._ids[task.task_id] = self._item(row, COL_ID)
        row = id_item.row()
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
            **self._live_values(task),
        }
        for col, text in values.items():
            self._item(row, col).setText(text)
        keys = {  # what the columns sort by where their text would sort wrongly
            COL_STARTED: task.started_at or task.received_at,
            COL_ELAPSED: task.elapsed_s or 0.0,
            COL_CPU: req.cpu_score,
            COL_MEM: req.memory_gb,
            COL_GPU: req.gpus,
            COL_EXIT: -1 if task.exit_code is None else task.exit_code,
            COL_PROGRESS: -1.0 if task.progress is None else task.progress,
            COL_LEFT: _or_last(self._left(task)),
            COL_CPU_USE: task.usage.cpu_percent if task.usage else -1.0,
            COL_MEM_USE: task.usage.memory_mb if task.usage else -1.0,
        }
        for col, key in keys.items():
            item = self._item(row, col)
            assert isinstance(item, SortableItem)
            item.key = key
        if task.task_id == self.selected_task_id():
            self._show_details(task)

    @staticmethod
    def _left(task: TaskRecord) -> float | None:
        if task.state.is_final:
            return None
        return remaining_s(task.progress, task.elapsed_s)

    def _live_values(self, task: TaskRecord) -> dict[int, str]:
        """Progress, time left and the task's own CPU and memory use (blank when the task
        does not report progress or is not running)."""
        running = not task.state.is_final and task.usage is not None
        left = self._left(task)
        return {
            COL_PROGRESS: "–" if task.progress is None else f"{task.progress * 100:.0f} %",
            COL_LEFT: "–" if left is None else duration_text(left),
            COL_CPU_USE: f"{task.usage.cpu_percent:.0f} %" if running and task.usage else "–",
            COL_MEM_USE: (
                self.tr("%1 MiB").replace("%1", f"{task.usage.memory_mb:.0f}")
                if running and task.usage
                else "–"
            ),
        }

    def _tick(self) -> None:
        for task_id, id_item in self._ids.items():
            task = self.state.tasks.get(task_id)
            if task is not None and not task.state.is_final:
                row = id_item.row()
                elapsed, left = self._item(row, COL_ELAPSED), self._item(row, COL_LEFT)
                elapsed.setText(duration_text(task.elapsed_s))
                left.setText(self._live_values(task)[COL_LEFT])
                if isinstance(elapsed, SortableItem) and isinstance(left, SortableItem):
                    elapsed.key = task.elapsed_s or 0.0  # a later sort sees the new values
                    left.key = _or_last(self._left(task))

    def _forget(self, task_ids: list[str]) -> None:
        for task_id in task_ids:
            item = self._ids.pop(task_id, None)
            if item is not None:
                self.table.removeRow(item.row())

    # -- selection, console, stop ----------------------------------------------------------
    def select_task(self, task_id: str) -> None:
        self.table.selectRow(self._ids[task_id].row())

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
        if task.state == TaskState.REFUSED:  # it never ran: no output to fetch
            self.console.setPlaceholderText(self.tr("Refused before it ran: no console output."))
            return
        self.console.setPlaceholderText(self.tr("No console output yet."))
        self.output_wanted.emit(task.task_id)  # fetch what came before we listened

    def _show_details(self, task: TaskRecord) -> None:
        lines = [
            self.tr("Task %1: %2")
            .replace("%1", task.task_id)
            .replace("%2", task_state_text(str(task.state)))
        ]
        if task.message:
            lines.append(core_text(task.message))
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

    def ask_clear(self) -> None:
        """Ask first: the list of finished tasks and their console output go."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Clear history"),
            self.tr(
                "Remove the finished tasks and their console output from this list? Running "
                "tasks stay, and the Statistics page keeps its counts."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Clear history"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(self._clear_confirmed)
        self.confirm_box = box
        box.open()

    def _clear_confirmed(self, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.clear_requested.emit()

    def _confirmed(self, task_id: str, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.stop_requested.emit(task_id)


def _or_last(seconds: float | None) -> float:
    """Sort key of a time left: unknown goes after every known one."""
    return float("inf") if seconds is None else seconds

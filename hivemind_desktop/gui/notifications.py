"""Decides what is worth a tray message: a failed task, the node pool lost or back.

At most one message per change: a task fails once, and a pool that flaps between two
reports of the same state says nothing new.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.state import AppState


class Notifier(QObject):
    message = Signal(str, str, bool)  # title, text, critical

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history: list[tuple[str, str]] = []  # what was said, newest last (also for tests)
        self._failed: set[str] = set()
        self._pool_up: bool | None = None  # unknown until the first connection
        state.task_changed.connect(self._task)
        state.changed.connect(self._pool)
        state.notice.connect(self._notice)

    def _say(self, title: str, text: str, critical: bool) -> None:
        self.history.append((title, text))
        self.message.emit(title, text, critical)

    def _notice(self, title: str, text: str) -> None:
        if title == "task_failed":  # the engine's twin of a FAILED task: said in _task
            return
        self._say(title, text, False)

    def _task(self, task: TaskRecord) -> None:
        if task.state == TaskState.FAILED and task.task_id not in self._failed:
            self._failed.add(task.task_id)
            detail = core_text(task.message) or self.tr("exit code %1").replace(
                "%1", str(task.exit_code)
            )
            self._say(
                self.tr("Task failed"),
                self.tr("Task %1 failed: %2").replace("%1", task.task_id).replace("%2", detail),
                True,
            )

    def _pool(self) -> None:
        if self.state.pool_state == "signed_out":
            self._pool_up = None  # signing out is the volunteer's choice, not news
            return
        up = self.state.pool_connected
        if self._pool_up is None:  # not connected yet since sign-in: the dialog speaks
            self._pool_up = True if up else None
            return
        if up == self._pool_up:
            return
        self._pool_up = up
        if up:
            self._say(self.tr("Node pool is back"), self.tr("HiveMind is connected again."), False)
        else:
            self._say(
                self.tr("Node pool lost"),
                self.tr("HiveMind cannot reach the node pool; it keeps trying."),
                True,
            )

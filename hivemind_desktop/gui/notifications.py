"""Decides what is worth a tray message: a failed or refused task, the node pool lost or
back.

At most one message per change: a task fails once, and a pool that flaps between two
reports of the same state says nothing new. Only what happened during this run is news:
the history the first snapshot brings (a task that failed yesterday) is not told again at
every start, where it would also hide the newer notices (e.g. "no system tray").
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.state import AppState


class Notifier(QObject):
    message = Signal(str, str, bool)  # title, text, critical

    def __init__(
        self, state: AppState, parent: QObject | None = None, since: float | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.since = time.time() if since is None else since  # this run began
        self.history: list[tuple[str, str]] = []  # what was said, newest last (also for tests)
        self._told: set[str] = set()
        self._pool_up: bool | None = None  # unknown until the first connection
        state.task_changed.connect(self._task)
        state.changed.connect(self._pool)
        state.notice.connect(self._notice)

    def _say(self, title: str, text: str, critical: bool) -> None:
        self.history.append((title, text))
        self.message.emit(title, text, critical)

    def _notice(self, title: str, text: str) -> None:
        if title in ("task_failed", "task_refused"):  # twins of a task record: said in _task
            return
        self._say(title, text, False)

    def _this_run(self, task: TaskRecord) -> bool:
        # The engine stamps every end; a record without one is news as it arrives.
        return task.finished_at is None or task.finished_at >= self.since

    def _task(self, task: TaskRecord) -> None:
        key = f"{task.state}:{task.task_id}"  # a pool may send a refused task again
        if task.state not in (TaskState.FAILED, TaskState.REFUSED) or key in self._told:
            return
        self._told.add(key)
        if not self._this_run(task):
            return
        if task.state == TaskState.REFUSED:
            self._say(
                self.tr("Task refused"),
                self.tr("Task %1 was refused: %2")
                .replace("%1", task.task_id)
                .replace("%2", core_text(task.message)),
                True,
            )
            return
        exit_code = self.tr("exit code %1").replace("%1", str(task.exit_code))
        detail = core_text(task.message) or exit_code
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

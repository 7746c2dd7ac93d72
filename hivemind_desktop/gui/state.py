"""What the GUI knows about the worker, kept on the GUI thread.

Fed only by the bridge's queued signals (core events, snapshots). Pages and the tray
draw from here, so a page built later (a language switch rebuilds the window) starts
complete: ten minutes of chart history, every task, the log.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import QObject, Signal

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.core.states import PoolState, WorkerState

HISTORY = 600  # samples: ten minutes at one a second
LOG_LIMIT = 1000
OUTPUT_LIMIT = 256 * 1024  # characters of console output kept per task

# The tray's icons; the states without one of their own borrow the nearest.
ICONS = ("contributing", "idle", "paused", "disconnected", "signed_out", "error")
_ICON_OF = {
    WorkerState.STARTING: "idle",
    WorkerState.STOPPING: "paused",
    WorkerState.WAITING: "paused",  # held back by a rule: nothing runs, as when paused
    WorkerState.SNOOZED: "paused",
}


def icon_name(state: WorkerState | str) -> str:
    state = WorkerState(state)
    return _ICON_OF.get(state, state.value)


class AppState(QObject):
    changed = Signal()  # status fields (states, trust, balance, counts, sign-in)
    task_changed = Signal(object)  # TaskRecord
    output_appended = Signal(str, str)  # task id, new text
    output_replaced = Signal(str)  # task id: the full output was loaded
    sample_added = Signal(object)  # monitor.Sample
    log_added = Signal(object)  # logs.LogEntry
    notice = Signal(str, str)  # title, text
    health_changed = Signal(object)  # dict
    tasks_forgotten = Signal(object)  # list of task ids: the history was cleared
    statistics_changed = Signal(object)  # core.statistics.Statistics

    def __init__(self) -> None:
        super().__init__()
        self.node_id = ""
        self.username = ""
        self.last_username = ""  # kept after a sign-out, to prefill the next sign-in
        self.signed_in = False
        self.worker_state = WorkerState.STARTING
        self.state_detail = ""  # the core's reason for the state ("computer in use"...)
        self.pool_state = PoolState.SIGNED_OUT
        self.pool_detail = ""
        self.trust_score: int | None = None
        self.trust_group = ""
        self.balance: int | None = None
        self.error = ""
        self.tasks: dict[str, TaskRecord] = {}
        self.outputs: dict[str, str] = {}
        self.samples: deque[Any] = deque(maxlen=HISTORY)
        self.logs: deque[Any] = deque(maxlen=LOG_LIMIT)
        self.health: dict = {}
        self.snapshot: Any = None
        self.gpu_message = ""
        self.paused = False  # the worker's own flag: paused while disconnected is still paused
        self.keyring_ok = True
        self.keyring_message = ""
        self.statistics: Any = None  # core.statistics.Statistics, once asked for

    # -- derived ---------------------------------------------------------------------------
    @property
    def running_count(self) -> int:
        return sum(1 for t in self.tasks.values() if t.state == TaskState.RUNNING)

    def counts(self) -> dict[str, int]:
        final = [t.state for t in self.tasks.values()]
        return {
            "running": sum(1 for s in final if not s.is_final),
            "completed": sum(1 for s in final if s == TaskState.COMPLETED),
            "failed": sum(1 for s in final if s in (TaskState.FAILED, TaskState.STOPPED)),
            "refused": sum(1 for s in final if s == TaskState.REFUSED),
        }

    @property
    def pool_connected(self) -> bool:
        return self.pool_state == PoolState.CONNECTED

    @property
    def snoozed(self) -> bool:
        return self.worker_state == WorkerState.SNOOZED

    @property
    def overall(self) -> WorkerState:
        """The state the core decided; the GUI only draws it."""
        return self.worker_state

    # -- inputs (GUI thread) ---------------------------------------------------------------
    def on_core_event(self, kind: str, data: dict) -> None:
        if kind == ev.SAMPLE:
            self.samples.append(data["sample"])
            self.sample_added.emit(data["sample"])
        elif kind == ev.TASK_CHANGED:
            self._set_task(data["task"])
        elif kind == ev.TASK_OUTPUT:
            self._append_output(data["task_id"], data.get("text", ""))
        elif kind == ev.POOL_STATE:
            self.pool_state = PoolState(data["state"])
            self.pool_detail = str(data.get("detail", ""))
            self.changed.emit()
        elif kind == ev.WORKER_STATE:
            state = self.worker_state = WorkerState(data["state"])
            self.state_detail = str(data.get("detail", ""))
            self.paused = state == WorkerState.PAUSED or self.paused
            self.error = str(data.get("detail", "")) if state == WorkerState.ERROR else ""
            self.changed.emit()
        elif kind == ev.TRUST_CHANGED and self.signed_in:
            self.trust_score = int(data.get("score", 0))
            self.trust_group = str(data.get("group", ""))
            self.changed.emit()
        elif kind == ev.BALANCE:
            self.balance = data.get("balance")
            self.changed.emit()
        elif kind == ev.LOG:
            self.logs.append(data["entry"])
            self.log_added.emit(data["entry"])
        elif kind == ev.NOTICE:
            self.notice.emit(str(data.get("title", "")), str(data.get("text", "")))

    def on_snapshot(self, snap: Any) -> None:
        """A WorkerSnapshot: the whole picture; events fill the gaps between snapshots."""
        self.snapshot = snap
        self.node_id = snap.node_id
        self.signed_in = snap.signed_in
        self.username = snap.username
        self.last_username = snap.username or self.last_username
        self.worker_state = snap.state
        self.state_detail = snap.state_detail
        self.error = snap.state_detail if snap.state == WorkerState.ERROR else ""
        self.paused = snap.paused
        self.pool_state = snap.pool_state
        self.pool_detail = snap.pool_detail
        self.trust_score = snap.trust_score
        self.trust_group = snap.trust_group
        if snap.balance is not None:
            self.balance = snap.balance
        if not snap.signed_in:  # an account's trust and balance are not shown without it
            self.trust_score, self.trust_group, self.balance = None, "", None
        self.gpu_message = snap.gpu_message
        for task in snap.tasks:
            self._set_task(task)
        self.changed.emit()

    def clear_account(self) -> None:
        """Signed out: forget what belonged to the account (the username stays as the
        next sign-in's suggestion)."""
        self.last_username = self.username or self.last_username
        self.signed_in = False
        self.username = ""
        self.trust_score, self.trust_group, self.balance = None, "", None
        self.changed.emit()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.changed.emit()

    def on_health(self, health: dict) -> None:
        self.health = dict(health)
        self.health_changed.emit(self.health)

    def forget_tasks(self, task_ids: list[str]) -> None:
        """The core forgot these finished tasks (Clear history)."""
        gone = [t for t in task_ids if self.tasks.pop(t, None) is not None]
        for task_id in gone:
            self.outputs.pop(task_id, None)
        if gone:
            self.tasks_forgotten.emit(gone)
            self.changed.emit()

    def set_statistics(self, statistics: Any) -> None:
        self.statistics = statistics
        self.statistics_changed.emit(statistics)

    def set_output(self, task_id: str, text: str) -> None:
        self.outputs[task_id] = text[-OUTPUT_LIMIT:]
        self.output_replaced.emit(task_id)

    # -- internals -------------------------------------------------------------------------
    def _set_task(self, task: TaskRecord) -> None:
        old = self.tasks.get(task.task_id)
        self.tasks[task.task_id] = task
        if old is None or old != task:
            self.task_changed.emit(task)
            if old is None or old.state != task.state or old.paused != task.paused:
                self.changed.emit()

    def _append_output(self, task_id: str, text: str) -> None:
        if not text:
            return
        self.outputs[task_id] = (self.outputs.get(task_id, "") + text)[-OUTPUT_LIMIT:]
        self.output_appended.emit(task_id, text)

"""The tray menu's "Recent activity": the last few tasks that ended or started, newest
first, one short line each, from the GUI's state."""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from hivemind_desktop.core.models import TaskRecord
from hivemind_desktop.gui.texts import task_state_text

RECENT = 5
_ID_CHARS = 24  # a long task id is cut: the menu stays narrow


def recent_tasks(tasks: Iterable[TaskRecord], count: int = RECENT) -> list[TaskRecord]:
    def last_change(t: TaskRecord) -> float:
        return t.finished_at or t.started_at or t.received_at

    return sorted(tasks, key=last_change, reverse=True)[:count]


def activity_line(task: TaskRecord) -> str:
    when = task.finished_at or task.started_at or task.received_at
    task_id = (
        task.task_id if len(task.task_id) <= _ID_CHARS else task.task_id[: _ID_CHARS - 1] + "…"
    )
    return (
        QCoreApplication.translate("Tray", "%1 %2: %3")
        .replace("%1", time.strftime("%H:%M", time.localtime(when)))
        .replace("%2", task_id)
        .replace("%3", task_state_text(str(task.state)))
    )

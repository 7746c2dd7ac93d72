"""Notices are for events of this run: a task that failed in an earlier run (in the
worker's real store) is not told again at every start, where it also hid the newer
notices ("no system tray"); a failure during this run is told once. Real Worker, real
store, real DesktopApp (offscreen: no tray, so notices go to the window's status line)."""

from __future__ import annotations

import time

import pytest

from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.store import Store
from tests.kit import free_port
from tests.kit.desktop import make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]

DAY = 24 * 3600


def test_a_failure_from_an_earlier_run_is_not_told_again(qtbot, tmp_path, make_desktop):
    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}")
    yesterday = time.time() - DAY
    store = Store(settings.data_path / "worker.sqlite3")
    store.save_task(
        TaskRecord(
            "old-failure",
            TaskState.FAILED,
            Resources(100, 1),
            received_at=yesterday - 60,
            started_at=yesterday - 50,
            finished_at=yesterday,
            exit_code=3,
            message="exit code 3",
        )
    )
    store.close()

    app = make_desktop(settings, auto_sign_in=False)
    qtbot.waitUntil(lambda: "old-failure" in app.state.tasks, timeout=30_000)
    qtbot.wait(300)  # the queued notices of the first snapshot, if any
    assert app.notifier.history == []
    # The status line keeps this run's notices (no tray, no keyring), not the old failure.
    assert app.tray_missing_told
    assert "old-failure" not in app._notice and "Task failed" not in app._notice
    assert app.window.notice.text() == app._notice

    # A failure during this run is news, once, however often its record arrives.
    now = TaskRecord(
        "new-failure",
        TaskState.FAILED,
        Resources(100, 1),
        received_at=time.time(),
        finished_at=time.time(),
        exit_code=1,
        message="exit code 1",
    )
    for _ in range(3):
        app.state.on_core_event("task_changed", {"task": now})
    assert app.notifier.history == [("Task failed", "Task new-failure failed: exit code 1")]

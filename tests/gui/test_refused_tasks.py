"""A task the worker refuses (here: its image is not installed) ends as Refused with the
reason: in the Tasks list, as a notice, never counted as running (Dashboard, quit), and
selecting it asks the worker for nothing. Real pool on loopback, real Worker, real Docker.
Screenshots of the Tasks page go to artifacts/."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.models import TaskState
from tests.kit import REPO
from tests.kit.desktop import VOLUNTEER, make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 60_000
MISSING_IMAGE = "hivemind/task-not-installed:latest"


@pytest.fixture
def signed_in(qtbot, pool, make_desktop, tmp_path, task_image):
    app = make_desktop(make_settings(tmp_path, pool.address))
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    return app


def test_a_task_whose_image_is_missing_shows_as_refused_with_the_reason(qtbot, signed_in, submit):
    app = signed_in
    manifest = json.dumps({"image": MISSING_IMAGE, "command": ["sh", "run.sh"]})
    task_id = submit("noimage", {"run.sh": "echo never\n", "hivemind.json": manifest})

    def refused():
        task = app.state.tasks.get(task_id)
        return task is not None and task.state == TaskState.REFUSED

    qtbot.waitUntil(refused, timeout=WAIT)
    reason = f"task image {MISSING_IMAGE} is not installed on this worker"
    assert app.state.tasks[task_id].message == reason
    # The local pool sends a refused task again every 0.2 s; each copy is unpacked (and
    # briefly Preparing) before its image is checked, then refused again.
    qtbot.waitUntil(lambda: app.state.counts()["running"] == 0, timeout=10_000)
    page = app.window.tasks
    assert page.cell(task_id, 1) == "Refused"
    page.select_task(task_id)
    assert reason in page.details.text()
    assert not page.stop_button.isEnabled()  # nothing to stop
    assert page.console.placeholderText() == "Refused before it ran: no console output."
    assert "0 running" in app.window.dashboard.counts.text()
    told = [text for title, text in app.notifier.history if title == "Task refused"]
    assert told == [f"Task {task_id} was refused: {reason}"]
    # Quitting asks nothing: no task runs.
    app.window.tabs.setCurrentWidget(page)
    QApplication.processEvents()
    ARTIFACTS = REPO / "artifacts"
    ARTIFACTS.mkdir(exist_ok=True)
    assert app.window.grab().save(str(ARTIFACTS / "tasks_refused_en.png"))
    # Selecting it asked the worker for no console: no "unknown task id" line.
    qtbot.wait(500)
    assert "unknown task id" not in app._notice
    assert "failed" not in app._notice
    assert app.state.counts()["running"] == 0
    with qtbot.waitSignal(app.finished, timeout=WAIT):
        app.request_quit()
        assert app.quit_box is None and app.quitting  # no "N tasks are running" question


@pytest.mark.parametrize(
    ("language", "status", "title", "told"),
    [
        ("en", "Refused", "Task refused", "Task t-refused was refused: "),
        ("zh_TW", "已拒絕", "任務被拒絕", "任務 t-refused 被拒絕："),
    ],
)
def test_a_refused_record_reads_in_both_languages(qtbot, qapp, language, status, title, told):
    """The core's TASK_CHANGED / NOTICE pair for a refusal, as the bridge delivers them."""
    import time

    from hivemind_desktop.core.models import Resources, TaskRecord
    from hivemind_desktop.core.settings import Settings
    from hivemind_desktop.gui import resources
    from hivemind_desktop.gui.main_window import MainWindow
    from hivemind_desktop.gui.notifications import Notifier
    from hivemind_desktop.gui.state import AppState

    translations = resources.Translations()
    try:
        assert translations.install(language)
        state = AppState()
        notifier = Notifier(state)
        window = MainWindow(state, Settings(language=language))
        qtbot.addWidget(window)
        reason = f"task image {MISSING_IMAGE} is not installed on this worker"
        now = time.time()
        record = TaskRecord(
            "t-refused", TaskState.REFUSED, Resources(100, 1), now, finished_at=now, message=reason
        )
        for _ in range(2):  # a pool may send it again: told once
            state.on_core_event("task_changed", {"task": record})
            state.on_core_event("notice", {"title": "task_refused", "text": f"t-refused: {reason}"})
        assert window.tasks.cell("t-refused", 1) == status
        from hivemind_desktop.gui.core_text import core_text

        shown = core_text(reason)  # the core's reason, in the volunteer's language
        assert (shown != reason) == (language == "zh_TW")
        assert notifier.history == [(title, told + shown)]
        assert state.counts()["running"] == 0
        window.tasks.select_task("t-refused")
        assert not window.tasks.stop_button.isEnabled()
        window.resize(800, 600)
        window.show()
        window.tabs.setCurrentWidget(window.tasks)
        QApplication.processEvents()
        ARTIFACTS = REPO / "artifacts"
        ARTIFACTS.mkdir(exist_ok=True)
        assert window.grab().save(str(ARTIFACTS / f"tasks_refused_{language}_800x600.png"))
    finally:
        translations.install("en")

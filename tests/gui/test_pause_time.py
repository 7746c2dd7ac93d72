"""Pause as the volunteer lives with it: it outlives a restart of the app (the core keeps
it), and a task's Elapsed time leaves out the time it was frozen. Real Worker, real local
node pool, real containers, through the window's own buttons."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.gui.pages.tasks import COL_ELAPSED
from hivemind_desktop.gui.texts import duration_text
from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.docker_images import container_of

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 30_000
FROZEN_MS = 2500


def sign_in(qtbot, app) -> None:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)


def test_elapsed_leaves_out_frozen_time_and_pause_survives_a_restart(
    qtbot, pool, make_desktop, tmp_path, task_image, submit
):
    settings = make_settings(tmp_path, pool.address)
    app = make_desktop(settings)
    sign_in(qtbot, app)
    script = "for i in 1 2 3 4 5 6; do echo step $i; sleep 0.3; done\necho finished\n"
    task_id = submit("elapsed", {"run.sh": script})
    qtbot.waitUntil(lambda: "step 1" in app.state.outputs.get(task_id, ""), timeout=60_000)
    app.window.pause_button.click()
    container = container_of(task_id)

    def docker_paused() -> bool:
        container.reload()
        return container.attrs["State"]["Paused"] is True

    qtbot.waitUntil(docker_paused, timeout=WAIT)
    qtbot.wait(FROZEN_MS)  # frozen for at least this long
    app.window.pause_button.click()
    qtbot.waitUntil(
        lambda: app.state.tasks[task_id].state == TaskState.COMPLETED
        or app.state.tasks[task_id].outcome == TaskState.COMPLETED,
        timeout=60_000,
    )
    task = app.state.tasks[task_id]
    wall = task.finished_at - task.started_at
    assert task.paused_s >= FROZEN_MS / 1000 - 0.1
    assert task.elapsed_s == pytest.approx(wall - task.paused_s)
    assert task.elapsed_s <= wall - FROZEN_MS / 1000 + 0.1
    page = app.window.tasks
    qtbot.waitUntil(lambda: page.cell(task_id, 1) == "Completed", timeout=WAIT)
    assert page.cell(task_id, COL_ELAPSED) == duration_text(task.elapsed_s)

    app.window.pause_button.click()  # paused when the volunteer quits...
    qtbot.waitUntil(lambda: app.state.overall == "paused", timeout=WAIT)
    with qtbot.waitSignal(app.finished, timeout=60_000):
        app.shutdown()

    again = make_desktop(settings)  # ...is still paused when HiveMind starts again
    qtbot.waitUntil(lambda: again.state.paused, timeout=WAIT)
    assert again.window.pause_button.text() == "Resume"
    assert again.tray.pause_action.text() == "Resume"
    # and the history's Elapsed still leaves the frozen time out after the restart
    qtbot.waitUntil(lambda: task_id in again.state.tasks, timeout=WAIT)
    assert again.state.tasks[task_id].elapsed_s == pytest.approx(task.elapsed_s, abs=0.01)
    again.window.pause_button.click()
    qtbot.waitUntil(lambda: not again.state.paused, timeout=WAIT)

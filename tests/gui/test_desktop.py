"""The desktop app on a real Worker: real node pool on loopback, real Docker containers.

Everything goes through the widgets a volunteer uses (the sign-in dialog, the Tasks
page's Stop button, the Pause button) and through the bridge thread to the core.
"""

from __future__ import annotations

import tomllib

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMessageBox

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.gui.bridge import CoreThreadViolation
from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.docker_images import container_of

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 30_000


def sign_in(qtbot, app, username: str, password: str) -> None:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()


@pytest.fixture
def signed_in(qtbot, pool, make_desktop, tmp_path, task_image):
    app = make_desktop(make_settings(tmp_path, pool.address))
    sign_in(qtbot, app, *VOLUNTEER)
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    return app


def task_state(app, task_id: str) -> TaskState | None:
    task = app.state.tasks.get(task_id)
    return task.state if task else None


def test_sign_in_against_the_local_node_pool(qtbot, pool, make_desktop, tmp_path, task_image):
    app = make_desktop(make_settings(tmp_path, pool.address))
    sign_in(qtbot, app, "vol", "wrong-password")
    qtbot.waitUntil(lambda: "Sign-in failed" in app.sign_in_dialog.message.text(), timeout=WAIT)
    assert not app.state.signed_in
    app.sign_in_dialog.password.setText(VOLUNTEER[1])
    app.sign_in_dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    assert app.sign_in_dialog is None
    assert app.window.dashboard.account.text() == "Signed in as vol"
    assert app.window.sign_button.text() == "Sign out"
    qtbot.waitUntil(lambda: any(n.node_id == "vol" for n in pool.nodes()), timeout=WAIT)
    assert app.bridge.violations == 0


def test_core_is_never_called_from_the_gui_thread(qtbot, signed_in, qapp):
    app = signed_in
    seen = []
    app.state.sample_added.connect(lambda _s: seen.append(QThread.currentThread()))
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=WAIT)
    assert all(t == qapp.thread() for t in seen)  # core events arrive on the GUI thread
    assert app.bridge.thread_handle != qapp.thread()
    assert app.bridge.violations == 0
    with pytest.raises(CoreThreadViolation):
        app.bridge._core()  # what a GUI-thread shortcut to the worker would do
    assert app.bridge.violations == 1


def test_real_task_shows_on_dashboard_and_tasks_page(qtbot, signed_in, submit):
    app = signed_in
    task_id = submit("hello", {"run.sh": "echo hello-from-task\nsleep 1\necho bye\n"})
    qtbot.waitUntil(lambda: task_state(app, task_id) == TaskState.COMPLETED, timeout=60_000)
    page = app.window.tasks
    assert page.cell(task_id, 1) == "Completed"
    assert page.cell(task_id, 7) == "0"
    page.select_task(task_id)
    qtbot.waitUntil(lambda: "hello-from-task" in page.console.toPlainText(), timeout=WAIT)
    assert "bye" in page.console.toPlainText()
    dash = app.window.dashboard
    assert "1 completed" in dash.counts.text()
    qtbot.waitUntil(lambda: dash.cpu_chart.points >= 3, timeout=WAIT)  # SAMPLE events
    assert dash.gpu_chart.message == "No NVIDIA GPU found"
    assert app.state.node_id == "vol" and dash.node_id.text() == "vol"


def test_stop_from_tasks_page_stops_the_container(qtbot, signed_in, submit):
    app = signed_in
    task_id = submit(
        "stop", {"run.sh": "i=0\nwhile true; do echo tick $i; i=$((i+1)); sleep 0.3; done\n"}
    )
    qtbot.waitUntil(lambda: "tick 1" in app.state.outputs.get(task_id, ""), timeout=60_000)
    container = container_of(task_id)
    assert container is not None and container.status == "running"
    page = app.window.tasks
    page.select_task(task_id)
    assert page.stop_button.isEnabled()
    page.stop_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: task_state(app, task_id) == TaskState.STOPPED, timeout=WAIT)

    def container_gone_or_exited() -> bool:
        c = container_of(task_id)
        if c is None:
            return True
        return c.status in ("exited", "dead")

    qtbot.waitUntil(container_gone_or_exited, timeout=WAIT)
    assert page.cell(task_id, 1) == "Stopped"


def test_pause_freezes_the_container_and_resume_completes_it(qtbot, signed_in, submit):
    app = signed_in
    script = "for i in 1 2 3 4 5 6; do echo step $i; sleep 0.4; done\necho finished\n"
    task_id = submit("pause", {"run.sh": script})
    qtbot.waitUntil(lambda: "step 1" in app.state.outputs.get(task_id, ""), timeout=60_000)
    app.window.pause_button.click()
    container = container_of(task_id)

    def docker_paused() -> bool:
        container.reload()
        return container.attrs["State"]["Paused"] is True

    qtbot.waitUntil(docker_paused, timeout=WAIT)
    qtbot.waitUntil(lambda: app.state.overall == "paused", timeout=WAIT)
    assert app.tray.pause_action.text() == "Resume"
    assert app.window.pause_button.text() == "Resume"
    assert task_state(app, task_id) == TaskState.RUNNING
    app.window.pause_button.click()
    qtbot.waitUntil(lambda: task_state(app, task_id) == TaskState.COMPLETED, timeout=60_000)
    assert "finished" in app.state.outputs[task_id]
    assert app.state.tasks[task_id].exit_code == 0
    assert app.tray.pause_action.text() == "Pause"


def test_settings_apply_live_and_saved_and_language_switches(qtbot, signed_in, tmp_path):
    app = signed_in
    page = app.window.settings_page
    page.parallel.setValue(1)
    page.apply_button.click()
    qtbot.waitUntil(lambda: "Applied" in page.status.text(), timeout=WAIT)
    saved = tomllib.loads((tmp_path / "config.toml").read_text())
    assert saved["max_concurrent_tasks"] == 1
    app.refresh_snapshot()
    qtbot.waitUntil(
        lambda: app.state.snapshot.settings["max_concurrent_tasks"] == 1, timeout=WAIT
    )  # the running worker has them, no restart

    page.language.setCurrentIndex(page.language.findData("zh_TW"))
    page.apply_button.click()
    qtbot.waitUntil(lambda: app.window.tabs.tabText(0) == "儀表板", timeout=WAIT)
    assert app.tray.open_action.text() == "開啟 HiveMind"
    assert app.window.settings_page.status.text() == "已套用並儲存，無須重新啟動。"
    assert "已登入為 vol" in app.window.dashboard.account.text()


def test_quit_asks_while_tasks_run_then_stops_them_cleanly(qtbot, signed_in, submit, pool):
    app = signed_in
    task_id = submit("quit", {"run.sh": "while true; do echo busy; sleep 0.3; done\n"})
    qtbot.waitUntil(lambda: "busy" in app.state.outputs.get(task_id, ""), timeout=60_000)
    app.request_quit()
    assert app.quit_box is not None
    app.quit_box.button(QMessageBox.StandardButton.No).click()
    assert not app.quitting
    app.request_quit()
    with qtbot.waitSignal(app.finished, timeout=60_000):
        app.quit_box.button(QMessageBox.StandardButton.Yes).click()
    assert container_of(task_id) is None  # no container left behind
    view = pool.task(task_id)
    assert view is not None and view.status in ("COMPLETED", "STOPPED")
    assert view.has_result  # the partial result went back before the app left


def test_the_window_is_dropped_when_hidden_in_the_tray_and_rebuilt_on_open(qtbot, signed_in):
    """Closed into the tray, the window is deleted (no pages, charts or timers while
    closed); opening it again builds one with the same tab, notice and chart history."""
    app = signed_in
    app.show_window()
    first = app.window
    first.tabs.setCurrentIndex(2)
    app._command_failed("pause", "boom")  # a status-bar notice
    qtbot.waitUntil(lambda: first.dashboard.cpu_chart.points >= 2, timeout=WAIT)
    first.hide()  # what closing does when a tray holds the app (offscreen has no tray)
    app._drop_window()
    assert not app.has_window
    destroyed = []
    first.destroyed.connect(lambda: destroyed.append(True))
    qtbot.waitUntil(lambda: bool(destroyed), timeout=WAIT)

    app.show_window()
    second = app.window
    assert app.has_window and second.isVisible()
    assert second.tabs.currentIndex() == 2
    assert second.notice.text() == "Pausing did not work: boom"
    assert second.dashboard.cpu_chart.points >= 2  # the history lives in the app's state

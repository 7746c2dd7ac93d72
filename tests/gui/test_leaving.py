"""Signing out and quitting as a volunteer meets them: the account state (signed out is
not "pool unreachable"), the sign-out confirmation that stops the containers, the quit
choice (finish the running tasks first, or stop them now) and the progress meanwhile.

The desktop tests run the real Worker on a real local node pool with real containers;
screenshots of the dialogs go to artifacts/.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.leaving import LeavingProgress, quit_box, sign_out_box
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState
from tests.kit import REPO
from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.docker_images import container_of

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"
WAIT = 30_000


def save(widget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert widget.grab().save(str(ARTIFACTS / name))


def _task(task_id: str, state: TaskState) -> TaskRecord:
    return TaskRecord(task_id, state, Resources(100, 1, 0, 0), time.time() - 5)


# -- widgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "finish", "stop", "waiting"),
    [
        (
            "en",
            "Finish running tasks, then quit",
            "Stop tasks and quit",
            "Waiting for 2 task",  # "tasks" or "task(s)": English plurals are not ours here
        ),
        (
            "zh_TW",
            "完成執行中的任務後結束",
            "停止任務並結束",
            "正在等待 2 個任務完成；不再接收新任務。",
        ),
    ],
)
def test_quit_offers_finish_first_with_the_right_count(
    qtbot, translations, language, finish, stop, waiting
):
    assert translations.install(language)
    state = AppState()
    for task_id, task_state in (
        ("a", TaskState.RUNNING),
        ("b", TaskState.PREPARING),
        ("c", TaskState.UPLOADING),  # its work is done: not waited for, not stopped
        ("d", TaskState.COMPLETED),
    ):
        state.tasks[task_id] = _task(task_id, task_state)
    box, finish_button = quit_box(None, 2)
    qtbot.addWidget(box)
    box.show()
    assert finish_button.text() == finish
    assert box.button(QMessageBox.StandardButton.Yes).text() == stop
    assert ("2 task" if language == "en" else "2 個任務") in box.text()
    assert box.defaultButton() is finish_button
    save(box, f"quit_choice_{language}.png")

    progress = LeavingProgress(state, finishing=True)
    qtbot.addWidget(progress)
    progress.show()
    assert progress.message.text().startswith(waiting)
    assert progress.stop_button.isVisible()
    assert (progress.bar.value(), progress.bar.maximum()) == (0, 2)
    save(progress, f"quit_progress_{language}.png")
    state._set_task(_task("a", TaskState.COMPLETED))  # one finished: the bar moves
    assert progress.bar.value() == 1
    stopped = []
    progress.stop_now.connect(lambda: stopped.append(True))
    progress.stop_button.click()
    assert stopped and not progress.stop_button.isVisible()
    assert "1" in progress.message.text()


def test_sign_out_box_names_the_running_tasks(qtbot, translations):
    assert translations.install("zh_TW")
    box = sign_out_box(None, 1)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "停止任務並登出"
    assert "1 個任務" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)


def test_signed_out_clears_the_account_but_keeps_the_username_to_suggest(qtbot, translations):
    assert translations.install("en")
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    state.signed_in, state.username = True, "vol"
    state.on_core_event("trust_changed", {"score": 73, "group": "high"})
    state.on_core_event("balance", {"balance": 420})
    assert "73" in window.dashboard.trust.text() and "420" in window.dashboard.balance.text()
    state.clear_account()
    assert window.dashboard.trust.text() == "unknown"
    assert window.dashboard.balance.text() == "unknown"
    assert window.dashboard.account.text() == "Not signed in"
    assert state.last_username == "vol"
    state.on_core_event("trust_changed", {"score": 73, "group": "high"})  # a late event
    assert state.trust_score is None


# -- the real app on a real worker -------------------------------------------------------------


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
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    assert app.sign_in_dialog.pool.text() == pool.address  # where the password goes
    sign_in(qtbot, app, *VOLUNTEER)
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    return app


BUSY = "while true; do echo busy; sleep 0.3; done\n"


@pytest.mark.docker
def test_sign_out_asks_stops_the_container_and_forgets_the_account(qtbot, signed_in, submit, pool):
    app = signed_in
    app.state.on_core_event("balance", {"balance": 999})  # what the old account showed
    task_id = submit("signout", {"run.sh": BUSY})
    qtbot.waitUntil(lambda: "busy" in app.state.outputs.get(task_id, ""), timeout=60_000)
    app.window.sign_button.click()
    box = app.sign_out_box
    assert box is not None and box.text().startswith("1 task")
    save(box, "sign_out_confirm_en.png")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert app.state.signed_in and container_of(task_id).status == "running"

    app.window.sign_button.click()
    app.sign_out_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not app.state.signed_in, timeout=WAIT)
    assert container_of(task_id) is None or container_of(task_id).status in ("exited", "dead")
    qtbot.waitUntil(
        lambda: (
            app.state.tasks[task_id].state.is_final
            or app.state.tasks[task_id].state == TaskState.UPLOADING
        ),
        timeout=WAIT,
    )
    dash = app.window.dashboard
    assert dash.balance.text() == "unknown" and dash.trust.text() == "unknown"
    assert app.window.sign_button.text() == "Sign in…"

    app.window.sign_button.click()  # the next sign-in: the last username, the pool shown
    dialog = app.sign_in_dialog
    assert dialog.username.text() == VOLUNTEER[0]
    assert dialog.pool.text() == pool.address
    save(dialog, "sign_in_prefilled_en.png")


@pytest.mark.docker
def test_finish_then_quit_waits_for_the_task_and_takes_no_new_one(qtbot, signed_in, submit, pool):
    app = signed_in
    first = submit(
        "finish", {"run.sh": "for i in 1 2 3 4 5 6 7 8; do echo step $i; sleep 0.5; done\n"}
    )
    qtbot.waitUntil(lambda: "step 1" in app.state.outputs.get(first, ""), timeout=60_000)
    app.request_quit()
    assert app.quit_box is not None
    with qtbot.waitSignal(app.finished, timeout=90_000):
        app.finish_button.click()
        assert app.leaving is not None and app.leaving.finishing
        assert app.leaving.message.text().startswith("Waiting for 1 task")
        second = submit("late", {"run.sh": "echo late\n"})
    view = pool.task(first)
    assert view is not None and view.status == "COMPLETED"  # finished, not stopped
    assert "step 8" in app.state.outputs[first]
    assert second not in app.state.tasks  # nothing new taken while finishing
    assert container_of(first) is None


@pytest.mark.docker
def test_stop_and_quit_shows_progress(qtbot, signed_in, submit, pool):
    app = signed_in
    task_id = submit("stopquit", {"run.sh": BUSY})
    qtbot.waitUntil(lambda: "busy" in app.state.outputs.get(task_id, ""), timeout=60_000)
    app.request_quit()
    with qtbot.waitSignal(app.finished, timeout=60_000):
        app.quit_box.button(QMessageBox.StandardButton.Yes).click()
        assert app.leaving is not None and not app.leaving.finishing
        assert "Stopping 1 task" in app.leaving.message.text()
    assert app.leaving is None
    assert container_of(task_id) is None

"""Log-off and shutdown: Windows has no SIGTERM, so the app stops its tasks when Qt says
the session ends (commitDataRequest) or the app is about to quit (aboutToQuit), and waits
for them, since the process may be ended right after. A real Worker, a real node pool,
a real task container; Qt's aboutToQuit is fired as QCoreApplication fires it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.docker_images import container_of

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 60_000


def test_about_to_quit_stops_running_tasks_and_delivers_their_results_before_returning(
    qtbot, pool, make_desktop, submit, tmp_path, task_image
):
    app = make_desktop(make_settings(tmp_path, pool.address))
    app.open_sign_in()
    app.sign_in_dialog.username.setText(VOLUNTEER[0])
    app.sign_in_dialog.password.setText(VOLUNTEER[1])
    app.sign_in_dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    task_id = submit("logoff", {"run.sh": "while true; do echo working; sleep 0.3; done\n"})
    qtbot.waitUntil(lambda: "working" in app.state.outputs.get(task_id, ""), timeout=WAIT)
    assert container_of(task_id) is not None

    QApplication.instance().aboutToQuit.emit()  # what QApplication does as the session ends

    # By the time the signal returns, everything is done: the process may end now.
    assert app.core_stopped and app.quitting
    assert container_of(task_id) is None
    view = pool.task(task_id)
    assert view is not None and view.status in ("COMPLETED", "STOPPED")
    assert view.has_result  # the partial result went back before the process could end
    assert app.stop_before_session_ends()  # a second ending (commitDataRequest, then quit)


def test_only_windows_and_macos_take_commit_data_as_the_end_of_the_session() -> None:
    from hivemind_desktop.gui.app import commit_data_ends_session

    assert commit_data_ends_session("win32") and commit_data_ends_session("darwin")
    assert not commit_data_ends_session("linux")  # XSMP checkpoints; SIGTERM ends sessions

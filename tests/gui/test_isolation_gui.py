"""What a volunteer sees of task isolation: the Tasks page says which runtime each task ran
in (gVisor or runc), its details say what that means, the Monitor page what new tasks get
and how to get gVisor. A real desktop app on a real worker, Docker and node pool; the
layouts in English and Chinese, at 800x600, on a dark palette and at HiDPI (screenshots
in artifacts/)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from PySide6.QtGui import QImage

from hivemind_desktop.core import task_runtime
from hivemind_desktop.core.docker_runner import DockerRunner
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.pages.tasks import COL_ISOLATION
from hivemind_desktop.gui.state import AppState
from tests.gui.test_contribution_gui import ARTIFACTS, WAIT, save_screenshot, sign_in
from tests.kit import REPO
from tests.kit.desktop import make_settings
from tests.kit.palette import dark_palette

GVISOR_LONG = "gVisor sandbox: the task runs on its own kernel"
TASK_WAIT = 90_000  # dispatch, a container start and the result on a busy shared machine


def _engine_health(runtime: str) -> dict:
    """The isolation check as Worker.health() builds it, from the real engine."""
    status = DockerRunner("gui-test", runtime=runtime).status()
    check = {"ok": bool(status.runtime), "detail": status.isolation, "runtime": status.runtime}
    return {"ok": check["ok"], "checks": {"isolation": check}}


def _no_gvisor_health() -> dict:
    """The isolation check of an engine without gVisor under the default (auto): this
    engine has gVisor, so the core's own summary of such an engine is used."""
    ok, detail = task_runtime.summary("auto", {"runc"})
    return {"ok": ok, "checks": {"isolation": {"ok": ok, "detail": detail, "runtime": "runc"}}}


def _fed_window(qtbot, runtime: str) -> MainWindow:
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    for task_id, rt in (("in-gvisor", "runsc"), ("in-runc", "runc")):
        record = TaskRecord(
            task_id, TaskState.COMPLETED, Resources(50, 1), time.time() - 9,
            started_at=time.time() - 8, finished_at=time.time() - 2, exit_code=0,
            container_id="0123456789abcdef", outcome=TaskState.COMPLETED, runtime=rt,
        )  # fmt: skip
        state.on_core_event("task_changed", {"task": record})
    state.health = _no_gvisor_health() if runtime == "auto-without-gvisor" else _engine_health(
        runtime
    )
    window.monitor.show_health(state.health)
    return window


@pytest.mark.docker
def test_tasks_and_monitor_say_which_isolation_on_the_real_app(
    qtbot, pool, make_desktop, tmp_path, task_image, submit, docker_client
):
    app = make_desktop(make_settings(tmp_path, pool.address))
    sign_in(qtbot, app)
    task_id = submit("isolated", {"main.py": "import time\nprint('hi')\ntime.sleep(3)\n"})
    qtbot.waitUntil(
        lambda: (t := app.state.tasks.get(task_id)) is not None and t.runtime == "runsc",
        timeout=TASK_WAIT,
    )
    page = app.window.tasks
    app.window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.row_of(task_id) is not None, timeout=WAIT)
    assert page.cell(task_id, COL_ISOLATION) == "gVisor"
    page.select_task(task_id)
    assert f"Isolation: {GVISOR_LONG}" in page.details.text()
    save_screenshot(app.window, "tasks_isolation_en.png")

    app.window.tabs.setCurrentWidget(app.window.monitor)  # shown: it asks for health
    label = app.window.monitor.isolation
    qtbot.waitUntil(lambda: label.text() == GVISOR_LONG, timeout=WAIT)
    save_screenshot(app.window, "monitor_isolation_en.png")
    app.window.resize(800, 600)
    save_screenshot(app.window, "monitor_isolation_800x600.png")
    app.window.tabs.setCurrentWidget(page)
    save_screenshot(app.window, "tasks_isolation_800x600.png")
    # At 800x600 the table's thirteen columns scroll sideways; the details below the
    # table, always in view, say the isolation in words.
    assert page.table.horizontalScrollBar().maximum() > 0
    assert f"Isolation: {GVISOR_LONG}" in page.details.text() and page.details.isVisible()

    settings = app.window.settings_page
    settings.language.setCurrentIndex(settings.language.findData("zh_TW"))
    settings.apply_button.click()
    qtbot.waitUntil(lambda: app.window.tabs.tabText(0) == "儀表板", timeout=WAIT)
    app.window.tabs.setCurrentWidget(app.window.monitor)
    qtbot.waitUntil(
        lambda: app.window.monitor.isolation.text() == "gVisor 沙箱：任務在自己的核心上執行",
        timeout=WAIT,
    )
    save_screenshot(app.window, "monitor_isolation_zh_TW.png")
    page = app.window.tasks
    app.window.tabs.setCurrentWidget(page)
    header = page.table.horizontalHeaderItem(COL_ISOLATION)
    assert header is not None and header.text() == "隔離方式"
    save_screenshot(app.window, "tasks_isolation_zh_TW.png")
    # its container is removed before the app closes
    mine = {"label": f"hivemind.task={task_id}"}  # sparse: no inspect of a vanishing one
    qtbot.waitUntil(
        lambda: not docker_client.containers.list(all=True, sparse=True, filters=mine),
        timeout=TASK_WAIT,
    )


@pytest.mark.docker
def test_runc_says_how_to_get_gvisor_and_both_read_on_a_dark_palette(qtbot, qapp, task_images):
    old = qapp.palette()
    dark = dark_palette()
    qapp.setPalette(dark)
    try:
        window = _fed_window(qtbot, "runc")  # the volunteer chose runc: no advice
        assert window.monitor.isolation.text() == (
            "runc container: the task shares this computer's kernel"
        )
        window = _fed_window(qtbot, "auto-without-gvisor")
        text = window.monitor.isolation.text()
        assert text.startswith("runc container: the task shares this computer's kernel")
        assert "install gVisor: sudo bash scripts/enable-gvisor" in text
        window.tabs.setCurrentWidget(window.monitor)
        save_screenshot(window, "monitor_isolation_runc_dark.png")
        page = window.tasks
        assert page.cell("in-runc", COL_ISOLATION) == "runc"
        assert page.cell("in-gvisor", COL_ISOLATION) == "gVisor"
        window.tabs.setCurrentWidget(page)
        page.select_task("in-runc")
        assert "Isolation: runc container" in page.details.text()
        save_screenshot(window, "tasks_isolation_dark.png")
    finally:
        qapp.setPalette(old)


def test_gvisor_required_but_missing_is_said_in_words(qtbot, translations) -> None:
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    missing = {
        "ok": False,
        # what task_runtime.summary says when HIVEMIND_TASK_RUNTIME=runsc and it is missing
        "detail": "gVisor (runsc) is not available to the Docker engine and "
        "HIVEMIND_TASK_RUNTIME is runsc: run `sudo bash scripts/enable-gvisor` ...",
        "runtime": "",
    }
    window.monitor.show_health({"ok": False, "checks": {"isolation": missing}})
    text = window.monitor.isolation.text()
    assert text.startswith("No task can run: the settings require gVisor")
    assert "HIVEMIND_TASK_RUNTIME" not in text  # no setting names in the window
    window.tabs.setCurrentWidget(window.monitor)
    save_screenshot(window, "monitor_isolation_missing_en.png")
    assert translations.install("zh_TW")
    try:
        window = MainWindow(state, Settings())
        qtbot.addWidget(window)
        window.monitor.show_health({"ok": False, "checks": {"isolation": missing}})
        assert window.monitor.isolation.text().startswith("無法執行任何任務")
    finally:
        translations.install("en")


HIDPI_SCRIPT = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.gui.test_isolation_gui import _fed_window
class Bot:
    def addWidget(self, w): pass
window = _fed_window(Bot(), "runsc")
window.show()
window.tabs.setCurrentWidget(window.monitor)
app.processEvents()
ok = window.grab().save(sys.argv[1])
print(window.width(), window.height(), window.monitor.isolation.text(), ok)
"""


@pytest.mark.docker
def test_hidpi_layout(task_images) -> None:
    """QT_SCALE_FACTOR=2 in a process of its own (it is read at start): the page is drawn
    at twice the pixels, the text as at 1x."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "monitor_isolation_hidpi.png"
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", HIDPI_SCRIPT, str(shot)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    width, height, *rest = done.stdout.split()
    assert " ".join(rest) == f"{GVISOR_LONG} True"
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (2 * int(width), 2 * int(height))

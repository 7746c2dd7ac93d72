"""The window, pages, tray and dialogs on their own (offscreen), fed with real core objects."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QMessageBox

from hivemind_desktop.core.logs import LogEntry
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.monitor import Sample
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui import resources
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.notifications import Notifier
from hivemind_desktop.gui.pages.settings import SettingsPage
from hivemind_desktop.gui.pages.tasks import COL_EXIT
from hivemind_desktop.gui.signin import SignInDialog
from hivemind_desktop.gui.single_instance import SingleInstance
from hivemind_desktop.gui.state import ICONS, AppState
from hivemind_desktop.gui.tray import Tray
from tests.kit import REPO

pytestmark = pytest.mark.gui


def _task(task_id: str, state: TaskState, **kw) -> TaskRecord:
    return TaskRecord(task_id, state, Resources(150, 2, 0, 0), time.time() - 5, **kw)


@pytest.mark.parametrize(
    ("language", "tabs", "gpu_message"),
    [
        (
            "en",
            ["Dashboard", "Tasks", "Statistics", "Monitor", "Logs", "Settings", "Computers"],
            "No NVIDIA GPU found",
        ),
        ("zh_TW", ["儀表板", "任務", "統計", "監控", "記錄", "設定", "電腦"], "找不到 NVIDIA GPU"),
    ],
)
def test_window_builds_in_both_languages(qtbot, translations, language, tabs, gpu_message):
    assert translations.install(language)
    state = AppState()
    window = MainWindow(state, Settings(language=language))
    qtbot.addWidget(window)
    window.show()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == tabs
    state.on_core_event("sample", {"sample": Sample(time.time(), 5, 40, 2, 10, None, None)})
    assert window.dashboard.gpu_chart.message == gpu_message
    if language == "zh_TW":
        assert window.settings_page.apply_button.text() == "套用"
        assert window.tasks.table.horizontalHeaderItem(1).text() == "狀態"


def test_system_locale_is_followed():
    from PySide6.QtCore import QLocale

    assert resources.resolve_language("", QLocale("zh_TW")) == "zh_TW"
    assert resources.resolve_language("", QLocale("zh_HK")) == "zh_TW"
    assert resources.resolve_language("", QLocale("zh_CN")) == "en"
    assert resources.resolve_language("", QLocale("de_DE")) == "en"
    assert resources.resolve_language("en", QLocale("zh_TW")) == "en"


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("pool", "no-port-here", "Node-pool address: write it with its port, as HOST:PORT"),
        ("pool", "10.0.0.1", "Node-pool address: write it with its port, as HOST:PORT"),
        ("schedule", "mon-fri 25:00", "Allowed days and hours: use weekdays and hours"),
    ],
)
def test_invalid_settings_are_refused_with_a_message(qtbot, field, text, says):
    page = SettingsPage(Settings(max_cpu_cores=2, max_memory_gb=4))
    qtbot.addWidget(page)
    applied = []
    page.apply_requested.connect(applied.append)
    getattr(page, field).setText(text)
    assert page.error.text().startswith(f"Not saved: {says}")
    # For people: no setting key, no quoted value, no "(settings)" source.
    for jargon in ("master_address", "schedule=", "(settings)", "not allowed", "Error"):
        assert jargon not in page.error.text()
    assert not page.apply_button.isEnabled()
    page.apply()
    assert applied == []
    getattr(page, field).setText({"pool": "10.0.0.9:50051", "schedule": "sat,sun"}[field])
    assert page.error.text() == ""
    assert page.apply_button.isEnabled()
    page.apply()
    assert len(applied) == 1 and isinstance(applied[0], Settings)


def test_valid_settings_are_parsed_like_the_config_file(qtbot):
    page = SettingsPage(Settings())
    qtbot.addWidget(page)
    page.cpu.setValue(1.5)
    page.memory.setValue(1)
    page.gpu.setChecked(False)
    page.language.setCurrentIndex(page.language.findData("zh_TW"))
    new = page.candidate()
    assert (new.max_cpu_cores, new.max_memory_gb, new.share_gpu, new.language) == (
        1.5,
        1,
        False,
        "zh_TW",
    )


def test_tray_has_a_distinct_icon_and_tooltip_per_state(qtbot):
    state = AppState()
    tray = Tray(state)
    images = {name: tray.icons[name].pixmap(32, 32).toImage() for name in ICONS}
    for a in ICONS:
        assert not images[a].isNull()
        for b in ICONS:
            if a != b:
                assert images[a] != images[b], f"{a} and {b} share an icon"

    cases = {
        "error": dict(worker_state="error", pool_state="connected"),
        "paused": dict(worker_state="paused", pool_state="connected", paused=True),
        "disconnected": dict(worker_state="disconnected", pool_state="disconnected"),
        "signed_out": dict(worker_state="signed_out", pool_state="signed_out"),
        "contributing": dict(worker_state="contributing", pool_state="connected"),
        "idle": dict(worker_state="idle", pool_state="connected"),
    }
    words = {
        "error": "Error",
        "paused": "Paused",
        "disconnected": "Not connected",
        "signed_out": "Not signed in",
        "contributing": "Contributing",
        "idle": "Idle",
    }
    for expected, fields in cases.items():
        state.paused = False
        for key, value in fields.items():
            setattr(state, key, value)
        state.tasks = {}
        if expected == "contributing":
            state.tasks = {"t1": _task("t1", TaskState.RUNNING)}
        state.changed.emit()
        assert state.overall == expected
        assert tray.shown_state == expected
        assert tray.icon.icon().cacheKey() == tray.icons[expected].cacheKey()
        tip = tray.icon.toolTip()
        assert words[expected] in tip
        assert f"Running tasks: {1 if expected == 'contributing' else 0}" in tip
        assert "Node pool:" in tip
        assert tray.status_action.text().startswith(words[expected])
        assert tray.pause_action.text() == ("Resume" if expected == "paused" else "Pause")

    asked = []
    tray.pause_requested.connect(lambda: asked.append("pause"))
    tray.resume_requested.connect(lambda: asked.append("resume"))
    tray.pause_action.trigger()  # state is idle now
    state.paused = True
    state.changed.emit()
    tray.pause_action.trigger()
    assert asked == ["pause", "resume"]


def test_no_tray_offscreen_means_the_window_is_the_home(qtbot):
    state = AppState()
    tray = Tray(state)
    assert tray.show() is False  # offscreen has no tray host
    assert not tray.icon.isVisible()


def test_notifications_once_per_change(qtbot):
    state = AppState()
    notifier = Notifier(state)
    state.on_core_event("pool_state", {"state": "connected", "detail": ""})
    assert notifier.history == []  # the first connection is no news
    failed = _task("t9", TaskState.FAILED, message="exit code 3", exit_code=3)
    for _ in range(3):
        state.on_core_event("task_changed", {"task": failed})
    state.on_core_event("notice", {"title": "task_failed", "text": "t9: exit code 3"})
    for _ in range(2):
        state.on_core_event("pool_state", {"state": "disconnected", "detail": "timeout"})
    for _ in range(2):
        state.on_core_event("pool_state", {"state": "connected", "detail": ""})
    titles = [title for title, _ in notifier.history]
    assert titles == ["Task failed", "Node pool lost", "Node pool is back"]
    assert "t9" in notifier.history[0][1]


def test_tasks_page_table_console_and_stop_confirmation(qtbot):
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    page = window.tasks
    running = _task("t-run", TaskState.RUNNING, started_at=time.time() - 65)
    state.on_core_event("task_changed", {"task": running})
    state.on_core_event(
        "task_changed",
        {
            "task": _task(
                "t-done", TaskState.COMPLETED, started_at=1.0, finished_at=3.0, exit_code=0
            )
        },
    )
    assert page.cell("t-run", 1) == "Running"
    assert page.cell("t-run", 4) == "1.5" and page.cell("t-run", 5) == "2"
    assert page.cell("t-done", COL_EXIT) == "0" and page.cell("t-done", 3) == "0:02"
    assert page.cell("t-run", 3).startswith("1:0")

    state.on_core_event("task_output", {"task_id": "t-run", "text": "line one\n"})
    page.select_task("t-run")
    assert "line one" in page.console.toPlainText()
    state.on_core_event("task_output", {"task_id": "t-run", "text": "line two\n"})
    assert "line two" in page.console.toPlainText()

    stops = []
    page.stop_requested.connect(stops.append)
    page.stop_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.No).click()
    assert stops == []
    page.stop_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert stops == ["t-run"]

    page.select_task("t-done")
    assert not page.stop_button.isEnabled()


def test_logs_page_filters_searches_and_copies(qtbot, qapp):
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    page = window.logs
    now = time.time()
    for level, message in [
        ("DEBUG", "noise"),
        ("INFO", "task alpha started"),
        ("WARNING", "pool slow"),
        ("ERROR", "task beta failed"),
    ]:
        state.on_core_event("log", {"entry": LogEntry(now, level, "hivemind", message)})
    text = page.view.toPlainText()
    assert "noise" not in text and "alpha" in text and "beta" in text  # Info and above
    page.level.setCurrentIndex(page.level.findData("ERROR"))
    assert "beta" in page.view.toPlainText() and "alpha" not in page.view.toPlainText()
    page.level.setCurrentIndex(page.level.findData("DEBUG"))
    page.search.setText("TASK")
    # Module names are hidden unless asked for.
    assert [line.split(maxsplit=2)[2] for line in page.visible_lines()] == [
        "task alpha started",
        "task beta failed",
    ]
    assert "hivemind" not in page.view.toPlainText()
    page.show_names.setChecked(True)
    assert [line.split(": ", 1)[1] for line in page.visible_lines()] == [
        "task alpha started",
        "task beta failed",
    ]
    assert "hivemind: task alpha" in page.view.toPlainText()
    page.copy()
    assert qapp.clipboard().text() == page.view.toPlainText()


def test_sign_in_dialog_without_keyring_says_so_and_waits(qtbot):
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    sent = []
    dialog.submitted.connect(lambda *a: sent.append(a))
    assert not dialog.sign_in_button.isEnabled()
    dialog.set_keyring_unavailable("the keyring is locked.")
    assert not dialog.remember.isChecked() and not dialog.remember.isEnabled()
    assert "sign in each time" in dialog.keyring_note.text()
    dialog.username.setText("vol")
    dialog.password.setText("pw")
    dialog.sign_in_button.click()
    assert sent == [("vol", "pw", False)]
    assert not dialog.username.isEnabled()  # busy until the bridge answers
    dialog.failed("wrong password")
    assert "wrong password" in dialog.message.text() and dialog.username.isEnabled()
    assert not dialog.remember.isEnabled()


def test_second_launch_asks_the_first_to_show(qtbot, tmp_path):
    name = f"hivemind-test-{tmp_path.name}"
    first = SingleInstance(name)
    assert first.claim()
    try:
        code = (
            "import sys\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from hivemind_desktop.gui.single_instance import SingleInstance\n"
            "app = QCoreApplication([])\n"
            f"sys.exit(0 if SingleInstance({name!r}).claim() is False else 3)\n"
        )
        with qtbot.waitSignal(first.show_requested, timeout=15_000):
            proc = subprocess.Popen([sys.executable, "-c", code])
            qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15_000)
        assert proc.returncode == 0
    finally:
        first.close()


@pytest.mark.parametrize("language", ["en", "zh_TW"])
@pytest.mark.parametrize("size", [None, (800, 600)])
def test_a_long_notice_is_shown_whole_at_the_window_sizes(qtbot, translations, language, size):
    """The status line wraps a long notice (the keyring one was cut at the default size)."""
    from hivemind_desktop.gui.texts import keyring_text

    assert translations.install(language)
    window = MainWindow(AppState(), Settings(language=language))
    qtbot.addWidget(window)
    if size:
        window.resize(*size)
    window.show()
    text = "Your password cannot be remembered: " + keyring_text("missing")  # as the app says
    window.show_notice(text)
    notice = window.notice

    def room_for_every_line() -> bool:
        box = notice.contentsRect()
        needed = notice.fontMetrics().boundingRect(
            QRect(0, 0, box.width(), 100_000), Qt.TextFlag.TextWordWrap, text
        )
        return needed.height() <= box.height()

    qtbot.waitUntil(room_for_every_line, timeout=5_000)
    assert notice.text() == text
    assert notice.geometry().right() <= window.width()
    name = f"notice_long_{language}_{size[0] if size else 'default'}.png"
    assert window.grab().save(str(REPO / "artifacts" / name))

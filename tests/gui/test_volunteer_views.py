"""The views volunteers expect (offscreen, real widgets, real store files, real threads):
task progress and time left, live CPU and memory per task, sortable columns and a
clearable history in order; the Statistics page; the Logs page's colours, module names,
log folder and diagnostics zip; help for trust, CPT and every setting; Ctrl+N for the
pages; Sign in and recent activity in the tray menu. In English and zh_TW, at 800x600
and on a dark palette where layout or colour is concerned; screenshots to artifacts/."""

from __future__ import annotations

import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
)

from hivemind_desktop.core.logs import LogEntry
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState, TaskUsage
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.statistics import build_statistics
from hivemind_desktop.core.store import Store
from hivemind_desktop.gui.hints import Hints
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.pages.logs import level_colour
from hivemind_desktop.gui.pages.tasks import (
    COL_CPU,
    COL_CPU_USE,
    COL_ELAPSED,
    COL_ID,
    COL_LEFT,
    COL_MEM,
    COL_MEM_USE,
    COL_PROGRESS,
)
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.tray import Tray
from tests.kit import REPO
from tests.kit.palette import dark_palette

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"
SECRET = "Sup3r-Secret-Volunteer-Pw"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.fixture
def dark(qapp):
    """A dark desktop theme for the test's duration."""
    old = qapp.palette()
    palette = dark_palette()
    qapp.setPalette(palette)
    yield palette
    qapp.setPalette(old)


def save_screenshot(widget, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    QApplication.processEvents()
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000
    return path


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1..21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b_, _ = c.getRgbF()
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b_)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def task(task_id: str, state: TaskState, received_ago: float, **kw) -> TaskRecord:
    return TaskRecord(task_id, state, Resources(150, 2, 0, 0), time.time() - received_ago, **kw)


def window_with_tasks(qtbot, settings: Settings | None = None) -> tuple[MainWindow, AppState]:
    state = AppState()
    window = MainWindow(state, settings or Settings())
    qtbot.addWidget(window)
    return window, state


def filled_share(page, task_id: str) -> float:
    """How much of the task's Progress cell, left to right, shows the highlight colour."""
    table = page.table
    item = table.item(page.row_of(task_id), COL_PROGRESS)
    rect = table.visualItemRect(item)
    image = table.viewport().grab(rect).toImage()
    highlight = table.palette().color(QPalette.ColorRole.Highlight)
    y = image.height() // 2 + 3  # below the centred text
    ratio = image.width() / max(1, rect.width())

    def is_bar(x: int) -> bool:
        c = image.pixelColor(x, y)
        return all(
            abs(a - b) < 40 for a, b in zip(c.getRgb()[:3], highlight.getRgb()[:3], strict=True)
        )

    columns = [x for x in range(image.width()) if is_bar(x)]
    return (max(columns) + 1) / image.width() if columns else 0.0 * ratio


# -- Tasks page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "headers"),
    [("en", ("Progress", "Time left", "CPU use")), ("zh_TW", ("進度", "剩餘時間", "CPU 使用"))],
)
def test_progress_time_left_and_live_use_per_task(qtbot, translations, language, headers):
    assert translations.install(language)
    window, state = window_with_tasks(qtbot)
    page = window.tasks
    now = time.time()
    running = task(
        "t-run",
        TaskState.RUNNING,
        120,
        started_at=now - 100,
        progress=0.25,
        usage=TaskUsage(cpu_percent=87.4, memory_percent=10.0, memory_mb=512.3),
    )
    quiet = task("t-quiet", TaskState.RUNNING, 60, started_at=now - 50)  # reports nothing
    for record in (running, quiet):
        state.on_core_event("task_changed", {"task": record})
    table = page.table
    assert [
        table.horizontalHeaderItem(c).text() for c in (COL_PROGRESS, COL_LEFT, COL_CPU_USE)
    ] == list(headers)
    assert page.cell("t-run", COL_PROGRESS) == "25 %"
    # 100 s for a quarter: about 300 s (5:00) left
    left = page.cell("t-run", COL_LEFT)
    assert left.startswith("4:5") or left.startswith("5:0"), left
    assert page.cell("t-run", COL_CPU_USE) == "87 %"
    assert page.cell("t-run", COL_MEM_USE).startswith("512")
    assert [page.cell("t-quiet", c) for c in (COL_PROGRESS, COL_LEFT, COL_CPU_USE)] == ["–"] * 3
    # Progress sits beside the status where the volunteer looks first.
    header = table.horizontalHeader()
    assert header.visualIndex(COL_PROGRESS) == 2 and header.visualIndex(COL_LEFT) == 3
    assert header.visualIndex(COL_CPU_USE) == header.visualIndex(COL_CPU) + 1
    assert header.visualIndex(COL_MEM_USE) == header.visualIndex(COL_MEM) + 1
    window.resize(800, 600)
    window.tabs.setCurrentWidget(page)
    window.show()
    save_screenshot(window, f"tasks_progress_{language}_800x600.png")
    # The Progress cell is a bar filled a quarter of the way (the highlight colour on the
    # left, none on the right); a task without progress keeps its plain "–".
    assert filled_share(page, "t-run") == pytest.approx(0.25, abs=0.08)
    assert filled_share(page, "t-quiet") == 0.0
    width = table.columnWidth(COL_PROGRESS)
    assert width >= 2 * table.fontMetrics().horizontalAdvance("100 %")  # a readable bar
    # Finished: the final progress stays, the time left and the live use go.
    done = task(
        "t-run",
        TaskState.COMPLETED,
        120,
        started_at=now - 100,
        finished_at=now,
        progress=1.0,
        usage=running.usage,
    )
    state.on_core_event("task_changed", {"task": done})
    assert page.cell("t-run", COL_PROGRESS) == "100 %"
    assert page.cell("t-run", COL_LEFT) == "–" and page.cell("t-run", COL_CPU_USE) == "–"


def test_history_is_newest_first_whatever_order_it_arrives_in_and_sorts(qtbot):
    window, state = window_with_tasks(qtbot)
    page = window.tasks
    # A restart's snapshot lists newest first; events add older ones later.
    now = time.time()
    snapshot_order = [
        task("t-new", TaskState.COMPLETED, 10, started_at=now - 9, finished_at=now),
        task("t-mid", TaskState.FAILED, 100, started_at=now - 99, finished_at=now - 30),
        task("t-old", TaskState.COMPLETED, 1000, started_at=now - 999, finished_at=now - 900),
    ]
    for record in snapshot_order:
        state.on_core_event("task_changed", {"task": record})
    assert page.task_ids_in_order() == ["t-new", "t-mid", "t-old"]
    state.on_core_event("task_changed", {"task": task("t-older", TaskState.STOPPED, 5000)})
    assert page.task_ids_in_order()[-1] == "t-older"
    # Elapsed sorts by duration (text would put "15:00" before "1:30" ...), both ways.
    page.table.sortItems(COL_ELAPSED, Qt.SortOrder.AscendingOrder)
    assert page.task_ids_in_order()[:3] == ["t-older", "t-new", "t-mid"]  # none, 9 s, 69 s
    page.table.sortItems(COL_ID, Qt.SortOrder.AscendingOrder)
    assert page.task_ids_in_order() == ["t-mid", "t-new", "t-old", "t-older"]
    # An update does not break the row lookup after a sort.
    state.on_core_event(
        "task_changed", {"task": task("t-new", TaskState.COMPLETED, 10, exit_code=7)}
    )
    assert page.cell("t-new", 7) == "7"


def test_clearing_the_history_asks_first_and_keeps_running_tasks(qtbot):
    window, state = window_with_tasks(qtbot)
    page = window.tasks
    for record in (
        task("t-run", TaskState.RUNNING, 10, started_at=time.time() - 5),
        task("t-done", TaskState.COMPLETED, 100, started_at=time.time() - 90, finished_at=1.0),
    ):
        state.on_core_event("task_changed", {"task": record})
    asked = []
    page.clear_requested.connect(lambda: asked.append(True))
    page.clear_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.No).click()
    assert asked == []
    page.clear_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert asked == [True]
    state.forget_tasks(["t-done"])  # what the core answers (the worker's clear_history)
    assert page.task_ids_in_order() == ["t-run"]
    assert "t-done" not in state.tasks and state.counts()["completed"] == 0


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_new_pages_fit_800x600(qtbot, translations, language):
    """Room left for a page in an 800x600 window: the account bar, the tabs and the
    status bar take about 120 px; nothing of the new pages may need more."""
    assert translations.install(language)
    window, _state = window_with_tasks(qtbot)
    for page in (window.tasks, window.statistics, window.logs):
        hint = page.minimumSizeHint()
        assert hint.width() <= 760 and hint.height() <= 460, (page, hint)


# -- Statistics page ---------------------------------------------------------------------


def _filled_store(path: Path) -> Store:
    store = Store(path)
    today = datetime.now().replace(hour=12, minute=0)
    for days_ago, completed, credits in [(0, 3, 30), (1, 1, 10), (6, 5, 50), (20, 2, 20)]:
        at = (today - timedelta(days=days_ago)).timestamp()
        for _ in range(completed):
            store.count_outcome("completed", at)
        store.record_balance("bob", 1000, at - 60)
        store.record_balance("bob", 1000 + credits, at)
        store.record_balance("bob", 1000, at + 60)  # spent again: the next rise counts anew
    store.count_outcome("failed", today.timestamp())
    for days_ago, score in [(25, 50), (20, 54), (6, 64), (1, 59), (0, 61)]:
        store.record_trust(score, (today - timedelta(days=days_ago)).timestamp())
    return store


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        ("en", "Last 28 days: 110 CPT earned · tasks completed: 11 · failed or stopped: 1"),
        ("zh_TW", "最近 28 天：賺得 110 CPT · 完成任務：11 · 失敗或停止：1"),
    ],
)
def test_statistics_page_draws_the_workers_own_history(
    qtbot, translations, tmp_path, language, summary
):
    assert translations.install(language)
    window, state = window_with_tasks(qtbot)
    window.resize(800, 600)
    window.show()
    page = window.statistics
    wanted = []
    page.wanted.connect(wanted.append)
    window.tabs.setCurrentWidget(page)
    assert wanted == [28]  # shown: it asks the core (through the bridge in the app)
    state.set_statistics(build_statistics(_filled_store(tmp_path / "w.sqlite3"), days=28))
    assert page.summary.text() == summary
    assert page.credits_chart.values[-1] == 30 and page.credits_chart.values[-7] == 50
    assert page.tasks_chart.values[-1] == 3 and sum(page.tasks_chart.values) == 11
    assert [s for _, s in page.trust_chart.points] == [50, 54, 64, 59, 61]
    save_screenshot(window, f"statistics_{language}_800x600.png")
    page.period.setCurrentIndex(page.period.findData(84))
    assert wanted[-1] == 84


def test_statistics_charts_follow_a_dark_palette(qtbot, dark, tmp_path):
    window, state = window_with_tasks(qtbot)
    window.show()
    window.tabs.setCurrentWidget(window.statistics)
    state.set_statistics(build_statistics(_filled_store(tmp_path / "w.sqlite3"), days=28))
    chart = window.statistics.credits_chart
    image = chart.grab().toImage()
    background = image.pixelColor(3, image.height() - 3)
    assert background.lightness() < 80  # not a white box on a dark window
    # the bars are there and stand out from the background
    frame_x = [
        x
        for x in range(image.width())
        if image.pixelColor(x, image.height() - 30).name() == "#3a8fd9"
    ]
    assert frame_x, "no bar drawn"
    assert contrast(QColor("#3a8fd9"), background) > 3
    save_screenshot(window, "statistics_dark.png")


# -- Logs page ---------------------------------------------------------------------------


@pytest.mark.parametrize("palette_name", ["light", "dark"])
def test_log_levels_are_coloured_and_readable(qtbot, request, palette_name):
    if palette_name == "dark":
        request.getfixturevalue("dark")
    window, state = window_with_tasks(qtbot)
    page = window.logs
    page.level.setCurrentIndex(page.level.findData("DEBUG"))
    for level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        state.on_core_event(
            "log", {"entry": LogEntry(time.time(), level, "hivemind.x", f"{level} line")}
        )
    doc = page.view.document()
    base = page.view.palette().color(QPalette.ColorRole.Base)
    colours = {}
    for n in range(doc.blockCount()):
        block = doc.findBlockByNumber(n)
        colour = block.begin().fragment().charFormat().foreground().color()
        colours[block.text().split()[1]] = colour
    assert set(colours) == {"DEBUG", "INFO", "WARNING", "ERROR"}
    assert colours["ERROR"] != colours["INFO"] != colours["WARNING"]
    for level, colour in colours.items():
        assert colour.name() == level_colour(level, page.view.palette()).name()
        assert contrast(colour, base) >= 4.5, (level, colour.name(), base.name())
    window.tabs.setCurrentWidget(page)
    window.resize(800, 600)
    window.show()
    save_screenshot(window, f"logs_{palette_name}.png")


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.mark.parametrize(
    ("language", "button", "missing"),
    [("en", "Open log folder", "does not exist yet"), ("zh_TW", "開啟記錄資料夾", "尚不存在")],
)
def test_open_log_folder_opens_the_settings_folder_or_says_it_is_missing(
    qtbot, tmp_path, translations, language, button, missing
):
    assert translations.install(language)
    settings = Settings(log_dir=str(tmp_path / "logs"))
    window, _state = window_with_tasks(qtbot, settings)
    assert window.logs.folder_button.text() == button
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")  # Qt's own routing of openUrl
    try:
        assert not window.logs.open_log_folder()
        assert missing in window.logs.status.text() and catcher.urls == []
        (tmp_path / "logs").mkdir()
        assert window.logs.open_log_folder()
        assert [u.toLocalFile() for u in catcher.urls] == [str(tmp_path / "logs")]
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_save_diagnostics_writes_a_zip_without_any_secret(qtbot, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    # A log written by some path that did not redact (the worst case), and a rotated one.
    (logs / "hivemind-desktop.log").write_text(
        f"2026-01-01 INFO hivemind: started\n"
        f"2026-01-01 WARNING hivemind: login retry for bob with {SECRET}\n"
        f"2026-01-01 DEBUG grpc: metadata authorization: Bearer {JWT}\n"
        f"2026-01-01 DEBUG hivemind: request token={JWT} password='{SECRET}'\n",
        encoding="utf-8",
    )
    (logs / "hivemind-desktop.log.1").write_text(f"old line {SECRET}\nolder info\n")
    settings = Settings(
        log_dir=str(logs),
        data_dir=str(tmp_path / "data"),
        username="bob",
        password=SECRET,
        master_address="127.0.0.1:9",  # nobody: the self-test's pool check fails fast
        max_cpu_cores=1.5,
    )
    window, _state = window_with_tasks(qtbot, settings)
    page = window.logs
    target = tmp_path / "out" / "diag.zip"
    target.parent.mkdir()
    page.save_diagnostics(target)
    assert not page.diagnostics_button.isEnabled()
    qtbot.waitUntil(lambda: page.diagnostics_button.isEnabled(), timeout=60_000)
    assert "diag.zip" in page.status.text(), page.status.text()
    assert target.stat().st_mode & 0o077 == 0  # private to the volunteer

    raw = target.read_bytes()
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        texts = {n: zf.read(n).decode("utf-8") for n in names}
    assert names == {
        "about.txt",
        "settings.json",
        "self-test.txt",
        "logs/hivemind-desktop.log",
        "logs/hivemind-desktop.log.1",
    }
    everything = "\n".join(texts.values())
    for secret in (SECRET, JWT, JWT.split(".")[2]):
        assert secret not in everything
        assert secret.encode() not in raw
    # ...and still useful: the lines, the settings, the self-test verdict
    assert "login retry for bob with ***" in texts["logs/hivemind-desktop.log"]
    assert (
        '"max_cpu_cores": 1.5' in texts["settings.json"]
        and "password" not in texts["settings.json"]
    )
    assert "Result:" in texts["self-test.txt"] and "docker" in texts["self-test.txt"]


def test_save_diagnostics_refusal_is_shown_and_changes_nothing(qtbot, tmp_path):
    window, _state = window_with_tasks(
        qtbot, Settings(log_dir=str(tmp_path / "logs"), master_address="127.0.0.1:9")
    )
    page = window.logs
    target = tmp_path / "no-such-folder" / "diag.zip"
    page.save_diagnostics(target)
    qtbot.waitUntil(lambda: page.diagnostics_button.isEnabled(), timeout=60_000)
    text = page.status.text()
    assert text.startswith("The diagnostics were not saved:") and "choose another folder" in text
    assert "Errno" not in text and "Traceback" not in text
    assert not target.parent.exists()


# -- help, shortcuts, tray, hints ---------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_every_setting_and_the_trust_and_cpt_have_help(qtbot, translations, language):
    assert translations.install(language)
    window, _state = window_with_tasks(qtbot)
    page = window.settings_page
    kinds = (QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QAbstractButton)
    fields = [
        w
        for kind in kinds
        for w in page.findChildren(kind)
        if not isinstance(w, QAbstractButton) or w.isCheckable()
    ]
    assert len(fields) >= 15
    missing = [w.objectName() or type(w).__name__ for w in fields if not w.toolTip().strip()]
    # The spin boxes' inner line edits are covered by their box.
    missing = [m for m in missing if m != "qt_spinbox_lineedit"]
    assert missing == []
    for label in (window.dashboard.trust, window.dashboard.balance):
        assert len(label.toolTip()) > 40
    if language == "zh_TW":
        assert "信任分數" in window.dashboard.trust.toolTip()
        assert "點數" in window.dashboard.balance.toolTip()


def test_ctrl_number_opens_each_page(qtbot):
    window, _state = window_with_tasks(qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    assert len(window.page_shortcuts) == window.tabs.count()
    for n in reversed(range(window.tabs.count())):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{n + 1}"), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == n
    assert window.tabs.tabToolTip(2).endswith("3")


def test_tray_menu_offers_sign_in_and_recent_activity(qtbot, translations):
    state = AppState()
    tray = Tray(state)
    asked = []
    tray.sign_in_requested.connect(lambda: asked.append(True))
    opened = []
    tray.open_requested.connect(lambda: opened.append(True))
    assert tray.sign_in_action.isVisible()
    tray.sign_in_action.trigger()
    assert asked == [True]
    tray.fill_recent()
    assert [a.text() for a in tray.recent_menu.actions()] == ["No tasks yet"]
    now = time.time()
    for n in range(7):
        state.on_core_event(
            "task_changed",
            {"task": task(f"t-{n}", TaskState.COMPLETED, 1000 - n, finished_at=now - 600 + n * 60)},
        )
    state.on_core_event(
        "task_changed",
        {
            "task": task(
                "t-live-with-a-very-long-identifier-indeed", TaskState.RUNNING, 5, started_at=now
            )
        },
    )
    tray.fill_recent()
    lines = [a.text() for a in tray.recent_menu.actions()]
    assert len(lines) == 5
    assert lines[0].endswith(": Running") and "…" in lines[0]
    assert [line.split()[1].rstrip(":") for line in lines[1:]] == ["t-6", "t-5", "t-4", "t-3"]
    tray.recent_menu.actions()[1].trigger()
    assert opened == [True]
    state.signed_in = True
    state.changed.emit()
    assert not tray.sign_in_action.isVisible()
    assert translations.install("zh_TW")
    tray.retranslate()
    assert tray.recent_menu.title() == "最近活動"


def test_a_hint_is_given_once_per_install(tmp_path):
    hints = Hints(tmp_path / "data")
    assert hints.first_time("closed_to_tray")
    assert not hints.first_time("closed_to_tray")
    assert not Hints(tmp_path / "data").first_time("closed_to_tray")  # after a restart too
    assert Hints(tmp_path / "data").first_time("another")
    (tmp_path / "data" / "gui-hints.json").write_text("not json")
    assert Hints(tmp_path / "data").first_time("closed_to_tray")  # a broken file: hint again


# -- through the real app: bridge, worker, store ------------------------------------------


@pytest.mark.docker
def test_real_app_progress_statistics_and_clear_history(qtbot, pool, make_desktop, tmp_path,
                                                        task_image, submit):  # fmt: skip
    """A real task on the local pool: its progress reaches the Tasks page, the Statistics
    page asks the worker and shows the completed task, Clear history empties the list
    through the bridge and the worker, and a restart would not bring it back."""
    from tests.gui.test_desktop import sign_in
    from tests.kit.desktop import VOLUNTEER, make_settings

    app = make_desktop(make_settings(tmp_path, pool.address))
    sign_in(qtbot, app, *VOLUNTEER)
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=30_000)
    task_id = submit("progress", {"run.sh": "echo PROGRESS 0.5\nsleep 2\necho PROGRESS 100%\n"})
    qtbot.waitUntil(
        lambda: (t := app.state.tasks.get(task_id)) is not None and t.state.is_final,
        timeout=60_000,
    )
    page = app.window.tasks
    assert page.cell(task_id, COL_PROGRESS) == "100 %"

    window = app.window
    window.show()
    window.tabs.setCurrentWidget(window.statistics)  # shown: it asks the worker
    qtbot.waitUntil(
        lambda: app.state.statistics is not None and app.state.statistics.completed >= 1,
        timeout=30_000,
    )
    assert window.statistics.tasks_chart.values[-1] >= 1

    window.tabs.setCurrentWidget(page)
    page.clear_button.click()
    page.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: task_id not in app.state.tasks, timeout=30_000)
    assert task_id not in page.task_ids_in_order()
    app.refresh_snapshot()  # a new snapshot from the worker does not bring it back
    qtbot.wait(500)
    qtbot.waitUntil(lambda: not app._snapshot_pending, timeout=30_000)
    assert task_id not in app.state.tasks
    window.tabs.setCurrentWidget(window.statistics)
    window.statistics.ask()
    qtbot.waitUntil(lambda: app.state.statistics.completed >= 1, timeout=30_000)

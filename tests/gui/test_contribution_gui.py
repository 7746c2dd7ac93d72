"""When to contribute, as the volunteer sees it: the Settings page's rules, the tray's
snooze, and why the app waits in the tray, the status line and the Dashboard.

The widget tests feed the GUI the core's own events; the desktop tests run the real
Worker on a real local node pool and go through the bridge, as a volunteer's clicks do.
Screenshots of the changed screens go to artifacts/ (look at them: nothing cut).
"""

from __future__ import annotations

import re
import time
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.pages.settings import SettingsPage, error_colour
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.tray import Tray
from tests.kit import REPO
from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.palette import dark_palette

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"
WAIT = 30_000
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def save_screenshot(widget, name: str) -> Path:
    """The widget as drawn offscreen, at the size it has (the window's default)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    QApplication.processEvents()  # pending layout requests first: what the volunteer sees
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000
    return path


def not_today() -> str:
    """A weekday far from today, so a schedule of it alone excludes now (even at midnight)."""
    return DAYS[(datetime.now().weekday() + 3) % 7]


# -- widgets fed with the core's events --------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "battery"),
    [
        ("en", "When to contribute", "Suspend on battery power"),
        ("zh_TW", "何時貢獻", "使用電池時暫停"),
    ],
)
def test_settings_page_sets_every_rule_and_refuses_a_bad_schedule(
    qtbot, translations, language, title, battery
):
    assert translations.install(language)
    state = AppState()
    window = MainWindow(state, Settings(language=language))
    qtbot.addWidget(window)
    window.show()
    page = window.settings_page
    window.tabs.setCurrentWidget(page)
    assert page.policy.title() == title and page.battery.text() == battery
    save_screenshot(window, f"settings_when_to_contribute_{language}.png")

    applied: list[Settings] = []
    page.apply_requested.connect(applied.append)
    page.low_priority.setChecked(False)
    page.in_use.setChecked(True)
    page.idle_minutes.setValue(5)
    page.gpu_in_use.setChecked(False)
    page.battery.setChecked(False)
    page.busy.setValue(70)
    page.schedule.setText("mon-fri 18:00-08:00; sat,sun")
    page.cpu_cap.setValue(40)
    page.min_memory.setValue(2.5)
    page.max_frozen.setValue(10)
    assert page.error.text() == "" and page.apply_button.isEnabled()
    page.apply()
    new = applied[-1]
    assert (new.low_priority, new.suspend_when_in_use, new.idle_minutes) == (False, True, 5.0)
    assert (new.gpu_suspend_when_in_use, new.suspend_on_battery) == (False, False)
    assert (new.busy_cpu_percent, new.cpu_cap_percent) == (70, 40)
    assert new.schedule == "mon-fri 18:00-08:00; sat,sun"
    assert (new.min_free_memory_gb, new.max_frozen_minutes) == (2.5, 10.0)

    page.schedule.setText("mon-fri 25:00")  # the core's parser says what is wrong
    assert "days and hours" in page.error.text() or "時段" in page.error.text()
    assert "25:00" in page.error.text()
    assert page.error.text().startswith("Not saved" if language == "en" else "未儲存")
    assert page.error.isVisible() and not page.apply_button.isEnabled()
    save_screenshot(window, f"settings_bad_schedule_{language}.png")
    count = len(applied)
    page.apply()
    assert len(applied) == count
    page.schedule.setText("")  # empty: any time
    assert page.error.text() == "" and page.apply_button.isEnabled()


def test_settings_page_keeps_a_value_past_the_box_bounds(qtbot):
    page = SettingsPage(Settings(max_frozen_minutes=50_000))
    qtbot.addWidget(page)
    assert page.max_frozen.value() == 50_000
    assert not page.apply_button.isEnabled()  # loading alone changes nothing


@pytest.mark.parametrize(
    ("language", "waiting", "snoozed", "resume_now"),
    [
        ("en", "Waiting: computer in use", "Snoozed until 14:30", "Resume now"),
        ("zh_TW", "等待中：電腦使用中", "已延後至 14:30", "立即繼續"),
    ],
)
def test_tray_status_and_dashboard_say_why_it_waits(
    qtbot, translations, language, waiting, snoozed, resume_now
):
    assert translations.install(language)
    state = AppState()
    tray = Tray(state)
    window = MainWindow(state, Settings(language=language))
    qtbot.addWidget(window)
    asked: list[str] = []
    tray.snooze_requested.connect(asked.append)
    tray.unsnooze_requested.connect(lambda: asked.append("unsnooze"))

    state.on_core_event("worker_state", {"state": "waiting", "detail": "computer in use"})
    assert tray.icon.icon().cacheKey() == tray.icons["paused"].cacheKey()
    assert tray.status_action.text() == waiting
    assert waiting in tray.icon.toolTip()
    assert window.dashboard.worker.text() == waiting
    assert window.state_label.text() == waiting
    assert tray.snooze_hour_action.isVisible() and not tray.unsnooze_action.isVisible()
    tray.snooze_hour_action.trigger()
    tray.snooze_tomorrow_action.trigger()

    state.on_core_event("worker_state", {"state": "snoozed", "detail": "until 14:30"})
    assert tray.status_action.text() == snoozed
    assert snoozed in tray.icon.toolTip()
    assert window.dashboard.worker.text() == snoozed
    assert tray.icon.icon().cacheKey() == tray.icons["paused"].cacheKey()
    assert not tray.snooze_hour_action.isVisible() and not tray.snooze_tomorrow_action.isVisible()
    assert tray.unsnooze_action.isVisible() and tray.unsnooze_action.text() == resume_now
    tray.unsnooze_action.trigger()
    assert asked == ["hour", "tomorrow", "unsnooze"]

    state.on_core_event("worker_state", {"state": "idle", "detail": ""})
    assert tray.icon.icon().cacheKey() == tray.icons["idle"].cacheKey()
    assert tray.snooze_hour_action.isVisible() and not tray.unsnooze_action.isVisible()


@pytest.mark.parametrize(
    ("detail", "en", "zh"),
    [
        ("on battery", "Waiting: on battery", "等待中：使用電池中"),
        ("outside your schedule", "Waiting: outside your schedule", "等待中：不在您設定的時段內"),
        ("less than 1 GiB memory free", "Waiting: less than 1 GiB memory free",
         "等待中：可用記憶體不足 1 GiB"),
        ("other programs use 80 % of the CPU", "Waiting: other programs use 80 % of the CPU",
         "等待中：其他程式使用了 80 % 的 CPU"),
        ("a reason not known yet", "Waiting: a reason not known yet",
         "等待中：a reason not known yet"),
    ],
)  # fmt: skip
def test_every_wait_reason_of_the_core_reads_in_both_languages(
    qtbot, translations, detail, en, zh
):
    from hivemind_desktop.gui.texts import state_line

    assert state_line("waiting", detail) == en
    assert translations.install("zh_TW")
    assert state_line("waiting", detail) == zh


def test_monitor_page_says_where_readings_come_from(qtbot):
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    page = window.monitor
    assert page.idle_source.text() == "not checked yet"
    idle = "not available: no answer (no DISPLAY), so the in-use rule is not applied"
    state.on_health(
        {"ok": True, "checks": {"sensors": {"ok": True, "detail": "", "idle": idle,
                                            "battery": "no battery", "cpu": "psutil"}}}
    )  # fmt: skip
    assert page.idle_source.text() == idle
    assert page.battery_source.text() == "no battery"


# -- the real worker on a real local node pool -------------------------------------------------


def sign_in(qtbot, app) -> None:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)


@pytest.fixture
def desktop(qtbot, pool, make_desktop, tmp_path, task_image):
    app = make_desktop(make_settings(tmp_path, pool.address))
    sign_in(qtbot, app)
    qtbot.waitUntil(lambda: app.state.overall == "idle", timeout=WAIT)
    return app


def node_status(pool) -> str:
    return next((n.status for n in pool.nodes() if n.node_id == VOLUNTEER[0]), "")


@pytest.mark.docker
def test_settings_page_applies_and_saves_each_rule_on_the_running_worker(
    qtbot, desktop, tmp_path
):
    app = desktop
    page = app.window.settings_page
    page.low_priority.setChecked(False)
    page.in_use.setChecked(True)
    page.idle_minutes.setValue(7)
    page.gpu_in_use.setChecked(False)
    page.battery.setChecked(False)
    page.busy.setValue(90)
    page.schedule.setText("mon-sun 00:00-23:59")
    page.cpu_cap.setValue(60)
    page.min_memory.setValue(0.5)
    page.max_frozen.setValue(12)
    page.apply_button.click()
    qtbot.waitUntil(lambda: "Applied" in page.status.text(), timeout=WAIT)
    wanted = {
        "low_priority": False,
        "suspend_when_in_use": True,
        "idle_minutes": 7.0,
        "gpu_suspend_when_in_use": False,
        "suspend_on_battery": False,
        "busy_cpu_percent": 90,
        "schedule": "mon-sun 00:00-23:59",
        "cpu_cap_percent": 60,
        "min_free_memory_gb": 0.5,
        "max_frozen_minutes": 12.0,
    }
    saved = tomllib.loads((tmp_path / "config.toml").read_text())
    assert {k: saved[k] for k in wanted} == wanted
    app.refresh_snapshot()
    qtbot.waitUntil(
        lambda: {k: app.state.snapshot.settings[k] for k in wanted} == wanted, timeout=WAIT
    )  # the running worker has them, no restart
    assert app.bridge.violations == 0


@pytest.mark.docker
def test_tray_snooze_shows_until_when_and_resume_now_brings_it_back(qtbot, desktop, pool):
    app = desktop
    tray = app.tray
    before = datetime.now()
    tray.snooze_hour_action.trigger()
    qtbot.waitUntil(lambda: app.state.overall == "snoozed", timeout=WAIT)
    line = tray.status_action.text()
    match = re.fullmatch(r"Snoozed until (\d\d:\d\d)", line)
    assert match, line
    shown = {(before + timedelta(hours=1, minutes=m)).strftime("%H:%M") for m in (0, 1)}
    assert match.group(1) in shown
    assert line in tray.icon.toolTip()
    assert app.window.dashboard.worker.text() == line
    assert tray.unsnooze_action.isVisible() and not tray.snooze_hour_action.isVisible()
    qtbot.waitUntil(lambda: node_status(pool) not in ("", "Idle"), timeout=WAIT)
    app.window.tabs.setCurrentWidget(app.window.dashboard)
    save_screenshot(app.window, "dashboard_snoozed.png")

    tray.unsnooze_action.trigger()  # Resume now
    qtbot.waitUntil(lambda: app.state.overall == "idle", timeout=WAIT)
    assert tray.status_action.text().startswith("Idle")
    assert tray.snooze_hour_action.isVisible() and not tray.unsnooze_action.isVisible()
    qtbot.waitUntil(lambda: node_status(pool) == "Idle", timeout=WAIT)

    tray.snooze_tomorrow_action.trigger()
    qtbot.waitUntil(lambda: app.state.overall == "snoozed", timeout=WAIT)
    assert tray.status_action.text().endswith(" 07:00")
    tray.unsnooze_action.trigger()
    qtbot.waitUntil(lambda: app.state.overall == "idle", timeout=WAIT)
    assert app.bridge.violations == 0


@pytest.mark.docker
def test_waiting_outside_the_schedule_shows_everywhere_and_in_chinese(
    qtbot, desktop, pool
):
    app = desktop
    page = app.window.settings_page
    page.schedule.setText(not_today())  # a day that is not today: now is outside
    page.apply_button.click()
    qtbot.waitUntil(lambda: app.state.overall == "waiting", timeout=WAIT)
    line = "Waiting: outside your schedule"
    assert app.tray.status_action.text() == line
    assert f"HiveMind: {line}" in app.tray.icon.toolTip()
    assert app.window.dashboard.worker.text() == line
    assert app.tray.icon.icon().cacheKey() == app.tray.icons["paused"].cacheKey()
    qtbot.waitUntil(lambda: node_status(pool) == "Waiting", timeout=WAIT)  # no new tasks
    app.window.tabs.setCurrentWidget(app.window.dashboard)
    time.sleep(0.2)
    save_screenshot(app.window, "dashboard_waiting_en.png")

    page.language.setCurrentIndex(page.language.findData("zh_TW"))
    page.apply_button.click()
    qtbot.waitUntil(lambda: app.window.tabs.tabText(0) == "儀表板", timeout=WAIT)
    assert app.window.dashboard.worker.text() == "等待中：不在您設定的時段內"
    assert app.tray.status_action.text() == "等待中：不在您設定的時段內"
    assert app.tray.snooze_hour_action.text() == "延後 1 小時"
    app.window.tabs.setCurrentWidget(app.window.dashboard)
    save_screenshot(app.window, "dashboard_waiting_zh_TW.png")

    page = app.window.settings_page  # the window was rebuilt in the new language
    page.schedule.setText("")
    page.apply_button.click()
    qtbot.waitUntil(lambda: app.state.overall == "idle", timeout=WAIT)
    qtbot.waitUntil(lambda: node_status(pool) == "Idle", timeout=WAIT)


@pytest.mark.docker
def test_monitor_page_shows_the_sensor_sources_from_the_core(qtbot, desktop):
    app = desktop
    app.window.tabs.setCurrentWidget(app.window.monitor)  # shown: it asks for health
    page = app.window.monitor
    qtbot.waitUntil(lambda: page.idle_source.text() != "not checked yet", timeout=WAIT)
    assert page.battery_source.text() != "not checked yet"
    assert "sensors:" in page.raw.toPlainText()
    save_screenshot(app.window, "monitor_sensors.png")


def test_the_rules_and_a_refusal_read_well_on_a_dark_palette(qtbot, qapp, translations) -> None:
    """A volunteer with a dark desktop theme: the new group and the error must stay
    legible (screenshot in artifacts/)."""
    from PySide6.QtGui import QColor

    old = qapp.palette()
    dark = dark_palette(disabled_text=True)
    qapp.setPalette(dark)
    try:
        assert translations.install("en")
        window = MainWindow(AppState(), Settings())
        qtbot.addWidget(window)
        window.show()
        page = window.settings_page
        window.tabs.setCurrentWidget(page)
        page.schedule.setText("mon-fri 25:00")
        assert page.error.text().startswith("Not saved:")
        assert not page.apply_button.isEnabled()
        path = save_screenshot(window, "settings_when_to_contribute_dark.png")
        assert path.exists()
        # the error's red against the dark window: a clear difference in lightness
        background = page.palette().window().color()
        assert background.lightness() < 80
        text = QColor(error_colour(page.palette()))
        assert text.lightness() - background.lightness() > 100
        assert page.error.isVisible()
    finally:
        qapp.setPalette(old)

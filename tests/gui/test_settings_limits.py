"""The Settings page is bounded by this computer: the shares are spin boxes whose limits
are the machine's (shown beside each, with the cores left free), a config file asking for
more is shown at the machine's limit with a note, more tasks than cores is warned about,
and errors read for people; an old "Applied" goes when a new error shows.

The machine is `core.machine.Machine`, stated (2 cores, 23 GiB: the issue's machine) or
read from this one. Screenshots in English and Chinese, default size and 800x600, go to
artifacts/ (HiDPI ones: tests/gui/test_hidpi_screens.py)."""

from __future__ import annotations

import psutil
import pytest
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.machine import Machine, read_machine
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.pages.settings import SettingsPage
from hivemind_desktop.gui.state import AppState
from tests.kit import REPO

pytestmark = pytest.mark.gui

SMALL = Machine(cpu_cores=2, memory_gb=23)


def screenshot(widget, name: str) -> None:
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert widget.grab().save(str(artifacts / name))


def test_impossible_shares_show_at_the_machine_limit_with_a_note(qtbot):
    page = SettingsPage(Settings(max_cpu_cores=99, max_memory_gb=100), machine=SMALL)
    qtbot.addWidget(page)
    assert (page.cpu.maximum(), page.memory.maximum()) == (2, 23)
    assert (page.cpu.value(), page.memory.value()) == (2, 23)  # not 99 / 100
    assert page.cpu_limit.text() == "of 2 cores on this computer; leaves 0 free"
    assert page.memory_limit.text() == "of 23 GiB on this computer"
    assert "ask for 99 cores and 100 GiB, more than this computer has" in (page.shares_note.text())
    assert not page.shares_note.isHidden()
    assert page.apply_button.isEnabled()  # saving the true values is one click
    new = page.candidate()
    assert (new.max_cpu_cores, new.max_memory_gb) == (2, 23)


def test_a_value_past_the_machine_cannot_be_typed(qtbot):
    page = SettingsPage(Settings(max_cpu_cores=1, max_memory_gb=4), machine=SMALL)
    qtbot.addWidget(page)
    page.cpu.selectAll()
    qtbot.keyClicks(page.cpu, "99")
    page.cpu.interpretText()
    assert page.cpu.value() <= 2
    page.memory.selectAll()
    qtbot.keyClicks(page.memory, "abc")  # letters are not taken at all
    page.memory.interpretText()
    assert page.memory.value() == 4
    page.cpu.setValue(0.5)
    assert page.cpu_limit.text() == "of 2 cores on this computer; leaves 1.5 free"


def test_more_tasks_than_cores_is_warned_about_not_refused(qtbot):
    page = SettingsPage(
        Settings(max_cpu_cores=1, max_memory_gb=4, max_concurrent_tasks=1), machine=SMALL
    )
    qtbot.addWidget(page)
    assert page.shares_note.isHidden()
    page.parallel.setValue(3)
    assert page.shares_note.text() == (
        "More tasks at the same time (3) than cores lent (1): each task gets less than a "
        "core, or waits for one."
    )
    assert not page.shares_note.isHidden() and page.apply_button.isEnabled()
    page.cpu.setValue(2)
    page.parallel.setValue(2)
    assert page.shares_note.isHidden()


def test_a_new_error_clears_the_old_applied(qtbot):
    page = SettingsPage(Settings(max_cpu_cores=1, max_memory_gb=4), machine=SMALL)
    qtbot.addWidget(page)
    page.applied(page.settings)
    assert page.status.text().startswith("Applied")
    page.pool.setText("pool.example.org")
    assert page.error.text().startswith("Not saved: Node-pool address:")
    assert page.status.text() == ""
    page.failed("the worker is not running")
    assert page.status.text() == "Not applied: the worker is not running"


def test_bounded_by_this_machine_when_none_is_stated(qtbot):
    page = SettingsPage(Settings())
    qtbot.addWidget(page)
    real = read_machine()
    assert real.cpu_cores == psutil.cpu_count(logical=True)
    assert page.cpu.maximum() == real.cpu_cores
    assert page.memory.maximum() == real.memory_gb
    assert f"of {real.memory_gb} GiB on this computer" == page.memory_limit.text()


@pytest.mark.parametrize(
    ("language", "limit", "note"),
    [
        ("en", "of 2 cores on this computer; leaves 0 free", "more than this computer has"),
        ("zh_TW", "本機共 2 核心；保留 0 核心給您", "超過本機所有"),
    ],
)
@pytest.mark.parametrize("size", [None, (800, 600)])
def test_settings_limits_screens(qtbot, translations, language, limit, note, size):
    assert translations.install(language)
    window = MainWindow(AppState(), Settings(language=language))
    qtbot.addWidget(window)
    # The page as the window builds it, on the machine.
    page = SettingsPage(
        Settings(max_cpu_cores=99, max_memory_gb=100, max_concurrent_tasks=3), machine=SMALL
    )
    index = window.tabs.indexOf(window.settings_page)
    window.tabs.removeTab(index)
    window.tabs.insertTab(index, page, window.tabs.tabText(index) or "Settings")
    window.settings_page = page
    if size:
        window.resize(*size)
    window.show()
    window.tabs.setCurrentWidget(page)
    page.pool.setText("10.0.0.1")  # an error shows too
    assert page.cpu_limit.text() == limit
    assert note in page.shares_note.text()
    qtbot.waitUntil(lambda: page.isVisible(), timeout=5000)
    for _ in range(3):  # layout requests posted by the new texts
        QApplication.processEvents()
    # Nothing the volunteer must read is cut: each label gets its text's height.
    for label in (page.cpu_limit, page.memory_limit, page.shares_note, page.error):
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.objectName()
    suffix = f"_{size[0]}x{size[1]}" if size else ""
    screenshot(window, f"settings_limits_{language}{suffix}.png")


@pytest.mark.docker
def test_a_settings_file_that_cannot_be_written_is_said_plainly(qtbot, tmp_path, test_credentials):
    """Real app, real worker: Apply works live, the file cannot be written, and the page
    says so in words (no Python exception text)."""
    from hivemind_desktop.gui.app import DesktopApp
    from tests.kit import free_port
    from tests.kit.desktop import make_settings

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the config folder should be")
    app = DesktopApp(
        make_settings(tmp_path, f"127.0.0.1:{free_port()}"),
        credentials=test_credentials,
        config_file=blocker / "config.toml",
        auto_sign_in=False,
    )
    with qtbot.waitSignal(app.bridge.started, timeout=30_000):
        app.start(show_window=True)
    try:
        page = app.window.settings_page
        page.parallel.setValue(1)
        page.apply_button.click()
        qtbot.waitUntil(lambda: "not saved" in page.status.text(), timeout=30_000)
        text = page.status.text()
        assert text.startswith("Applied, but not saved: the settings file ")
        assert f"{blocker / 'config.toml'} cannot be written" in text
        assert text.endswith("They last until HiveMind quits.")
        assert "Errno" not in text and "Error" not in text
        assert app.settings.max_concurrent_tasks == 1  # in force on the running worker
    finally:
        with qtbot.waitSignal(app.finished, timeout=60_000):
            app.shutdown()
        app.window.deleteLater()

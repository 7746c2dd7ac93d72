"""The setup wizard from a running app: Settings > Run setup again opens it, and its
result is applied to the running worker."""

from __future__ import annotations

import pytest

from hivemind_desktop.gui.wizard import SetupWizard, needs_first_run
from tests.kit.desktop import make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]


def test_run_setup_again_opens_the_wizard_on_the_running_app(qtbot, tmp_path, pool, make_desktop):
    desktop = make_desktop(make_settings(tmp_path, pool.address))
    page = desktop.window.settings_page
    assert page.setup_button.text() == "Run setup again…"
    page.setup_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(desktop, "_wizard", None), SetupWizard))
    wizard = desktop._wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.parent() is desktop.window or wizard.parentWidget() is desktop.window
    wizard.cancel_now()


def test_first_run_is_decided_by_the_config_file(tmp_path):
    config = tmp_path / "config.toml"
    assert needs_first_run(config)
    config.write_text("max_concurrent_tasks = 2\n")
    assert not needs_first_run(config)


def test_start_at_login_toggle_writes_and_removes_the_autostart_entry(
    qtbot, tmp_path, pool, make_desktop, monkeypatch
):
    from hivemind_desktop.core import autostart

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    entry = autostart.xdg_autostart_path()
    desktop = make_desktop(make_settings(tmp_path, pool.address))
    page = desktop.window.settings_page
    assert not entry.exists()

    page.start_at_login.setChecked(True)
    page.apply_button.click()
    qtbot.waitUntil(entry.exists, timeout=10_000)
    text = entry.read_text()
    assert "--minimized" in text and "Exec=" in text

    qtbot.waitUntil(lambda: page.settings.start_at_login, timeout=10_000)  # applied
    page.start_at_login.setChecked(False)
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    qtbot.waitUntil(lambda: not entry.exists(), timeout=10_000)


def test_zh_tw_also_translates_qt_stock_buttons(qapp):
    from PySide6.QtWidgets import QMessageBox

    from hivemind_desktop.gui.resources import Translations

    translations = Translations()
    try:
        assert translations.install("zh_TW")
        box = QMessageBox()
        box.setStandardButtons(QMessageBox.Yes | QMessageBox.No)
        assert sorted(b.text() for b in box.buttons()) == ["否(&N)", "是(&Y)"]
    finally:
        translations.install("en")

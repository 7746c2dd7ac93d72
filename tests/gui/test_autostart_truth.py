"""Start at login as the system has it: an entry the installer wrote survives the first
Apply of any other setting (the checkbox starts from the system, not the config file's
default), and one switched off in the desktop's own list shows off. Real XDG files, a
real DesktopApp on a real Worker."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core import autostart
from tests.kit import REPO
from tests.kit.desktop import make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]

ARTIFACTS = REPO / "artifacts"


@pytest.fixture
def entry(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = autostart.xdg_autostart_path()
    path.parent.mkdir(parents=True)
    return path


def installer_entry(program: str) -> str:
    """What a package's post-install step writes: not our own enable()."""
    return (
        "[Desktop Entry]\nType=Application\nName=HiveMind Desktop\n"
        f"Exec={program} --minimized\nTryExec={program}\n"
    )


def test_the_installers_entry_survives_applying_another_setting(
    qtbot, tmp_path, pool, make_desktop, entry
):
    program = shutil.which("hivemind-desktop") or autostart.launch_command()[0]
    entry.write_text(installer_entry(program))
    settings = make_settings(tmp_path, pool.address)
    assert settings.start_at_login is False  # the config file's default says off
    desktop = make_desktop(settings)
    page = desktop.window.settings_page
    assert page.start_at_login.isChecked()  # the system says on

    wanted = settings.max_concurrent_tasks + 1
    page.parallel.setValue(wanted)
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    qtbot.waitUntil(lambda: page.settings.max_concurrent_tasks == wanted, timeout=10_000)
    assert entry.read_text() == installer_entry(program)  # untouched
    assert autostart.is_enabled()
    saved = (tmp_path / "config.toml").read_text()
    assert "start_at_login = true" in saved  # the config file now agrees with the system


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_an_entry_switched_off_in_the_desktops_list_shows_off_and_ticking_turns_it_on(
    qtbot, tmp_path, pool, make_desktop, entry, language
):
    program = shutil.which("hivemind-desktop") or autostart.launch_command()[0]
    entry.write_text(installer_entry(program) + "Hidden=true\n")
    settings = make_settings(tmp_path, pool.address).replace(start_at_login=True, language=language)
    desktop = make_desktop(settings)
    window = desktop.window
    page = window.settings_page
    window.tabs.setCurrentWidget(page)
    assert not page.start_at_login.isChecked()  # the config file said on; the system, off
    note = page.start_at_login_note
    assert note.isVisible()
    if language == "en":
        assert note.text() == (
            "Switched off in your desktop's startup applications. Tick the box and Apply to "
            "turn it on."
        )
    else:
        assert note.text().startswith("已在桌面環境的啟動應用程式中關閉")
    ARTIFACTS.mkdir(exist_ok=True)
    for size in (None, (800, 600)):
        if size:
            window.resize(*size)
        QApplication.processEvents()
        assert window.grab().save(
            str(
                ARTIFACTS
                / f"settings_start_at_login_off_{language}{'_800x600' if size else ''}.png"
            )
        )
        assert note.width() <= page.width()  # wrapped, not cut

    page.start_at_login.setChecked(True)
    page.apply_button.click()
    qtbot.waitUntil(autostart.is_enabled, timeout=10_000)
    assert "Hidden=true" not in entry.read_text()
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=10_000)  # nothing to explain now


def test_an_entry_left_pointing_to_a_deleted_app_is_explained(
    qtbot, tmp_path, pool, make_desktop, entry
):
    gone = tmp_path / "old-install" / "hivemind-desktop"
    entry.write_text(installer_entry(str(gone)))
    desktop = make_desktop(make_settings(tmp_path, pool.address).replace(start_at_login=True))
    page = desktop.window.settings_page
    assert not page.start_at_login.isChecked()
    assert page.start_at_login_note.text().startswith(
        "The start-at-login entry points to a program that no longer exists."
    )


def test_at_start_an_entry_pointing_to_a_deleted_app_is_rewritten_for_this_one(
    qtbot, tmp_path, pool, make_desktop, entry, caplog
):
    gone = tmp_path / "old-install" / "hivemind-desktop"
    entry.write_text(installer_entry(str(gone)) + "X-Kept=yes\n")
    desktop = make_desktop(make_settings(tmp_path, pool.address))
    with caplog.at_level("INFO"):
        desktop.check_start_at_login()  # what main() does once the app is up
    found = autostart.state()
    assert found.enabled and found.program == autostart.launch_command()[0]
    assert "an entry pointing to a deleted app was rewritten for this app" in caplog.text
    assert "Applications" not in desktop._notice  # Linux: nothing to move

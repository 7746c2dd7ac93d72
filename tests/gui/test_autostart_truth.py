"""Start at login as the system has it: an entry the installer wrote survives the first
Apply of any other setting (the checkbox starts from the system, not the config file's
default), and one switched off in the desktop's own list shows off. Real XDG files, a
real DesktopApp on a real Worker."""

from __future__ import annotations

import shutil

import pytest

from hivemind_desktop.core import autostart
from tests.kit.desktop import make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]


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
    page.parallel.setText(str(wanted))
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    qtbot.waitUntil(lambda: page.settings.max_concurrent_tasks == wanted, timeout=10_000)
    assert entry.read_text() == installer_entry(program)  # untouched
    assert autostart.is_enabled()
    saved = (tmp_path / "config.toml").read_text()
    assert "start_at_login = true" in saved  # the config file now agrees with the system


def test_an_entry_switched_off_in_the_desktops_list_shows_off_and_ticking_turns_it_on(
    qtbot, tmp_path, pool, make_desktop, entry
):
    program = shutil.which("hivemind-desktop") or autostart.launch_command()[0]
    entry.write_text(installer_entry(program) + "Hidden=true\n")
    desktop = make_desktop(make_settings(tmp_path, pool.address).replace(start_at_login=True))
    page = desktop.window.settings_page
    assert not page.start_at_login.isChecked()  # the config file said on; the system, off
    page.start_at_login.setChecked(True)
    page.apply_button.click()
    qtbot.waitUntil(autostart.is_enabled, timeout=10_000)
    assert "Hidden=true" not in entry.read_text()

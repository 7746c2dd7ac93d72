"""After the WireGuard config is saved: "Show in folder" and "Copy path", because the
file lies in a hidden folder (AppData, ~/Library) that WireGuard's Import dialog cannot
easily reach. The page is real (its save runs off the GUI thread), the clipboard is real,
the file manager command is decided per platform and run for real on Linux."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core import reveal, vpn
from hivemind_desktop.gui.wizard.wireguard_page import WizardWireGuardPage
from tests.kit import REPO

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"
WAIT_MS = 30_000


def saved_page(qtbot, tmp_path: Path) -> WizardWireGuardPage:
    page = WizardWireGuardPage(tmp_path / "cfg")
    qtbot.addWidget(page)
    page.show()
    assert not page.saved_actions.isVisible()  # nothing saved yet: nothing to show
    private, _ = vpn.generate_keypair()
    _, pool_public = vpn.generate_keypair()
    page.editor.setPlainText(
        vpn.new_config_template(private, "10.0.0.2/24", pool_public, "192.0.2.1:51820")
    )
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.saved_path is not None, timeout=WAIT_MS)
    return page


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_copy_path_puts_the_saved_file_on_the_clipboard(
    qtbot, tmp_path: Path, translations, language: str
) -> None:
    assert translations.install(language)
    page = saved_page(qtbot, tmp_path)
    saved = tmp_path / "cfg" / vpn.DEFAULT_CONFIG_NAME
    assert page.saved_path == saved and saved.is_file()
    assert page.saved_actions.isVisible()
    QApplication.clipboard().clear()
    qtbot.mouseClick(page.copy_path_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(saved)
    if language == "en":
        assert (page.show_folder_button.text(), page.copy_path_button.text()) == (
            "Show in folder", "Copy path",
        )  # fmt: skip
        assert page.saved_message.text().startswith("Path copied: in WireGuard's Import dialog")
    else:
        assert page.copy_path_button.text() == "複製路徑"
        assert page.saved_message.text().startswith("已複製路徑")
    ARTIFACTS.mkdir(exist_ok=True)
    for size in (None, (800, 600)):
        if size:
            page.resize(*size)
        QApplication.processEvents()
        name = f"wizard_wireguard_saved_{language}{'_800x600' if size else ''}.png"
        assert page.grab().save(str(ARTIFACTS / name))
        # both buttons can be brought fully inside the page at that size (the page
        # scrolls rather than squeezing its fields)
        for button in (page.show_folder_button, page.copy_path_button):
            page.scroll_area.ensureWidgetVisible(button)
            QApplication.processEvents()
            corner = button.mapTo(page, button.rect().bottomRight())
            assert page.rect().contains(corner), name

    page.editor.appendPlainText("# edited")  # unsaved again: the buttons go away
    assert not page.saved_actions.isVisible()


def test_the_file_manager_command_for_each_platform() -> None:
    conf = Path(r"C:\Users\Ann Lee\AppData\Roaming\HiveMindDesktop\wireguard\hivemind-wg0.conf")
    assert reveal.reveal_command(conf, "win32") == f'explorer.exe /select,"{conf}"'
    mac = Path("/Users/ann/Library/Application Support/HiveMindDesktop/wireguard/hivemind-wg0.conf")
    assert reveal.reveal_command(mac, "darwin") == ["/usr/bin/open", "-R", str(mac)]
    linux = Path("/home/ann/.config/HiveMind Desktop/it's/hivemind-wg0.conf")
    command = reveal.reveal_command(linux, "linux", which=lambda n: f"/usr/bin/{n}")
    assert command[:3] == ["/usr/bin/gdbus", "call", "--session"]
    assert command[-2] == "['file:///home/ann/.config/HiveMind%20Desktop/it%27s/hivemind-wg0.conf']"
    assert reveal.reveal_command(linux, "linux", which=lambda _n: None) is None


def test_with_no_file_manager_on_the_bus_reveal_says_so(tmp_path: Path) -> None:
    """A real session bus with no FileManager1 on it: reveal() reports False, so the page
    falls back to opening the folder (and says where the file is if that fails too)."""
    conf = tmp_path / "hivemind-wg0.conf"
    conf.write_text("")
    done = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c",
         "import sys; from pathlib import Path; from hivemind_desktop.core.reveal import reveal;"
         f" print(reveal(Path({str(conf)!r}), 'linux'))"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("dark", [False, True])
def test_the_saved_buttons_at_hidpi_and_on_a_dark_palette(tmp_path: Path, dark: bool) -> None:
    import json
    import os

    shot = ARTIFACTS / f"wizard_wireguard_saved_hidpi{'_dark' if dark else ''}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("render_wireguard_page.py")),
         str(tmp_path / "cfg"), str(shot), *(["dark"] if dark else [])],
        capture_output=True, text=True, timeout=120, cwd=REPO, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2.0
    assert seen["visible"] and seen["inside"]
    assert seen["saved"] == str(tmp_path / "cfg" / vpn.DEFAULT_CONFIG_NAME)
    assert shot.stat().st_size > 10_000
    if dark:
        from PySide6.QtGui import QColor

        assert seen["window_colour"] < 80  # the dark theme really applied
        text = QColor(seen["message_style"].removeprefix("color: ").rstrip(";"))
        assert text.isValid() and text.lightness() - seen["window_colour"] > 100  # it reads

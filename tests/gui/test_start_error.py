"""A bad setting at start, as a volunteer who double-clicked the app meets it: a window
that says what is wrong and where to fix it (a windowed app on Windows/macOS has no
stderr). Real config files, the real `hivemind-desktop` entry, in this process
(offscreen) and as its own process on Xvfb at QT_SCALE_FACTOR=2. Screenshots go to
artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from hivemind_desktop import cli
from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.settings import SettingsError
from hivemind_desktop.gui.start_error import can_show_dialogs, problem_text, start_error_box
from tests.kit import REPO, wait_for
from tests.kit.xvfb import start_xvfb

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"
SCRIPT = Path(sys.executable).with_name("hivemind-desktop")


def load_error(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> SettingsError:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        settings_mod.load(env=env or {}, config_file=config)
    return caught.value


def test_dialogs_need_a_display_only_where_a_session_can_lack_one() -> None:
    assert can_show_dialogs("win32", {})
    assert can_show_dialogs("darwin", {})
    assert not can_show_dialogs("linux", {})  # an ssh session: Qt would abort the process
    assert can_show_dialogs("linux", {"DISPLAY": ":0"})
    assert can_show_dialogs("linux", {"WAYLAND_DISPLAY": "wayland-0"})
    assert can_show_dialogs("linux", {"QT_QPA_PLATFORM": "offscreen"})
    assert not can_show_dialogs("linux", {"QT_QPA_PLATFORM": "xcb"})


def test_each_kind_of_bad_setting_reads_as_a_sentence(tmp_path: Path, qapp) -> None:
    value = load_error(tmp_path, 'max_cpu_cores = "lots"\n')
    assert problem_text(value) == (
        "The config file sets “max_cpu_cores” to “lots”, which HiveMind cannot use. "
        "Allowed: a number of cores above 0."
    )
    unknown = load_error(tmp_path, "colour = 3\n")
    assert problem_text(unknown) == (
        "The config file has a setting HiveMind does not know: “colour”."
    )
    secret = load_error(tmp_path, 'password = "hunter2"\n')
    assert "hunter2" not in problem_text(secret)
    assert problem_text(secret).startswith("The config file contains a password.")
    broken = load_error(tmp_path, "node_port = 1\nthis is not toml\n")
    assert problem_text(broken) == (
        "The config file is not valid at line 2: each line must read name = value."
    )
    from_env = load_error(tmp_path, "", env={"NODE_PORT": "99999"})
    assert problem_text(from_env) == (
        "The environment variable NODE_PORT is “99999”, which HiveMind cannot use. "
        "Allowed: a port from 1 to 65535."
    )
    for error in (value, unknown, secret, broken, from_env):  # no programmer's notation
        text = problem_text(error)
        assert "='" not in text and "(config file" not in text and "Error" not in text


def close_box_when_shown(qapp, seen: list[QMessageBox], grab: str = "") -> QTimer:
    """Wait for the modal box the entry shows, record it (and a screenshot), close it."""
    timer = QTimer()

    def look() -> None:
        box = qapp.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            timer.stop()
            seen.append(box)
            if grab:
                ARTIFACTS.mkdir(exist_ok=True)
                QApplication.processEvents()
                assert box.grab().save(str(ARTIFACTS / grab))
            # what the volunteer reads, kept before the box is closed and deleted
            box.setProperty("seen", (box.windowTitle(), box.text(), box.informativeText()))
            box.button(QMessageBox.StandardButton.Close).click()

    timer.timeout.connect(look)
    timer.start(50)
    return timer


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_desktop_entry_shows_a_bad_config_in_a_dialog(
    tmp_path: Path, qapp, monkeypatch, language: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('max_memory_gb = "a lot"\n', encoding="utf-8")
    before = config.read_bytes()
    monkeypatch.setenv("HIVEMIND_LANGUAGE", language)
    seen: list[QMessageBox] = []
    timer = close_box_when_shown(qapp, seen, f"start_error_bad_config_{language}.png")
    try:
        assert cli.main(["--config", str(config)]) == 2
    finally:
        timer.stop()
    assert len(seen) == 1
    title, text, informative = seen[0].property("seen")
    assert str(config) in informative  # where to fix it, selectable to copy
    if language == "en":
        assert title == "HiveMind Desktop cannot start"
        assert text.startswith(
            "The config file sets “max_memory_gb” to “a lot”, which HiveMind cannot use. "
            "Allowed: "
        )
        assert informative.startswith("Correct or delete that line in the config file")
    else:
        assert title == "HiveMind Desktop 無法啟動"
        assert text.startswith("設定檔將「max_memory_gb」設為「a lot」")
    assert config.read_bytes() == before  # nothing changed
    assert (ARTIFACTS / f"start_error_bad_config_{language}.png").stat().st_size > 3_000
    assert QApplication.translate("StartError", "Allowed: %1.") == "Allowed: %1."  # en again


def test_the_headless_worker_and_commands_print_only(tmp_path: Path, qapp) -> None:
    config = tmp_path / "config.toml"
    config.write_text("node_port = -1\n", encoding="utf-8")
    seen: list[QMessageBox] = []
    timer = close_box_when_shown(qapp, seen)
    try:
        assert cli.main(["--config", str(config), "--headless"]) == 2
        assert cli.main(["--config", str(config), "status"]) == 2
    finally:
        timer.stop()
    assert seen == []


def test_the_dialog_reads_well_on_a_dark_palette_at_800x600(tmp_path: Path, qapp, qtbot) -> None:
    error = load_error(tmp_path, "colour = 3\n")
    old = qapp.palette()
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    try:
        box = start_error_box(error, tmp_path / "config.toml")
        qtbot.addWidget(box)
        box.show()
        QApplication.processEvents()
        assert box.width() <= 800 and box.height() <= 600  # fits the smallest screen
        ARTIFACTS.mkdir(exist_ok=True)
        assert box.grab().save(str(ARTIFACTS / "start_error_dark.png"))
        text_colour = box.palette().windowText().color()
        assert text_colour.lightness() - box.palette().window().color().lightness() > 100
        box.close()
    finally:
        qapp.setPalette(old)


@pytest.mark.xvfb
def test_a_double_clicked_app_with_a_bad_config_shows_a_window_at_hidpi(tmp_path: Path) -> None:
    """The real entry as its own process on an X server, scaled 2x: a window appears (the
    volunteer sees why), Return closes it, and the process ends with status 2."""
    config = tmp_path / "config.toml"
    config.write_text('language = "klingon"\n', encoding="utf-8")
    xvfb, display = start_xvfb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIVEMIND_", "QT_"))}
    env.update(
        DISPLAY=display,
        QT_SCALE_FACTOR="2",
        DBUS_SESSION_BUS_ADDRESS="disabled:",
        HIVEMIND_CONFIG_FILE=str(config),
        HIVEMIND_LANGUAGE="en",
    )
    app = subprocess.Popen(
        [str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:

        def window() -> str:
            done = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "cannot start"],
                env=env, capture_output=True, text=True, timeout=20,
            )  # fmt: skip
            return done.stdout.split()[0] if done.returncode == 0 and done.stdout else ""

        found = wait_for(window, "the start-error window", 60)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "start_error_xvfb_hidpi.png"
        subprocess.run(["import", "-window", found, str(shot)], env=env, check=True, timeout=30)
        assert shot.stat().st_size > 5_000
        assert app.poll() is None  # it waits for the volunteer
        subprocess.run(
            ["xdotool", "windowfocus", "--sync", found, "key", "Return"],
            env=env, timeout=20, check=False,
        )  # fmt: skip
        out, err = app.communicate(timeout=30)
        assert app.returncode == 2
        assert "language='klingon'" in err  # the terminal still gets the one line
        assert "Traceback" not in err
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        xvfb.terminate()
        xvfb.wait(10)

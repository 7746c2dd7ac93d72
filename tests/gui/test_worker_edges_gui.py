"""The desktop app at the worker's own edges: a data folder another worker holds, and a
status API port another program holds. Real processes, real sockets, a real Worker."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.kit import REPO, free_port
from tests.kit.desktop import make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 30_000
ARTIFACTS = REPO / "artifacts"
SCRIPT = Path(sys.executable).with_name("hivemind-desktop")


def start_headless(tmp_path: Path, data_dir: Path) -> subprocess.Popen:
    """A headless worker on `data_dir`, waited for until it serves."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVEMIND_")}
    env.update(
        HIVEMIND_CONFIG_FILE=str(tmp_path / "no-config.toml"),
        HIVEMIND_DATA_DIR=str(data_dir),
        HIVEMIND_LOG_DIR=str(tmp_path / "headless-logs"),
        HIVEMIND_ADVERTISE_ADDRESS="127.0.0.4",
        HIVEMIND_BUSY_CPU_PERCENT="0",
        HIVEMIND_ALLOWED_PEERS="127.0.0.1",
        NODE_PORT=str(free_port("127.0.0.4")),
        MASTER_ADDRESS=f"127.0.0.1:{free_port()}",
        FLASK_PORT="0",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    proc = subprocess.Popen([str(SCRIPT), "--headless"], env=env, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # the start-up line, once it serves
    assert "serving on" in line, line
    return proc


def test_a_data_folder_held_by_another_worker_is_a_message_box_then_quit(
    qtbot, tmp_path, test_credentials, task_image
):
    from hivemind_desktop.gui.app import DesktopApp

    settings = make_settings(tmp_path, f"127.0.0.1:{free_port()}")
    holder = start_headless(tmp_path, Path(settings.data_dir))
    try:
        app = DesktopApp(
            settings, credentials=test_credentials, config_file=tmp_path / "config.toml"
        )
        app.start(show_window=False)
        qtbot.waitUntil(lambda: app.start_failed_box is not None, timeout=WAIT)
        box = app.start_failed_box
        assert box.isVisible()
        assert box.icon() == QMessageBox.Icon.Critical
        assert box.text() == (
            f"HiveMind could not start: another HiveMind worker (process {holder.pid}) is "
            f"already using the data folder {settings.data_dir}: quit it first, or give "
            "this one its own folder (HIVEMIND_DATA_DIR)"
        )
        assert holder.poll() is None  # the first worker is untouched
        with qtbot.waitSignal(app.finished, timeout=WAIT):
            box.button(QMessageBox.StandardButton.Close).click()
        app.window.deleteLater()
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=60)


def test_a_taken_status_api_port_shows_the_port_used_instead_on_the_monitor_page(
    qtbot, tmp_path, make_desktop, task_image
):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        app = make_desktop(
            make_settings(tmp_path, f"127.0.0.1:{free_port()}").replace(status_port=port)
        )
        app.window.tabs.setCurrentWidget(app.window.monitor)  # it asks for health when shown
        label = app.window.monitor.status_api
        qtbot.waitUntil(lambda: label.text().startswith("on "), timeout=WAIT)
        match = re.fullmatch(
            rf"on http://127\.0\.0\.1:(\d+): port {port} is taken by another program \(on "
            r"macOS often the AirPlay Receiver\), so this one is used; `hivemind-desktop "
            r"status` finds it",
            label.text(),
        )
        assert match, label.text()
        used = int(match.group(1))
        assert used != port
        for size in (None, (800, 600)):  # the long line wraps inside the window
            if size:
                app.window.resize(*size)
            QApplication.processEvents()
            name = f"monitor_status_api_fallback{'_800x600' if size else ''}.png"
            ARTIFACTS.mkdir(exist_ok=True)
            assert app.window.grab().save(str(ARTIFACTS / name))
            corner = label.mapTo(app.window, label.rect().bottomRight())
            assert app.window.rect().contains(corner), name
        with socket.create_connection(("127.0.0.1", used), timeout=5):
            pass  # the API really listens there
        time.sleep(1)  # the core keeps running: a fresh snapshot still arrives
        with qtbot.waitSignal(app.bridge.snapshot_ready, timeout=WAIT):
            app.refresh_snapshot()
        assert app.bridge.violations == 0

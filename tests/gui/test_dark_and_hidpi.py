"""The changed screens on a dark theme and at HiDPI (QT_SCALE_FACTOR=2): status colours
from the palette (the sign-in dialog's keyring note, the wizard's messages), and the
Dashboard, sign-in, quit and its progress drawn at twice the scale without cut text.
Screenshots go to artifacts/."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from hivemind_desktop.gui.colours import error_background
from hivemind_desktop.gui.signin import SignInDialog
from hivemind_desktop.gui.wizard.common import Message
from tests.kit import REPO
from tests.kit.palette import dark_palette

pytestmark = pytest.mark.gui


def stylesheet_colour(widget) -> QColor:
    sheet = widget.styleSheet()
    assert sheet.startswith("color: "), sheet
    return QColor(sheet.removeprefix("color: ").rstrip(";"))


def test_status_colours_follow_a_dark_palette(qtbot, qapp, translations):
    assert translations.install("zh_TW")
    old = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        dialog = SignInDialog()
        qtbot.addWidget(dialog)
        dialog.set_pool("10.0.0.1:50051")
        dialog.prefill("vol")
        dialog.set_keyring_unavailable("沒有金鑰圈服務。")
        dialog.show()
        background = dialog.palette().window().color()
        note = stylesheet_colour(dialog.keyring_note)
        assert note.lightness() - background.lightness() > 100, note.name()
        QApplication.processEvents()
        (REPO / "artifacts").mkdir(exist_ok=True)
        assert dialog.grab().save(str(REPO / "artifacts" / "sign_in_dark_zh_TW.png"))
        for kind in ("error", "ok", "warning"):
            message = Message(f"m-{kind}")
            qtbot.addWidget(message)
            message.show_text("text", kind)
            colour = stylesheet_colour(message)
            assert colour.lightness() - background.lightness() > 100, (kind, colour.name())
        # the WireGuard editor's line in error: a dark red behind light text on a dark theme
        behind = QColor(error_background(dialog.palette()))
        assert dialog.palette().text().color().lightness() - behind.lightness() > 100
    finally:
        qapp.setPalette(old)
    light = Message("m-light")  # and on a light theme, a dark tone
    qtbot.addWidget(light)
    light.show_text("text", "error")
    assert stylesheet_colour(light).lightness() < 100


@pytest.mark.parametrize(
    ("language", "finish", "waiting"),
    [
        ("en", "Finish running tasks, then quit", "Waiting for 1 task"),
        ("zh_TW", "完成執行中的任務後結束", "正在等待 1 個任務完成"),
    ],
)
def test_changed_screens_at_hidpi(tmp_path, language, finish, waiting):
    # a 2560x1600 screen at scale 2 (1280x800 logical), as a HiDPI laptop has: the
    # offscreen default (800x600 pixels) would leave 400x300 logical pixels
    screens = tmp_path / "screens.json"
    screens.write_text(
        json.dumps({"screens": [{"name": "hidpi", "x": 0, "y": 0, "width": 2560, "height": 1600,
                                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})
    )  # fmt: skip
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "2",
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
    }
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "gui" / "hidpi_shots.py"), language],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ratio"] == 2
    assert out["legend_above_frame"] and out["legend_inside"]
    assert out["headroom_px"] > 0
    assert out["cpu_plot_height"] > 4 * out["gpu_chart_height"]
    assert out["signin_fits"] and out["signin_pool"] == "10.0.0.1:50051"
    assert out["quit_buttons_fit"] and out["finish_text"] == finish
    assert out["progress_text"].startswith(waiting)
    for name in ("dashboard", "sign_in", "quit", "quit_progress"):
        assert (REPO / "artifacts" / f"hidpi_{name}_{language}.png").stat().st_size > 3000

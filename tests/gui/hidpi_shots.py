"""Run in a process of its own (QT_SCALE_FACTOR must be set before Qt starts): draws the
screens changed for the account, charts and quit at 800x600 logical pixels, saves them to
artifacts/ and prints what test_dark_and_hidpi checks, one JSON object.

Usage: QT_SCALE_FACTOR=2 python tests/gui/hidpi_shots.py LANGUAGE
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the test passes a HiDPI screen

from PySide6.QtWidgets import QApplication  # noqa: E402

from hivemind_desktop.core.models import Resources, TaskRecord, TaskState  # noqa: E402
from hivemind_desktop.core.monitor import Sample  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402
from hivemind_desktop.gui import resources  # noqa: E402
from hivemind_desktop.gui.leaving import LeavingProgress, quit_box  # noqa: E402
from hivemind_desktop.gui.main_window import MainWindow  # noqa: E402
from hivemind_desktop.gui.signin import SignInDialog  # noqa: E402
from hivemind_desktop.gui.state import AppState  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def main(language: str) -> int:
    app = QApplication(sys.argv[:1])
    translations = resources.Translations()
    assert translations.install(language)
    ARTIFACTS.mkdir(exist_ok=True)
    out: dict[str, object] = {"ratio": app.devicePixelRatio()}

    state = AppState()
    now = time.time()
    for i in range(120):
        state.on_core_event(
            "sample",
            {
                "sample": Sample(
                    now - 120 + i, 100.0, 40.0, 8, 100, None, None, tasks_cpu_percent=60.0
                )
            },
        )
    state.tasks["t1"] = TaskRecord("t1", TaskState.RUNNING, Resources(100, 1, 0, 0), now - 30)
    window = MainWindow(state, Settings(language=language))
    window.resize(800, 600)
    window.show()
    app.processEvents()
    dash = window.dashboard
    plot = dash.cpu_chart.plot
    g = plot.geometry_for(plot.width(), plot.height(), plot.fontMetrics())
    out["gpu_chart_height"] = dash.gpu_chart.height()
    out["cpu_plot_height"] = plot.height()
    out["legend_above_frame"] = all(box.bottom() <= g.frame.top() for box in g.legend)
    out["legend_inside"] = all(box.right() <= plot.width() for box in g.legend)
    out["headroom_px"] = g.y_of(100) - g.frame.top()
    window.grab().save(str(ARTIFACTS / f"hidpi_dashboard_{language}.png"))

    dialog = SignInDialog()
    dialog.set_pool("10.0.0.1:50051")
    dialog.prefill("vol")
    dialog.show()
    app.processEvents()
    out["signin_fits"] = (
        all(w.width() >= w.sizeHint().width() for w in (dialog.pool, dialog.remember, dialog.intro))
        or dialog.intro.wordWrap()
    )
    out["signin_pool"] = dialog.pool.text()
    dialog.grab().save(str(ARTIFACTS / f"hidpi_sign_in_{language}.png"))

    box, finish = quit_box(None, 1)
    box.show()
    app.processEvents()
    out["quit_buttons_fit"] = all(b.width() >= b.sizeHint().width() for b in box.buttons())
    out["finish_text"] = finish.text()
    box.grab().save(str(ARTIFACTS / f"hidpi_quit_{language}.png"))

    progress = LeavingProgress(state, finishing=True)
    progress.show()
    app.processEvents()
    out["progress_text"] = progress.message.text()
    progress.grab().save(str(ARTIFACTS / f"hidpi_quit_progress_{language}.png"))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "en"))

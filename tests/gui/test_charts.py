"""The Dashboard's charts as a volunteer sees them: a 0-100 % axis labelled at both ends
with room above 100 %, the legend outside the curves, HiveMind's own CPU share beside the
machine's, a one-line GPU note instead of a big empty box, and the system's dark palette.

Screenshots go to artifacts/ (English, zh_TW, 800x600, dark; HiDPI in test_hidpi_shots).
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.monitor import Sample
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.charts import LiveChart, is_dark
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState
from tests.kit import REPO
from tests.kit.palette import dark_palette

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "artifacts"


def feed(state: AppState, seconds: int = 120, gpu: bool = False) -> None:
    """Samples as the core's monitor publishes them: the machine at 100 % at the end,
    HiveMind's tasks a part of it."""
    now = time.time()
    for i in range(seconds):
        cpu = 100.0 if i > seconds - 20 else 30.0 + (i % 10)
        state.on_core_event(
            "sample",
            {
                "sample": Sample(
                    now - seconds + i,
                    cpu,
                    45.0,
                    8.0,
                    100.0,
                    55.0 if gpu else None,
                    20.0 if gpu else None,
                    tasks_cpu_percent=cpu * 0.6,
                )
            },
        )


def save(widget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert widget.grab().save(str(ARTIFACTS / name))


def test_the_axis_is_labelled_0_to_100_with_headroom_and_the_legend_is_outside(qtbot):
    chart = LiveChart(
        "CPU and memory", ["CPU % (whole computer)", "HiveMind tasks CPU %", "Memory %"]
    )
    qtbot.addWidget(chart)
    chart.set_axis_label("seconds ago (last 10 minutes)")
    chart.resize(700, 260)
    chart.show()
    chart.update_series(100.0, [99.0, 100.0], [[100, 100], [60, 60], [40, 40]])
    plot = chart.plot
    g = plot.geometry_for(plot.width(), plot.height(), plot.fontMetrics())
    inside = QRectF(0, 0, plot.width(), plot.height())
    assert [value for value, _ in g.y_labels] == [0, 20, 40, 60, 80, 100]
    for _value, box in g.y_labels:  # every label, 0 and 100 included, fits in the widget
        assert inside.contains(box), box
    line = plot.fontMetrics().height()
    assert g.y_of(100) - g.frame.top() >= line / 4  # 100 % is not drawn on the frame's edge
    assert g.y_of(0) == pytest.approx(g.frame.bottom())
    assert len(g.legend) == 3
    for box in g.legend:  # above the frame, never over the curves
        assert box.bottom() <= g.frame.top() and inside.contains(box)
    assert plot.series[1] == [60, 60]


def test_hivemind_share_beside_the_machine_and_gpu_note_collapsed(qtbot, translations):
    assert translations.install("en")
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    feed(state)
    QApplication.processEvents()
    dash = window.dashboard
    assert dash.cpu_chart.plot.names[1] == "HiveMind tasks CPU %"
    assert dash.cpu_chart.plot.series[1][-1] == pytest.approx(60.0)
    assert dash.gpu_chart.message == "No NVIDIA GPU found"
    line = dash.fontMetrics().height()
    # one line of note (wrapped at most twice), the room goes to the CPU chart
    assert dash.gpu_chart.height() <= 3 * line + 4, dash.gpu_chart.height()
    assert dash.cpu_chart.plot.height() >= 180
    assert dash.cpu_chart.plot.height() > 4 * dash.gpu_chart.height()
    save(window, "dashboard_charts_800x600_en.png")

    # a GPU appears later (a driver installed): the plot comes back at full size
    feed(state, seconds=5, gpu=True)
    QApplication.processEvents()
    assert dash.gpu_chart.message == ""
    assert dash.gpu_chart.plot.isVisible() and dash.gpu_chart.plot.height() >= 180


def test_charts_in_traditional_chinese(qtbot, translations):
    assert translations.install("zh_TW")
    state = AppState()
    window = MainWindow(state, Settings(language="zh_TW"))
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    feed(state)
    dash = window.dashboard
    assert dash.cpu_chart.plot.names == ["CPU %（整台電腦）", "HiveMind 任務 CPU %", "記憶體 %"]
    assert dash.gpu_chart.message == "找不到 NVIDIA GPU"
    plot = dash.cpu_chart.plot
    g = plot.geometry_for(plot.width(), plot.height(), plot.fontMetrics())
    assert all(box.bottom() <= g.frame.top() for box in g.legend)
    save(window, "dashboard_charts_800x600_zh_TW.png")


def test_the_chart_follows_a_dark_palette(qtbot, qapp, translations):
    assert translations.install("en")
    old = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        state = AppState()
        window = MainWindow(state, Settings())
        qtbot.addWidget(window)
        window.resize(800, 600)
        window.show()
        feed(state)
        QApplication.processEvents()
        plot = window.dashboard.cpu_chart.plot
        assert is_dark(plot.palette())
        image = plot.grab().toImage()
        g = plot.geometry_for(plot.width(), plot.height(), plot.fontMetrics())
        # inside the frame, between grid lines and away from the curves: the background
        corner = image.pixelColor(int(g.frame.left()) + 7, int(g.y_of(10)))
        assert corner.lightness() < 90, corner.name()
        # the title's text is light on the dark background
        lightest = max(
            image.pixelColor(x, y).lightness()
            for x in range(plot.width() // 3, 2 * plot.width() // 3)
            for y in range(2, plot.fontMetrics().height())
        )
        assert lightest > 180
        save(window, "dashboard_charts_dark.png")
    finally:
        qapp.setPalette(old)

"""The main window on its Computers page on a real X display, for test_computers_xvfb
(run as a process: this test process is offscreen).

argv: COMPUTERS_JSON SCREENSHOT EXPECT_ONLINE EXPECT_OFFLINE
Watches the computers in COMPUTERS_JSON (tokens from the session's keyring) until
EXPECT_ONLINE cards answer and EXPECT_OFFLINE show as offline (or 60 s pass), saves a
screenshot of the window and prints each card's lines as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.credentials import Secrets
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.fleet_model import FleetModel
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState

if __name__ == "__main__":
    book, shot, online, offline = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    app = QApplication([sys.argv[0]])
    fleet = FleetModel(Path(book), Secrets(), poll_s=0.5)
    window = MainWindow(AppState(), Settings(language="en"), fleet=fleet)
    window.show()
    window.tabs.setCurrentWidget(window.computers)
    cards = window.computers.cards

    def done() -> bool:
        up = sum(c.view.online and c.cpu_chart.points >= 2 for c in cards.values())
        down = sum(c.view.error is not None for c in cards.values())
        return up >= online and down >= offline

    end = time.monotonic() + 60
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    window.grab().save(shot)
    for card in cards.values():  # what a volunteer sees on scrolling to each card
        window.computers.scroll_area.ensureWidgetVisible(card)
        app.processEvents()
    report = {
        key: {
            "online": card.view.online,
            "title": card.title.text(),
            "state": card.state.text(),
            "problem": card.problem.text(),
            "card_width": card.width(),
            "window": [window.width(), window.height()],
            "platform": QApplication.platformName(),
            "dpr": window.devicePixelRatioF(),
        }
        for key, card in cards.items()
    }
    print(json.dumps(report))
    fleet.stop()
    window.close()

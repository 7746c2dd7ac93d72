"""The main window: an account bar over the pages (Dashboard, Tasks, Statistics, Monitor,
Logs, Settings); Ctrl+1 … Ctrl+9 open the pages in order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui import help_texts, resources
from hivemind_desktop.gui.fleet_model import FleetModel
from hivemind_desktop.gui.pages.computers import ComputersPage
from hivemind_desktop.gui.pages.dashboard import DashboardPage
from hivemind_desktop.gui.pages.logs import LogsPage
from hivemind_desktop.gui.pages.monitor import MonitorPage
from hivemind_desktop.gui.pages.settings import SettingsPage
from hivemind_desktop.gui.pages.statistics import StatisticsPage
from hivemind_desktop.gui.pages.tasks import TasksPage
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import state_line


class MainWindow(QMainWindow):
    sign_in_clicked = Signal()
    sign_out_clicked = Signal()
    pause_clicked = Signal()
    resume_clicked = Signal()
    close_requested = Signal()  # the window's close button: hide to tray or quit (app decides)

    def __init__(
        self,
        state: AppState,
        settings: Settings,
        parent: QWidget | None = None,
        fleet: FleetModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle(self.tr("HiveMind Desktop"))
        self.setWindowIcon(resources.icon("app"))
        self.resize(960, 720)

        self.account = QLabel()
        self.state_label = QLabel()
        self.sign_button = QPushButton()
        self.pause_button = QPushButton()
        bar = QHBoxLayout()
        bar.addWidget(self.account)
        bar.addStretch(1)
        bar.addWidget(self.state_label)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.sign_button)

        self.dashboard = DashboardPage(state)
        self.tasks = TasksPage(state)
        self.monitor = MonitorPage(state)
        self.logs = LogsPage(state, settings)
        self.statistics = StatisticsPage(state, settings.trust_threshold)
        self.settings_page = SettingsPage(settings)
        help_texts.apply_settings_help(self.settings_page)
        self.dashboard.trust.setToolTip(help_texts.trust())
        self.dashboard.balance.setToolTip(help_texts.cpt())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        self.tabs.addTab(self.tasks, self.tr("Tasks"))
        self.tabs.addTab(self.statistics, self.tr("Statistics"))
        self.tabs.addTab(self.monitor, self.tr("Monitor"))
        self.tabs.addTab(self.logs, self.tr("Logs"))
        self.tabs.addTab(self.settings_page, self.tr("Settings"))
        # Paired computers; the app passes its own model, which outlives this window.
        self.fleet = fleet if fleet is not None else FleetModel(parent=self)
        self.computers = ComputersPage(self.fleet)
        self.tabs.addTab(self.computers, self.tr("Computers"))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.page_shortcuts = [  # however many pages there are, in tab order
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda i=n - 1: self.tabs.setCurrentIndex(i))
            for n in range(1, min(self.tabs.count(), 9) + 1)
        ]
        for n in range(min(self.tabs.count(), 9)):
            self.tabs.setTabToolTip(
                n, QKeySequence(f"Ctrl+{n + 1}").toString(QKeySequence.SequenceFormat.NativeText)
            )
        self.notice = QLabel()
        self.notice.setWordWrap(True)  # a long notice takes a second line, never cut off
        self.statusBar().addWidget(self.notice, 1)

        self.sign_button.clicked.connect(self._sign_clicked)
        self.pause_button.clicked.connect(self._pause_clicked)
        state.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        s = self.state
        if s.signed_in:
            self.account.setText(self.tr("Signed in as %1").replace("%1", s.username or s.node_id))
            self.sign_button.setText(self.tr("Sign out"))
        else:
            self.account.setText(self.tr("Not signed in"))
            self.sign_button.setText(self.tr("Sign in…"))
        self.state_label.setText(state_line(s.overall, s.state_detail))
        self.pause_button.setText(self.tr("Resume") if s.paused else self.tr("Pause"))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _sign_clicked(self) -> None:
        (self.sign_out_clicked if self.state.signed_in else self.sign_in_clicked).emit()

    def _pause_clicked(self) -> None:
        (self.resume_clicked if self.state.paused else self.pause_clicked).emit()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        event.ignore()
        self.close_requested.emit()

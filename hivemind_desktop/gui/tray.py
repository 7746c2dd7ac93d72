"""The tray icon: state at a glance, Pause/Resume, snooze, sign in, recent activity, open
the window, quit.

Where the desktop has no tray (GNOME without an extension, some Wayland sessions)
the app says so once and lives in its window and the taskbar instead.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from hivemind_desktop.gui import resources
from hivemind_desktop.gui.state import ICONS, AppState, icon_name
from hivemind_desktop.gui.texts import pool_state_text, state_line
from hivemind_desktop.gui.tray_activity import activity_line, recent_tasks


def tray_icon_name(state_icon: str, platform: str) -> str:
    """The macOS menu bar shows template images (black and clear, tinted by the system
    for a light or dark bar); other trays show the coloured icons."""
    return f"{state_icon}-template" if platform == "darwin" else state_icon


def opens_window(reason: str, platform: str) -> bool:
    """Whether an activation of the icon ("trigger", "double-click", "context", "middle")
    opens the window. On macOS a click opens the menu bar item's menu and Qt reports it as
    a Trigger too: follow the platform, the menu only (it has "Open HiveMind")."""
    if platform == "darwin":
        return False
    return reason in ("trigger", "double-click")


_REASONS = {
    QSystemTrayIcon.ActivationReason.Trigger: "trigger",
    QSystemTrayIcon.ActivationReason.DoubleClick: "double-click",
    QSystemTrayIcon.ActivationReason.Context: "context",
    QSystemTrayIcon.ActivationReason.MiddleClick: "middle",
}


class Tray(QObject):
    open_requested = Signal()
    sign_in_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    snooze_requested = Signal(str)  # "hour" or "tomorrow" (the core's Worker.snooze)
    unsnooze_requested = Signal()
    quit_requested = Signal()
    appeared = Signal()  # a tray host came up after the app (start at login)
    notified = Signal(str, str)  # title, text: a balloon was shown

    def __init__(
        self, state: AppState, parent: QObject | None = None, platform: str = sys.platform
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.platform = platform
        self.icons = {name: resources.icon(tray_icon_name(name, platform)) for name in ICONS}
        if platform == "darwin":
            for icon in self.icons.values():
                icon.setIsMask(True)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(self.icons[icon_name(state.overall)], self)
        self.menu = QMenu()
        self.status_action = QAction(self.menu)
        self.status_action.setEnabled(False)
        self.pause_action = QAction(self.menu)
        self.snooze_hour_action = QAction(self.menu)
        self.snooze_tomorrow_action = QAction(self.menu)
        self.unsnooze_action = QAction(self.menu)  # "Resume now", shown while snoozed
        self.open_action = QAction(self.menu)
        self.quit_action = QAction(self.menu)
        self.sign_in_action = QAction(self.menu)  # shown while signed out
        self.recent_menu = QMenu(self.menu)
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        for action in (
            self.status_action,
            None,
            self.pause_action,
            self.snooze_hour_action,
            self.snooze_tomorrow_action,
            self.unsnooze_action,
            self.open_action,
            self.sign_in_action,  # below the first entries: their places stay put
            self.recent_menu.menuAction(),
            None,
            self.quit_action,
        ):
            if action is None:
                self.menu.addSeparator()
            else:
                self.menu.addAction(action)
        self.icon.setContextMenu(self.menu)
        self.pause_action.triggered.connect(self._toggle_pause)
        self.snooze_hour_action.triggered.connect(lambda: self.snooze_requested.emit("hour"))
        self.snooze_tomorrow_action.triggered.connect(
            lambda: self.snooze_requested.emit("tomorrow")
        )
        self.unsnooze_action.triggered.connect(self.unsnooze_requested.emit)
        self.open_action.triggered.connect(self.open_requested.emit)
        self.sign_in_action.triggered.connect(self.sign_in_requested.emit)
        self.quit_action.triggered.connect(self.quit_requested.emit)
        self.icon.activated.connect(self._activated)
        state.changed.connect(self.refresh)
        self.shown_state = ""
        self.retranslate()

    def show(self) -> bool:
        """Show the icon if there is a tray; False (and nothing shown) where there is none."""
        if self.available:
            self.icon.show()
        return self.available

    def hide(self) -> None:
        self.icon.hide()

    def watch_for_tray(self, every_ms: int = 2000, for_s: float = 120.0) -> None:
        """At login the panel often comes up after the app: keep looking for a tray a
        while, and move into it when it appears."""
        self._watch_until = time.monotonic() + for_s
        self._watch = QTimer(self)
        self._watch.setInterval(every_ms)
        self._watch.timeout.connect(self._look_for_tray)
        self._watch.start()

    def _look_for_tray(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._watch.stop()
            self.available = True
            self.icon.show()
            self.appeared.emit()
        elif time.monotonic() > self._watch_until:
            self._watch.stop()

    def retranslate(self) -> None:
        self.open_action.setText(self.tr("Open HiveMind"))
        self.snooze_hour_action.setText(self.tr("Snooze for 1 hour"))
        self.snooze_tomorrow_action.setText(self.tr("Snooze until tomorrow"))
        self.unsnooze_action.setText(self.tr("Resume now"))
        self.quit_action.setText(self.tr("Quit"))
        self.sign_in_action.setText(self.tr("Sign in…"))
        self.recent_menu.setTitle(self.tr("Recent activity"))
        self.refresh()

    def refresh(self) -> None:
        s = self.state
        overall = s.overall
        if overall != self.shown_state:
            self.icon.setIcon(self.icons[icon_name(overall)])
            self.shown_state = overall
        self.status_action.setText(state_line(overall, s.state_detail))
        self.pause_action.setText(self.tr("Resume") if s.paused else self.tr("Pause"))
        self.snooze_hour_action.setVisible(not s.snoozed)
        self.snooze_tomorrow_action.setVisible(not s.snoozed)
        self.unsnooze_action.setVisible(s.snoozed)
        self.sign_in_action.setVisible(not s.signed_in)
        self.icon.setToolTip(self.tooltip())

    def fill_recent(self) -> None:
        """The last tasks, one line each (clicking one opens the window); filled as the
        menu opens, so it costs nothing while nobody looks."""
        self.recent_menu.clear()
        tasks = recent_tasks(self.state.tasks.values())
        if not tasks:
            self.recent_menu.addAction(self.tr("No tasks yet")).setEnabled(False)
        for task in tasks:
            self.recent_menu.addAction(activity_line(task), self.open_requested.emit)

    def tooltip(self) -> str:
        s = self.state
        lines = [
            self.tr("HiveMind: %1").replace("%1", state_line(s.overall, s.state_detail)),
            self.tr("Running tasks: %1").replace("%1", str(s.running_count)),
            self.tr("Node pool: %1").replace("%1", pool_state_text(s.pool_state)),
        ]
        if s.error:
            lines.append(s.error)
        return "\n".join(lines)

    def notify(self, title: str, text: str, critical: bool = False) -> None:
        icon = (
            QSystemTrayIcon.MessageIcon.Critical
            if critical
            else QSystemTrayIcon.MessageIcon.Information
        )
        if self.icon.isVisible():
            self.icon.showMessage(title, text, icon, 8000)
            self.notified.emit(title, text)

    def _toggle_pause(self) -> None:
        if self.state.paused:
            self.resume_requested.emit()
        else:
            self.pause_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if opens_window(_REASONS.get(reason, ""), self.platform):
            self.open_requested.emit()

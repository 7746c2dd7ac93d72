"""Leaving, as a volunteer sees it: the sign-out confirmation, the quit choice ("finish
running tasks, then quit" or "stop tasks and quit") and the progress shown while tasks end.

The count is of tasks whose container still works (received to running): a task that is
uploading has finished its work, and its result waits in the outbox across a restart.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.gui.state import AppState

WORKING = frozenset(
    {TaskState.RECEIVED, TaskState.ADMITTED, TaskState.PREPARING, TaskState.RUNNING}
)


def working_count(state: AppState) -> int:
    """Tasks whose container is still at work (what quitting or signing out would stop)."""
    return sum(1 for t in state.tasks.values() if t.state in WORKING)


def sign_out_box(parent: QWidget | None, running: int) -> QMessageBox:
    """Ask before signing out while tasks run: signing out stops them."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("Leaving", "Sign out"),
        QCoreApplication.translate(
            "Leaving",
            "%n task(s) are running. Signing out stops them and sends what they produced "
            "so far back to the node pool.",
            "",
            running,
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.button(QMessageBox.StandardButton.Yes).setText(
        QCoreApplication.translate("Leaving", "Stop tasks and sign out")
    )
    box.button(QMessageBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("Leaving", "Cancel")
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


def quit_box(parent: QWidget | None, running: int) -> tuple[QMessageBox, QPushButton]:
    """Ask how to quit while tasks run. Yes stops them now (their partial results go back);
    the returned button lets them finish first, taking no new ones meanwhile."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("Leaving", "Quit HiveMind"),
        QCoreApplication.translate(
            "Leaving",
            "%n task(s) are running. HiveMind can let them finish (it takes no new tasks "
            "meanwhile), or stop them now and send what they produced so far back to the "
            "node pool.",
            "",
            running,
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    finish = box.addButton(
        QCoreApplication.translate("Leaving", "Finish running tasks, then quit"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.button(QMessageBox.StandardButton.Yes).setText(
        QCoreApplication.translate("Leaving", "Stop tasks and quit")
    )
    box.button(QMessageBox.StandardButton.No).setText(
        QCoreApplication.translate("Leaving", "Cancel")
    )
    box.setDefaultButton(finish)
    return box, finish


class LeavingProgress(QDialog):
    """What happens while HiveMind quits: how many tasks are left, and in "finish" mode a
    way to stop them now instead of waiting."""

    stop_now = Signal()

    def __init__(self, state: AppState, finishing: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.finishing = finishing
        self.total = max(1, working_count(state))
        self.setWindowTitle(self.tr("Quitting HiveMind"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, self.total)
        self.bar.setFormat("%v / %m")  # tasks ended of those there were
        self.stop_button = QPushButton(self.tr("Stop them now and quit"))
        self.stop_button.setVisible(finishing)
        self.stop_button.clicked.connect(self._stop_now)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)
        state.changed.connect(self.refresh)
        state.task_changed.connect(self.refresh)
        self.refresh()

    @property
    def remaining(self) -> int:
        return working_count(self.state)

    def refresh(self, *_args: object) -> None:
        left = self.remaining
        self.bar.setValue(self.total - min(left, self.total))
        if left == 0:
            self.message.setText(self.tr("Shutting down…"))
        elif self.finishing:
            self.message.setText(
                self.tr("Waiting for %n task(s) to finish; no new tasks are taken.", "", left)
            )
        else:
            self.message.setText(
                self.tr("Stopping %n task(s) and sending their results…", "", left)
            )

    def _stop_now(self) -> None:
        self.finishing = False
        self.stop_button.hide()
        self.refresh()
        self.stop_now.emit()

    def reject(self) -> None:  # Escape or the close button: quitting goes on
        pass

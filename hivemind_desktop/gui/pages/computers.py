"""Computers: other workers paired with this app, one card each, watched at a glance.

Each card shows the worker's state, tasks, CPU/memory/GPU (the Dashboard's charts),
trust and earnings, and offers pause/resume and stopping a task where the pairing
allows it. A computer that stops answering shows as offline with the time it was last
seen; every problem is a line of text on its card, never a dialog.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.core.remote.access import LinkError, PairingLink, parse_link
from hivemind_desktop.gui.charts import LiveChart
from hivemind_desktop.gui.fleet_model import ComputerView, FleetModel
from hivemind_desktop.gui.texts import state_line

ERROR_STYLE = "color: #d93025;"  # reads on light and dark windows alike
PAIRING_FILE_MAX = 4096
# Points per curve on a card's chart: about one per 4 s of the ten minutes. A card's chart
# is half as wide as the Dashboard's, and on the 2-core development machine a paint of
# 300 points per curve took 4-10 ms against 2-3 ms for 150: a stall the window would feel.
CARD_POINTS = 150


def error_text(error: FleetError, last_seen: float | None = None) -> str:
    """One line for the volunteer: what happened and what to do."""
    if error.kind == client.OFFLINE:
        if last_seen is None:
            return QCoreApplication.translate("Computers", "Offline: it has not answered yet")
        return QCoreApplication.translate("Computers", "Offline: last seen %1").replace(
            "%1", seen_text(last_seen)
        )
    words = {
        client.CERT_CHANGED: QCoreApplication.translate(
            "Computers",
            "Its certificate changed (reinstalled, or someone in between): remove it and "
            "pair it again if you trust it",
        ),
        client.WRONG_TOKEN: QCoreApplication.translate(
            "Computers", "It refused this app's token: remove it and pair it again"
        ),
        client.REVOKED: QCoreApplication.translate(
            "Computers", "Its pairing was withdrawn on that computer: pair it again"
        ),
        client.NOT_PERMITTED: QCoreApplication.translate(
            "Computers",
            "Not permitted: on that computer run 'hivemind-desktop pair --control' and pair "
            "again to pause or stop tasks",
        ),
        client.CODE_EXPIRED: QCoreApplication.translate(
            "Computers",
            "The pairing code has expired: run 'hivemind-desktop pair' on that computer again",
        ),
        client.WRONG_CODE: QCoreApplication.translate(
            "Computers",
            "The pairing code is not valid (mistyped or used already): run "
            "'hivemind-desktop pair' on that computer again",
        ),
        client.NO_TOKEN: QCoreApplication.translate(
            "Computers", "Its token is not in the keyring: remove it and pair it again"
        ),
    }
    return words.get(error.kind) or QCoreApplication.translate("Computers", "Problem: %1").replace(
        "%1", str(error)
    )


def seen_text(when: float, now: float | None = None) -> str:
    age = (now or time.time()) - when
    fmt = "%H:%M:%S" if age < 20 * 3600 else "%Y-%m-%d %H:%M"
    return time.strftime(fmt, time.localtime(when))


class AddComputerDialog(QDialog):
    """Type the code `hivemind-desktop pair` printed, or open its pairing file."""

    def __init__(self, fleet: FleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        self.setWindowTitle(self.tr("Add a computer"))
        self.setModal(True)
        intro = QLabel(
            self.tr(
                "On the computer to watch, turn on remote access (HIVEMIND_REMOTE_API_ADDRESS, "
                "e.g. its WireGuard address) and run 'hivemind-desktop pair' (add --control "
                "to allow pausing and stopping tasks). Enter the code it prints, or open the "
                "pairing file it wrote. A code works once, for ten minutes."
            )
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef")
        self.open_file = QPushButton(self.tr("Open pairing file…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("pairMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.pair_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.pair_button.setText(self.tr("Pair"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.open_file)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.open_file.clicked.connect(self._choose_file)
        fleet.pair_finished.connect(self._finished)
        self._link_from_file: PairingLink | None = None
        self.resize(560, self.sizeHint().height())

    def submit(self) -> None:
        try:
            link = self._link_from_file or parse_link(self.code.text())
        except LinkError as exc:
            self._show_error(
                self.tr("This is not a pairing code: %1").replace("%1", self._why(exc))
            )
            return
        self.pair_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Pairing with %1…").replace("%1", link.host))
        self.fleet.pair(link, socket.gethostname() or "desktop")

    def read_file(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read(PAIRING_FILE_MAX + 1)
            if len(text) > PAIRING_FILE_MAX:
                raise ValueError(self.tr("the file is too large"))
            self._link_from_file = parse_link(text)
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            self._link_from_file = None
            if isinstance(exc, LinkError):
                reason = self._why(exc)
            elif isinstance(exc, OSError):
                reason = exc.strerror or self.tr("it cannot be read")
            elif isinstance(exc, UnicodeDecodeError):
                reason = self._why(LinkError("file", ""))
            else:
                reason = str(exc)  # our own "too large"
            self._show_error(self.tr("This pairing file cannot be used: %1").replace("%1", reason))
            return
        self.code.setText(self._link_from_file.text())
        self.code.setEnabled(False)
        self.message.setText("")

    def _why(self, exc: LinkError) -> str:
        words = {
            "shape": self.tr(
                "a pairing code looks like 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef"
            ),
            "file": self.tr("this is not a HiveMind pairing file"),
            "host": self.tr("it must start with the worker's IP address, e.g. 10.0.0.2:5443"),
            "port": self.tr("its port is not between 1 and 65535"),
            "incomplete": self.tr("it is incomplete: copy all of it"),
            "damaged": self.tr("its last part (the certificate check) is damaged"),
        }
        return words.get(exc.reason, str(exc))

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open pairing file"))
        if path:
            self.read_file(path)

    def _finished(self, key: str, error: FleetError | None) -> None:
        self.pair_button.setEnabled(True)
        if error is not None:
            self._show_error(error_text(error))
            return
        self.accept()

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)


class ComputerCard(QFrame):
    def __init__(self, fleet: FleetModel, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet, self.key = fleet, key
        self.setObjectName("computerCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.address = QLabel(key)
        self.state = QLabel()
        self.tasks = QLabel()
        self.machine = QLabel()
        self.standing = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("computerProblem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        for label in (self.state, self.tasks, self.machine, self.standing):
            label.setWordWrap(True)
        self.cpu_chart = LiveChart(
            self.tr("CPU and memory"), [self.tr("CPU %"), self.tr("Memory %")]
        )
        self.gpu_chart = LiveChart(
            self.tr("GPU"), [self.tr("GPU utilisation %"), self.tr("GPU memory %")]
        )
        for chart in (self.cpu_chart, self.gpu_chart):
            chart.set_axis_label(self.tr("seconds ago (last 10 minutes)"))
            chart.setMinimumHeight(170)
            chart.setMinimumWidth(300)
        self.pause_button = QPushButton()
        self.task_choice = QComboBox()
        self.task_choice.setMinimumContentsLength(12)
        self.stop_button = QPushButton(self.tr("Stop task"))
        self.remove_button = QPushButton(self.tr("Remove"))

        # Text and controls on the left, the charts beside them: a card stays about as
        # tall as one chart (two with a GPU), so several fit on a screen.
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.address, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.pause_button)
        controls.addWidget(self.task_choice, 1)
        controls.addWidget(self.stop_button)
        text = QVBoxLayout()
        text.addLayout(head)
        for label in (self.state, self.problem, self.tasks, self.machine, self.standing):
            text.addWidget(label)
        text.addStretch(1)
        text.addLayout(controls)
        ends = QHBoxLayout()
        ends.addStretch(1)
        ends.addWidget(self.remove_button)
        text.addLayout(ends)
        charts = QVBoxLayout()
        charts.addWidget(self.cpu_chart)
        charts.addWidget(self.gpu_chart)  # shown only for a computer with an NVIDIA GPU
        self.gpu_chart.hide()
        layout = QHBoxLayout(self)
        layout.addLayout(text, 2)
        layout.addLayout(charts, 3)

        self.pause_button.clicked.connect(self._pause_clicked)
        self.stop_button.clicked.connect(self._stop_clicked)
        self.remove_button.clicked.connect(lambda: self.fleet.remove(self.key))
        self.command_message = ""
        self.confirm_box: QMessageBox | None = None
        self.refresh()

    @property
    def view(self) -> ComputerView:
        return self.fleet.views[self.key]

    def refresh(self) -> None:
        view = self.view
        s: dict[str, Any] = (view.summary or {}).get("status") or {}
        self.title.setText(s.get("node_id") or view.computer.host)
        if view.summary is None:
            self.state.setText(self.tr("Waiting for its first answer…"))
        else:
            line = state_line(str(s.get("state", "")), str(s.get("detail", "")))
            if view.error is not None:  # what it said last, marked as such
                line = self.tr("Last known state: %1").replace("%1", line)
            self.state.setText(line)
        problem = error_text(view.error, view.last_seen) if view.error else self.command_message
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self._show_numbers(view, s)
        self._show_controls(view, s)
        self._draw_charts(view)

    def _show_numbers(self, view: ComputerView, s: dict[str, Any]) -> None:
        running = (view.summary or {}).get("tasks") or []
        counts = s.get("counts") or {}
        self.tasks.setText(
            self.tr("Tasks: %1 running, %2 completed, %3 failed or stopped")
            .replace("%1", str(len(running)))
            .replace("%2", str(counts.get("completed", 0)))
            .replace("%3", str(counts.get("failed", 0) + counts.get("stopped", 0)))
        )
        sample = ((view.summary or {}).get("resources") or {}).get("sample") or {}
        gpu = sample.get("gpu_percent")
        self.machine.setText(
            self.tr("CPU %1 %, memory %2 %, GPU %3")
            .replace("%1", f"{sample.get('cpu_percent', 0):.0f}" if sample else "–")
            .replace("%2", f"{sample.get('memory_percent', 0):.0f}" if sample else "–")
            .replace("%3", f"{gpu:.0f} %" if gpu is not None else self.tr("none"))
        )
        trust = s.get("trust") or {}
        group = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
        balance = s.get("balance")
        self.standing.setText(
            self.tr("Trust %1 / 100 (%2), balance %3")
            .replace("%1", str(trust.get("score", "–")))
            .replace("%2", group.get(trust.get("group", ""), trust.get("group", "–")))
            .replace(
                "%3",
                self.tr("%1 CPT").replace("%1", str(balance))
                if balance is not None
                else self.tr("unknown"),
            )
        )

    def _show_controls(self, view: ComputerView, s: dict[str, Any]) -> None:
        allowed = view.computer.may_control
        online = view.online
        paused = bool(s.get("paused"))
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        running = [t["task_id"] for t in (view.summary or {}).get("tasks") or []]
        current = self.task_choice.currentText()
        if running != [self.task_choice.itemText(i) for i in range(self.task_choice.count())]:
            self.task_choice.clear()
            self.task_choice.addItems(running)
            if current in running:
                self.task_choice.setCurrentText(current)
        for widget in (self.pause_button, self.task_choice, self.stop_button):
            widget.setEnabled(allowed and online)
        self.stop_button.setEnabled(allowed and online and bool(running))
        why = (
            ""
            if allowed
            else self.tr(
                "Watch only: this computer was paired without control (pair again with --control)",
            )
        )
        for widget in (self.pause_button, self.stop_button):
            widget.setToolTip(why)

    def _draw_charts(self, view: ComputerView) -> None:
        samples = list(view.samples)
        if not samples:
            self.cpu_chart.show_message(self.tr("Waiting for the first measurement…"))
            return
        if len(samples) > CARD_POINTS:  # every k-th, the newest always: see CARD_POINTS
            stride = -(-len(samples) // CARD_POINTS)
            samples = samples[::-1][::stride][::-1]
        now = samples[-1][0]
        times = [x[0] for x in samples]
        self.cpu_chart.update_series(now, times, [[x[1] for x in samples], [x[2] for x in samples]])
        gpu = [x for x in samples if x[3] is not None]
        has_gpu = samples[-1][3] is not None
        self.gpu_chart.setVisible(has_gpu)  # without one, the text line says "GPU none"
        if has_gpu:
            self.gpu_chart.update_series(
                now, [x[0] for x in gpu], [[x[3] or 0.0 for x in gpu], [x[4] or 0.0 for x in gpu]]
            )

    def _pause_clicked(self) -> None:
        s = (self.view.summary or {}).get("status") or {}
        self.fleet.command(self.key, "resume" if s.get("paused") else "pause")

    def _stop_clicked(self) -> None:
        task_id = self.task_choice.currentText()
        if not task_id:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Stop task"),
            self.tr("Stop task %1 on %2? What it produced so far goes back to the node pool.")
            .replace("%1", task_id)
            .replace("%2", self.title.text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._stop_confirmed(task_id, result))
        self.confirm_box = box
        box.open()  # not exec(): readings keep arriving while it is asked

    def _stop_confirmed(self, task_id: str, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.fleet.command(self.key, "stop", task_id)

    def command_done(self, message: str, error: FleetError | None) -> None:
        self.command_message = error_text(error) if error is not None else ""
        self.refresh()


class ComputersPage(QWidget):
    def __init__(self, fleet: FleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        self.cards: dict[str, ComputerCard] = {}
        self.add_button = QPushButton(self.tr("Add computer…"))
        intro = QLabel(
            self.tr("Other computers running HiveMind, paired with this app, watched here.")
        )
        intro.setWordWrap(True)
        self.empty = QLabel(
            self.tr(
                "No computer is paired yet. Click 'Add computer…' and enter the code that "
                "'hivemind-desktop pair' prints on the other computer."
            )
        )
        self.empty.setWordWrap(True)
        self.problem = QLabel(fleet.load_problem)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(fleet.load_problem))
        head = QHBoxLayout()
        head.addWidget(intro, 1)
        head.addWidget(self.add_button)

        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.addWidget(self.empty)
        self._list_layout.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._list)
        self._stale: set[str] = set()
        scroll.verticalScrollBar().valueChanged.connect(self._refresh_stale)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)

        self.dialog: AddComputerDialog | None = None
        self.add_button.clicked.connect(self.open_add_dialog)
        fleet.computers_changed.connect(self.rebuild)
        fleet.computer_updated.connect(self._updated)
        fleet.command_finished.connect(self._command_finished)
        self.rebuild()

    def open_add_dialog(self) -> AddComputerDialog:
        self.dialog = AddComputerDialog(self.fleet, self)
        self.dialog.open()
        return self.dialog

    def rebuild(self) -> None:
        for key in [k for k in self.cards if k not in self.fleet.views]:
            card = self.cards.pop(key)
            self._list_layout.removeWidget(card)
            card.deleteLater()
        for key in self.fleet.views:
            if key not in self.cards:
                card = ComputerCard(self.fleet, key)
                self.cards[key] = card
                self._list_layout.insertWidget(self._list_layout.count() - 1, card)
        self.empty.setVisible(not self.cards)

    def _updated(self, key: str) -> None:
        card = self.cards.get(key)
        if card is None:
            return
        # A card scrolled out of sight is redrawn when it comes into view: with twenty
        # computers most readings are for cards nobody sees.
        if card.visibleRegion().isEmpty():
            self._stale.add(key)
        else:
            card.refresh()

    def _refresh_stale(self) -> None:
        for key in list(self._stale):
            card = self.cards.get(key)
            if card is None:
                self._stale.discard(key)
            elif not card.visibleRegion().isEmpty():
                self._stale.discard(key)
                card.refresh()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._refresh_stale()

    def _command_finished(self, key: str, message: str, error: FleetError | None) -> None:
        card = self.cards.get(key)
        if card is not None:
            card.command_done(message, error)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.fleet.set_watching(self, True)
        self._refresh_stale()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.fleet.set_watching(self, False)

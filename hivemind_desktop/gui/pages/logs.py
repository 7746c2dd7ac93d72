"""Logs: the worker's in-memory log (already redacted by core/logs.py), filterable and
coloured by level; the log folder one click away, and "Save diagnostics" for a bug report."""

from __future__ import annotations

import html
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.state import AppState

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# (on a light base, on a dark base): each keeps a 4.5:1 contrast with its background.
_LEVEL_COLOURS = {
    "WARNING": ("#8a5300", "#ffb74d"),
    "ERROR": ("#b00020", "#ff7b7b"),
    "CRITICAL": ("#b00020", "#ff7b7b"),
}


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 1


def format_entry(entry: Any, with_name: bool = False) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(getattr(entry, "time", time.time())))
    if with_name:
        return f"{stamp} {entry.level:<7} {entry.name}: {entry.message}"
    return f"{stamp} {entry.level:<7} {entry.message}"


def level_colour(level: str, palette: QPalette) -> QColor:
    """The text colour of a level's lines on this palette's base (light or dark)."""
    dark = palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5
    if level == "DEBUG":  # muted: the text colour a third of the way to the background
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        return QColor.fromRgbF(
            text.redF() * 0.65 + base.redF() * 0.35,
            text.greenF() * 0.65 + base.greenF() * 0.35,
            text.blueF() * 0.65 + base.blueF() * 0.35,
        )
    pair = _LEVEL_COLOURS.get(level)
    if pair is None:
        return palette.color(QPalette.ColorRole.Text)
    return QColor(pair[1] if dark else pair[0])


class _DiagnosticsJob(QObject):
    """Runs the self-test and writes the zip off the GUI thread (the pool check can take
    seconds); `done` is queued back to the page."""

    done = Signal(str, str)  # path, error ("" when saved)

    def run(self, target: Path, settings: Settings) -> None:
        threading.Thread(
            target=self._work, args=(target, settings), name="diagnostics", daemon=True
        ).start()

    def _work(self, target: Path, settings: Settings) -> None:
        from hivemind_desktop import selftest
        from hivemind_desktop.core.diagnostics import write_diagnostics

        try:
            report = selftest.format_report(selftest.run_self_test(settings))
            write_diagnostics(target, settings, report)
        except OSError as exc:
            self.done.emit(str(target), str(exc))
            return
        self.done.emit(str(target), "")


class LogsPage(QWidget):
    def __init__(
        self, state: AppState, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.settings = settings or Settings()
        self.level = QComboBox()
        for text, value in (
            (self.tr("All levels"), "DEBUG"),
            (self.tr("Info and above"), "INFO"),
            (self.tr("Warnings and errors"), "WARNING"),
            (self.tr("Errors only"), "ERROR"),
        ):
            self.level.addItem(text, value)
        self.level.setCurrentIndex(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search the log"))
        self.search.setClearButtonEnabled(True)
        self.show_names = QCheckBox(self.tr("Module names"))
        self.show_names.setToolTip(self.tr("Show which part of the app wrote each line"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the lines shown to the clipboard"))
        self.folder_button = QPushButton(self.tr("Open log folder"))
        self.folder_button.setToolTip(str(self.settings.log_path))
        self.diagnostics_button = QPushButton(self.tr("Save diagnostics…"))
        self.diagnostics_button.setToolTip(
            self.tr(
                "Save a zip for a bug report: the logs, the settings without passwords, and "
                "a self-test of this computer"
            )
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(5000)
        bar = QHBoxLayout()
        bar.addWidget(self.level)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_names)
        bar.addWidget(self.copy_button)
        tools = QHBoxLayout()
        tools.addWidget(self.status, 1)
        tools.addWidget(self.folder_button)
        tools.addWidget(self.diagnostics_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(tools)

        self._job = _DiagnosticsJob(self)
        self._job.done.connect(self._diagnostics_done)
        self.file_dialog: QFileDialog | None = None
        self.level.currentIndexChanged.connect(self.refilter)
        self.search.textChanged.connect(self.refilter)
        self.show_names.toggled.connect(self.refilter)
        self.copy_button.clicked.connect(self.copy)
        self.folder_button.clicked.connect(self.open_log_folder)
        self.diagnostics_button.clicked.connect(self.ask_diagnostics_path)
        state.log_added.connect(self._added)
        self.refilter()

    def _format(self, entry: Any) -> str:
        return format_entry(entry, self.show_names.isChecked())

    def _matches(self, entry: Any) -> bool:
        if _rank(entry.level) < _rank(self.level.currentData()):
            return False
        needle = self.search.text().strip().lower()
        return not needle or needle in format_entry(entry, True).lower()

    def visible_lines(self) -> list[str]:
        return [self._format(e) for e in self.state.logs if self._matches(e)]

    def _html(self, entry: Any) -> str:
        colour = level_colour(entry.level, self.view.palette()).name()
        text = html.escape(self._format(entry))
        return f'<span style="white-space:pre; color:{colour}">{text}</span>'

    def refilter(self) -> None:
        self.view.clear()
        for entry in self.state.logs:
            if self._matches(entry):
                self.view.appendHtml(self._html(entry))

    def _added(self, entry: Any) -> None:
        if self._matches(entry):
            self.view.appendHtml(self._html(entry))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.view.toPlainText())

    # -- log folder and diagnostics --------------------------------------------------------
    def open_log_folder(self) -> bool:
        folder = self.settings.log_path
        if not folder.is_dir():
            self.status.setText(
                self.tr("The log folder %1 does not exist yet.").replace("%1", str(folder))
            )
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.status.setText(
                self.tr("No file manager could open %1.").replace("%1", str(folder))
            )
            return False
        return True

    def ask_diagnostics_path(self) -> None:
        from hivemind_desktop.core.diagnostics import default_name

        dialog = QFileDialog(self, self.tr("Save diagnostics"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Zip files (*.zip)"))
        dialog.setDefaultSuffix("zip")
        dialog.selectFile(str(Path.home() / default_name()))
        dialog.fileSelected.connect(lambda path: self.save_diagnostics(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def save_diagnostics(self, target: Path) -> None:
        self.diagnostics_button.setEnabled(False)
        self.status.setText(self.tr("Running the self-test and saving the diagnostics…"))
        self._job.run(target, self.settings)

    def _diagnostics_done(self, path: str, error: str) -> None:
        self.diagnostics_button.setEnabled(True)
        if error:
            self.status.setText(self.tr("The diagnostics were not saved: %1").replace("%1", error))
        else:
            self.status.setText(
                self.tr("Diagnostics saved to %1 (no passwords in it).").replace("%1", path)
            )

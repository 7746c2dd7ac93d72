"""Logs: the worker's in-memory log (already redacted by core/logs.py), filterable."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.gui.state import AppState

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 1


def format_entry(entry: Any) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(getattr(entry, "time", time.time())))
    return f"{stamp} {entry.level:<7} {entry.name}: {entry.message}"


class LogsPage(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
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
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the lines shown to the clipboard"))
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(5000)
        bar = QHBoxLayout()
        bar.addWidget(self.level)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.level.currentIndexChanged.connect(self.refilter)
        self.search.textChanged.connect(self.refilter)
        self.copy_button.clicked.connect(self.copy)
        state.log_added.connect(self._added)
        self.refilter()

    def _matches(self, entry: Any) -> bool:
        if _rank(entry.level) < _rank(self.level.currentData()):
            return False
        needle = self.search.text().strip().lower()
        return not needle or needle in format_entry(entry).lower()

    def visible_lines(self) -> list[str]:
        return [format_entry(e) for e in self.state.logs if self._matches(e)]

    def refilter(self) -> None:
        self.view.setPlainText("\n".join(self.visible_lines()))

    def _added(self, entry: Any) -> None:
        if self._matches(entry):
            self.view.appendPlainText(format_entry(entry))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.view.toPlainText())

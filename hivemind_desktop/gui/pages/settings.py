"""Settings: shares, node-pool address, language, start at login.

Every field is checked as it is typed by the core's own validation (Settings.replace);
a refused value shows the core's one-line reason and disables Apply. Apply sends the
new Settings to the bridge, which applies them to the running worker and saves the
config file on its thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.settings import Settings, SettingsError, parse_value
from hivemind_desktop.gui.resources import LANGUAGES


class SettingsPage(QWidget):
    apply_requested = Signal(object)  # a validated Settings
    setup_requested = Signal()  # run the first-run wizard again

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.cpu = QLineEdit()
        self.memory = QLineEdit()
        self.gpu = QCheckBox(self.tr("Share NVIDIA GPUs"))
        self.parallel = QLineEdit()
        self.pool = QLineEdit()
        self.pool.setPlaceholderText("10.0.0.1:50051")
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.start_at_login = QCheckBox(self.tr("Start HiveMind when I log in"))
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.revert_button = QPushButton(self.tr("Revert"))
        self.setup_button = QPushButton(self.tr("Run setup again…"))

        shares = QGroupBox(self.tr("What this computer lends"))
        form = QFormLayout(shares)
        form.addRow(self.tr("CPU cores:"), self.cpu)
        form.addRow(self.tr("Memory (GiB):"), self.memory)
        form.addRow("", self.gpu)
        form.addRow(self.tr("Tasks at the same time:"), self.parallel)
        general = QGroupBox(self.tr("General"))
        form2 = QFormLayout(general)
        form2.addRow(self.tr("Node-pool address:"), self.pool)
        form2.addRow(self.tr("Language:"), self.language)
        form2.addRow("", self.start_at_login)
        buttons = QHBoxLayout()
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(shares)
        layout.addWidget(general)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.load(settings)
        for edit in (self.cpu, self.memory, self.parallel, self.pool):
            edit.textChanged.connect(self._revalidate)
        for box in (self.gpu, self.start_at_login):
            box.toggled.connect(self._revalidate)
        self.language.currentIndexChanged.connect(self._revalidate)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(lambda: self.load(self.settings))
        self.setup_button.clicked.connect(self.setup_requested)

    def load(self, settings: Settings) -> None:
        self.settings = settings
        self.cpu.setText(f"{settings.max_cpu_cores:g}")
        self.memory.setText(str(settings.max_memory_gb))
        self.gpu.setChecked(settings.share_gpu)
        self.parallel.setText(str(settings.max_concurrent_tasks))
        self.pool.setText(settings.master_address)
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(0, index))
        self.start_at_login.setChecked(settings.start_at_login)
        self.validate()

    def _changes(self) -> dict[str, Any]:
        return {
            "max_cpu_cores": self.cpu.text(),
            "max_memory_gb": self.memory.text(),
            "share_gpu": self.gpu.isChecked(),
            "max_concurrent_tasks": self.parallel.text(),
            "master_address": self.pool.text(),
            "language": self.language.currentData(),
            "start_at_login": self.start_at_login.isChecked(),
        }

    def candidate(self) -> Settings:
        """The settings as typed, validated by the core; raises SettingsError."""
        changes = self._changes()
        # Parse the text exactly as the core parses the config file and the environment.
        parsed = {name: parse_value(name, value) for name, value in changes.items()}
        return self.settings.replace(**parsed)

    def _revalidate(self, *_args: object) -> None:
        self.validate()

    def validate(self) -> bool:
        try:
            new = self.candidate()
        except SettingsError as exc:
            self.error.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            self.apply_button.setEnabled(False)
            return False
        self.error.setText("")
        self.apply_button.setEnabled(new != self.settings)
        return True

    def apply(self) -> None:
        if not self.validate():
            return
        self.apply_button.setEnabled(False)
        self.status.setText(self.tr("Applying…"))
        self.apply_requested.emit(self.candidate())

    def applied(self, settings: Settings) -> None:
        self.load(settings)
        self.status.setText(self.tr("Applied and saved; no restart needed."))

    def failed(self, message: str) -> None:
        self.status.setText(self.tr("Not applied: %1").replace("%1", message))
        self.validate()

"""Page 5: what this computer lends: the machine's totals and the volunteer's shares."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWizardPage,
)

from hivemind_desktop.gui.wizard import checks
from hivemind_desktop.gui.wizard.common import BusyBar, Message
from hivemind_desktop.gui.wizard.jobs import run_in_background


class WizardResourcesPage(QWizardPage):
    def __init__(self, current: checks.Shares | None = None) -> None:
        super().__init__()
        self._current = current  # the shares in force, when the wizard runs again
        self.totals_label = Message("wizardTotals")
        self.busy = BusyBar()
        self.cpu = QDoubleSpinBox()
        self.cpu.setObjectName("wizardCpu")
        self.cpu.setDecimals(1)
        self.cpu.setSingleStep(0.5)
        self.memory = QSpinBox()
        self.memory.setObjectName("wizardMemory")
        self.gpu = QCheckBox()
        self.gpu.setObjectName("wizardGpu")
        self.gpu_note = Message("wizardGpuNote")
        self.parallel = QSpinBox()
        self.parallel.setObjectName("wizardParallel")
        self.parallel.setRange(1, 64)
        self.cpu_label, self.memory_label, self.parallel_label = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.cpu_label, self.cpu)
        form.addRow(self.memory_label, self.memory)
        form.addRow(self.gpu)
        form.addRow(self.gpu_note)
        form.addRow(self.parallel_label, self.parallel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.busy)
        layout.addLayout(form)
        layout.addStretch(1)
        self.totals: checks.Hardware | None = None
        self._loading = False
        self.retranslate()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.totals is not None

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        if self.totals is None and not self._loading:
            self._loading = True
            self.busy.show()
            run_in_background(self, checks.read_hardware, self._loaded)

    def _loaded(self, totals: Any) -> None:
        self._loading = False
        self.busy.hide()
        if isinstance(totals, BaseException):
            self.totals_label.show_text(str(totals), "error")
            return
        self.totals = totals
        shares = self._current or checks.default_shares(totals)  # spin boxes clamp to totals
        self.cpu.setRange(0.5, float(totals.cpu_cores))
        self.cpu.setValue(shares.cpu_cores)
        self.memory.setRange(1, totals.memory_gb)
        self.memory.setValue(shares.memory_gb)
        self.gpu.setEnabled(bool(totals.gpus))
        self.gpu.setChecked(shares.share_gpu)
        self.parallel.setValue(shares.parallel_tasks)
        self._render()
        self.completeChanged.emit()

    def shares(self) -> checks.Shares:
        return checks.Shares(
            cpu_cores=self.cpu.value(),
            memory_gb=self.memory.value(),
            share_gpu=self.gpu.isChecked() and self.gpu.isEnabled(),
            parallel_tasks=self.parallel.value(),
        )

    def _render(self) -> None:
        totals = self.totals
        if totals is None:
            self.totals_label.show_text(self.tr("Measuring this computer…"))
            self.gpu_note.show_text("")
            return
        self.totals_label.show_text(
            self.tr("This computer has %1 processor cores and %2 GiB of memory.")
            .replace("%1", str(totals.cpu_cores))
            .replace("%2", str(totals.memory_gb))
        )
        if totals.gpus:
            names = ", ".join(g.name for g in totals.gpus)
            self.gpu_note.show_text(self.tr("NVIDIA GPU found: %1").replace("%1", names))
        else:
            self.gpu_note.show_text(
                self.tr("No NVIDIA GPU found (%1): GPU sharing stays off.").replace(
                    "%1", totals.gpu_message
                )
            )

    def retranslate(self) -> None:
        self.setTitle(self.tr("Resources"))
        self.setSubTitle(
            self.tr("Choose how much of this computer HiveMind may lend. Change it any time.")
        )
        self.cpu_label.setText(self.tr("Processor cores:"))
        self.memory_label.setText(self.tr("Memory (GiB):"))
        self.gpu.setText(self.tr("Share the NVIDIA GPU"))
        self.parallel_label.setText(self.tr("Tasks at the same time:"))
        self._render()

"""Page 5: what this computer lends: the machine's totals and the volunteer's shares,
and the first rules of when to contribute (the Settings page has them all)."""

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

from hivemind_desktop.gui.core_text import core_text
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
        self.in_use = QCheckBox()
        self.in_use.setObjectName("wizardInUse")
        self.battery = QCheckBox()
        self.battery.setObjectName("wizardBattery")
        self.cpu_cap = QSpinBox()
        self.cpu_cap.setObjectName("wizardCpuCap")
        self.cpu_cap.setRange(1, 100)
        self.cpu_cap.setSuffix(" %")
        defaults = checks.Shares(0.5, 1, False, 1)
        self.in_use.setChecked(defaults.suspend_when_in_use)
        self.battery.setChecked(defaults.suspend_on_battery)
        self.cpu_cap.setValue(defaults.cpu_cap_percent)
        self.cpu_label, self.memory_label, self.parallel_label = QLabel(), QLabel(), QLabel()
        self.cpu_cap_label = QLabel()
        form = QFormLayout()
        form.addRow(self.cpu_label, self.cpu)
        form.addRow(self.memory_label, self.memory)
        form.addRow(self.gpu)
        form.addRow(self.gpu_note)
        form.addRow(self.parallel_label, self.parallel)
        form.addRow(self.in_use)
        form.addRow(self.battery)
        form.addRow(self.cpu_cap_label, self.cpu_cap)
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
        self.in_use.setChecked(shares.suspend_when_in_use)
        self.battery.setChecked(shares.suspend_on_battery)
        self.cpu_cap.setValue(shares.cpu_cap_percent)
        self._render()
        self.completeChanged.emit()

    def shares(self) -> checks.Shares:
        return checks.Shares(
            cpu_cores=self.cpu.value(),
            memory_gb=self.memory.value(),
            share_gpu=self.gpu.isChecked() and self.gpu.isEnabled(),
            parallel_tasks=self.parallel.value(),
            suspend_when_in_use=self.in_use.isChecked(),
            suspend_on_battery=self.battery.isChecked(),
            cpu_cap_percent=self.cpu_cap.value(),
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
                    "%1", core_text(totals.gpu_message)
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
        self.in_use.setText(self.tr("Suspend while I use the computer"))
        self.battery.setText(self.tr("Suspend on battery power"))
        self.cpu_cap_label.setText(self.tr("Use at most this much CPU time:"))
        self._render()

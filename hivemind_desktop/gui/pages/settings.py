"""Settings: shares, when to contribute, node-pool address, language, start at login.

Every field is checked as it is typed by the core's own validation (Settings.replace);
a refused value names the field and what it takes, in the volunteer's words, and
disables Apply. The shares are spin boxes bounded by this computer (core.machine), with
its limits beside them: a value past them cannot be typed, and one past them in the
config file is shown at the machine's limit with a note (the worker caps it there).
Apply sends the new Settings to the bridge, which applies them to the running worker and
saves the config file on its thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.machine import Machine, read_machine
from hivemind_desktop.core.settings import Settings, SettingsError, parse_value
from hivemind_desktop.gui import colours
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.resources import LANGUAGES

CPU_STEP = 0.5  # shares in half cores: finer steps mean nothing to a volunteer


class SettingsPage(QWidget):
    apply_requested = Signal(object)  # a validated Settings
    setup_requested = Signal()  # run the first-run wizard again

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, machine: Machine | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.machine = machine or read_machine()
        self.cpu = _double_spin(CPU_STEP, max(CPU_STEP, self.machine.cpu_cores), 1, "")
        self.cpu.setSingleStep(CPU_STEP)
        self.cpu.setObjectName("settingsCpu")
        self.cpu_limit = _limit_label("settingsCpuLimit")
        self.memory = _spin(1, max(1, self.machine.memory_gb), "")
        self.memory.setObjectName("settingsMemory")
        self.memory_limit = _limit_label("settingsMemoryLimit")
        self.gpu = QCheckBox(self.tr("Share NVIDIA GPUs"))
        self.parallel = _spin(1, 64, "")
        self.parallel.setObjectName("settingsParallel")
        self.parallel_limit = _limit_label("settingsParallelLimit")
        # Warnings about the shares (past the machine, more tasks than cores): advice,
        # not refusals, so Apply stays possible.
        self.shares_note = QLabel()
        self.shares_note.setObjectName("settingsSharesNote")
        self.shares_note.setWordWrap(True)
        self.shares_note.setStyleSheet(f"color: {warning_colour(self.palette())};")
        self.shares_note.hide()
        self.pool = QLineEdit()
        self.pool.setPlaceholderText("10.0.0.1:50051")
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.start_at_login = QCheckBox(self.tr("Start HiveMind when I log in"))
        # Why the system will not start it although an entry exists (switched off in the
        # system's own list, or left pointing to a deleted app): the box shows the system.
        self.start_at_login_note = QLabel()
        self.start_at_login_note.setObjectName("settingsStartAtLoginNote")
        self.start_at_login_note.setWordWrap(True)
        self.start_at_login_note.hide()
        self.remote_address = QLineEdit()  # the remote status API (core/remote/); empty: off
        self.remote_address.setPlaceholderText(
            self.tr("off (e.g. 10.0.0.2, the WireGuard address)")
        )
        self.remote_address.setToolTip(
            self.tr(
                "Lets paired computers watch this one over TLS on this address. Pair one "
                "with 'hivemind-desktop pair'; empty keeps the status API on this computer only."
            )
        )
        # When to contribute (core/policy.py decides; these are its rules).
        self.low_priority = QCheckBox(self.tr("Run tasks at the lowest CPU priority"))
        self.low_priority.setToolTip(self.tr("Your own programs always come first."))
        self.in_use = QCheckBox(self.tr("Suspend while the computer is in use"))
        self.idle_minutes = _double_spin(0.1, 1440, 1, self.tr(" min"))
        self.idle_minutes.setToolTip(
            self.tr("The computer counts as idle after this long without keyboard or mouse input.")
        )
        self.gpu_in_use = QCheckBox(self.tr("Suspend GPU tasks while the computer is in use"))
        self.battery = QCheckBox(self.tr("Suspend on battery power"))
        self.busy = _spin(0, 100, " %")
        self.busy.setSpecialValueText(self.tr("off"))
        self.busy.setToolTip(self.tr("Measured without the tasks' own use; 0 turns it off."))
        self.cpu_cap = _spin(1, 100, " %")
        self.min_memory = _double_spin(0, 65536, 1, self.tr(" GiB"))
        self.max_frozen = _double_spin(0.1, 100_000, 1, self.tr(" min"))
        self.max_frozen.setToolTip(
            self.tr("A task suspended longer than this is stopped and returned to the node pool.")
        )
        self.schedule = QLineEdit()
        self.schedule.setPlaceholderText(self.tr("e.g. mon-fri 18:00-08:00; sat,sun"))
        self.schedule.setToolTip(
            self.tr(
                "Days (mon … sun, ranges like mon-fri) with optional hours HH:MM-HH:MM; "
                "parts separated by ';'. Empty: any time."
            )
        )
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_colour(self.palette())};")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.revert_button = QPushButton(self.tr("Revert"))
        self.setup_button = QPushButton(self.tr("Run setup again…"))

        shares = QGroupBox(self.tr("What this computer lends"))
        form = QFormLayout(shares)
        # Each limit on the row under its field: a wrapped label nested beside a field
        # does not get its height from QFormLayout (the text was cut in Chinese).
        form.addRow(self.tr("CPU cores:"), self.cpu)
        form.addRow("", self.cpu_limit)
        form.addRow(self.tr("Memory (GiB):"), self.memory)
        form.addRow("", self.memory_limit)
        form.addRow("", self.gpu)
        form.addRow(self.tr("Tasks at the same time:"), self.parallel)
        form.addRow("", self.parallel_limit)
        form.addRow(self.shares_note)
        general = QGroupBox(self.tr("General"))
        form2 = QFormLayout(general)
        form2.addRow(self.tr("Node-pool address:"), self.pool)
        form2.addRow(self.tr("Language:"), self.language)
        form2.addRow("", self.start_at_login)
        form2.addRow("", self.start_at_login_note)
        form2.addRow(self.tr("Remote access address:"), self.remote_address)
        self.policy = QGroupBox(self.tr("When to contribute"))
        self.policy.setObjectName("settingsPolicy")
        form3 = QFormLayout(self.policy)
        # Long questions put their field on the next line rather than widen the page
        # past 800 px (the column was cut at the right edge).
        form3.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form3.addRow(self.low_priority)
        form3.addRow(self.in_use)
        form3.addRow(self.tr("Idle after no input for:"), self.idle_minutes)
        form3.addRow(self.gpu_in_use)
        form3.addRow(self.battery)
        form3.addRow(self.tr("Suspend when other programs use more CPU than:"), self.busy)
        form3.addRow(QLabel(self.tr("Allowed days and hours (empty: any time):")))
        form3.addRow(self.schedule)  # a row of its own: the rule is long text
        form3.addRow(self.tr("Use at most this much CPU time:"), self.cpu_cap)
        form3.addRow(self.tr("Keep at least this much memory free:"), self.min_memory)
        form3.addRow(self.tr("Return a task suspended longer than:"), self.max_frozen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        left = QVBoxLayout()
        left.addWidget(shares)
        left.addWidget(general)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.policy, 1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(columns)
        inner.addStretch(1)
        scroll = QScrollArea()  # a small screen or a long translation scrolls, never cuts
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Down only: wrapped text gets its full height only at the viewport's width.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        # Outside the scrolled part: a refusal or "Applied" is always in sight by Apply.
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.load(settings)
        for spin_box in (self.cpu, self.memory, self.parallel):
            spin_box.valueChanged.connect(self._revalidate)
        self.pool.textChanged.connect(self._revalidate)
        self.schedule.textChanged.connect(self._revalidate)
        self.remote_address.textChanged.connect(self._revalidate)
        for box in (
            self.gpu, self.start_at_login, self.low_priority, self.in_use, self.gpu_in_use,
            self.battery,
        ):  # fmt: skip
            box.toggled.connect(self._revalidate)
        for spin in (self.idle_minutes, self.busy, self.cpu_cap, self.min_memory, self.max_frozen):
            spin.valueChanged.connect(self._revalidate)
        self.in_use.toggled.connect(self._enable_idle_minutes)
        self.language.currentIndexChanged.connect(self._revalidate)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(lambda: self.load(self.settings))
        self.setup_button.clicked.connect(self.setup_requested)

    def load(self, settings: Settings) -> None:
        self.settings = settings
        # Past the machine: shown at its limit, which is what the worker lends (the note
        # says so); Apply then saves what is true.
        self.cpu.setValue(min(settings.max_cpu_cores, self.cpu.maximum()))
        self.memory.setValue(min(settings.max_memory_gb, self.memory.maximum()))
        self.gpu.setChecked(settings.share_gpu)
        _set_spin(self.parallel, settings.max_concurrent_tasks)
        self.pool.setText(settings.master_address)
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(0, index))
        self.start_at_login.setChecked(settings.start_at_login)
        self.low_priority.setChecked(settings.low_priority)
        self.in_use.setChecked(settings.suspend_when_in_use)
        self.gpu_in_use.setChecked(settings.gpu_suspend_when_in_use)
        self.battery.setChecked(settings.suspend_on_battery)
        _set_spin(self.idle_minutes, settings.idle_minutes)
        _set_spin(self.busy, settings.busy_cpu_percent)
        _set_spin(self.cpu_cap, settings.cpu_cap_percent)
        _set_spin(self.min_memory, settings.min_free_memory_gb)
        _set_spin(self.max_frozen, settings.max_frozen_minutes)
        self.schedule.setText(settings.schedule)
        self.remote_address.setText(settings.remote_api_address)
        self._enable_idle_minutes()
        self.validate()

    def _enable_idle_minutes(self, *_args: object) -> None:
        self.idle_minutes.setEnabled(self.in_use.isChecked() or self.gpu_in_use.isChecked())

    def _changes(self) -> dict[str, Any]:
        return {
            "max_cpu_cores": self.cpu.value(),
            "max_memory_gb": self.memory.value(),
            "share_gpu": self.gpu.isChecked(),
            "max_concurrent_tasks": self.parallel.value(),
            "master_address": self.pool.text(),
            "language": self.language.currentData(),
            "start_at_login": self.start_at_login.isChecked(),
            "low_priority": self.low_priority.isChecked(),
            "suspend_when_in_use": self.in_use.isChecked(),
            "idle_minutes": self.idle_minutes.value(),
            "gpu_suspend_when_in_use": self.gpu_in_use.isChecked(),
            "suspend_on_battery": self.battery.isChecked(),
            "busy_cpu_percent": self.busy.value(),
            "schedule": self.schedule.text(),
            "cpu_cap_percent": self.cpu_cap.value(),
            "min_free_memory_gb": self.min_memory.value(),
            "max_frozen_minutes": self.max_frozen.value(),
            "remote_api_address": self.remote_address.text(),
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
        self._show_limits()
        try:
            new = self.candidate()
        except SettingsError as exc:
            self.error.setText(self.tr("Not saved: %1").replace("%1", self.error_text(exc)))
            self.status.setText("")  # an old "Applied" must not sit under a new error
            self.apply_button.setEnabled(False)
            return False
        self.error.setText("")
        self.apply_button.setEnabled(new != self.settings)
        return True

    def error_text(self, exc: SettingsError) -> str:
        """A refusal in the volunteer's words: the field as the page names it and what it
        takes; never the setting's key, the typed value in quotes, or Python's text."""
        if exc.name == "master_address":
            return self.tr(
                "Node-pool address: write it with its port, as HOST:PORT, e.g. 10.0.0.1:50051."
            )
        label = self._field_names().get(exc.name, exc.name.replace("_", " "))
        allowed = core_text(exc.allowed)  # marked in core/settings.py
        text = self.tr("%1: use %2.").replace("%1", label).replace("%2", allowed)
        if exc.detail and not exc.detail.startswith("expected"):
            text += " " + exc.detail[:1].upper() + exc.detail[1:].rstrip(".") + "."
        return text

    def _field_names(self) -> dict[str, str]:
        return {
            "max_cpu_cores": self.tr("CPU cores"),
            "max_memory_gb": self.tr("Memory"),
            "max_concurrent_tasks": self.tr("Tasks at the same time"),
            "schedule": self.tr("Allowed days and hours"),
            "idle_minutes": self.tr("Idle after no input for"),
            "busy_cpu_percent": self.tr("Suspend when other programs use more CPU than"),
            "cpu_cap_percent": self.tr("Use at most this much CPU time"),
            "min_free_memory_gb": self.tr("Keep at least this much memory free"),
            "max_frozen_minutes": self.tr("Return a task suspended longer than"),
            "language": self.tr("Language"),
        }

    def _show_limits(self) -> None:
        """The machine's limits beside the shares, and advice where a choice is odd."""
        m, cores = self.machine, self.cpu.value()
        free = m.cores_left_free(cores)
        # Plurals as two whole sentences: English needs them, Chinese has one form, and
        # no English .qm is shipped to fill Qt's %n forms.
        self.cpu_limit.setText(
            (
                self.tr("of 1 core on this computer; leaves %1 free")
                if m.cpu_cores == 1
                else self.tr("of %2 cores on this computer; leaves %1 free")
            )
            .replace("%1", f"{free:g}")
            .replace("%2", str(m.cpu_cores))
        )
        self.memory_limit.setText(
            self.tr("of %1 GiB on this computer").replace("%1", str(m.memory_gb))
        )
        self.parallel_limit.setText(self.tr("each task gets its share of the cores"))
        notes = []
        s = self.settings
        if s.max_cpu_cores > m.cpu_cores or s.max_memory_gb > m.memory_gb:
            notes.append(
                self.tr(
                    "The saved settings ask for %1 cores and %2 GiB, more than this computer "
                    "has: HiveMind lends at most what is shown. Apply to save it."
                )
                .replace("%1", f"{s.max_cpu_cores:g}")
                .replace("%2", str(s.max_memory_gb))
            )
        parallel = self.parallel.value()
        if parallel > cores:
            notes.append(
                self.tr(
                    "More tasks at the same time (%1) than cores lent (%2): each task gets "
                    "less than a core, or waits for one."
                )
                .replace("%1", str(parallel))
                .replace("%2", f"{cores:g}")
            )
        self.shares_note.setText("\n".join(notes))
        self.shares_note.setVisible(bool(notes))

    def apply(self) -> None:
        if not self.validate():
            return
        self.apply_button.setEnabled(False)
        self.status.setText(self.tr("Applying…"))
        self.apply_requested.emit(self.candidate())

    def applied(self, settings: Settings) -> None:
        self.load(settings)
        self.status.setText(self.tr("Applied and saved; no restart needed."))

    def not_saved(self, message: str) -> None:
        """Applied to the running worker, but the file could not be written."""
        self.status.setText(
            self.tr("Applied, but not saved: %1. They last until HiveMind quits.").replace(
                "%1", message
            )
        )

    def show_start_at_login_note(self, text: str) -> None:
        self.start_at_login_note.setText(text)
        self.start_at_login_note.setVisible(bool(text))

    def failed(self, message: str) -> None:
        self.validate()
        self.status.setText(self.tr("Not applied: %1").replace("%1", message))


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin


def _double_spin(low: float, high: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin


def _set_spin(spin: QSpinBox | QDoubleSpinBox, value: float) -> None:
    """Show the value in force as it is: a config file may hold one past the box's bounds
    (the core allows it), and a silent clamp would change it on the next Apply."""
    if value > spin.maximum():
        spin.setMaximum(value)  # type: ignore[arg-type]
    if value < spin.minimum():
        spin.setMinimum(value)  # type: ignore[arg-type]
    spin.setValue(value)  # type: ignore[arg-type]


def _limit_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def warning_colour(palette: QPalette) -> str:
    """An amber that reads on the volunteer's theme."""
    return "#ffcc80" if palette.window().color().lightness() < 128 else "#8a5a00"


def error_colour(palette: QPalette) -> str:
    """A red that reads on the volunteer's theme: dark red on light, light red on dark."""
    return colours.error_colour(palette)

"""Monitor: the machine and the worker's connections, from samples and worker.health().

The page only asks for health while it is visible (a timer), and the bridge runs the
check on its own thread: Docker and node-pool probes can take seconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from hivemind_desktop.core import task_runtime
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import isolation_text

REFRESH_MS = 3000


class MonitorPage(QWidget):
    health_wanted = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.cpu = QLabel()
        self.memory = QLabel()
        self.disk = QLabel()
        self.docker = QLabel()
        self.isolation = QLabel()  # what new tasks run in: gVisor or runc (core/task_runtime)
        self.pool = QLabel()
        self.vpn = QLabel()
        self.status_api = QLabel()
        self.idle_source = QLabel()  # where "in use" comes from (core.sensors)
        self.battery_source = QLabel()
        for label in (
            self.docker, self.isolation, self.pool, self.vpn, self.status_api, self.idle_source,
            self.battery_source,
        ):  # fmt: skip
            label.setWordWrap(True)
        machine = QGroupBox(self.tr("This computer"))
        form = QFormLayout(machine)
        form.addRow(self.tr("CPU in use:"), self.cpu)
        form.addRow(self.tr("Memory in use:"), self.memory)
        form.addRow(self.tr("Free disk space:"), self.disk)
        form.addRow(self.tr("Input idle time from:"), self.idle_source)
        form.addRow(self.tr("Battery state from:"), self.battery_source)
        links = QGroupBox(self.tr("Connections"))
        form2 = QFormLayout(links)
        form2.addRow(self.tr("Docker engine:"), self.docker)
        form2.addRow(self.tr("Task isolation:"), self.isolation)
        form2.addRow(self.tr("Node pool:"), self.pool)
        form2.addRow(self.tr("VPN:"), self.vpn)
        form2.addRow(self.tr("Local status API:"), self.status_api)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setMaximumHeight(160)
        checks = QGroupBox(self.tr("All health checks"))
        QVBoxLayout(checks).addWidget(self.raw)
        layout = QVBoxLayout(self)
        layout.addWidget(machine)
        layout.addWidget(links)
        layout.addWidget(checks)
        layout.addStretch(1)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.health_wanted.emit)
        state.sample_added.connect(self.show_sample)
        state.health_changed.connect(self.show_health)
        self.show_sample()
        self.show_health(state.health)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.health_wanted.emit()
        self._timer.start(REFRESH_MS)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def show_sample(self, _sample: Any = None) -> None:
        if not self.state.samples:
            waiting = self.tr("waiting for the first measurement…")
            for label in (self.cpu, self.memory, self.disk):
                label.setText(waiting)
            return
        s = self.state.samples[-1]
        self.cpu.setText(f"{s.cpu_percent:.0f} %")
        self.memory.setText(
            self.tr("%1 GiB (%2 %)")
            .replace("%1", f"{s.memory_used_gb:.1f}")
            .replace("%2", f"{s.memory_percent:.0f}")
        )
        self.disk.setText(self.tr("%1 GiB free").replace("%1", f"{s.disk_free_gb:.1f}"))

    def show_health(self, health: dict) -> None:
        """health: Worker.health(), {"ok": bool, "checks": {name: {"ok", "detail", ...}}}."""
        checks = health.get("checks", {})
        unknown = self.tr("not checked yet")

        self.docker.setText(self._docker_text(checks.get("docker")))

        self.isolation.setText(self._isolation_text(checks.get("isolation")))

        pool = checks.get("node_pool")
        if pool is None:
            self.pool.setText(unknown)
        elif pool["ok"]:
            text = self.tr("reachable")
            if pool.get("rtt_ms") is not None:
                text += ", " + self.tr("round trip %1 ms").replace("%1", f"{pool['rtt_ms']:.1f}")
            self.pool.setText(text)
        else:
            self.pool.setText(self.tr("unreachable: %1").replace("%1", core_text(pool["detail"])))

        vpn = checks.get("vpn")
        if vpn is None:
            self.vpn.setText(unknown)
        elif vpn.get("interface"):
            self.vpn.setText(
                self.tr("interface %1, address %2")
                .replace("%1", vpn["interface"])
                .replace("%2", vpn.get("address") or "–")
            )
        else:
            self.vpn.setText(
                self.tr("no VPN interface: %1").replace("%1", core_text(vpn["detail"]))
            )

        self.status_api.setText(self._status_api_text(checks.get("status_api")))

        # The core's own words (like Docker's reason): which adapter answers, or why none
        # does and that the in-use rule is then not applied.
        sensors = checks.get("sensors")
        self.idle_source.setText(core_text(sensors["idle"]) if sensors else unknown)
        self.battery_source.setText(core_text(sensors["battery"]) if sensors else unknown)

        lines = []
        for name, check in sorted(checks.items()):
            mark = self.tr("OK") if check.get("ok") else self.tr("problem")
            lines.append(f"{name}: {mark} — {core_text(str(check.get('detail', '')))}")
        self.raw.setPlainText("\n".join(lines))

    def _docker_text(self, check: dict | None) -> str:
        """Which engine runs the tasks and where it was found (DOCKER_HOST, a Docker
        context, Docker Desktop's, a rootless or the default socket), or why none can."""
        if check is None:
            return self.tr("not checked yet")
        engine, endpoint = check.get("engine", ""), check.get("endpoint", "")
        if check["ok"]:
            return (
                self.tr("running: %1, at %2")
                .replace("%1", engine or check["detail"])
                .replace("%2", endpoint or "?")
            )
        text = self.tr("not available: %1").replace("%1", core_text(check["detail"]))
        if engine:  # it answered, but cannot run tasks as the volunteer set them
            text += "\n" + self.tr("Engine found: %1, at %2").replace("%1", engine).replace(
                "%2", endpoint
            )
        elif endpoint and endpoint not in check["detail"]:
            text += "\n" + self.tr("Looked at: %1").replace("%1", endpoint)
        return text

    def _isolation_text(self, check: dict[str, Any] | None) -> str:
        if check is None:
            return self.tr("not checked yet")
        runtime = check.get("runtime") or ""
        detail = check.get("detail", "")
        if "gVisor (runsc) is not available" in detail:
            return self.tr(
                "No task can run: the settings require gVisor, which Docker does not have. "
                "Install it: %1"
            ).replace("%1", task_runtime.enable_command())
        if not check.get("ok") or not runtime:
            return self.tr("unknown until Docker runs")
        text = isolation_text(runtime)
        if runtime == "runc" and "enable-gvisor" in check.get("detail", ""):
            text += "\n" + self.tr("For a stronger sandbox, install gVisor: %1").replace(
                "%1", task_runtime.enable_command()
            )
        return text

    def _status_api_text(self, check: dict | None) -> str:
        if check is None:
            return self.tr("not checked yet")
        if not check.get("port"):
            return self.tr("turned off (FLASK_PORT=0)")
        used = check.get("listening_port")
        if check["ok"] and used and used != check["port"]:  # FLASK_PORT was taken
            return (
                self.tr(
                    "on %1: port %2 is taken by another program (on macOS often the AirPlay "
                    "Receiver), so this one is used; `hivemind-desktop status` finds it"
                )
                .replace("%1", check["detail"])
                .replace("%2", str(check["port"]))
            )
        if check["ok"]:
            return self.tr("on %1").replace("%1", check["detail"])
        return self.tr("off: %1").replace("%1", core_text(check["detail"]))

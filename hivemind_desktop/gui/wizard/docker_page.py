"""Page 3: Docker. Tasks only ever run in containers, so without Docker nothing runs.

The check is the worker's own (DockerRunner.status) on a pool thread; when it fails the
page says what to do on this operating system and offers Check again, or an explicit
skip that states its consequence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from hivemind_desktop.core import task_runtime
from hivemind_desktop.gui.wizard import checks
from hivemind_desktop.gui.wizard.common import BusyBar, Message, SkipBox
from hivemind_desktop.gui.wizard.jobs import run_in_background

DOCKER_DESKTOP_URL = "https://www.docker.com/products/docker-desktop/"


class WizardDockerPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.status = Message("wizardDockerStatus")
        self.guidance = Message("wizardDockerGuidance")
        self.guidance.setOpenExternalLinks(True)
        self.why = QLabel()
        self.why.setObjectName("wizardDockerWhy")
        self.why.setWordWrap(True)
        self.check_button = QPushButton()
        self.check_button.setObjectName("wizardDockerCheck")
        self.busy = BusyBar()
        self.skip = SkipBox("wizardDockerSkip")
        self.skip.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.guidance)
        layout.addLayout(row)
        layout.addWidget(self.skip)
        layout.addWidget(self.why)
        layout.addStretch(1)
        self.result: checks.DockerCheck | None = None
        self._error = ""
        self._busy = False
        self.check_button.clicked.connect(self.check)
        self.skip.toggled.connect(lambda _on: self.completeChanged.emit())
        self.retranslate()

    @property
    def available(self) -> bool:
        return self.result is not None and self.result.status.available

    @property
    def skipped(self) -> bool:
        return not self.available and self.skip.isChecked()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return not self._busy and (self.available or self.skipped)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        if self.result is None and not self._busy:
            self.check()

    def check(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.busy.show()
        self.check_button.setEnabled(False)
        self.status.show_text(self.tr("Looking for Docker…"))
        self.completeChanged.emit()
        run_in_background(self, checks.check_docker, self._done)

    def _done(self, result: Any) -> None:
        self._busy = False
        self.busy.hide()
        self.check_button.setEnabled(True)
        if isinstance(result, BaseException):
            self.result, self._error = None, str(result)
        else:
            self.result, self._error = result, ""
        if self.available:
            self.skip.setChecked(False)
        self._render()
        self.completeChanged.emit()

    def _render(self) -> None:
        if self._busy:
            return
        self.skip.setVisible(self.result is not None and not self.available or bool(self._error))
        if self.result is None and not self._error:
            self.status.show_text("")
            self.guidance.show_text("")
            return
        if self.available:
            assert self.result is not None
            self.status.show_text(
                self.tr("Docker is running (version %1). Tasks can run on this computer.").replace(
                    "%1", self.result.status.version or "?"
                ),
                "ok",
            )
            self.guidance.show_text(self.isolation_text())
            return
        reason = self._error or (self.result.status.reason if self.result else "")
        self.status.show_text(self.tr("Docker is not available: %1").replace("%1", reason), "error")
        self.guidance.show_text(self.guidance_text())

    def isolation_text(self) -> str:
        """Once Docker runs: whether tasks get gVisor, else (Linux) the one command for it."""
        result = self.result
        if result is None:
            return ""
        if result.status.runtime == task_runtime.RUNSC:
            return self.tr(
                "Tasks run in gVisor, a sandbox with its own kernel: code from other people "
                "never talks to this computer's kernel directly."
            )
        if result.platform != "linux":
            return ""
        return self.tr(
            "Recommended: also install gVisor, a sandbox that gives each task its own kernel "
            "(tasks start about 0.2 s slower): %1"
        ).replace("%1", f"<code>{task_runtime.enable_command()}</code>")

    def guidance_text(self, platform: str | None = None) -> str:
        """What to do on `platform` (default: where the check ran), as rich text."""
        result = self.result
        platform = platform or (result.platform if result else "linux")
        reason = (result.status.reason if result else self._error).lower()
        if platform == "win32":
            steps = [
                self.tr(
                    "Install Docker Desktop for Windows from %1 (it needs WSL 2, which its "
                    "installer sets up)."
                ).replace("%1", f'<a href="{DOCKER_DESKTOP_URL}">{DOCKER_DESKTOP_URL}</a>'),
                self.tr(
                    "Start Docker Desktop from the Start menu and wait until it says "
                    "'Engine running'."
                ),
            ]
        elif platform == "darwin":
            steps = [
                self.tr("Install Docker Desktop for Mac from %1.").replace(
                    "%1", f'<a href="{DOCKER_DESKTOP_URL}">{DOCKER_DESKTOP_URL}</a>'
                ),
                self.tr(
                    "Open Docker from the Applications folder and wait until the whale icon "
                    "in the menu bar stops moving."
                ),
            ]
        else:
            steps = [
                self.tr(
                    "Install the Docker engine with your distribution's package manager, "
                    "e.g. <code>sudo apt install docker.io</code>."
                ),
                self.tr(
                    "Start the engine service and have it start at boot: "
                    "<code>sudo systemctl enable --now docker</code>."
                ),
            ]
            in_group = result.in_docker_group if result else None
            if in_group is False or "permission denied" in reason:
                steps.append(
                    self.tr(
                        "Your account is not allowed to use Docker: add it to the "
                        "<code>docker</code> group with <code>sudo usermod -aG docker "
                        "$USER</code>, then log out and back in."
                    )
                )
        steps.append(self.tr("Then click Check again."))
        return "<ol>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>"

    def retranslate(self) -> None:
        self.setTitle(self.tr("Docker"))
        self.setSubTitle(self.tr("HiveMind runs every task inside a Docker container."))
        self.check_button.setText(self.tr("Check again"))
        self.skip.setText(
            self.tr(
                "Skip for now: I understand that no tasks will run on this computer until "
                "Docker works"
            )
        )
        self.why.setText(
            self.tr(
                "Why Docker? HiveMind runs code written by other people. It only ever runs "
                "a task inside a Docker container: a sealed box with no network, no access "
                "to your files, and fixed limits on processor time and memory. Without "
                "Docker, HiveMind runs no tasks at all; it never falls back to running "
                "them directly on your computer."
            )
        )
        self._render()

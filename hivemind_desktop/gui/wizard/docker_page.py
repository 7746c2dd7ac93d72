"""Page 3: Docker. Tasks only ever run in containers, so without Docker nothing runs.

The check is the worker's own (DockerRunner.status) on a pool thread; when it fails the
page says what to do on this operating system and offers Check again, or an explicit
skip that states its consequence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from hivemind_desktop.core import task_runtime
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.wizard import checks
from hivemind_desktop.gui.wizard.common import BusyBar, Message, SkipBox
from hivemind_desktop.gui.wizard.jobs import run_in_background

DOCKER_DESKTOP_URL = "https://www.docker.com/products/docker-desktop/"


class WizardDockerPage(QWizardPage):
    def __init__(self, task_image: str = "hivemind/task-python:latest") -> None:
        super().__init__()
        self.task_image = task_image
        self.status = Message("wizardDockerStatus")
        self.images = Message("wizardDockerImages")  # task images missing: how to get them
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
        layout.addWidget(self.images)
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
        images = (self.task_image,)
        run_in_background(self, lambda: checks.check_docker(images), self._done)

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
        self._render_images()
        if self.result is None and not self._error:
            self.status.show_text("")
            self.guidance.show_text("")
            return
        if self.available:
            assert self.result is not None
            engine = self.result.status.engine
            if engine and not engine.startswith("Docker "):  # e.g. rootless Podman
                text = self.tr("%1 is running. Tasks can run on this computer.").replace(
                    "%1", engine
                )
            else:
                text = self.tr(
                    "Docker is running (version %1). Tasks can run on this computer."
                ).replace("%1", self.result.status.version or "?")
            self.status.show_text(text, "ok")
            self.guidance.show_text(self.isolation_text())
            return
        reason = self._error or (self.result.status.reason if self.result else "")
        self.status.show_text(
            self.tr("Docker is not available: %1").replace("%1", core_text(reason)), "error"
        )
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
    def _render_images(self) -> None:
        """Missing task images: a warning, not a block (Docker works; the images can be
        added before the first task), with the two ways to get them."""
        result = self.result
        if result is None or not self.available:
            self.images.show_text("")
        elif result.missing_images:
            names = ", ".join(result.missing_images)
            self.images.show_text(
                self.tr(
                    "The task image %1 is not installed, so tasks that need it are refused. "
                    "Get it with <code>docker pull %1</code> (or, from the HiveMind source "
                    "folder, <code>scripts/build_task_images</code>), then click Check again."
                ).replace("%1", names),
                "warning",
            )
        elif result.image_problem:
            self.images.show_text(
                self.tr("The task images could not be looked up: %1").replace(
                    "%1", result.image_problem
                ),
                "warning",
            )
        else:
            self.images.show_text(
                self.tr("The task image %1 is installed.").replace(
                    "%1", ", ".join((self.task_image,))
                ),
                "ok",
            )

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
            if "docker-users" in reason:  # the pipe said "Access is denied"
                steps.append(
                    self.tr(
                        "Your Windows account may not use Docker Desktop: an administrator "
                        "adds it to the <code>docker-users</code> group (Computer Management, "
                        "or <code>net localgroup docker-users YOUR-NAME /add</code>), then "
                        "sign out and back in."
                    )
                )
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
            # No engine this account may use: the rootless way needs no docker group
            # (which is as powerful as root); HiveMind finds its socket by itself.
            steps.append(
                self.tr(
                    "Or, without giving your account the power of root that the docker "
                    "group brings: install Podman (<code>sudo apt install podman "
                    "uidmap</code>) and start its service for your account with "
                    "<code>systemctl --user enable --now podman.socket</code>. It holds "
                    "tasks to their limits only on Linux with cgroup v2."
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

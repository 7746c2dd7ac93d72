"""The first-run setup wizard: Welcome, Sign in, Docker, WireGuard, Resources, Finish.

It replaces the original worker's console prompt. Every slow check runs on a pool thread
with the page showing progress, and every failed check blocks Next until it is fixed or
explicitly skipped (a box that states what skipping costs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.credentials import Credentials
from hivemind_desktop.core.settings import Settings, SettingsError
from hivemind_desktop.gui import resources
from hivemind_desktop.gui.start_error import problem_text
from hivemind_desktop.gui.wizard.checks import Shares
from hivemind_desktop.gui.wizard.docker_page import WizardDockerPage
from hivemind_desktop.gui.wizard.finish_page import WizardFinishPage
from hivemind_desktop.gui.wizard.resources_page import WizardResourcesPage
from hivemind_desktop.gui.wizard.signin_page import WizardSignInPage
from hivemind_desktop.gui.wizard.welcome_page import WizardWelcomePage
from hivemind_desktop.gui.wizard.wireguard_page import WizardWireGuardPage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WizardResult:
    """What the wizard set up. `settings` carries the username and password in memory
    (never in the file) so the worker can sign in even when the keyring could not
    remember them."""

    settings: Settings
    config_file: Path
    signed_in: bool
    remembered: bool
    docker_skipped: bool
    tunnel_skipped: bool
    wireguard_config: Path | None


class SetupWizard(QWizard):
    completed = Signal(object)  # WizardResult, after the settings were saved

    WELCOME, SIGN_IN, DOCKER, WIREGUARD, RESOURCES, FINISH = range(6)

    def __init__(
        self,
        settings: Settings,
        *,
        config_file: Path | None = None,
        credentials: Credentials | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.initial = settings
        self.config_file = Path(config_file or settings_mod.config_file_path())
        self.credentials = credentials if credentials is not None else Credentials()
        self.translations = resources.Translations()
        self.translations.install(resources.resolve_language(settings.language))
        self.result_value: WizardResult | None = None
        self.cancel_box: QMessageBox | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(720, 640)

        self.welcome = WizardWelcomePage(settings.language)
        self.sign_in = WizardSignInPage(
            settings.master_address, settings.username, self.credentials
        )
        self.docker = WizardDockerPage(settings.task_image)
        self.wireguard = WizardWireGuardPage(self.config_file.parent)
        # Run again from Settings: start from the volunteer's shares, not the defaults.
        current = None
        if self.config_file.exists():
            current = Shares(
                cpu_cores=settings.max_cpu_cores,
                memory_gb=settings.max_memory_gb,
                share_gpu=settings.share_gpu,
                parallel_tasks=settings.max_concurrent_tasks,
                suspend_when_in_use=settings.suspend_when_in_use,
                suspend_on_battery=settings.suspend_on_battery,
                cpu_cap_percent=settings.cpu_cap_percent,
            )
        self.resources_page = WizardResourcesPage(current)
        self.finish = WizardFinishPage(self.summary_lines, self._commit)
        for page_id, page in enumerate(self.pages()):
            self.setPage(page_id, page)
        self.welcome.language_chosen.connect(self.set_language)
        self.finished.connect(self._closed)
        self.retranslate()

    def pages(self) -> list:
        return [
            self.welcome,
            self.sign_in,
            self.docker,
            self.wireguard,
            self.resources_page,
            self.finish,
        ]

    def master_address(self) -> str:
        return self.sign_in.master_address()

    # -- language --------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch the wizard's language at once (the choice is saved at Finish)."""
        self.translations.install(resources.resolve_language(language))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up HiveMind"))
        buttons = {
            QWizard.WizardButton.BackButton: self.tr("< Back"),
            QWizard.WizardButton.NextButton: self.tr("Next >"),
            QWizard.WizardButton.FinishButton: self.tr("Finish"),
            QWizard.WizardButton.CancelButton: self.tr("Cancel"),
        }
        for which, text in buttons.items():
            self.setButtonText(which, text)
        for page in self.pages():
            page.retranslate()

    # -- result ----------------------------------------------------------------------------
    def new_settings(self, base: Settings | None = None) -> Settings:
        """`base` (default: the settings in force) with what the wizard chose, validated
        by the core."""
        shares = self.resources_page.shares()
        username, password = self.sign_in.credentials_entered()
        return (base or self.initial).replace(
            master_address=self.master_address(),
            language=self.welcome.chosen_language(),
            max_cpu_cores=shares.cpu_cores,
            max_memory_gb=shares.memory_gb,
            share_gpu=shares.share_gpu,
            max_concurrent_tasks=shares.parallel_tasks,
            suspend_when_in_use=shares.suspend_when_in_use,
            suspend_on_battery=shares.suspend_on_battery,
            cpu_cap_percent=shares.cpu_cap_percent,
            username=username,
            password=password,
        )

    def summary_lines(self) -> list[str]:
        username, _ = self.sign_in.credentials_entered()
        lines = []
        if self.sign_in.signed_in:
            lines.append(self.tr("Account: %1, signed in.").replace("%1", username))
        else:
            lines.append(
                self.tr("Account: %1, signs in as soon as the node pool at %2 answers.")
                .replace("%1", username)
                .replace("%2", self.master_address())
            )
        lines.append(
            self.tr("Password remembered in the system keyring.")
            if self.sign_in.remembered
            else self.tr("Password not remembered: HiveMind asks for it when it starts.")
        )
        if self.docker.available:
            lines.append(self.tr("Docker: running."))
        else:
            lines.append(self.tr("Docker: skipped. No tasks run until Docker works."))
        if self.wireguard.verified and self.wireguard.tunnel is not None:
            lines.append(
                self.tr("WireGuard: up; the node pool reaches this computer at %1.").replace(
                    "%1", self.wireguard.tunnel.address.address or "?"
                )
            )
        else:
            lines.append(
                self.tr(
                    "WireGuard: skipped. The node pool cannot send tasks until the tunnel works."
                )
            )
        if self.wireguard.saved_path is not None:
            lines.append(
                self.tr("Tunnel config saved to %1.").replace("%1", str(self.wireguard.saved_path))
            )
        shares = self.resources_page.shares()
        # Cores may be fractional (1.5), which Qt's %n cannot carry: a sentence each for
        # one and many. Tasks are whole: %n, whose English forms come from hivemind_en.qm.
        cores = (
            self.tr("1 core")
            if shares.cpu_cores == 1
            else self.tr("%1 cores").replace("%1", f"{shares.cpu_cores:g}")
        )
        tasks = self.tr("up to %n task(s) at a time", "", shares.parallel_tasks)
        lines.append(
            self.tr("Lent: %1, %2 GiB of memory, GPU %3, %4.")
            .replace("%1", cores)
            .replace("%2", str(shares.memory_gb))
            .replace("%3", self.tr("shared") if shares.share_gpu else self.tr("not shared"))
            .replace("%4", tasks)
        )
        yes, no = self.tr("yes"), self.tr("no")
        lines.append(
            self.tr(
                "Waits while the computer is in use: %1; on battery: %2. CPU time: at most %3 %."
            )
            .replace("%1", yes if shares.suspend_when_in_use else no)
            .replace("%2", yes if shares.suspend_on_battery else no)
            .replace("%3", str(shares.cpu_cap_percent))
        )
        return lines

    def _commit(self) -> str:
        """Save the settings file; "" when done, else the reason (the wizard stays open).

        The file gets the volunteer's choices over what the file already held, never the
        environment's overrides (HIVEMIND_DATA_DIR, MASTER_ADDRESS of a test run...): those
        stay the environment's, and would otherwise outlive it. The worker starts with
        the choices over the settings in force."""
        try:
            new = self.new_settings()
            in_file = settings_mod.load(env={}, config_file=self.config_file)
            settings_mod.save(self.new_settings(in_file), self.config_file)
        except OSError as exc:  # the file and the OS's reason, not Python's repr
            return (
                self.tr("The settings could not be saved to %1: %2")
                .replace("%1", str(self.config_file))
                .replace("%2", (exc.strerror or str(exc)).lower())
            )
        except SettingsError as exc:
            # The config file already held a bad line: said as the start error says it.
            return self.tr("The settings could not be saved: %1").replace(
                "%1", problem_text(exc)
            )
        self.result_value = WizardResult(
            settings=new,
            config_file=self.config_file,
            signed_in=self.sign_in.signed_in,
            remembered=self.sign_in.remembered,
            docker_skipped=self.docker.skipped,
            tunnel_skipped=self.wireguard.skipped,
            wireguard_config=self.wireguard.saved_path,
        )
        log.info("setup finished; settings saved to %s", self.config_file)
        return ""

    # -- cancel ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Cancel, Esc or the close button: ask first, since the volunteer may lose what
        they typed (a window-modal box; the event loop keeps running)."""
        if self.cancel_box is not None:
            return None  # already asking
        if not self.isVisible():
            return super().reject()
        if self.config_file.exists():  # run again from Settings
            text = self.tr("What you changed here is not saved; your current settings stay.")
        else:
            text = self.tr(
                "Nothing is saved and HiveMind does not contribute yet. The setup opens "
                "again the next time you start HiveMind."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Quit the setup?"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Quit the setup"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Continue the setup"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(self._cancel_answered)
        self.cancel_box = box
        box.open()
        return None

    def _cancel_answered(self, result: int) -> None:
        self.cancel_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.cancel_now()

    def cancel_now(self) -> None:
        """Close without asking (the volunteer said yes, or a test tears down)."""
        super().reject()

    def _closed(self, result: int) -> None:
        # The app installs its own translator for the saved language; ours goes.
        self.translations.install("en")
        if result == QWizard.DialogCode.Accepted and self.result_value is not None:
            self.completed.emit(self.result_value)

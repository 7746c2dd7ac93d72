"""The first-run setup wizard (and "Run setup again" from Settings).

Where to call it:
- first start: `settings = run_first_run_wizard_if_needed(settings)` in gui.app.main(),
  after the settings are loaded and the single instance is claimed, before DesktopApp;
- later: `open_wizard(window, settings, on_finished=...)` from the Settings page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget, QWizard

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.settings import Settings

if TYPE_CHECKING:
    from hivemind_desktop.core.credentials import Credentials
    from hivemind_desktop.gui.wizard.wizard import SetupWizard, WizardResult

__all__ = [
    "SetupWizard",
    "WizardResult",
    "needs_first_run",
    "open_wizard",
    "run_first_run_wizard_if_needed",
]


def __getattr__(name: str) -> Any:
    """SetupWizard and WizardResult load with their pages on first use: every start asks
    `needs_first_run`, and only a first start shows the wizard."""
    if name in ("SetupWizard", "WizardResult"):
        return getattr(importlib.import_module(f"{__name__}.wizard"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def needs_first_run(config_file: Path | None = None) -> bool:
    """No config file yet: this is the first start."""
    return not Path(config_file or settings_mod.config_file_path()).exists()


def run_first_run_wizard_if_needed(
    settings: Settings,
    *,
    config_file: Path | None = None,
    credentials: Credentials | None = None,
    parent: QWidget | None = None,
) -> Settings | None:
    """On the first start, run the wizard (modal, the event loop keeps running).

    Returns the settings to start with: the wizard's when it finished, `settings`
    unchanged when no wizard was needed, None when the volunteer cancelled it (start
    with `settings` anyway, or quit: the wizard shows again at the next start).
    """
    if not needs_first_run(config_file):
        return settings
    from hivemind_desktop.gui.wizard.wizard import SetupWizard

    wizard = SetupWizard(settings, config_file=config_file, credentials=credentials, parent=parent)
    try:
        if wizard.exec() == QWizard.DialogCode.Accepted and wizard.result_value is not None:
            return wizard.result_value.settings
        return None
    finally:
        wizard.deleteLater()


def open_wizard(
    parent: QWidget | None,
    settings: Settings,
    *,
    config_file: Path | None = None,
    credentials: Credentials | None = None,
    on_finished: Callable[[WizardResult], None] | None = None,
) -> SetupWizard:
    """Show the wizard without blocking (from Settings). on_finished gets the
    WizardResult once the settings file is saved: apply result.settings to the running
    worker and sign in with result.settings.username/password."""
    from hivemind_desktop.gui.wizard.wizard import SetupWizard

    wizard = SetupWizard(settings, config_file=config_file, credentials=credentials, parent=parent)
    if on_finished is not None:
        wizard.completed.connect(on_finished)
    wizard.finished.connect(wizard.deleteLater)
    wizard.open()
    return wizard

"""A setting that stops the app from starting, said in a window.

A double-clicked app on Windows or macOS has no terminal: a message on stderr goes
nowhere and the volunteer sees nothing happen. So the desktop entry always shows the
reason in a dialog, in the volunteer's words and language, with where to fix it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from hivemind_desktop.core.settings import SettingsError
from hivemind_desktop.gui import resources
from hivemind_desktop.gui.core_text import core_text


def can_show_dialogs(platform: str, env: Mapping[str, str]) -> bool:
    """Windows and macOS always have a screen for a windowed app; elsewhere a window
    needs a display (an ssh session has none, and Qt would abort the process)."""
    if platform.startswith("win") or platform == "darwin":
        return True
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())  # one line, whatever the value held
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_text(exc: SettingsError) -> str:
    """What is wrong, in a sentence; `exc.kind` says which parts it carries."""
    if exc.kind == "value":
        name, value, allowed = exc.setting, _quoted(exc.value), core_text(exc.allowed)
        if exc.source == "environment":
            text = QCoreApplication.translate(
                "StartError", "The environment variable %1 is “%2”, which HiveMind cannot use."
            )
        elif exc.source == "command line":
            text = QCoreApplication.translate(
                "StartError", "The command line sets “%1” to “%2”, which HiveMind cannot use."
            )
        else:
            text = QCoreApplication.translate(
                "StartError", "The config file sets “%1” to “%2”, which HiveMind cannot use."
            )
        text = text.replace("%1", name).replace("%2", value)
        return (
            text
            + " "
            + QCoreApplication.translate("StartError", "Allowed: %1.").replace("%1", allowed)
        )
    if exc.kind == "unknown":
        return QCoreApplication.translate(
            "StartError", "The config file has a setting HiveMind does not know: “%1”."
        ).replace("%1", _quoted(exc.setting))
    if exc.kind == "password":
        return QCoreApplication.translate(
            "StartError",
            "The config file contains a password. Passwords are kept in the system's "
            "keyring, never in files.",
        )
    if exc.kind == "unreadable":
        if exc.line:
            return QCoreApplication.translate(
                "StartError",
                "The config file is not valid at line %1: each line must read name = value.",
            ).replace("%1", str(exc.line))
        return QCoreApplication.translate(
            "StartError",
            "The config file cannot be read: check that it is a text file you may read.",
        )
    return str(exc)


def fix_text(exc: SettingsError, config_file: Path) -> str:
    """Where to fix it."""
    if exc.source == "environment":
        return QCoreApplication.translate(
            "StartError", "Change or remove that environment variable, then start HiveMind again."
        )
    if exc.source == "command line":
        return QCoreApplication.translate(
            "StartError",
            "Correct the command (or the shortcut that starts HiveMind), then start it again.",
        )
    path = str(exc.config_file or config_file)
    if exc.kind == "unreadable" and not exc.line:
        return QCoreApplication.translate("StartError", "The config file is:\n%1").replace(
            "%1", path
        )
    return QCoreApplication.translate(
        "StartError",
        "Correct or delete that line in the config file, then start HiveMind again. "
        "Without the line, HiveMind uses its default. The config file is:\n%1",
    ).replace("%1", path)


def start_error_box(exc: SettingsError, config_file: Path) -> QMessageBox:
    """The dialog, not yet shown (tests look at it)."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("StartError", "HiveMind Desktop cannot start"),
        problem_text(exc),
        QMessageBox.StandardButton.Close,
    )
    box.setInformativeText(fix_text(exc, config_file))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy the path
    box.setWindowIcon(resources.icon("app"))
    return box


def show_start_error(exc: SettingsError, config_file: Path, language: str = "") -> None:
    """Show the dialog and wait until it is closed (the app then exits)."""
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setApplicationName("HiveMind Desktop")
    translations = resources.Translations()
    translations.install(resources.resolve_language(language))
    try:
        start_error_box(exc, config_file).exec()
    finally:
        translations.install("en")  # leave the app as found (tests run it in-process)

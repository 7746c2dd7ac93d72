"""Translated words for core states, shared by the tray, the dashboard and the pages.

The core speaks in fixed English identifiers ("contributing", "connected"); these turn them
into the volunteer's language. Unknown identifiers are shown as they are rather than hidden.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from hivemind_desktop.gui.core_text import core_text


def state_text(state: str) -> str:
    words = {
        "contributing": QCoreApplication.translate("State", "Contributing"),
        "idle": QCoreApplication.translate("State", "Idle, waiting for tasks"),
        "paused": QCoreApplication.translate("State", "Paused"),
        "disconnected": QCoreApplication.translate("State", "Not connected to the node pool"),
        "signed_out": QCoreApplication.translate("State", "Not signed in"),
        "error": QCoreApplication.translate("State", "Error"),
        "starting": QCoreApplication.translate("State", "Starting"),
        "stopping": QCoreApplication.translate("State", "Stopping"),
        "waiting": QCoreApplication.translate("State", "Waiting"),
        "snoozed": QCoreApplication.translate("State", "Snoozed"),
    }
    return words.get(state, state)


def state_line(state: str, detail: str = "") -> str:
    """The state with the core's reason, as the tray and the Dashboard show it:
    "Waiting: computer in use", "Snoozed until 14:30". Only the waiting states carry
    their reason here; an error's and a lost pool's are shown in lines of their own."""
    if state == "snoozed" and detail.startswith("until "):
        return QCoreApplication.translate("State", "Snoozed until %1").replace(
            "%1", detail.removeprefix("until ")
        )
    if state in ("waiting", "snoozed") and detail:
        return (
            QCoreApplication.translate("State", "%1: %2")
            .replace("%1", state_text(state))
            .replace("%2", wait_reason_text(detail))
        )
    return state_text(state)


_LESS_MEMORY = re.compile(r"^less than (\S+) GiB memory free$")
_BUSY = re.compile(r"^other programs use (\S+) % of the CPU$")


def wait_reason_text(detail: str) -> str:
    """The core's reason for waiting (core/policy.py decide) in the volunteer's language;
    a reason not known here is shown as the core said it."""
    words = {
        "computer in use": QCoreApplication.translate("WaitReason", "computer in use"),
        "on battery": QCoreApplication.translate("WaitReason", "on battery"),
        "outside your schedule": QCoreApplication.translate(
            "WaitReason", "outside your schedule"
        ),
    }
    if detail in words:
        return words[detail]
    if match := _LESS_MEMORY.match(detail):
        return QCoreApplication.translate(
            "WaitReason", "less than %1 GiB memory free"
        ).replace("%1", match.group(1))
    if match := _BUSY.match(detail):
        return QCoreApplication.translate(
            "WaitReason", "other programs use %1 % of the CPU"
        ).replace("%1", match.group(1))
    return core_text(detail)


def pool_state_text(state: str, detail: str = "") -> str:
    words = {
        "connected": QCoreApplication.translate("PoolState", "Connected"),
        "disconnected": QCoreApplication.translate("PoolState", "Unreachable, retrying"),
        "rejected": QCoreApplication.translate("PoolState", "Sign-in refused"),
        "signed_out": QCoreApplication.translate("PoolState", "Not signed in"),
    }
    text = words.get(state, state)
    return f"{text} ({core_text(detail)})" if detail and state != "connected" else text


def task_state_text(state: str) -> str:
    words = {
        "received": QCoreApplication.translate("TaskState", "Received"),
        "admitted": QCoreApplication.translate("TaskState", "Admitted"),
        "preparing": QCoreApplication.translate("TaskState", "Preparing"),
        "running": QCoreApplication.translate("TaskState", "Running"),
        "uploading": QCoreApplication.translate("TaskState", "Uploading"),
        "completed": QCoreApplication.translate("TaskState", "Completed"),
        "failed": QCoreApplication.translate("TaskState", "Failed"),
        "stopped": QCoreApplication.translate("TaskState", "Stopped"),
        "refused": QCoreApplication.translate("TaskState", "Refused"),
    }
    return words.get(state, state)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def keyring_text(reason: str) -> str:
    """Why the keyring cannot hold the password (credentials.KeyringUnavailable.reason)."""
    words = {
        "missing": QCoreApplication.translate(
            "Keyring",
            "no keyring service is running (start GNOME Keyring or KWallet, or use the "
            "macOS Keychain or Windows Credential Manager).",
        ),
        "locked": QCoreApplication.translate(
            "Keyring", "the keyring is locked (unlock it in your desktop session)."
        ),
    }
    return words.get(reason, QCoreApplication.translate("Keyring", "the keyring did not answer."))


def isolation_text(runtime: str | None, *, short: bool = False) -> str:
    """The container runtime that isolates a task (core/task_runtime.py), in words: the
    short form for the task list, the long one for details and the Monitor page."""
    if runtime == "runsc":
        if short:
            return QCoreApplication.translate("Isolation", "gVisor")
        return QCoreApplication.translate(
            "Isolation", "gVisor sandbox: the task runs on its own kernel"
        )
    if runtime == "runc":
        if short:
            return QCoreApplication.translate("Isolation", "runc")
        return QCoreApplication.translate(
            "Isolation", "runc container: the task shares this computer's kernel"
        )
    return runtime or "–"

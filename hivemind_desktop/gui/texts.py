"""Translated words for core states, shared by the tray, the dashboard and the pages.

The core speaks in fixed English identifiers ("contributing", "connected"); these turn them
into the volunteer's language. Unknown identifiers are shown as they are rather than hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


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
    }
    return words.get(state, state)


def pool_state_text(state: str, detail: str = "") -> str:
    words = {
        "connected": QCoreApplication.translate("PoolState", "Connected"),
        "disconnected": QCoreApplication.translate("PoolState", "Unreachable, retrying"),
        "rejected": QCoreApplication.translate("PoolState", "Sign-in refused"),
        "signed_out": QCoreApplication.translate("PoolState", "Not signed in"),
    }
    text = words.get(state, state)
    return f"{text} ({detail})" if detail and state != "connected" else text


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

"""Translated words for core states, shared by the tray, the dashboard and the pages.

The core speaks in fixed English identifiers ("contributing", "connected"); these turn them
into the volunteer's language. Unknown identifiers are shown as they are rather than hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def state_text(state: str) -> str:
    t = QCoreApplication.translate
    words = {
        "contributing": t("State", "Contributing"),
        "idle": t("State", "Idle, waiting for tasks"),
        "paused": t("State", "Paused"),
        "disconnected": t("State", "Not connected to the node pool"),
        "error": t("State", "Error"),
        "starting": t("State", "Starting"),
        "stopping": t("State", "Stopping"),
    }
    return words.get(state, state)


def pool_state_text(state: str, detail: str = "") -> str:
    t = QCoreApplication.translate
    words = {
        "connected": t("PoolState", "Connected"),
        "disconnected": t("PoolState", "Unreachable, retrying"),
        "rejected": t("PoolState", "Sign-in refused"),
        "signed_out": t("PoolState", "Not signed in"),
    }
    text = words.get(state, state)
    return f"{text} ({detail})" if detail and state != "connected" else text


def task_state_text(state: str) -> str:
    t = QCoreApplication.translate
    words = {
        "received": t("TaskState", "Received"),
        "admitted": t("TaskState", "Admitted"),
        "preparing": t("TaskState", "Preparing"),
        "running": t("TaskState", "Running"),
        "uploading": t("TaskState", "Uploading"),
        "completed": t("TaskState", "Completed"),
        "failed": t("TaskState", "Failed"),
        "stopped": t("TaskState", "Stopped"),
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
    t = QCoreApplication.translate
    words = {
        "missing": t(
            "Keyring",
            "no keyring service is running (start GNOME Keyring or KWallet, or use the "
            "macOS Keychain or Windows Credential Manager).",
        ),
        "locked": t("Keyring", "the keyring is locked (unlock it in your desktop session)."),
    }
    return words.get(reason, t("Keyring", "the keyring did not answer."))

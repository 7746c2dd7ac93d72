"""Help for volunteers: what the trust score and CPT mean, and a sentence for every
setting, shown as tooltips and "What's this?" text where they appear.

Kept in one module so the words are the same on every page that shows them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget


def trust() -> str:
    return QCoreApplication.translate(
        "Help",
        "Trust score (0-100): how reliable this computer has been. It starts at 50, rises "
        "by 2 for each completed task and falls by 5 for each failed one. From 80 it is "
        "high; below the threshold in Settings it is low. Stopping a task yourself does "
        "not change it.",
    )


def cpt() -> str:
    return QCoreApplication.translate(
        "Help",
        "CPT are the HiveMind network's credits. The node pool pays your "
        "account for the tasks this computer completes; you spend them to run tasks of "
        "your own or send them to others.",
    )


def settings_help() -> dict[str, str]:
    """Attribute name on the Settings page -> its help."""
    return {
        "cpu": QCoreApplication.translate(
            "Help", "How many CPU cores tasks may use together, at most all of this computer's."
        ),
        "memory": QCoreApplication.translate(
            "Help", "How much memory (GiB) tasks may use together; keep enough for yourself."
        ),
        "gpu": QCoreApplication.translate(
            "Help", "Let tasks that ask for it use this computer's NVIDIA GPU."
        ),
        "parallel": QCoreApplication.translate(
            "Help", "How many tasks may run at the same time; each gets its own share."
        ),
        "pool": QCoreApplication.translate(
            "Help",
            "The node pool to contribute to, as address:port (e.g. 10.0.0.1:50051); "
            "your organiser gives it to you.",
        ),
        "language": QCoreApplication.translate(
            "Help", "The language of this app; the system language by default."
        ),
        "start_at_login": QCoreApplication.translate(
            "Help", "Start HiveMind in the tray when you log in to this computer."
        ),
        "low_priority": QCoreApplication.translate(
            "Help", "Tasks get the lowest CPU priority, so your own programs always come first."
        ),
        "in_use": QCoreApplication.translate(
            "Help", "Freeze tasks while you use the keyboard or mouse."
        ),
        "idle_minutes": QCoreApplication.translate(
            "Help", "The computer counts as idle after this long without keyboard or mouse input."
        ),
        "gpu_in_use": QCoreApplication.translate(
            "Help", "GPU tasks wait while you use the computer (games, video)."
        ),
        "battery": QCoreApplication.translate(
            "Help", "Freeze tasks while a laptop runs on battery."
        ),
        "busy": QCoreApplication.translate(
            "Help",
            "Freeze tasks while your other programs use more CPU than this (without the "
            "tasks' own use); 0 turns it off.",
        ),
        "cpu_cap": QCoreApplication.translate(
            "Help", "Tasks use at most this share of their CPU time: lower keeps fans quiet."
        ),
        "min_memory": QCoreApplication.translate(
            "Help", "Freeze tasks and take no new ones while less memory than this is free."
        ),
        "max_frozen": QCoreApplication.translate(
            "Help",
            "A task frozen longer than this is stopped and returned to the node pool, which "
            "runs it elsewhere; your trust score does not change.",
        ),
        "schedule": QCoreApplication.translate(
            "Help",
            "Days (mon … sun, ranges like mon-fri) with optional hours HH:MM-HH:MM, parts "
            "separated by ';', e.g. mon-fri 18:00-08:00; sat,sun. Empty: any time.",
        ),
    }


def apply_settings_help(page: QWidget) -> list[str]:
    """Give each known field of the Settings page its help; returns the names found."""
    found = []
    for name, text in settings_help().items():
        widget = getattr(page, name, None)
        if isinstance(widget, QWidget):
            widget.setToolTip(text)
            widget.setWhatsThis(text)
            found.append(name)
    return found

"""Logging into the systemd journal when systemd runs the worker.

systemd connects a service's stderr to the journal and says so in JOURNAL_STREAM
("device:inode" of that stream). Lines written there are what `journalctl -u` shows,
with systemd's own timestamps and unit name; a `<N>` prefix (sd-daemon(3)) gives each its
syslog priority, so `journalctl -p warning` filters them. Writing a log file as well would
store every line twice, so the headless worker uses one or the other.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import IO

# sd-daemon(3) priorities: 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug.
_PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))
JOURNAL_FORMAT = "%(name)s [%(threadName)s]: %(message)s"


def priority(levelno: int) -> int:
    for level, prio in _PRIORITIES:
        if levelno >= level:
            return prio
    return 7


def is_journal_stream(stream: IO[str], env: Mapping[str, str] | None = None) -> bool:
    """True when `stream` is the journal stream systemd gave this process. Only the very
    stream named in JOURNAL_STREAM counts: a child that inherited the variable but had its
    stderr redirected (a pipe, a file) must keep its own log file."""
    env = os.environ if env is None else env
    device, sep, inode = env.get("JOURNAL_STREAM", "").partition(":")
    if not sep or not device.isdigit() or not inode.isdigit():
        return False
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):  # closed, or not a real file
        return False
    return (info.st_dev, info.st_ino) == (int(device), int(inode))


class JournalFormatter(logging.Formatter):
    """One journal entry per line: a multi-line message (a traceback) would otherwise be
    split into entries of which only the first carries the priority."""

    def __init__(self) -> None:
        super().__init__(JOURNAL_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        prefix = f"<{priority(record.levelno)}>"
        return "\n".join(prefix + line for line in text.splitlines() or [""])

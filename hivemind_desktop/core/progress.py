"""Task progress: the convention task authors follow, read cheaply by the worker.

A task reports how far it got in either of two ways (docs/task-progress.md):

- a console line ``PROGRESS 0.42`` or ``PROGRESS 42%`` (stdout or stderr, alone on
  its line; Python tasks should print with ``flush=True``), or
- a file ``.progress`` in its working folder holding ``0.42`` or ``42%`` (rewritten as
  it goes; read about once every usage sample).

The node-pool protocol is unchanged: progress is shown to the volunteer only.
The console is scanned only when a chunk contains the marker, and the file is opened
without following links and never blocks, so a task cannot make the worker read
anything but its own small file.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MARKER = "PROGRESS"
PROGRESS_FILE = ".progress"
_MAX_LINE = 64  # a longer line is not a progress line: no need to keep it across chunks
_MAX_FILE = 32
_VALUE = r"([0-9]{1,3}(?:\.[0-9]{1,6})?)[ \t]*(%?)"
_LINE = re.compile(rf"^{MARKER}[ \t]+{_VALUE}[ \t]*\r?$", re.MULTILINE)
_FILE = re.compile(rf"^[ \t]*(?:{MARKER}[ \t]+)?{_VALUE}[ \t]*$")
MIN_FOR_ESTIMATE = 0.01  # below 1 % an estimate of the time left is noise


def parse_value(number: str, percent: str) -> float | None:
    """0.42 or 42% as a fraction 0..1; a value past 100 % is not progress (None)."""
    value = float(number)
    if percent or value > 1.0:
        value /= 100.0
    return value if 0.0 <= value <= 1.0 else None


class ConsoleProgress:
    """Follows one task's console chunks; lines may be split across chunks."""

    def __init__(self) -> None:
        self._carry = ""  # the unfinished last line of the previous chunk, if short
        self._long = False  # inside a line too long to be progress: skip to its end

    def feed(self, chunk: str) -> float | None:
        """The last progress value in this chunk, or None when it holds none."""
        text = self._carry + chunk
        if self._long:
            start = text.find("\n")
            if start < 0:
                return None
            text, self._long = text[start + 1 :], False
        cut = text.rfind("\n")
        complete, rest = (text[: cut + 1], text[cut + 1 :]) if cut >= 0 else ("", text)
        self._long = len(rest) > _MAX_LINE
        self._carry = "" if self._long else rest
        if MARKER not in complete:
            return None
        found = None
        for match in _LINE.finditer(complete):
            value = parse_value(match.group(1), match.group(2))
            if value is not None:
                found = value
        return found


def read_progress_file(workspace: Path) -> float | None:
    """The value in the task's ``.progress`` file, or None (absent, not a regular file,
    a link, unreadable, or not a number)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(workspace / PROGRESS_FILE, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device would block or worse
            return None
        raw = os.read(fd, _MAX_FILE + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(raw) > _MAX_FILE:
        return None
    match = _FILE.match(raw.decode("ascii", errors="replace").strip())
    return parse_value(match.group(1), match.group(2)) if match else None


def remaining_s(progress: float | None, elapsed_s: float | None) -> float | None:
    """Seconds left if the task keeps its pace so far, or None when it cannot be told."""
    if progress is None or elapsed_s is None or progress < MIN_FOR_ESTIMATE:
        return None
    if progress >= 1.0:
        return 0.0
    return elapsed_s * (1.0 - progress) / progress

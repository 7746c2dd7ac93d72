"""Showing a file in the system's file manager, selected where the platform can.

The WireGuard config is saved under AppData (Windows, a hidden folder) or ~/Library
(macOS, hidden in Finder): WireGuard's own Import dialog cannot easily get there, so the
volunteer is offered "Show in folder". The command is decided here (pure, tested for each
platform); the GUI only starts it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

Which = Callable[[str], str | None]


def reveal_command(
    path: Path, platform: str, which: Which = shutil.which
) -> list[str] | str | None:
    """How to show `path` selected in its folder: an argv list, or on Windows one command
    line (Explorer parses `/select,"PATH"` itself, not as separate arguments), or None when
    only opening the folder is possible (the caller then does that)."""
    if platform == "win32":
        if '"' in str(path):  # cannot be quoted for Explorer; Windows paths have none
            return None
        return f'explorer.exe /select,"{path}"'
    if platform == "darwin":
        return ["/usr/bin/open", "-R", str(path)]  # Finder, with the file selected
    # Freedesktop file managers select through D-Bus (FileManager1.ShowItems).
    gdbus = which("gdbus")
    if gdbus:
        return [
            gdbus, "call", "--session", "--dest", "org.freedesktop.FileManager1",
            "--object-path", "/org/freedesktop/FileManager1",
            "--method", "org.freedesktop.FileManager1.ShowItems",
            f"['{path.as_uri()}']", "",
        ]  # fmt: skip
    return None


def reveal(path: Path, platform: str) -> bool:
    """Start the file manager on `path`; False when nothing could be started (the caller
    opens the folder instead). Never waits for it."""
    command = reveal_command(path, platform)
    if command is None:
        return False
    try:
        process = subprocess.Popen(  # noqa: S603 - a fixed program, the path as one argument
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return False
    if platform not in ("win32", "darwin"):
        try:  # gdbus answers at once; an error means no file manager owns the name
            return process.wait(timeout=5) == 0
        except subprocess.TimeoutExpired:
            return True
    return True

"""A private X display for tests that need real input or a real tray host."""

from __future__ import annotations

import os
import subprocess


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Xvfb on a display number it picks itself (-displayfd); returns it and ":N"."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        return xvfb, ":" + pipe.readline().strip()

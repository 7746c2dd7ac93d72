"""Input idle time on Windows: GetLastInputInfo (user32) against GetTickCount (kernel32).

Both are per-session tick counts in milliseconds that wrap every 49.7 days; the
difference is taken modulo 2**32 so a wrap does not yield a negative idle time.
GetLastInputInfo sees the input of the session the worker runs in (the volunteer's).
"""

from __future__ import annotations

import ctypes
import sys


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


class WindowsIdleSource:
    name = "Windows GetLastInputInfo"

    def __init__(self) -> None:
        self.reason = ""
        self._info = _LastInputInfo()
        self._info.cbSize = ctypes.sizeof(_LastInputInfo)
        try:
            windll = ctypes.windll  # type: ignore[attr-defined]
            self._user32 = windll.user32
            self._kernel32 = windll.kernel32
            self._kernel32.GetTickCount.restype = ctypes.c_uint
        except (AttributeError, OSError):
            self._user32 = self._kernel32 = None
            self.reason = f"user32 is not available on {sys.platform}"

    def read(self) -> float | None:
        if self._user32 is None:
            return None
        if not self._user32.GetLastInputInfo(ctypes.byref(self._info)):
            self.reason = "GetLastInputInfo failed"
            return None
        now = self._kernel32.GetTickCount()
        return ((now - self._info.dwTime) & 0xFFFFFFFF) / 1000.0

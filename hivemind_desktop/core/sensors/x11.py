"""Input idle time on X11: the MIT-SCREEN-SAVER extension (XScreenSaverQueryInfo),
through ctypes on libX11 + libXss, so no X binding has to be installed.

The display is opened once and kept: a query is then one round trip to the X server
(tens of microseconds). Xlib's default reaction to a lost connection is exit(); this
adapter installs handlers that let the call return instead, marks the connection dead,
and tries to open the display again at most every REOPEN_S seconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import select
import socket
import threading
import time

log = logging.getLogger(__name__)

REOPEN_S = 30.0


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("eventMask", ctypes.c_ulong),
    ]


_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_IOErrorExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def _load(soname: str, short: str) -> ctypes.CDLL | None:
    for name in (soname, ctypes.util.find_library(short)):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


class X11IdleSource:
    """Milliseconds since the last keyboard/mouse input on one X display."""

    name = "X11 screen saver extension"

    def __init__(self, display: str) -> None:
        self.display_name = display
        self._lock = threading.Lock()
        self._dpy: int | None = None
        self._info: ctypes._Pointer[_XScreenSaverInfo] | None = None
        self._root = 0
        self._fd = -1
        self._dead = False
        self._next_open = 0.0
        self.reason = ""  # why there is no answer, when there is none
        self._x11 = _load("libX11.so.6", "X11")
        self._xss = _load("libXss.so.1", "Xss")
        if self._x11 is None or self._xss is None:
            missing = "libX11.so.6" if self._x11 is None else "libXss.so.1"
            self.reason = f"{missing} not found (install libxss1)"
            return
        self._declare()
        # Kept as attributes: ctypes callbacks must outlive every call into Xlib.
        self._on_io_error = _IOErrorHandler(self._io_error)
        self._on_io_exit = _IOErrorExitHandler(self._io_exit)
        self._x11.XSetIOErrorHandler(self._on_io_error)

    @property
    def usable(self) -> bool:
        return self._x11 is not None and self._xss is not None

    def _declare(self) -> None:
        x11, xss = self._x11, self._xss
        assert x11 is not None and xss is not None
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x11.XConnectionNumber.restype = ctypes.c_int
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        x11.XSetIOErrorHandler.argtypes = [_IOErrorHandler]
        x11.XSetIOErrorHandler.restype = ctypes.c_void_p
        if hasattr(x11, "XSetIOErrorExitHandler"):  # libX11 >= 1.7
            x11.XSetIOErrorExitHandler.argtypes = [
                ctypes.c_void_p, _IOErrorExitHandler, ctypes.c_void_p,
            ]  # fmt: skip
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
        ]  # fmt: skip
        xss.XScreenSaverQueryExtension.restype = ctypes.c_int
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo),
        ]  # fmt: skip
        xss.XScreenSaverQueryInfo.restype = ctypes.c_int

    def _io_error(self, dpy: int | None) -> int:
        self._dead = True
        return 0

    def _io_exit(self, dpy: int | None, user_data: int | None) -> None:
        self._dead = True  # returning here (instead of exit()) leaves the Display unusable

    def _open(self) -> bool:
        x11, xss = self._x11, self._xss
        assert x11 is not None and xss is not None
        now = time.monotonic()
        if now < self._next_open:
            return False
        self._next_open = now + REOPEN_S
        dpy = x11.XOpenDisplay(self.display_name.encode())
        if not dpy:
            self.reason = f"cannot open X display {self.display_name}"
            return False
        if hasattr(x11, "XSetIOErrorExitHandler"):
            x11.XSetIOErrorExitHandler(dpy, self._on_io_exit, None)
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            dpy, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            x11.XCloseDisplay(dpy)
            self.reason = f"X display {self.display_name} has no MIT-SCREEN-SAVER extension"
            return False
        if self._info is None:
            self._info = xss.XScreenSaverAllocInfo()  # reused by every query, never freed
        self._dpy, self._root, self._fd = (
            dpy,
            x11.XDefaultRootWindow(dpy),
            x11.XConnectionNumber(dpy),
        )
        self._dead = False
        self.reason = ""
        return True

    def _server_gone(self) -> bool:
        """True when the server closed the connection: checked on the socket itself, so
        Xlib never reads a dead connection (its IO error path is the risky one)."""
        readable, _, _ = select.select([self._fd], [], [], 0)
        if not readable:
            return False
        try:
            with socket.socket(fileno=self._fd) as sock:
                try:
                    return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                finally:
                    sock.detach()  # the fd stays Xlib's
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _drop(self) -> None:
        # A dead Display is leaked, not closed: XCloseDisplay would touch the broken
        # connection again. One small struct per lost X server.
        self._dpy = None
        self._dead = False
        self.reason = f"lost the connection to X display {self.display_name}"

    def read(self) -> float | None:
        """Seconds since the last input, or None when the display cannot answer."""
        if not self.usable:
            return None
        with self._lock:
            if self._dpy is None and not self._open():
                return None
            assert self._xss is not None and self._info is not None
            if self._server_gone():
                self._drop()
                return None
            ok = self._xss.XScreenSaverQueryInfo(self._dpy, self._root, self._info)
            if self._dead or not ok:
                self._drop()
                return None
            return self._info.contents.idle / 1000.0

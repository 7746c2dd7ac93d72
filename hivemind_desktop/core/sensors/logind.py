"""Input idle time from systemd-logind (Wayland, or no X display): the Manager's
IdleHint / IdleSinceHintMonotonic properties on the system bus, through jeepney.

logind does not watch input itself: the desktop session (GNOME, KDE, ...) sets the
hint when its own idle timer fires, so the answer is coarse (0 while not idle, then
the time since the session declared idle). A session that never sets the hint leaves
IdleSinceHint at 0; that is read as "no answer" (None), not as "always in use".
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

REOPEN_S = 30.0
CALL_TIMEOUT_S = 1.0


class LogindIdleSource:
    name = "logind IdleHint (D-Bus)"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: Any = None
        self._next_open = 0.0
        self.reason = ""

    def _open(self) -> bool:
        now = time.monotonic()
        if now < self._next_open:
            return False
        self._next_open = now + REOPEN_S
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            self.reason = "jeepney is not installed"
            return False
        try:
            self._conn = open_dbus_connection(bus="SYSTEM")
        except Exception as exc:  # noqa: BLE001 (any failure to reach the bus = no answer)
            self.reason = f"no system D-Bus ({type(exc).__name__})"
            return False
        self.reason = ""
        return True

    def _get(self, prop: str) -> Any:
        from jeepney import DBusAddress, Properties

        manager = DBusAddress(
            "/org/freedesktop/login1",
            bus_name="org.freedesktop.login1",
            interface="org.freedesktop.login1.Manager",
        )
        reply = self._conn.send_and_get_reply(Properties(manager).get(prop), timeout=CALL_TIMEOUT_S)
        return reply.body[0][1]  # a variant: (signature, value)

    def read(self) -> float | None:
        with self._lock:
            if self._conn is None and not self._open():
                return None
            try:
                idle = bool(self._get("IdleHint"))
                since_us = int(self._get("IdleSinceHintMonotonic"))
            except Exception as exc:  # noqa: BLE001 (a bus or logind failure = no answer)
                self.reason = f"logind did not answer ({type(exc).__name__})"
                try:
                    self._conn.close()
                except Exception:  # noqa: BLE001, S110 (already broken)
                    pass
                self._conn = None
                return None
        if since_us == 0:
            self.reason = "the desktop session does not report idle time to logind"
            return None
        if not idle:
            return 0.0
        return max(0.0, time.monotonic() - since_us / 1e6)

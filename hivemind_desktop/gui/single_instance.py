"""One app per user: a second launch asks the first to show its window, then exits.

A QLocalServer (a Unix socket / Windows named pipe) named per user: if connecting to it
works, someone is already serving; otherwise we remove a stale socket left by a crash
and listen ourselves.
"""

from __future__ import annotations

import getpass
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW = b"show\n"


def default_name() -> str:
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser() or "user")
    return f"hivemind-desktop-{user}"


class SingleInstance(QObject):
    show_requested = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or default_name()
        self.server: QLocalServer | None = None

    def claim(self, timeout_ms: int = 1000) -> bool:
        """True: we are the only instance and now listen. False: the running one was told
        to show its window (this happens once, at start-up, before any window exists)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(timeout_ms):
            socket.write(SHOW)
            socket.flush()
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crashed instance
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            raise RuntimeError(
                f"cannot listen on {self.name!r} ({self.server.errorString()}): "
                "remove the stale socket or close the other HiveMind Desktop"
            )
        self.server.newConnection.connect(self._accept)
        return True

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)
            if conn.bytesAvailable():
                self._read(conn)

    def _read(self, conn: QLocalSocket) -> None:
        data = bytes(conn.readAll().data())
        if SHOW.strip() in data:
            self.show_requested.emit()

"""One app per user: a second launch asks the first to show its window, then exits.

A QLocalServer (a Unix socket / Windows named pipe) named per user: if connecting to it
works, someone is already serving; otherwise we remove a stale socket left by a crash
and listen ourselves. The same channel carries "quit": `hivemind-desktop --quit` (used by
the Windows uninstaller and upgrades instead of killing the process) asks the running
app to stop its tasks cleanly, queue their results and exit.
"""

from __future__ import annotations

import getpass
import re
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW = b"show\n"
QUIT = b"quit\n"


def default_name() -> str:
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser() or "user")
    return f"hivemind-desktop-{user}"


def ask_to_quit(name: str | None = None, wait_s: float = 120.0) -> bool | None:
    """Tell the running app to quit and wait until it has gone. None: none was running;
    True: it quit; False: it still runs after wait_s (tasks that would not stop)."""
    name = name or default_name()
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(1000):
        return None
    socket.write(QUIT)
    socket.flush()
    socket.waitForBytesWritten(1000)
    # The app closes its end when it exits (and the server with it).
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
            return True
        socket.waitForDisconnected(500)
    return socket.state() == QLocalSocket.LocalSocketState.UnconnectedState


class SingleInstance(QObject):
    show_requested = Signal()
    quit_requested = Signal()

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
        if QUIT.strip() in data:
            self.quit_requested.emit()  # the connection stays open: it closes as we exit
        elif SHOW.strip() in data:
            self.show_requested.emit()

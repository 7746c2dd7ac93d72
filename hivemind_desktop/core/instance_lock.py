"""One worker per data folder, held with an OS file lock for the worker's life.

Two workers on one folder would share the SQLite store and re-attach to each other's
containers. The lock is the operating system's (flock on macOS/Linux, a byte-range lock
on Windows), so the kernel drops it when the process dies, even by kill -9: no stale lock
file ever needs cleaning up. The file also carries the holder's pid, for the message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

LOCK_NAME = "worker.lock"
# Windows: lock one byte far past the pid text, so others can still read the pid.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DataFolderInUse(RuntimeError):
    """Another worker holds this data folder; str() is one line with cause and fix."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"another HiveMind worker{who} is already using the data folder {folder}: "
            "quit it first, or give this one its own folder (HIVEMIND_DATA_DIR)"
        )
        self.folder = folder
        self.pid = pid


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held elsewhere (any other fd, even in this process)
        return False
    return True


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class DataFolderLock:
    """Held from `acquire()` until `release()` or the end of the process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the folder or raise DataFolderInUse; never waits."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # "a": never truncate the holder's pid before we own the lock.
        handle = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 - held for life
        if not _try_lock(handle):
            handle.close()
            raise DataFolderInUse(self.folder, _read_pid(self.path))
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Give the folder back (closing the file drops the OS lock)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


def holder_pid(folder: Path) -> int | None:
    """The pid of the worker holding `folder`, or None when none does. Reads only: it
    never takes the lock, so it cannot make a starting worker refuse."""
    pid = _read_pid(folder / LOCK_NAME)
    if pid is None:
        return None
    import psutil

    return pid if psutil.pid_exists(pid) else None

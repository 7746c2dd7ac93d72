"""Windows' named-pipe failure, for tests of what the app says about it (no named pipe
exists here). docker-py's npipe transport raises pywin32's `pywintypes.error`, which is not
an OSError: module `pywintypes`, args (winerror, funcname, strerror), and the same three as
attributes. This class has that shape; that the real one does is verified by reading
pywin32's documentation."""

from __future__ import annotations


class error(Exception):  # noqa: N801, N818 - pywin32's name for it
    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


error.__module__ = "pywintypes"

NOT_FOUND = (2, "CreateFile", "The system cannot find the file specified.")  # not started
ACCESS_DENIED = (5, "CreateFile", "Access is denied.")  # not in docker-users

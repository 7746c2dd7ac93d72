"""Running one program as administrator on Windows, and saying how it went.

`wireguard.exe /installtunnelservice` needs administrator rights; started the plain way
from a normal account it fails with "Access is denied" and Windows shows no prompt. The
"runas" verb of ShellExecuteEx shows the User Account Control prompt; with
SEE_MASK_NOCLOSEPROCESS it hands back the process, so we can wait for its exit code.

The outcome is decided by a pure function (`elevated_result`) tested on any OS; the
Windows call itself (`run_elevated`) is a thin ctypes wrapper.
"""

from __future__ import annotations

import ctypes
import subprocess
from dataclasses import dataclass
from typing import Any

SEE_MASK_NOCLOSEPROCESS = 0x00000040
SEE_MASK_NOASYNC = 0x00000100  # the call may return before the process exists otherwise
SEE_MASK_FLAG_NO_UI = 0x00000400  # our own message instead of Windows' error box
SW_HIDE = 0
WAIT_TIMEOUT = 0x00000102

ERROR_FILE_NOT_FOUND = 2
ERROR_ACCESS_DENIED = 5
ERROR_CANCELLED = 1223  # the volunteer answered No to the User Account Control prompt


@dataclass(frozen=True)
class ElevatedRun:
    """What happened: the process ran (exit_code), or Windows refused to start it
    (error, a Win32 error code), or it did not finish in time (timed_out)."""

    exit_code: int | None = None
    error: int | None = None
    timed_out: bool = False


def elevated_result(run: ElevatedRun, program: str, timeout: float) -> tuple[bool, str]:
    """(ok, reason): the reason is "" when ok, else one line naming the cause and the fix."""
    if run.error == ERROR_CANCELLED:
        return False, (
            "you declined the administrator prompt: click Yes when Windows asks for "
            "permission, or follow the steps below"
        )
    if run.error == ERROR_FILE_NOT_FOUND:
        return False, f"{program} is not installed: install WireGuard for Windows"
    if run.error == ERROR_ACCESS_DENIED:
        return False, "Windows refused administrator rights: ask an administrator of this PC"
    if run.error is not None:
        return False, f"Windows could not start {program} as administrator (error {run.error})"
    if run.timed_out:
        return False, (
            f"{program} did not finish within {timeout:g} s: try again, or follow the "
            "steps below"
        )
    if run.exit_code:
        # wireguard.exe refuses to install a tunnel that is installed and running already.
        return False, (
            f"{program} failed (exit {run.exit_code}): the tunnel may be active already "
            "(check it), else open WireGuard to see its log, or follow the steps below"
        )
    return True, ""


def shell_parameters(args: tuple[str, ...]) -> str:
    """ShellExecuteEx takes the arguments as one string, split again by the program the
    way CommandLineToArgvW does: a config path under "C:\\Users\\Ann Lee" must be quoted."""
    return subprocess.list2cmdline(list(args))


def run_elevated(argv: tuple[str, ...], timeout: float) -> ElevatedRun:
    """Run argv[0] with the rest as its arguments through the UAC prompt, wait for it.
    Windows only (ctypes.WinDLL); callers check the platform first."""
    win_dll: Any = getattr(ctypes, "WinDLL", None)
    if win_dll is None:
        raise OSError("administrator prompts exist only on Windows")
    shell32 = win_dll("shell32", use_last_error=True)
    kernel32 = win_dll("kernel32", use_last_error=True)
    shell32.ShellExecuteExW.argtypes = [ctypes.POINTER(ShellExecuteInfo)]
    shell32.ShellExecuteExW.restype = ctypes.c_int
    kernel32.WaitForSingleObject.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    kernel32.WaitForSingleObject.restype = ctypes.c_uint32
    kernel32.GetExitCodeProcess.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]

    info = ShellExecuteInfo()
    info.cbSize = ctypes.sizeof(info)
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI
    info.lpVerb = "runas"
    info.lpFile = argv[0]
    info.lpParameters = shell_parameters(argv[1:])
    info.nShow = SW_HIDE
    if not shell32.ShellExecuteExW(ctypes.byref(info)):
        return ElevatedRun(error=ctypes.get_last_error())  # type: ignore[attr-defined]
    if not info.hProcess:  # handed to an already running process: nothing to wait on
        return ElevatedRun(exit_code=0)
    try:
        waited = kernel32.WaitForSingleObject(info.hProcess, int(timeout * 1000))
        if waited == WAIT_TIMEOUT:
            return ElevatedRun(timed_out=True)
        code = ctypes.c_uint32()
        kernel32.GetExitCodeProcess(info.hProcess, ctypes.byref(code))
        return ElevatedRun(exit_code=int(code.value))
    finally:
        kernel32.CloseHandle(info.hProcess)


class ShellExecuteInfo(ctypes.Structure):
    """SHELLEXECUTEINFOW (shellapi.h), from fixed-size types: Windows' DWORD is 32 bits,
    and spelling it so lets the layout be checked against the documented size (112 bytes
    on 64-bit Windows) on any OS."""

    _fields_ = [
        ("cbSize", ctypes.c_uint32),
        ("fMask", ctypes.c_uint32),
        ("hwnd", ctypes.c_void_p),
        ("lpVerb", ctypes.c_wchar_p),
        ("lpFile", ctypes.c_wchar_p),
        ("lpParameters", ctypes.c_wchar_p),
        ("lpDirectory", ctypes.c_wchar_p),
        ("nShow", ctypes.c_int),
        ("hInstApp", ctypes.c_void_p),
        ("lpIDList", ctypes.c_void_p),
        ("lpClass", ctypes.c_wchar_p),
        ("hkeyClass", ctypes.c_void_p),
        ("dwHotKey", ctypes.c_uint32),
        ("hIconOrMonitor", ctypes.c_void_p),
        ("hProcess", ctypes.c_void_p),
    ]

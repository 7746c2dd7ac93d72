"""Start at login, the platform's own way (no Qt here: the GUI and the CLI both drive it).

- Linux/BSD: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/hivemind-desktop.desktop.
- Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run (the same
  value the Inno Setup installer's "start at login" task writes, so both agree).
- macOS: a LaunchAgent plist in ~/Library/LaunchAgents, loaded by launchd at next login.

The file/value contents come from pure functions so they can be checked on any OS.
Entries carry TryExec (Linux) so one left behind after an uninstall is ignored, not an error.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

APP_ID = "hivemind-desktop"
APP_NAME = "HiveMind Desktop"
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
LAUNCH_AGENT_LABEL = "org.hivemind.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = APP_NAME  # installer/windows/hivemind-desktop.iss writes the same name


class AutostartError(RuntimeError):
    """Start at login could not be changed; the message names the cause and the fix."""


# -- what to start ----------------------------------------------------------------------------


def launch_command() -> list[str]:
    """The command that starts this app as installed: the frozen binary itself, else the
    `hivemind-desktop` console script, else this interpreter with `-m hivemind_desktop`."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = shutil.which(APP_ID)
    if script:
        return [str(Path(script).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "hivemind_desktop"]


LOGIN_ARGS = ("--minimized",)  # at login: the tray icon only, no window (cli.py)


def login_command() -> list[str]:
    """What start at login runs: the app, straight to the tray."""
    return [*launch_command(), *LOGIN_ARGS]


# -- pure content builders ------------------------------------------------------------------

_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _desktop_exec_arg(arg: str) -> str:
    """Quote one Exec argument per the Desktop Entry spec ("Exec key"), then escape it as a
    desktop-file string value (backslashes double again at that level)."""
    if not arg:
        quoted = '""'
    elif any(c in _DESKTOP_RESERVED for c in arg) or arg.startswith("="):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        quoted = f'"{inner}"'
    else:
        quoted = arg
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def _check_command(exec_command: list[str]) -> None:
    if not exec_command or not all(isinstance(a, str) for a in exec_command):
        raise ValueError("exec_command must be a non-empty list of strings, e.g. launch_command()")
    if any(c in a for a in exec_command for c in "\n\r\0"):
        raise ValueError("exec_command must not contain line breaks or NUL characters")
    if not Path(exec_command[0]).is_absolute():
        raise ValueError(
            f"'{exec_command[0]}' is not an absolute path: the login session has no PATH "
            "to find it, use launch_command()"
        )


def desktop_entry(exec_command: list[str]) -> str:
    """The XDG autostart entry (also a valid application .desktop file)."""
    _check_command(exec_command)
    exec_line = " ".join(_desktop_exec_arg(a) for a in exec_command)
    try_exec = exec_command[0].replace("\\", "\\\\")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Lend this computer's spare power to the HiveMind network\n"
        f"Exec={exec_line}\n"
        f"TryExec={try_exec}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Network;\n"
        "StartupNotify=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def launch_agent_plist(exec_command: list[str]) -> bytes:
    """The macOS LaunchAgent: run once at login in the user's GUI (Aqua) session, and do
    not restart it when the volunteer quits from the tray (KeepAlive false)."""
    _check_command(exec_command)
    agent = {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(exec_command),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=True)


def run_key_value(exec_command: list[str]) -> str:
    """The Run-key command line, quoted the way Windows' CommandLineToArgvW splits it."""
    if not exec_command or not all(isinstance(a, str) for a in exec_command):
        raise ValueError("exec_command must be a non-empty list of strings, e.g. launch_command()")
    # The program path always in quotes: "C:\Program Files\..." has spaces, and an
    # unquoted Run entry with spaces is a classic path-hijack hole.
    program = exec_command[0]
    if '"' in program:
        raise ValueError(f"program path {program!r} must not contain a double quote")
    rest = subprocess.list2cmdline(exec_command[1:])
    return f'"{program}"' + (f" {rest}" if rest else "")


# -- where things live ------------------------------------------------------------------------


def xdg_autostart_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    config_home = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return config_home / "autostart" / DESKTOP_FILE_NAME


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def _kind(platform: str | None) -> str:
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "xdg"


# -- the switch -------------------------------------------------------------------------------


def enable(exec_command: list[str] | None = None, *, platform: str | None = None) -> None:
    """Start `exec_command` (default: login_command()) at login. Raises AutostartError."""
    if exec_command is None:
        exec_command = login_command()
    kind = _kind(platform)
    if kind == "windows":
        _set_run_value(run_key_value(exec_command))
        return
    if kind == "macos":
        path, content = launch_agent_path(), launch_agent_plist(exec_command)
    else:
        path, content = xdg_autostart_path(), desktop_entry(exec_command).encode("utf-8")
    _write_atomic(path, content)


def disable(*, platform: str | None = None) -> None:
    """Remove the start-at-login entry; nothing to remove is not an error."""
    kind = _kind(platform)
    if kind == "windows":
        _delete_run_value()
        return
    path = launch_agent_path() if kind == "macos" else xdg_autostart_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(
            f"cannot remove {path}: {exc.strerror}; delete it by hand or fix its permissions"
        ) from None


def is_enabled(*, platform: str | None = None) -> bool:
    """True when an entry exists that the session will honour at the next login."""
    kind = _kind(platform)
    if kind == "windows":
        return _get_run_value() is not None
    if kind == "macos":
        path = launch_agent_path()
        try:
            agent = plistlib.loads(path.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return isinstance(agent, dict) and agent.get("Disabled") is not True
    return _xdg_entry_active(xdg_autostart_path())


def apply(
    enabled: bool, exec_command: list[str] | None = None, *, platform: str | None = None
) -> None:
    """Make start-at-login match the volunteer's setting (Settings.start_at_login): what the
    settings page and the wizard call when the toggle is applied."""
    if enabled:
        enable(exec_command, platform=platform)
    else:
        disable(platform=platform)


def _xdg_entry_active(path: Path) -> bool:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    # Desktop environments honour Hidden=true and X-GNOME-Autostart-enabled=false as "off".
    keys = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    if keys.get("Hidden", "").strip().lower() == "true":
        return False
    return keys.get("X-GNOME-Autostart-enabled", "true").strip().lower() != "false"


def _write_atomic(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError as exc:
        raise AutostartError(
            f"cannot write {path}: {exc.strerror}; check that the folder is writable"
        ) from None


# -- Windows registry (winreg exists only there) ------------------------------------------


def _winreg() -> Any:
    """The winreg module; it exists only on Windows."""
    try:
        import winreg
    except ImportError:
        raise AutostartError("the Windows registry is not available on this system") from None
    return winreg


def _set_run_value(value: str) -> None:
    winreg = _winreg()
    try:
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as k:
            winreg.SetValueEx(k, RUN_VALUE_NAME, 0, winreg.REG_SZ, value)
    except OSError as exc:
        raise AutostartError(
            f"cannot write the Run key ({exc}): check your account may change HKCU"
        ) from None


def _delete_run_value() -> None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as k:
            winreg.DeleteValue(k, RUN_VALUE_NAME)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AutostartError(
            f"cannot remove the Run key value ({exc}): check your account may change HKCU"
        ) from None


def _get_run_value() -> str | None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_READ) as k:
            value, _type = winreg.QueryValueEx(k, RUN_VALUE_NAME)
    except FileNotFoundError:
        return None
    except OSError:
        return None
    return str(value)

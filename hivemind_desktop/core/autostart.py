"""Start at login, the platform's own way (no Qt here: the GUI and the CLI both drive it).

- Linux/BSD: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/hivemind-desktop.desktop.
- Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run (the same
  value the Inno Setup installer's "start at login" task writes, so both agree).
- macOS: a LaunchAgent plist in ~/Library/LaunchAgents, loaded by launchd at next login.

The file/value contents come from pure functions so they can be checked on any OS.
Entries carry TryExec (Linux) so one left behind after an uninstall is ignored, not an error.

What counts is what the system will do at the next login, not what our config file says:
the installer may have written the entry, and the volunteer may have switched it off in
Task Manager's Startup apps (Windows keeps that in StartupApproved\\Run) or in System
Settings > Login Items (launchd's disabled list). `state()` reads all of it; the pure
`*_state()` functions decide from the raw bytes so they are tested on any OS.

macOS 13+ also offers SMAppService; it needs the agent's plist inside a signed bundle
and a native call (PyObjC). A LaunchAgent in ~/Library works for every build (ad-hoc
signed too), shows up in Login Items the same way, and is read and switched here.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP_ID = "hivemind-desktop"
APP_NAME = "HiveMind Desktop"
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
LAUNCH_AGENT_LABEL = "org.hivemind.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = APP_NAME  # installer/windows/hivemind-desktop.iss writes the same name
# Task Manager's "Startup apps" switch: a REG_BINARY under this key named like the Run value.
STARTUP_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
STARTUP_APPROVED_ON = bytes([0x02]) + bytes(11)  # what Task Manager writes for "Enabled"
CLI_SUFFIX = "-cli"  # build.spec: hivemind-desktop-cli.exe, the console twin of the app


class AutostartError(RuntimeError):
    """Start at login could not be changed; the message names the cause and the fix."""


# -- what to start ----------------------------------------------------------------------------


def launch_command() -> list[str]:
    """The command that starts this app as installed: the frozen binary itself, else the
    `hivemind-desktop` console script, else this interpreter with `-m hivemind_desktop`."""
    if getattr(sys, "frozen", False):
        return [str(gui_executable(Path(sys.executable).resolve()))]
    script = shutil.which(APP_ID)
    if script:
        return [str(Path(script).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "hivemind_desktop"]


def gui_executable(executable: Path) -> Path:
    """The windowed app for `executable`: run from the console twin (`-cli`), start at
    login must still record the windowed one, or every login opens a console window."""
    stem = executable.stem
    if stem.endswith(CLI_SUFFIX):
        windowed = executable.with_name(stem[: -len(CLI_SUFFIX)] + executable.suffix)
        if windowed.is_file():
            return windowed
    return executable


def location_problem(executable: str, platform: str | None = None) -> str:
    """Why start at login must not record `executable` (macOS), "" when it may.

    An app opened from its .dmg runs from /Volumes/..., gone once the image is ejected;
    an app opened from Downloads without being moved runs from a random read-only
    App Translocation copy, gone at the next login. Either would leave an entry pointing
    to nothing, so the volunteer is asked to move the app first."""
    if _kind(platform) != "macos":
        return ""
    if "/AppTranslocation/" in executable:
        return (
            "macOS runs HiveMind from a temporary copy (App Translocation): move "
            "HiveMind Desktop to the Applications folder, open it from there, then turn "
            "on start at login"
        )
    if executable.startswith("/Volumes/"):
        return (
            f"HiveMind runs from the disk image or drive {'/'.join(executable.split('/')[:3])}: "
            "drag HiveMind Desktop to the Applications folder, eject the disk image, open "
            "it from Applications, then turn on start at login"
        )
    return ""


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


# -- what the system will do at the next login (pure: decided from raw bytes) -------------

Exists = Callable[[str], bool]


def _exists(path: str) -> bool:
    return Path(path).exists()


@dataclass(frozen=True)
class AutostartState:
    """What the system will do at the next login, and why not when it will not."""

    enabled: bool  # the app starts at the next login
    entry: bool  # an entry of ours exists (possibly switched off, or stale)
    program: str = ""  # the program the entry starts
    reason: str = ""  # why an existing entry will not start: "switched-off" or "missing"
    detail: str = ""  # one line for people


def _verdict(program: str, switched_off: bool, where_off: str, exists: Exists) -> AutostartState:
    if program and not exists(program):
        return AutostartState(
            False, True, program, "missing",
            f"the start-at-login entry points to {program}, which no longer exists",
        )  # fmt: skip
    if switched_off:
        return AutostartState(False, True, program, "switched-off", f"switched off in {where_off}")
    return AutostartState(True, True, program, "", "on")


def run_value_program(value: str) -> str:
    """The program of a Run-key command line, split as Windows splits argv[0]: up to the
    closing quote when it starts with one, else up to the first blank."""
    value = value.strip()
    if value.startswith('"'):
        return value[1:].partition('"')[0]
    return value.split(maxsplit=1)[0] if value else ""


def startup_approved_on(data: bytes | None) -> bool:
    """Task Manager's switch: no value means on; else the first byte's low bit is off
    (0x02 and 0x06 are on, 0x03 and 0x07 are off; the other 11 bytes are a timestamp)."""
    if not data:
        return True
    return data[0] & 0x01 == 0


def windows_state(
    run_value: str | None, approved: bytes | None, exists: Exists = _exists
) -> AutostartState:
    if run_value is None:
        return AutostartState(False, False, detail="off")
    return _verdict(
        run_value_program(run_value),
        not startup_approved_on(approved),
        "Task Manager (Startup apps)",
        exists,
    )


def parse_launchd_disabled(text: str) -> dict[str, bool]:
    """`launchctl print-disabled gui/UID`: label -> disabled. Newer macOS writes
    `"label" => disabled|enabled`, older `"label" => true|false` (true = disabled)."""
    found = {}
    for line in text.splitlines():
        label, arrow, value = line.strip().partition("=>")
        label, value = label.strip().strip('"'), value.strip().lower()
        if arrow and label and value in ("disabled", "enabled", "true", "false"):
            found[label] = value in ("disabled", "true")
    return found


def macos_state(
    plist: bytes | None, launchd_disabled: bool, exists: Exists = _exists
) -> AutostartState:
    if plist is None:
        return AutostartState(False, False, detail="off")
    try:
        agent = plistlib.loads(plist)
    except (plistlib.InvalidFileException, ValueError, TypeError):
        agent = None
    if not isinstance(agent, dict):
        return AutostartState(False, True, reason="missing", detail="the LaunchAgent is unreadable")
    args = agent.get("ProgramArguments") or [agent.get("Program") or ""]
    program = str(args[0]) if args else ""
    off = agent.get("Disabled") is True or launchd_disabled
    return _verdict(program, off, "System Settings (Login Items)", exists)


def xdg_state(text: str | None, exists: Exists = _exists) -> AutostartState:
    if text is None:
        return AutostartState(False, False, detail="off")
    keys = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )
    # Desktop environments honour Hidden=true and X-GNOME-Autostart-enabled=false as "off".
    off = keys.get("Hidden", "").strip().lower() == "true" or (
        keys.get("X-GNOME-Autostart-enabled", "true").strip().lower() == "false"
    )
    program = keys.get("TryExec", "").strip().replace("\\\\", "\\")
    if program and not Path(program).is_absolute():  # the spec looks a bare name up in PATH
        program = shutil.which(program) or program
    return _verdict(program, off, "the desktop's startup applications", exists)


def repair_plan(
    found: AutostartState, current: str, current_problem: str, entry_problem: str
) -> str:
    """What to do at start with an entry that starts nothing (`found.reason` "missing") or
    starts the app from a disk image (`entry_problem`, from location_problem): "keep",
    "rewrite" (for `current`, this app as now installed) or "remove" (when this app runs
    from a place that will not last either). Nothing may stay pointing to a deleted app."""
    if not found.entry or not (found.reason == "missing" or entry_problem):
        return "keep"
    return "remove" if current_problem else "rewrite"


# -- the switch -------------------------------------------------------------------------------


def state(*, platform: str | None = None) -> AutostartState:
    """What this system will do at the next login (never raises)."""
    kind = _kind(platform)
    if kind == "windows":
        try:
            return windows_state(_get_run_value(), _get_startup_approved())
        except AutostartError:
            return AutostartState(False, False, detail="the Windows registry is not available")
    if kind == "macos":
        try:
            plist: bytes | None = launch_agent_path().read_bytes()
        except OSError:
            plist = None
        return macos_state(plist, _launchd_disabled())
    try:
        text: str | None = xdg_autostart_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    return xdg_state(text)


def is_enabled(*, platform: str | None = None) -> bool:
    """True when an entry exists that the session will honour at the next login."""
    return state(platform=platform).enabled


def enable(exec_command: list[str] | None = None, *, platform: str | None = None) -> None:
    """Start `exec_command` (default: login_command()) at login, switching it back on where
    the volunteer had switched it off in the system's own list. Raises AutostartError."""
    if exec_command is None:
        exec_command = login_command()
    _write_entry(exec_command, _kind(platform))
    kind = _kind(platform)
    if kind == "windows" and not startup_approved_on(_get_startup_approved()):
        _set_startup_approved(STARTUP_APPROVED_ON)
    if kind == "macos" and _launchd_disabled():
        _launchctl("enable", f"gui/{os.getuid()}/{LAUNCH_AGENT_LABEL}")


def _write_entry(exec_command: list[str], kind: str) -> None:
    if kind == "windows":
        _set_run_value(run_key_value(exec_command))
        return
    if kind == "macos":
        problem = location_problem(exec_command[0] if exec_command else "", "darwin")
        if problem:
            raise AutostartError(problem)
        path, content = launch_agent_path(), launch_agent_plist(exec_command)
    else:
        path, content = xdg_autostart_path(), desktop_entry(exec_command).encode("utf-8")
    _write_atomic(path, content)


def disable(*, platform: str | None = None) -> None:
    """Remove the start-at-login entry; nothing to remove is not an error."""
    kind = _kind(platform)
    if kind == "windows":
        _delete_run_value()
        _delete_startup_approved()  # Task Manager's switch for it goes with it
        return
    path = launch_agent_path() if kind == "macos" else xdg_autostart_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(
            f"cannot remove {path}: {exc.strerror}; delete it by hand or fix its permissions"
        ) from None


def apply(
    enabled: bool, exec_command: list[str] | None = None, *, platform: str | None = None
) -> None:
    """Make start-at-login match the volunteer's setting (Settings.start_at_login): what the
    settings page and the wizard call when the toggle is applied."""
    if enabled:
        enable(exec_command, platform=platform)
    else:
        disable(platform=platform)


def repair(exec_command: list[str] | None = None, *, platform: str | None = None) -> str:
    """At app start: an entry that points to a deleted app, or into a disk image, is
    rewritten for this app as installed now, or removed when this app itself runs from a
    place that will not last. Keeps the volunteer's on/off switch. Returns what it did."""
    if exec_command is None:
        exec_command = login_command()
    kind = _kind(platform)
    found = state(platform=platform)
    plan = repair_plan(
        found,
        exec_command[0],
        location_problem(exec_command[0], platform),
        location_problem(found.program, platform),
    )
    if plan == "rewrite":
        _write_entry(exec_command, kind)
    elif plan == "remove":
        disable(platform=platform)
    return plan


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


def _get_startup_approved() -> bytes | None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, STARTUP_APPROVED_KEY, 0, winreg.KEY_READ
        ) as k:
            value, _type = winreg.QueryValueEx(k, RUN_VALUE_NAME)
    except OSError:  # FileNotFoundError included: never switched in Task Manager
        return None
    return bytes(value) if isinstance(value, (bytes, bytearray)) else None


def _set_startup_approved(data: bytes) -> None:
    winreg = _winreg()
    try:
        with winreg.CreateKeyEx(
            winreg.HKEY_CURRENT_USER, STARTUP_APPROVED_KEY, 0, winreg.KEY_SET_VALUE
        ) as k:
            winreg.SetValueEx(k, RUN_VALUE_NAME, 0, winreg.REG_BINARY, data)
    except OSError as exc:
        raise AutostartError(
            f"cannot switch start at login back on ({exc}): turn HiveMind on in Task "
            "Manager > Startup apps"
        ) from None


def _delete_startup_approved() -> None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, STARTUP_APPROVED_KEY, 0, winreg.KEY_SET_VALUE
        ) as k:
            winreg.DeleteValue(k, RUN_VALUE_NAME)
    except OSError:  # not there, or not ours to tidy: the Run value is gone anyway
        return


# -- launchd (macOS): the Login Items switch ------------------------------------------------


def _launchctl(*args: str) -> str:
    """Run launchctl (macOS only); its output, "" when it cannot run."""
    if sys.platform != "darwin":
        return ""
    try:
        done = subprocess.run(
            ["/bin/launchctl", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def _launchd_disabled() -> bool:
    """Switched off in System Settings > Login Items (launchd keeps it as "disabled")."""
    if sys.platform != "darwin":
        return False
    text = _launchctl("print-disabled", f"gui/{os.getuid()}")
    return parse_launchd_disabled(text).get(LAUNCH_AGENT_LABEL, False)

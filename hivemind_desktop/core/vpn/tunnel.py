"""Bringing the tunnel up and down, each platform its own way.

A plan is decided first (pure, testable for every platform) and executed second; where
no command can do it for the volunteer, the plan carries the exact steps to show instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

WIREGUARD_DOWNLOAD_URL = "https://www.wireguard.com/install/"
DEFAULT_TIMEOUT_S = 30.0

Method = Literal["wg-quick", "pkexec", "nmcli", "wireguard-windows", "manual"]
Which = Callable[[str], str | None]


@dataclass(frozen=True)
class TunnelPlan:
    """How to bring one tunnel up and down here. `up`/`down` are argv lists, or None
    when the volunteer must do it by hand following `steps`."""

    platform: str
    method: Method
    interface: str
    config_path: Path
    up: tuple[str, ...] | None
    down: tuple[str, ...] | None
    steps: tuple[str, ...] = ()
    summary: str = ""
    # Windows: run through the User Account Control prompt ("runas"); a plain start of
    # wireguard.exe /installtunnelservice fails with "Access is denied" and no prompt.
    elevate: bool = False

    @property
    def automatic(self) -> bool:
        return self.up is not None


@dataclass(frozen=True)
class TunnelResult:
    ok: bool
    message: str
    steps: tuple[str, ...] = ()
    output: str = field(default="", repr=False)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _networkmanager_running(nmcli: str) -> bool:
    try:
        out = subprocess.run(
            [nmcli, "-t", "-f", "RUNNING", "general"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == "running"


def _linux_plan(
    path: Path, name: str, *, root: bool, which: Which, use_networkmanager: bool | None
) -> TunnelPlan:
    nmcli = which("nmcli")
    if use_networkmanager is None:
        use_networkmanager = bool(nmcli) and _networkmanager_running(nmcli)  # type: ignore[arg-type]
    if use_networkmanager and nmcli:
        # Importing creates and activates a profile named after the file; deleting it is
        # the way down, so that the next import does not make a duplicate.
        return TunnelPlan(
            "linux",
            "nmcli",
            name,
            path,
            (nmcli, "connection", "import", "type", "wireguard", "file", str(path)),
            (nmcli, "connection", "delete", "id", name),
            summary=f"NetworkManager imports and activates {path}",
        )
    wg_quick = which("wg-quick")
    if not wg_quick:
        return TunnelPlan(
            "linux",
            "manual",
            name,
            path,
            None,
            None,
            (
                "Install WireGuard's tools: sudo apt install wireguard-tools "
                "(or your distribution's wireguard-tools package)",
                f"Then run in a terminal: sudo wg-quick up {path}",
            ),
            "wg-quick is not installed",
        )
    if root:
        return TunnelPlan(
            "linux",
            "wg-quick",
            name,
            path,
            (wg_quick, "up", str(path)),
            (wg_quick, "down", str(path)),
            summary=f"wg-quick up {path}",
        )
    pkexec = which("pkexec")
    if pkexec:
        return TunnelPlan(
            "linux",
            "pkexec",
            name,
            path,
            (pkexec, wg_quick, "up", str(path)),
            (pkexec, wg_quick, "down", str(path)),
            summary=f"wg-quick up {path}, asking for your password",
        )
    return TunnelPlan(
        "linux",
        "manual",
        name,
        path,
        None,
        None,
        (
            "Open a terminal.",
            f"Run: sudo wg-quick up {path}",
            f"To stop it later: sudo wg-quick down {path}",
        ),
        "administrator rights are needed and pkexec is not available",
    )


def _windows_plan(path: Path, name: str, which: Which, env: Mapping[str, str]) -> TunnelPlan:
    exe = which("wireguard.exe") or which("wireguard")
    if not exe:
        candidate = Path(env.get("ProgramFiles", r"C:\Program Files"), "WireGuard", "wireguard.exe")
        exe = str(candidate) if candidate.is_file() else None
    if exe:
        return TunnelPlan(
            "win32",
            "wireguard-windows",
            name,
            path,
            (exe, "/installtunnelservice", str(path)),
            (exe, "/uninstalltunnelservice", name),
            (
                "Or by hand: open WireGuard, click 'Import tunnel(s) from file', "
                f"choose {path}, then click Activate.",
            ),
            "the WireGuard app installs the tunnel as a service: Windows asks you for "
            "administrator permission",
            elevate=True,
        )
    return TunnelPlan(
        "win32",
        "manual",
        name,
        path,
        None,
        None,
        (
            f"Download and install WireGuard for Windows from {WIREGUARD_DOWNLOAD_URL}",
            "Open WireGuard and click 'Import tunnel(s) from file'.",
            f"Choose {path}.",
            f"Select the tunnel '{name}' and click Activate.",
        ),
        "the WireGuard app is not installed",
    )


def _macos_plan(path: Path, name: str) -> TunnelPlan:
    return TunnelPlan(
        "darwin",
        "manual",
        name,
        path,
        None,
        None,
        (
            f"Install WireGuard from the Mac App Store if needed ({WIREGUARD_DOWNLOAD_URL}).",
            "Open the WireGuard app and choose 'Import tunnel(s) from file'.",
            f"Choose {path}.",
            f"Select the tunnel '{name}' and click Activate.",
        ),
        "macOS tunnels are activated in the WireGuard app",
    )


def tunnel_up_plan(
    config_path: Path | str,
    platform: str = sys.platform,
    *,
    use_networkmanager: bool | None = None,
    is_root: bool | None = None,
    which: Which = shutil.which,
    env: Mapping[str, str] | None = None,
) -> TunnelPlan:
    """Decide how to bring the tunnel in `config_path` up on `platform`.

    use_networkmanager: None = when NetworkManager is running (it would otherwise fight
    wg-quick over DNS and routes); True/False force the choice. The keyword arguments
    other than that describe the machine and default to this one.
    """
    path = Path(config_path).absolute()
    name = path.stem
    if platform.startswith("linux"):
        root = _is_root() if is_root is None else is_root
        return _linux_plan(
            path, name, root=root, which=which, use_networkmanager=use_networkmanager
        )
    if platform == "win32":
        return _windows_plan(path, name, which, os.environ if env is None else env)
    if platform == "darwin":
        return _macos_plan(path, name)
    return TunnelPlan(
        platform,
        "manual",
        name,
        path,
        None,
        None,
        (f"Import {path} into your WireGuard client and activate it.",),
        f"no automatic tunnel control on {platform}",
    )


_PKEXEC_CODES = {
    126: "you dismissed the password prompt: try again and enter your password",
    127: "you are not allowed to do this (not authorised): ask an administrator",
}


def _run_elevated(
    plan: TunnelPlan, argv: tuple[str, ...], verb: str, timeout: float
) -> TunnelResult:
    """Through the administrator prompt (Windows), waiting for the program to finish."""
    from hivemind_desktop.core.vpn.elevation import elevated_result, run_elevated

    what = f"WireGuard tunnel {plan.interface}"
    try:
        run = run_elevated(argv, timeout)
    except OSError as exc:
        return TunnelResult(False, f"could not run {argv[0]}: {exc.strerror or exc}", plan.steps)
    ok, reason = elevated_result(run, Path(argv[0]).name, timeout)
    if ok:
        return TunnelResult(True, f"{what} is {verb}")
    return TunnelResult(False, f"could not bring {what} {verb}: {reason}", plan.steps)


def _run(plan: TunnelPlan, argv: tuple[str, ...], verb: str, timeout: float) -> TunnelResult:
    if plan.elevate:
        return _run_elevated(plan, argv, verb, timeout)
    what = f"WireGuard tunnel {plan.interface}"
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        return TunnelResult(
            False, f"could not bring {what} {verb}: {argv[0]} is not installed", plan.steps
        )
    except subprocess.TimeoutExpired:
        return TunnelResult(
            False,
            f"bringing {what} {verb} took longer than {timeout:g} s and was stopped: "
            "try again, or follow the manual steps",
            plan.steps,
        )
    except OSError as exc:
        return TunnelResult(False, f"could not run {argv[0]}: {exc.strerror or exc}", plan.steps)
    output = (done.stdout + done.stderr).strip()
    if done.returncode == 0:
        return TunnelResult(True, f"{what} is {verb}", (), output)
    if plan.method == "pkexec" and done.returncode in _PKEXEC_CODES:
        reason = _PKEXEC_CODES[done.returncode]
    else:
        last = next((ln for ln in reversed(output.splitlines()) if ln.strip()), "no output")
        reason = f"{Path(argv[0]).name} failed (exit {done.returncode}): {last.strip()}"
    return TunnelResult(False, f"could not bring {what} {verb}: {reason}", plan.steps, output)


def _family(platform: str) -> str:
    return "linux" if platform.startswith("linux") else platform


def _execute(
    plan: TunnelPlan, argv: tuple[str, ...] | None, verb: str, timeout: float
) -> TunnelResult:
    # A plan made for another platform (the wizard previewing) is never executed here.
    if argv is None or _family(sys.platform) != _family(plan.platform):
        return TunnelResult(
            False,
            f"bring the WireGuard tunnel {plan.interface} {verb} by hand: {plan.summary}",
            plan.steps,
        )
    return _run(plan, argv, verb, timeout)


def bring_up(plan: TunnelPlan, timeout: float = DEFAULT_TIMEOUT_S) -> TunnelResult:
    """Run the plan's up command (never through a shell); manual plans return their steps."""
    return _execute(plan, plan.up, "up", timeout)


def bring_down(plan: TunnelPlan, timeout: float = DEFAULT_TIMEOUT_S) -> TunnelResult:
    """Run the plan's down command; manual plans return their steps."""
    steps = plan.steps
    if plan.up is None and plan.platform in ("darwin", "win32"):
        steps = (f"Open the WireGuard app, select '{plan.interface}' and click Deactivate.",)
    if plan.down is None:
        return TunnelResult(
            False, f"bring the WireGuard tunnel {plan.interface} down by hand", steps
        )
    return _execute(plan, plan.down, "down", timeout)

"""Can the node pool reach the worker through Windows Firewall?

Windows Firewall blocks inbound connections by default, and the node pool dials the
worker (ExecuteTask on NODE_PORT at its VPN address): without an allow rule the pool can
never hand it a task, and nothing else tells the volunteer why. The installer adds the
rule below; the self-test reads what Windows has and says what is missing.

Windows is asked through PowerShell's NetSecurity cmdlets as JSON, not `netsh` text,
whose labels are translated into the system's language. The verdict is a pure function
of that JSON, tested on any OS with the shapes PowerShell writes.
"""

from __future__ import annotations

import json
import ntpath
import subprocess
from dataclasses import dataclass
from typing import Any

# The same name the installer gives its rules (installer/windows): inbound, allow, TCP,
# the app's program (one rule for the windowed exe, one for -cli), local port NODE_PORT
# (50053), remote addresses on this computer's own subnets only (the VPN's: the pool).
RULE_NAME = "HiveMind worker (VPN)"

_QUERY = (
    "$ErrorActionPreference = 'SilentlyContinue';"
    "$on = @(Get-NetFirewallProfile | Where-Object { $_.Enabled }).Count;"
    f"$rules = @(Get-NetFirewallRule -DisplayName '{RULE_NAME}' | ForEach-Object {{"
    " $p = $_ | Get-NetFirewallPortFilter; $a = $_ | Get-NetFirewallApplicationFilter;"
    " [pscustomobject]@{ Enabled = [string]$_.Enabled; Direction = [string]$_.Direction;"
    " Action = [string]$_.Action; Protocol = [string]$p.Protocol;"
    " LocalPort = [string]($p.LocalPort -join ','); Program = [string]$a.Program } });"
    "ConvertTo-Json -Compress -InputObject @{ profiles_on = $on; rules = $rules }"
)


@dataclass(frozen=True)
class FirewallVerdict:
    ok: bool
    detail: str


def add_rule_command(port: int, program: str) -> str:
    """What an administrator can run to add the rule by hand."""
    return (
        f'netsh advfirewall firewall add rule name="{RULE_NAME}" dir=in action=allow '
        f'protocol=TCP localport={port} remoteip=LocalSubnet program="{program}" enable=yes'
    )


def _ports(text: str) -> set[str]:
    return {p.strip().lower() for p in text.split(",") if p.strip()}


def _covers(rule: dict[str, Any], port: int) -> bool:
    ports = _ports(str(rule.get("LocalPort", "")))
    return "any" in ports or str(port) in ports or any(
        "-" in p and p.split("-")[0].isdigit() and p.split("-")[1].isdigit()
        and int(p.split("-")[0]) <= port <= int(p.split("-")[1])
        for p in ports
    )  # fmt: skip


def _same_program(rule_program: str, program: str) -> bool:
    """Windows paths compare without case; a rule may name %ProgramFiles% unexpanded."""
    return ntpath.normcase(ntpath.expandvars(rule_program)) == ntpath.normcase(program)


def firewall_verdict(answer: str, port: int, program: str) -> FirewallVerdict:
    """Decide from PowerShell's JSON (see _QUERY) whether the pool can reach `port`."""
    try:
        data = json.loads(answer)
    except ValueError:
        return FirewallVerdict(False, "Windows Firewall could not be read: check it by hand")
    if not isinstance(data, dict):
        return FirewallVerdict(False, "Windows Firewall could not be read: check it by hand")
    if not data.get("profiles_on"):
        return FirewallVerdict(True, "Windows Firewall is off: nothing blocks the node pool")
    rules = data.get("rules") or []
    if isinstance(rules, dict):  # PowerShell writes a one-element array as its element
        rules = [rules]
    fix = add_rule_command(port, program)
    if not rules:
        return FirewallVerdict(
            False,
            f"no Windows Firewall rule '{RULE_NAME}': the node pool cannot reach port {port} "
            "and can never send a task; reinstall HiveMind Desktop for all users, or as "
            f"administrator: {fix}",
        )
    good = [
        r
        for r in rules
        if isinstance(r, dict)
        and str(r.get("Enabled")) == "True"
        and str(r.get("Direction")) == "Inbound"
        and str(r.get("Action")) == "Allow"
        and str(r.get("Protocol", "TCP")).upper() in ("TCP", "ANY")
        and _covers(r, port)
    ]
    if not good:
        first = rules[0] if isinstance(rules[0], dict) else {}
        if str(first.get("Enabled")) != "True":
            why = "is turned off"
        elif str(first.get("Action")) != "Allow":
            why = "blocks instead of allowing"
        elif not _covers(first, port):
            why = f"opens port {first.get('LocalPort') or '?'}, not NODE_PORT {port}"
        else:
            why = "does not allow inbound TCP"
        return FirewallVerdict(
            False, f"the Windows Firewall rule '{RULE_NAME}' {why}: as administrator: {fix}"
        )
    programs = {str(r.get("Program", "Any")) for r in good}
    if "Any" not in programs and not any(_same_program(p, program) for p in programs):
        return FirewallVerdict(
            False,
            f"the Windows Firewall rule '{RULE_NAME}' is for {sorted(programs)[0]}, not this app "
            f"({program}): reinstall HiveMind Desktop for all users, or as administrator: {fix}",
        )
    return FirewallVerdict(True, f"the rule '{RULE_NAME}' lets the node pool reach port {port}")


def query_windows_firewall(timeout: float = 30.0) -> str:
    """PowerShell's JSON answer ("" when it cannot run). Windows only."""
    try:
        done = subprocess.run(
            ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", _QUERY],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console flash
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()

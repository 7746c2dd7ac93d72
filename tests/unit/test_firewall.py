"""Windows Firewall and the worker's port: the self-test's verdict from the JSON that
PowerShell's NetSecurity cmdlets write (the query runs only on Windows; its answers are
fed here as Windows writes them, one rule as an object or several as an array)."""

from __future__ import annotations

import json

import pytest

from hivemind_desktop.core import autostart, firewall
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.selftest import OK, WARN, check_firewall

APP = r"C:\Program Files\HiveMind Desktop\hivemind-desktop.exe"
RULE = {
    "Enabled": "True",
    "Direction": "Inbound",
    "Action": "Allow",
    "Protocol": "TCP",
    "LocalPort": "50053",
    "Program": APP,
}


def answer(*rules: dict, profiles_on: int = 3, one_as_object: bool = False) -> str:
    listed: object = rules[0] if one_as_object and len(rules) == 1 else list(rules)
    return json.dumps({"profiles_on": profiles_on, "rules": listed}, separators=(",", ":"))


def test_the_installers_rule_lets_the_pool_in() -> None:
    for text in (answer(RULE), answer(RULE, one_as_object=True)):
        verdict = firewall.firewall_verdict(text, 50053, APP)
        assert verdict.ok and verdict.detail == (
            "the rule 'HiveMind worker (VPN)' lets the node pool reach port 50053"
        )


def test_no_rule_says_the_pool_can_never_send_a_task_and_how_to_add_it() -> None:
    verdict = firewall.firewall_verdict(answer(), 50053, APP)
    assert not verdict.ok
    assert verdict.detail == (
        "no Windows Firewall rule 'HiveMind worker (VPN)': the node pool cannot reach port "
        "50053 and can never send a task; reinstall HiveMind Desktop for all users, or as "
        "administrator: "
        'netsh advfirewall firewall add rule name="HiveMind worker (VPN)" dir=in '
        f'action=allow protocol=TCP localport=50053 remoteip=LocalSubnet program="{APP}" enable=yes'
    )


@pytest.mark.parametrize(
    "change, why",
    [
        ({"Enabled": "False"}, "is turned off"),
        ({"Action": "Block"}, "blocks instead of allowing"),
        ({"LocalPort": "50053"}, None),
        ({"LocalPort": "50000-50100"}, None),
        ({"LocalPort": "Any"}, None),
        ({"Direction": "Outbound"}, "does not allow inbound TCP"),
    ],
)
def test_a_rule_that_does_not_let_the_pool_in_names_what_is_wrong(change, why) -> None:
    verdict = firewall.firewall_verdict(answer(RULE | change), 50053, APP)
    assert verdict.ok is (why is None)
    if why:
        assert f"the Windows Firewall rule 'HiveMind worker (VPN)' {why}: as administrator:" in (
            verdict.detail
        )


def test_a_changed_node_port_outside_the_rule_is_named() -> None:
    verdict = firewall.firewall_verdict(answer(RULE), 50060, APP)
    assert not verdict.ok
    assert "opens port 50053, not NODE_PORT 50060" in verdict.detail
    assert "localport=50060" in verdict.detail


def test_the_rule_must_be_for_this_app(monkeypatch) -> None:
    moved = r"D:\Apps\HiveMind\hivemind-desktop.exe"
    verdict = firewall.firewall_verdict(answer(RULE), 50053, moved)
    assert not verdict.ok and f"is for {APP}, not this app ({moved})" in verdict.detail
    assert firewall.firewall_verdict(answer(RULE), 50053, APP.upper()).ok  # no case on Windows
    monkeypatch.setenv("ProgramFiles", r"C:\Program Files")
    unexpanded = RULE | {"Program": r"%ProgramFiles%\HiveMind Desktop\hivemind-desktop.exe"}
    assert firewall.firewall_verdict(answer(unexpanded), 50053, APP).ok
    assert firewall.firewall_verdict(answer(RULE | {"Program": "Any"}), 50053, moved).ok


def test_a_firewall_that_is_off_blocks_nothing_and_garbage_is_not_trusted() -> None:
    assert firewall.firewall_verdict(answer(profiles_on=0), 50053, APP).ok
    for text in ("", "Get-NetFirewallRule : not recognized", "[]"):
        verdict = firewall.firewall_verdict(text, 50053, APP)
        assert not verdict.ok and "could not be read" in verdict.detail


def test_the_self_test_line() -> None:
    settings = Settings(node_port=50053)
    assert check_firewall(settings, answer(RULE | {"Program": "Any"})).status == OK
    missing = check_firewall(settings, answer())
    assert (missing.name, missing.status, missing.blocking) == ("firewall", WARN, False)
    assert autostart.launch_command()[0] in missing.detail  # the fix names this app
    silent = check_firewall(settings, "")
    assert silent.status == WARN and "PowerShell did not answer" in silent.detail


def test_the_self_test_names_an_app_run_from_its_disk_image() -> None:
    from hivemind_desktop.selftest import check_location

    dmg = "/Volumes/HiveMind Desktop/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    line = check_location(dmg, "darwin")
    assert line is not None and line.status == WARN and "Applications folder" in line.detail
    installed = "/Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    assert check_location(installed, "darwin").status == OK
    assert check_location(dmg, "linux") is None  # nothing to check elsewhere

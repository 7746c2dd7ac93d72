"""WireGuard on Windows: the tunnel service is installed through the administrator
prompt, and every way that can end is said plainly. The Win32 call itself runs only on
Windows; its structure layout, argument quoting and outcome mapping are checked here."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

from hivemind_desktop.core import vpn
from hivemind_desktop.core.vpn import elevation
from hivemind_desktop.core.vpn.elevation import ElevatedRun, elevated_result

CONF = Path("/tmp/hivemind-wg0.conf")


def test_the_windows_tunnel_service_is_installed_elevated(tmp_path: Path) -> None:
    app = tmp_path / "WireGuard" / "wireguard.exe"
    app.parent.mkdir()
    app.write_bytes(b"")
    plan = vpn.tunnel_up_plan(
        CONF, "win32", which=lambda _n: None, env={"ProgramFiles": str(tmp_path)}
    )
    assert plan.elevate and plan.up == (str(app), "/installtunnelservice", str(CONF))
    assert "administrator permission" in plan.summary
    manual = vpn.tunnel_up_plan(CONF, "win32", which=lambda _n: None, env={"ProgramFiles": "/none"})
    assert not manual.elevate
    root = vpn.tunnel_up_plan(CONF, "linux", is_root=True, use_networkmanager=False,
                              which=lambda n: f"/usr/bin/{n}")  # fmt: skip
    assert not root.elevate  # Linux asks through pkexec or runs as root


@pytest.mark.parametrize(
    "run, ok, words",
    [
        (ElevatedRun(exit_code=0), True, ""),
        (ElevatedRun(error=1223), False, "you declined the administrator prompt: click Yes"),
        (ElevatedRun(error=2), False, "wireguard.exe is not installed"),
        (ElevatedRun(error=5), False, "ask an administrator"),
        (
            ElevatedRun(error=1155),
            False,
            "could not start wireguard.exe as administrator (error 1155)",
        ),
        (ElevatedRun(timed_out=True), False, "did not finish within 30 s"),
        (
            ElevatedRun(exit_code=1),
            False,
            "wireguard.exe failed (exit 1): the tunnel may be active already",
        ),
    ],
)
def test_each_outcome_of_the_prompt_is_said_plainly(run: ElevatedRun, ok: bool, words: str) -> None:
    got_ok, reason = elevated_result(run, "wireguard.exe", 30)
    assert got_ok is ok
    assert (words in reason) if words else reason == ""


def test_shellexecuteinfo_has_the_documented_layout() -> None:
    info = elevation.ShellExecuteInfo
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(info) == 112  # sizeof(SHELLEXECUTEINFOW) on 64-bit Windows
        assert (info.nShow.offset, info.dwHotKey.offset, info.hProcess.offset) == (48, 88, 104)
    else:
        assert ctypes.sizeof(info) == 60
        assert info.hProcess.offset == 56


def test_the_config_path_is_quoted_for_the_program_that_splits_it() -> None:
    conf = r"C:\Users\Ann Lee\AppData\Roaming\HiveMindDesktop\wireguard\hivemind-wg0.conf"
    assert elevation.shell_parameters(("/installtunnelservice", conf)) == (
        f'/installtunnelservice "{conf}"'
    )
    assert elevation.shell_parameters(("/uninstalltunnelservice", "hivemind-wg0")) == (
        "/uninstalltunnelservice hivemind-wg0"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal off Windows")
def test_off_windows_the_prompt_is_refused_not_faked() -> None:
    with pytest.raises(OSError, match="only on Windows"):
        elevation.run_elevated(("wireguard.exe",), 1)


# -- macOS: every utun looks like WireGuard ----------------------------------------------

MAC_UP = [
    ("lo0", "127.0.0.1"),
    ("en0", "192.168.1.23"),
    ("utun3", "100.101.102.103"),  # Tailscale
    ("utun5", "10.0.0.7"),  # the HiveMind tunnel
]


def test_the_hivemind_network_wins_over_other_utun_vpns() -> None:
    choice = vpn.choose_advertise_address(MAC_UP, ["utun3", "utun5"])
    assert (choice.address, choice.source, choice.warning) == ("10.0.0.7", "wireguard", "")
    # The interface the volunteer named is preferred only within the HiveMind network.
    assert vpn.choose_advertise_address(MAC_UP, ["utun3", "utun5"], "utun3").address == "10.0.0.7"


def test_only_another_vpn_is_used_with_a_warning() -> None:
    up = [c for c in MAC_UP if c[0] != "utun5"]
    choice = vpn.choose_advertise_address(up, ["utun3"])
    assert choice.address == "100.101.102.103"
    assert choice.warning == (
        "using 100.101.102.103 on utun3, which is not on the HiveMind network (10.0.0.0/24): "
        "it may be another VPN (Tailscale, a company VPN); activate the HiveMind WireGuard "
        "tunnel, or set the advertised address in Settings"
    )


def test_a_hivemind_address_off_wireguard_beats_another_vpn_and_the_pool_is_never_chosen() -> None:
    up = [("utun3", "100.64.0.9"), ("en5", "10.0.0.1"), ("en6", "10.0.0.9")]
    choice = vpn.choose_advertise_address(up, ["utun3"])
    assert (choice.address, choice.source) == ("10.0.0.9", "10.0.0.x")
    assert "not a WireGuard tunnel" in choice.warning
    none = vpn.choose_advertise_address([("en0", "192.168.1.2")], [])
    assert none.address is None and none.source == "none"

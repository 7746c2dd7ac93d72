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
        (ElevatedRun(exit_code=1), False, "wireguard.exe failed (exit 1): open WireGuard"),
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

"""WireGuard config validation, keys, saving, tunnel plans and the gRPC reachability check.

Keys are cross-checked with wg(8) itself; the reachability check talks to real gRPC
servers on loopback. The tunnel itself is exercised in tests/netns.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import stat
import subprocess
from concurrent import futures
from pathlib import Path

import grpc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hivemind_desktop.core import vpn
from hivemind_desktop.core.vpn import TunnelPlan, VpnConfigError, parse_config
from hivemind_desktop.rpc import pb, pb_grpc

PRIVATE = "yKU1NJ1bKQZiDTwIpAWv8tSyD4Gvx2+PG9Dl5/q+X0k="
POOL_PUBLIC = "vgYxFqSq/kpdEF9VLjAoaU7jvzsLCeS4bnDkqNIhCmk="
PSK = "E8Pq9bS3h2Qm2F3oVtZlqz2g2dYq8qM1d4cG5cX5b0A="

GOOD = f"""\
# HiveMind worker tunnel
[Interface]
PrivateKey = {PRIVATE}
Address = 10.0.0.2/24, fd00::2/64
ListenPort = 51821
DNS = 10.0.0.1, hivemind.lan
MTU = 1420

[Peer]
PublicKey = {POOL_PUBLIC}
PresharedKey = {PSK}
AllowedIPs = 10.0.0.0/24
Endpoint = pool.example.org:51820
PersistentKeepalive = 25
"""


def wg_pubkey(private: str) -> str:
    return subprocess.run(
        ["wg", "pubkey"], input=private, capture_output=True, text=True, check=True
    ).stdout.strip()


def config_with(line_no: int, replacement: str | None) -> str:
    """GOOD with 1-based line `line_no` replaced (None removes it)."""
    lines = GOOD.splitlines()
    if replacement is None:
        del lines[line_no - 1]
    else:
        lines[line_no - 1] = replacement
    return "\n".join(lines) + "\n"


# --- parsing -------------------------------------------------------------------------------


def test_good_config_parses_into_its_parts() -> None:
    config = parse_config(GOOD)
    assert [str(a) for a in config.addresses] == ["10.0.0.2/24", "fd00::2/64"]
    assert config.tunnel_address == "10.0.0.2"
    assert config.public_key == wg_pubkey(PRIVATE)
    assert config.listen_port == 51821 and config.mtu == 1420
    assert config.dns == ("10.0.0.1", "hivemind.lan")
    (peer,) = config.peers
    assert peer.public_key == POOL_PUBLIC
    assert peer.endpoint == "pool.example.org:51820"
    assert [str(a) for a in peer.allowed_ips] == ["10.0.0.0/24"]
    assert peer.persistent_keepalive == 25 and peer.preshared_key == PSK


def test_ipv6_endpoint_and_minimal_config() -> None:
    text = (
        f"[Interface]\nPrivateKey = {PRIVATE}\nAddress = 10.0.0.9\n"
        f"[Peer]\nPublicKey = {POOL_PUBLIC}\nAllowedIPs = 10.0.0.1/32\n"
        "Endpoint = [2001:db8::1]:51820\n"
    )
    config = parse_config(text)
    assert config.peers[0].endpoint == "[2001:db8::1]:51820"
    assert config.tunnel_address == "10.0.0.9"


@pytest.mark.parametrize(
    ("line_no", "replacement", "expected"),
    [
        (3, "PrivateKey = not-a-key", "line 3: PrivateKey is not a valid WireGuard key"),
        (3, f"PrivateKey = {PRIVATE[:-2]}", "line 3: PrivateKey is not a valid WireGuard key"),
        (4, "Address = 10.0.0.300/24", "line 4: Address has '10.0.0.300/24'"),
        (4, "Address = 10.0.0.2/24,", "line 4: Address is empty or has an empty item"),
        (5, "ListenPort = 70000", "line 5: ListenPort must be a whole number from 1 to 65535"),
        (7, "MTU = big", "line 7: MTU must be a whole number"),
        (
            10,
            "PublicKey = abc",
            "line 10: PublicKey is not a valid WireGuard key ('PublicKey = abc')",
        ),
        (12, "AllowedIPs = 10.0.0.0/33", "line 12: AllowedIPs has '10.0.0.0/33'"),
        (12, "AllowedIPs = everything", "line 12: AllowedIPs has 'everything'"),
        (
            13,
            "Endpoint = pool.example.org",
            "line 13: Endpoint 'pool.example.org' needs a host and a port",
        ),
        (
            13,
            "Endpoint = pool.example.org:0",
            "line 13: the Endpoint port must be a whole number from 1 to 65535",
        ),
        (13, "Endpoint = pool.example.org:99999", "line 13: the Endpoint port must be"),
        (
            13,
            "Endpoint = bad_host!:51820",
            "line 13: Endpoint host 'bad_host!' is not an IP address or host name",
        ),
        (13, "Endpoint = [nothex]:51820", "line 13: Endpoint host 'nothex' is not an IPv6 address"),
        (14, "PersistentKeepalive = -1", "line 14: PersistentKeepalive must be a whole number"),
        (6, "PostUp = curl evil | sh", "line 6: PostUp would run a command as administrator"),
        (6, "Table = off", "line 6: unknown setting 'Table' in [Interface]"),
        (6, "this is not a setting", "line 6: 'this is not a setting' is not a 'Key = value'"),
        (6, "Address =", "line 6: Address has no value"),
        (6, f"PrivateKey = {PRIVATE}", "line 6: PrivateKey is set twice"),
        (9, "[Peers]", "line 9: unknown section '[Peers]'"),
        (9, "[Interface]", "line 9: a second [Interface] section"),
        (
            2,
            "Address = 10.0.0.2/24",
            "line 2: Address comes before any section: start the file with [Interface]",
        ),
    ],
)
def test_each_mistake_names_its_line(line_no: int, replacement: str, expected: str) -> None:
    with pytest.raises(VpnConfigError) as caught:
        parse_config(config_with(line_no, replacement))
    assert str(caught.value).startswith(expected), str(caught.value)
    assert caught.value.line == line_no
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the WireGuard config is empty"),
        ("# nothing\n", "no [Interface] section: add one with 'PrivateKey"),
        (GOOD.split("[Peer]")[0], "no [Peer] section: add one for the node pool with PublicKey"),
        (config_with(3, None), "[Interface] (line 2) has no PrivateKey: add 'PrivateKey = "),
        (config_with(4, None), "[Interface] (line 2) has no Address: add your tunnel address"),
        (config_with(13, None), "[Peer] (line 9) has no Endpoint: add 'Endpoint = <host:port"),
        (
            config_with(12, None),
            "[Peer] (line 9) has no AllowedIPs: add 'AllowedIPs = <10.0.0.0/24>'",
        ),
        (config_with(10, None), "[Peer] (line 9) has no PublicKey"),
        (GOOD + GOOD[GOOD.index("[Peer]") :], "two [Peer] sections have the same PublicKey"),
    ],
)
def test_missing_parts_say_what_to_add(text: str, expected: str) -> None:
    with pytest.raises(VpnConfigError, match="^" + re.escape(expected)):
        parse_config(text)


def test_a_mistyped_secret_is_never_echoed() -> None:
    almost = PRIVATE[:-4] + "!!!="
    for line_no, key in ((3, "PrivateKey"), (11, "PresharedKey")):
        with pytest.raises(VpnConfigError) as caught:
            parse_config(config_with(line_no, f"{key} = {almost}"))
        assert f"line {line_no}: {key} is not a valid WireGuard key" in str(caught.value)
        assert almost not in str(caught.value) and PRIVATE[:20] not in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]=#:/., \nabcPIAdeEfr0123456789+")), max_size=200))
def test_arbitrary_text_only_ever_raises_vpn_config_error(text: str) -> None:
    try:
        parse_config(text)
    except VpnConfigError as exc:
        assert str(exc) and "\n" not in str(exc)


# --- secrets stay hidden --------------------------------------------------------------------


def test_repr_and_str_hide_the_private_and_preshared_keys() -> None:
    config = parse_config(GOOD)
    for shown in (repr(config), str(config), repr(config.peers[0]), str(config.peers[0])):
        assert PRIVATE not in shown and PSK not in shown
    assert config.public_key in str(config)


def test_save_never_logs_the_private_key(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        vpn.save_config(GOOD, tmp_path)
    assert caplog.records, "saving should leave a trace in the log"
    assert all(PRIVATE not in r.getMessage() and PSK not in r.getMessage() for r in caplog.records)


# --- saving ---------------------------------------------------------------------------------


def test_save_writes_owner_only_file_in_owner_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "wireguard"
    old_umask = os.umask(0)  # the permissions must not depend on the caller's umask
    try:
        path = vpn.save_config(GOOD, folder)
    finally:
        os.umask(old_umask)
    assert path == folder / "hivemind-wg0.conf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert path.read_text() == GOOD
    assert [p.name for p in folder.iterdir()] == ["hivemind-wg0.conf"]  # no temp file left


def test_save_replaces_atomically_and_keeps_the_name(tmp_path: Path) -> None:
    first = vpn.save_config(GOOD, tmp_path, name="hm0.conf")
    second_text = GOOD.replace("MTU = 1420", "MTU = 1380")
    second = vpn.save_config(second_text, tmp_path, name="hm0.conf")
    assert first == second and second.read_text() == second_text
    assert stat.S_IMODE(second.stat().st_mode) == 0o600


def test_bad_config_or_name_writes_nothing(tmp_path: Path) -> None:
    path = vpn.save_config(GOOD, tmp_path)
    with pytest.raises(VpnConfigError, match="line 3: PrivateKey"):
        vpn.save_config(config_with(3, "PrivateKey = x"), tmp_path)
    with pytest.raises(VpnConfigError, match="config file name 'a-name-that-is-too-long.conf'"):
        vpn.save_config(GOOD, tmp_path, name="a-name-that-is-too-long.conf")
    with pytest.raises(VpnConfigError, match="config file name '../x.conf'"):
        vpn.save_config(GOOD, tmp_path, name="../x.conf")
    assert path.read_text() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hivemind-wg0.conf"]


def test_save_into_a_file_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(VpnConfigError, match="is not a folder"):
        vpn.save_config(GOOD, blocker)


# --- keys and templates ---------------------------------------------------------------------


def test_generated_keys_agree_with_wg() -> None:
    private, public = vpn.generate_keypair()
    assert wg_pubkey(private) == public
    assert vpn.public_key_of(private) == public
    assert vpn.generate_keypair()[0] != private
    with pytest.raises(VpnConfigError, match="not a valid WireGuard key"):
        vpn.public_key_of("nope")


def test_template_is_a_valid_worker_config() -> None:
    private, public = vpn.generate_keypair()
    text = vpn.new_config_template(private, "10.0.0.2/24", POOL_PUBLIC, "203.0.113.5:51820")
    config = parse_config(text)
    assert config.public_key == public and config.tunnel_address == "10.0.0.2"
    (peer,) = config.peers
    assert peer.endpoint == "203.0.113.5:51820" and peer.persistent_keepalive == 25
    assert [str(a) for a in peer.allowed_ips] == ["10.0.0.0/24"]
    with pytest.raises(VpnConfigError, match="Endpoint '203.0.113.5' needs a host and a port"):
        vpn.new_config_template(private, "10.0.0.2/24", POOL_PUBLIC, "203.0.113.5")


# --- tunnel plans ---------------------------------------------------------------------------

CONF = Path("/home/vol/.config/HiveMindDesktop/hivemind-wg0.conf")


def which_from(*present: str):
    table = {name: f"/usr/bin/{name}" for name in present}
    return table.get


def test_linux_root_runs_wg_quick_directly() -> None:
    plan = vpn.tunnel_up_plan(CONF, "linux", is_root=True, which=which_from("wg-quick"))
    assert plan.method == "wg-quick" and plan.automatic
    assert plan.up == ("/usr/bin/wg-quick", "up", str(CONF))
    assert plan.down == ("/usr/bin/wg-quick", "down", str(CONF))
    assert plan.interface == "hivemind-wg0"


def test_linux_user_goes_through_pkexec_or_gets_the_command() -> None:
    plan = vpn.tunnel_up_plan(CONF, "linux", is_root=False, which=which_from("wg-quick", "pkexec"))
    assert plan.method == "pkexec"
    assert plan.up == ("/usr/bin/pkexec", "/usr/bin/wg-quick", "up", str(CONF))
    manual = vpn.tunnel_up_plan(CONF, "linux", is_root=False, which=which_from("wg-quick"))
    assert manual.method == "manual" and not manual.automatic
    assert f"Run: sudo wg-quick up {CONF}" in manual.steps
    missing = vpn.tunnel_up_plan(CONF, "linux", is_root=True, which=which_from())
    assert missing.method == "manual" and "wireguard-tools" in missing.steps[0]


def test_linux_network_manager_imports_the_file() -> None:
    plan = vpn.tunnel_up_plan(
        CONF, "linux", use_networkmanager=True, which=which_from("nmcli", "wg-quick")
    )
    assert plan.method == "nmcli"
    import_argv = ("connection", "import", "type", "wireguard", "file", str(CONF))
    assert plan.up == ("/usr/bin/nmcli", *import_argv)
    assert plan.down == ("/usr/bin/nmcli", "connection", "delete", "id", "hivemind-wg0")
    no_nm = vpn.tunnel_up_plan(
        CONF, "linux", use_networkmanager=False, is_root=True, which=which_from("nmcli", "wg-quick")
    )
    assert no_nm.method == "wg-quick"


def test_windows_uses_the_tunnel_service_or_explains_the_install(tmp_path: Path) -> None:
    app = tmp_path / "WireGuard" / "wireguard.exe"
    app.parent.mkdir()
    app.write_bytes(b"")
    plan = vpn.tunnel_up_plan(
        CONF, "win32", which=which_from(), env={"ProgramFiles": str(tmp_path)}
    )
    assert plan.method == "wireguard-windows"
    assert plan.up == (str(app), "/installtunnelservice", str(CONF))
    assert plan.down == (str(app), "/uninstalltunnelservice", "hivemind-wg0")
    manual = vpn.tunnel_up_plan(CONF, "win32", which=which_from(), env={"ProgramFiles": "/none"})
    assert manual.method == "manual" and vpn.tunnel.WIREGUARD_DOWNLOAD_URL in manual.steps[0]
    assert any(str(CONF) in step for step in manual.steps)


def test_macos_gets_import_steps() -> None:
    plan = vpn.tunnel_up_plan(CONF, "darwin")
    assert plan.method == "manual"
    text = " ".join(plan.steps)
    assert "Import tunnel(s) from file" in text and str(CONF) in text and "Activate" in text


# --- executing plans --------------------------------------------------------------------------


def test_manual_plan_returns_its_steps() -> None:
    plan = vpn.tunnel_up_plan(CONF, "darwin")
    result = vpn.bring_up(plan)
    assert result.ok is False and result.steps == plan.steps
    assert "by hand" in result.message
    down = vpn.bring_down(plan)
    assert down.ok is False and "Deactivate" in down.steps[0]


def test_foreign_platform_plan_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    plan = TunnelPlan("win32", "wireguard-windows", "x", CONF, ("touch", str(marker)), None)
    assert vpn.bring_up(plan).ok is False
    assert not marker.exists()


def linux_plan(up: tuple[str, ...], method: str = "wg-quick") -> TunnelPlan:
    return TunnelPlan("linux", method, "hmtest0", Path("/nonexistent/hmtest0.conf"), up, up)


def test_a_failing_command_is_reported_with_its_reason() -> None:
    # wg(8) itself, asked about an interface that does not exist: fails without root.
    result = vpn.bring_up(linux_plan(("wg", "show", "hmnosuch0")))
    assert result.ok is False
    assert result.message.startswith("could not bring WireGuard tunnel hmtest0 up: wg failed (exit")
    assert "Unable to access interface" in result.message and result.output


def test_missing_program_and_timeout_are_reported() -> None:
    missing = vpn.bring_up(linux_plan(("/nonexistent/wg-quick", "up")))
    assert missing.message.endswith("/nonexistent/wg-quick is not installed")
    slow = vpn.bring_down(linux_plan(("sleep", "5")), timeout=0.3)
    assert slow.ok is False and "took longer than 0.3 s" in slow.message


def test_successful_command_is_reported_up() -> None:
    result = vpn.bring_up(linux_plan(("true",)))
    assert result.ok is True and result.message == "WireGuard tunnel hmtest0 is up"


# --- reachability over real gRPC on loopback ------------------------------------------------


class _Users(pb_grpc.UserServiceServicer):
    def Login(self, request, context):
        return pb.LoginResponse(success=False, message="unknown user")


def _serve(with_users: bool) -> tuple[grpc.Server, int]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    if with_users:
        pb_grpc.add_UserServiceServicer_to_server(_Users(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def test_a_refusing_pool_is_still_reachable() -> None:
    server, port = _serve(with_users=True)
    try:
        ok, rtt, message = vpn.verify_pool_reachable(f"127.0.0.1:{port}", timeout=5)
    finally:
        server.stop(0)
    assert ok is True and rtt is not None and rtt > 0
    assert message.startswith(f"node pool at 127.0.0.1:{port} is reachable (it answered")


def test_any_grpc_answer_counts_as_reachable() -> None:
    server, port = _serve(with_users=False)  # answers UNIMPLEMENTED
    try:
        ok, _, message = vpn.verify_pool_reachable(f"127.0.0.1:{port}", timeout=5)
    finally:
        server.stop(0)
    assert ok is True and "UNIMPLEMENTED" in message


def test_nothing_listening_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        ok, rtt, message = vpn.verify_pool_reachable(f"127.0.0.1:{port}", timeout=2)
    assert (ok, rtt) == (False, None)
    assert message.startswith(f"cannot reach the node pool at 127.0.0.1:{port}")
    assert "WireGuard tunnel is active" in message


@pytest.mark.parametrize("address", ["", "10.0.0.1:", "10.0.0.1:99999", "a b:1", "::1:5", "[::1"])
def test_malformed_pool_address_is_explained(address: str) -> None:
    ok, rtt, message = vpn.verify_pool_reachable(address, timeout=1)
    assert (ok, rtt) == (False, None)
    assert "is not HOST:PORT: use e.g. 10.0.0.1:50051" in message

"""The VPN core against a real WireGuard tunnel between network namespaces.

The worker-side checks run as a Python subprocess inside the worker namespace (via
`ip netns exec`), so they see exactly that namespace's links, addresses and routes.
"""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

from hivemind_desktop.core import vpn
from tests.kit.netns_lab import (
    LabError,
    Pool,
    Worker,
    python_env,
    run_in,
    run_python_json,
    sh,
    start_worker_tunnel,
)

pytestmark = pytest.mark.netns

PROBE = textwrap.dedent(
    """
    import json, sys
    from hivemind_desktop.core import vpn
    name = sys.argv[1] if len(sys.argv) > 1 else None
    ok, rtt, message = vpn.verify_pool_reachable("10.0.0.1:50051", timeout=3)
    print(json.dumps({
        "state": vpn.interface_state(name).as_dict(),
        "choice": vpn.detect_advertise_address().as_dict(),
        "verify": {"ok": ok, "rtt_ms": rtt, "message": message},
        "interfaces": vpn.wireguard_interfaces(),
    }))
    """
)


def probe(ns: str) -> dict:
    return run_python_json(ns, PROBE)


def ping(ns: str, address: str) -> bool:
    return run_in(ns, ["busybox", "ping", "-c", "1", "-W", "3", address]).returncode == 0


def test_tunnel_carries_traffic(worker: Worker) -> None:
    assert ping(worker.ns, "10.0.0.1")


def test_worker_sees_tunnel_up_and_reaches_pool(worker: Worker) -> None:
    assert ping(worker.ns, "10.0.0.1")  # a packet through the tunnel means a handshake
    seen = probe(worker.ns)
    state = seen["state"]
    assert seen["interfaces"] == [worker.wg.name]
    assert state["up"] is True
    assert state["interface"] == worker.wg.name
    assert state["address"] == "10.0.0.2"
    assert state["peer_handshake_age_s"] is not None
    assert "is up at 10.0.0.2" in state["message"]
    assert seen["choice"] == {"address": "10.0.0.2", "source": "wireguard", "warning": ""}
    assert seen["verify"]["ok"] is True, seen["verify"]["message"]
    assert seen["verify"]["rtt_ms"] > 0
    assert "10.0.0.1:50051 is reachable" in seen["verify"]["message"]


def test_state_names_the_asked_interface(worker: Worker) -> None:
    code = (
        "import json; from hivemind_desktop.core import vpn; "
        "print(json.dumps([vpn.interface_state('lo').as_dict(), "
        "vpn.interface_state('hmnosuch0').as_dict()]))"
    )
    lo, missing = run_python_json(worker.ns, code)
    assert lo["up"] is False and "lo is not a WireGuard interface" in lo["message"]
    assert missing["up"] is False and "hmnosuch0 is not running" in missing["message"]


def test_link_down_reports_down_and_pool_unreachable(new_worker) -> None:
    worker = new_worker("down", 4)
    assert ping(worker.ns, "10.0.0.1")
    sh("ip", "-n", worker.ns, "link", "set", worker.wg.name, "down")
    seen = probe(worker.ns)
    assert seen["state"]["up"] is False
    assert seen["state"]["interface"] == worker.wg.name
    assert f"{worker.wg.name} is down" in seen["state"]["message"]
    assert seen["verify"]["ok"] is False
    assert "cannot reach the node pool at 10.0.0.1:50051" in seen["verify"]["message"]
    assert seen["choice"]["address"] is None and seen["choice"]["source"] == "none"


def test_stopped_wireguard_reports_no_tunnel_and_warns(pool: Pool, new_worker) -> None:
    worker = new_worker("gone", 5)
    assert ping(worker.ns, "10.0.0.1")
    pool.lab.kill_wireguard(worker.wg)
    seen = probe(worker.ns)
    assert seen["interfaces"] == []
    assert seen["state"]["up"] is False
    assert "no WireGuard tunnel is running" in seen["state"]["message"]
    assert seen["verify"]["ok"] is False
    assert "cannot reach the node pool" in seen["verify"]["message"]
    assert seen["choice"]["address"] is None
    assert "node pool will not be able to reach this machine" in seen["choice"]["warning"]


def test_plain_10_0_0_x_address_is_the_fallback(pool: Pool, new_worker) -> None:
    worker = new_worker("other", 6, tunnel=False)
    lab = pool.lab
    a, b = f"hmo{lab.short}a", f"hmo{lab.short}b"
    sh("ip", "link", "add", "name", a, "netns", worker.ns, "type", "veth", "peer", "name", b,
       "netns", worker.ns)  # fmt: skip
    sh("ip", "-n", worker.ns, "addr", "add", "10.0.0.1/24", "dev", a)
    for dev in (a, b):
        sh("ip", "-n", worker.ns, "link", "set", dev, "up")
    code = (
        "import json; from hivemind_desktop.core import vpn; "
        "print(json.dumps(vpn.detect_advertise_address().as_dict()))"
    )
    only_pool_address = run_python_json(worker.ns, code)
    assert only_pool_address["source"] == "none"  # 10.0.0.1 is the pool's, never ours
    sh("ip", "-n", worker.ns, "addr", "add", "10.0.0.7/24", "dev", b)
    choice = run_python_json(worker.ns, code)
    assert choice["address"] == "10.0.0.7"
    assert choice["source"] == "10.0.0.x"
    assert f"on {b}, which is not a WireGuard tunnel" in choice["warning"]


WG_QUICK_RUN = textwrap.dedent(
    """
    import json, sys, tempfile
    from hivemind_desktop.core import vpn
    text, name = sys.argv[1], sys.argv[2]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = vpn.save_config(text, tmp, name=name + ".conf")
        plan = vpn.tunnel_up_plan(path, use_networkmanager=False)
        out["method"] = plan.method
        up = vpn.bring_up(plan)
        out["up"] = [up.ok, up.message]
        out["state_up"] = vpn.interface_state(name).as_dict()
        out["verify"] = vpn.verify_pool_reachable("10.0.0.1:50051", timeout=5)
        out["choice"] = vpn.detect_advertise_address().as_dict()
        down = vpn.bring_down(plan)
        out["down"] = [down.ok, down.message]
        out["state_down"] = vpn.interface_state(name).as_dict()
    print(json.dumps(out))
    """
)


def test_wg_quick_plan_brings_tunnel_up_and_down(pool: Pool, new_worker) -> None:
    worker = new_worker("wgq", 3, tunnel=False)
    private, public = vpn.generate_keypair()
    pool.lab.peer(pool.wg, public, "10.0.0.3/32")
    text = vpn.new_config_template(private, "10.0.0.3/24", pool.wg.public_key, worker.pool_endpoint)
    name = f"hmwg{pool.lab.short}q"
    argv = [sys.executable, "-c", WG_QUICK_RUN, text, name]
    done = run_in(worker.ns, argv, env=python_env(), timeout=60)
    if done.returncode != 0:
        raise LabError(done.stdout + done.stderr)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["method"] == "wg-quick"
    assert seen["up"] == [True, f"WireGuard tunnel {name} is up"]
    assert seen["state_up"]["up"] is True and seen["state_up"]["address"] == "10.0.0.3"
    assert seen["verify"][0] is True, seen["verify"][2]
    assert seen["choice"]["address"] == "10.0.0.3" and seen["choice"]["source"] == "wireguard"
    assert seen["down"] == [True, f"WireGuard tunnel {name} is down"]
    assert seen["state_down"]["up"] is False


def test_another_vpns_tunnel_never_wins_over_the_hivemind_network(pool: Pool, new_worker) -> None:
    """Like a Mac with Tailscale: a real WireGuard interface on another VPN's network
    (100.64.0.0/10). With a HiveMind address beside it, the HiveMind one is advertised;
    alone, it is used with a warning that names it."""
    worker = new_worker("othervpn", 9, tunnel=False)
    other = pool.lab.wireguard(worker.ns, "t", "100.64.0.5/10", listen_port=41641)
    code = (
        "import json; from hivemind_desktop.core import vpn; "
        "print(json.dumps(vpn.detect_advertise_address().as_dict()))"
    )
    alone = run_python_json(worker.ns, code)
    assert alone["address"] == "100.64.0.5" and alone["source"] == "wireguard"
    assert alone["warning"] == (
        f"using 100.64.0.5 on {other.name}, which is not on the HiveMind network (10.0.0.0/24): "
        "it may be another VPN (Tailscale, a company VPN); activate the HiveMind WireGuard "
        "tunnel, or set the advertised address in Settings"
    )
    start_worker_tunnel(pool, worker, 9)  # the HiveMind tunnel comes up beside it
    both = run_python_json(worker.ns, code)
    assert both == {"address": "10.0.0.9", "source": "wireguard", "warning": ""}

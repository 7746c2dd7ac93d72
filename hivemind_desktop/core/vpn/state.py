"""Is the tunnel up, and which address should the node pool dial?

Shared by the GUI Monitor page, the /health endpoint and registration, so it never raises:
every outcome is a value with a message for the volunteer.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import psutil

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.vpn.config import DEFAULT_CONFIG_NAME

# The tunnel's state for the Monitor page and the wizard (core/i18n.py).
HANDSHAKE_ADMIN = QT_TRANSLATE_NOOP(
    "Core", "handshake time readable only with administrator rights"
)
NO_HANDSHAKE = QT_TRANSLATE_NOOP("Core", "no handshake with the node pool seen yet")
STALE_HANDSHAKE = QT_TRANSLATE_NOOP(
    "Core", "last handshake %1 min ago: the node pool may be unreachable"
)
HANDSHAKE_AGO = QT_TRANSLATE_NOOP("Core", "last handshake %1 s ago")
NOT_WIREGUARD = QT_TRANSLATE_NOOP(
    "Core", "%1 is not a WireGuard interface: choose the WireGuard tunnel"
)
TUNNEL_NOT_RUNNING = QT_TRANSLATE_NOOP(
    "Core", "WireGuard tunnel %1 is not running: activate it in WireGuard"
)
NO_TUNNEL = QT_TRANSLATE_NOOP(
    "Core",
    "no WireGuard tunnel is running: import the HiveMind config into WireGuard and activate it",
)
TUNNEL_DOWN = QT_TRANSLATE_NOOP("Core", "WireGuard tunnel %1 is down: activate it in WireGuard")
NO_IPV4 = QT_TRANSLATE_NOOP(
    "Core",
    "WireGuard tunnel %1 has no IPv4 address: add 'Address = 10.0.0.x/24' to its [Interface] "
    "section",
)
TUNNEL_UP = QT_TRANSLATE_NOOP("Core", "WireGuard tunnel %1 is up at %2 (%3)")

DEFAULT_INTERFACE = DEFAULT_CONFIG_NAME.removesuffix(".conf")
POOL_HOST = ipaddress.IPv4Address("10.0.0.1")
POOL_NETWORK = ipaddress.IPv4Network("10.0.0.0/24")
# WireGuard re-handshakes about every 2 minutes while packets flow (and the keepalive
# makes them flow); a much older handshake means the pool has stopped answering.
STALE_HANDSHAKE_S = 180.0

_SYS_NET = Path("/sys/class/net")
_UAPI_DIR = Path("/var/run/wireguard")
_ARPHRD_NONE = "65534"  # the link type of WireGuard (kernel and wireguard-go) interfaces


@dataclass(frozen=True)
class VpnState:
    up: bool
    interface: str | None
    address: str | None
    peer_handshake_age_s: float | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class AddressChoice:
    address: str | None
    source: Literal["wireguard", "10.0.0.x", "none"]
    warning: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _linux_wireguard_interfaces() -> list[str]:
    """WireGuard links in this network namespace (sysfs is per namespace, unlike /var/run).

    A kernel WireGuard link says DEVTYPE=wireguard; a wireguard-go link is a plain tun
    device, recognised by the UAPI socket named after it.
    """
    found = []
    with contextlib.suppress(OSError):
        for link in sorted(_SYS_NET.iterdir()):
            try:
                if (link / "type").read_text().strip() != _ARPHRD_NONE:
                    continue
                uevent = (link / "uevent").read_text()
            except OSError:
                continue
            if "DEVTYPE=wireguard" in uevent or (_UAPI_DIR / f"{link.name}.sock").exists():
                found.append(link.name)
    return found


def wireguard_interfaces(platform: str = sys.platform) -> list[str]:
    """Names of the WireGuard interfaces this machine has now."""
    if platform.startswith("linux"):
        return _linux_wireguard_interfaces()
    names = list(psutil.net_if_addrs())
    if platform == "win32":
        # The WireGuard app names the adapter after the tunnel (the config file's stem).
        return [n for n in names if n == DEFAULT_INTERFACE or "wireguard" in n.lower()]
    if platform == "darwin":
        # The WireGuard app uses a utun device; other utun users rarely hold IPv4 addresses.
        sockets = {p.stem for p in _UAPI_DIR.glob("*.sock")} if _UAPI_DIR.is_dir() else set()
        return [n for n in names if n in sockets or (n.startswith("utun") and _ipv4_of(n))]
    return []


def _ipv4_of(interface: str) -> str | None:
    for addr in psutil.net_if_addrs().get(interface, []):
        if addr.family == socket.AF_INET:
            return addr.address
    return None


def _is_up(interface: str) -> bool:
    stats = psutil.net_if_stats().get(interface)
    return bool(stats and stats.isup)


class _Unreadable(Exception):
    """The device exists but will not tell us (its UAPI socket or netlink needs root)."""


def _handshake_age(interface: str) -> float | None:
    """Seconds since the newest peer handshake; None if there was none yet.

    Raises _Unreadable when the device cannot be asked (no permission, no netlink family).
    """
    try:
        from wireguard_tools import WireguardDevice

        device = WireguardDevice.get(interface)
    except Exception as exc:
        raise _Unreadable from exc
    try:
        with contextlib.suppress(AttributeError):
            device.uapi_socket.settimeout(2.0)  # type: ignore[attr-defined]
        config = device.get_config()
    except Exception as exc:
        raise _Unreadable from exc
    finally:
        with contextlib.suppress(Exception):
            device.close()
    stamps = [p.last_handshake for p in config.peers.values() if p.last_handshake]
    if not stamps:
        return None
    return max(0.0, time.time() - max(stamps))


def _handshake_detail(interface: str) -> tuple[float | None, str]:
    try:
        age = _handshake_age(interface)
    except _Unreadable:
        return None, HANDSHAKE_ADMIN
    if age is None:
        return None, NO_HANDSHAKE
    if age > STALE_HANDSHAKE_S:
        return age, say(STALE_HANDSHAKE, f"{age / 60:.0f}")
    return age, say(HANDSHAKE_AGO, f"{age:.0f}")


def _pick(names: list[str], wanted: str | None) -> str | None:
    if wanted:
        return wanted if wanted in names else None
    for name in [DEFAULT_INTERFACE, *names]:
        if name in names and _is_up(name) and _ipv4_of(name):
            return name
    return names[0] if names else None


def interface_state(name: str | None = None) -> VpnState:
    """The WireGuard tunnel's state: `name`, else ours (hivemind-wg0), else the first up one."""
    names = wireguard_interfaces()
    interface = _pick(names, name)
    if interface is None:
        if name and name in psutil.net_if_addrs():
            msg = say(NOT_WIREGUARD, name)
        elif name:
            msg = say(TUNNEL_NOT_RUNNING, name)
        else:
            msg = NO_TUNNEL
        return VpnState(False, name, None, None, msg)
    address = _ipv4_of(interface)
    if not _is_up(interface):
        return VpnState(
            False,
            interface,
            address,
            None,
            say(TUNNEL_DOWN, interface),
        )
    if address is None:
        return VpnState(
            False,
            interface,
            None,
            None,
            say(NO_IPV4, interface),
        )
    age, detail = _handshake_detail(interface)
    return VpnState(True, interface, address, age, say(TUNNEL_UP, interface, address, detail))


def _in_pool_network(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return ip in POOL_NETWORK and ip != POOL_HOST


def choose_advertise_address(
    candidates: list[tuple[str, str]], wireguard: list[str], prefer: str | None = None
) -> AddressChoice:
    """Pick the address the pool should dial from the up interfaces' IPv4 addresses
    `candidates` ((interface, address), in the system's order); `wireguard` names those
    that are WireGuard tunnels, best first.

    A HiveMind network address (10.0.0.x but .1) on a WireGuard tunnel first; then one on
    any interface; then another WireGuard tunnel, with a warning. On macOS every `utun` with
    an IPv4 address looks like WireGuard, so a Tailscale or company VPN address must never
    win over the HiveMind network's own."""
    order = [prefer] if prefer in wireguard else []
    order += [n for n in wireguard if n not in order]
    tunnels = [(n, a) for n in order for name, a in candidates if name == n]
    for _name, address in tunnels:
        if _in_pool_network(address):
            return AddressChoice(address, "wireguard", "")
    for name, address in candidates:
        if _in_pool_network(address):
            return AddressChoice(
                address,
                "10.0.0.x",
                f"using {address} on {name}, which is not a WireGuard tunnel: make sure the "
                "node pool can reach this address",
            )
    if tunnels:
        name, address = tunnels[0]
        return AddressChoice(
            address,
            "wireguard",
            f"using {address} on {name}, which is not on the HiveMind network "
            f"({POOL_NETWORK}): it may be another VPN (Tailscale, a company VPN); activate "
            "the HiveMind WireGuard tunnel, or set the advertised address in Settings",
        )
    return AddressChoice(
        None,
        "none",
        "no WireGuard tunnel and no 10.0.0.x address on this machine: the node pool will not "
        "be able to reach this machine; activate the HiveMind WireGuard tunnel, or set "
        "HIVEMIND_ADVERTISE_ADDRESS to an address the node pool can reach",
    )


def detect_advertise_address(prefer_interface: str | None = None) -> AddressChoice:
    """The address the node pool should dial (see choose_advertise_address)."""
    candidates = [
        (name, addr.address)
        for name, addrs in psutil.net_if_addrs().items()
        if _is_up(name)
        for addr in addrs
        if addr.family == socket.AF_INET
    ]
    names = wireguard_interfaces()
    if DEFAULT_INTERFACE in names:  # ours first, then the system's order
        names.remove(DEFAULT_INTERFACE)
        names.insert(0, DEFAULT_INTERFACE)
    return choose_advertise_address(candidates, names, prefer_interface)

"""WireGuard tunnel configs: validation with line numbers, keys, templates, safe saving.

wireguard_tools models the config and does the key maths; it does not say *where* a file
is wrong, and a volunteer pasting a config into the wizard needs exactly that, so the
line-level checks live here and the validated values are handed to its model.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # imported where used: its QR-code and attrs stack is ~2 MB per worker
    from wireguard_tools import WireguardConfig

DEFAULT_CONFIG_NAME = "hivemind-wg0.conf"
DEFAULT_ALLOWED_IPS = "10.0.0.0/24"

# Standard base64 of 32 bytes, as wg(8) writes and reads keys.
_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$")
_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)

_INTERFACE_KEYS = {"privatekey", "address", "listenport", "dns", "mtu"}
_PEER_KEYS = {"publickey", "allowedips", "endpoint", "persistentkeepalive", "presharedkey"}
# wg-quick runs these as root; a tunnel to the pool never needs them, so a config carrying
# them is refused rather than handed to a privileged helper.
_HOOK_KEYS = {"preup", "postup", "predown", "postdown"}
_SPELLING = {
    "privatekey": "PrivateKey",
    "address": "Address",
    "listenport": "ListenPort",
    "dns": "DNS",
    "mtu": "MTU",
    "publickey": "PublicKey",
    "allowedips": "AllowedIPs",
    "endpoint": "Endpoint",
    "persistentkeepalive": "PersistentKeepalive",
    "presharedkey": "PresharedKey",
}
_REPEATABLE = {"address", "dns", "allowedips"}

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


class VpnError(Exception):
    """Base of the VPN errors; str(exc) is one line for the user (cause and fix)."""


class VpnConfigError(VpnError, ValueError):
    """The WireGuard config is not usable; `line` is the 1-based line at fault, if any."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class PeerInfo:
    public_key: str
    endpoint_host: str
    endpoint_port: int
    allowed_ips: tuple[IPInterface, ...]
    persistent_keepalive: int | None = None
    preshared_key: str | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        host = self.endpoint_host
        return f"[{host}]:{self.endpoint_port}" if ":" in host else f"{host}:{self.endpoint_port}"


@dataclass(frozen=True)
class TunnelConfig:
    """A validated tunnel config. Its repr and str never show the private or preshared key."""

    addresses: tuple[IPInterface, ...]
    peers: tuple[PeerInfo, ...]
    public_key: str
    listen_port: int | None = None
    dns: tuple[str, ...] = ()
    mtu: int | None = None
    private_key: str = field(default="", repr=False)

    @property
    def tunnel_address(self) -> str | None:
        """The first IPv4 address without its prefix: what the pool should dial."""
        for iface in self.addresses:
            if iface.version == 4:
                return str(iface.ip)
        return None

    def to_wireguard(self) -> WireguardConfig:
        """The wireguard_tools model, for writing or applying to a device.

        Unlike TunnelConfig, its str and repr show the preshared key: never log it."""
        from wireguard_tools import WireguardConfig, WireguardPeer

        config = WireguardConfig(
            private_key=self.private_key,
            listen_port=self.listen_port,
            addresses=list(self.addresses),
            mtu=self.mtu,
        )
        for item in self.dns:
            config._add_dns_entry(item)
        for peer in self.peers:
            config.add_peer(
                WireguardPeer(
                    public_key=peer.public_key,
                    preshared_key=peer.preshared_key,
                    endpoint_host=peer.endpoint_host,
                    endpoint_port=peer.endpoint_port,
                    persistent_keepalive=peer.persistent_keepalive,
                    allowed_ips=list(peer.allowed_ips),
                )
            )
        return config

    def to_text(self) -> str:
        """The config in wg-quick format (contains the private key: write it, never log it)."""
        return self.to_wireguard().to_wgconfig(wgquick_format=True)

    def __str__(self) -> str:
        addrs = ", ".join(str(a) for a in self.addresses)
        peers = ", ".join(p.endpoint for p in self.peers)
        return f"WireGuard tunnel {addrs} (public key {self.public_key}) to {peers}"


def valid_key(value: str) -> str | None:
    """Accept only what wg(8) accepts: standard base64 of exactly 32 bytes."""
    if _KEY_RE.match(value):
        with contextlib.suppress(binascii.Error, ValueError):
            if len(base64.b64decode(value, validate=True)) == 32:
                from wireguard_tools import WireguardKey

                return str(WireguardKey(value))
    return None


KEY_FIX = "a key is 44 characters of base64 ending in '=', as `wg genkey` prints"


def _check_key(value: str, what: str, lineno: int, shown: str | None) -> str:
    """`shown` is the line to echo back, None for secrets (even a mistyped one is secret)."""
    key = valid_key(value)
    if key is None:
        echo = f" ({shown.strip()!r})" if shown else ""
        raise VpnConfigError(
            f"line {lineno}: {what} is not a valid WireGuard key{echo}: {KEY_FIX}", lineno
        )
    return key


def _int_in(value: str, low: int, high: int, what: str, lineno: int, raw: str) -> int:
    try:
        number = int(value, 10)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise VpnConfigError(
            f"line {lineno}: {what} must be a whole number from {low} to {high} ({raw.strip()!r})",
            lineno,
        )
    return number


def _cidrs(value: str, what: str, lineno: int, raw: str) -> list[IPInterface]:
    items = [part.strip() for part in value.split(",")]
    if not value.strip() or any(not part for part in items):
        raise VpnConfigError(
            f"line {lineno}: {what} is empty or has an empty item ({raw.strip()!r}): "
            "list addresses like 10.0.0.2/24, separated by commas",
            lineno,
        )
    result: list[IPInterface] = []
    for part in items:
        try:
            result.append(ipaddress.ip_interface(part))
        except ValueError:
            raise VpnConfigError(
                f"line {lineno}: {what} has {part!r}, which is not an IP address with an "
                "optional /prefix (e.g. 10.0.0.2/24)",
                lineno,
            ) from None
    return result


def _endpoint(value: str, lineno: int, raw: str) -> tuple[str, int]:
    fix = "write it as host:port, e.g. 203.0.113.5:51820 or pool.example.org:51820"
    match = re.fullmatch(r"\[([^\]]+)\]:(\S+)|([^:\s]+):(\S+)", value)
    if not match:
        raise VpnConfigError(
            f"line {lineno}: Endpoint {value!r} needs a host and a port: {fix}", lineno
        )
    host = match.group(1) or match.group(3)
    port_text = match.group(2) or match.group(4)
    if match.group(1):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise VpnConfigError(
                f"line {lineno}: Endpoint host {host!r} is not an IPv6 address: {fix}", lineno
            ) from None
    else:
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            if not _HOSTNAME_RE.match(host) or host.replace(".", "").isdigit():
                raise VpnConfigError(
                    f"line {lineno}: Endpoint host {host!r} is not an IP address or "
                    f"host name: {fix}",
                    lineno,
                ) from None
    port = _int_in(port_text, 1, 65535, "the Endpoint port", lineno, raw)
    return host, port


@dataclass
class _Section:
    kind: str  # "interface" | "peer"
    line: int
    values: dict[str, object] = field(default_factory=dict)


def _parse_value(section: _Section, key: str, value: str, lineno: int, raw: str) -> None:
    name = _SPELLING[key]
    if key in section.values and key not in _REPEATABLE:
        raise VpnConfigError(
            f"line {lineno}: {name} is set twice in this [{section.kind.title()}] section: "
            "keep one",
            lineno,
        )
    if key == "privatekey":
        section.values[key] = _check_key(value, "PrivateKey", lineno, None)
    elif key == "publickey":
        section.values[key] = _check_key(value, "PublicKey", lineno, raw)
    elif key == "presharedkey":
        section.values[key] = _check_key(value, "PresharedKey", lineno, None)
    elif key in ("address", "allowedips"):
        section.values.setdefault(key, []).extend(_cidrs(value, name, lineno, raw))  # type: ignore[attr-defined]
    elif key == "dns":
        entries = [item.strip() for item in value.split(",") if item.strip()]
        for item in entries:
            try:
                ipaddress.ip_address(item)
            except ValueError:
                if not _HOSTNAME_RE.match(item):
                    raise VpnConfigError(
                        f"line {lineno}: DNS has {item!r}, which is neither an IP address "
                        "nor a search domain",
                        lineno,
                    ) from None
        section.values.setdefault(key, []).extend(entries)  # type: ignore[attr-defined]
    elif key == "listenport":
        section.values[key] = _int_in(value, 1, 65535, "ListenPort", lineno, raw)
    elif key == "mtu":
        section.values[key] = _int_in(value, 576, 65535, "MTU", lineno, raw)
    elif key == "persistentkeepalive":
        keepalive = 0 if value.lower() == "off" else None
        if keepalive is None:
            keepalive = _int_in(value, 0, 65535, "PersistentKeepalive", lineno, raw)
        section.values[key] = keepalive or None
    elif key == "endpoint":
        section.values[key] = _endpoint(value, lineno, raw)


def _sections(text: str) -> list[_Section]:
    sections: list[_Section] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        header = re.fullmatch(r"\[\s*([A-Za-z]+)\s*\]", line)
        if header:
            kind = header.group(1).lower()
            if kind not in ("interface", "peer"):
                raise VpnConfigError(
                    f"line {lineno}: unknown section {line!r}: a WireGuard config has one "
                    "[Interface] and one or more [Peer] sections",
                    lineno,
                )
            if kind == "interface" and any(s.kind == "interface" for s in sections):
                raise VpnConfigError(
                    f"line {lineno}: a second [Interface] section: keep only one", lineno
                )
            sections.append(_Section(kind, lineno))
            continue
        if "=" not in line:
            raise VpnConfigError(
                f"line {lineno}: {raw.strip()!r} is not a 'Key = value' setting or a "
                "[Section] header",
                lineno,
            )
        key_text, value = (part.strip() for part in line.split("=", 1))
        key = key_text.lower()
        if not sections:
            raise VpnConfigError(
                f"line {lineno}: {key_text} comes before any section: start the file "
                "with [Interface]",
                lineno,
            )
        section = sections[-1]
        if key in _HOOK_KEYS:
            raise VpnConfigError(
                f"line {lineno}: {key_text} would run a command as administrator; a "
                "HiveMind tunnel does not need it: remove the line",
                lineno,
            )
        allowed = _INTERFACE_KEYS if section.kind == "interface" else _PEER_KEYS
        if key not in allowed:
            names = ", ".join(_SPELLING[k] for k in sorted(allowed))
            raise VpnConfigError(
                f"line {lineno}: unknown setting {key_text!r} in [{section.kind.title()}]: "
                f"use {names}",
                lineno,
            )
        if not value:
            raise VpnConfigError(
                f"line {lineno}: {_SPELLING[key]} has no value: write '{_SPELLING[key]} = ...'",
                lineno,
            )
        _parse_value(section, key, value, lineno, raw)
    return sections


def parse_config(text: str) -> TunnelConfig:
    """Validate a wg-quick style config; raises VpnConfigError naming the line at fault."""
    if not isinstance(text, str) or not text.strip():
        raise VpnConfigError(
            "the WireGuard config is empty: paste the config you received from the "
            "HiveMind network, starting with [Interface]"
        )
    sections = _sections(text)
    interfaces = [s for s in sections if s.kind == "interface"]
    if not interfaces:
        raise VpnConfigError(
            "no [Interface] section: add one with 'PrivateKey = <your key>' and "
            "'Address = 10.0.0.x/24'"
        )
    iface = interfaces[0]
    where = f"[Interface] (line {iface.line})"
    if "privatekey" not in iface.values:
        raise VpnConfigError(
            f"{where} has no PrivateKey: add 'PrivateKey = <your private key>'", iface.line
        )
    if "address" not in iface.values:
        raise VpnConfigError(
            f"{where} has no Address: add your tunnel address, e.g. 'Address = 10.0.0.2/24'",
            iface.line,
        )
    peer_sections = [s for s in sections if s.kind == "peer"]
    if not peer_sections:
        raise VpnConfigError(
            "no [Peer] section: add one for the node pool with PublicKey, "
            f"'AllowedIPs = {DEFAULT_ALLOWED_IPS}' and 'Endpoint = host:port'"
        )
    peers: list[PeerInfo] = []
    for sec in peer_sections:
        where = f"[Peer] (line {sec.line})"
        for key, hint in (
            ("publickey", "the node pool's public key"),
            ("allowedips", DEFAULT_ALLOWED_IPS),
            ("endpoint", "host:port of the node pool's WireGuard server"),
        ):
            if key not in sec.values:
                raise VpnConfigError(
                    f"{where} has no {_SPELLING[key]}: add '{_SPELLING[key]} = <{hint}>'",
                    sec.line,
                )
        host, port = cast(tuple[str, int], sec.values["endpoint"])
        peers.append(
            PeerInfo(
                public_key=sec.values["publickey"],  # type: ignore[arg-type]
                endpoint_host=host,
                endpoint_port=port,
                allowed_ips=tuple(sec.values["allowedips"]),  # type: ignore[arg-type]
                persistent_keepalive=sec.values.get("persistentkeepalive"),  # type: ignore[arg-type]
                preshared_key=sec.values.get("presharedkey"),  # type: ignore[arg-type]
            )
        )
    keys = [p.public_key for p in peers]
    if len(set(keys)) != len(keys):
        raise VpnConfigError("two [Peer] sections have the same PublicKey: keep one")
    private_key = iface.values["privatekey"]
    from wireguard_tools import WireguardKey

    return TunnelConfig(
        addresses=tuple(iface.values["address"]),  # type: ignore[arg-type]
        peers=tuple(peers),
        public_key=str(WireguardKey(private_key).public_key()),  # type: ignore[arg-type]
        listen_port=iface.values.get("listenport"),  # type: ignore[arg-type]
        dns=tuple(iface.values.get("dns", ())),  # type: ignore[arg-type]
        mtu=iface.values.get("mtu"),  # type: ignore[arg-type]
        private_key=private_key,  # type: ignore[arg-type]
    )

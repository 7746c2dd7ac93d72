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

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

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

# What is wrong in a config, as templates (core/i18n.py): the wizard's WireGuard page shows
# them in the volunteer's language. Quoted values are Python reprs, as before.
AT_LINE = QT_TRANSLATE_NOOP("Core", "line %1: %2")
BAD_KEY = QT_TRANSLATE_NOOP("Core", "%1 is not a valid WireGuard key: %2")
BAD_KEY_SHOWN = QT_TRANSLATE_NOOP("Core", "%1 is not a valid WireGuard key (%2): %3")
NOT_A_NUMBER = QT_TRANSLATE_NOOP("Core", "%1 must be a whole number from %2 to %3 (%4)")
ENDPOINT_PORT = QT_TRANSLATE_NOOP("Core", "the Endpoint port")
EMPTY_ITEM = QT_TRANSLATE_NOOP(
    "Core",
    "%1 is empty or has an empty item (%2): list addresses like 10.0.0.2/24, separated by commas",
)
NOT_AN_INTERFACE = QT_TRANSLATE_NOOP(
    "Core", "%1 has %2, which is not an IP address with an optional /prefix (e.g. 10.0.0.2/24)"
)
ENDPOINT_FIX = QT_TRANSLATE_NOOP(
    "Core", "write it as host:port, e.g. 203.0.113.5:51820 or pool.example.org:51820"
)
NO_HOST_PORT = QT_TRANSLATE_NOOP("Core", "Endpoint %1 needs a host and a port: %2")
NOT_IPV6 = QT_TRANSLATE_NOOP("Core", "Endpoint host %1 is not an IPv6 address: %2")
NOT_A_HOST = QT_TRANSLATE_NOOP("Core", "Endpoint host %1 is not an IP address or host name: %2")
SET_TWICE = QT_TRANSLATE_NOOP("Core", "%1 is set twice in this [%2] section: keep one")
BAD_DNS = QT_TRANSLATE_NOOP(
    "Core", "DNS has %1, which is neither an IP address nor a search domain"
)
UNKNOWN_SECTION = QT_TRANSLATE_NOOP(
    "Core",
    "unknown section %1: a WireGuard config has one [Interface] and one or more [Peer] sections",
)
SECOND_INTERFACE = QT_TRANSLATE_NOOP("Core", "a second [Interface] section: keep only one")
NOT_A_SETTING = QT_TRANSLATE_NOOP("Core", "%1 is not a 'Key = value' setting or a [Section] header")
BEFORE_SECTION = QT_TRANSLATE_NOOP(
    "Core", "%1 comes before any section: start the file with [Interface]"
)
HOOK = QT_TRANSLATE_NOOP(
    "Core",
    "%1 would run a command as administrator; a HiveMind tunnel does not need it: remove the line",
)
UNKNOWN_SETTING = QT_TRANSLATE_NOOP("Core", "unknown setting %1 in [%2]: use %3")
NO_VALUE = QT_TRANSLATE_NOOP("Core", "%1 has no value: write '%1 = ...'")
EMPTY_CONFIG = QT_TRANSLATE_NOOP(
    "Core",
    "the WireGuard config is empty: paste the config you received from the "
    "HiveMind network, starting with [Interface]",
)
NO_INTERFACE = QT_TRANSLATE_NOOP(
    "Core",
    "no [Interface] section: add one with 'PrivateKey = <your key>' and 'Address = 10.0.0.x/24'",
)
INTERFACE_AT = QT_TRANSLATE_NOOP("Core", "[Interface] (line %1)")
PEER_AT = QT_TRANSLATE_NOOP("Core", "[Peer] (line %1)")
NO_PRIVATE_KEY = QT_TRANSLATE_NOOP(
    "Core", "%1 has no PrivateKey: add 'PrivateKey = <your private key>'"
)
NO_ADDRESS = QT_TRANSLATE_NOOP(
    "Core", "%1 has no Address: add your tunnel address, e.g. 'Address = 10.0.0.2/24'"
)
NO_PEER = QT_TRANSLATE_NOOP(
    "Core",
    "no [Peer] section: add one for the node pool with PublicKey, "
    "'AllowedIPs = %1' and 'Endpoint = host:port'",
)
PEER_MISSING = QT_TRANSLATE_NOOP("Core", "%1 has no %2: add '%2 = <%3>'")
HINT_POOL_KEY = QT_TRANSLATE_NOOP("Core", "the node pool's public key")
HINT_ENDPOINT = QT_TRANSLATE_NOOP("Core", "host:port of the node pool's WireGuard server")
SAME_PEER_KEY = QT_TRANSLATE_NOOP("Core", "two [Peer] sections have the same PublicKey: keep one")


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


KEY_FIX = QT_TRANSLATE_NOOP(
    "Core", "a key is 44 characters of base64 ending in '=', as `wg genkey` prints"
)


def _check_key(value: str, what: str, lineno: int, shown: str | None) -> str:
    """`shown` is the line to echo back, None for secrets (even a mistyped one is secret)."""
    key = valid_key(value)
    if key is None:
        reason = (
            say(BAD_KEY_SHOWN, what, repr(shown.strip()), KEY_FIX)
            if shown
            else say(BAD_KEY, what, KEY_FIX)
        )
        raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
    return key


def _int_in(value: str, low: int, high: int, what: str, lineno: int, raw: str) -> int:
    try:
        number = int(value, 10)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        reason = say(NOT_A_NUMBER, what, low, high, repr(raw.strip()))
        raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
    return number


def _cidrs(value: str, what: str, lineno: int, raw: str) -> list[IPInterface]:
    items = [part.strip() for part in value.split(",")]
    if not value.strip() or any(not part for part in items):
        reason = say(EMPTY_ITEM, what, repr(raw.strip()))
        raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
    result: list[IPInterface] = []
    for part in items:
        try:
            result.append(ipaddress.ip_interface(part))
        except ValueError:
            reason = say(NOT_AN_INTERFACE, what, repr(part))
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno) from None
    return result


def _endpoint(value: str, lineno: int, raw: str) -> tuple[str, int]:
    fix = ENDPOINT_FIX
    match = re.fullmatch(r"\[([^\]]+)\]:(\S+)|([^:\s]+):(\S+)", value)
    if not match:
        reason = say(NO_HOST_PORT, repr(value), fix)
        raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
    host = match.group(1) or match.group(3)
    port_text = match.group(2) or match.group(4)
    if match.group(1):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            reason = say(NOT_IPV6, repr(host), fix)
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno) from None
    else:
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            if not _HOSTNAME_RE.match(host) or host.replace(".", "").isdigit():
                reason = say(NOT_A_HOST, repr(host), fix)
                raise VpnConfigError(say(AT_LINE, lineno, reason), lineno) from None
    port = _int_in(port_text, 1, 65535, ENDPOINT_PORT, lineno, raw)
    return host, port


@dataclass
class _Section:
    kind: str  # "interface" | "peer"
    line: int
    values: dict[str, object] = field(default_factory=dict)


def _parse_value(section: _Section, key: str, value: str, lineno: int, raw: str) -> None:
    name = _SPELLING[key]
    if key in section.values and key not in _REPEATABLE:
        reason = say(SET_TWICE, name, section.kind.title())
        raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
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
                    reason = say(BAD_DNS, repr(item))
                    raise VpnConfigError(say(AT_LINE, lineno, reason), lineno) from None
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
                reason = say(UNKNOWN_SECTION, repr(line))
                raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
            if kind == "interface" and any(s.kind == "interface" for s in sections):
                raise VpnConfigError(say(AT_LINE, lineno, SECOND_INTERFACE), lineno)
            sections.append(_Section(kind, lineno))
            continue
        if "=" not in line:
            reason = say(NOT_A_SETTING, repr(raw.strip()))
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
        key_text, value = (part.strip() for part in line.split("=", 1))
        key = key_text.lower()
        if not sections:
            reason = say(BEFORE_SECTION, key_text)
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
        section = sections[-1]
        if key in _HOOK_KEYS:
            reason = say(HOOK, key_text)
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
        allowed = _INTERFACE_KEYS if section.kind == "interface" else _PEER_KEYS
        if key not in allowed:
            names = ", ".join(_SPELLING[k] for k in sorted(allowed))
            reason = say(UNKNOWN_SETTING, repr(key_text), section.kind.title(), names)
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
        if not value:
            reason = say(NO_VALUE, _SPELLING[key])
            raise VpnConfigError(say(AT_LINE, lineno, reason), lineno)
        _parse_value(section, key, value, lineno, raw)
    return sections


def parse_config(text: str) -> TunnelConfig:
    """Validate a wg-quick style config; raises VpnConfigError naming the line at fault."""
    if not isinstance(text, str) or not text.strip():
        raise VpnConfigError(EMPTY_CONFIG)
    sections = _sections(text)
    interfaces = [s for s in sections if s.kind == "interface"]
    if not interfaces:
        raise VpnConfigError(NO_INTERFACE)
    iface = interfaces[0]
    where = say(INTERFACE_AT, iface.line)
    if "privatekey" not in iface.values:
        raise VpnConfigError(say(NO_PRIVATE_KEY, where), iface.line)
    if "address" not in iface.values:
        raise VpnConfigError(say(NO_ADDRESS, where), iface.line)
    peer_sections = [s for s in sections if s.kind == "peer"]
    if not peer_sections:
        raise VpnConfigError(say(NO_PEER, DEFAULT_ALLOWED_IPS))
    peers: list[PeerInfo] = []
    for sec in peer_sections:
        where = say(PEER_AT, sec.line)
        for key, hint in (
            ("publickey", HINT_POOL_KEY),
            ("allowedips", DEFAULT_ALLOWED_IPS),
            ("endpoint", HINT_ENDPOINT),
        ):
            if key not in sec.values:
                raise VpnConfigError(say(PEER_MISSING, where, _SPELLING[key], hint), sec.line)
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
        raise VpnConfigError(SAME_PEER_KEY)
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

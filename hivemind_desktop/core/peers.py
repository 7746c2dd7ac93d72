"""Who may call the worker: HIVEMIND_ALLOWED_PEERS, or by default the node pool's host.

The worker's peer check compares IP addresses, but MASTER_ADDRESS may name the pool by
host name (localhost:50051, pool.example.org:50051). The name is resolved here, at start,
to every address it has; a name that does not resolve is a one-line problem to show, not
a crash (the network may simply not be up yet, e.g. right after login).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from hivemind_desktop.core.settings import Settings


@dataclass(frozen=True)
class AllowedPeers:
    peers: tuple[str, ...]  # IP addresses or networks; empty: nobody may call
    problem: str = ""  # why it is empty, with the fix


def resolve_allowed_peers(settings: Settings) -> AllowedPeers:
    if settings.allowed_peers:
        return AllowedPeers(settings.allowed_peers)  # validated as IPs/networks already
    host = settings.master_host
    try:
        ipaddress.ip_address(host)
        return AllowedPeers((host,))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return AllowedPeers(
            (),
            f"the node pool's host name {host!r} (MASTER_ADDRESS) cannot be resolved "
            f"({reason}): check the name and the network, or set HIVEMIND_ALLOWED_PEERS",
        )
    # "fe80::1%eth0": the scope is not part of the address the peer check compares
    addresses = sorted({str(info[4][0]).partition("%")[0] for info in infos})
    return AllowedPeers(tuple(addresses))

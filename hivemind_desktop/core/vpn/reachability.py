"""Can we reach the node pool through the tunnel? Asked with a real gRPC call.

Kept free of the rest of the core (only grpc and the stubs) so the wizard, the CLI and
tests can call it before anything else is set up.
"""

from __future__ import annotations

import ipaddress
import time

import grpc

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.rpc import pb, pb_grpc

# The pool check's answer, as the wizard and the Monitor page show it (core/i18n.py).
UNREACHABLE = QT_TRANSLATE_NOOP(
    "Core",
    "cannot reach the node pool at %1 (%2 within %3 s): check that the WireGuard tunnel is "
    "active and the address is right",
)
NO_ANSWER = QT_TRANSLATE_NOOP("Core", "no answer")
UNAVAILABLE = QT_TRANSLATE_NOOP("Core", "unavailable")
ANSWERED = QT_TRANSLATE_NOOP("Core", "it answered")
ANSWERED_WITH = QT_TRANSLATE_NOOP("Core", "it answered with %1")
AN_ERROR = QT_TRANSLATE_NOOP("Core", "an error")
REACHABLE = QT_TRANSLATE_NOOP("Core", "node pool at %1 is reachable (%2 in %3 ms)")

DEFAULT_POOL_PORT = 50051
# Codes that mean nothing answered; any other status came from a gRPC server over the wire.
_UNREACHABLE = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}


def _target(master_address: str) -> str | None:
    """'host:port' (port defaults to 50051), IPv6 as [addr]:port; None when malformed."""
    text = (master_address or "").strip()
    if not text or any(c.isspace() for c in text):
        return None
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else (None if rest else str(DEFAULT_POOL_PORT))
        if not sep or port is None:
            return None
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        host = f"[{host}]"
    elif text.count(":") == 1:
        host, port = text.split(":")
    elif ":" not in text:
        host, port = text, str(DEFAULT_POOL_PORT)
    else:
        return None
    if not host:
        return None
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return None
    return f"{host}:{int(port)}"


def verify_pool_reachable(
    master_address: str, timeout: float = 5
) -> tuple[bool, float | None, str]:
    """(ok, round_trip_ms, message): one UserService.Login with an empty username.

    Any gRPC answer, even a refusal, proves the pool is reachable; only UNAVAILABLE or
    DEADLINE_EXCEEDED mean the packets got nowhere.
    """
    target = _target(master_address)
    if target is None:
        return (
            False,
            None,
            f"node pool address {master_address!r} is not HOST:PORT: use e.g. 10.0.0.1:50051",
        )
    # No proxy: the tunnel address must be dialled directly, never through an HTTP proxy.
    channel = grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)])
    start = time.monotonic()
    try:
        stub = pb_grpc.UserServiceStub(channel)
        stub.Login(pb.LoginRequest(username="", password=""), timeout=timeout)
        detail = ANSWERED
    except grpc.RpcError as exc:
        code = exc.code() if hasattr(exc, "code") else None
        if code in _UNREACHABLE:
            why = NO_ANSWER if code is grpc.StatusCode.DEADLINE_EXCEEDED else UNAVAILABLE
            return False, None, say(UNREACHABLE, target, why, f"{timeout:g}")
        detail = say(ANSWERED_WITH, code.name if code else AN_ERROR)
    finally:
        channel.close()
    rtt_ms = (time.monotonic() - start) * 1000.0
    return True, rtt_ms, say(REACHABLE, target, detail, f"{rtt_ms:.0f}")

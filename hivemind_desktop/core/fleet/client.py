"""A client of a worker's remote status API over TLS with a pinned certificate.

No certificate authority: the worker's self-signed certificate is checked against the
SHA-256 fingerprint pinned at pairing (during pairing, against the prefix in the code)
before a single byte of the request, token included, is sent. Every failure is a
FleetError whose `kind` the GUI turns into its own words; none carries a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from hivemind_desktop.core.remote.access import PairingLink

TIMEOUT_S = 8.0  # a worker busy starting a task can be slow to answer; not one that hangs
MAX_ANSWER = 4 * 2**20

OFFLINE = "offline"
CERT_CHANGED = "cert_changed"
WRONG_TOKEN = "wrong_token"  # noqa: S105 - a reason word, not a secret
REVOKED = "revoked_token"
NOT_PERMITTED = "not_permitted"
CODE_EXPIRED = "code_expired"
WRONG_CODE = "wrong_code"
NO_TOKEN = "no_token"  # noqa: S105 - the keyring has no token for this computer
NO_KEYRING = "no_keyring"  # the OS keyring is missing or locked: no token can be kept
FAILED = "failed"  # anything else: the message says what


def _client_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the pin in request() is the check
    return context


# One for all requests: making a context costs about as much as the request itself.
_CONTEXT = _client_context()


class FleetError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Pairing:
    host: str
    port: int
    fingerprint: str  # the whole SHA-256, pinned from now on
    permissions: tuple[str, ...]
    token: str


def _open(host: str, port: int, pin: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection whose certificate matches `pin` (checked before anything is sent),
    and the certificate's fingerprint."""
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise FleetError(OFFLINE, _unreachable(exc)) from None
    try:
        tls = _CONTEXT.wrap_socket(raw, server_hostname=None)
    except (OSError, ssl.SSLError) as exc:
        raw.close()
        raise FleetError(OFFLINE, f"no secure connection could be made ({exc})") from None
    der = tls.getpeercert(binary_form=True) or b""
    seen = hashlib.sha256(der).hexdigest()
    if not _pinned(seen, pin.lower()):
        tls.close()
        raise FleetError(
            CERT_CHANGED,
            "the computer answered with a different certificate than the one paired "
            "(reinstalled, or someone in between): pair it again if you trust it",
        )
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    conn.sock = tls
    return conn, seen


class _Broken(Exception):
    """The connection failed under a request (it may have been closed while idle)."""


def _exchange(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    token: str,
    body: dict[str, Any] | None,
    keep: bool,
) -> tuple[Any, bool]:
    """One request on an open connection; the answer and whether the server keeps the
    connection open. Raises _Broken when the connection fails, FleetError otherwise."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Host": f"{conn.host}:{conn.port}", "Connection": "keep-alive" if keep else "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        reply = conn.getresponse()
        text = reply.read(MAX_ANSWER + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise _Broken(str(exc)) from None
    if len(text) > MAX_ANSWER:
        raise FleetError(FAILED, "the computer's answer is too large")
    try:
        answer = json.loads(text)
    except ValueError:
        raise FleetError(FAILED, "the computer's answer is not a HiveMind status") from None
    if reply.status >= 400:
        reason = answer.get("reason", "") if isinstance(answer, dict) else ""
        message = answer.get("error", "") if isinstance(answer, dict) else ""
        known = {WRONG_TOKEN, REVOKED, NOT_PERMITTED, CODE_EXPIRED, WRONG_CODE, NO_TOKEN}
        raise FleetError(reason if reason in known else FAILED, str(message)[:300])
    return answer, not reply.will_close


def request(
    host: str,
    port: int,
    pin: str,
    method: str,
    path: str,
    *,
    token: str = "",
    body: dict[str, Any] | None = None,
    timeout: float = TIMEOUT_S,
) -> tuple[Any, str]:
    """One request on a connection of its own; the decoded JSON answer and the server's
    fingerprint. `pin` is the whole fingerprint, or a prefix of it while pairing."""
    conn, seen = _open(host, port, pin, timeout)
    try:
        answer, _ = _exchange(conn, method, path, token, body, keep=False)
    except _Broken as exc:
        raise FleetError(OFFLINE, f"the connection broke ({exc})") from None
    finally:
        conn.close()
    return answer, seen


class Link:
    """Reads from one computer over a connection kept open between polls: a TLS
    handshake per poll would cost more than the poll. Used by one thread at a time; a
    kept connection that the worker closed meanwhile is opened again once, pin and all."""

    def __init__(self, host: str, port: int, pin: str, timeout: float = TIMEOUT_S) -> None:
        self.host, self.port, self.pin, self.timeout = host, port, pin, timeout
        self._conn: http.client.HTTPConnection | None = None

    def get(self, path: str, token: str) -> Any:
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn, _ = _open(self.host, self.port, self.pin, self.timeout)
            try:
                answer, keep = _exchange(self._conn, "GET", path, token, None, keep=True)
            except _Broken as exc:
                self.close()
                if reused and attempt == 1:
                    continue  # closed while idle: once more on a new connection
                raise FleetError(OFFLINE, f"the connection broke ({exc})") from None
            except FleetError:
                self.close()
                raise
            if not keep:
                self.close()
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _pinned(seen: str, pin: str) -> bool:
    if len(pin) == len(seen):
        return hmac.compare_digest(seen, pin)
    return len(pin) >= 16 and seen.startswith(pin)


def _unreachable(exc: OSError) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "not answering (timed out)"
    if isinstance(exc, ConnectionRefusedError):
        return "not answering (nothing listens: the worker or its remote access is off)"
    return f"not reachable ({exc.strerror or exc})"


def pair(link: PairingLink, name: str, timeout: float = TIMEOUT_S) -> Pairing:
    """Exchange the link's code for a token; the certificate must match the link's
    fingerprint (prefix), and the whole fingerprint is what gets pinned."""
    answer, seen = request(
        link.host, link.port, link.fingerprint, "POST", "/api/pair",
        body={"code": link.code, "name": name}, timeout=timeout,
    )  # fmt: skip
    try:
        token, perms, fingerprint = answer["token"], answer["permissions"], answer["fingerprint"]
    except (KeyError, TypeError):
        raise FleetError(FAILED, "the computer's answer is not a HiveMind pairing") from None
    if fingerprint != seen:
        raise FleetError(CERT_CHANGED, "the certificate changed during pairing: try again")
    return Pairing(link.host, link.port, seen, tuple(perms), str(token))

"""One connection to the node pool and the account signed in on it.

The session owns the channel and its stubs, signs in, keeps the token fresh (RefreshToken
at 70 % of its life, else a new Login) and makes authorized calls. The deployed pool
answers a bad or expired token with INTERNAL, not UNAUTHENTICATED (protocol.md §1), so an
authorized call that fails that way signs in again once and is retried.

Coming back after an outage: gRPC's own reconnect backoff (1 s growing to 120 s by default)
would leave a pool that is up again unnoticed for up to two minutes, so the channel's
backoff is capped at a few seconds (one connection attempt per RECONNECT_BACKOFF_MAX_S at
most while the pool stays down; calls in between fail locally without touching the
network). `on_ready` tells the loops when the channel answers again.
"""

from __future__ import annotations

import base64
import enum
import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import grpc

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.logs import register_secret
from hivemind_desktop.core.settings import split_host_port
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

CALL_TIMEOUT_S = 10.0
RECONNECT_BACKOFF_MAX_S = 4.0  # between connection attempts to (and retries of) a pool away
REFRESH_AT = 0.7  # of the token's life
DEFAULT_TOKEN_LIFE_S = 3600.0  # the deployed pool's; assumed for a token that is not a JWT

# Sign-in errors and connection problems, in the volunteer's language (core/i18n.py).
NOT_A_POOL = QT_TRANSLATE_NOOP(
    "Core",
    "%1 answers but is not a HiveMind node pool (no UserService.Login): "
    "check the node-pool address",
)
NO_ANSWER = QT_TRANSLATE_NOOP(
    "Core",
    "the node pool at %1 does not answer (%2): check the VPN connection and the node-pool address",
)
SIGN_IN_ERROR = QT_TRANSLATE_NOOP(
    "Core", "the node pool at %1 failed the sign-in (%2): try again in a while"
)
REFUSED = QT_TRANSLATE_NOOP("Core", "the node pool refused the username or password")
ENTER_BOTH = QT_TRANSLATE_NOOP("Core", "enter a username and a password")
NOT_HOST_PORT = QT_TRANSLATE_NOOP(
    "Core", "the node-pool address %1 is not HOST:PORT: write it with its port, e.g. 10.0.0.1:50051"
)
NOT_SIGNED_IN = QT_TRANSLATE_NOOP("Core", "not signed in")
NOT_ANSWERING = QT_TRANSLATE_NOOP(
    "Core", "the node pool at %1 does not answer: check the VPN and the address"
)
ANSWERED = QT_TRANSLATE_NOOP("Core", "the node pool at %1 answered %2: %3")

CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
]

Reply = TypeVar("Reply")


def channel_options(reconnect_backoff_max_s: float = RECONNECT_BACKOFF_MAX_S) -> list:
    """CHANNEL_OPTIONS plus a reconnect backoff of 1 s growing (x1.6, jittered) to the cap."""
    cap_ms = max(1000, int(reconnect_backoff_max_s * 1000))
    return [
        *CHANNEL_OPTIONS,
        ("grpc.initial_reconnect_backoff_ms", 1000),
        ("grpc.min_reconnect_backoff_ms", 1000),
        ("grpc.max_reconnect_backoff_ms", cap_ms),
    ]


class SignInOutcome(enum.StrEnum):
    """How a Login went, in the terms a volunteer can act on."""

    SIGNED_IN = "signed_in"
    REFUSED = "refused"  # the pool said no to these credentials: ask again
    UNREACHABLE = "unreachable"  # nothing answered: down, VPN, wrong host or port
    NOT_A_POOL = "not_a_pool"  # something answered that does not speak the protocol
    ERROR = "error"  # the pool answered the Login with an error status
    BAD_ADDRESS = "bad_address"  # not HOST:PORT; no connection was tried


# The pool did not sign us in, but may later: the worker keeps the credentials and retries.
WORTH_RETRYING = frozenset(
    {SignInOutcome.UNREACHABLE, SignInOutcome.NOT_A_POOL, SignInOutcome.ERROR}
)


class SignInError(Exception):
    """Sign-in failed; the message says why and what to do. `unreachable` tells a pool
    that did not sign us in for a reason worth retrying later from one that said no
    (ask the user again) or an address that can never work."""

    def __init__(self, message: str, outcome: SignInOutcome = SignInOutcome.REFUSED) -> None:
        super().__init__(message)
        self.outcome = outcome

    @property
    def unreachable(self) -> bool:
        return self.outcome in WORTH_RETRYING


def address_problem(address: str) -> str:
    """Why `address` cannot be a node pool's (gRPC would quietly try port 443), or ""."""
    try:
        split_host_port(address)
    except ValueError:
        return say(NOT_HOST_PORT, repr(address))
    return ""


def login(
    users: pb_grpc.UserServiceStub,
    address: str,
    username: str,
    password: str,
    timeout_s: float = CALL_TIMEOUT_S,
) -> str:
    """One Login; returns the token or raises SignInError naming the cause and the fix."""
    try:
        reply = users.Login(
            pb.LoginRequest(username=username, password=password), timeout=timeout_s
        )
    except grpc.RpcError as exc:
        code = exc.code()
        if code == grpc.StatusCode.UNIMPLEMENTED:
            raise SignInError(say(NOT_A_POOL, address), SignInOutcome.NOT_A_POOL) from None
        if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
            raise SignInError(
                say(NO_ANSWER, address, code.name), SignInOutcome.UNREACHABLE
            ) from None
        raise SignInError(
            say(SIGN_IN_ERROR, address, error_code(exc)), SignInOutcome.ERROR
        ) from None
    if not reply.success or not reply.token:
        raise SignInError(reply.message or REFUSED)
    return reply.token


def unverified_claims(token: str) -> dict[str, Any]:
    """A JWT's payload, read without checking its signature (the pool checks it; the worker
    only needs `exp` and `iat` to know when to refresh). Raises ValueError when `token`
    is not a JWT. The standard library suffices: a JWT library would load a cryptography
    stack into every worker for this one base64 + JSON read."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT: it has no three dot-separated parts")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except ValueError as exc:  # bad base64 (binascii.Error), bad UTF-8 or bad JSON
        raise ValueError(f"not a JWT: {exc}") from None
    if not isinstance(claims, dict):
        raise ValueError("not a JWT: its payload is not a JSON object")
    return claims


def token_life(token: str, now: float) -> tuple[float, float]:
    """(issued, expires) from the token's claims; an opaque token is assumed to live as
    long as the deployed pool's do."""
    try:
        claims = unverified_claims(token)
        return float(claims.get("iat", now)), float(claims.get("exp", now + DEFAULT_TOKEN_LIFE_S))
    except (ValueError, TypeError):
        # The log filter masks every JWT by its shape; an opaque token is registered.
        register_secret(token)
        return now, now + DEFAULT_TOKEN_LIFE_S


class PoolSession:
    """The channel to one node pool, the account signed in on it and its token."""

    def __init__(
        self, address: str, *, reconnect_backoff_max_s: float = RECONNECT_BACKOFF_MAX_S
    ) -> None:
        self.address = address
        self.reconnect_cap_s = max(1.0, reconnect_backoff_max_s)
        self.channel = grpc.insecure_channel(address, options=channel_options(self.reconnect_cap_s))
        self.users = pb_grpc.UserServiceStub(self.channel)
        self.nodes = pb_grpc.NodeManagerServiceStub(self.channel)
        self.workers = pb_grpc.WorkerNodeServiceStub(self.channel)
        self._lock = threading.Lock()
        self._username = ""
        self._password = ""
        self._token = ""
        self._issued = 0.0
        self._expires = 0.0
        self.problem = ""  # why the last sign-in made on our own failed ("" when it did not)
        self._ready_listeners: list[Callable[[], None]] = []
        self._channel_ready = False
        self._watching = False
        self._watch_lock = threading.Lock()

    # -- identity -------------------------------------------------------------------------
    @property
    def username(self) -> str:
        return self._username

    @property
    def credentials(self) -> tuple[str, str]:
        """The credentials in use (to carry over to a session with a new pool address)."""
        return self._username, self._password

    @property
    def signed_in(self) -> bool:
        return bool(self._token)

    @property
    def token(self) -> str:
        """The token calls carry now ("" when signed out); it changes as it is renewed."""
        return self._token

    @property
    def token_expires_at(self) -> float:
        return self._expires

    def sign_in(self, username: str, password: str) -> None:
        """Log in to the node pool; raises SignInError with a message for the user."""
        if not username or not password:
            raise SignInError(ENTER_BOTH)
        if problem := address_problem(self.address):
            raise SignInError(problem, SignInOutcome.BAD_ADDRESS)
        register_secret(password)
        self._accept(login(self.users, self.address, username, password))
        with self._lock:
            self._username, self._password = username, password
        self.problem = ""

    def keep_credentials(self, username: str, password: str) -> None:
        """Hold credentials whose sign-in could not be made yet: the first call signs in."""
        register_secret(password)
        with self._lock:
            self._username, self._password = username, password

    def sign_out(self) -> None:
        with self._lock:
            self._username = self._password = self._token = ""

    def _accept(self, token: str) -> None:
        issued, expires = token_life(token, time.time())
        with self._lock:
            self._token, self._issued, self._expires = token, issued, expires

    # -- token upkeep ---------------------------------------------------------------------
    def ensure_token(self) -> bool:
        """A token good for the next call: refreshed once 70 % of its life is gone
        (RefreshToken, else a new Login). False when there is none to be had."""
        lifetime = max(1.0, self._expires - self._issued)
        if self._token and time.time() < self._issued + REFRESH_AT * lifetime:
            return True
        if self._token:
            try:
                reply = self.users.RefreshToken(
                    pb.RefreshTokenRequest(old_token=self._token),
                    metadata=self.metadata(),
                    timeout=CALL_TIMEOUT_S,
                )
                if reply.success and reply.new_token:
                    self._accept(reply.new_token)
                    return True
            except grpc.RpcError:
                pass
        return self.relogin()

    def relogin(self) -> bool:
        """Sign in again with the credentials held; on failure `problem` says why."""
        username, password = self.credentials
        if not username:
            return False
        try:
            token = login(self.users, self.address, username, password)
        except SignInError as exc:
            self.problem = str(exc)
            return False
        if not self._username:  # signed out while the login was under way
            return False
        self._accept(token)
        self.problem = ""
        return True

    def metadata(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self._token}")]

    def call(
        self, method: Callable[..., Reply], request: Any, timeout: float = CALL_TIMEOUT_S
    ) -> Reply:
        """One authorized call. Raises ConnectionError (with the reason) when no token can
        be had, grpc.RpcError when the pool fails the call."""
        if not self.ensure_token():
            raise ConnectionError(self.problem or NOT_SIGNED_IN)
        try:
            return method(request, metadata=self.metadata(), timeout=timeout)
        except grpc.RpcError as exc:
            if exc.code() not in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAUTHENTICATED):
                raise
            if not self.relogin():
                if self.problem:  # the sign-in's reason says more than INTERNAL does
                    raise ConnectionError(self.problem) from exc
                raise
            return method(request, metadata=self.metadata(), timeout=timeout)

    # -- the channel ----------------------------------------------------------------------
    def on_ready(self, listener: Callable[[], None]) -> None:
        """Call `listener` (on gRPC's thread) each time the pool answers again."""
        self._ready_listeners.append(listener)
        self.watch_channel(True)

    def watch_channel(self, on: bool) -> None:
        """Follow the channel's connectivity only while the pool is away or not yet
        reached. gRPC's Python subscription polls five times a second for as long as it
        exists, and a pool that answers has nothing to say through it: a failing call
        tells that it went away, and turns the watch back on."""
        with self._watch_lock:
            if on == self._watching or (on and not self._ready_listeners):
                return
            self._watching = on
            if on:
                self._channel_ready = False  # the next READY means "the pool is back"
                self.channel.subscribe(self._on_connectivity, try_to_connect=False)
            else:
                self.channel.unsubscribe(self._on_connectivity)

    def _on_connectivity(self, state: grpc.ChannelConnectivity) -> None:
        ready = state == grpc.ChannelConnectivity.READY
        if ready and not self._channel_ready:
            for listener in list(self._ready_listeners):
                listener()
        self._channel_ready = ready

    def close(self) -> None:
        self.watch_channel(False)
        self.channel.close()


def error_code(exc: BaseException) -> str:
    if isinstance(exc, grpc.RpcError):
        return exc.code().name
    return type(exc).__name__


def is_transient(exc: BaseException) -> bool:
    """A pool that is down, slow or restarting (retry as long as it takes)."""
    return not isinstance(exc, grpc.RpcError) or exc.code() in (
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.INTERNAL,  # how the deployed pool answers a stale token
        grpc.StatusCode.UNAUTHENTICATED,
    )


def describe_error(exc: BaseException, address: str) -> str:
    """One line for the volunteer about a failed call."""
    if isinstance(exc, grpc.RpcError) and exc.code() in (
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
    ):
        return say(NOT_ANSWERING, address)
    if isinstance(exc, grpc.RpcError):
        return say(ANSWERED, address, exc.code().name, exc.details())
    return str(exc)

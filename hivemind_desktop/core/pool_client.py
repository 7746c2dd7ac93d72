"""The worker's side of the node-pool protocol (protocol.md): sign-in and token upkeep,
registration as liveness, status, console output, usage, and result delivery from the
persistent outbox with backoff, so that a node pool down for minutes loses nothing.

Two threads: `liveness` (token, RegisterWorkerNode, ReportStatus, balance) and `uploads`
(output, usage, results), so a slow upload never makes the node look dead.

Coming back after an outage: gRPC's own reconnect backoff (1 s growing to 120 s by default)
would leave a pool that is up again unnoticed for up to two minutes, so the channel's
backoff is capped at a few seconds (one connection attempt per RECONNECT_BACKOFF_MAX_S at
most while the pool stays down; calls in between fail locally without touching the
network). The channel's move to READY wakes both loops: the node registers at once and the
outbox is retried at once, whatever backoff its results had reached.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.docker_runner import Usage
from hivemind_desktop.core.logs import register_secret
from hivemind_desktop.core.models import Resources
from hivemind_desktop.core.store import Store
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

log = logging.getLogger(__name__)

REGISTER_INTERVAL_S = 30.0  # the pool counts a node online for 180 s after registering
STATUS_INTERVAL_S = 10.0
BALANCE_INTERVAL_S = 60.0
CALL_TIMEOUT_S = 10.0
RESULT_TIMEOUT_S = 120.0
MAX_BACKOFF_S = 60.0  # between deliveries of a result the pool answered "no" to
RECONNECT_BACKOFF_MAX_S = 4.0  # between connection attempts to (and retries of) a pool away
REFUSALS_BEFORE_GIVING_UP = 20  # the pool answered "no" this many times: drop the result
OUTPUT_CHUNK = 64 * 1024
OUTPUT_BACKLOG = 1024 * 1024

CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
]


def channel_options(reconnect_backoff_max_s: float = RECONNECT_BACKOFF_MAX_S) -> list:
    """CHANNEL_OPTIONS plus a reconnect backoff of 1 s growing (x1.6, jittered) to the cap."""
    cap_ms = max(1000, int(reconnect_backoff_max_s * 1000))
    return [
        *CHANNEL_OPTIONS,
        ("grpc.initial_reconnect_backoff_ms", 1000),
        ("grpc.min_reconnect_backoff_ms", 1000),
        ("grpc.max_reconnect_backoff_ms", cap_ms),
    ]


class SignInError(Exception):
    """Sign-in failed; the message says why and what to do. `unreachable` tells a pool
    that did not answer (worth retrying) from one that said no (ask the user again)."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True)
class NodeReport:
    """What the worker tells the pool about itself, gathered by the Worker."""

    hostname: str
    port: int
    totals: Resources
    gpu_name: str
    docker_status: str  # "available" / "unavailable"
    status: str  # "Idle" exactly when another task could be admitted
    running_tasks: int
    cpu_usage: float
    memory_usage: float
    gpu_usage: float
    gpu_memory_usage: float
    location: str


class PoolState:
    SIGNED_OUT = "signed_out"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    REJECTED = "rejected"


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


class NodePoolClient:
    def __init__(
        self,
        master_address: str,
        *,
        events: ev.EventBus,
        store: Store,
        report: Callable[[], NodeReport],
        on_result_acknowledged: Callable[[str], None],
        node_id: str = "",
        reconnect_backoff_max_s: float = RECONNECT_BACKOFF_MAX_S,
    ) -> None:
        self.master_address = master_address
        self._reconnect_cap_s = max(1.0, reconnect_backoff_max_s)
        self._events = events
        self._store = store
        self._report = report
        self._on_ack = on_result_acknowledged
        self._fixed_node_id = node_id
        self._lock = threading.Lock()
        self._channel = grpc.insecure_channel(
            master_address, options=channel_options(self._reconnect_cap_s)
        )
        self._stubs()
        self._username = ""
        self._password = ""
        self._token = ""
        self._token_issued = 0.0
        self._token_expires = 0.0
        self.state = PoolState.SIGNED_OUT
        self.state_detail = ""
        self.last_rtt_ms: float | None = None
        self.balance: int | None = None
        self._stop = threading.Event()
        self._wake_liveness = threading.Event()
        self._wake_uploads = threading.Event()
        self._force_register = True
        self._force_status = True
        self._last_reported_cpu = -100.0
        self._balance_due = True
        self._output: dict[str, str] = {}
        self._usage: dict[str, Usage] = {}
        self._next_attempt: dict[str, float] = {}
        self._retry_outbox_now = threading.Event()
        self._channel_ready = False
        self._watching = False  # subscribed to the channel's connectivity
        self._watch_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _stubs(self) -> None:
        self._users = pb_grpc.UserServiceStub(self._channel)
        self._nodes = pb_grpc.NodeManagerServiceStub(self._channel)
        self._workers = pb_grpc.WorkerNodeServiceStub(self._channel)

    # -- identity -------------------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return bool(self._token)

    @property
    def username(self) -> str:
        return self._username

    @property
    def login(self) -> tuple[str, str]:
        """The credentials in use (to carry over to a client for a new pool address)."""
        return self._username, self._password

    @property
    def node_id(self) -> str:
        return self._fixed_node_id or self._username

    def sign_in(self, username: str, password: str) -> None:
        """Log in to the node pool; raises SignInError with a message for the user."""
        if not username or not password:
            raise SignInError("enter a username and a password")
        register_secret(password)
        self._login(username, password)
        self._username, self._password = username, password
        self._force_register = self._force_status = True
        self._set_state(PoolState.CONNECTED, "signed in")
        self._wake_liveness.set()
        self._wake_uploads.set()

    def keep_trying(self, username: str, password: str) -> None:
        """Keep credentials whose sign-in failed because the pool did not answer: the
        liveness loop signs in as soon as the pool is back (headless start-up)."""
        register_secret(password)
        self._username, self._password = username, password
        self._force_register = self._force_status = True
        self._wake_liveness.set()

    def sign_out(self) -> None:
        with self._lock:
            self._username = self._password = self._token = ""
            self.balance = None
        self._set_state(PoolState.SIGNED_OUT, "signed out")

    def _login(self, username: str, password: str) -> None:
        try:
            reply = self._users.Login(
                pb.LoginRequest(username=username, password=password), timeout=CALL_TIMEOUT_S
            )
        except grpc.RpcError as exc:
            raise SignInError(
                f"the node pool at {self.master_address} does not answer ({_code(exc)}): "
                "check the VPN connection and the node-pool address",
                unreachable=True,
            ) from None
        if not reply.success or not reply.token:
            raise SignInError(reply.message or "the node pool refused the username or password")
        self._accept_token(reply.token)

    def _accept_token(self, token: str) -> None:
        now = time.time()
        try:
            claims = unverified_claims(token)
            expires = float(claims.get("exp", now + 3600))
            issued = float(claims.get("iat", now))
        except (ValueError, TypeError):
            # The log filter masks every JWT by its shape; an opaque token is registered.
            register_secret(token)
            expires, issued = now + 3600, now
        with self._lock:
            self._token, self._token_issued, self._token_expires = token, issued, expires

    def _token_fresh(self) -> bool:
        """Refresh when 70 % of the token's life is gone: RefreshToken, else log in again."""
        lifetime = max(1.0, self._token_expires - self._token_issued)
        if time.time() < self._token_issued + 0.7 * lifetime and self._token:
            return True
        if self._token:
            try:
                reply = self._users.RefreshToken(
                    pb.RefreshTokenRequest(old_token=self._token),
                    metadata=self._metadata(),
                    timeout=CALL_TIMEOUT_S,
                )
                if reply.success and reply.new_token:
                    self._accept_token(reply.new_token)
                    return True
            except grpc.RpcError:
                pass
        return self._relogin()

    def _relogin(self) -> bool:
        if not self._username:
            return False
        try:
            self._login(self._username, self._password)
            if not self._username:  # signed out while the login was under way
                with self._lock:
                    self._token = ""
                return False
            return True
        except SignInError as exc:
            self._set_state(PoolState.DISCONNECTED, str(exc))
            return False

    def _metadata(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self._token}")]

    def _call(self, method: Callable, request, timeout: float = CALL_TIMEOUT_S):
        """One authenticated call. The deployed pool answers a bad or expired token with
        INTERNAL, so such an error triggers one fresh login and a retry."""
        if not self._token_fresh():
            raise ConnectionError(self.state_detail or "not signed in")
        try:
            return method(request, metadata=self._metadata(), timeout=timeout)
        except grpc.RpcError as exc:
            if exc.code() not in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAUTHENTICATED):
                raise
            if not self._relogin():
                raise
            return method(request, metadata=self._metadata(), timeout=timeout)

    # -- sink for the engine ---------------------------------------------------------------
    def task_output(self, task_id: str, text: str) -> None:
        with self._lock:
            self._output[task_id] = (self._output.get(task_id, "") + text)[-OUTPUT_BACKLOG:]

    def task_usage(self, task_id: str, usage: Usage) -> None:
        with self._lock:
            self._usage[task_id] = usage

    def result_ready(self) -> None:
        self._wake_uploads.set()

    def capacity_changed(self) -> None:
        self._force_status = True
        self._wake_liveness.set()

    def resources_changed(self) -> None:
        self._force_register = self._force_status = True
        self._wake_liveness.set()

    # -- threads --------------------------------------------------------------------------
    def start(self) -> None:
        self._watch_channel(True)
        for name, target in (("pool-liveness", self._liveness), ("pool-uploads", self._uploads)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, flush_timeout: float = 10.0) -> None:
        """Stop the loops after one last attempt to deliver what is pending."""
        deadline = time.time() + flush_timeout
        while self.signed_in and self._store.outbox() and time.time() < deadline:
            self._wake_uploads.set()
            time.sleep(0.2)
        self._stop.set()
        self._wake_liveness.set()
        self._wake_uploads.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._watch_channel(False)
        self._channel.close()

    def _watch_channel(self, on: bool) -> None:
        """Follow the channel's connectivity only while the pool is away or not yet
        reached. gRPC's Python subscription polls five times a second for as long as it
        exists, and a pool that answers has nothing to say through it: a failing call
        tells that it went away, and turns the watch back on."""
        with self._watch_lock:
            if on == self._watching:
                return
            self._watching = on
            if on:
                self._channel_ready = False  # the next READY means "the pool is back"
                self._channel.subscribe(self._on_connectivity, try_to_connect=False)
            else:
                self._channel.unsubscribe(self._on_connectivity)

    def _on_connectivity(self, state: grpc.ChannelConnectivity) -> None:
        """Called on gRPC's thread: the pool answers again -> register and deliver now."""
        ready = state == grpc.ChannelConnectivity.READY
        if ready and not self._channel_ready:
            self._pool_is_back()
        self._channel_ready = ready

    def _pool_is_back(self) -> None:
        self._force_register = self._force_status = True
        self._retry_outbox_now.set()
        self._wake_liveness.set()
        self._wake_uploads.set()

    def _liveness(self) -> None:
        last_register = last_status = last_balance = 0.0
        unreachable = False  # this loop's own view: an upload error does not count
        while not self._stop.is_set():
            self._wake_liveness.wait(1.0)  # the monitor samples once a second: no sooner
            self._wake_liveness.clear()
            if self._stop.is_set() or not self._username:
                continue
            now = time.time()
            try:
                report = self._report()
                if self._force_register or now - last_register >= REGISTER_INTERVAL_S:
                    self._register(report)
                    last_register, self._force_register = now, False
                cpu_moved = abs(report.cpu_usage - self._last_reported_cpu) >= 5
                if self._force_status or cpu_moved or now - last_status >= STATUS_INTERVAL_S:
                    self._report_status(report)
                    last_status, self._force_status = now, False
                if self._balance_due or now - last_balance >= BALANCE_INTERVAL_S:
                    self._balance_due = False
                    self._refresh_balance()
                    last_balance = now
                if unreachable:  # back: waiting results need not sit out their backoff
                    unreachable = False
                    self._retry_outbox_now.set()
                    self._wake_uploads.set()
                self._set_state(PoolState.CONNECTED, "registered")
                self._watch_channel(False)
            except (grpc.RpcError, ConnectionError) as exc:
                unreachable = True
                self._watch_channel(True)
                self._force_register = True  # register again as soon as it is back
                if self.state != PoolState.REJECTED:  # keep the pool's own reason on screen
                    self._set_state(
                        PoolState.DISCONNECTED, _describe_error(exc, self.master_address)
                    )
                self._wake_liveness.wait(2.0)  # or sooner, when the channel is READY again
            except Exception:  # a bug must not silently end the node's liveness
                log.exception("node-pool liveness loop")
                self._stop.wait(2.0)

    def _register(self, report: NodeReport) -> None:
        totals = report.totals
        started = time.perf_counter()
        reply = self._call(
            self._nodes.RegisterWorkerNode,
            pb.RegisterWorkerNodeRequest(
                node_id=self.node_id,
                hostname=report.hostname,
                cpu_cores=max(1, totals.cpu_score // 100),
                memory_gb=totals.memory_gb,
                cpu_score=totals.cpu_score,
                gpu_score=100 * totals.gpus,
                gpu_memory_gb=totals.gpu_memory_gb,
                location=report.location,
                port=report.port,
                gpu_name=report.gpu_name,
                docker_status=report.docker_status,
            ),
        )
        self.last_rtt_ms = (time.perf_counter() - started) * 1000
        if not reply.success:
            self._set_state(PoolState.REJECTED, reply.message or "registration refused")
            raise ConnectionError(reply.message or "registration refused")

    def _report_status(self, report: NodeReport) -> None:
        reply = self._call(
            self._nodes.ReportStatus,
            pb.RunningStatusRequest(
                node_id=self.node_id,
                status=report.status,
                cpu_usage=report.cpu_usage,
                memory_usage=report.memory_usage,
                gpu_usage=report.gpu_usage,
                gpu_memory_usage=report.gpu_memory_usage,
                docker_status=report.docker_status,
                running_tasks=report.running_tasks,
            ),
        )
        self._last_reported_cpu = report.cpu_usage
        if not reply.success:  # e.g. the pool forgot this node: register again now
            self._force_register = True
            self._wake_liveness.set()

    def _refresh_balance(self) -> None:
        reply = self._call(
            self._users.GetBalance, pb.GetBalanceRequest(username=self._username, token=self._token)
        )
        if reply.success and reply.balance != self.balance:
            self.balance = reply.balance
            self._events.publish(ev.BALANCE, balance=reply.balance)

    def _uploads(self) -> None:
        while not self._stop.is_set():
            self._wake_uploads.wait(1.0)
            self._wake_uploads.clear()
            if not self._username:
                continue
            if self._retry_outbox_now.is_set():
                self._retry_outbox_now.clear()
                self._next_attempt.clear()
            failed = False
            # Each kind on its own: undeliverable output must not hold results back.
            for send in (self._send_output, self._send_usage, self._send_results):
                try:
                    send()
                except (grpc.RpcError, ConnectionError) as exc:
                    failed = True
                    self._watch_channel(True)
                    self._set_state(
                        PoolState.DISCONNECTED, _describe_error(exc, self.master_address)
                    )
                except Exception:  # a bug must not silently end result delivery
                    failed = True
                    log.exception("node-pool upload loop")
            if failed:
                self._wake_uploads.wait(2.0)  # or sooner, when the pool is back

    def _send_output(self) -> None:
        with self._lock:
            pending, self._output = self._output, {}
        for task_id, text in pending.items():
            sent = 0
            try:
                while sent < len(text):
                    chunk = text[sent : sent + OUTPUT_CHUNK]
                    self._call(
                        self._workers.TaskOutputUpload,
                        pb.TaskOutputUploadRequest(
                            task_id=task_id, output=chunk, token=self._token
                        ),
                    )
                    sent += len(chunk)
            except Exception:
                with self._lock:  # keep the unsent rest for the next round, before newer output
                    rest = text[sent:] + self._output.get(task_id, "")
                    self._output[task_id] = rest[-OUTPUT_BACKLOG:]
                raise

    def _send_usage(self) -> None:
        with self._lock:
            pending, self._usage = self._usage, {}
        for task_id, usage in pending.items():
            # The deployed pool reads TaskUsageRequest.token as the node id (protocol.md §7).
            self._call(
                self._workers.TaskUsage,
                pb.TaskUsageRequest(
                    task_id=task_id,
                    cpu_usage=usage.cpu_percent,
                    memory_usage=usage.memory_percent,
                    token=self.node_id,
                ),
            )

    def _send_results(self) -> None:
        now = time.time()
        for item in self._store.outbox():
            if self._next_attempt.get(item.task_id, 0) > now:
                continue
            try:
                payload = item.zip_path.read_bytes()
            except OSError as exc:
                log.error("result of task %s is missing (%s); dropping it", item.task_id, exc)
                self._store.remove_outbox(item.task_id)
                self._on_ack(item.task_id)
                continue
            try:
                reply = self._call(
                    self._workers.TaskResultUpload,
                    pb.TaskResultUploadRequest(
                        task_id=item.task_id, result_zip=payload, token=self._token
                    ),
                    timeout=RESULT_TIMEOUT_S + len(payload) / 2**20 * 2,
                )
            except (grpc.RpcError, ConnectionError) as exc:
                if _transient(exc) or item.attempts + 1 < REFUSALS_BEFORE_GIVING_UP:
                    # A pool that is away is probed cheaply and retried at once when back.
                    cap = self._reconnect_cap_s if _transient(exc) else MAX_BACKOFF_S
                    self._retry_later(item.task_id, item.attempts, str(_code(exc)), cap)
                    raise
                # Not a pool that is away but one that can never take it (e.g. too large).
                log.error("node pool cannot take the result of %s: %s", item.task_id, exc)
                self._on_ack(item.task_id)
                continue
            if reply.success:
                self._next_attempt.pop(item.task_id, None)
                log.info("result of task %s delivered to the node pool", item.task_id)
                self._on_ack(item.task_id)
                self._balance_due = True  # the pool may have paid for it
                self._wake_liveness.set()
            elif item.attempts + 1 >= REFUSALS_BEFORE_GIVING_UP:
                log.error(
                    "node pool keeps refusing the result of %s: %s", item.task_id, reply.message
                )
                self._on_ack(item.task_id)
            else:
                self._retry_later(item.task_id, item.attempts, reply.message)

    def _retry_later(
        self, task_id: str, attempts: int, error: str, cap: float = MAX_BACKOFF_S
    ) -> None:
        self._store.outbox_failed(task_id, error)
        self._next_attempt[task_id] = time.time() + min(cap, 2.0 ** min(attempts, 6))

    # -- state ----------------------------------------------------------------------------
    def _set_state(self, state: str, detail: str) -> None:
        """Log and publish only changes of state, never every retry."""
        with self._lock:
            changed = state != self.state
            self.state, self.state_detail = state, detail
        if changed:
            level = (
                logging.WARNING
                if state in (PoolState.DISCONNECTED, PoolState.REJECTED)
                else logging.INFO
            )
            log.log(level, "node pool %s: %s", state, detail)
            self._events.publish(ev.POOL_STATE, state=state, detail=detail)


def _code(exc: BaseException) -> str:
    if isinstance(exc, grpc.RpcError):
        return exc.code().name
    return type(exc).__name__


def _transient(exc: BaseException) -> bool:
    """A pool that is down, slow or restarting (retry as long as it takes)."""
    return not isinstance(exc, grpc.RpcError) or exc.code() in (
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.INTERNAL,  # how the deployed pool answers a stale token
        grpc.StatusCode.UNAUTHENTICATED,
    )


def _describe_error(exc: BaseException, address: str) -> str:
    if isinstance(exc, grpc.RpcError) and exc.code() in (
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
    ):
        return f"the node pool at {address} does not answer: check the VPN and the address"
    if isinstance(exc, grpc.RpcError):
        return f"the node pool at {address} answered {exc.code().name}: {exc.details()}"
    return str(exc)

"""Keeping the node online: RegisterWorkerNode every 30 s (the pool counts a node online
for 180 s after it registered), ReportStatus ("Idle" exactly when another task fits) at
once on a change, and the account's balance now and then.

Its own thread, so that a slow result upload never makes the node look dead. A refused
status report (the pool forgot the node) or a call that failed makes it register again
as soon as the pool answers; the session's channel says when that is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import grpc

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP
from hivemind_desktop.core.models import Resources
from hivemind_desktop.core.pool.session import PoolSession, describe_error
from hivemind_desktop.core.pool.status import PoolStatus
from hivemind_desktop.core.states import PoolState
from hivemind_desktop.rpc import pb

log = logging.getLogger(__name__)

# Pool states' details the GUI shows (core/i18n.py); a pool's own reason is shown as sent.
REGISTERED = QT_TRANSLATE_NOOP("Core", "registered")
REGISTRATION_REFUSED = QT_TRANSLATE_NOOP("Core", "registration refused")

# Read on every round, so tests may shorten them.
REGISTER_INTERVAL_S = 30.0  # the pool counts a node online for 180 s after registering
STATUS_INTERVAL_S = 10.0
BALANCE_INTERVAL_S = 60.0
CPU_CHANGE_POINTS = 5.0  # a move this large is reported at once, as the original worker did
RETRY_S = 2.0  # after a failed round, unless the pool is back sooner


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


class Liveness:
    """The registration and status loop of one signed-in session."""

    def __init__(
        self,
        session: PoolSession,
        report: Callable[[], NodeReport],
        *,
        status: PoolStatus | None = None,
        node_id: str = "",
        on_balance: Callable[[int], None] | None = None,
        on_back: Callable[[], None] | None = None,
    ) -> None:
        """`node_id`: the id to register under ("" = the account's username, as the pool
        pays and trusts it). `on_back`: the pool answers this loop again after failing."""
        self._session = session
        self._report = report
        self.status = status or PoolStatus()
        self._fixed_node_id = node_id
        self._on_balance = on_balance
        self._on_back = on_back
        self.last_rtt_ms: float | None = None
        self.balance: int | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._force_register = True
        self._force_status = True
        self._balance_due = True
        self._last_reported_cpu = -100.0
        self._thread: threading.Thread | None = None

    @property
    def node_id(self) -> str:
        return self._fixed_node_id or self._session.username

    # -- what changes the next round ------------------------------------------------------
    def register_now(self) -> None:
        """Register and report at once (signed in, new resources or address, pool back)."""
        self._force_register = self._force_status = True
        self._wake.set()

    def report_now(self) -> None:
        """Report the status at once (a task started or ended: "Idle" may have changed)."""
        self._force_status = True
        self._wake.set()

    def balance_now(self) -> None:
        """Ask for the balance at once (a delivered result may have been paid for)."""
        self._balance_due = True
        self._wake.set()

    def forget_balance(self) -> None:
        self.balance = None

    # -- the loop -------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="pool-liveness", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        last_register = last_status = last_balance = 0.0
        unreachable = False  # this loop's own view: an upload error does not count
        while not self._stop.is_set():
            self._wake.wait(1.0)  # the monitor samples once a second: no sooner
            self._wake.clear()
            if self._stop.is_set() or not self._session.username:
                continue
            now = time.time()
            try:
                report = self._report()
                if self._force_register or now - last_register >= REGISTER_INTERVAL_S:
                    self._register(report)
                    last_register, self._force_register = now, False
                cpu_moved = abs(report.cpu_usage - self._last_reported_cpu) >= CPU_CHANGE_POINTS
                if self._force_status or cpu_moved or now - last_status >= STATUS_INTERVAL_S:
                    self._report_status(report)
                    last_status, self._force_status = now, False
                if self._balance_due or now - last_balance >= BALANCE_INTERVAL_S:
                    self._balance_due = False
                    self._refresh_balance()
                    last_balance = now
                if unreachable:
                    unreachable = False
                    if self._on_back is not None:
                        self._on_back()
                self.status.set(PoolState.CONNECTED, REGISTERED)
                self._session.watch_channel(False)
            except (grpc.RpcError, ConnectionError) as exc:
                self._session.watch_channel(True)
                unreachable = True
                self._force_register = True  # register again as soon as it is back
                if self.status.state != PoolState.REJECTED:  # keep the pool's own reason
                    self.status.set(
                        PoolState.DISCONNECTED, describe_error(exc, self._session.address)
                    )
                self._wake.wait(RETRY_S)  # or sooner, when the channel is READY again
            except Exception:  # a bug must not silently end the node's liveness
                log.exception("node-pool liveness loop")
                self._stop.wait(RETRY_S)

    def _register(self, report: NodeReport) -> None:
        totals = report.totals
        started = time.perf_counter()
        reply = self._session.call(
            self._session.nodes.RegisterWorkerNode,
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
            self.status.set(PoolState.REJECTED, reply.message or REGISTRATION_REFUSED)
            raise ConnectionError(reply.message or REGISTRATION_REFUSED)

    def _report_status(self, report: NodeReport) -> None:
        reply = self._session.call(
            self._session.nodes.ReportStatus,
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
            self._wake.set()

    def _refresh_balance(self) -> None:
        username = self._session.username
        reply = self._session.call(
            self._session.users.GetBalance,
            pb.GetBalanceRequest(username=username, token=self._session.token),
        )
        if reply.success and reply.balance != self.balance:
            self.balance = reply.balance
            if self._on_balance is not None:
                self._on_balance(reply.balance)

"""The composition root and the facade of the core.

`Worker` builds every core part from one validated Settings object and offers the small
surface that both the GUI bridge and the headless CLI drive: start, sign in, pause,
resume, stop a task, apply settings, snapshot, health, shutdown.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from hivemind_desktop.core import events as ev
from hivemind_desktop.core import vpn
from hivemind_desktop.core.accountant import ResourceAccountant, machine_totals
from hivemind_desktop.core.docker_runner import DockerRunner, DockerStatus
from hivemind_desktop.core.engine import TaskEngine, UnknownTask
from hivemind_desktop.core.gpu import GpuReader
from hivemind_desktop.core.instance_lock import DataFolderInUse, DataFolderLock
from hivemind_desktop.core.logs import setup_logging
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.monitor import Monitor
from hivemind_desktop.core.peers import AllowedPeers, resolve_allowed_peers
from hivemind_desktop.core.pool_client import NodePoolClient, NodeReport, SignInError
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.states import PoolState, WorkerState, decide
from hivemind_desktop.core.store import Store
from hivemind_desktop.core.trust import TrustScore
from hivemind_desktop.core.worker_service import serve

log = logging.getLogger(__name__)

__all__ = [
    "DataFolderInUse",
    "SignInError",
    "UnknownTask",
    "Worker",
    "WorkerSnapshot",
    "WorkerState",
]

DOCKER_STATUS_TTL_S = 15.0
ADDRESS_CHECK_S = 10.0


@dataclass(frozen=True)
class WorkerSnapshot:
    node_id: str
    state: WorkerState
    state_detail: str
    signed_in: bool
    username: str
    pool_state: PoolState
    pool_detail: str
    pool_rtt_ms: float | None
    paused: bool
    trust_score: int
    trust_group: str
    balance: int | None
    tasks: list[TaskRecord]
    counts: dict[str, int]
    totals: Resources
    available: Resources
    docker: DockerStatus
    advertise_address: str
    gpu_message: str
    settings: dict[str, Any] = field(default_factory=dict)


class Worker:
    def __init__(self, settings: Settings, *, credentials: Any | None = None) -> None:
        self.settings = settings
        # First of all: a second worker on this folder must not touch its store.
        self._folder_lock = DataFolderLock(settings.data_path)
        self._folder_lock.acquire()  # raises DataFolderInUse (one line: cause and fix)
        try:
            self._build(settings, credentials)
        except BaseException:
            self._folder_lock.release()
            raise

    def _build(self, settings: Settings, credentials: Any | None) -> None:
        self.events = ev.EventBus()
        self.memory_log = setup_logging(settings.log_path, self.events)
        self._credentials = credentials
        self.store = Store(settings.data_path / "worker.sqlite3")
        self.install_id = self._stored_or_new("install_id", lambda: uuid.uuid4().hex[:12])
        self.api_secret = self._stored_or_new("api_secret", lambda: secrets.token_urlsafe(32))
        self.gpu_reader = GpuReader()
        gpus, self.gpu_message = self.gpu_reader.read()
        self.accountant = ResourceAccountant(machine_totals(settings, gpus))
        self.trust = TrustScore(self.store, settings.trust_threshold, self.events)
        self.runner = DockerRunner(node_id=self.install_id, enabled=settings.docker_enabled)
        self.monitor = Monitor(
            self.events, disk_path=settings.data_path, gpu_reader=self.gpu_reader
        )
        self.pool = self._pool_client(settings)
        self.engine = TaskEngine(
            settings=settings,
            store=self.store,
            accountant=self.accountant,
            runner=self.runner,
            trust=self.trust,
            events=self.events,
            node_id=settings.node_id or settings.username or "unassigned",
            install_id=self.install_id,
            sink=self.pool,
        )
        self.advertise_address = ""
        self.address_warning = ""
        self.allowed = AllowedPeers(())
        self._server = None
        self._status_api = None
        self.status_api_problem = ""  # why the status API is off although FLASK_PORT is set
        self._docker_cache: tuple[float, DockerStatus] | None = None
        self._state: tuple[WorkerState, str] | None = None  # state and its reason
        self._state_lock = threading.Lock()
        self._closing = threading.Event()
        self.events.subscribe(self._on_event)

    def _pool_client(self, settings: Settings) -> NodePoolClient:
        return NodePoolClient(
            settings.master_address,
            events=self.events,
            store=self.store,
            report=self._node_report,
            on_result_acknowledged=self._result_acknowledged,
            node_id=settings.node_id,
        )

    def _stored_or_new(self, key: str, make) -> str:
        value = self.store.get_value(key)
        if value is None:
            value = make()
            self.store.set_value(key, value)
        return value

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        """Start serving and contributing. Does not block on the network: a pool that does
        not answer yet is retried in the background."""
        docker = self.docker_status(fresh=True)
        if not docker.available:
            log.warning("Docker: %s", docker.reason)
        self.engine.recover()
        self._start_server()
        threading.Thread(target=self._watch_address, name="address-watch", daemon=True).start()
        self.monitor.start()
        self.pool.start()
        self._start_status_api()
        self._auto_sign_in()
        self._refresh_state()

    def _start_status_api(self) -> None:
        """(Re)start the local status API; a port it cannot have turns it off with the
        reason (health check, `status` command), never the worker."""
        from hivemind_desktop.core.status_api import STATUS_API_KEY, StatusApi

        if self._status_api is not None:
            self._status_api.stop()
            self._status_api = None
        self.status_api_problem = ""
        if self.settings.flask_port:
            try:
                self._status_api = StatusApi(self, self.settings.flask_port)
                self._status_api.start()
            except OSError as exc:
                self.status_api_problem = str(exc)
                log.warning("the local status API is off: %s", exc)
        # The `status` command reads this when nothing answers on the port.
        self.store.set_value(STATUS_API_KEY, self.status_api_problem)

    def _wanted_address(self) -> tuple[str, str]:
        """The address to serve on and register, and a warning when there is none."""
        if self.settings.advertise_address:
            return self.settings.advertise_address, ""
        choice = vpn.detect_advertise_address()
        return choice.address or "", choice.warning

    def _start_server(self) -> None:
        """(Re)bind the worker service on the wanted address; on failure keep the reason
        and serve nothing rather than listen anywhere else."""
        if self._server is not None:
            self._server.stop(grace=2).wait(5)
            self._server = None
        address, warning = self._wanted_address()
        self.advertise_address, problem = address, warning
        allowed = resolve_allowed_peers(self.settings)
        if allowed.problem and allowed.problem != self.allowed.problem:
            log.error("no task can be accepted: %s", allowed.problem)
        self.allowed = allowed
        if address:
            try:
                self._server = serve(self.engine, address, self.settings.node_port, allowed.peers)
            except OSError as exc:
                problem = str(exc)
        if problem and problem != self.address_warning:
            log.error("the node pool cannot reach this worker: %s", problem)
        self.address_warning = problem
        self.pool.resources_changed()  # register the new address at once
        self._refresh_state()

    def _watch_address(self) -> None:
        """Follow the VPN: when the tunnel address appears, changes or goes away, bind
        again and re-register, so a tunnel that comes back needs no restart."""
        while not self._closing.wait(ADDRESS_CHECK_S):
            wanted, _ = self._wanted_address()
            if wanted != self.advertise_address or (wanted and self._server is None):
                log.info("serving address changes: %r -> %r", self.advertise_address, wanted)
                self._start_server()
            elif self.allowed.problem and not resolve_allowed_peers(self.settings).problem:
                log.info("the node pool's host name resolves now")
                self._start_server()

    def _auto_sign_in(self) -> None:
        username, password = self.settings.username, self.settings.password
        if not (username and password) and self._credentials is not None:
            try:
                saved = self._credentials.load()
            except Exception as exc:  # a locked keyring: say so, keep going signed out
                log.warning("saved sign-in not available: %s", exc)
                saved = None
            if saved:
                username, password = saved
        if not (username and password):
            log.info("not signed in: sign in to start contributing")
            return
        try:
            self.sign_in(username, password)
        except SignInError as exc:
            if exc.unreachable:
                log.warning("%s; retrying in the background", exc)
                self.pool.keep_trying(username, password)
                self.engine.node_id = self.pool.node_id
            else:
                log.error("sign-in failed: %s", exc)

    def shutdown(self, stop_tasks: bool = True) -> None:
        """Stop taking tasks; with stop_tasks, stop running ones and deliver their partial
        results before leaving (no container is left behind)."""
        self._closing.set()
        self.events.publish(ev.WORKER_STATE, state=WorkerState.STOPPING, detail="")
        self.engine.shutdown(stop_tasks=stop_tasks)
        if self._server is not None:
            self._server.stop(grace=2).wait(5)
        self.pool.stop(flush_timeout=15 if stop_tasks else 0)
        self.monitor.stop()
        if self._status_api is not None:
            self._status_api.stop()
        self.gpu_reader.shutdown()
        self.store.close()
        self._folder_lock.release()

    # -- commands -------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        self.pool.sign_in(username, password)
        self.engine.node_id = self.pool.node_id
        self._refresh_state()

    def sign_out(self) -> None:
        self.pool.sign_out()
        if self._credentials is not None:
            try:
                self._credentials.delete()
            except Exception as exc:
                log.warning("could not remove the saved sign-in: %s", exc)
        self._refresh_state()

    def pause(self) -> None:
        self.engine.pause()
        log.info("paused: no new tasks, running containers frozen")
        self._refresh_state()

    def resume(self) -> None:
        self.engine.resume()
        log.info("resumed")
        self._refresh_state()

    def stop_task(self, task_id: str) -> str:
        return self.engine.stop_task(task_id)

    def task_output(self, task_id: str) -> str:
        return self.engine.task_output(task_id)

    def apply_settings(self, settings: Settings) -> None:
        """Apply new shares and limits at once; a new node-pool address or port takes a
        restart of the connection, done here."""
        old, self.settings = self.settings, settings
        gpus, self.gpu_message = self.gpu_reader.read()
        self.accountant.set_total(machine_totals(settings, gpus))
        self.runner.set_enabled(settings.docker_enabled)
        self.engine.apply_settings(settings)
        self.trust.set_threshold(settings.trust_threshold)
        if (settings.node_port, settings.advertise_address, settings.allowed_peers) != (
            old.node_port,
            old.advertise_address,
            old.allowed_peers,
        ) or (not settings.allowed_peers and settings.master_host != old.master_host):
            self._start_server()
        if settings.flask_port != old.flask_port:
            self._start_status_api()
        if settings.master_address != old.master_address:
            username, password = self.pool.login
            self.pool.stop(flush_timeout=0)
            self.pool = self._pool_client(settings)
            self.engine.sink = self.pool
            self.pool.start()
            if username:
                self.pool.keep_trying(username, password)
        else:
            self.pool.resources_changed()
        log.info("settings applied")
        self._refresh_state()

    # -- views ----------------------------------------------------------------------------
    def docker_status(self, fresh: bool = False) -> DockerStatus:
        now = time.monotonic()
        if fresh or self._docker_cache is None or now - self._docker_cache[0] > DOCKER_STATUS_TTL_S:
            self._docker_cache = (now, self.runner.status())
        return self._docker_cache[1]

    def snapshot(self) -> WorkerSnapshot:
        tasks = self.engine.tasks()
        counts = {state.value: 0 for state in TaskState}
        for task in tasks:
            counts[task.state.value] += 1
        state, state_detail = self._decide_state()
        return WorkerSnapshot(
            node_id=self.pool.node_id,
            state=state,
            state_detail=state_detail,
            signed_in=self.pool.signed_in,
            username=self.pool.username,
            pool_state=self.pool.state,
            pool_detail=self.pool.state_detail,
            pool_rtt_ms=self.pool.last_rtt_ms,
            paused=self.engine.paused,
            trust_score=self.trust.score,
            trust_group=self.trust.group,
            balance=self.pool.balance,
            tasks=tasks,
            counts=counts,
            totals=self.accountant.total,
            available=self.accountant.available(),
            docker=self.docker_status(),
            advertise_address=self.advertise_address,
            gpu_message=self.gpu_message,
            settings=self.settings.public_dict(),
        )

    def health(self) -> dict[str, Any]:
        """The checks behind /health and the Monitor page: each {ok, detail}."""
        docker = self.docker_status(fresh=True)
        tunnel = vpn.interface_state()
        checks = {
            "docker": {"ok": docker.available, "detail": docker.reason or docker.version},
            "node_pool": {
                "ok": self.pool.state == PoolState.CONNECTED,
                "detail": self.pool.state_detail or self.pool.state,
                "rtt_ms": self.pool.last_rtt_ms,
            },
            "resources": {
                "ok": self.accountant.total.cpu_score > 0,
                "detail": _describe_resources(self.accountant.available(), self.accountant.total),
            },
            "vpn": {
                "ok": tunnel.up or bool(self.settings.advertise_address),
                "detail": tunnel.message,
                "interface": tunnel.interface,
                "address": tunnel.address,
            },
            "address": {
                "ok": bool(self.advertise_address)
                and self._server is not None
                and not self.allowed.problem,
                "detail": self.allowed.problem or self.advertise_address or self.address_warning,
            },
            "status_api": self._status_api_check(),
            "disk": {
                "ok": not (disk := self.engine.disk_problem()),
                "detail": disk or self.engine.disk_summary(),
            },
        }
        return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}

    def _status_api_check(self) -> dict[str, Any]:
        port = self.settings.flask_port
        if not port:
            return {"ok": True, "detail": "turned off (FLASK_PORT=0)", "port": 0}
        if self._status_api is None:
            return {"ok": False, "detail": self.status_api_problem, "port": port}
        return {"ok": True, "detail": f"http://127.0.0.1:{self._status_api.port}", "port": port}

    # -- internals ------------------------------------------------------------------------
    def _node_report(self) -> NodeReport:
        sample = self.monitor.latest()
        docker = self.docker_status()
        if not docker.available:
            status = "Unavailable"
        elif self.engine.paused:
            status = "Paused"
        elif self.engine.can_admit_more():
            status = "Idle"
        else:
            status = "Running" if self.engine.running_count() else "Busy"
        gpus = self.monitor.gpus if self.accountant.total.gpus else []  # read each second
        return NodeReport(
            hostname=self.advertise_address,
            port=self.settings.node_port,
            totals=self.accountant.total,
            gpu_name=gpus[0].name if gpus else "",
            docker_status="available" if docker.available else "unavailable",
            status=status,
            running_tasks=self.engine.running_count(),
            cpu_usage=sample.cpu_percent if sample else 0.0,
            memory_usage=sample.memory_percent if sample else 0.0,
            gpu_usage=(sample.gpu_percent or 0.0) if sample else 0.0,
            gpu_memory_usage=(sample.gpu_memory_percent or 0.0) if sample else 0.0,
            location=self.settings.location,
        )

    def _result_acknowledged(self, task_id: str) -> None:
        # Late-bound: the pool client is built before the engine it reports to.
        self.engine.result_acknowledged(task_id)

    def _on_event(self, event: ev.Event) -> None:
        if event.kind in (ev.TASK_CHANGED, ev.POOL_STATE):
            self._refresh_state()

    def _problem(self) -> str:
        """Why the worker cannot contribute at all, or ""."""
        docker = self.docker_status()
        if not docker.available:
            return docker.reason
        if not self.advertise_address:
            return self.address_warning
        return self.allowed.problem or self.engine.disk_problem()

    def _decide_state(self) -> tuple[WorkerState, str]:
        """The one state the tray, the Dashboard, the status API and `status` show, and
        the reason that goes with it."""
        problem = self._problem()
        state = decide(
            problem=problem,
            paused=self.engine.paused,
            signed_in=bool(self.pool.username),
            pool=self.pool.state,
            running=self.engine.running_count(),
        )
        if state == WorkerState.ERROR:
            return state, problem
        if state == WorkerState.DISCONNECTED:
            return state, self.pool.state_detail
        return state, ""

    def _refresh_state(self) -> None:
        if self._closing.is_set():  # STOPPING stays until the end
            return
        decided = self._decide_state()
        with self._state_lock:
            changed, self._state = decided != self._state, decided
        if changed:
            self.events.publish(ev.WORKER_STATE, state=decided[0], detail=decided[1])


def _describe_resources(available: Resources, total: Resources) -> str:
    return (
        f"{available.cpu_score / 100:g} of {total.cpu_score / 100:g} CPU cores and "
        f"{available.memory_gb} of {total.memory_gb} GiB free"
        + (f", {available.gpus} of {total.gpus} GPUs" if total.gpus else "")
    )

"""The composition root and the facade of the core.

`Worker` builds every core part from one validated Settings object and offers the small
surface that both the GUI bridge and the headless CLI drive: start, sign in, pause,
resume, stop a task, apply settings, snapshot, health, shutdown.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hivemind_desktop.core import events as ev
from hivemind_desktop.core import sensors as sensors_mod
from hivemind_desktop.core import vpn
from hivemind_desktop.core.accountant import ResourceAccountant, shared_totals
from hivemind_desktop.core.contribution import POLICY_S, PolicyLoop, Sensors, SystemSensors
from hivemind_desktop.core.docker_runner import DockerRunner, DockerStatus
from hivemind_desktop.core.engine import TaskEngine, Tuning, UnknownTask
from hivemind_desktop.core.gpu import GpuReader
from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.instance_lock import DataFolderInUse, DataFolderLock
from hivemind_desktop.core.logs import LogEntry, MemoryLog
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState, Usage
from hivemind_desktop.core.monitor import Monitor, Sample, tasks_cpu_share
from hivemind_desktop.core.peers import AllowedPeers, resolve_allowed_peers
from hivemind_desktop.core.policy import Wait
from hivemind_desktop.core.pool.client import NodePoolClient, NodeReport, SignInError
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.states import PoolState, WorkerState, decide
from hivemind_desktop.core.statistics import DEFAULT_DAYS, HistoryRecorder, Statistics
from hivemind_desktop.core.statistics import build_statistics as _build_statistics
from hivemind_desktop.core.store import Store
from hivemind_desktop.core.trust import TrustScore
from hivemind_desktop.core.worker_service import serve

if TYPE_CHECKING:  # imported when the API starts: Flask only when it is on
    import grpc

    from hivemind_desktop.core.remote.access import RemoteAccess
    from hivemind_desktop.core.remote.identity import Identity
    from hivemind_desktop.core.remote.server import RemoteApi
    from hivemind_desktop.core.status_api import StatusApi

log = logging.getLogger(__name__)

__all__ = [
    "DataFolderInUse",
    "SignInError",
    "Tuning",
    "UnknownTask",
    "Worker",
    "WorkerSnapshot",
    "WorkerState",
]

DOCKER_STATUS_TTL_S = 15.0
ADDRESS_CHECK_S = 10.0
PAUSED_KEY = "paused"  # the store's key/value for the volunteer's Pause


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


def docker_check(docker: DockerStatus) -> dict[str, Any]:
    """The engine's health check: which engine, where it was found, or why none can run
    tasks (the Monitor page, /health and --self-test show the same words)."""
    return {
        "ok": docker.available,
        "detail": docker.reason or f"{docker.engine} at {docker.endpoint}",
        "engine": docker.engine,  # e.g. "rootless Podman 4.3.1"
        "endpoint": docker.endpoint,  # e.g. "unix:///var/run/docker.sock (default socket)"
        "version": docker.version,
    }


class _ToPool:
    """Where the engine sends output, usage and results: whichever node-pool client the
    worker has now (a new pool address replaces it)."""

    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    def task_output(self, task_id: str, text: str) -> None:
        self._worker._pool.task_output(task_id, text)

    def task_usage(self, task_id: str, usage: Usage) -> None:
        self._worker._pool.task_usage(task_id, usage)

    def result_ready(self) -> None:
        self._worker._pool.result_ready()

    def capacity_changed(self) -> None:
        self._worker._pool.capacity_changed()


class Worker:
    """The core's facade. Its parts are private: callers ask it questions (snapshot,
    health, tasks...) and give it commands (sign in, pause, stop a task...).

    Logging is the entry point's business (logs.setup_logging); pass its MemoryLog as
    `log` and the worker publishes its entries as LOG events.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        credentials: Any | None = None,
        log: MemoryLog | None = None,
        tuning: Tuning | None = None,
        sensors: Sensors | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.settings = settings
        # First of all: a second worker on this folder must not touch its store.
        self._folder_lock = DataFolderLock(settings.data_path)
        self._folder_lock.acquire()  # raises DataFolderInUse (one line: cause and fix)
        try:
            self._build(settings, credentials, log, tuning or Tuning())
            self._policy = PolicyLoop(
                settings=lambda: self.settings,
                sensors=sensors or SystemSensors(),
                latest_sample=self._monitor.latest,
                tasks=self._engine.tasks,
                store=self._store,
                clock=clock,
            )
        except BaseException:
            self._folder_lock.release()
            raise

    def _build(
        self, settings: Settings, credentials: Any | None, log: MemoryLog | None, tuning: Tuning
    ) -> None:
        self._events = ev.EventBus()
        self._memory_log = log
        if log is not None:
            log.events = self._events
        self._credentials = credentials
        self._store = Store(settings.data_path / "worker.sqlite3")
        self.install_id = self._stored_or_new("install_id", lambda: uuid.uuid4().hex[:12])
        self.api_secret = self._stored_or_new("api_secret", lambda: secrets.token_urlsafe(32))
        self._gpu_reader = GpuReader()
        gpus, self.gpu_message = self._gpu_reader.read()
        self._accountant = ResourceAccountant(shared_totals(settings, gpus))
        self._trust = TrustScore(self._store, settings.trust_threshold, self._events)
        self._runner = DockerRunner(
            install_id=self.install_id,
            enabled=settings.docker_enabled,
            runtime=settings.task_runtime,
        )
        self._monitor = Monitor(
            self._events,
            disk_path=settings.data_path,
            gpu_reader=self._gpu_reader,
            tasks_cpu=self._tasks_cpu_percent,
        )
        self._pool = self._pool_client(settings)
        self._engine = TaskEngine(
            settings=settings,
            store=self._store,
            accountant=self._accountant,
            runner=self._runner,
            trust=self._trust,
            events=self._events,
            account=self._account,
            install_id=self.install_id,
            sink=_ToPool(self),
            tuning=tuning,
        )
        self.advertise_address = ""
        self.address_warning = ""
        self.allowed = AllowedPeers(())
        self._server: grpc.Server | None = None
        self._status_api: StatusApi | None = None
        self.status_api_problem = ""  # why the status API is off although FLASK_PORT is set
        self.status_api_note = ""  # why it listens on another port than FLASK_PORT
        self._remote_api: RemoteApi | None = None
        self._remote_access: RemoteAccess | None = None
        self._identity: Identity | None = None
        self.remote_api_problem = ""  # why the remote API is off although an address is set
        self._docker_cache: tuple[float, DockerStatus] | None = None
        self._state: tuple[WorkerState, str] | None = None  # state and its reason
        self._state_lock = threading.Lock()
        self._closing = threading.Event()
        self._events.subscribe(self._on_event)
        self._events.subscribe(HistoryRecorder(self._store, self._account))
        self._store.record_trust(self._trust.score, time.time())  # the series' first point

    def _pool_client(self, settings: Settings) -> NodePoolClient:
        return NodePoolClient(
            settings.master_address,
            events=self._events,
            store=self._store,
            report=self._node_report,
            on_result_acknowledged=self._result_acknowledged,
            node_id=settings.node_id,
        )

    def _tasks_cpu_percent(self) -> float:
        """The running task containers' CPU, in % of the whole machine, from the engine's
        last `docker stats` of each (frozen ones use none)."""
        engine = getattr(self, "_engine", None)  # the monitor may sample before it exists
        if engine is None:
            return 0.0
        return tasks_cpu_share(engine.active_tasks(), os.cpu_count() or 1)

    def _account(self) -> str:
        """The account's node id, as the node pool pays and trusts it."""
        return (
            self._pool.node_id or self.settings.node_id or self.settings.username or "unassigned"
        )

    def _stored_or_new(self, key: str, make) -> str:
        value = self._store.get_value(key)
        if value is None:
            value = make()
            self._store.set_value(key, value)
        return value

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        """Start serving and contributing. Does not block on the network: a pool that does
        not answer yet is retried in the background."""
        docker = self.docker_status(fresh=True)
        if not docker.available:
            log.warning("Docker: %s", docker.reason)
        if self._store.get_value(PAUSED_KEY) == "1":  # the volunteer's pause outlives a restart
            self._engine.pause()
            log.info("paused, as when HiveMind last ran: resume to take tasks again")
        self._engine.recover()
        self._start_server()
        threading.Thread(target=self._watch_address, name="address-watch", daemon=True).start()
        self._apply_policy()
        threading.Thread(target=self._follow_policy, name="policy", daemon=True).start()
        threading.Thread(
            target=self._engine.reconcile_forever,
            args=(self._closing,),
            name="reconcile",
            daemon=True,
        ).start()
        self._monitor.start()
        self._pool.start()
        self._start_status_api()
        self._start_remote_api()
        self._auto_sign_in()
        self._refresh_state()

    def _start_status_api(self) -> None:
        """(Re)start the local status API; a port it cannot have turns it off with the
        reason (health check, `status` command), never the worker."""
        from hivemind_desktop.core.status_api import (
            STATUS_API_KEY,
            STATUS_PORT_KEY,
            start_with_fallback,
        )

        if self._status_api is not None:
            self._status_api.stop()
            self._status_api = None
        self.status_api_problem = ""
        self.status_api_note = ""
        last = self._store.get_value(STATUS_PORT_KEY) or ""  # a fallback port stays stable
        remembered = int(last) if last.isdigit() else None
        if self.settings.status_port:
            try:
                self._status_api, self.status_api_note = start_with_fallback(
                    self, self.settings.status_port, remembered
                )
            except OSError as exc:
                self.status_api_problem = str(exc)
                log.warning("the local status API is off: %s", exc)
            if self.status_api_note:
                log.warning("local status API: %s", self.status_api_note)
        # The `status` command reads these: the port to ask, and why nothing answers.
        self._store.set_value(STATUS_API_KEY, self.status_api_problem)
        listening = str(self._status_api.port) if self._status_api is not None else ""
        self._store.set_value(STATUS_PORT_KEY, listening)

    def _start_remote_api(self) -> None:
        """(Re)start the remote status API when an address is set; like the local one, a
        problem turns only it off, with the reason."""
        from hivemind_desktop.core.remote import identity
        from hivemind_desktop.core.remote.access import RemoteAccess
        from hivemind_desktop.core.remote.server import RemoteApi

        if self._remote_api is not None:
            self._remote_api.stop()
            self._remote_api = None
        self.remote_api_problem = ""
        address = self.settings.remote_api_address
        if not address:
            return
        try:
            folder = self.settings.data_path
            if self._remote_access is None:
                self._remote_access = RemoteAccess(folder)
            self._identity = identity.load_or_create(folder, self.install_id)
            self._remote_api = RemoteApi(
                self, self._remote_access, self._identity, address, self.settings.remote_api_port
            )
            self._remote_api.start()
        except OSError as exc:
            self.remote_api_problem = str(exc)
            log.warning("the remote status API is off: %s", exc)

    def pairing_code(self, permissions: tuple[str, ...]) -> dict[str, Any]:
        """A new pairing code for the remote API, and the link a desktop app types in."""
        from hivemind_desktop.core.remote.access import PairingLink

        if self._remote_api is None or self._remote_access is None or self._identity is None:
            raise ValueError(
                self.remote_api_problem
                or "the remote status API is off: set HIVEMIND_REMOTE_API_ADDRESS (e.g. to "
                "this computer's WireGuard address) and restart the worker"
            )
        issued = self._remote_access.issue_code(permissions)
        link = PairingLink(
            self._remote_api.address, self._remote_api.port, issued.code, self._identity.fingerprint
        )
        return {
            "link": link.text(),
            "file": link.file_json(),
            "expires_at": issued.expires_at,
            "permissions": list(issued.permissions),
        }

    def paired_computers(self) -> list[dict[str, Any]]:
        access = self._remote_access
        return [
            {"name": c.name, "permissions": list(c.permissions), "paired_at": c.paired_at}
            for c in (access.clients() if access is not None else [])
        ]

    def unpair(self, name: str) -> bool:
        if self._remote_access is None:
            from hivemind_desktop.core.remote.access import RemoteAccess

            self._remote_access = RemoteAccess(self.settings.data_path)
        return self._remote_access.revoke(name)

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
                self._server = serve(self._engine, address, self.settings.node_port, allowed.peers)
            except OSError as exc:
                problem = str(exc)
        if problem and problem != self.address_warning:
            if self._server is not None:  # serving, on an address the pool may not reach
                log.warning("advertised address: %s", problem)
            else:
                log.error("the node pool cannot reach this worker: %s", problem)
        self.address_warning = problem
        self._pool.resources_changed()  # register the new address at once
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
                self._pool.keep_trying(username, password)
            else:
                log.error("sign-in failed: %s", exc)

    def shutdown(self, stop_tasks: bool = True) -> None:
        """Stop taking tasks; with stop_tasks, stop running ones and deliver their partial
        results before leaving (no container is left behind)."""
        self._closing.set()
        self._events.publish(ev.WORKER_STATE, state=WorkerState.STOPPING, detail="")
        self._engine.shutdown(stop_tasks=stop_tasks)
        if self._server is not None:
            self._server.stop(grace=2).wait(5)
        self._pool.stop(flush_timeout=15 if stop_tasks else 0)
        self._monitor.stop()
        if self._status_api is not None:
            self._status_api.stop()
        if self._remote_api is not None:
            self._remote_api.stop()
        self._gpu_reader.shutdown()
        self._store.close()
        self._folder_lock.release()

    # -- commands -------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        self._pool.sign_in(username, password)
        self._refresh_state()

    def sign_out(self, forget: bool = True) -> None:
        """Leave the node pool. Running tasks are stopped first, while the session still
        stands, so no container keeps running for an account that left; their partial
        results go back to the pool (from the outbox, at the latest on the next sign-in).
        forget=False keeps the remembered sign-in: a session that ran out is not the
        volunteer asking to be forgotten."""
        stopped = self._engine.stop_all()
        if stopped:
            log.info("signing out: %d running task(s) stopped", stopped)
        self._pool.sign_out()
        if forget and self._credentials is not None:
            try:
                self._credentials.delete()
            except Exception as exc:
                log.warning("could not remove the saved sign-in: %s", exc)
        self._refresh_state()

    def finish_tasks(self) -> None:
        """Before a quit: take no new task, let the running ones finish (then shutdown)."""
        self._engine.drain()
        log.info("finishing the running tasks before quitting: no new tasks are taken")

    def snooze(self, choice: str) -> datetime:
        """Hold tasks back until a time ("hour" or "tomorrow"); kept across a restart."""
        until = self._policy.snooze(choice)
        self._apply_policy()
        return until

    def unsnooze(self) -> None:
        self._policy.unsnooze()
        self._apply_policy()

    def _follow_policy(self) -> None:
        while not self._closing.wait(POLICY_S):
            try:
                self._apply_policy()
            except Exception:  # a sensor failing must not stop the loop
                log.exception("contribution policy: a reading failed")

    def _apply_policy(self) -> None:
        decision, changed = self._policy.tick()
        self._engine.set_waiting(decision.detail if decision.wait else "",
                                 "computer in use" if decision.gpu_wait else "")  # fmt: skip
        self._engine.release_long_frozen()
        if changed:
            self._refresh_state()

    def pause(self) -> None:
        self._engine.pause()
        self._store.set_value(PAUSED_KEY, "1")
        log.info("paused: no new tasks, running containers frozen")
        self._refresh_state()

    def resume(self) -> None:
        self._engine.resume()
        self._store.set_value(PAUSED_KEY, "0")
        log.info("resumed")
        self._refresh_state()

    def stop_task(self, task_id: str) -> str:
        return self._engine.stop_task(task_id)

    def clear_history(self) -> list[str]:
        """Forget finished tasks (the Tasks page's history); returns their ids."""
        return self._engine.clear_history()

    def statistics(self, days: int = DEFAULT_DAYS) -> Statistics:
        """Credits and tasks per day and the trust score over the last `days` days."""
        return _build_statistics(self._store, days)

    def task_output(self, task_id: str) -> str:
        return self._engine.task_output(task_id)

    def apply_settings(self, settings: Settings) -> None:
        """Apply new shares and limits at once; a new node-pool address or port takes a
        restart of the connection, done here."""
        old, self.settings = self.settings, settings
        gpus, self.gpu_message = self._gpu_reader.read()
        self._accountant.set_total(shared_totals(settings, gpus))
        self._runner.set_enabled(settings.docker_enabled)
        self._runner.set_runtime(settings.task_runtime)
        self._docker_cache = None  # the isolation shown follows the new setting at once
        self._engine.apply_settings(settings)
        self._trust.set_threshold(settings.trust_threshold)
        if (settings.node_port, settings.advertise_address, settings.allowed_peers) != (
            old.node_port,
            old.advertise_address,
            old.allowed_peers,
        ) or (not settings.allowed_peers and settings.master_host != old.master_host):
            self._start_server()
        if settings.status_port != old.status_port:
            self._start_status_api()
        if (settings.remote_api_address, settings.remote_api_port) != (
            old.remote_api_address,
            old.remote_api_port,
        ):
            self._start_remote_api()
        if settings.master_address != old.master_address:
            username, password = self._pool.login
            self._pool.stop(flush_timeout=0)
            self._pool = self._pool_client(settings)
            self._pool.start()
            if username:
                self._pool.keep_trying(username, password)
        else:
            self._pool.resources_changed()
        log.info("settings applied")
        self._refresh_state()

    # -- views ----------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[ev.Event], None]) -> Callable[[], None]:
        """Core events (task changes, output, samples, states, logs...) as they happen;
        returns the function that unsubscribes."""
        return self._events.subscribe(callback)

    def tasks(self) -> list[TaskRecord]:
        """Running tasks first, then history, newest first."""
        return self._engine.tasks()

    def task(self, task_id: str) -> TaskRecord | None:
        return next((t for t in self._engine.tasks() if t.task_id == task_id), None)

    def running_count(self) -> int:
        """Tasks holding a slot (admitted up to the end of their container)."""
        return self._engine.running_count()

    def can_take_task(self) -> bool:
        """What the node pool hears as "Idle": another task fits now."""
        return self._engine.can_admit_more()

    def pending_results(self) -> list[str]:
        """Tasks whose result waits for the node pool's acknowledgement, oldest first."""
        return [item.task_id for item in self._store.outbox()]

    def latest_sample(self) -> Sample | None:
        return self._monitor.latest()

    def resources(self) -> dict[str, Resources]:
        snap = self._accountant.snapshot()  # one consistent view
        return {"total": snap.total, "available": snap.available, "allocated": snap.allocated}

    def log_entries(self) -> list[LogEntry]:
        return self._memory_log.entries() if self._memory_log is not None else []

    def docker_status(self, fresh: bool = False) -> DockerStatus:
        now = time.monotonic()
        if fresh or self._docker_cache is None or now - self._docker_cache[0] > DOCKER_STATUS_TTL_S:
            self._docker_cache = (now, self._runner.status())
        return self._docker_cache[1]

    def snapshot(self) -> WorkerSnapshot:
        tasks = self._engine.tasks()
        counts = {state.value: 0 for state in TaskState}
        for task in tasks:
            counts[task.state.value] += 1
        state, state_detail = self._decide_state()
        return WorkerSnapshot(
            node_id=self._pool.node_id,
            state=state,
            state_detail=state_detail,
            signed_in=self._pool.signed_in,
            username=self._pool.username,
            pool_state=self._pool.state,
            pool_detail=self._pool.state_detail,
            pool_rtt_ms=self._pool.last_rtt_ms,
            paused=self._engine.paused,
            trust_score=self._trust.score,
            trust_group=self._trust.group,
            balance=self._pool.balance,
            tasks=tasks,
            counts=counts,
            totals=self._accountant.total,
            available=self._accountant.available(),
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
            "docker": docker_check(docker),
            # What isolates new tasks (gVisor or runc), or why none may run (runsc missing).
            "isolation": {
                "ok": docker.available and bool(docker.runtime),
                "detail": docker.isolation or docker.reason,
                "runtime": docker.runtime,
            },
            "node_pool": {
                "ok": self._pool.state == PoolState.CONNECTED,
                "detail": self._pool.state_detail or self._pool.state,
                "rtt_ms": self._pool.last_rtt_ms,
            },
            "resources": {
                "ok": self._accountant.total.cpu_score > 0,
                "detail": _describe_resources(self._accountant.available(), self._accountant.total),
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
                "detail": self.allowed.problem
                or (  # an address with a doubt (not WireGuard, another VPN) says the doubt
                    f"{self.advertise_address}: {self.address_warning}"
                    if self.advertise_address and self.address_warning
                    else self.advertise_address or self.address_warning
                ),
            },
            "status_api": self._status_api_check(),
            "disk": {
                "ok": not (disk := self._engine.disk_problem()),
                "detail": disk or self._engine.disk_summary(),
            },
            "sensors": self._sensors_check(),
        }
        if self.settings.remote_api_address:  # only when the volunteer turned it on
            api = self._remote_api
            checks["remote_api"] = {
                "ok": api is not None,
                "detail": f"https://{api.address}:{api.port}" if api else self.remote_api_problem,
            }
        return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}

    def _sensors_check(self) -> dict[str, Any]:
        """Where the idle-time and battery readings come from. The first call may open an
        X display or a D-Bus connection, so it belongs on a worker thread, as health() does.
        A missing idle time is a problem only when the in-use rule is on: then that rule
        is not applied (never a crash, never a stop)."""
        sources = sensors_mod.describe_sources()
        idle_known = sensors_mod.read_idle_seconds() is not None
        return {
            "ok": idle_known or not self.settings.suspend_when_in_use,
            "detail": say(IDLE_AND_BATTERY, sources["idle"], sources["battery"]),
            **sources,
        }

    def _status_api_check(self) -> dict[str, Any]:
        port = self.settings.status_port
        if not port:
            return {"ok": True, "detail": "turned off (FLASK_PORT=0)", "port": 0}
        if self._status_api is None:
            return {"ok": False, "detail": self.status_api_problem, "port": port}
        return {
            "ok": True,
            "detail": f"http://127.0.0.1:{self._status_api.port}",
            "port": port,
            "listening_port": self._status_api.port,
            "note": self.status_api_note,
        }

    # -- internals ------------------------------------------------------------------------
    def _node_report(self) -> NodeReport:
        sample = self._monitor.latest()
        docker = self.docker_status()
        if not docker.available or not docker.runtime:
            status = "Unavailable"
        elif self._engine.paused:
            status = "Paused"
        elif self._engine.waiting:
            status = "Waiting"  # the pool dispatches only to "Idle"
        elif self._engine.can_admit_more():
            status = "Idle"
        else:
            status = "Running" if self._engine.running_count() else "Busy"
        gpus = self._monitor.gpus if self._accountant.total.gpus else []  # read each second
        return NodeReport(
            hostname=self.advertise_address,
            port=self.settings.node_port,
            totals=self._accountant.total,
            gpu_name=gpus[0].name if gpus else "",
            docker_status="available" if docker.available and docker.runtime else "unavailable",
            status=status,
            running_tasks=self._engine.running_count(),
            cpu_usage=sample.cpu_percent if sample else 0.0,
            memory_usage=sample.memory_percent if sample else 0.0,
            gpu_usage=(sample.gpu_percent or 0.0) if sample else 0.0,
            gpu_memory_usage=(sample.gpu_memory_percent or 0.0) if sample else 0.0,
            location=self.settings.location,
        )

    def _result_acknowledged(self, task_id: str) -> None:
        # Late-bound: the pool client is built before the engine it reports to.
        self._engine.result_acknowledged(task_id)

    def _on_event(self, event: ev.Event) -> None:
        if event.kind in (ev.TASK_CHANGED, ev.POOL_STATE):
            self._refresh_state()

    def _problem(self) -> str:
        """Why the worker cannot contribute at all, or ""."""
        docker = self.docker_status()
        if not docker.available:
            return docker.reason
        if not docker.runtime:  # HIVEMIND_TASK_RUNTIME=runsc and gVisor is missing
            return docker.isolation
        if not self.advertise_address:
            return self.address_warning
        return self.allowed.problem or self._engine.disk_problem()

    def _decide_state(self) -> tuple[WorkerState, str]:
        """The one state the tray, the Dashboard, the status API and `status` show, and
        the reason that goes with it."""
        problem = self._problem()
        wait = self._policy.decision.wait
        state = decide(
            problem=problem,
            paused=self._engine.paused,
            snoozed=wait == Wait.SNOOZED,
            waiting=wait is not None,
            signed_in=bool(self._pool.username),
            pool=self._pool.state,
            running=self._engine.running_count(),
        )
        if state == WorkerState.ERROR:
            return state, problem
        if state == WorkerState.DISCONNECTED:
            return state, self._pool.state_detail
        if state in (WorkerState.SNOOZED, WorkerState.WAITING):
            return state, self._policy.decision.detail
        return state, ""

    def _refresh_state(self) -> None:
        if self._closing.is_set():  # STOPPING stays until the end
            return
        decided = self._decide_state()
        with self._state_lock:
            changed, self._state = decided != self._state, decided
        if changed:
            self._events.publish(ev.WORKER_STATE, state=decided[0], detail=decided[1])


RESOURCES_FREE = QT_TRANSLATE_NOOP("Core", "%1 of %2 CPU cores and %3 of %4 GiB free")
RESOURCES_FREE_GPUS = QT_TRANSLATE_NOOP(
    "Core", "%1 of %2 CPU cores and %3 of %4 GiB free, %5 of %6 GPUs"
)
IDLE_AND_BATTERY = QT_TRANSLATE_NOOP("Core", "idle time: %1; battery: %2")


def _describe_resources(available: Resources, total: Resources) -> str:
    cpu = (f"{available.cpu_score / 100:g}", f"{total.cpu_score / 100:g}")
    memory = (available.memory_gb, total.memory_gb)
    if total.gpus:
        return say(RESOURCES_FREE_GPUS, *cpu, *memory, available.gpus, total.gpus)
    return say(RESOURCES_FREE, *cpu, *memory)

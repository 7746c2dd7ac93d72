"""The pool's background work: matching PENDING tasks to nodes, dialling workers,
failing tasks whose node fell silent, and forgetting nodes gone for good.

Runs on its own thread plus a small executor for the outgoing calls, so a slow
or dead worker never holds up a gRPC handler of the pool (protocol.md §2, §4).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc

from hivemind_desktop.nodepool.models import PENDING, RUNNING, STOPPED, TRUST_LEVELS, NodeView
from hivemind_desktop.nodepool.models import TaskView as Task
from hivemind_desktop.nodepool.store import PoolStore
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

log = logging.getLogger("hivemind_desktop.nodepool")

CONNECT_TIMEOUT_S = 5.0
EXECUTE_BASE_DEADLINE_S = 30.0
EXECUTE_DEADLINE_PER_MB_S = 2.0
STOP_DEADLINE_S = 10.0
LOOPBACK_SKIPPED = "127.0.0.1"  # the deployed pool never dials it (protocol.md §4)


@dataclass(frozen=True)
class Timings:
    dispatch_interval_s: float = 10.0
    online_window_s: float = 180.0
    running_silence_fail_s: float = 60.0
    running_busy_silence_fail_s: float = 120.0
    node_expiry_s: float = 900.0


class NodeUnreachable(RuntimeError):
    pass


def fits(node: NodeView, task: Task) -> bool:
    """The node's advertised totals cover what the task asked for."""
    if task.gpu_name and task.gpu_name.lower() not in node.gpu_name.lower():
        return False
    return (
        node.memory_gb >= task.memory_gb
        and node.cpu_score >= task.cpu_score
        and node.gpu_score >= task.gpu_score
        and node.gpu_memory_gb >= task.gpu_memory_gb
    )


def execute_deadline_s(zip_bytes: int) -> float:
    return EXECUTE_BASE_DEADLINE_S + EXECUTE_DEADLINE_PER_MB_S * zip_bytes / (1024 * 1024)


class Dispatcher:
    def __init__(self, store: PoolStore, timings: Timings) -> None:
        self._store = store
        self._t = timings
        self._started_at = time.time()
        self._executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="nodepool-out")
        self._lock = threading.Lock()
        self._channels: dict[str, grpc.Channel] = {}
        self._inflight_tasks: set[str] = set()
        self._inflight_nodes: set[str] = set()
        self.ticks = 0  # completed dispatch rounds; lets tests wait for rounds, not time
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="nodepool-dispatch", daemon=True)

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        self._started_at = time.time()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            channels, self._channels = list(self._channels.values()), {}
        for channel in channels:  # cancels calls in flight, so the executor drains fast
            channel.close()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def wake(self) -> None:
        """Run a tick now instead of at the next interval."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:  # keep the pool alive; the next tick retries
                log.exception("dispatch tick failed")
            self._wake.wait(self._t.dispatch_interval_s)
            self._wake.clear()

    def tick(self) -> None:
        now = time.time()
        self._housekeeping(now)
        self._dispatch_round(now)
        self.ticks += 1

    # -- housekeeping ------------------------------------------------------------

    def _housekeeping(self, now: float) -> None:
        for task in self._store.tasks(status=RUNNING):
            node = self._store.node(task.node_id)
            if node is None:
                self._fail(task, f"node {task.node_id} went away while running the task", now)
                continue
            busy = node.status == "Running"
            limit = self._t.running_busy_silence_fail_s if busy else self._t.running_silence_fail_s
            # A restarted pool gives nodes a full window to find it again.
            since = max(node.last_seen, task.started_at or 0.0, self._started_at)
            if now - since > limit:
                silent = int(now - node.last_seen)
                self._fail(
                    task,
                    f"node {node.node_id} silent for {silent} s while running the task "
                    f"(limit {limit:g} s)",
                    now,
                )
        if now - self._started_at > self._t.node_expiry_s:
            for node_id in self._store.delete_nodes_silent_since(now - self._t.node_expiry_s):
                log.info("node %s forgotten: silent for over %g s", node_id, self._t.node_expiry_s)

    def _fail(self, task: Task, message: str, now: float) -> None:
        if self._store.fail_running(task.task_id, message, now):
            log.warning("task %s FAILED: %s", task.task_id, message)

    # -- dispatch ----------------------------------------------------------------

    def eligible_nodes(self, now: float) -> list[NodeView]:
        """Online, free, Docker-ready nodes the pool may dial, best trust first."""
        nodes = [
            n
            for n in self._store.nodes()
            if now - n.registered_at <= self._t.online_window_s
            and n.status == "Idle"
            and n.docker_status.strip().lower() == "available"
            and n.hostname != LOOPBACK_SKIPPED
        ]
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        return sorted(nodes, key=lambda n: (rank.get(n.trust, len(rank)), n.node_id))

    def _dispatch_round(self, now: float) -> None:
        with self._lock:
            busy_tasks, busy_nodes = set(self._inflight_tasks), set(self._inflight_nodes)
        nodes = [n for n in self.eligible_nodes(now) if n.node_id not in busy_nodes]
        for task in self._store.tasks(status=PENDING):
            if not nodes:
                return
            if task.task_id in busy_tasks:
                continue
            node = next((n for n in nodes if fits(n, task)), None)
            if node is None:
                continue
            nodes.remove(node)  # at most one task per node per tick
            if not self._store.begin_dispatch(task.task_id, node.node_id, node.hostname):
                continue
            with self._lock:
                if self._stopping.is_set():
                    return
                self._inflight_tasks.add(task.task_id)
                self._inflight_nodes.add(node.node_id)
            self._executor.submit(self._dispatch_one, task, node)

    def _dispatch_one(self, task: Task, node: NodeView) -> None:
        try:
            self._execute(task, node)
        except Exception:
            log.exception("dispatch of task %s to node %s crashed", task.task_id, node.node_id)
        finally:
            with self._lock:
                self._inflight_tasks.discard(task.task_id)
                self._inflight_nodes.discard(node.node_id)

    def _execute(self, task: Task, node: NodeView) -> None:
        data = self._store.task_zip(task.task_id)
        if data is None:
            self._store.set_pending_message(task.task_id, "task archive missing on the pool")
            return
        request = pb.ExecuteTaskRequest(
            task_id=task.task_id,
            task_zip=data,
            cpu_usage=float(task.cpu_score),
            gpu_usage=float(task.gpu_score),
            memory_gb=task.memory_gb,
            gpu_memory_gb=task.gpu_memory_gb,
        )
        deadline = execute_deadline_s(len(data))
        del data
        try:
            stub = pb_grpc.WorkerNodeServiceStub(self._ready_channel(node.address))
            # No metadata: the deployed pool sends none to workers (protocol.md §4).
            reply = stub.ExecuteTask(request, timeout=deadline)
        except (NodeUnreachable, grpc.RpcError) as exc:
            reason = _rpc_reason(exc)
            log.warning(
                "dispatch of task %s to node %s failed: %s", task.task_id, node.node_id, reason
            )
            self._store.set_pending_message(
                task.task_id, f"dispatch to node {node.node_id} failed: {reason}"
            )
            return
        if not reply.success:
            log.warning(
                "node %s refused task %s: %s", node.node_id, task.task_id, reply.message or "-"
            )
            self._store.set_pending_message(
                task.task_id, f"node {node.node_id} refused the task: {reply.message}"
            )
            return
        self._store.mark_node_busy(node.node_id)
        status = self._store.mark_running(task.task_id, time.time())
        log.info("dispatched task %s to node %s at %s", task.task_id, node.node_id, node.address)
        if status == STOPPED:  # stopped by its owner while we were dialling
            self.request_stop(task.task_id, node.node_id)

    # -- stop --------------------------------------------------------------------

    def request_stop(self, task_id: str, node_id: str) -> None:
        """Ask the node to stop the task, off the caller's thread."""
        node = self._store.node(node_id)
        if node is None:
            log.warning("cannot stop task %s: node %s is gone", task_id, node_id)
            return
        if self._stopping.is_set():
            return
        self._executor.submit(self._stop_remote, task_id, node)

    def _stop_remote(self, task_id: str, node: NodeView) -> None:
        try:
            stub = pb_grpc.WorkerNodeServiceStub(self._ready_channel(node.address))
            reply = stub.StopTaskExecution(
                pb.StopTaskExecutionRequest(task_id=task_id), timeout=STOP_DEADLINE_S
            )
        except (NodeUnreachable, grpc.RpcError) as exc:
            log.warning(
                "stop of task %s on node %s failed: %s", task_id, node.node_id, _rpc_reason(exc)
            )
            return
        log.info(
            "node %s answered stop of task %s: %s %s",
            node.node_id,
            task_id,
            "ok" if reply.success else "refused",
            reply.message,
        )

    # -- channels ----------------------------------------------------------------

    def _ready_channel(self, address: str, retry: bool = True) -> grpc.Channel:
        """A cached channel to the node, connected within CONNECT_TIMEOUT_S."""
        with self._lock:
            if self._stopping.is_set():
                raise NodeUnreachable("the pool is shutting down")
            channel: grpc.Channel | None = self._channels.get(address)
            cached = channel is not None
            if channel is None:
                channel = grpc.insecure_channel(
                    address,
                    options=[
                        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                    ],
                )
                self._channels[address] = channel
        assert channel is not None
        ready: grpc.Channel = channel
        state = _connect(ready, CONNECT_TIMEOUT_S)
        if state is grpc.ChannelConnectivity.READY:
            return ready
        # Drop it: a channel in reconnect backoff may stay unready past the next tick.
        with self._lock:
            if self._channels.get(address) is ready:
                del self._channels[address]
        ready.close()
        if cached and retry and state is not None:  # e.g. the worker restarted meanwhile
            return self._ready_channel(address, retry=False)
        if state is None:
            raise NodeUnreachable(f"cannot connect to {address} within {CONNECT_TIMEOUT_S:g} s")
        raise NodeUnreachable(f"cannot connect to {address}: connection failed")


def _connect(channel: grpc.Channel, timeout: float) -> grpc.ChannelConnectivity | None:
    """Wait until the channel is READY or has failed once (refused fails fast);
    None when neither happened within `timeout` (e.g. packets dropped)."""
    settled = threading.Event()
    seen: list[grpc.ChannelConnectivity] = []
    final = (
        grpc.ChannelConnectivity.READY,
        grpc.ChannelConnectivity.TRANSIENT_FAILURE,
        grpc.ChannelConnectivity.SHUTDOWN,
    )

    def on_change(state: grpc.ChannelConnectivity) -> None:
        if state in final:
            seen.append(state)
            settled.set()

    channel.subscribe(on_change, try_to_connect=True)
    try:
        settled.wait(timeout)
    finally:
        channel.unsubscribe(on_change)
    return seen[0] if seen else None


def _rpc_reason(exc: BaseException) -> str:
    if isinstance(exc, grpc.RpcError) and hasattr(exc, "code"):
        return f"{exc.code().name}: {exc.details()}"
    return str(exc)

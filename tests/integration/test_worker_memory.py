"""What a caller can make the worker hold in memory. A caller outside
HIVEMIND_ALLOWED_PEERS is refused before its request is read, so large messages from it
cost the worker a bounded amount of memory; an allowed caller's task still runs end to
end. A real headless worker process, real gRPC on loopback, real Docker."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import psutil
import pytest

from hivemind_desktop.nodepool import NodePool
from hivemind_desktop.rpc import pb
from tests.kit import free_port, make_zip, wait_for
from tests.kit.docker_images import labelled
from tests.kit.pools import CHANNEL_OPTIONS, PoolClient
from tests.kit.worker import (
    SUBMITTER,
    WORKER_HOST,
    WORKER_USER,
    Headless,
    SourceRelay,
    clean_env,
)

MB = 2**20
REFUSED_CALLS = 4
REFUSED_MESSAGE_MB = 100
# What a refused caller may cost the worker (peak RSS over its idle RSS), whatever it
# sends: the requests are never read; HTTP/2 flow control bounds what is in flight.
REFUSED_RSS_BOUND_MB = 50
REFUSED_SOURCE = "127.0.0.3"  # not in the worker's allowed peers (127.0.0.1)


@dataclass(frozen=True)
class RunningWorker:
    process: Headless
    port: int
    log: Path


@pytest.fixture
def worker(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client
) -> Iterator[RunningWorker]:
    env = clean_env(tmp_path)
    env.update(
        MASTER_ADDRESS=pool.address,
        NODE_PORT=str(free_port(WORKER_HOST)),
        FLASK_PORT="0",
        HIVEMIND_ADVERTISE_ADDRESS=WORKER_HOST,
        HIVEMIND_BUSY_CPU_PERCENT="0",
        HIVEMIND_ALLOWED_PEERS="127.0.0.1",
        HIVEMIND_USERNAME=WORKER_USER.name,
        HIVEMIND_PASSWORD=WORKER_USER.password,
        MAX_CPU_CORES="1",
        MAX_MEMORY_GB="1",
    )
    headless = Headless(env)
    try:
        headless.wait_serving()
        yield RunningWorker(headless, int(env["NODE_PORT"]), tmp_path / "logs")
    finally:
        headless.stop()
        for container in labelled(docker_client, "hivemind.managed=1"):
            if container.labels.get("hivemind.task", "").startswith("mem-"):
                container.remove(force=True)


class RssPeak:
    """The process's resident memory, sampled every few milliseconds."""

    def __init__(self, pid: int) -> None:
        self._proc = psutil.Process(pid)
        self.idle = self._settled()
        self.peak = self.idle
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _settled(self) -> int:
        values = []
        for _ in range(20):
            values.append(self._proc.memory_info().rss)
            time.sleep(0.05)
        return sorted(values)[len(values) // 2]

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.003)

    def growth_mb(self) -> float:
        self._done.set()
        self._thread.join()
        return (self.peak - self.idle) / MB


def _raw_call(channel: grpc.Channel, method: str):
    # Pre-serialized requests: the test holds one copy of the large payload, not one per call.
    return channel.unary_unary(f"/nodepool.WorkerNodeService/{method}", request_serializer=None)


def test_refused_callers_sending_large_messages_cost_the_worker_a_bounded_amount(
    worker: RunningWorker, pool: NodePool
) -> None:
    relay = SourceRelay((WORKER_HOST, worker.port), REFUSED_SOURCE)
    payload = os.urandom(REFUSED_MESSAGE_MB * MB)
    execute = pb.ExecuteTaskRequest(task_id="mem-intruder", task_zip=payload).SerializeToString()
    upload = pb.TaskResultUploadRequest(
        task_id="mem-intruder", result_zip=payload
    ).SerializeToString()
    del payload
    calls = [("ExecuteTask", execute)] * REFUSED_CALLS + [("TaskResultUpload", upload)]
    codes: list[grpc.StatusCode | None] = []
    time.sleep(2)  # let start-up work (sign-in, first samples) settle before the baseline
    rss = RssPeak(worker.process.proc.pid)

    def call(index: int, method: str, request: bytes) -> None:
        # A channel each (a distinct option), so the calls come over parallel connections.
        options = [*CHANNEL_OPTIONS, ("test.connection", index)]
        with grpc.insecure_channel(relay.address, options=options) as channel:
            try:
                _raw_call(channel, method)(request, timeout=60)
                codes.append(None)
            except grpc.RpcError as exc:
                codes.append(exc.code())

    threads = [threading.Thread(target=call, args=(i, *c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.5)
    growth = rss.growth_mb()
    relay.close()

    assert growth < REFUSED_RSS_BOUND_MB, (
        f"{len(calls)} refused calls of {REFUSED_MESSAGE_MB} MB grew the worker by {growth:.0f} MB"
    )
    assert codes == [grpc.StatusCode.PERMISSION_DENIED] * len(calls)
    log_text = (worker.log / "hivemind-desktop.log").read_text()
    assert f"ExecuteTask from ipv4:{REFUSED_SOURCE}:" in log_text  # the real remote address

    # An allowed caller (the pool, from 127.0.0.1) still gets a sizeable task run end to end.
    data = os.urandom(8 * MB)
    task_zip = make_zip({"main.py": "print(len(open('data.bin', 'rb').read()))", "data.bin": data})
    submitter = PoolClient(pool.address, SUBMITTER)
    try:
        assert submitter.upload("mem-allowed", task_zip, cpu_score=50).success
        wait_for(
            lambda: pool.task("mem-allowed").status == "COMPLETED",
            "the allowed task's result",
            timeout=90,
        )
        files = submitter.result_files("mem-allowed")
    finally:
        submitter.close()
    assert "status: Success" in files["execution_log.txt"]
    assert str(len(data)) in files["task_logs.txt"]

"""Helpers for the node-pool tests: a real gRPC client of the pool, a tiny real
WorkerNodeService (the worker side), waiting by dispatch rounds.

A uniquely named module (not conftest) so test files can import it."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import grpc

from hivemind_desktop.nodepool import NodePool, UserSpec
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

USERS = [
    UserSpec("alice", "alice-pw", 100),
    UserSpec("bob", "bob-pw", 50),
    UserSpec("w1", "w1-pw"),
    UserSpec("w2", "w2-pw"),
    UserSpec("w3", "w3-pw"),
    UserSpec("w4", "w4-pw"),
]
PASSWORDS = {u.name: u.password for u in USERS}
FAST = {
    "dispatch_interval_s": 0.1,
    "running_silence_fail_s": 30,
    "running_busy_silence_fail_s": 30,
}
_GRPC_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
]


def wait_for(condition: Callable[[], object], what: str, timeout: float = 15.0) -> object:
    """Poll until `condition()` is truthy; the timeout only bounds a broken run."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def wait_ticks(pool: NodePool, n: int = 3) -> None:
    """Let at least `n` full dispatch rounds pass."""
    start = pool.dispatch_ticks
    wait_for(lambda: pool.dispatch_ticks >= start + n + 1, f"{n} dispatch rounds")


def make_zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


TASK_ZIP = make_zip({"main.py": "print('hello from the task')\n"})


class PoolClient:
    """What a worker or a submitter does over a real channel."""

    def __init__(self, address: str, user: str | None = None) -> None:
        self.channel = grpc.insecure_channel(address, options=_GRPC_OPTIONS)
        self.users = pb_grpc.UserServiceStub(self.channel)
        self.nodes = pb_grpc.NodeManagerServiceStub(self.channel)
        self.master = pb_grpc.MasterNodeServiceStub(self.channel)
        self.uploads = pb_grpc.WorkerNodeServiceStub(self.channel)
        self.user = user
        self.token = ""
        if user is not None:
            self.login(user, PASSWORDS[user])

    def login(self, user: str, password: str) -> pb.LoginResponse:
        reply = self.users.Login(pb.LoginRequest(username=user, password=password), timeout=10)
        if reply.success:
            self.user, self.token = user, reply.token
        return reply

    @property
    def md(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")]

    def register(self, hostname: str, port: int, **resources: object) -> pb.StatusResponse:
        fields = {
            "cpu_cores": 4,
            "memory_gb": 8,
            "cpu_score": 400,
            "gpu_score": 0,
            "gpu_memory_gb": 0,
            "docker_status": "available",
            "location": "lab",
        }
        fields.update(resources)
        request = pb.RegisterWorkerNodeRequest(
            node_id=self.user, hostname=hostname, port=port, **fields
        )
        return self.nodes.RegisterWorkerNode(request, metadata=self.md, timeout=10)

    def report(
        self, status: str = "Idle", running_tasks: int = 0, docker_status: str = "available"
    ) -> pb.RunningStatusResponse:
        request = pb.RunningStatusRequest(
            node_id=self.user,
            status=status,
            cpu_usage=5.0,
            memory_usage=10.0,
            docker_status=docker_status,
            running_tasks=running_tasks,
        )
        return self.nodes.ReportStatus(request, metadata=self.md, timeout=10)

    def upload(self, task_id: str, task_zip: bytes = TASK_ZIP, **req: object):
        fields = {"memory_gb": 1, "cpu_score": 100}
        fields.update(req)
        request = pb.UploadTaskRequest(
            task_id=task_id, task_zip=task_zip, token=self.token, **fields
        )
        return self.master.UploadTask(request, metadata=self.md, timeout=10)

    def my_tasks(self) -> dict[str, pb.TaskInfo]:
        reply = self.master.GetAllUserTasks(
            pb.GetAllUserTasksRequest(token=self.token), metadata=self.md, timeout=10
        )
        return {t.task_id: t for t in reply.tasks}

    def result(self, task_id: str) -> pb.GetTaskResultResponse:
        return self.master.GetTaskResult(
            pb.GetTaskResultRequest(task_id=task_id, token=self.token), metadata=self.md, timeout=10
        )

    def upload_result(self, task_id: str, data: bytes) -> pb.TaskResultUploadResponse:
        return self.uploads.TaskResultUpload(
            pb.TaskResultUploadRequest(task_id=task_id, result_zip=data, token=self.token),
            metadata=self.md,
            timeout=10,
        )

    def close(self) -> None:
        self.channel.close()


class FakeWorker(pb_grpc.WorkerNodeServiceServicer):
    """The worker side of WorkerNodeService, recording what the pool sends it."""

    def __init__(self, host: str = "127.0.0.2") -> None:
        self.lock = threading.Lock()
        self.executed: list[tuple[pb.ExecuteTaskRequest, dict[str, str]]] = []
        self.stopped: list[tuple[str, dict[str, str]]] = []
        self.reply = (True, "accepted")
        self.on_execute: Callable[[pb.ExecuteTaskRequest], None] | None = None
        self.server = grpc.server(ThreadPoolExecutor(max_workers=4), options=_GRPC_OPTIONS)
        pb_grpc.add_WorkerNodeServiceServicer_to_server(self, self.server)
        self.host = host
        self.port = self.server.add_insecure_port(f"{host}:0")
        assert self.port, f"cannot bind a test worker on {host}"
        self.server.start()

    @staticmethod
    def _metadata(context: grpc.ServicerContext) -> dict[str, str]:
        # grpc-python always adds user-agent itself; anything else was sent by the caller.
        return {k: v for k, v in context.invocation_metadata() if k != "user-agent"}

    def ExecuteTask(self, request, context):
        with self.lock:
            self.executed.append((request, self._metadata(context)))
        if self.on_execute is not None and self.reply[0]:
            threading.Thread(target=self.on_execute, args=(request,), daemon=True).start()
        return pb.ExecuteTaskResponse(success=self.reply[0], message=self.reply[1])

    def StopTaskExecution(self, request, context):
        with self.lock:
            self.stopped.append((request.task_id, self._metadata(context)))
        return pb.StopTaskExecutionResponse(success=True, message="stopping")

    def task_ids(self) -> list[str]:
        with self.lock:
            return [r.task_id for r, _ in self.executed]

    def stop(self) -> None:
        self.server.stop(0).wait()

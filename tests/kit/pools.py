"""A local node pool for tests, and the one raw client of it.

`start_pool(users, ...)` starts a real NodePool on loopback; the `make_pool` fixture starts
as many as a test wants and stops them after it, with the folder's roster (`pool_users`)
and defaults (`pool_options`), two fixtures a folder's conftest.py overrides; `pool` is one
such pool.

Tests submit a task folder with the product's own `hivemind_desktop.nodepool.submit_folder`.
`PoolClient` speaks the protocol raw, for what that client does not do: craft requests
(register, report, odd uploads), upload without waiting for the end, stop a task, or act
as a worker node uploading a result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

import grpc
import pytest

from hivemind_desktop.nodepool import NodePool, UserSpec
from hivemind_desktop.nodepool.submit import zip_folder
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc
from tests.kit import make_zip, read_zip, wait_for

FAST = {"dispatch_interval_s": 0.1}
CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
]
TASK_ZIP = make_zip({"main.py": "print('hello from the task')\n"})


def start_pool(
    users: Sequence[UserSpec], listen: str = "127.0.0.1:0", **options: object
) -> NodePool:
    """A started NodePool on `listen` with these accounts, dispatching every 0.1 s unless
    `options` say otherwise (any NodePool keyword: data_dir, token_ttl_s, trust...)."""
    return NodePool(listen=listen, users=list(users), **{**FAST, **options}).start()


@pytest.fixture
def pool_users() -> list[UserSpec]:
    """The pool's accounts; a folder's conftest.py names its own."""
    return [UserSpec("alice", "alice-pw", 100), UserSpec("volunteer", "volunteer-pw")]


@pytest.fixture
def pool_options() -> dict[str, object]:
    """NodePool keywords every pool of the folder gets (overridable per call)."""
    return {}


@pytest.fixture
def make_pool(
    pool_users: list[UserSpec], pool_options: dict[str, object]
) -> Iterator[Callable[..., NodePool]]:
    """make_pool(**options): a started pool, stopped after the test."""
    pools: list[NodePool] = []

    def make(**options: object) -> NodePool:
        pool = start_pool(pool_users, **{**pool_options, **options})
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.stop(grace=0)


@pytest.fixture
def pool(make_pool: Callable[..., NodePool]) -> NodePool:
    return make_pool()


def wait_ticks(pool: NodePool, n: int = 3) -> None:
    """Let at least `n` full dispatch rounds pass."""
    start = pool.dispatch_ticks
    wait_for(lambda: pool.dispatch_ticks >= start + n + 1, f"{n} dispatch rounds")


class PoolClient:
    """A pool user (or a worker node) over a real channel, request by request; logged in
    at once when given an account (a UserSpec, or a name and its password)."""

    def __init__(
        self, address: str, user: UserSpec | str | None = None, password: str | None = None
    ) -> None:
        self.channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.users = pb_grpc.UserServiceStub(self.channel)
        self.nodes = pb_grpc.NodeManagerServiceStub(self.channel)
        self.master = pb_grpc.MasterNodeServiceStub(self.channel)
        self.uploads = pb_grpc.WorkerNodeServiceStub(self.channel)
        self.user: str | None = None
        self.token = ""
        if isinstance(user, UserSpec):
            user, password = user.name, user.password
        if user is not None:
            reply = self.login(user, password or "")
            assert reply.success, f"login as {user}: {reply.message}"

    def __enter__(self) -> PoolClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def login(self, user: str, password: str) -> pb.LoginResponse:
        reply = self.users.Login(pb.LoginRequest(username=user, password=password), timeout=10)
        if reply.success:
            self.user, self.token = user, reply.token
        return reply

    @property
    def md(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")]

    # -- as a worker node ------------------------------------------------------------
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

    def upload_result(self, task_id: str, data: bytes) -> pb.TaskResultUploadResponse:
        return self.uploads.TaskResultUpload(
            pb.TaskResultUploadRequest(task_id=task_id, result_zip=data, token=self.token),
            metadata=self.md,
            timeout=10,
        )

    # -- as a submitting user --------------------------------------------------------
    def upload(
        self, task_id: str, task_zip: bytes = TASK_ZIP, **fields: object
    ) -> pb.UploadTaskResponse:
        """UploadTask without waiting for the task (memory 1 GB, cpu score 100 unless
        `fields` say otherwise); the reply says whether the pool took it."""
        request = pb.UploadTaskRequest(
            task_id=task_id,
            task_zip=task_zip,
            token=self.token,
            **{"memory_gb": 1, "cpu_score": 100, **fields},
        )
        return self.master.UploadTask(request, metadata=self.md, timeout=30)

    def upload_folder(self, folder: Path, task_id: str, **fields: object) -> None:
        """A task folder zipped as `submit` zips it, uploaded without waiting for the task
        (what submit_folder cannot do: the test goes on while the task runs)."""
        with TemporaryDirectory() as tmp:
            archive = Path(tmp) / "task.zip"
            zip_folder(folder, archive)
            reply = self.upload(task_id, archive.read_bytes(), **fields)
        assert reply.success, reply.message

    def my_tasks(self) -> dict[str, pb.TaskInfo]:
        reply = self.master.GetAllUserTasks(
            pb.GetAllUserTasksRequest(token=self.token), metadata=self.md, timeout=10
        )
        return {t.task_id: t for t in reply.tasks}

    def stop(self, task_id: str) -> pb.StopTaskResponse:
        return self.master.StopTask(
            pb.StopTaskRequest(task_id=task_id, token=self.token), metadata=self.md, timeout=30
        )

    def result(self, task_id: str) -> pb.GetTaskResultResponse:
        return self.master.GetTaskResult(
            pb.GetTaskResultRequest(task_id=task_id, token=self.token), metadata=self.md, timeout=30
        )

    def result_files(self, task_id: str) -> dict[str, str]:
        """The task's result archive, member by member as text; {} while there is none."""
        reply = self.result(task_id)
        return read_zip(reply.result_zip) if reply.success and reply.result_zip else {}

    def close(self) -> None:
        self.channel.close()

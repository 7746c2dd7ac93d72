"""End-to-end fixtures: a real local node pool and a real worker on loopback, talking
gRPC, running tasks in real Docker containers."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest

from hivemind_desktop.core.logs import setup_logging
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.worker import Worker
from hivemind_desktop.nodepool.models import UserSpec
from hivemind_desktop.nodepool.server import NodePool
from hivemind_desktop.nodepool.submit import zip_folder
from hivemind_desktop.rpc import pb, pb_grpc

VOLUNTEER, VOLUNTEER_PW = "volunteer", "vol-secret-pw"
SCIENTIST, SCIENTIST_PW = "scientist", "sci-secret-pw"
WORKER_HOST = "127.0.0.2"  # the pool skips nodes registered as 127.0.0.1


def _free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def make_task(root: Path, name: str, main_py: str, **files: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "main.py").write_text(main_py)
    for filename, text in files.items():
        (folder / filename).write_text(text)
    return folder


class Scientist:
    """The submitting side of the pool (MasterNodeService), as a pool user would call it."""

    def __init__(self, address: str) -> None:
        self.channel = grpc.insecure_channel(address)
        self.users = pb_grpc.UserServiceStub(self.channel)
        self.master = pb_grpc.MasterNodeServiceStub(self.channel)
        self.token = ""

    def login(self) -> None:
        reply = self.users.Login(pb.LoginRequest(username=SCIENTIST, password=SCIENTIST_PW))
        assert reply.success, reply.message
        self.token = reply.token

    def _md(self):
        return [("authorization", f"Bearer {self.token}")]

    def upload(self, folder: Path, task_id: str, *, cpu_score=50, memory_gb=1) -> None:
        archive = folder.parent / f"{task_id}.zip"
        zip_folder(folder, archive)
        reply = self.master.UploadTask(
            pb.UploadTaskRequest(
                task_id=task_id,
                task_zip=archive.read_bytes(),
                memory_gb=memory_gb,
                cpu_score=cpu_score,
                token=self.token,
            ),
            metadata=self._md(),
        )
        assert reply.success, reply.message

    def stop(self, task_id: str) -> pb.StopTaskResponse:
        return self.master.StopTask(
            pb.StopTaskRequest(task_id=task_id, token=self.token), metadata=self._md()
        )

    def result(self, task_id: str) -> zipfile.ZipFile | None:
        import io

        reply = self.master.GetTaskResult(
            pb.GetTaskResultRequest(task_id=task_id, token=self.token), metadata=self._md()
        )
        return zipfile.ZipFile(io.BytesIO(reply.result_zip)) if reply.success else None

    def close(self) -> None:
        self.channel.close()


@pytest.fixture
def pool_factory(tmp_path: Path) -> Iterator[Callable[..., NodePool]]:
    pools: list[NodePool] = []

    def make(listen: str | None = None, **options) -> NodePool:
        options.setdefault("dispatch_interval_s", 0.3)
        options.setdefault("data_dir", tmp_path / "pool")
        pool = NodePool(
            listen=listen or f"127.0.0.1:{_free_port()}",
            users=[UserSpec(VOLUNTEER, VOLUNTEER_PW), UserSpec(SCIENTIST, SCIENTIST_PW, 1000)],
            **options,
        ).start()
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.stop()


@pytest.fixture
def worker_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(pool: NodePool, **overrides) -> Settings:
        base = Settings(
            master_address=pool.address,
            advertise_address=WORKER_HOST,
            busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
            allowed_peers=("127.0.0.1",),
            node_port=_free_port(WORKER_HOST),
            status_port=0,
            username=VOLUNTEER,
            password=VOLUNTEER_PW,
            max_cpu_cores=2,
            max_memory_gb=4,
            max_concurrent_tasks=3,
            data_dir=str(tmp_path / "worker"),
            log_dir=str(tmp_path / "logs"),
        )
        return dataclasses.replace(base, **overrides)

    return make


@pytest.fixture
def start_worker(task_images, worker_settings) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(pool: NodePool, **overrides) -> Worker:
        settings = worker_settings(pool, **overrides)
        worker = Worker(settings, log=setup_logging(settings.log_path))
        workers.append(worker)
        worker.start()
        wait_for(lambda: pool.node(VOLUNTEER), 15, "the worker to register")
        return worker

    yield start
    for worker in workers:
        worker.shutdown(stop_tasks=True)


@pytest.fixture
def scientist_factory() -> Iterator[Callable[[NodePool], Scientist]]:
    made: list[Scientist] = []

    def make(pool: NodePool) -> Scientist:
        scientist = Scientist(pool.address)
        scientist.login()
        made.append(scientist)
        return scientist

    yield make
    for scientist in made:
        scientist.close()


def headless_worker(settings: Settings, log: Path) -> subprocess.Popen:
    """The worker as a separate process (`hivemind-desktop --headless`), so a test can
    kill it with SIGKILL like a crash or a power cut would."""
    env = {
        **os.environ,
        "MASTER_ADDRESS": settings.master_address,
        "HIVEMIND_ADVERTISE_ADDRESS": settings.advertise_address,
        "HIVEMIND_BUSY_CPU_PERCENT": "0",
        "HIVEMIND_ALLOWED_PEERS": ",".join(settings.allowed_peers),
        "NODE_PORT": str(settings.node_port),
        "FLASK_PORT": "0",
        "HIVEMIND_USERNAME": settings.username,
        "HIVEMIND_PASSWORD": settings.password,
        "MAX_CPU_CORES": str(settings.max_cpu_cores),
        "MAX_MEMORY_GB": str(settings.max_memory_gb),
        "HIVEMIND_DATA_DIR": settings.data_dir,
        "HIVEMIND_LOG_DIR": settings.log_dir,
        "HIVEMIND_CONFIG_FILE": str(Path(settings.data_dir).parent / "absent-config.toml"),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "hivemind_desktop", "--headless"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )

"""For tests of the real Worker (tests/integration): the roster of their pools, worker
settings on loopback, a running Worker, ExecuteTask through a real gRPC channel as the
pool sends it, event recording, the console script as a subprocess, a relay that dials
from another source address."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docker
import grpc

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.logs import setup_logging
from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.core.settings import Settings, validate
from hivemind_desktop.core.worker import Tuning, Worker
from hivemind_desktop.nodepool import UserSpec
from hivemind_desktop.rpc import pb, pb_grpc
from tests.kit import free_port, wait_for
from tests.kit.docker_images import labelled
from tests.kit.pools import CHANNEL_OPTIONS

WORKER_HOST = "127.0.0.2"  # the pool skips nodes registered as 127.0.0.1
WORKER_USER = UserSpec("worker1", "worker1-Secret-pw")
SUBMITTER = UserSpec("alice", "alice-Secret-pw", 100)
USERS = [WORKER_USER, SUBMITTER]


def worker_settings(root: Path, master_address: str, **overrides: object) -> Settings:
    """A worker serving on 127.0.0.2, taking calls from 127.0.0.1, with small shares
    (2 cores, 2 GiB) and its own data and log folders under `root`."""
    values: dict[str, object] = {
        "advertise_address": WORKER_HOST,
        "busy_cpu_percent": 0,  # the machine's own load (tests, CI) must not freeze tasks
        "node_port": free_port(WORKER_HOST),
        "master_address": master_address,
        "allowed_peers": ("127.0.0.1",),
        "data_dir": str(root / "data"),
        "log_dir": str(root / "logs"),
        "status_port": 0,
        "max_cpu_cores": 2.0,
        "max_memory_gb": 2,
        "share_gpu": False,
        "task_time_limit_s": 120,
        **overrides,
    }
    return validate(Settings(**values))


def signed_in(settings: Settings) -> Settings:
    return settings.replace(username=WORKER_USER.name, password=WORKER_USER.password)


@contextmanager
def running_worker(
    settings: Settings, client: docker.DockerClient, tuning: Tuning | None = None
) -> Iterator[Worker]:
    """A started Worker (logging set up as the entry points do); on exit it shuts down and
    no container of it is left."""
    worker = Worker(settings, log=setup_logging(settings.log_path), tuning=tuning)
    worker.start()
    try:
        yield worker
    finally:
        worker.shutdown(stop_tasks=True)
        for container in labelled(client, f"hivemind.node={worker.install_id}"):
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass  # the engine removed it meanwhile
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: the worker's own removal is under way
                    raise
            except docker.errors.APIError as exc:  # the engine's own removal is under way
                if "already in progress" not in str(exc):
                    raise



def wait_ended(worker: Worker, task_id: str, timeout: float = 90) -> TaskRecord:
    """Until the task's container is gone and its result waits for the pool; its record."""
    wait_for(
        lambda: (r := worker.task(task_id)) is not None and r.state == TaskState.UPLOADING,
        f"{task_id} to end",
        timeout,
    )
    wait_for(lambda: worker.running_count() == 0, "the slot to be free")
    record = worker.task(task_id)
    assert record is not None
    return record

class WorkerChannel:
    """What the node pool does to a worker: ExecuteTask / StopTaskExecution, no metadata."""

    def __init__(self, settings: Settings) -> None:
        self.channel = grpc.insecure_channel(
            f"{settings.advertise_address}:{settings.node_port}", options=CHANNEL_OPTIONS
        )
        self.stub = pb_grpc.WorkerNodeServiceStub(self.channel)

    def execute(
        self,
        task_id: str,
        task_zip: bytes,
        *,
        cpu_usage: float = 50,
        memory_gb: int = 1,
        gpu_usage: float = 0,
        gpu_memory_gb: int = 0,
    ) -> pb.ExecuteTaskResponse:
        request = pb.ExecuteTaskRequest(
            task_id=task_id,
            task_zip=task_zip,
            cpu_usage=cpu_usage,
            gpu_usage=gpu_usage,
            memory_gb=memory_gb,
            gpu_memory_gb=gpu_memory_gb,
        )
        return self.stub.ExecuteTask(request, timeout=60)

    def stop(self, task_id: str) -> pb.StopTaskExecutionResponse:
        return self.stub.StopTaskExecution(pb.StopTaskExecutionRequest(task_id=task_id), timeout=30)

    def close(self) -> None:
        self.channel.close()


class StateRecorder:
    """The sequence of states each task's TASK_CHANGED events showed, consecutive
    repeats dropped (usage updates re-publish the same state)."""

    def __init__(self, worker: Worker) -> None:
        self._lock = threading.Lock()
        self.states: dict[str, list[str]] = {}
        self.unsubscribe = worker.subscribe(self._on_event)

    def _on_event(self, event: ev.Event) -> None:
        if event.kind != ev.TASK_CHANGED:
            return
        task = event.data["task"]
        state = task.state.value  # read at once: the record object keeps changing
        with self._lock:
            seq = self.states.setdefault(task.task_id, [])
            if not seq or seq[-1] != state:
                seq.append(state)

    def of(self, task_id: str) -> list[str]:
        with self._lock:
            return list(self.states.get(task_id, []))


SCRIPT = Path(sys.executable).with_name("hivemind-desktop")
SETTING_VARIABLES = (
    "NODE_PORT",
    "MASTER_ADDRESS",
    "NODE_ID",
    "DOCKER_ENABLED",
    "DOCKER_NETWORK",
    "MAX_CPU_CORES",
    "MAX_MEMORY_GB",
    "MAX_CONCURRENT_TASKS",
    "SESSION_TIMEOUT",
    "TRUST_THRESHOLD",
    "FLASK_PORT",
)


def clean_env(root: Path) -> dict[str, str]:
    """An environment for the console script: no inherited settings, a config file that
    does not exist, private data/log folders under `root` and no keyring (a headless
    server usually has none)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTING_VARIABLES and not k.startswith("HIVEMIND_")
    }
    env.update(
        HIVEMIND_CONFIG_FILE=str(root / "no-config.toml"),
        HIVEMIND_DATA_DIR=str(root / "data"),
        HIVEMIND_LOG_DIR=str(root / "logs"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        DBUS_SESSION_BUS_ADDRESS="disabled:",
    )
    return env


class Headless:
    """`hivemind-desktop --headless` as a real subprocess, its output (stdout and stderr
    together) collected as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(SCRIPT), "--headless"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self._lines)

    def wait_serving(self, timeout: float = 60) -> None:
        """Until the start-up line is printed; fails at once if the worker exits."""

        def serving() -> bool:
            if "serving on" in self.output:
                return True
            if self.proc.poll() is not None:
                self._reader.join(timeout=5)
                raise AssertionError(f"the headless worker exited: {self.output}")
            return False

        wait_for(serving, "the headless worker to start", timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code


class SourceRelay:
    """A TCP relay on 127.0.0.1 that dials `target` from `source_ip`: gRPC Python cannot
    choose a channel's source address, and a caller the worker refuses must come from an
    address other than the allowed 127.0.0.1. The worker sees `source_ip` as the peer."""

    def __init__(self, target: tuple[str, int], source_ip: str) -> None:
        self._target, self._source = target, source_ip
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                inbound, _ = self._listener.accept()
                outbound = socket.create_connection(self._target, source_address=(self._source, 0))
            except OSError:
                return
            self._sockets += [inbound, outbound]
            for a, b in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(1 << 16):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()

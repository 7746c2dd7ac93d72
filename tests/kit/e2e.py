"""End to end (tests/e2e): the roster of a real local node pool, a real worker on loopback
talking gRPC to it and running tasks in real Docker containers (in this process or as
`hivemind-desktop --headless`), task folders."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core.logs import setup_logging
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.worker import Worker
from hivemind_desktop.nodepool import NodePool, UserSpec
from tests.kit import free_port, wait_for

VOLUNTEER, VOLUNTEER_PW = "volunteer", "vol-secret-pw"
SCIENTIST, SCIENTIST_PW = "scientist", "sci-secret-pw"
WORKER_HOST = "127.0.0.2"  # the pool skips nodes registered as 127.0.0.1
USERS = [UserSpec(VOLUNTEER, VOLUNTEER_PW), UserSpec(SCIENTIST, SCIENTIST_PW, 1000)]


def make_task(root: Path, name: str, main_py: str, **files: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "main.py").write_text(main_py)
    for filename, text in files.items():
        (folder / filename).write_text(text)
    return folder


@pytest.fixture
def worker_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(pool: NodePool, **overrides) -> Settings:
        base = Settings(
            master_address=pool.address,
            advertise_address=WORKER_HOST,
            busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
            allowed_peers=("127.0.0.1",),
            node_port=free_port(WORKER_HOST),
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
        wait_for(lambda: pool.node(VOLUNTEER), "the worker to register", 15)
        return worker

    yield start
    for worker in workers:
        worker.shutdown(stop_tasks=True)


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

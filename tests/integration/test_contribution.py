"""Contribute only when the computer can spare it: a real worker, a real node pool, real
containers. A busy computer (a real CPU burner outside the worker), the schedule and the
snooze hold tasks back and freeze running ones; the pool hears a non-Idle status; the
CPU cap changes a running container's quota; a task frozen too long is returned."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.states import WorkerState
from hivemind_desktop.core.worker import Worker
from hivemind_desktop.nodepool import NodePool
from tests.kit import make_zip, wait_for
from tests.kit.pools import PoolClient
from tests.kit.worker import SUBMITTER, running_worker, signed_in, worker_settings

pytestmark = pytest.mark.docker

SLEEPER = make_zip({"main.py": "import time\nprint('working', flush=True)\ntime.sleep(300)\n"})
BURNER = make_zip({"main.py": "while True:\n    pass\n"})
VOLUNTEER = "worker1"


def container_state(client: docker.DockerClient, worker: Worker, task_id: str) -> str:
    record = worker.task(task_id)
    assert record is not None and record.container_id
    return client.containers.get(record.container_id).status


def run_one(worker: Worker, pool: NodePool, task_id: str, data: bytes, cpu: int = 50) -> None:
    submitter = PoolClient(pool.address, SUBMITTER)
    try:
        assert submitter.upload(task_id, data, cpu_score=cpu).success
    finally:
        submitter.close()
    wait_for(
        lambda: (r := worker.task(task_id)) is not None and r.state == TaskState.RUNNING,
        f"{task_id} to run",
        timeout=60,
    )


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_busy_computer_freezes_tasks_and_the_pool_stops_dispatching(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    settings = signed_in(worker_settings(tmp_path, pool.address, busy_cpu_percent=70))
    with running_worker(settings, docker_client) as worker:
        run_one(worker, pool, "patient", SLEEPER)
        cores = multiprocessing.cpu_count()
        burners = [multiprocessing.Process(target=_burn, args=(25,)) for _ in range(cores)]
        for burner in burners:
            burner.start()
        try:
            wait_for(lambda: worker.snapshot().state == WorkerState.WAITING, "waiting", timeout=15)
            snap = worker.snapshot()
            assert "other programs use" in snap.state_detail
            wait_for(lambda: container_state(docker_client, worker, "patient") == "paused",
                     "the task to freeze")  # fmt: skip
            wait_for(lambda: pool.node(VOLUNTEER).status == "Waiting", "the pool to hear it")
            assert not worker.can_take_task()
        finally:
            for burner in burners:
                burner.terminate()
                burner.join()
        wait_for(lambda: worker.snapshot().state == WorkerState.CONTRIBUTING, "back", timeout=20)
        assert container_state(docker_client, worker, "patient") == "running"
        wait_for(lambda: pool.node(VOLUNTEER).status in ("Idle", "Running"), "dispatchable")


def test_outside_the_schedule_nothing_runs_and_inside_it_does(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    today = time.strftime("%a").lower()
    other_day = "tue" if today != "tue" else "wed"
    settings = signed_in(worker_settings(tmp_path, pool.address, schedule=other_day))
    with running_worker(settings, docker_client) as worker:
        wait_for(lambda: worker.snapshot().state == WorkerState.WAITING, "waiting")
        assert worker.snapshot().state_detail == "outside your schedule"
        wait_for(lambda: pool.node(VOLUNTEER) is not None, "registration")
        wait_for(lambda: pool.node(VOLUNTEER).status == "Waiting", "the pool to hear it")
        submitter = PoolClient(pool.address, SUBMITTER)
        task = make_zip({"main.py": "print('ran')\n"})
        assert submitter.upload("scheduled", task, cpu_score=50).success
        time.sleep(3)  # several dispatch rounds: the pool must not send it here
        assert worker.task("scheduled") is None
        worker.apply_settings(settings.replace(schedule=f"{today}"))  # always, today
        wait_for(lambda: pool.task("scheduled").status == "COMPLETED", "the task", timeout=60)
        submitter.close()


def test_snooze_freezes_until_resumed_and_says_until_when(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    settings = signed_in(worker_settings(tmp_path, pool.address))
    with running_worker(settings, docker_client) as worker:
        run_one(worker, pool, "dozy", SLEEPER)
        until = worker.snooze("hour")
        snap = worker.snapshot()
        assert snap.state == WorkerState.SNOOZED
        assert snap.state_detail == f"until {until.strftime('%H:%M')}"
        wait_for(lambda: container_state(docker_client, worker, "dozy") == "paused", "frozen")
        worker.unsnooze()
        assert worker.snapshot().state == WorkerState.CONTRIBUTING
        wait_for(lambda: container_state(docker_client, worker, "dozy") == "running", "thawed")


def _quota_us(container) -> int:
    """The CFS quota the kernel applies to a container's host process (under gVisor: the
    sandbox), read from its cgroup (v1) rather than the engine's record."""
    for line in Path(f"/proc/{container.attrs['State']['Pid']}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):
            return int(Path(f"/sys/fs/cgroup/cpu{path}/cpu.cfs_quota_us").read_text())
    raise AssertionError("no cpu cgroup")


def test_the_cpu_cap_changes_a_running_containers_quota_and_its_use(
    tmp_path: Path,
    pool: NodePool,
    task_images: None,
    docker_client: docker.DockerClient,
    runtime: str,
) -> None:
    settings = signed_in(
        worker_settings(tmp_path, pool.address, busy_cpu_percent=0, task_runtime=runtime)
    )
    with running_worker(settings, docker_client) as worker:
        run_one(worker, pool, "hot", BURNER, cpu=100)
        assert worker.task("hot").runtime == runtime
        container = docker_client.containers.get(worker.task("hot").container_id)
        assert container.attrs["HostConfig"]["CpuQuota"] == 100_000  # one core
        assert _quota_us(container) == 100_000

        def cpu_percent() -> float:
            stats = container.stats(stream=False)
            cpu, pre = stats["cpu_stats"], stats["precpu_stats"]
            if "system_cpu_usage" not in pre:  # the engine had no earlier sample yet
                return 0.0
            used = cpu["cpu_usage"]["total_usage"] - pre["cpu_usage"]["total_usage"]
            system = cpu["system_cpu_usage"] - pre["system_cpu_usage"]
            return used / system * cpu["online_cpus"] * 100

        wait_for(lambda: cpu_percent() > 80, "the task to use its core")
        worker.apply_settings(settings.replace(cpu_cap_percent=30))
        assert _quota_us(container) == 30_000
        if runtime == "runc":  # runsc has no `update`: the engine's record stays as made
            container.reload()
            assert container.attrs["HostConfig"]["CpuQuota"] == 30_000
        time.sleep(1)
        samples = [cpu_percent() for _ in range(3)]
        assert max(samples) < 45, samples  # 30 % of a core, with room for sampling noise


def test_a_task_frozen_too_long_is_returned_with_the_reason(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    settings = signed_in(worker_settings(tmp_path, pool.address, max_frozen_minutes=0.03))
    with running_worker(settings, docker_client) as worker:
        run_one(worker, pool, "frozen", SLEEPER)
        trust = worker.snapshot().trust_score
        worker.pause()
        wait_for(lambda: pool.task("frozen").status == "STOPPED", "the pool to get it", timeout=60)
        record = worker.task("frozen")
        assert record.outcome == TaskState.STOPPED
        assert "frozen (paused by the volunteer)" in record.message
        assert "returned so the node pool can run it elsewhere" in record.message
        assert worker.snapshot().trust_score == trust  # the volunteer is not blamed
        assert "stopped on the worker" in pool.task("frozen").message

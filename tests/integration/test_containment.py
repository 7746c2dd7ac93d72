"""A task never takes more than the volunteer lent: its disk budget while it runs, the data
disk's free-space floor, a fork bomb's slot, and nothing under the data folder that grows
with every task. Real worker, real gRPC, real containers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.worker import Tuning, Worker
from tests.kit import free_port, make_zip, read_zip, wait_for
from tests.kit.pools import PoolClient, start_pool
from tests.kit.worker import (
    SUBMITTER,
    USERS,
    WorkerChannel,
    running_worker,
    signed_in,
    wait_ended,
    worker_settings,
)

pytestmark = pytest.mark.docker

BUDGET_MB = 64
# Writes 1 MiB blocks as fast as it can, far past any budget, then says it finished.
WRITER = make_zip(
    {
        "main.py": (
            "import os\n"
            "print('writing', flush=True)\n"
            "block = os.urandom(1 << 20)\n"
            "with open('fill.bin', 'wb') as f:\n"
            "    for _ in range(4096):\n"
            "        f.write(block)\n"
            "print('wrote 4 GiB unhindered', flush=True)\n"
        )
    }
)


@pytest.fixture(scope="module")
def worker(
    tmp_path_factory: pytest.TempPathFactory,
    task_images: None,
    docker_client: docker.DockerClient,
    worker_runtime: str,
) -> Iterator[Worker]:
    """The module runs once with tasks in runc and once in gVisor."""
    root = tmp_path_factory.mktemp(f"containment-{worker_runtime}")
    settings = worker_settings(
        root,
        f"127.0.0.1:{free_port()}",  # no pool: results stay in the outbox to be read here
        task_disk_budget_mb=BUDGET_MB,
        pids_limit=32,
        task_runtime=worker_runtime,
    )
    # A fork bomb is ended after 1 s at its process limit instead of 30; strays are
    # looked for every half second and removed after a second.
    tuning = Tuning(pids_grace_s=1.0, reconcile_s=0.5, stray_grace_s=1.0)
    with running_worker(settings, docker_client, tuning) as w:
        yield w


@pytest.fixture(scope="module")
def channel(worker: Worker) -> Iterator[WorkerChannel]:
    ch = WorkerChannel(worker.settings)
    yield ch
    ch.close()




def outbox_result(worker: Worker, task_id: str) -> dict[str, str]:
    zip_path = worker.settings.data_path / "results" / f"{task_id}.zip"
    return read_zip(zip_path.read_bytes())


def test_task_writing_past_its_disk_budget_is_ended_and_reported(
    worker: Worker, channel: WorkerChannel
) -> None:
    reply = channel.execute("disk-hog", WRITER)
    assert reply.success, reply.message
    record = wait_ended(worker, "disk-hog")

    assert record.outcome == "failed"
    assert record.runtime == worker.settings.task_runtime
    assert f"disk budget of {BUDGET_MB} MiB used up" in record.message
    assert "wrote 4 GiB unhindered" not in worker.task_output("disk-hog")
    files = outbox_result(worker, "disk-hog")
    assert "status: Failed" in files["execution_log.txt"]
    assert f"disk budget of {BUDGET_MB} MiB used up" in files["execution_log.txt"]
    assert "writing" in files["task_logs.txt"]  # the logs still come back
    assert "fill.bin" not in files  # the files past the budget do not
    assert not (worker.settings.data_path / "tasks" / "disk-hog" / "workspace").exists()


def test_task_within_its_budget_completes_with_its_files(
    worker: Worker, channel: WorkerChannel
) -> None:
    task = make_zip(
        {"main.py": "open('out.bin', 'wb').write(b'x' * (8 << 20))\nprint('made 8 MiB')\n"}
    )
    assert channel.execute("disk-ok", task).success
    record = wait_ended(worker, "disk-ok")
    assert record.outcome == "completed", record.message
    files = outbox_result(worker, "disk-ok")
    assert len(files["out.bin"]) == 8 << 20
    # the zip was made by consuming the workspace, which is gone now
    assert not (worker.settings.data_path / "tasks" / "disk-ok" / "workspace").exists()


def test_no_task_below_the_free_disk_floor_and_running_ones_end(
    worker: Worker, channel: WorkerChannel
) -> None:
    settings = worker.settings
    free_gib = shutil.disk_usage(settings.data_path).free / 2**30
    worker.apply_settings(settings.replace(min_free_disk_gb=round(free_gib + 5, 1)))
    try:
        reply = channel.execute("floor-refused", make_zip({"main.py": "print(1)\n"}))
        assert not reply.success
        assert "free disk space is below the floor" in reply.message
        assert "HIVEMIND_MIN_FREE_DISK_GB" in reply.message
        assert not worker.can_take_task()  # so the pool hears "not Idle"
        disk = worker.health()["checks"]["disk"]  # what the Monitor page and /health show
        assert not disk["ok"] and "below the floor" in disk["detail"]
    finally:
        worker.apply_settings(settings)
    assert worker.can_take_task()
    assert worker.health()["checks"]["disk"]["ok"]
    assert f"each task may write {BUDGET_MB} MiB" in worker.health()["checks"]["disk"]["detail"]

    # A running task that eats into the floor is ended with that reason.
    slow_writer = make_zip(
        {
            "main.py": (
                "import os, time\n"
                "block = os.urandom(1 << 20)\n"
                "with open('grow.bin', 'wb') as f:\n"
                "    for _ in range(400):\n"
                "        f.write(block); f.flush(); os.fsync(f.fileno()); time.sleep(0.05)\n"
            )
        }
    )
    bigger_budget = settings.replace(task_disk_budget_mb=2048)
    worker.apply_settings(bigger_budget)
    try:
        assert channel.execute("floor-ended", slow_writer).success
        wait_for(
            lambda: (r := worker.task("floor-ended")) and r.state == TaskState.RUNNING,
            "floor-ended to run",
        )
        free_gib = shutil.disk_usage(settings.data_path).free / 2**30
        worker.apply_settings(bigger_budget.replace(min_free_disk_gb=free_gib - 0.05))
        record = wait_ended(worker, "floor-ended")
    finally:
        worker.apply_settings(settings)
    assert record.outcome == "failed"
    assert "free disk space is below the floor" in record.message


def test_fork_bomb_is_ended_after_a_grace_at_its_process_limit(
    worker: Worker, channel: WorkerChannel
) -> None:
    bomb = make_zip(
        {
            "main.py": (
                "import os, time\n"
                "print('forking', flush=True)\n"
                "while True:\n"
                "    try:\n"
                "        os.fork()\n"
                "    except OSError:\n"
                "        time.sleep(0.01)\n"
            )
        }
    )
    assert channel.execute("fork-bomb", bomb).success
    record = wait_ended(worker, "fork-bomb", timeout=120)
    assert record.outcome == "failed"
    if record.runtime == "runc":
        reason = "too many processes: limit 32"
    else:  # gVisor: the sandbox ends itself at its host pids allowance (task_runtime)
        reason = "exit code 2 (or gVisor ended the task for too many processes)"
    assert record.runtime == worker.settings.task_runtime
    assert reason in record.message
    files = outbox_result(worker, "fork-bomb")
    assert reason in files["execution_log.txt"]


def test_delivered_results_leave_only_bounded_console_tails(
    tmp_path: Path, task_images: None, docker_client: docker.DockerClient
) -> None:
    chatty = make_zip({"main.py": "for i in range(20000):\n    print('line', i, 'x' * 40)\n"})
    pool = start_pool(USERS)
    submitter = PoolClient(pool.address, SUBMITTER)
    settings = signed_in(worker_settings(tmp_path, pool.address))
    ids = [f"chatty-{n}" for n in range(4)]
    try:
        with running_worker(settings, docker_client, Tuning(console_history=2)) as worker:
            tasks_dir = settings.data_path / "tasks"
            for task_id in ids:
                assert submitter.upload(task_id, chatty, cpu_score=50).success
                wait_for(
                    lambda t=task_id: (r := worker.task(t)) and r.state == TaskState.COMPLETED,
                    f"{task_id}'s result at the pool",
                    timeout=90,
                )
                time.sleep(0.05)  # distinct folder times: the newest are kept
            kept = sorted(p.name for p in tasks_dir.iterdir() if p.name.startswith("chatty-"))
            assert kept == ids[-2:]
            for task_id in kept:
                assert (tasks_dir / task_id / "console.log").stat().st_size <= 64 * 1024
                assert "line 19999" in worker.task_output(task_id)  # what the Tasks page shows
            assert not list((settings.data_path / "results").iterdir())
            assert worker.task("chatty-0").state == TaskState.COMPLETED  # history stays
            # the whole console reached the pool before the local copy was trimmed
            assert "line 19999" in pool.task_log("chatty-3")
    finally:
        submitter.close()
        pool.stop(grace=0)


def test_stray_containers_are_reconciled_on_a_timer_and_others_left_alone(
    worker: Worker, channel: WorkerChannel, docker_client: docker.DockerClient
) -> None:
    def labelled(install: str, task: str):
        return docker_client.containers.run(
            "hivemind/task-busybox:latest",
            ["sleep", "300"],
            labels={"hivemind.managed": "1", "hivemind.node": install, "hivemind.task": task},
            network_mode="none",
            detach=True,
        )

    ghost = labelled(worker.install_id, "ghost")  # ours, but no task owns it
    foreign = labelled("another-install", "theirs")  # another worker's: never touched
    try:
        # a real task running meanwhile keeps its container
        sleeper = make_zip({"main.py": "import time; time.sleep(120)"})
        assert channel.execute("kept", sleeper).success
        wait_for(lambda: worker.task("kept").state == TaskState.RUNNING, "kept to run")

        def ghost_gone() -> bool:
            try:
                docker_client.containers.get(ghost.id)
            except docker.errors.NotFound:
                return True
            return False

        wait_for(ghost_gone, "the stray to be removed", timeout=30)
        time.sleep(2)  # two more passes past the grace: the running task's container stays
        assert worker.task("kept").state == TaskState.RUNNING
        assert channel.stop("kept").success
        record = wait_ended(worker, "kept")
        assert record.outcome == "stopped" and record.exit_code is not None, record.message
        foreign.reload()
        assert foreign.status == "running"
    finally:
        for container in (ghost, foreign):
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass

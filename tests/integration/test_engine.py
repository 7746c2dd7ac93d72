"""The task engine through the real worker: ExecuteTask over a real gRPC channel on
loopback, real containers, a real local node pool for results.

Refusals: each one names its reason, and nothing is recorded, unpacked or run."""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.task_runtime import describe
from hivemind_desktop.core.worker import Worker
from hivemind_desktop.nodepool import NodePool
from tests.kit import free_port, make_zip, read_zip, wait_for
from tests.kit.docker_images import labelled
from tests.kit.pools import PoolClient, start_pool
from tests.kit.worker import (
    SUBMITTER,
    USERS,
    StateRecorder,
    WorkerChannel,
    running_worker,
    signed_in,
    wait_ended,
    worker_settings,
)

pytestmark = pytest.mark.docker

HELLO = make_zip({"main.py": "print('hello from the task')\n"})
SLEEPER = make_zip({"main.py": "import time\nprint('sleeping', flush=True)\ntime.sleep(120)\n"})


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, worker_runtime: str) -> Path:
    return tmp_path_factory.mktemp(f"engine-{worker_runtime}")


@pytest.fixture(scope="module")
def worker(
    root: Path, task_images: None, docker_client: docker.DockerClient, worker_runtime: str
) -> Iterator[Worker]:
    """Not signed in (results stay in its outbox), one task at a time, 1 MiB disk budget;
    the module runs once with tasks in runc and once in gVisor."""
    settings = worker_settings(
        root,
        f"127.0.0.1:{free_port()}",  # nobody there: this worker never reaches a pool
        max_concurrent_tasks=1,
        task_disk_budget_mb=1,
        task_runtime=worker_runtime,
    )
    with running_worker(settings, docker_client) as w:
        yield w


@pytest.fixture(scope="module")
def channel(worker: Worker) -> Iterator[WorkerChannel]:
    ch = WorkerChannel(worker.settings)
    yield ch
    ch.close()




def assert_nothing_kept(worker: Worker, client: docker.DockerClient, task_id: str) -> None:
    assert not worker.task(task_id) is not None
    assert worker.task(task_id) is None
    assert not labelled(client, f"hivemind.task={task_id}")
    if task_id and len(task_id) < 255:  # "" would name the tasks folder itself
        assert not (worker.settings.data_path / "tasks" / task_id).exists()
    assert worker.running_count() == 0
    assert worker.resources()["allocated"].cpu_score == 0


def hostile(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("main.py", "print('hi')\n")
        zf.writestr(zipfile.ZipInfo(name), "owned\n")
    return buf.getvalue()


REFUSALS = [
    # (task id, archive, request fields, what the message must say)
    ("big-mem", HELLO, {"memory_gb": 3}, "asks 3 GiB memory but only 2 GiB are shared"),
    ("big-cpu", HELLO, {"cpu_usage": 500}, "asks 5 CPU cores but only 2 cores are shared"),
    ("wants-gpu", HELLO, {"gpu_usage": 100}, "no NVIDIA GPU found"),
    ("neg-mem", HELLO, {"memory_gb": -1}, "negative resources"),
    ("neg-cpu", HELLO, {"cpu_usage": -50}, "negative resources"),
    ("neg-gpu-mem", HELLO, {"gpu_memory_gb": -2}, "negative resources"),
    ("neg-gpu", HELLO, {"gpu_usage": -1}, "negative resources"),
    ("inf-cpu", HELLO, {"cpu_usage": float("inf")}, "cpu_usage is inf, not a finite number"),
    ("nan-gpu", HELLO, {"gpu_usage": float("nan")}, "gpu_usage is nan, not a finite number"),
    ("tiny-cpu", HELLO, {"cpu_usage": 0.4}, "cpu_usage 0.4 is below the smallest CPU share"),
    ("newline\n", HELLO, {}, "task id must be"),
    ("x" * 100_000, HELLO, {}, "task id must be"),
    ("../escape", HELLO, {}, "task id must be"),
    ("", HELLO, {}, "task id must be"),
    ("has space", HELLO, {}, "task id must be"),
    ("zip-slip", hostile("../../../../evil.txt"), {}, "climbs out of the task folder"),
    ("abs-path", hostile("/tmp/hivemind-itest-evil.txt"), {}, "absolute path"),
    ("no-entry", make_zip({"data.txt": "x"}), {}, "no entry point"),
    ("not-a-zip", b"this is not a zip archive", {}, "not a valid zip"),
    (
        "bad-image",
        make_zip({"main.py": "print(1)\n", "hivemind.json": json.dumps({"image": "alpine:3"})}),
        {},
        "image alpine:3 is not allowed",
    ),
    (
        "missing-image",
        make_zip(
            {
                "main.py": "print(1)\n",
                "hivemind.json": json.dumps({"image": "hivemind/task-missing:latest"}),
            }
        ),
        {},
        "is not installed on this worker",
    ),
    (
        "too-big",
        make_zip(
            {"main.py": "print(1)\n", "blob.bin": os.urandom(1536 * 1024)}, zipfile.ZIP_STORED
        ),
        {},
        "exceeds this worker's disk budget of 1 MiB",
    ),
]


@pytest.mark.parametrize(
    ("task_id", "archive", "fields", "reason"),
    REFUSALS,
    ids=[(r[0] or "empty-id").strip()[:20] for r in REFUSALS],
)
def test_refusal_names_the_reason_and_keeps_nothing(
    worker: Worker,
    channel: WorkerChannel,
    docker_client: docker.DockerClient,
    root: Path,
    task_id: str,
    archive: bytes,
    fields: dict,
    reason: str,
) -> None:
    reply = channel.execute(task_id, archive, **fields)
    assert not reply.success
    assert reason in reply.message
    assert "\n" not in reply.message
    assert_nothing_kept(worker, docker_client, task_id)
    assert not list(root.rglob("evil.txt"))
    assert not Path("/tmp/hivemind-itest-evil.txt").exists()


def test_a_task_sent_again_after_a_refusal_is_refused_unopened(
    worker: Worker, channel: WorkerChannel
) -> None:
    """A pool may send a refused task straight back (the local pool does every 0.2 s): the
    same answer comes without another unpack, so its record stays Refused instead of
    flickering through Preparing, and the worker does not unzip it again and again."""
    _, archive, _, reason = next(r for r in REFUSALS if r[0] == "missing-image")
    states: list[str] = []

    def seen(event) -> None:
        if event.kind == "task_changed" and event.data["task"].task_id == "sent-twice":
            states.append(event.data["task"].state)

    unsubscribe = worker.subscribe(seen)
    try:
        first = channel.execute("sent-twice", archive)
        assert not first.success and reason in first.message
        assert TaskState.PREPARING in states  # the first copy was unpacked to find its image
        states.clear()
        again = channel.execute("sent-twice", archive)
    finally:
        unsubscribe()
    assert not again.success and again.message == first.message
    assert states and set(states) == {TaskState.REFUSED}


def test_paused_worker_refuses(
    worker: Worker, channel: WorkerChannel, docker_client: docker.DockerClient
) -> None:
    worker.pause()
    try:
        reply = channel.execute("while-paused", HELLO)
    finally:
        worker.resume()
    assert not reply.success and "paused" in reply.message
    assert_nothing_kept(worker, docker_client, "while-paused")


def test_stop_of_unknown_task_says_so(channel: WorkerChannel) -> None:
    reply = channel.stop("never-seen-here")
    assert not reply.success
    assert "unknown task id 'never-seen-here'" in reply.message


def test_duplicate_task_id_is_refused(worker: Worker, channel: WorkerChannel) -> None:
    assert channel.execute("dup-1", HELLO).success
    again = channel.execute("dup-1", HELLO)
    assert not again.success
    assert "already" in again.message
    wait_ended(worker, "dup-1")
    # and once it has ended, the id is still taken
    later = channel.execute("dup-1", HELLO)
    assert not later.success and "already ran here" in later.message
    assert "hello from the task" in worker.task_output("dup-1")


def test_max_concurrent_tasks_then_stop_running_task(
    worker: Worker, channel: WorkerChannel, docker_client: docker.DockerClient
) -> None:
    assert channel.execute("long-1", SLEEPER).success
    wait_for(lambda: worker.task("long-1").state == TaskState.RUNNING, "long-1 to run")
    wait_for(lambda: "sleeping" in worker.task_output("long-1"), "long-1's first output")
    assert labelled(docker_client, "hivemind.task=long-1")

    busy = channel.execute("long-2", HELLO)
    assert not busy.success
    assert "MAX_CONCURRENT_TASKS" in busy.message
    assert_nothing_kept_but_one_running(worker, docker_client)

    stopped = channel.stop("long-1")
    assert stopped.success and "stopping" in stopped.message
    wait_ended(worker, "long-1")
    record = worker.task("long-1")
    assert record.outcome == "stopped"
    assert record.runtime == worker.settings.task_runtime
    files = read_zip((worker.settings.data_path / "results" / "long-1.zip").read_bytes())
    assert "task_stopped.txt" in files
    assert "status: Stopped by user" in files["execution_log.txt"]
    assert f"isolation: {describe(record.runtime)}\n" in files["execution_log.txt"]
    assert "sleeping" in files["task_logs.txt"]
    wait_for(lambda: not labelled(docker_client, "hivemind.task=long-1"), "container removed")


def assert_nothing_kept_but_one_running(worker: Worker, client: docker.DockerClient) -> None:
    assert not worker.task("long-2") is not None
    assert not labelled(client, "hivemind.task=long-2")
    assert worker.running_count() == 1


def test_failing_task_costs_trust_and_says_failed_with_exit_code(
    worker: Worker, channel: WorkerChannel
) -> None:
    before = worker.snapshot().trust_score
    task = make_zip({"main.py": "import sys\nprint('about to fail')\nsys.exit(3)\n"})
    assert channel.execute("fail-3", task).success
    wait_ended(worker, "fail-3")

    record = worker.task("fail-3")
    assert record.exit_code == 3 and record.outcome == "failed"
    assert worker.snapshot().trust_score == max(0, before - 5)
    files = read_zip((worker.settings.data_path / "results" / "fail-3.zip").read_bytes())
    log = files["execution_log.txt"]
    assert "status: Failed" in log and "exit code: 3" in log
    assert "about to fail" in files["task_logs.txt"]
    # the result waits in the persistent outbox until a pool acknowledges it
    assert "fail-3" in worker.pending_results()


def test_docker_disabled_never_runs_on_the_host(
    tmp_path: Path, task_images: None, docker_client: docker.DockerClient
) -> None:
    marker = tmp_path / "ran-on-the-host"
    task = make_zip({"main.py": f"open({str(marker)!r}, 'w').write('oops')\n"})
    settings = worker_settings(tmp_path, f"127.0.0.1:{free_port()}", docker_enabled=False)
    with running_worker(settings, docker_client) as worker:
        channel = WorkerChannel(settings)
        try:
            reply = channel.execute("no-docker", task)
        finally:
            channel.close()
        assert not reply.success
        assert "DOCKER_ENABLED" in reply.message
        assert_nothing_kept(worker, docker_client, "no-docker")
        assert worker.health()["checks"]["docker"]["ok"] is False
    assert not marker.exists()


# -- through the node pool: the full lifecycle ---------------------------------------------


def test_state_machine_runs_received_to_completed_in_order(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    settings = signed_in(worker_settings(tmp_path, pool.address))
    submitter = PoolClient(pool.address, SUBMITTER)
    with running_worker(settings, docker_client) as worker:
        recorder = StateRecorder(worker)
        trust_before = worker.snapshot().trust_score
        assert submitter.upload("sm-1", HELLO, cpu_score=50).success
        wait_for(lambda: pool.task("sm-1").status == "COMPLETED", "the pool to get the result")
        wait_for(lambda: recorder.of("sm-1")[-1:] == ["completed"], "the final state")

        assert recorder.of("sm-1") == ["admitted", "preparing", "running", "uploading", "completed"]
        assert worker.task("sm-1").state == TaskState.COMPLETED
        assert worker.pending_results() == []
        assert worker.snapshot().trust_score == min(100, trust_before + 2)
        files = submitter.result_files("sm-1")
        assert "status: Success" in files["execution_log.txt"]
        assert "exit code: 0" in files["execution_log.txt"]
        assert "hello from the task" in files["task_logs.txt"]
        # The default (auto) sandboxes in gVisor where the engine has it, as here, and
        # says so to the pool, the status API and the Monitor page.
        assert worker.task("sm-1").runtime == "runsc"
        assert "isolation: gVisor (runsc)" in files["execution_log.txt"]
        isolation = worker.health()["checks"]["isolation"]
        assert isolation["ok"] and isolation["runtime"] == "runsc"
        assert worker.snapshot().docker.runtime == "runsc"
    submitter.close()


def test_result_waits_in_outbox_while_pool_is_down_and_is_delivered_after(
    tmp_path: Path, task_images: None, docker_client: docker.DockerClient
) -> None:
    pool_dir = tmp_path / "pool"
    pool = start_pool(USERS, data_dir=pool_dir)
    address = pool.address
    settings = signed_in(worker_settings(tmp_path, address))
    task = make_zip(
        {"main.py": "import time\nprint('working', flush=True)\ntime.sleep(2)\nprint('done')\n"}
    )
    submitter = PoolClient(address, SUBMITTER)
    assert submitter.upload("ob-1", task, cpu_score=50).success
    submitter.close()
    try:
        with running_worker(settings, docker_client) as worker:
            wait_for(
                lambda: (
                    (r := worker.task("ob-1")) is not None and r.state == TaskState.RUNNING
                ),
                "ob-1 to run on the worker",
            )
            pool.stop(grace=0)

            # the task ends while the pool is down: its result is kept in the outbox
            wait_for(
                lambda: worker.task("ob-1").state == TaskState.UPLOADING,
                "ob-1 to end",
                timeout=60,
            )
            wait_for(lambda: worker.snapshot().pool_state == "disconnected", "the worker to notice")
            assert worker.pending_results() == ["ob-1"]
            assert (worker.settings.data_path / "results" / "ob-1.zip").exists()

            pool = start_pool(USERS, listen=address, data_dir=pool_dir)
            wait_for(lambda: pool.task("ob-1").has_result, "the result at the pool", timeout=90)
            wait_for(lambda: worker.pending_results() == [], "the outbox to empty")
            wait_for(lambda: worker.task("ob-1").state == TaskState.COMPLETED, "completed")
            result = PoolClient(address, SUBMITTER)
            files = result.result_files("ob-1")
            result.close()
            assert "status: Success" in files["execution_log.txt"]
            assert "done" in files["task_logs.txt"]
            # console output made while the pool was down reached it too
            assert "done" in pool.task_log("ob-1")
    finally:
        pool.stop(grace=0)


def test_hostile_task_id_reaches_the_log_escaped_and_short(
    channel: WorkerChannel, caplog: pytest.LogCaptureFixture
) -> None:
    hostile_id = "evil\nFAKE LOG LINE " + "x" * 100_000
    with caplog.at_level(logging.WARNING):
        reply = channel.execute(hostile_id, HELLO)
    assert not reply.success and "task id must be" in reply.message
    lines = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert lines, "the refusal is logged"
    assert "evil\\nFAKE LOG LINE" in lines[-1]
    assert "\n" not in lines[-1]
    assert len(lines[-1]) < 1000
    reply = channel.stop(hostile_id)
    assert not reply.success and len(reply.message) < 1000


# -- which runtime a task gets ----------------------------------------------------------------

NETWORKED = make_zip(
    {
        "main.py": "import os\nprint('interfaces', sorted(os.listdir('/sys/class/net')))\n",
        "hivemind.json": json.dumps({"network": True}),
    }
)


def test_a_task_with_a_network_runs_in_runc_under_auto_and_is_refused_under_runsc(
    tmp_path: Path, task_images: None, docker_client: docker.DockerClient
) -> None:
    """The runsc entry runs with --network=none: a task that gets a network (its manifest
    asks and the volunteer set DOCKER_NETWORK) stays on runc, and where the volunteer
    requires gVisor it is refused with the reason, nothing kept."""
    network = docker_client.networks.create(
        f"hm-rt-{os.getpid()}", driver="bridge", internal=True  # no route off this machine
    )
    try:
        for runtime in ("auto", "runsc"):
            settings = worker_settings(
                tmp_path / runtime,
                f"127.0.0.1:{free_port()}",
                docker_network=network.name,
                task_runtime=runtime,
            )
            with running_worker(settings, docker_client) as worker:
                channel = WorkerChannel(settings)
                try:
                    reply = channel.execute("networked", NETWORKED)
                    plain = channel.execute("offline", HELLO)  # no network: gVisor either way
                finally:
                    channel.close()
                assert plain.success, plain.message
                assert wait_ended(worker, "offline").runtime == "runsc"
                if runtime == "auto":
                    assert reply.success, reply.message
                    record = wait_ended(worker, "networked")
                    assert record.runtime == "runc" and record.outcome == "completed"
                    assert "interfaces ['eth0', 'lo']" in worker.task_output("networked")
                else:
                    assert not reply.success
                    assert "asks for a network but tasks run only in gVisor" in reply.message
                    assert "\n" not in reply.message
                    assert_nothing_kept(worker, docker_client, "networked")
    finally:
        network.remove()

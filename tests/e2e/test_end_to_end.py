"""Node pool <-> worker end to end, everything real: gRPC on loopback, the local node
pool, the worker, Docker containers."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docker
import grpc
import pytest

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.store import Store
from hivemind_desktop.nodepool import SubmitResult, submit_folder
from hivemind_desktop.nodepool.models import COMPLETED, PENDING, STOPPED
from hivemind_desktop.rpc import pb, pb_grpc
from tests.kit import wait_for
from tests.kit.e2e import SCIENTIST, SCIENTIST_PW, VOLUNTEER, headless_worker, make_task

pytestmark = [pytest.mark.e2e, pytest.mark.docker]

SQUARE_TASK = """
import os, time
n = int(open("n.txt").read())
print("working on", n, flush=True)
time.sleep(1.5)
open("square.txt", "w").write(str(n * n))
print("done", os.environ["TASK_ID"])
"""

TICKING_TASK = """
import time
for i in range(600):
    print("tick", i, flush=True)
    time.sleep(0.2)
"""


def _managed_containers(client: docker.DockerClient, task_id: str, running_only=False):
    return client.containers.list(
        all=not running_only, filters={"label": [f"hivemind.task={task_id}"]}
    )


def test_six_tasks_three_at_a_time_all_return_correct_results(
    tmp_path, make_pool, start_worker, docker_client
):
    pool = make_pool()
    worker = start_worker(pool, max_concurrent_tasks=3)

    running: set[str] = set()
    most = [0]
    lock = threading.Lock()

    def track(event: ev.Event) -> None:
        if event.kind != ev.TASK_CHANGED:
            return
        task = event.data["task"]
        with lock:
            if task.state == TaskState.RUNNING:
                running.add(task.task_id)
            else:
                running.discard(task.task_id)
            most[0] = max(most[0], len(running))

    worker.subscribe(track)

    def submit(n: int) -> SubmitResult:
        folder = make_task(tmp_path / "tasks", f"square-{n}", SQUARE_TASK, **{"n.txt": str(n + 2)})
        return submit_folder(
            folder, pool.address, SCIENTIST, SCIENTIST_PW, task_id=f"square-{n}", cpu_score=50,
            out=tmp_path / f"square-{n}-out", timeout=120, poll_interval=0.2,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=6) as scientists:
        results = list(scientists.map(submit, range(6)))
    for n, result in enumerate(results):
        assert result.status == COMPLETED and result.run_status == "Success", result.message
        assert (result.out_dir / "square.txt").read_text() == str((n + 2) ** 2)
        assert f"working on {n + 2}" in (result.out_dir / "task_logs.txt").read_text()
    assert most[0] <= 3, f"{most[0]} tasks ran at once with MAX_CONCURRENT_TASKS=3"
    assert most[0] >= 2, "tasks never overlapped: the worker ran them one by one"
    # Containers go once their result is queued, off its critical path: soon after.
    wait_for(
        lambda: not docker_client.containers.list(
            all=True, filters={"label": [f"hivemind.node={worker.install_id}"]}
        ),
        "no container left",
        30,
    )


def test_stop_mid_run_returns_partial_result_with_task_stopped(
    tmp_path, make_pool, start_worker, scientist_factory, docker_client
):
    pool = make_pool()
    worker = start_worker(pool)
    scientist = scientist_factory(pool)
    scientist.upload_folder(make_task(tmp_path, "ticker", TICKING_TASK), "ticker")

    wait_for(
        lambda: "tick 3" in worker.task_output("ticker") if _known(worker, "ticker") else False,
        "the task to print",
        60,
    )
    reply = scientist.stop("ticker")
    assert reply.success, reply.message

    result = wait_for(lambda: scientist.result_files("ticker"), "the partial result", 60)
    assert "task_stopped.txt" in result
    assert "status: Stopped by user" in result["execution_log.txt"]
    assert "tick 3" in result["task_logs.txt"]
    assert pool.task("ticker").status == STOPPED
    wait_for(lambda: not _managed_containers(docker_client, "ticker"), "container removal", 20)


def _known(worker, task_id: str) -> bool:
    return worker.task(task_id) is not None


def test_task_asking_more_than_the_shares_is_never_admitted(
    tmp_path, make_pool, start_worker, scientist_factory
):
    pool = make_pool()
    worker = start_worker(pool, max_memory_gb=2)
    scientist = scientist_factory(pool)
    scientist.upload_folder(make_task(tmp_path, "greedy", "print(1)"), "greedy", memory_gb=64)
    ticks = pool.dispatch_ticks
    wait_for(lambda: pool.dispatch_ticks >= ticks + 5, "five dispatch rounds", 20)
    assert pool.task("greedy").status == PENDING
    assert not _known(worker, "greedy")

    # Even dialled directly by an allowed peer, the worker refuses with the reason.
    stub = pb_grpc.WorkerNodeServiceStub(
        grpc.insecure_channel(f"{worker.advertise_address}:{worker.settings.node_port}")
    )
    reply = stub.ExecuteTask(
        pb.ExecuteTaskRequest(task_id="greedy-direct", task_zip=b"PK", memory_gb=64, cpu_usage=50)
    )
    assert not reply.success
    assert "memory" in reply.message and "64" in reply.message
    assert not _known(worker, "greedy-direct")


def test_execute_task_from_a_peer_that_is_not_allowed_is_denied(
    tmp_path, make_pool, start_worker, docker_client
):
    pool = make_pool()
    worker = start_worker(pool, allowed_peers=("127.0.0.9",))
    stub = pb_grpc.WorkerNodeServiceStub(
        grpc.insecure_channel(f"{worker.advertise_address}:{worker.settings.node_port}")
    )
    folder = make_task(tmp_path, "intruder", "open('pwned', 'w').write('x')")
    from hivemind_desktop.nodepool.submit import zip_folder

    zip_folder(folder, tmp_path / "intruder.zip")
    for call in (
        lambda: stub.ExecuteTask(
            pb.ExecuteTaskRequest(
                task_id="intruder", task_zip=(tmp_path / "intruder.zip").read_bytes(), memory_gb=1
            )
        ),
        lambda: stub.StopTaskExecution(pb.StopTaskExecutionRequest(task_id="intruder")),
    ):
        with pytest.raises(grpc.RpcError) as denied:
            call()
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert not _known(worker, "intruder")
    assert not _managed_containers(docker_client, "intruder")


def test_pool_killed_and_restarted_mid_task_still_gets_the_result(
    tmp_path, make_pool, start_worker, scientist_factory
):
    pool = make_pool()
    worker = start_worker(pool)
    scientist = scientist_factory(pool)
    scientist.upload_folder(
        make_task(tmp_path, "survivor", SQUARE_TASK.replace("1.5", "4"), **{"n.txt": "9"}),
        "survivor",
    )
    wait_for(lambda: pool.task("survivor").status == "RUNNING", "dispatch", 30)
    address = pool.address
    pool.stop(grace=0)  # the pool dies while the task runs

    def waiting_in_outbox() -> bool:
        return "survivor" in worker.pending_results()

    wait_for(waiting_in_outbox, "the result to wait in the outbox", 60)
    time.sleep(3)  # a few failed delivery attempts while the pool is down
    assert waiting_in_outbox()

    restarted = make_pool(listen=address)
    wait_for(lambda: restarted.task("survivor").status == COMPLETED, "delivery after restart", 90)
    scientist = scientist_factory(restarted)
    assert scientist.result_files("survivor")["square.txt"] == "81"
    wait_for(lambda: not waiting_in_outbox(), "the outbox to empty", 10)


def test_worker_killed_with_sigkill_mid_task_recovers_and_leaves_no_stray(
    tmp_path, make_pool, worker_settings, scientist_factory, docker_client, task_images
):
    pool = make_pool()
    settings = worker_settings(pool)
    log = tmp_path / "worker-process.log"
    process = headless_worker(settings, log)
    try:
        wait_for(lambda: pool.node(VOLUNTEER), "registration", 30)
        scientist = scientist_factory(pool)
        scientist.upload_folder(
            make_task(tmp_path, "phoenix", SQUARE_TASK.replace("1.5", "5"), **{"n.txt": "12"}),
            "phoenix",
        )
        wait_for(lambda: _managed_containers(docker_client, "phoenix", True), "container", 30)
        # The default (auto) sandboxes it in gVisor where the engine has it, as here.
        [container] = _managed_containers(docker_client, "phoenix", True)
        assert container.attrs["HostConfig"]["Runtime"] == "runsc"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

        # A stray from the same install that no task owns: the restart must remove it.
        install_id = Store(Path(settings.data_dir) / "worker.sqlite3").get_value("install_id")
        stray = docker_client.containers.create(
            "hivemind/task-busybox:latest",
            ["sleep", "300"],
            labels={
                "hivemind.managed": "1",
                "hivemind.node": install_id,
                "hivemind.task": "ghost",
            },
            network_mode="none",
        )
        stray.start()

        process = headless_worker(settings, log)
        wait_for(lambda: pool.task("phoenix").status == COMPLETED, "the recovered result", 90)
        result = scientist.result_files("phoenix")
        assert result["square.txt"] == "144"
        assert "status: Success" in result["execution_log.txt"]
        # re-attached after the restart, it still says what isolated it
        assert "isolation: gVisor (runsc)" in result["execution_log.txt"]
        wait_for(lambda: not _managed_containers(docker_client, "phoenix"), "cleanup", 20)
        wait_for(lambda: not _managed_containers(docker_client, "ghost"), "stray removal", 20)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except Exception:
            process.kill()
        for container in docker_client.containers.list(
            all=True, filters={"label": ["hivemind.task=ghost"]}
        ):
            container.remove(force=True)


@pytest.mark.slow
def test_worker_stays_registered_for_a_minute_with_five_second_tokens(
    tmp_path, make_pool, start_worker
):
    pool = make_pool(token_ttl_s=5)
    worker = start_worker(pool)
    start = time.time()
    worst_silence = 0.0
    while time.time() - start < 60:
        node = pool.node(VOLUNTEER)
        assert node is not None, "the pool dropped the worker"
        worst_silence = max(worst_silence, time.time() - node.last_seen)
        time.sleep(1)
    assert worst_silence < 15, f"the pool did not hear from the worker for {worst_silence:.0f} s"
    assert worker.snapshot().pool_state == "connected"

    late = make_task(tmp_path, "late", "print('still here')")
    result = submit_folder(
        late, pool.address, SCIENTIST, SCIENTIST_PW, task_id="late", out=tmp_path / "late-out",
        timeout=60, poll_interval=0.5,
    )  # fmt: skip
    assert result.status == COMPLETED, f"a task after many expiries: {result.message}"
    log_text = (Path(worker.settings.log_dir) / "hivemind-desktop.log").read_text()
    assert "vol-secret-pw" not in log_text


def test_upload_methods_are_not_served_by_the_worker(make_pool, start_worker):
    worker = start_worker(make_pool())
    stub = pb_grpc.WorkerNodeServiceStub(
        grpc.insecure_channel(f"{worker.advertise_address}:{worker.settings.node_port}")
    )
    with pytest.raises(grpc.RpcError) as refused:
        stub.TaskUsage(pb.TaskUsageRequest(task_id="x", token="volunteer"))
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "node pool" in refused.value.details()


def test_task_that_ended_while_the_worker_was_down_keeps_its_real_finish_time(
    tmp_path, make_pool, worker_settings, scientist_factory, docker_client, task_images
):
    pool = make_pool()
    settings = worker_settings(pool)
    log = tmp_path / "worker-process.log"
    process = headless_worker(settings, log)
    try:
        wait_for(lambda: pool.node(VOLUNTEER), "registration", 30)
        scientist = scientist_factory(pool)
        lazarus = make_task(tmp_path, "lazarus", SQUARE_TASK, **{"n.txt": "3"})
        scientist.upload_folder(lazarus, "lazarus")
        wait_for(lambda: _managed_containers(docker_client, "lazarus", True), "container", 30)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        wait_for(lambda: not _managed_containers(docker_client, "lazarus", True), "its end", 30)
        install_id = Store(Path(settings.data_dir) / "worker.sqlite3").get_value("install_id")
        (container,) = docker_client.containers.list(
            all=True, filters={"label": ["hivemind.task=lazarus", f"hivemind.node={install_id}"]}
        )
        finished = container.attrs["State"]["FinishedAt"]
        time.sleep(4)  # the worker is down well past the task's end
        restarted_at = time.time()

        process = headless_worker(settings, log)
        wait_for(lambda: pool.task("lazarus").status == COMPLETED, "the recovered result", 90)
        execution_log = scientist.result_files("lazarus")["execution_log.txt"]
        assert f"finished: {finished[:19]}" in execution_log  # to the second, in UTC
        store = Store(Path(settings.data_dir) / "worker.sqlite3")
        (record,) = [t for t in store.load_tasks() if t.task_id == "lazarus"]
        store.close()
        assert record.finished_at < restarted_at - 3
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except Exception:
            process.kill()

"""The worker's upload side and the owner's view: output (10 KB log), usage,
results (FAILED when the execution log says so, else COMPLETED; idempotent, paid once),
stop, and a pool restarted on the same data dir."""

from __future__ import annotations

from hivemind_desktop.rpc import pb
from tests.kit import make_zip, wait_for
from tests.kit.pools import wait_ticks

RESULT = make_zip({"execution_log.txt": "status: Success\n", "out.txt": "42\n"})


def running_task(pool, connect, online_node, task_id: str = "job"):
    node, worker = online_node(pool, "w1")
    alice = connect(pool, "alice")
    assert alice.upload(task_id).success
    wait_for(lambda: alice.my_tasks()[task_id].status == "RUNNING", "RUNNING")
    return alice, node, worker


def output(client, task_id: str, text: str) -> pb.TaskOutputUploadResponse:
    return client.uploads.TaskOutputUpload(
        pb.TaskOutputUploadRequest(task_id=task_id, output=text, token=client.token),
        metadata=client.md,
        timeout=10,
    )


def tasklog(client, task_id: str) -> pb.TasklogResponse:
    return client.master.GetTasklog(
        pb.TasklogRequest(task_id=task_id, token=client.token), metadata=client.md, timeout=10
    )


def test_output_usage_result_and_reward(pool, connect, online_node):
    alice, node, _ = running_task(pool, connect, online_node)
    assert output(node, "job", "hello\n").success
    assert node.uploads.TaskOutput(
        pb.TaskOutputRequest(task_id="job", output="world\n", token=node.token),
        metadata=node.md,
        timeout=10,
    ).success
    assert tasklog(alice, "job").log == "hello\nworld\n"
    usage = node.uploads.TaskUsage(
        # token carries the node id, not the JWT (protocol.md §7)
        pb.TaskUsageRequest(
            task_id="job", cpu_usage=55.5, memory_usage=12.0, gpu_usage=1.0, token="w1"
        ),
        metadata=node.md,
        timeout=10,
    )
    assert usage.success
    info = alice.my_tasks()["job"]
    assert info.cpu_usage == 55.5 and info.memory_usage == 12.0 and info.gpu_usage == 1.0
    pending = alice.result("job")
    assert not pending.success and "not available yet" in pending.message
    assert node.upload_result("job", RESULT).success
    assert alice.my_tasks()["job"].status == "COMPLETED"
    got = alice.result("job")
    assert got.success and got.result_zip == RESULT
    assert pool.balance("w1") == 10
    # A retried upload succeeds and pays nothing more.
    assert node.upload_result("job", RESULT).success
    assert pool.balance("w1") == 10 and alice.my_tasks()["job"].status == "COMPLETED"


def test_log_keeps_the_last_10_kb(pool, connect, online_node):
    alice, node, _ = running_task(pool, connect, online_node)
    chunks = ["a" * 6000, "b" * 6000, "é" * 50, "c" * 100]
    for chunk in chunks:
        assert output(node, "job", chunk).success
    log = tasklog(alice, "job").log
    assert len(log.encode()) <= 10 * 1024
    assert log == "".join(chunks)[-len(log) :]
    assert log.endswith("é" * 50 + "c" * 100) and log.startswith("a")


def test_only_the_dispatched_node_uploads_and_only_the_owner_reads(pool, connect, online_node):
    alice, node, _ = running_task(pool, connect, online_node)
    stranger = connect(pool, "w2")
    assert not output(stranger, "job", "spoof").success
    refused = stranger.upload_result("job", RESULT)
    assert not refused.success and "not dispatched to node w2" in refused.message
    assert not node.upload_result("nope", RESULT).success
    assert not node.upload_result("job", b"").success
    bob = connect(pool, "bob")
    assert "job" not in bob.my_tasks()
    assert not bob.result("job").success and not tasklog(bob, "job").success
    stop = bob.master.StopTask(pb.StopTaskRequest(task_id="job"), metadata=bob.md, timeout=10)
    assert not stop.success
    assert alice.my_tasks()["job"].status == "RUNNING" and tasklog(alice, "job").log == ""


def test_result_marks_completed_even_after_the_pool_failed_it(make_pool, connect, online_node):
    pool = make_pool(running_silence_fail_s=0.3, running_busy_silence_fail_s=0.3)
    alice, node, _ = running_task(pool, connect, online_node)
    wait_for(lambda: alice.my_tasks()["job"].status == "FAILED", "FAILED by silence")
    assert node.upload_result("job", RESULT).success
    assert alice.my_tasks()["job"].status == "COMPLETED"
    assert alice.result("job").result_zip == RESULT


def test_failed_run_is_recorded_failed_and_not_paid(pool, connect, online_node):
    """The protocol has no result status: the worker's execution log says how the run
    ended, and a failed run (here out of memory) neither completes nor earns."""
    alice, node, _ = running_task(pool, connect, online_node)
    failed = make_zip(
        {"execution_log.txt": "task id: job\nstatus: Failed\nexit code: 137\n"
         "reason: out of memory (limit 1 GiB)\n", "task_logs.txt": "Killed\n"}
    )  # fmt: skip
    assert node.upload_result("job", failed).success
    info = alice.my_tasks()["job"]
    assert info.status == "FAILED" and "out of memory (limit 1 GiB)" in info.message
    assert alice.result("job").result_zip == failed  # the submitter still gets the logs
    assert pool.balance("w1") == 0
    assert node.upload_result("job", failed).success  # a retried upload changes nothing
    assert alice.my_tasks()["job"].status == "FAILED" and pool.balance("w1") == 0


def test_run_stopped_on_the_worker_or_unreadable_log(make_pool, connect, online_node):
    pool = make_pool()
    alice, node, _ = running_task(pool, connect, online_node, "mine")
    stopped = make_zip({"execution_log.txt": "status: Stopped by user\nreason: -\n"})
    assert node.upload_result("mine", stopped).success
    info = alice.my_tasks()["mine"]
    assert info.status == "STOPPED" and info.message == "stopped on the worker"
    assert pool.balance("w1") == 0
    # No readable execution log (another worker's result): completed, as the protocol says.
    assert node.report("Idle").success and alice.upload("plain").success
    wait_for(lambda: alice.my_tasks()["plain"].status == "RUNNING", "RUNNING")
    assert node.upload_result("plain", make_zip({"out.txt": "42\n"})).success
    assert alice.my_tasks()["plain"].status == "COMPLETED" and pool.balance("w1") == 10


def test_stop_task_calls_the_worker_and_keeps_the_partial_result(pool, connect, online_node):
    alice, node, worker = running_task(pool, connect, online_node)
    reply = alice.master.StopTask(
        pb.StopTaskRequest(task_id="job", token=alice.token), metadata=alice.md, timeout=10
    )
    assert reply.success
    wait_for(lambda: worker.stopped, "StopTaskExecution at the worker")
    assert worker.stopped == [("job", {})]  # no metadata, as for ExecuteTask
    assert alice.my_tasks()["job"].status == "STOPPED"
    partial = make_zip({"execution_log.txt": "status: Stopped by user\n", "task_stopped.txt": ""})
    assert node.upload_result("job", partial).success
    assert alice.my_tasks()["job"].status == "STOPPED"
    assert alice.result("job").result_zip == partial
    assert pool.balance("w1") == 0  # a stopped task earns nothing
    again = alice.master.StopTask(pb.StopTaskRequest(task_id="job"), metadata=alice.md)
    assert not again.success and "already STOPPED" in again.message


def test_stopping_a_pending_task_never_dispatches_it(pool, connect, online_node):
    alice = connect(pool, "alice")
    assert alice.upload("later").success
    assert alice.master.StopTask(
        pb.StopTaskRequest(task_id="later"), metadata=alice.md, timeout=10
    ).success
    _, worker = online_node(pool, "w1")
    wait_ticks(pool)
    assert worker.executed == [] and worker.stopped == []
    assert alice.my_tasks()["later"].status == "STOPPED"


def test_restarted_pool_keeps_tasks_tokens_and_accepts_the_result(
    make_pool, connect, online_node, tmp_path
):
    data = tmp_path / "pool-data"
    first = make_pool(data_dir=data)
    alice, node, worker = running_task(first, connect, online_node)
    assert output(node, "job", "before restart\n").success
    alice_md = alice.md
    first.stop(grace=0)

    second = make_pool(data_dir=data)
    assert second.address != "" and second.task("job").status == "RUNNING"
    assert second.node("w1").hostname == "127.0.0.2"
    # The node's token from the first pool is still good (the secret persisted).
    node_again = connect(second)
    node_again.user, node_again.token = "w1", node.token
    assert output(node_again, "job", "after restart\n").success
    assert node_again.upload_result("job", RESULT).success
    alice_again = connect(second)
    alice_again.user, alice_again.token = "alice", alice_md[0][1].split()[1]
    assert alice_again.my_tasks()["job"].status == "COMPLETED"
    assert alice_again.result("job").result_zip == RESULT
    assert tasklog(alice_again, "job").log == "before restart\nafter restart\n"
    assert second.balance("w1") == 10 and second.balance("alice") == 100
    # Archives are files in the data dir, not rows in memory.
    assert any(p.name.endswith(".result.zip") for p in (data / "archives").iterdir())
    assert worker.task_ids() == ["job"]  # the restart did not dispatch it again

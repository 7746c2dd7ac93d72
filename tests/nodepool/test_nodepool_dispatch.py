"""Nodes and dispatch over real gRPC: registration and status, matching tasks to
a real test worker (no metadata, fields as protocol.md §4-5), the nodes the pool
must never dial, trust preference, refusals and silent running nodes."""

from __future__ import annotations

import time

from tests.kit import wait_for
from tests.kit.pools import TASK_ZIP, wait_ticks


def test_register_and_status_make_a_node_online_and_idle(pool, connect):
    node = connect(pool, "w1")
    assert node.register("127.0.0.2", 50053, gpu_name="RTX 4090", gpu_score=80).success
    view = pool.node("w1")
    assert view.hostname == "127.0.0.2" and view.port == 50053 and view.status == ""
    assert view.memory_gb == 8 and view.cpu_score == 400 and view.gpu_name == "RTX 4090"
    assert time.time() - view.registered_at < 60
    assert node.report("Idle", running_tasks=0).success
    view = pool.node("w1")
    assert view.status == "Idle" and view.cpu_usage == 5.0 and view.trust == "normal"
    assert [n.node_id for n in pool.nodes()] == ["w1"]


def test_node_id_must_be_the_account_and_status_needs_registration(pool, connect):
    node = connect(pool, "w1")
    assert not node.report("Idle").success  # not registered yet
    node.user = "w2"  # pretend to be another account
    reply = node.register("127.0.0.2", 50053)
    assert not reply.success and "node_id must be your username" in reply.message
    assert pool.nodes() == []


def test_dispatch_sends_the_task_without_metadata(pool, connect, online_node):
    node, worker = online_node(pool, "w1")
    alice = connect(pool, "alice")
    assert alice.upload("job-1", memory_gb=2, cpu_score=150, gpu_score=0).success
    wait_for(lambda: worker.executed, "ExecuteTask at the worker")
    request, metadata = worker.executed[0]
    assert metadata == {}  # the pool sends no token to workers (protocol.md §4)
    assert request.task_id == "job-1" and request.task_zip == TASK_ZIP
    assert request.cpu_usage == 150.0 and request.gpu_usage == 0.0
    assert request.memory_gb == 2 and request.gpu_memory_gb == 0
    wait_for(lambda: alice.my_tasks()["job-1"].status == "RUNNING", "RUNNING")
    info = alice.my_tasks()["job-1"]
    assert info.worker_ip == "127.0.0.2"
    assert pool.task("job-1").node_id == "w1"
    assert pool.node("w1").status == "Busy"  # until its next ReportStatus
    wait_ticks(pool)
    assert worker.task_ids() == ["job-1"]  # dispatched once


def test_never_dispatches_to_loopback_busy_small_or_dockerless_nodes(pool, connect, online_node):
    _, on_127_0_0_1 = online_node(pool, "w1", host="127.0.0.1")
    _, not_idle = online_node(pool, "w2", host="127.0.0.3", status="Running")
    _, too_small = online_node(pool, "w3", host="127.0.0.4", memory_gb=1)
    _, no_docker = online_node(pool, "w4", host="127.0.0.5", docker_status="unavailable")
    alice = connect(pool, "alice")
    assert alice.upload("job-2", memory_gb=4).success
    wait_ticks(pool, 5)
    assert alice.my_tasks()["job-2"].status == "PENDING"
    for worker in (on_127_0_0_1, not_idle, too_small, no_docker):
        assert worker.executed == []
    # The same task goes out once a fitting Idle node appears.
    node_w3 = connect(pool, "w3")
    assert node_w3.register("127.0.0.4", too_small.port, memory_gb=16).success
    wait_for(lambda: too_small.task_ids() == ["job-2"], "dispatch to the grown node")


def test_gpu_requests_need_a_matching_gpu(pool, connect, online_node):
    _, cpu_only = online_node(pool, "w1", host="127.0.0.2")
    _, gpu = online_node(
        pool, "w2", host="127.0.0.3", gpu_score=100, gpu_memory_gb=24, gpu_name="NVIDIA H200"
    )
    alice = connect(pool, "alice")
    assert alice.upload("wrong-gpu", gpu_score=50, gpu_memory_gb=8, gpu_name="A100").success
    wait_ticks(pool)
    assert gpu.executed == [] and cpu_only.executed == []
    assert alice.upload("gpu-job", gpu_score=50, gpu_memory_gb=8, gpu_name="h200").success
    wait_for(lambda: gpu.task_ids() == ["gpu-job"], "dispatch to the GPU node")
    request, _ = gpu.executed[0]
    assert request.gpu_usage == 50.0 and request.gpu_memory_gb == 8
    assert cpu_only.executed == []


def test_trust_preference_high_then_normal_then_low(make_pool, connect, online_node):
    pool = make_pool(trust={"w1": "low", "w3": "high"})
    # Names sort against the preference, so alphabetical order would pick wrong.
    _, low = online_node(pool, "w1", host="127.0.0.2")
    _, normal = online_node(pool, "w2", host="127.0.0.3")
    _, high = online_node(pool, "w3", host="127.0.0.4")
    alice = connect(pool, "alice")
    assert alice.upload("first").success
    wait_for(lambda: high.task_ids() == ["first"], "dispatch to the high-trust node")
    assert alice.upload("second").success  # the high node is Busy now
    wait_for(lambda: normal.task_ids() == ["second"], "dispatch to the normal node")
    assert alice.upload("third").success
    wait_for(lambda: low.task_ids() == ["third"], "dispatch to the low node")
    pool.set_trust("w1", "high")
    assert pool.node("w1").trust == "high"


def test_oldest_pending_task_goes_first(pool, connect, online_node, make_worker):
    alice = connect(pool, "alice")
    assert alice.upload("older").success
    assert alice.upload("newer").success
    _, worker = online_node(pool, "w1")
    wait_for(lambda: worker.task_ids() == ["older"], "the older task first")
    wait_ticks(pool)
    assert worker.task_ids() == ["older"]  # one task per node, which is Busy now


def test_refused_dispatch_stays_pending_with_the_workers_message(pool, connect, online_node):
    _, worker = online_node(pool, "w1")
    worker.reply = (False, "not enough memory free")
    alice = connect(pool, "alice")
    assert alice.upload("refused").success
    wait_for(lambda: "not enough memory" in alice.my_tasks()["refused"].message, "message")
    assert alice.my_tasks()["refused"].status == "PENDING"
    worker.reply = (True, "accepted")
    wait_for(lambda: alice.my_tasks()["refused"].status == "RUNNING", "retry succeeds")
    assert alice.my_tasks()["refused"].message == ""


def test_unreachable_node_leaves_the_task_pending(pool, connect, make_worker):
    node = connect(pool, "w1")
    dead = make_worker("127.0.0.2")
    port = dead.port
    dead.stop()  # registered address with nothing listening
    assert node.register("127.0.0.2", port).success and node.report().success
    alice = connect(pool, "alice")
    assert alice.upload("nowhere").success
    wait_for(lambda: "failed" in alice.my_tasks()["nowhere"].message, "dispatch failure noted")
    assert alice.my_tasks()["nowhere"].status == "PENDING"


def test_silent_running_node_fails_the_task(make_pool, connect, online_node):
    pool = make_pool(running_silence_fail_s=0.5, running_busy_silence_fail_s=1.5)
    node, worker = online_node(pool, "w1")
    alice = connect(pool, "alice")
    assert alice.upload("quiet").success
    wait_for(lambda: alice.my_tasks()["quiet"].status == "RUNNING", "RUNNING")
    wait_for(lambda: alice.my_tasks()["quiet"].status == "FAILED", "FAILED")
    message = alice.my_tasks()["quiet"].message
    assert "silent" in message and "limit 0.5 s" in message
    # A node that reports "Running" gets the longer busy window.
    assert node.report("Running", running_tasks=1).success
    node.report("Idle")
    assert alice.upload("busy-quiet").success
    wait_for(lambda: alice.my_tasks()["busy-quiet"].status == "RUNNING", "RUNNING")
    assert node.report("Running", running_tasks=1).success
    wait_for(lambda: alice.my_tasks()["busy-quiet"].status == "FAILED", "FAILED")
    assert "limit 1.5 s" in alice.my_tasks()["busy-quiet"].message


def test_uploads_are_validated(pool, connect):
    alice = connect(pool, "alice")
    assert alice.upload("ok-1").success
    for task_id, data, why in (
        ("ok-1", TASK_ZIP, "already exists"),
        ("../etc", TASK_ZIP, "invalid task id"),
        ("", TASK_ZIP, "invalid task id"),
        ("nozip", b"plain text", "not a zip"),
        ("empty", b"", "empty"),
    ):
        reply = alice.upload(task_id, data)
        assert not reply.success and why in reply.message, (task_id, reply.message)
    assert [t.task_id for t in pool.tasks()] == ["ok-1"]
    assert pool.task("ok-1").owner == "alice"

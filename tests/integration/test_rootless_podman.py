"""A volunteer outside the docker group, for real: a non-root user whose rootless Podman
API service is the only engine it may use (tests/kit/rootless.py), driving the worker's
own Docker runner as that user.

What this machine allows is pinned down here: it is cgroup v1, where rootless Podman
accepts memory/CPU/pids limits and silently ignores them, and cannot pause. So the
worker must find the engine, say which it is, refuse every task with the cause and the
fix (the limits would not hold), and still be able to do everything that works there:
connect, see its images, apply the hardening flags, label and reconcile containers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.docker_images import docker_client, task_images  # noqa: F401 (fixtures)
from tests.kit.rootless import CGROUP_V1, RootlessUser, rootless_user  # noqa: F401 (fixture)

pytestmark = pytest.mark.docker


def test_the_user_cannot_use_the_rootful_engine(rootless_user: RootlessUser, tmp_path):  # noqa: F811
    # No Podman socket in the runtime folder: only the default socket is left, and it is
    # root's (the docker group would be the way in, and it is as powerful as root).
    empty = Path(f"/run/user/{rootless_user.uid}/none")
    rootless_user.run(["mkdir", "-p", str(empty)]).check_returncode()
    answer = rootless_user.probe(
        "status", "rl-denied", env=rootless_user.env(XDG_RUNTIME_DIR=str(empty))
    )
    status = answer["status"]
    assert status["available"] is False
    assert status["endpoint"] == "unix:///var/run/docker.sock (default socket)"
    assert status["reason"].startswith(
        "Permission denied on the Docker socket at unix:///var/run/docker.sock"
    )
    assert "sudo usermod -aG docker $USER" in status["reason"]
    assert "systemctl --user enable --now podman.socket" in status["reason"]
    (check,) = answer["selftest"]
    assert (check["status"], check["detail"]) == ("FAIL", status["reason"])


def test_rootless_podman_is_found_and_named(rootless_user: RootlessUser):  # noqa: F811
    answer = rootless_user.probe("status", "rl-status")
    status = answer["status"]
    assert status["endpoint"] == f"unix://{rootless_user.socket} (Podman socket)"
    assert status["engine"].startswith("rootless Podman 4.")
    assert status["version"].startswith("4.")
    if CGROUP_V1:
        assert status["available"] is False
        assert status["reason"].startswith(
            "rootless Podman cannot limit a task's memory, CPU or processes "
            "(cgroup v1 lets only root set limits), so no task runs: switch Linux to cgroup v2"
        )
        (check,) = answer["selftest"]
        assert check["status"] == "FAIL" and check["blocking"] is True
        assert check["detail"] == status["reason"]
    else:  # cgroup v2: usable exactly when the user was given the controllers
        assert status["available"] == (status["reason"] == "")


@pytest.mark.skipif(not CGROUP_V1, reason="the refusal is for cgroup v1 (this machine kind)")
def test_no_task_starts_where_the_limits_would_be_ignored(rootless_user: RootlessUser):  # noqa: F811
    answer = rootless_user.probe("refusal", "rl-refusal")
    assert answer["start"].startswith("rootless Podman cannot limit a task's memory")
    assert answer["has_image"] == answer["start"]  # the engine's admission check says it too
    assert answer["labelled"] == 0 and answer["all_containers"] == 0  # nothing was created


def test_hardening_flags_hold_on_rootless_podman(rootless_user: RootlessUser):  # noqa: F811
    result = rootless_user.probe("hardening", "rl-hard")
    assert result["exit"] == 0, result["inside"]
    inside = result["inside"]
    # --userns=keep-id: the task runs as the worker's own uid and owns its workspace.
    assert (inside["uid"], inside["gid"]) == (rootless_user.uid, rootless_user.uid)
    assert result["workspace_file"] == "done" and result["workspace_owner"] == rootless_user.uid
    assert inside["cap_eff"] == "0000000000000000"
    assert inside["no_new_privs"] == "1"
    assert inside["root_writable"] == "Read-only file system"
    assert inside["tmp_ok"] is True
    assert inside["net"] == ["lo"]  # no network
    assert inside["init"] == "/run/podman-init"  # catatonit reaps the task's zombies
    assert result["cap_drop"] and "no-new-privileges" in " ".join(result["security_opt"])
    assert result["readonly"] is True and result["network"] == "none"
    assert result["labels"]["hivemind.managed"] == "1"
    assert result["labels"]["hivemind.node"] == "rl-hard"
    assert result["labels"]["hivemind.task"] == "hardened"
    if CGROUP_V1:
        # Why tasks are refused: the task asked for 1 GiB, and inside it no limit holds.
        assert inside["memory_limit"] != str(1024**3)
        assert int(inside["memory_limit"]) > 2**62  # the kernel's "unlimited"


def test_labelled_containers_are_reconciled_on_rootless_podman(rootless_user: RootlessUser):  # noqa: F811
    result = rootless_user.probe("reconcile", "rl-rec")
    assert result["found"] == [["left-behind", True, True]]  # not the other install's
    assert (result["attached_task"], result["attached_limit"]) == ("left-behind", 120)
    if CGROUP_V1:
        assert "can not pause containers on rootless containers with cgroup V1" in result["pause"]
    exit_info = result["exit"]
    assert exit_info["stopped"] is True and exit_info["error"] == "stopped by user"
    assert result["after_remove"] == 0
    assert "is not a task of install rl-rec" in result["other"]


def test_a_worker_on_rootless_podman_tells_the_pool_and_refuses_tasks(
    rootless_user: RootlessUser,  # noqa: F811
    tmp_path,
) -> None:
    """The whole headless worker on that engine (DOCKER_HOST names the user's socket; the
    worker runs as root here so it may reach it): the pool hears "Unavailable", a task
    sent anyway is refused with the reason, and `status` and the log name the engine."""
    import json
    import subprocess
    from types import SimpleNamespace

    from tests.kit import free_port, make_zip, wait_for
    from tests.kit.pools import start_pool
    from tests.kit.worker import SCRIPT, USERS, WORKER_USER, Headless, WorkerChannel, clean_env

    pool = start_pool(USERS)
    env = clean_env(tmp_path)
    port = free_port("127.0.0.2")
    env.update(
        DOCKER_HOST=f"unix://{rootless_user.socket}",
        FLASK_PORT=str(free_port()),
        NODE_PORT=str(port),
        MASTER_ADDRESS=pool.address,
        HIVEMIND_ADVERTISE_ADDRESS="127.0.0.2",
        HIVEMIND_ALLOWED_PEERS="127.0.0.1",
        HIVEMIND_BUSY_CPU_PERCENT="0",
        HIVEMIND_USERNAME=WORKER_USER.name,
        HIVEMIND_PASSWORD=WORKER_USER.password,
        MAX_CPU_CORES="1",
        MAX_MEMORY_GB="1",
    )
    worker = Headless(env)
    try:
        worker.wait_serving()
        node = wait_for(lambda: pool.node(WORKER_USER.name), "the worker to register")
        assert node.docker_status == "unavailable"
        wait_for(lambda: pool.node(WORKER_USER.name).status == "Unavailable", "its status")

        done = subprocess.run(
            [str(SCRIPT), "status"], env=env, capture_output=True, text=True, timeout=60
        )
        docker_part = json.loads(done.stdout)["docker"]
        assert docker_part["available"] is False
        assert docker_part["engine"].startswith("rootless Podman 4.")
        assert docker_part["endpoint"] == f"unix://{rootless_user.socket} (DOCKER_HOST)"
        if CGROUP_V1:
            assert docker_part["reason"].startswith("rootless Podman cannot limit a task's")

        channel = WorkerChannel(SimpleNamespace(advertise_address="127.0.0.2", node_port=port))
        reply = channel.execute("sent-anyway", make_zip({"main.py": "print('no')\n"}))
        channel.close()
        assert reply.success is False
        assert reply.message == docker_part["reason"]

        assert f"hivemind-desktop: no task can run: {docker_part['reason']}" in worker.output
        assert "Traceback" not in worker.output
        assert worker.stop() == 0
        logged = "".join(p.read_text() for p in (tmp_path / "logs").glob("*.log*"))
        where = f"container engine: {docker_part['engine']} at {docker_part['endpoint']}"
        assert where in logged
        assert f"no task will run: {docker_part['reason']}" in logged
    finally:
        if worker.proc.poll() is None:
            worker.stop()
        pool.stop(grace=0)


@pytest.mark.skipif(not CGROUP_V1, reason="Podman is usable on cgroup v2 with delegation")
def test_a_usable_engine_is_preferred_to_a_rootless_one_that_cannot_limit(
    rootless_user: RootlessUser,  # noqa: F811
    monkeypatch,
    caplog,
) -> None:
    """Someone with both (in the docker group, and Podman's socket on): Podman's socket
    comes first, but it would refuse every task here, so the rootful engine is used and
    the log says why Podman was passed over. Root may reach the user's socket."""
    import logging

    from hivemind_desktop.core.docker_runner import DockerRunner

    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(rootless_user.stage / "no-docker-config"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(rootless_user.runtime))
    with caplog.at_level(logging.INFO, logger="hivemind_desktop.core.docker_runner"):
        status = DockerRunner("rl-prefer").status()
    assert status.available is True, status.reason
    assert status.endpoint == "unix:///var/run/docker.sock (default socket)"
    assert status.engine.startswith("Docker ")
    passed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("passed over")]
    assert len(passed) == 1
    assert passed[0].startswith("passed over rootless Podman 4.")
    assert (
        f" at unix://{rootless_user.socket} (Podman socket): "
        "rootless Podman cannot limit a task's memory"
    ) in passed[0]

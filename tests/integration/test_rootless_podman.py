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

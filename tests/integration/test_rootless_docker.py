"""Rootless Docker for real, as a throwaway non-root user (tests/kit/rootless.py): the
worker's runner finds its socket before the user's Podman one, names it, refuses tasks
where its limits would not hold (this machine is cgroup v1: the daemon runs "without
cgroups"), and what does work there works: hardening, the workspace owned by the
volunteer, labels and reconciliation."""

from __future__ import annotations

import pytest

from tests.kit.docker_images import docker_client, task_images  # noqa: F401 (fixtures)
from tests.kit.rootless import (  # noqa: F401 (fixtures)
    CGROUP_V1,
    RootlessUser,
    rootless_docker,
    rootless_user,
)

pytestmark = pytest.mark.docker


def test_rootless_docker_is_found_first_and_named(rootless_user: RootlessUser, rootless_docker):  # noqa: F811
    assert rootless_user.socket.exists()  # the user's Podman answers too: the order decides
    answer = rootless_user.probe("status", "rd-status")
    status = answer["status"]
    assert status["endpoint"] == f"unix://{rootless_docker} (rootless Docker socket)"
    assert status["engine"] == f"rootless Docker {status['version']}"
    if CGROUP_V1:
        assert status["available"] is False
        assert status["reason"].startswith(
            "rootless Docker cannot limit a task's memory, CPU or processes "
            "(cgroup v1 lets only root set limits), so no task runs"
        )
        (check,) = answer["selftest"]
        assert (check["status"], check["detail"]) == ("FAIL", status["reason"])
        refused = rootless_user.probe("refusal", "rd-refusal")
        assert refused["start"] == status["reason"]
        assert refused["labelled"] == 0 and refused["all_containers"] == 0


def test_hardening_and_workspace_on_rootless_docker(rootless_user: RootlessUser, rootless_docker):  # noqa: F811
    result = rootless_user.probe("hardening", "rd-hard")
    assert result["exit"] == 0, result["inside"]
    inside = result["inside"]
    # The container's root is the volunteer's own uid on the host, with no capabilities.
    assert inside["uid"] == 0 and inside["cap_eff"] == "0000000000000000"
    assert result["workspace_file"] == "done" and result["workspace_owner"] == rootless_user.uid
    assert inside["no_new_privs"] == "1"
    assert inside["root_writable"] == "Read-only file system"
    assert inside["tmp_ok"] is True and inside["net"] == ["lo"]
    assert inside["init"].endswith("docker-init")
    assert result["cap_drop"] == ["ALL"] and result["security_opt"] == ["no-new-privileges"]
    assert result["labels"]["hivemind.node"] == "rd-hard"
    if CGROUP_V1:
        # Why tasks are refused: the task asked for 1 GiB, and inside it no limit holds.
        assert inside["memory_limit"] != str(1024**3)
        assert int(inside["memory_limit"]) > 2**62  # the kernel's "unlimited"


def test_reconciliation_on_rootless_docker(rootless_user: RootlessUser, rootless_docker):  # noqa: F811
    result = rootless_user.probe("reconcile", "rd-rec")
    assert result["found"] == [["left-behind", True, True]]
    assert result["attached_task"] == "left-behind"
    if CGROUP_V1:
        assert result["pause"] != "paused"  # no freezer without cgroups
    assert result["exit"]["stopped"] is True
    assert result["after_remove"] == 0
    assert "is not a task of install rd-rec" in result["other"]

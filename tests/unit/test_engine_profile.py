"""Which engine answered and whether it can hold a task to its limits: a pure function of
the engine's answers. The rootless Podman answers are the ones this machine's Podman 4.3
gave (cgroup v1: its Docker-compatible `info` claims every limit works; `/libpod/info`
tells the truth). The rootful Docker answers come from the real engine here."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.engine_profile import EngineKind, detect, read_profile
from tests.kit.docker_images import docker_client  # noqa: F401 (fixture)

PODMAN_VERSION = {
    "Components": [
        {"Name": "Podman Engine", "Version": "4.3.1"},
        {"Name": "Conmon", "Version": "conmon version 2.1.6"},
    ],
    "Version": "4.3.1",
    "ApiVersion": "1.41",
}
PODMAN_COMPAT_INFO = {  # what Podman's Docker-compatible /info said on cgroup v1, rootless
    "CgroupVersion": "1",
    "CgroupDriver": "cgroupfs",
    "SecurityOptions": ["name=seccomp,profile=default"],
    "MemoryLimit": True,
    "CpuCfsQuota": True,
    "PidsLimit": True,
}


def libpod(rootless: bool, cgroup: str, controllers: list[str]) -> dict:
    return {
        "host": {
            "cgroupVersion": cgroup,
            "cgroupControllers": controllers,
            "security": {"rootless": rootless},
        }
    }


def test_rootless_podman_on_cgroup_v1_is_refused_although_its_docker_info_says_yes():
    profile = detect(PODMAN_VERSION, PODMAN_COMPAT_INFO, libpod(True, "v1", []))
    assert profile.kind == EngineKind.PODMAN_ROOTLESS
    assert profile.label == "rootless Podman 4.3.1"
    assert profile.missing_limits == ("memory", "CPU", "processes")
    assert profile.refusal.startswith(
        "rootless Podman cannot limit a task's memory, CPU or processes "
        "(cgroup v1 lets only root set limits), so no task runs: switch Linux to cgroup v2"
    )
    assert profile.keep_user_id and not profile.passes_gpus
    assert "GPU share to 0" in profile.gpu_refusal()


def test_rootless_podman_on_cgroup_v2_needs_each_controller_delegated():
    full = detect(PODMAN_VERSION, {}, libpod(True, "v2", ["cpuset", "cpu", "io", "memory", "pids"]))
    assert full.missing_limits == () and full.refusal == ""
    partial = detect(PODMAN_VERSION, {}, libpod(True, "v2", ["cpu", "pids"]))
    assert partial.missing_limits == ("memory",)
    assert "cannot limit a task's memory (your user was not given" in partial.refusal
    assert "Delegate=memory pids cpu cpuset" in partial.refusal


def test_rootful_podman_trusts_the_engines_own_report():
    profile = detect(PODMAN_VERSION, {"MemoryLimit": True}, libpod(False, "v1", []))
    assert profile.kind == EngineKind.PODMAN and profile.refusal == ""
    assert not profile.keep_user_id


@pytest.mark.parametrize(
    ("info", "kind"),
    [
        ({"SecurityOptions": ["name=seccomp,profile=default", "name=rootless"]}, "rootless Docker"),
        ({"OperatingSystem": "Docker Desktop", "SecurityOptions": []}, "Docker Desktop"),
        ({"OperatingSystem": "Debian GNU/Linux 12 (bookworm)"}, "Docker"),
    ],
)
def test_docker_kinds(info, kind):
    profile = detect({"Version": "24.0.7", "Components": [{"Name": "Engine"}]}, info)
    assert profile.kind.value == kind and profile.label == f"{kind} 24.0.7"
    assert profile.passes_gpus and not profile.keep_user_id
    # Only rootless Docker runs tasks as its container root: the volunteer's own uid.
    assert profile.task_user == ("0:0" if kind == "rootless Docker" else "")


def test_docker_without_a_memory_controller_is_refused():
    info = {"SecurityOptions": ["name=rootless"], "CgroupVersion": "1", "MemoryLimit": False,
            "CpuCfsQuota": False, "PidsLimit": False}  # fmt: skip
    profile = detect({"Version": "20.10.24"}, info)
    assert profile.kind == EngineKind.DOCKER_ROOTLESS
    assert profile.refusal.startswith(
        "rootless Docker cannot limit a task's memory, CPU or processes"
    )


def test_the_real_engine_here_is_rootful_docker_that_enforces_limits(docker_client):  # noqa: F811
    profile = read_profile(docker_client)
    assert profile.kind == EngineKind.DOCKER
    assert profile.version == docker_client.version()["Version"]
    assert profile.cgroup_version == str(docker_client.info().get("CgroupVersion"))
    assert profile.missing_limits == () and profile.refusal == ""

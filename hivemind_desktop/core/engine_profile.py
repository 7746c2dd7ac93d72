"""What kind of engine answered, and whether it can hold a task to the volunteer's limits.

A rootless engine is the way to contribute without the docker group (which is as
powerful as root), but it only limits memory, CPU and processes where the kernel lets an
ordinary user do so: cgroup v2 with those controllers delegated to the user. On cgroup
v1 rootless Podman accepts the limits, prints "Resource limits are not supported and
ignored on cgroups V1 rootless systems" to its own log, and runs the container without
them; its Docker-compatible `info` still says every limit is supported. So the answer
for Podman comes from its own API (`/libpod/info`: rootless, cgroup version, delegated
controllers), and a task is never started where a limit would be ignored.

`detect()` is pure (API answers in, profile out); `read_profile()` asks the engine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

log = logging.getLogger(__name__)

LIBPOD_INFO = "/v4.0.0/libpod/info"  # Podman serves its own API next to Docker's


class EngineKind(StrEnum):
    DOCKER = "Docker"
    DOCKER_DESKTOP = "Docker Desktop"
    DOCKER_ROOTLESS = "rootless Docker"
    PODMAN = "Podman"
    PODMAN_ROOTLESS = "rootless Podman"

    @property
    def podman(self) -> bool:
        return self in (EngineKind.PODMAN, EngineKind.PODMAN_ROOTLESS)

    @property
    def rootless(self) -> bool:
        return self in (EngineKind.DOCKER_ROOTLESS, EngineKind.PODMAN_ROOTLESS)


# The limits every task gets, the kernel controller behind each, and the word for it.
LIMITS = (("memory", "memory"), ("cpu", "CPU"), ("pids", "processes"))

# Why an engine runs no task, as templates (core/i18n.py): the Monitor page and the
# wizard show them in the volunteer's language. Every list _join can make from LIMITS is
# marked whole, so no loose "%1 or %2" template matches other texts.
CANNOT_LIMIT = QT_TRANSLATE_NOOP("Core", "%1 cannot limit a task's %2 (%3), so no task runs: %4")
LIMIT_LISTS = (
    QT_TRANSLATE_NOOP("Core", "memory"),
    QT_TRANSLATE_NOOP("Core", "processes"),
    QT_TRANSLATE_NOOP("Core", "memory or CPU"),
    QT_TRANSLATE_NOOP("Core", "memory or processes"),
    QT_TRANSLATE_NOOP("Core", "CPU or processes"),
    QT_TRANSLATE_NOOP("Core", "memory, CPU or processes"),
)
CAUSE_CGROUP_V1 = QT_TRANSLATE_NOOP("Core", "cgroup v1 lets only root set limits")
FIX_CGROUP_V1 = QT_TRANSLATE_NOOP(
    "Core",
    "switch Linux to cgroup v2 (boot with systemd.unified_cgroup_hierarchy=1) "
    "and delegate the memory, cpu and pids controllers to your user, or use the "
    "system's Docker engine",
)
CAUSE_NOT_DELEGATED = QT_TRANSLATE_NOOP("Core", "your user was not given those cgroup controllers")
FIX_DELEGATE = QT_TRANSLATE_NOOP(
    "Core",
    "delegate them (systemd: `Delegate=memory pids cpu cpuset` in "
    "/etc/systemd/system/user@.service.d/delegate.conf), then log out and in",
)
CAUSE_NO_CONTROLLER = QT_TRANSLATE_NOOP("Core", "the kernel offers no such cgroup controller")
FIX_CONTROLLERS = QT_TRANSLATE_NOOP(
    "Core", "enable the memory, cpu and pids cgroup controllers, or use another engine"
)
NO_GPUS = QT_TRANSLATE_NOOP(
    "Core",
    "%1's Docker-compatible API does not hand GPUs to containers: set the GPU share to 0, "
    "or use Docker with the NVIDIA Container Toolkit for GPU tasks",
)


@dataclass(frozen=True)
class EngineProfile:
    kind: EngineKind
    version: str
    cgroup_version: str  # "1", "2" or "" (unknown)
    missing_limits: tuple[str, ...] = ()  # words from LIMITS the engine cannot enforce

    @property
    def label(self) -> str:
        """`rootless Podman 4.3.1`."""
        return f"{self.kind.value} {self.version}".strip()

    @property
    def keep_user_id(self) -> bool:
        """Rootless Podman maps container uids into the user's subordinate range, so a
        task running as the worker's uid could not write its workspace: map the worker's
        own uid into the container unchanged (`--userns=keep-id`)."""
        return self.kind == EngineKind.PODMAN_ROOTLESS

    @property
    def task_user(self) -> str:
        """The container user a task must run as here, or "" for the spec's own.

        Rootless Docker maps container root to the volunteer's own uid and every other
        uid into their subordinate range, and has no keep-id: a task running as any
        non-root uid could not write its workspace. Its container root is the
        volunteer's unprivileged uid on the host (no capabilities, no new privileges), so
        that is the user that owns the workspace, as keep-id gives under Podman."""
        return "0:0" if self.kind == EngineKind.DOCKER_ROOTLESS else ""

    @property
    def passes_gpus(self) -> bool:
        """Whether a Docker device request reaches the container. Podman's
        Docker-compatible API (4.x) accepts DeviceRequests and drops them silently."""
        return not self.kind.podman

    @property
    def refusal(self) -> str:
        """Why no task may run on this engine, or "" when every limit holds."""
        if not self.missing_limits:
            return ""
        what = _join(self.missing_limits)
        if self.kind.rootless and self.cgroup_version == "1":
            cause, fix = CAUSE_CGROUP_V1, FIX_CGROUP_V1
        elif self.kind.rootless:
            cause, fix = CAUSE_NOT_DELEGATED, FIX_DELEGATE
        else:
            cause, fix = CAUSE_NO_CONTROLLER, FIX_CONTROLLERS
        return say(CANNOT_LIMIT, self.kind.value, what, cause, fix)

    def gpu_refusal(self) -> str:
        if self.passes_gpus:
            return ""
        return say(NO_GPUS, self.kind.value)


def detect(
    version: dict[str, Any], info: dict[str, Any], libpod: dict[str, Any] | None = None
) -> EngineProfile:
    """The profile from the engine's `version`, `info` and (Podman) `/libpod/info`."""
    names = [str(c.get("Name", "")) for c in version.get("Components") or [] if isinstance(c, dict)]
    number = str(version.get("Version", ""))
    if any(name.startswith("Podman") for name in names):
        host = (libpod or {}).get("host") or {}
        rootless = bool((host.get("security") or {}).get("rootless"))
        cgroup = str(host.get("cgroupVersion") or info.get("CgroupVersion") or "").lstrip("v")
        if rootless:
            have = set(host.get("cgroupControllers") or []) if cgroup == "2" else set()
            missing = tuple(word for name, word in LIMITS if name not in have)
            return EngineProfile(EngineKind.PODMAN_ROOTLESS, number, cgroup, missing)
        return EngineProfile(EngineKind.PODMAN, number, cgroup, _missing_from_info(info))
    options = [str(o) for o in info.get("SecurityOptions") or []]
    cgroup = str(info.get("CgroupVersion") or "")
    if any("name=rootless" in o for o in options):
        kind = EngineKind.DOCKER_ROOTLESS
    elif str(info.get("OperatingSystem", "")).startswith("Docker Desktop"):
        kind = EngineKind.DOCKER_DESKTOP
    else:
        kind = EngineKind.DOCKER
    return EngineProfile(kind, number, cgroup, _missing_from_info(info))


def _missing_from_info(info: dict[str, Any]) -> tuple[str, ...]:
    """Docker's own report of what the kernel lets it limit (absent keys: assume yes)."""
    flags = {"memory": "MemoryLimit", "cpu": "CpuCfsQuota", "pids": "PidsLimit"}
    return tuple(word for name, word in LIMITS if info.get(flags[name], True) is False)


def read_profile(client: Any) -> EngineProfile:
    """Ask the engine (a docker.DockerClient) what it is."""
    version = client.version()
    info = client.info()
    libpod = None
    if any(str(c.get("Name", "")).startswith("Podman") for c in version.get("Components") or []):
        api = client.api
        response = api.get(api.base_url + LIBPOD_INFO, timeout=api.timeout)
        response.raise_for_status()
        libpod = response.json()
    return detect(version, info, libpod)


def _join(words: tuple[str, ...]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]

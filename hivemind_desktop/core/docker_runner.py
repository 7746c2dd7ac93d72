"""The only module that talks to Docker: runs task containers locked down.

Every container gets the same hardening (no privileges, no capabilities, no new
privileges, pids/memory/CPU limits, read-only root with a small /tmp, non-root user,
no network unless asked) and the labels that let a restarted worker find and
reconcile what it left behind. Nothing here ever falls back to running a task on
the host: when Docker cannot be used, callers get `DockerUnavailable` with a reason
a volunteer can act on.
"""

from __future__ import annotations

import codecs
import functools
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import docker
import requests
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.tls import TLSConfig
from docker.types import DeviceRequest, LogConfig, Ulimit
from docker.utils import kwargs_from_env

from hivemind_desktop.core import engine_errors, task_runtime
from hivemind_desktop.core.engine_endpoint import (
    SOURCE_DOCKER_HOST,
    Endpoint,
    EndpointError,
    discover_all,
)
from hivemind_desktop.core.engine_errors import (  # noqa: F401 (kept importable from here)
    FIX_NOT_INSTALLED,
    FIX_NOT_RUNNING,
    FIX_PERMISSION,
)
from hivemind_desktop.core.engine_profile import EngineProfile, read_profile
from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.models import Usage

# Why a container ended, as the volunteer and the pool read it (core/i18n.py).
STOPPED_BY_USER = QT_TRANSLATE_NOOP("Core", "stopped by user")
TIME_LIMIT_REACHED = QT_TRANSLATE_NOOP("Core", "time limit of %1 s reached")
OUT_OF_MEMORY = QT_TRANSLATE_NOOP("Core", "out of memory (limit %1 GiB)")
CONTAINER_DISAPPEARED = QT_TRANSLATE_NOOP(
    "Core", "container disappeared before its exit code was read"
)
EXIT_CODE = QT_TRANSLATE_NOOP("Core", "exit code %1")
GVISOR_ENDED = QT_TRANSLATE_NOOP(
    "Core", "exit code %1 (or gVisor ended the task for too many processes)"
)

log = logging.getLogger(__name__)

LABEL_MANAGED = "hivemind.managed"
LABEL_TASK = "hivemind.task"
LABEL_INSTALL = "hivemind.node"  # the install id (label name kept: existing containers carry it)
LABEL_TIME_LIMIT = "hivemind.time_limit_s"  # so attach() after a restart still enforces it

WORKSPACE = "/workspace"
API_TIMEOUT_S = engine_errors.API_TIMEOUT_S  # every call but wait/log streams
MAX_POOL_SIZE = 32  # each running task holds a wait and a log stream connection
NOFILE = Ulimit(name="nofile", soft=1024, hard=4096)
LOG_CONFIG = LogConfig(type="json-file", config={"max-size": "20m", "max-file": "3"})
GIB = 1024**3
CPU_PERIOD_US = 100_000  # the CFS period; a quota of this much is one core
# The lowest CPU weight Docker accepts (cgroup v1 cpu.shares; the engine maps it to
# cgroup v2 cpu.weight 1). A weight counts against siblings only: other containers under
# the engine's cgroup. Against the owner's programs the engine's parent cgroup competes as
# a whole (bench/bench_owner_priority.py measures both).
LOW_PRIORITY_CPU_SHARES = 2
# So that the weight also counts against the owner's programs, low-priority containers go
# under a parent cgroup of their own that has the lowest weight (cgroupfs driver; the
# worker must be allowed to make it: root on Linux servers, or the installer once).
LOW_PRIORITY_PARENT = "hivemind-tasks"
FREEZE_ATTEMPTS = 3
START_GRACE_S = 60  # after a start call timed out, how long the engine may still take
RUNSC_SANDBOX_CRASH = 2  # the exit status of a gVisor sandbox that could not go on
PODMAN_INIT = "/usr/libexec/podman/catatonit"  # Podman's default init_path

_NAME_BAD = re.compile(r"[^a-zA-Z0-9_.-]+")
_USER_RE = re.compile(r"^[0-9]+(:[0-9]+)?$")
_ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DockerUnavailable(RuntimeError):
    """Docker cannot be used; str() is one line: the cause and the fix."""


class ImageNotInstalled(ValueError):
    """The task names an image this machine does not have (a ValueError: the task
    cannot run here, Docker itself is fine)."""


class ContainerNotFound(LookupError):
    """No container of ours with that id (already removed, or not a HiveMind one)."""


@dataclass(frozen=True)
class ContainerSpec:
    task_id: str
    install_id: str
    image: str
    command: list[str]
    workspace: Path  # bind-mounted rw at /workspace, the working dir
    env: dict[str, str]
    cpu_score: int  # hundredths of a core
    memory_gb: int
    gpus: int
    network: str  # "none" or the name of an existing Docker network
    time_limit_s: int
    pids_limit: int
    user: str = "1000:1000"
    tmp_size_mb: int = 256  # the writable /tmp; counts against memory_gb
    low_priority: bool = True  # lowest CPU weight (setting "run tasks at the lowest CPU priority")
    runtime: str = task_runtime.RUNC  # runc, or runsc (gVisor): task_runtime.choose decides


@dataclass(frozen=True)
class ExitInfo:
    exit_code: int | None
    oom_killed: bool
    timed_out: bool
    stopped: bool
    error: str  # "" on success, else one line for the volunteer and the pool
    finished_at: float | None = None  # the container's own end (epoch s), when known


@dataclass(frozen=True)
class DockerStatus:
    available: bool
    version: str
    reason: str  # "" when available; else the cause and the fix
    runtime: str = ""  # what new tasks run in (runsc/runc); "" when none may run them
    isolation: str = ""  # that, in one line for the volunteer, or why no task may run
    engine: str = ""  # which kind answered, e.g. "rootless Podman 4.3.1"; "" when none did
    # Where, and how it was found: "unix:///var/run/docker.sock (default socket)".
    endpoint: str = ""


@dataclass(frozen=True)
class LabelledContainer:
    container_id: str
    task_id: str
    install_id: str
    running: bool
    exit_code: int | None
    oom_killed: bool


def default_task_user() -> str:
    """The user a task should run as on this host.

    1000:1000 everywhere except a non-root Linux worker, where the task runs as the
    worker's own uid:gid so the workspace it writes stays the worker's to read and delete.
    """
    if sys.platform.startswith("linux") and os.geteuid() != 0:
        return f"{os.getuid()}:{os.getgid()}"
    return "1000:1000"


def container_name(install_id: str, task_id: str) -> str:
    """`hivemind-<install>-<task>` reduced to what Docker accepts in a name."""
    name = _NAME_BAD.sub("-", f"hivemind-{install_id}-{task_id}").strip("-.")
    return name[:200]


def validate_spec(spec: ContainerSpec) -> None:
    """Raise ValueError (one line: what is wrong, what to do) for a spec Docker must not see."""

    def bad(what: str) -> ValueError:
        return ValueError(f"invalid container spec for task {spec.task_id!r}: {what}")

    if not isinstance(spec.task_id, str) or not spec.task_id.strip():
        raise bad("task_id is empty; give every task an id")
    if not spec.install_id.strip():
        raise bad("install_id is empty; the worker's install id labels its containers")
    if not spec.image.strip():
        raise bad("image is empty; name a task image such as hivemind/task-python:latest")
    if not spec.command or not all(isinstance(a, str) for a in spec.command):
        raise bad("command must be a non-empty list of strings")
    workspace = Path(spec.workspace)
    if not workspace.is_absolute() or not workspace.is_dir():
        # Docker would silently create a missing bind source as root: refuse instead.
        raise bad(f"workspace {workspace} is not an existing absolute directory; unpack first")
    for key, value in spec.env.items():
        if not _ENV_KEY_RE.match(key) or not isinstance(value, str) or "\0" in value:
            raise bad(f"environment variable {key!r} is not a NAME=text pair")
    if spec.cpu_score <= 0:
        raise bad(f"cpu_score {spec.cpu_score} must be > 0 (hundredths of a core)")
    if spec.memory_gb <= 0:
        raise bad(f"memory_gb {spec.memory_gb} must be >= 1")
    if spec.gpus < 0:
        raise bad(f"gpus {spec.gpus} must be >= 0")
    if spec.time_limit_s <= 0:
        raise bad(f"time_limit_s {spec.time_limit_s} must be > 0")
    if spec.pids_limit <= 0:
        raise bad(f"pids_limit {spec.pids_limit} must be > 0")
    if not 0 < spec.tmp_size_mb < spec.memory_gb * 1024:
        raise bad(f"tmp_size_mb {spec.tmp_size_mb} must be > 0 and below the memory limit")
    if not _USER_RE.match(spec.user) or spec.user.split(":")[0] == "0":
        raise bad(f"user {spec.user!r} must be a non-root uid[:gid] such as 1000:1000")
    net = spec.network.strip()
    if not net or net == "host" or net.startswith("container:"):
        raise bad(f"network {spec.network!r} is not allowed; use none or a bridge network name")
    if spec.runtime not in (task_runtime.RUNC, task_runtime.RUNSC):
        raise bad(f"runtime {spec.runtime!r} is not one of runc, runsc")


def build_create_kwargs(
    spec: ContainerSpec, *, host_cpus: int | None = None, init: bool = True
) -> dict[str, Any]:
    """The `containers.create` arguments for spec: every hardening decision in one place."""
    memory = spec.memory_gb * GIB
    cores_hundredths = spec.cpu_score
    if host_cpus:
        # Docker refuses more CPUs than the host has; the accountant caps shares anyway.
        cores_hundredths = min(cores_hundredths, host_cpus * 100)
    kwargs: dict[str, Any] = {
        "image": spec.image,
        "command": list(spec.command),
        "name": container_name(spec.install_id, spec.task_id),
        "detach": True,
        "user": spec.user,
        "working_dir": WORKSPACE,
        "environment": {**spec.env, "TASK_ID": spec.task_id},
        "labels": {
            LABEL_MANAGED: "1",
            LABEL_TASK: spec.task_id,
            LABEL_INSTALL: spec.install_id,
            LABEL_TIME_LIMIT: str(spec.time_limit_s),
        },
        "volumes": {str(Path(spec.workspace).resolve()): {"bind": WORKSPACE, "mode": "rw"}},
        "privileged": False,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        # start() leaves runc to the engine's default unless that default is gVisor.
        "runtime": spec.runtime,
        "pids_limit": task_runtime.host_pids_limit(spec.runtime, spec.pids_limit),
        "mem_limit": memory,
        "memswap_limit": memory,  # equal: no swap beyond the memory limit
        # A quota per period rather than nano_cpus: the quota can be changed live (CPU cap).
        "cpu_period": CPU_PERIOD_US,
        "cpu_quota": cpu_quota_us(cores_hundredths),
        "read_only": True,
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={spec.tmp_size_mb}m"},  # noqa: S108 (in the container)
        "ulimits": [NOFILE],
        "log_config": LOG_CONFIG,  # readable by logs(), and bounded on disk
        "stdin_open": False,
        "tty": False,
    }
    if spec.low_priority:
        kwargs["cpu_shares"] = LOW_PRIORITY_CPU_SHARES
    if init:
        kwargs["init"] = True  # reaps zombies and forwards signals to the task
    if spec.network.strip() == "none":
        kwargs["network_mode"] = "none"
    else:
        kwargs["network"] = spec.network.strip()
    if spec.gpus > 0:
        kwargs["device_requests"] = [DeviceRequest(count=spec.gpus, capabilities=[["gpu"]])]
    return kwargs


def cpu_quota_us(cores_hundredths: int) -> int:
    """CFS quota for a share in hundredths of a core (Docker's minimum is 1 ms)."""
    return max(1000, cores_hundredths * CPU_PERIOD_US // 100)


def unavailable_reason(exc: BaseException, endpoint: Endpoint | None = None) -> str:
    """Turn whatever the SDK raised while reaching the engine into cause + fix."""
    return engine_errors.unreachable_reason(exc, endpoint)


def _unreachable(exc: BaseException) -> bool:
    """The engine is not there (as opposed to answering with an error): requests'
    connection errors, the SDK's own, and on Windows the named pipe's pywintypes.error,
    which is none of those."""
    if isinstance(exc, APIError):
        return False
    return isinstance(
        exc, (requests.exceptions.ConnectionError, DockerException)
    ) or engine_errors.is_windows_pipe_error(exc)


def client_for(endpoint: Endpoint) -> docker.DockerClient:
    """An SDK client for endpoint (docker-py itself would only try the default socket)."""
    if endpoint.source == SOURCE_DOCKER_HOST:  # with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH
        return docker.DockerClient(
            timeout=API_TIMEOUT_S, max_pool_size=MAX_POOL_SIZE, **kwargs_from_env()
        )
    tls: TLSConfig | bool = False
    if endpoint.tls_dir:
        folder = Path(endpoint.tls_dir)
        cert = (str(folder / "cert.pem"), str(folder / "key.pem"))
        ca = folder / "ca.pem"
        tls = TLSConfig(
            client_cert=cert if Path(cert[0]).is_file() else None,
            ca_cert=str(ca) if ca.is_file() else None,
            verify=not endpoint.skip_tls_verify and ca.is_file(),
        )
    return docker.DockerClient(
        base_url=endpoint.url, tls=tls, timeout=API_TIMEOUT_S, max_pool_size=MAX_POOL_SIZE
    )


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Engine unreachable mid-call -> DockerUnavailable; API answers (APIError) pass."""
    try:
        yield
    except APIError:
        raise
    except Exception as exc:
        if not _unreachable(exc):
            raise
        raise DockerUnavailable(unavailable_reason(exc)) from exc


class DockerRunner:
    """Starts, finds and removes this install's task containers. Thread-safe: one runner
    is shared by every task thread (the SDK client pools its connections)."""

    def __init__(
        self,
        install_id: str,
        client_factory: Callable[[], docker.DockerClient] | None = None,
        *,
        enabled: bool = True,
        runtime: str = "auto",
    ) -> None:
        """client_factory: None finds the engine the way the docker CLI does
        (core/engine_endpoint.py); a callable gives the client to use instead."""
        if not install_id.strip():
            raise ValueError("install_id is empty: the runner labels containers with it")
        self.install_id = install_id
        self._client_factory = client_factory
        self._enabled = enabled
        self._lock = threading.Lock()
        self._engine: _Engine | None = None
        self._looked_at: Endpoint | None = None  # where the last discovery pointed
        self._engine_info: dict[str, Any] | None = None
        self._parent_ready: bool | None = None
        self._runtime_preference = runtime  # HIVEMIND_TASK_RUNTIME
        self._runtimes: frozenset[str] | None = None  # what the engine lists, read by status()
        self._default_runtime = task_runtime.RUNC

    # -- engine access ------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """DOCKER_ENABLED changed in the settings; running containers are left alone."""
        self._enabled = enabled

    def _connect(self) -> _Engine:
        """The engine, found and identified once it answers. Until then every call looks
        again, so an engine started (or a socket made) later is found without a restart."""
        if not self._enabled:
            raise DockerUnavailable(
                "Docker is turned off (DOCKER_ENABLED is false): "
                "turn it on in Settings or set DOCKER_ENABLED=true to run tasks"
            )
        with self._lock:
            if self._engine is not None:
                return self._engine
            self._looked_at = None  # a broken configuration names no endpoint
            if self._client_factory is not None:
                engine = _open(None, self._client_factory)
            else:
                try:
                    endpoints = discover_all()
                except EndpointError as exc:
                    raise DockerUnavailable(str(exc)) from None
                self._looked_at = endpoints[0]
                engine = _first_usable(endpoints)
                self._looked_at = engine.endpoint
            self._engine = engine
            where = engine.endpoint.describe() if engine.endpoint else "the given client"
            log.info("container engine: %s at %s", engine.profile.label, where)
            if engine.profile.refusal:
                log.warning("no task will run: %s", engine.profile.refusal)
            return engine

    def _get_client(self) -> docker.DockerClient:
        return self._connect().client

    def _task_client(self) -> docker.DockerClient:
        """The client for running tasks: only on an engine that enforces every limit.
        (Finding and removing our containers works on any engine.)"""
        engine = self._connect()
        if engine.profile.refusal:
            raise DockerUnavailable(engine.profile.refusal)
        return engine.client

    def _forget(self) -> None:
        """The engine stopped answering: look for it anew on the next call."""
        with self._lock:
            self._engine = None
            self._engine_info = None
            self._parent_ready = None
            self._runtimes = None

    @property
    def profile(self) -> EngineProfile | None:
        """What the engine is, once it has answered."""
        engine = self._engine
        return engine.profile if engine else None

    def _info(self, client: docker.DockerClient) -> dict[str, Any]:
        if self._engine_info is None:
            self._engine_info = client.info()
        return self._engine_info

    def set_runtime(self, preference: str) -> None:
        """HIVEMIND_TASK_RUNTIME changed: new tasks follow it, running ones keep theirs."""
        self._runtime_preference = preference

    def _engine_runtimes(self, client: docker.DockerClient, fresh: bool = False) -> frozenset[str]:
        # Read again by status(), so gVisor registered while the worker runs is seen.
        if fresh or self._runtimes is None:
            info = client.info()
            self._default_runtime = str(info.get("DefaultRuntime") or task_runtime.RUNC)
            self._runtimes = task_runtime.usable_runtimes(
                info.get("Runtimes") or {}, local=_engine_is_local()
            )
        return self._runtimes

    def runtime_choice(self, *, network: bool) -> task_runtime.RuntimeChoice:
        """The runtime a new task gets (`network`: it joins a network), or why none."""
        client = self._get_client()
        with _engine_errors():
            runtimes = self._engine_runtimes(client)
        return task_runtime.choose(self._runtime_preference, runtimes, network=network)

    def status(self) -> DockerStatus:
        """Whether tasks can run now, on which engine, found where; never raises (the GUI
        polls it)."""
        try:
            engine = self._connect()
        except DockerUnavailable as exc:
            looked = self._looked_at.describe() if self._looked_at else ""
            return DockerStatus(False, "", str(exc), endpoint=looked)
        where = engine.endpoint.describe() if engine.endpoint else ""
        try:
            version = str(engine.client.version().get("Version", ""))
            runtimes = self._engine_runtimes(engine.client, fresh=True)
        except Exception as exc:
            self._forget()
            return DockerStatus(False, "", unavailable_reason(exc, engine.endpoint), endpoint=where)
        refusal = engine.profile.refusal
        choice = task_runtime.choose(self._runtime_preference, runtimes, network=False)
        _, isolation = task_runtime.summary(self._runtime_preference, runtimes)
        return DockerStatus(
            not refusal,
            version,
            refusal,
            engine=engine.profile.label,
            endpoint=where,
            runtime=choice.runtime,
            isolation=isolation,
        )

    # -- containers -----------------------------------------------------------------

    def start(self, spec: ContainerSpec) -> ContainerHandle:
        """Create and start spec's container (detached) and return its handle."""
        validate_spec(spec)
        if spec.install_id != self.install_id:
            raise ValueError(
                f"task {spec.task_id!r} is labelled for install {spec.install_id!r} but this "
                f"runner is install {self.install_id!r}: build specs with the runner's install id"
            )
        client = self._task_client()
        profile = self._connect().profile
        if spec.gpus > 0 and profile.gpu_refusal():
            raise DockerUnavailable(profile.gpu_refusal())
        with _engine_errors():
            try:
                client.images.get(spec.image)
            except ImageNotFound:
                raise ImageNotInstalled(_image_missing(spec.image, profile)) from None
            self._check_network(client, spec.network.strip())
            info = self._info(client)
            _prepare_workspace(Path(spec.workspace), spec.user)
            kwargs = build_create_kwargs(
                spec, host_cpus=info.get("NCPU"), init=_has_init(info, profile)
            )
            # A rootless engine's containers live in the user's own cgroup: no parent to make.
            if spec.low_priority and not profile.kind.rootless and self._low_priority_parent(info):
                kwargs["cgroup_parent"] = "/" + LOW_PRIORITY_PARENT
            self._engine_runtimes(client)  # the engine's default runtime
            if spec.runtime == task_runtime.RUNC and self._default_runtime != task_runtime.RUNSC:
                # The engine's own default (runc for Docker, crun for Podman): runc is named
                # only where an engine runs everything in gVisor unless told otherwise.
                del kwargs["runtime"]
            container = self._create(client, engine_kwargs(kwargs, profile), spec)
            try:
                container.start()
            except APIError as exc:
                _quiet_remove(container)
                raise _start_error(exc, spec) from exc
            except requests.exceptions.ReadTimeout as exc:
                # A busy computer: the engine may still be starting it (a gVisor sandbox
                # boots at the task's low CPU weight). Wait for it rather than fail.
                if not _started_late(container):
                    _quiet_remove(container)
                    raise DockerUnavailable(
                        f"Docker did not start the task's container within "
                        f"{API_TIMEOUT_S + START_GRACE_S} s: the computer is very busy; "
                        "the task is returned to the node pool"
                    ) from exc
        log.info(
            "started container %s for task %s in %s",
            container.short_id,
            spec.task_id,
            task_runtime.describe(spec.runtime),
        )
        return ContainerHandle(
            container,
            task_id=spec.task_id,
            time_limit_s=spec.time_limit_s,
            memory_limit=spec.memory_gb * GIB,
            # What the engine says it used (an omitted runtime is its default).
            runtime=str(container.attrs.get("HostConfig", {}).get("Runtime") or spec.runtime),
            pids_cgroup_limit=kwargs["pids_limit"],
        )

    def _low_priority_parent(self, info: dict[str, Any]) -> bool:
        """Make (once) the lowest-weight parent cgroup for task containers; False, said
        once in the log, where the worker may not (tasks then have the lowest weight
        among containers only)."""
        if self._parent_ready is None:
            self._parent_ready = _make_low_priority_parent(info)
        return self._parent_ready

    def prepare_low_priority_parent(self) -> bool:
        """Make the lowest-weight parent cgroup now (root, before a worker that may not
        make it starts: the system service's ExecStartPre); False where it cannot."""
        client = self._get_client()
        with _engine_errors():
            info = self._info(client)
        return self._low_priority_parent(info)

    def has_image(self, image: str) -> bool:
        """Whether the image is installed locally (tasks never pull at run time); raises
        DockerUnavailable where no task may run at all."""
        client = self._task_client()
        with _engine_errors():
            try:
                client.images.get(image)
            except ImageNotFound:
                return False
        return True

    def _check_network(self, client: docker.DockerClient, network: str) -> None:
        if network == "none":
            return
        try:
            client.networks.get(network)
        except NotFound:
            raise ValueError(
                f"Docker network {network!r} does not exist: create it with "
                f"`docker network create {network}` or set DOCKER_NETWORK=none"
            ) from None

    def _create(
        self, client: docker.DockerClient, kwargs: dict[str, Any], spec: ContainerSpec
    ) -> Any:
        try:
            return create_container(client, kwargs)
        except APIError as exc:
            if exc.status_code != 409:
                raise
        # Name taken: a finished container of the same task that nobody removed.
        old = client.containers.get(kwargs["name"])
        labels = old.labels or {}
        if labels.get(LABEL_MANAGED) != "1" or labels.get(LABEL_INSTALL) != self.install_id:
            raise ValueError(
                f"a container named {kwargs['name']} exists and is not HiveMind's: "
                f"remove or rename it (`docker rm {kwargs['name']}`)"
            )
        if old.status in ("running", "paused", "restarting"):
            raise ValueError(f"task {spec.task_id!r} is already running in container {old.id}")
        old.remove(force=True)
        return create_container(client, kwargs)

    def attach(self, container_id: str) -> ContainerHandle:
        """A handle for a container this install started earlier (e.g. before a restart)."""
        container = self._own_container(container_id)
        labels = container.labels or {}
        limit = labels.get(LABEL_TIME_LIMIT, "")
        state = container.attrs.get("State", {})
        elapsed = 0.0
        started = _parse_docker_time(state.get("StartedAt", ""))
        if started is not None and state.get("Running"):
            elapsed = max(0.0, time.time() - started)
        host = container.attrs.get("HostConfig", {})
        return ContainerHandle(
            container,
            task_id=labels.get(LABEL_TASK, ""),
            time_limit_s=int(limit) if limit.isdigit() else None,
            memory_limit=int(host.get("Memory") or 0),
            already_elapsed_s=elapsed,
            runtime=str(host.get("Runtime") or task_runtime.RUNC),
            pids_cgroup_limit=int(host.get("PidsLimit") or 0) or None,
        )

    def labelled_containers(self) -> list[LabelledContainer]:
        """Every container this install made, running or not (start-up reconciliation)."""
        client = self._get_client()
        with _engine_errors():
            containers = client.containers.list(
                all=True,
                filters={"label": [f"{LABEL_MANAGED}=1", f"{LABEL_INSTALL}={self.install_id}"]},
                ignore_removed=True,
            )
        found = []
        for c in containers:
            state = c.attrs.get("State", {})
            running = bool(state.get("Running"))
            found.append(
                LabelledContainer(
                    container_id=c.id,
                    task_id=(c.labels or {}).get(LABEL_TASK, ""),
                    install_id=self.install_id,
                    running=running,
                    exit_code=None if running else state.get("ExitCode"),
                    oom_killed=bool(state.get("OOMKilled")),
                )
            )
        return found

    def remove(self, container_id: str) -> None:
        """Force-remove one of this install's containers; gone already is fine."""
        try:
            container = self._own_container(container_id)
        except ContainerNotFound:
            return
        _quiet_remove(container)

    def _own_container(self, container_id: str) -> Any:
        client = self._get_client()
        with _engine_errors():
            try:
                container = client.containers.get(container_id)
            except NotFound:
                raise ContainerNotFound(f"no container {container_id}: it was removed") from None
        labels = container.labels or {}
        if labels.get(LABEL_MANAGED) != "1" or labels.get(LABEL_INSTALL) != self.install_id:
            # Never touch containers the volunteer runs for themselves.
            raise ContainerNotFound(
                f"container {container_id} is not a task of install {self.install_id}"
            )
        return container


@dataclass(frozen=True)
class _Engine:
    client: docker.DockerClient
    endpoint: Endpoint | None  # None when a client_factory made the client
    profile: EngineProfile


def _open(endpoint: Endpoint | None, factory: Callable[[], docker.DockerClient]) -> _Engine:
    """Connect and ask the engine what it is; DockerUnavailable (cause + fix) if it
    cannot be reached."""
    try:
        client = factory()
        profile = read_profile(client)
    except APIError as exc:
        where = f" at {endpoint.describe()}" if endpoint else ""
        raise DockerUnavailable(
            f"the container engine{where} answered with an error: "
            f"{str(exc.explanation or exc).splitlines()[0]}; restart it and try again"
        ) from exc
    except Exception as exc:  # the SDK raises many kinds here
        raise DockerUnavailable(unavailable_reason(exc, endpoint)) from exc
    return _Engine(client, endpoint, profile)


def _first_usable(endpoints: list[Endpoint]) -> _Engine:
    """The first engine that can hold tasks to their limits; else the first that
    answered (its refusal is then the reason); else the first failure."""
    answered: list[_Engine] = []
    failures: list[DockerUnavailable] = []
    for endpoint in endpoints:
        try:
            engine = _open(endpoint, functools.partial(client_for, endpoint))
        except DockerUnavailable as exc:
            failures.append(exc)
            continue
        if not engine.profile.refusal:
            for passed in answered:
                log.info(
                    "passed over %s at %s: %s",
                    passed.profile.label,
                    passed.endpoint.describe() if passed.endpoint else "",
                    passed.profile.refusal,
                )
                passed.client.close()
            return engine
        answered.append(engine)
    if answered:
        for extra in answered[1:]:
            extra.client.close()
        return answered[0]
    raise failures[0]


USERNS_KEY = "x_userns_mode"  # engine_kwargs -> create_container only; not an SDK argument


def engine_kwargs(kwargs: dict[str, Any], profile: EngineProfile) -> dict[str, Any]:
    """build_create_kwargs adjusted to a rootless engine, so that the task runs as the
    volunteer's own uid on the host and owns its workspace: Podman keeps that uid inside
    the container (keep-id); rootless Docker has it as the container's root."""
    if profile.keep_user_id:
        return {**kwargs, USERNS_KEY: "keep-id"}
    if profile.task_user:
        return {**kwargs, "user": profile.task_user}
    return kwargs


def create_container(client: docker.DockerClient, kwargs: dict[str, Any]) -> Any:
    """containers.create, plus a user-namespace mode the SDK refuses to pass (it only
    knows "host"); the engine's API takes it as HostConfig.UsernsMode."""
    userns = kwargs.get(USERNS_KEY)
    if not userns:
        return client.containers.create(**kwargs)
    from docker.models.containers import _create_container_args  # the SDK's own translation

    args = _create_container_args(
        {k: v for k, v in kwargs.items() if k != USERNS_KEY} | {"version": client.api._version}
    )
    args["host_config"]["UsernsMode"] = userns
    created = client.api.create_container(**args)
    return client.containers.get(created["Id"])


def _has_init(info: dict[str, Any], profile: EngineProfile) -> bool:
    """Whether `init` may be asked for. Docker names its init binary in info; Podman's
    Docker-compatible info leaves it empty even when its init (catatonit) is installed,
    and fails the create without it. A rootless Podman runs on this machine, so look."""
    if profile.kind.podman:
        return Path(PODMAN_INIT).exists() or shutil.which("catatonit") is not None
    return bool(info.get("InitBinary", True))


def _image_missing(image: str, profile: EngineProfile) -> str:
    if profile.kind.podman:
        return (
            f"task image {image} is not in this user's Podman image store: "
            f"`podman pull {image}`, or copy it from the Docker engine as root with "
            f"`scripts/import_task_images_rootless USER`"
        )
    return (
        f"task image {image} is not installed: run scripts/build_task_images "
        f"or `docker pull {image}`"
    )


@dataclass
class _Clock:
    """Wall-clock budget of one container; paused time does not count against it."""

    started: float
    paused_total: float = 0.0
    paused_since: float | None = None

    def used(self) -> float:
        now = time.monotonic()
        paused = self.paused_total + (now - self.paused_since if self.paused_since else 0.0)
        return now - self.started - paused


@dataclass
class _Flags:
    stopped: bool = False
    timed_out: bool = False
    limit_reason: str = ""  # ended by the worker for a limit other than time
    result: ExitInfo | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class ContainerHandle:
    """One task's container: wait for it, read its console, its usage, control it."""

    def __init__(
        self,
        container: Any,
        *,
        task_id: str,
        time_limit_s: int | None,
        memory_limit: int,
        already_elapsed_s: float = 0.0,
        runtime: str = task_runtime.RUNC,
        pids_cgroup_limit: int | None = None,
    ) -> None:
        self._container = container
        self.id: str = container.id
        self.task_id = task_id
        self.runtime = runtime  # what isolates it: runc or runsc (gVisor)
        # What `usage().pids` is held to: the task's own limit under runc; under gVisor the
        # sandbox's threads count too (task_runtime.host_pids_limit).
        self.pids_cgroup_limit = pids_cgroup_limit
        self.time_limit_s = time_limit_s
        self._memory_limit = memory_limit
        self._clock = _Clock(started=time.monotonic() - already_elapsed_s)
        self._reported_limit = time_limit_s or 0
        self._flags = _Flags()

    def wait(self, timeout: float | None = None) -> ExitInfo:
        """Block until the container ends; kill it once its time is used up.

        The time limit is the spec's (kept in a label, so an attached handle knows it),
        or `timeout` seconds of running time from now when that is sooner (a restarted
        worker passes what is left). Paused time is not counted: the volunteer paused,
        not the task. The result is kept, so later calls return it at once.
        """
        if self._flags.result is not None:
            return self._flags.result
        limit: float | None = self.time_limit_s
        if timeout is not None:
            granted = self._clock.used() + max(timeout, 0.0)
            limit = granted if limit is None else min(limit, granted)
        while True:
            chunk = None
            if limit is not None:
                chunk = limit - self._clock.used()
                if chunk <= 0 and self._clock.paused_since is None:
                    self._kill_for_time(limit)
                    break
                if chunk <= 0:  # paused: its clock is frozen too; look again shortly
                    chunk = 1.0
            if self._wait_once(chunk):
                break
        return self._finish()

    def _wait_once(self, seconds: float | None) -> bool:
        """True once the container has exited; False if `seconds` passed first."""
        try:
            self._container.wait(timeout=None if seconds is None else max(seconds, 0.05))
            return True
        except NotFound:
            return True
        except Exception as exc:
            if engine_errors.is_windows_pipe_error(exc):  # Docker Desktop went away
                raise DockerUnavailable(unavailable_reason(exc)) from exc
            if not isinstance(exc, requests.exceptions.RequestException):
                raise
            # A read timeout is the normal "still running" answer; anything else means
            # the engine went away, which reload() turns into DockerUnavailable.
            try:
                self._container.reload()
            except NotFound:
                return True
            except (requests.exceptions.ConnectionError, DockerException) as exc2:
                if isinstance(exc2, APIError):
                    raise
                raise DockerUnavailable(unavailable_reason(exc2)) from exc
            return self._container.status not in ("running", "paused", "restarting", "created")

    def _kill_for_time(self, limit: float) -> None:
        with self._flags.lock:
            self._flags.timed_out = True
            if self.time_limit_s is None:  # attached without a label: report what was given
                self._reported_limit = round(limit)
        self._kill()

    def _kill(self) -> None:
        try:
            self._container.reload()
            if self._container.status == "paused":
                self._container.unpause()  # a frozen cgroup cannot die on cgroup v1
            self._container.kill()
        except NotFound:
            return
        except APIError as exc:
            if exc.status_code != 409:  # 409: it had already stopped
                raise
        try:
            self._container.wait(timeout=30)
        except (NotFound, requests.exceptions.RequestException):
            pass

    def _finish(self) -> ExitInfo:
        try:
            self._container.reload()
            state = self._container.attrs.get("State", {})
        except NotFound:
            state = {}
        exit_code = state.get("ExitCode") if state else None
        oom = bool(state.get("OOMKilled"))
        with self._flags.lock:
            stopped, timed_out = self._flags.stopped, self._flags.timed_out
            limit_reason = self._flags.limit_reason
        if limit_reason:
            error = limit_reason
        elif stopped:
            error = STOPPED_BY_USER
        elif timed_out:
            error = say(TIME_LIMIT_REACHED, self._reported_limit)
        elif oom:
            error = say(OUT_OF_MEMORY, f"{self._memory_limit / GIB:g}")
        elif exit_code is None:
            error = CONTAINER_DISAPPEARED
        elif exit_code == RUNSC_SANDBOX_CRASH and self.runtime == task_runtime.RUNSC:
            # gVisor's sandbox (a Go program) exits 2 when the host refuses it a thread,
            # which is what a task starting processes without end leads to.
            error = say(GVISOR_ENDED, exit_code)
        elif exit_code != 0:
            error = say(EXIT_CODE, exit_code)
        else:
            error = ""
        finished = _parse_docker_time(state.get("FinishedAt", "")) if state else None
        info = ExitInfo(
            exit_code,
            oom,
            timed_out,
            stopped and not limit_reason,
            error,
            finished_at=finished,
        )
        self._flags.result = info
        return info

    def output(self) -> Iterator[str]:
        """The console (stdout and stderr) as text chunks while they come, to the end.

        Bytes are decoded incrementally so a character split across chunks survives,
        and invalid UTF-8 becomes U+FFFD instead of an exception.
        """
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        received = 0
        try:
            stream = self._container.logs(stream=True, follow=True, stdout=True, stderr=True)
            for chunk in stream:
                received += len(chunk)
                text = decoder.decode(chunk)
                if text:
                    yield text
            # The engine can end a follow stream before it flushes a last line that
            # lacks a newline; once wait() returns the log is complete, and the stream
            # was a prefix of it.
            self._container.wait(timeout=10)
            full = self._container.logs(stdout=True, stderr=True)
            if len(full) > received:
                text = decoder.decode(full[received:])
                if text:
                    yield text
        except NotFound:
            pass
        except Exception as exc:
            unreachable = engine_errors.is_windows_pipe_error(exc)
            if not unreachable and not isinstance(exc, requests.exceptions.RequestException):
                raise
            log.warning("console stream of %s ended early: %s", self.id[:12], exc)
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def usage(self) -> Usage | None:
        """One `docker stats` sample (takes about a second); None once it is not running."""
        try:
            stats = self._container.stats(stream=False)
        except (NotFound, APIError, requests.exceptions.RequestException):
            return None
        except Exception as exc:
            if engine_errors.is_windows_pipe_error(exc):  # the engine went away
                return None
            raise
        return usage_from_stats(stats)

    def end_for_limit(self, reason: str) -> None:
        """Kill the task at once because it broke a limit; its result says `reason`.
        SIGKILL to the container's init ends every process of the task together."""
        with self._flags.lock:
            if self._flags.limit_reason or self._flags.result is not None:
                return
            self._flags.limit_reason = reason
        if self._signal_init():
            if self._clock.paused_since is not None:
                self.resume()  # a frozen process dies of its pending SIGKILL only when thawed
            return
        try:
            self._container.kill()  # straight away: every millisecond lets it write more
        except NotFound:
            return
        except APIError as exc:
            if exc.status_code != 409:
                raise
            self._kill()  # paused (or ending): _kill thaws it first

    def _signal_init(self) -> bool:
        """SIGKILL the container's init from here (Linux, engine on this kernel): it takes
        microseconds where `docker kill` takes a round trip through the engine, and the
        kernel ends every process of the task's PID namespace with it. Under gVisor the
        engine's pid is the sandbox itself (runsc-sandbox, in the container's cgroup):
        killing it ends the sandbox and every task process inside at once. False when the
        process is not ours to signal (another kernel, a VM, user namespaces)."""
        if not sys.platform.startswith("linux"):
            return False
        try:
            self._container.reload()
            pid = int(self._container.attrs.get("State", {}).get("Pid") or 0)
            if pid <= 0:
                return False
            # The pid must still be this container's (pids are reused).
            if self.id not in Path(f"/proc/{pid}/cgroup").read_text():
                return False
            os.kill(pid, signal.SIGKILL)
            return True
        except (OSError, ValueError, DockerException, requests.exceptions.RequestException):
            return False

    def stop(self, timeout: float = 5) -> None:
        """SIGTERM, then SIGKILL after timeout seconds; the result says stopped by user."""
        with self._flags.lock:
            self._flags.stopped = True
        try:
            self._container.reload()
            if self._container.status == "paused":
                self._container.unpause()
            self._container.stop(timeout=max(0, int(round(timeout))))
        except NotFound:
            return
        except APIError as exc:
            if exc.status_code != 409:
                raise

    def pause(self) -> None:
        """Freeze every process of the task (docker pause); a no-op once it has ended."""
        for attempt in range(FREEZE_ATTEMPTS):
            try:
                self._container.pause()
                break
            except NotFound:
                return
            except APIError as exc:
                # runc on cgroup v1 gives up ("unable to freeze") when a busy task does not
                # settle in its short window on a loaded machine: try again before failing.
                if "unable to freeze" in str(exc) and attempt + 1 < FREEZE_ATTEMPTS:
                    time.sleep(0.1)
                    continue
                if exc.status_code != 409:  # 409: not running, or already paused
                    raise
                return
        with self._flags.lock:
            if self._clock.paused_since is None:
                self._clock.paused_since = time.monotonic()

    def resume(self) -> None:
        """Thaw a paused task (docker unpause); the paused time is not charged to it."""
        try:
            self._container.unpause()
        except NotFound:
            pass
        except APIError as exc:
            if exc.status_code != 409:  # 409: not paused
                raise
        with self._flags.lock:
            if self._clock.paused_since is not None:
                self._clock.paused_total += time.monotonic() - self._clock.paused_since
                self._clock.paused_since = None

    def set_cpu(self, cores_hundredths: int) -> None:
        """Change the CPU quota of the running container (the volunteer's CPU cap)."""
        quota = cpu_quota_us(cores_hundredths)
        if self.runtime == task_runtime.RUNSC:
            # runsc has no `update`: the engine answers 500. The sandbox's threads sit in an
            # ordinary host cgroup, so the quota is written there (Linux, as root).
            self._set_cgroup_quota(quota)
            return
        try:
            self._container.update(cpu_period=CPU_PERIOD_US, cpu_quota=quota)
        except NotFound:
            return
        except APIError as exc:
            if exc.status_code != 409:  # 409: it has ended
                raise

    def _set_cgroup_quota(self, quota: int) -> None:
        try:
            self._container.reload()
        except NotFound:
            return
        pid = int(self._container.attrs.get("State", {}).get("Pid") or 0)
        if pid <= 0:
            return  # not running any more
        try:
            folder, v1 = _cpu_cgroup_folder(pid)
            if not folder.name.endswith(self.id):  # pids are reused
                return
            if v1:
                (folder / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (folder / "cpu.cfs_quota_us").write_text(str(quota))
            else:
                (folder / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
        except FileNotFoundError:
            return  # it ended meanwhile
        except OSError as exc:
            raise RuntimeError(
                f"the CPU cap cannot reach the gVisor sandbox's cgroup ({exc.strerror or exc}): "
                "it applies to tasks started from now on"
            ) from exc

    def remove(self) -> None:
        """Force-remove the container (after wait() read its result)."""
        _quiet_remove(self._container)


def usage_from_stats(stats: dict[str, Any]) -> Usage | None:
    """CPU and memory the way the docker CLI computes them (cgroup v1 and v2)."""
    memory = stats.get("memory_stats") or {}
    cpu = stats.get("cpu_stats") or {}
    if not memory or not cpu.get("cpu_usage"):
        return None  # not running: the engine answers with empty sections
    pre = stats.get("precpu_stats") or {}
    cpu_delta = cpu["cpu_usage"].get("total_usage", 0) - (pre.get("cpu_usage") or {}).get(
        "total_usage", 0
    )
    system_delta = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    online = cpu.get("online_cpus") or len(cpu["cpu_usage"].get("percpu_usage") or []) or 1
    cpu_percent = (
        cpu_delta / system_delta * online * 100.0 if cpu_delta > 0 and system_delta > 0 else 0.0
    )
    used = int(memory.get("usage", 0))
    inner = memory.get("stats") or {}
    cache = inner.get("total_inactive_file", inner.get("inactive_file", 0))
    if cache < used:
        used -= cache
    limit = int(memory.get("limit") or 0)
    percent = used / limit * 100.0 if limit else 0.0
    pids = int((stats.get("pids_stats") or {}).get("current") or 0)
    return Usage(round(cpu_percent, 2), used, round(percent, 2), pids)


def _cpu_cgroup_folder(pid: int) -> tuple[Path, bool]:
    """The cpu cgroup folder of a host process, and whether it is cgroup v1."""
    v2 = None
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):
            return Path("/sys/fs/cgroup/cpu") / path.lstrip("/"), True
        if controllers == "":
            v2 = Path("/sys/fs/cgroup") / path.lstrip("/")
    if v2 is None:
        raise FileNotFoundError(f"process {pid} has no cpu cgroup")
    return v2, False


def _make_low_priority_parent(info: dict[str, Any]) -> bool:
    if not sys.platform.startswith("linux") or info.get("CgroupDriver") != "cgroupfs":
        log.info("tasks run at the lowest CPU weight among containers (engine: %s cgroups)",
                 info.get("CgroupDriver", "unknown"))  # fmt: skip
        return False
    v1 = str(info.get("CgroupVersion", "1")) == "1"
    folder = Path("/sys/fs/cgroup/cpu" if v1 else "/sys/fs/cgroup") / LOW_PRIORITY_PARENT
    knob, value = ("cpu.shares", "2") if v1 else ("cpu.weight", "1")
    try:  # made by root already (the system service's prepare-service): nothing to write
        if (folder / knob).read_text().strip() == value:
            return True
    except OSError:
        pass
    try:
        folder.mkdir(exist_ok=True)
        (folder / knob).write_text(value)
    except OSError as exc:
        log.warning(
            "tasks compete with your programs at the normal CPU weight: cannot prepare the "
            "cgroup %s (%s); run the worker as root once, or set it up as root",
            folder,
            exc.strerror or exc,
        )
        return False
    return True


def _started_late(container: Any) -> bool:
    """After a start call timed out: whether the container got going within the grace."""
    deadline = time.monotonic() + START_GRACE_S
    while time.monotonic() < deadline:
        try:
            container.reload()
        except NotFound:
            return False
        except requests.exceptions.RequestException:
            pass  # the engine is still busy: look again
        else:
            if container.status != "created":
                return container.status in ("running", "paused", "exited")
        time.sleep(0.5)
    return False


def _start_error(exc: APIError, spec: ContainerSpec) -> Exception:
    text = str(exc.explanation or exc)
    if spec.gpus > 0 and ("device driver" in text or "nvidia" in text.lower()):
        return DockerUnavailable(
            "Docker cannot give containers a GPU: install the NVIDIA Container Toolkit "
            "and restart Docker, or set the GPU share to 0"
        )
    return RuntimeError(f"Docker could not start task {spec.task_id}: {text.splitlines()[0]}")


def _prepare_workspace(workspace: Path, user: str) -> None:
    """Hand the workspace to the task's uid when the worker runs as root (Linux CI,
    servers); otherwise it already belongs to the worker's user (default_task_user)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    uid_text, _, gid_text = user.partition(":")
    uid, gid = int(uid_text), int(gid_text or uid_text)
    for root, dirs, files in os.walk(workspace):
        os.lchown(root, uid, gid)
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, gid)


def _quiet_remove(container: Any) -> None:
    try:
        container.remove(force=True, v=True)
    except NotFound:
        pass
    except APIError as exc:
        if exc.status_code != 409:  # 409: removal already in progress
            raise


def _parse_docker_time(text: str) -> float | None:
    """Docker's RFC 3339 time with nanoseconds -> epoch seconds."""
    if not text or text.startswith("0001-"):
        return None
    head, _, frac = text.rstrip("Z").partition(".")
    try:
        base = datetime.fromisoformat(head + "+00:00").timestamp()
    except ValueError:
        return None
    digits = "".join(ch for ch in frac if ch.isdigit())[:6]
    return base + (int(digits) / 10 ** len(digits) if digits else 0.0)


def _engine_is_local() -> bool:
    """Whether the engine runs on this machine's kernel (its file paths are ours)."""
    host = os.environ.get("DOCKER_HOST", "")
    return sys.platform.startswith("linux") and (not host or host.startswith("unix://"))

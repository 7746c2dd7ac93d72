"""Plain records the node pool hands out: read-only views, user specs, limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

PENDING = "PENDING"
RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
STOPPED = "STOPPED"
TERMINAL = frozenset({COMPLETED, FAILED, STOPPED})

TRUST_LEVELS = ("high", "normal", "low")  # dispatch preference order
DEFAULT_TRUST = "normal"

MAX_TASK_ZIP_BYTES = 500 * 1024 * 1024  # protocol.md §6
LOG_KEEP_BYTES = 10 * 1024  # protocol.md §7: the pool keeps the last 10 KB

# Task ids become log lines, container labels and file-name inputs on workers,
# so the pool only accepts a conservative alphabet.
TASK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class UserSpec:
    """An account the pool creates at start (balance applies only when it is new)."""

    name: str
    password: str
    balance: int = 0

    def __repr__(self) -> str:  # never show the password
        return f"UserSpec(name={self.name!r}, balance={self.balance})"


@dataclass(frozen=True)
class TaskView:
    task_id: str
    owner: str
    status: str
    message: str
    memory_gb: int
    cpu_score: int
    gpu_score: int
    gpu_memory_gb: int
    gpu_name: str
    location: str
    zip_size: int
    created_at: float
    node_id: str
    worker_ip: str
    started_at: float | None
    finished_at: float | None
    cpu_usage: float
    memory_usage: float
    gpu_usage: float
    gpu_memory_usage: float
    has_result: bool
    rewarded: bool
    dispatch_attempts: int


@dataclass(frozen=True)
class NodeView:
    node_id: str
    hostname: str
    port: int
    cpu_cores: int
    memory_gb: int
    cpu_score: int
    gpu_score: int
    gpu_memory_gb: int
    gpu_name: str
    location: str
    docker_status: str
    status: str
    cpu_usage: float
    memory_usage: float
    gpu_usage: float
    gpu_memory_usage: float
    running_tasks: int
    registered_at: float
    last_seen: float
    trust: str

    @property
    def address(self) -> str:
        """`hostname:port` as the pool dials it (IPv6 literals bracketed)."""
        host = self.hostname
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{host}:{self.port}"

"""Plain data shared across the core: task states, records, resource amounts.

Kept free of behaviour so that every layer (engine, store, GUI bridge) can use it.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass


class TaskState(enum.StrEnum):
    RECEIVED = "received"
    ADMITTED = "admitted"
    PREPARING = "preparing"
    RUNNING = "running"
    UPLOADING = "uploading"
    COMPLETED = "completed"
    FAILED = "failed"
    STOPPED = "stopped"
    # Never ran: refused after it arrived (image not installed, hostile archive, busy...).
    # Shown for this run only, never stored: the pool may send the same task again.
    REFUSED = "refused"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset(
    {TaskState.COMPLETED, TaskState.FAILED, TaskState.STOPPED, TaskState.REFUSED}
)


@dataclass(frozen=True)
class Resources:
    """An amount of the machine: CPU in hundredths of a core (the protocol's
    cpu_score), memory and GPU memory in whole GiB, GPUs as a count."""

    cpu_score: int = 0
    memory_gb: int = 0
    gpus: int = 0
    gpu_memory_gb: int = 0

    def fits_in(self, other: Resources) -> bool:
        return (
            self.cpu_score <= other.cpu_score
            and self.memory_gb <= other.memory_gb
            and self.gpus <= other.gpus
            and self.gpu_memory_gb <= other.gpu_memory_gb
        )

    def __add__(self, other: Resources) -> Resources:
        return Resources(
            self.cpu_score + other.cpu_score,
            self.memory_gb + other.memory_gb,
            self.gpus + other.gpus,
            self.gpu_memory_gb + other.gpu_memory_gb,
        )

    def __sub__(self, other: Resources) -> Resources:
        return Resources(
            self.cpu_score - other.cpu_score,
            self.memory_gb - other.memory_gb,
            self.gpus - other.gpus,
            self.gpu_memory_gb - other.gpu_memory_gb,
        )



@dataclass(frozen=True)
class Usage:
    """One `docker stats` sample of a task's container, as the node pool is sent it."""

    cpu_percent: float  # % of one core, as `docker stats` shows it
    memory_bytes: int
    memory_percent: float  # of the container's limit
    pids: int = 0


@dataclass(frozen=True)
class TaskUsage:
    """A running task's last usage sample, as the Tasks page and the status API show it."""

    cpu_percent: float  # of one core
    memory_percent: float  # of the task's memory limit
    memory_mb: float


@dataclass(frozen=True)
class TaskRecord:
    """One task as the worker knows it; persisted by the store.

    A value: the engine replaces a task's record under its lock (state changes only through
    its state machine), so a reader holding one never sees it change.
    """

    task_id: str
    state: TaskState
    request: Resources
    received_at: float
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    message: str = ""
    container_id: str | None = None
    paused: bool = False
    outcome: TaskState | None = None  # the final state, reached once the pool has the result
    command: tuple[str, ...] = ()
    usage: TaskUsage | None = None
    time_limit_s: int | None = None
    pids_limit: int | None = None
    disk_written_mb: float | None = None  # how far a task ended for its disk budget got
    paused_s: float = 0.0  # seconds spent frozen (pause, policy), ended freezes only
    paused_at: float | None = None  # time.time() the current freeze began; not persisted
    progress: float | None = None  # 0..1 as the task reports it (core/progress.py)
    runtime: str | None = None  # the container runtime that isolates it: runc or runsc

    @property
    def elapsed_s(self) -> float | None:
        """Time the task has worked: frozen time does not count (as for its time limit)."""
        if self.started_at is None:
            return None
        end = self.finished_at if self.finished_at is not None else time.time()
        frozen = self.paused_s
        if self.paused_at is not None:
            frozen += max(0.0, end - self.paused_at)
        return max(0.0, end - self.started_at - frozen)

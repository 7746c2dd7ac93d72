"""Machine samples for the live charts and the pool's status reports.

One daemon thread takes a sample every interval (psutil + NVML, a few hundred
microseconds) and keeps the last `history` of them in a ring buffer, so the window can
draw ten minutes of history the moment it opens. It waits on an Event rather than
sleeping, so stop() returns at once instead of after the current interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil

from hivemind_desktop.core.events import SAMPLE, EventBus
from hivemind_desktop.core.gpu import GpuInfo, GpuReader
from hivemind_desktop.core.models import TaskRecord, TaskState

log = logging.getLogger(__name__)

GIB = 2**30


@dataclass(frozen=True)
class Sample:
    time: float  # time.time() of the sample
    cpu_percent: float  # whole machine, 0-100
    memory_percent: float
    memory_used_gb: float  # GiB
    disk_free_gb: float  # GiB free on the data folder's disk
    gpu_percent: float | None  # mean over GPUs; None without an NVIDIA GPU
    gpu_memory_percent: float | None
    memory_available_gb: float | None = None  # what programs can still have (the policy's floor)
    tasks_cpu_percent: float | None = None  # HiveMind's task containers, % of the machine


def _existing(path: Path) -> Path:
    """The nearest folder that exists: the data folder may not be made yet."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def gpu_summary(gpus: list[GpuInfo]) -> tuple[float | None, float | None]:
    """(utilisation %, memory %) over all GPUs; (None, None) without any."""
    if not gpus:
        return None, None
    util = sum(g.utilization_percent for g in gpus) / len(gpus)
    total = sum(g.memory_total_mb for g in gpus)
    used = sum(g.memory_used_mb for g in gpus)
    return util, (100.0 * used / total if total else 0.0)


def tasks_cpu_share(tasks: Iterable[TaskRecord], cores: int) -> float:
    """The running, unfrozen tasks' CPU (docker stats: % of one core each) as % of the
    whole machine, the scale of Sample.cpu_percent."""
    used = sum(
        t.usage.cpu_percent
        for t in tasks
        if t.usage is not None and t.state == TaskState.RUNNING and not t.paused
    )
    return min(100.0, used / max(1, cores))


class Monitor:
    def __init__(
        self,
        events: EventBus | None,
        interval_s: float = 1.0,
        history: int = 600,
        gpu_reader: GpuReader | None = None,
        disk_path: Path | str | None = None,
        tasks_cpu: Callable[[], float | None] | None = None,
    ) -> None:
        """tasks_cpu: the task containers' CPU use in % of the whole machine, from readings
        the engine already takes (no extra `docker stats` per sample)."""
        if not interval_s > 0:
            raise ValueError(f"monitor interval {interval_s!r} s is not allowed: use more than 0")
        if isinstance(history, bool) or not isinstance(history, int) or history < 1:
            raise ValueError(f"monitor history {history!r} is not allowed: use 1 or more samples")
        self._events = events
        self.interval_s = float(interval_s)
        self._own_reader = gpu_reader is None  # ours to shut down
        self._gpu_reader = gpu_reader or GpuReader()
        self._disk_path = Path(disk_path) if disk_path is not None else Path.home()
        self._tasks_cpu = tasks_cpu
        self._ring: deque[Sample] = deque(maxlen=history)
        self._ring_lock = threading.Lock()
        self._gpu_message = ""
        self._gpus: list[GpuInfo] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._control = threading.Lock()

    # -- reading ------------------------------------------------------------------------
    def latest(self) -> Sample | None:
        with self._ring_lock:
            return self._ring[-1] if self._ring else None

    def history(self) -> list[Sample]:
        """Oldest first."""
        with self._ring_lock:
            return list(self._ring)

    @property
    def gpu_message(self) -> str:
        """What the last GPU read said, e.g. 'no NVIDIA GPU found'."""
        return self._gpu_message

    @property
    def gpus(self) -> list[GpuInfo]:
        return list(self._gpus)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        """Start sampling; calling it while running does nothing."""
        with self._control:
            if self.running:
                return
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop,), name="hivemind-monitor", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._control:
            self._stop.set()
            thread, self._thread = self._thread, None
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout)
            if self._own_reader:
                self._gpu_reader.shutdown()

    # -- sampling -----------------------------------------------------------------------
    def take_sample(self) -> Sample:
        """Measure once. CPU % is since this thread's previous call (psutil keeps the
        baseline per thread), so the first call in a thread reads 0."""
        cpu = psutil.cpu_percent(interval=None)
        memory = psutil.virtual_memory()
        try:
            disk_free = psutil.disk_usage(str(_existing(self._disk_path))).free / GIB
        except OSError:  # a removed drive: show 0 free rather than stop the charts
            disk_free = 0.0
        gpus, self._gpu_message = self._gpu_reader.read()
        self._gpus = gpus
        gpu_percent, gpu_memory_percent = gpu_summary(gpus)
        tasks_cpu = self._tasks_cpu() if self._tasks_cpu is not None else None
        return Sample(
            time=time.time(),
            cpu_percent=float(cpu),
            memory_percent=float(memory.percent),
            memory_used_gb=memory.used / GIB,
            disk_free_gb=disk_free,
            gpu_percent=gpu_percent,
            gpu_memory_percent=gpu_memory_percent,
            memory_available_gb=memory.available / GIB,
            tasks_cpu_percent=None if tasks_cpu is None else min(100.0, max(0.0, tasks_cpu)),
        )

    def _run(self, stop: threading.Event) -> None:
        psutil.cpu_percent(interval=None)  # baseline: the first sample covers one interval
        next_at = time.monotonic() + self.interval_s
        while not stop.wait(max(0.0, next_at - time.monotonic())):
            try:
                sample = self.take_sample()
            except Exception:  # one bad read must not end the charts
                log.exception("taking a machine sample failed")
            else:
                with self._ring_lock:
                    self._ring.append(sample)
                if self._events is not None:
                    self._events.publish(SAMPLE, sample=sample)
            # Fixed cadence; after a long stall (suspend) start again from now.
            next_at = max(next_at + self.interval_s, time.monotonic())
